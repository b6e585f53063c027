"""Faster python-pptx for one build, behind one seam: applied, then restored.

python-pptx does several things in time that grows with the square of a deck's
size or of a shape's points. A build enters `applied(prs)` once; inside it,
renderers ask `current()` for the session and, when there is one, use the fast
paths below; without one (speed-ups off) they use python-pptx as documented.
Everything here gives the XML python-pptx gives, byte for byte: a test builds
the real deck both ways and compares.

What changes, and for how long:

- On `prs` only (instance attributes, gone with it): `next_partname` counts
  instead of walking every part per new part; the presentation part's
  relationships keep an index instead of a scan per slide; slide ids are
  counted instead of read all per slide.
- On classes, only inside `applied` (restored when the last build leaves it;
  parallel builds use processes, not threads): `qn()` memoised and compiled
  XPath per expression (`BaseOxmlElement.xpath`), and a group's extents read
  from its children's `a:xfrm` once instead of through six property chains.
- No patch at all: freeforms are drawn by a subclass of python-pptx's
  FreeformBuilder (`build_freeform`) that writes a path in one pass; chart
  styles are applied once per (style, subtree) and copied (`Session.styled`);
  map shapes are cloned from the first one python-pptx wrote (`clone_shape`);
  text boxes are written straight as XML (render.text);
  the package is saved directly in its normal form (`save`).
- Memory: when a slide is finished (`finished`), its part, its notes and its
  charts are serialised at once and their XML trees released (`FrozenPart`),
  so a deck's peak memory is its serialised size plus one slide's trees.
  python-pptx's objects hold reference cycles, and `deckgen build` runs
  without the cycle collector, so between slides (`between_slides`) the
  youngest generation is collected every `COLLECT_EVERY` slides.

The fast paths read private parts of python-pptx, so they are version-gated:
on a python-pptx release the test suite has not verified (`VERIFIED_PPTX`),
or with DECKGEN_NO_SPEEDUPS=1, a build uses stock python-pptx and says why
(`deckgen build --verbose`).
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import io
import os
import sys
import threading
import types
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

#: python-pptx versions the test suite has run with the speed-ups on.
VERIFIED_PPTX = ("1.0.2",)
ENV_OFF = "DECKGEN_NO_SPEEDUPS"


@functools.cache
def pptx_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("python-pptx")
    except PackageNotFoundError:  # pragma: no cover - python-pptx imported from a path
        import pptx

        return str(getattr(pptx, "__version__", "unknown"))


def status() -> tuple[bool, str]:
    """(on, why not): whether a build now would use the speed-ups."""
    if os.environ.get(ENV_OFF):
        return False, f"python-pptx speed-ups off: {ENV_OFF} is set"
    found = pptx_version()
    if found not in VERIFIED_PPTX:
        return False, (
            f"python-pptx speed-ups off: python-pptx {found} is not a version deckgen was "
            f"verified with ({', '.join(VERIFIED_PPTX)}); building with stock python-pptx"
        )
    return True, ""


@dataclass
class Kept:
    """What a session keeps of the subtrees python-pptx wrote, to copy: one deck's,
    or a batch's decks' (deckgen.render.shared.Store.kept), all copies of the
    elements written, none of any deck's tree."""

    styles: dict[tuple, Any] = field(default_factory=dict)
    prototypes: dict[str, dict[Any, Any]] = field(default_factory=dict)


class Session:
    """What renderers may use while the speed-ups are applied to one presentation."""

    STYLE_LIMIT = 256
    PROTOTYPE_LIMIT = 512

    def __init__(self, kept: Kept | None = None) -> None:
        self.slides_done = 0
        kept = kept if kept is not None else Kept()
        self._styles = kept.styles
        #: shapes as python-pptx wrote them, to clone: {store name: {key: element}}
        self.prototypes = kept.prototypes

    def styled(self, element: Any, key: tuple, apply: Callable[[], None]) -> None:
        """Style `element` with `apply()` (python-pptx's API), or copy that result.

        The same style applied to the same subtree gives the same subtree: the
        first result for a (style, XML before) pair is kept, and the next element
        with the same XML gets a copy of it. A deck's twenty bar charts then pay
        python-pptx's lookups once. `apply` must change nothing outside `element`.
        """
        from lxml import etree

        before = (key, etree.tostring(element))
        done = self._styles.get(before)
        if done is not None:
            element.getparent().replace(element, copy.deepcopy(done))
            return
        apply()
        if len(self._styles) < self.STYLE_LIMIT:
            self._styles[before] = copy.deepcopy(element)

    def prototype(self, store: str, key: Any) -> Any:
        return self.prototypes.get(store, {}).get(key)

    def remember(self, store: str, key: Any, element: Any) -> None:
        shelf = self.prototypes.setdefault(store, {})
        if len(shelf) >= self.PROTOTYPE_LIMIT:
            shelf.clear()
        shelf[key] = copy.deepcopy(element)


_CURRENT: contextvars.ContextVar[Session | None] = contextvars.ContextVar(
    "deckgen_speedups", default=None
)


def current() -> Session | None:
    """The session of the build in progress, or None: use python-pptx as documented."""
    return _CURRENT.get()


def styled(element: Any, key: tuple, apply: Callable[[], None]) -> None:
    """`Session.styled` when the speed-ups are on, else simply `apply()`."""
    session = current()
    if session is None:
        apply()
    else:
        session.styled(element, key, apply)


@contextlib.contextmanager
def applied(
    prs: Any, note: Callable[[str], None] | None = None, kept: Kept | None = None
) -> Iterator[Session | None]:
    """The speed-ups for building `prs`: yields the session (None when off); `kept`:
    the styled subtrees and prototypes of the decks built before (a batch's).

    Class-level changes are undone when the last build using them leaves;
    `prs` keeps its instance-level ones, which only make it faster.
    """
    on, why = status()
    if not on:
        if note is not None:
            note(why)
        yield None
        return
    _fast_partnames(prs)
    _fast_relationships(prs)
    _fast_slide_ids(prs)
    session = Session(kept)
    token = _CURRENT.set(session)
    _patch_classes()
    try:
        yield session
    finally:
        _restore_classes()
        _CURRENT.reset(token)


# -- on one presentation --------------------------------------------------------


def _fast_partnames(prs: Any) -> None:
    """`prs`'s package names new parts as python-pptx does, without a walk per part.

    python-pptx's rule (`OpcPackage.next_partname`): with k parts whose names
    start like the template's, the first of k+1, k, ..., 1 not taken. This keeps,
    per template, the names taken (read once) and adds each name it hands out,
    so it gives python-pptx's names as long as no part leaves the package during
    the build (deckgen removes none).
    """
    from pptx.opc.packuri import PackURI

    package = prs.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(self: Any, tmpl: str) -> PackURI:
        names = taken.get(tmpl)
        if names is None:
            prefix = tmpl[: (tmpl % 42).find("42")]
            names = taken[tmpl] = {
                str(p.partname) for p in self.iter_parts() if p.partname.startswith(prefix)
            }
        for n in range(len(names) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        raise RuntimeError("no free part name")  # pragma: no cover - as python-pptx

    package.next_partname = types.MethodType(next_partname, package)


def _fast_relationships(prs: Any) -> None:
    """The presentation part's relationships looked up through an index.

    Each slide added relates the presentation part to it through
    `_Relationships.get_or_add`, which regroups *all* the part's relationships
    by type: one scan per slide. This keeps, for that one collection, an index
    {(type, external, target): rId} in insertion order (the first match wins, as
    in python-pptx), updated on each add; any other change (a relationship
    dropped) makes it rebuild, and a hit is checked against the relationship
    itself before it is trusted.
    """
    rels = prs.part.rels
    if "_get_matching" in vars(rels):
        return
    index: dict[tuple, str] = {}
    size = [-1]  # len(rels) the index describes; -1: rebuild before use
    add, pop = rels._add_relationship, rels.pop

    def target_of(rel: Any) -> Any:
        return rel.target_ref if rel.is_external else rel.target_part

    def rebuild() -> None:
        index.clear()
        for rel in rels._rels.values():
            index.setdefault((rel.reltype, rel.is_external, target_of(rel)), rel.rId)
        size[0] = len(rels._rels)

    def get_matching(reltype: str, target: Any, is_external: bool = False) -> str | None:
        if size[0] != len(rels._rels):
            rebuild()
        rId = index.get((reltype, is_external, target))
        if rId is not None:
            rel = rels._rels.get(rId)
            if (
                rel is None
                or rel.reltype != reltype
                or rel.is_external != is_external
                or target_of(rel) != target
            ):
                rebuild()
                rId = index.get((reltype, is_external, target))
        return rId

    def add_relationship(reltype: str, target: Any, is_external: bool = False) -> str:
        current = size[0] == len(rels._rels)
        rId = add(reltype, target, is_external)
        if current:
            index.setdefault((reltype, is_external, target), rId)
            size[0] = len(rels._rels)
        return rId

    def drop(rId: str) -> Any:
        size[0] = -1
        return pop(rId)

    rels._get_matching = get_matching
    rels._add_relationship = add_relationship
    rels.pop = drop


def _fast_slide_ids(prs: Any) -> None:
    """`prs.slides.add_slide` with a counted slide id.

    python-pptx picks a new slide's id (`p:sldId/@id`) as one more than the
    largest in use, reading all of them each time. This counts instead, from the
    largest id in use once, and from the last `p:sldId` should anything else have
    appended one since; past the largest id PowerPoint allows, python-pptx's own
    search takes over. Same ids as python-pptx.
    """
    slides = prs.slides
    if "add_slide" in vars(slides):
        return
    max_id = 2147483647
    lst = slides._sldIdLst
    last = [max([255, *(int(v) for v in lst.xpath("./p:sldId/@id"))])]
    original = type(slides).add_slide

    def add_slide(slide_layout: Any, bare: bool = False) -> Any:
        if len(lst):
            last[0] = max(last[0], int(lst[-1].get("id")))
        if last[0] >= max_id:
            return original(slides, slide_layout)
        rId, slide = slides.part.add_slide(slide_layout)
        if not bare:  # bare: its XML is about to be replaced (deckgen.render.shared)
            slide.shapes.clone_layout_placeholders(slide_layout)
        last[0] += 1
        lst._add_sldId(id=last[0], rId=rId)
        return slide

    add_slide.__doc__ = original.__doc__
    slides.add_slide = add_slide


def add_bare_slide(prs: Any, layout: Any) -> Any:
    """A new slide of `layout`, its layout's placeholders not copied into it (with
    the speed-ups on): for a slide whose serialised XML is set right after."""
    add = vars(prs.slides).get("add_slide")
    return add(layout, bare=True) if add is not None else prs.slides.add_slide(layout)


# -- on classes, while a build runs ------------------------------------------------

_MISSING = object()
_LOCK = threading.Lock()
_depth = 0
_saved: list[tuple[Any, str, Any]] = []


def _replace(owner: Any, name: str, value: Any) -> None:
    """Set `owner.name`, remembering what was there (a class's own attribute or nothing)."""
    before = owner.__dict__.get(name, _MISSING) if isinstance(owner, type) else vars(owner)[name]
    _saved.append((owner, name, before))
    setattr(owner, name, value)


def _patch_classes() -> None:
    global _depth
    with _LOCK:
        if _depth == 0:
            _memoised_oxml()
            _cheap_group_extents()
        _depth += 1


def _restore_classes() -> None:
    global _depth
    with _LOCK:
        _depth -= 1
        if _depth:
            return
        while _saved:
            owner, name, before = _saved.pop()
            if before is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, before)


def originals() -> dict[str, Any]:
    """What python-pptx defines, as it defines it: for tests that check a restore."""
    from pptx.oxml import ns, xmlchemy
    from pptx.oxml.shapes.groupshape import CT_GroupShape

    return {
        "qn": ns.qn,
        "xpath": xmlchemy.BaseOxmlElement.__dict__["xpath"],
        "_child_extents": CT_GroupShape.__dict__["_child_extents"],
    }


def _memoised_oxml() -> None:
    """`qn()` memoised and XPath compiled once per expression.

    - `qn("a:solidFill")` turns a prefixed tag into Clark notation by building a
      helper object each call (hundreds of thousands of calls in a large deck);
      it depends only on its argument, so a cache is exact. Modules that
      imported `qn` by name get the memoised one too.
    - `BaseOxmlElement.xpath(expr)` has lxml compile `expr` on every call; a
      compiled `etree.XPath` per expression (a few dozen) returns the same nodes.
    """
    from lxml import etree
    from pptx.oxml import ns, xmlchemy

    original_qn = ns.qn
    cached_qn = _cached_qn(original_qn)
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "pptx" and getattr(module, "qn", None) is original_qn:
            _replace(module, "qn", cached_qn)
    nsmap = ns._nsmap
    compiled = _COMPILED

    def xpath(self: Any, xpath_str: str) -> Any:
        finder = compiled.get(xpath_str)
        if finder is None:
            finder = compiled[xpath_str] = etree.XPath(xpath_str, namespaces=nsmap)
        return finder(self)

    xpath.__doc__ = xmlchemy.BaseOxmlElement.xpath.__doc__
    _replace(xmlchemy.BaseOxmlElement, "xpath", xpath)


_COMPILED: dict[str, Any] = {}


@functools.cache
def _cached_qn(original: Callable[[str], str]) -> Callable[[str], str]:
    return functools.lru_cache(maxsize=None)(original)


def _cheap_group_extents() -> None:
    """A group's extents from its children's `a:off`/`a:ext`, read once.

    python-pptx recomputes a group's position and size after every shape added
    to it, reading each child's x, y, cx and cy through six property chains (x
    and y twice). This reads the same numbers straight from each child's
    `a:xfrm`; a child python-pptx would read another way (no transform, a
    universal measure such as "1in", a class of its own) sends the whole
    computation back to python-pptx.
    """
    from pptx.oxml.ns import qn
    from pptx.oxml.shapes.groupshape import CT_GroupShape
    from pptx.oxml.shapes.shared import BaseShapeElement
    from pptx.util import Emu

    original = CT_GroupShape.__dict__["_child_extents"]
    off_tag, ext_tag = qn("a:off"), qn("a:ext")
    names = ("x", "y", "cx", "cy")
    base = tuple(getattr(BaseShapeElement, n) for n in names)
    plain: dict[type, bool] = {}

    def child_extents(self: Any) -> tuple[Any, Any, Any, Any]:
        boxes = []
        for elm in self.iter_shape_elms():
            kind = type(elm)
            if kind not in plain:
                plain[kind] = tuple(getattr(kind, n, None) for n in names) == base
            xfrm: Any = elm.xfrm if plain[kind] else None
            try:
                off, ext = xfrm.find(off_tag), xfrm.find(ext_tag)
                boxes.append(
                    (int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))
                )
            except (AttributeError, TypeError, ValueError):
                return original.fget(self)
        if not boxes:
            return Emu(0), Emu(0), Emu(0), Emu(0)
        min_x, min_y = min(b[0] for b in boxes), min(b[1] for b in boxes)
        max_x, max_y = max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)
        return Emu(min_x), Emu(min_y), Emu(max_x - min_x), Emu(max_y - min_y)

    _replace(CT_GroupShape, "_child_extents", property(child_extents, doc=original.__doc__))


# -- without patching ------------------------------------------------------------


def build_freeform(shapes: Any, start_x: int, start_y: int) -> Any:
    """`shapes.build_freeform(start_x, start_y, scale=1.0)`, in one pass when on."""
    if current() is None:
        return shapes.build_freeform(start_x, start_y, scale=1.0)
    return _linear_builder().new(shapes, start_x, start_y, 1.0, 1.0)


@functools.cache
def _linear_builder() -> Any:
    """A FreeformBuilder whose `convert_to_shape` is linear in the number of points.

    python-pptx recomputes a shape's offset (a scan over all its points) for
    every point it writes, so a region of n points costs n^2. This computes the
    extents once and writes the whole `a:path` as text parsed once: the XML
    python-pptx writes. An operation it does not know goes to python-pptx.
    """
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.shapes.freeform import FreeformBuilder, _Close, _LineSegment, _MoveTo
    from pptx.util import Emu

    point: dict[Any, str] = {
        _LineSegment: '<a:lnTo><a:pt x="%d" y="%d"/></a:lnTo>',
        _MoveTo: '<a:moveTo><a:pt x="%d" y="%d"/></a:moveTo>',
    }
    known = {_Close, *point}
    ns = nsdecls("a")

    stock: Any = FreeformBuilder  # its private properties, read as python-pptx defines them

    class LinearFreeformBuilder(FreeformBuilder):
        _extents: tuple[Any, Any, Any, Any] | None = None

        @property
        def shape_offset_x(self) -> Any:
            return self._extents[0] if self._extents else stock.shape_offset_x.fget(self)

        @property
        def shape_offset_y(self) -> Any:
            return self._extents[1] if self._extents else stock.shape_offset_y.fget(self)

        @property
        def _dx(self) -> Any:
            return self._extents[2] if self._extents else stock._dx.fget(self)

        @property
        def _dy(self) -> Any:
            return self._extents[3] if self._extents else stock._dy.fget(self)

        def convert_to_shape(self, origin_x: Any = 0, origin_y: Any = 0) -> Any:
            ops: list[Any] = self._drawing_operations
            if any(type(op) not in known for op in ops):
                return super().convert_to_shape(origin_x, origin_y)
            points = [op for op in ops if type(op) is not _Close]
            xs = [self._start_x, *(op.x for op in points)]
            ys = [self._start_y, *(op.y for op in points)]
            ox, oy = Emu(min(xs)), Emu(min(ys))
            self._extents = (ox, oy, Emu(max(xs) - ox), Emu(max(ys) - oy))
            try:
                sp = self._add_freeform_sp(origin_x, origin_y)
                path = self._start_path(sp)  # python-pptx's a:path, w, h and first a:moveTo
                parts = [
                    "<a:close/>" if type(op) is _Close else point[type(op)] % (op.x - ox, op.y - oy)
                    for op in ops
                ]
                head = "".join(f' {k}="{v}"' for k, v in path.attrib.items())
                filled = parse_xml(f"<a:path {ns}{head}>" + "".join(parts) + "</a:path>")
                filled.insert(0, path[0])
                path.getparent().replace(path, filled)
            finally:
                self._extents = None
            return self._shapes._shape_factory(sp)

    return LinearFreeformBuilder


# -- shapes cloned from the first one python-pptx wrote ----------------------------

_P_NVSPPR, _P_CNVPR, _P_SPPR = "p:nvSpPr", "p:cNvPr", "p:spPr"


def shape_parts(sp: Any) -> tuple[Any, Any, Any] | None:
    """(cNvPr, a:off, a:ext) of a `p:sp`, or None if it is not shaped that way."""
    from pptx.oxml.ns import qn

    nv, sppr = sp.find(qn(_P_NVSPPR)), sp.find(qn(_P_SPPR))
    xfrm = sppr.find(qn("a:xfrm")) if sppr is not None else None
    if nv is None or xfrm is None:
        return None
    cnvpr, off, ext = nv.find(qn(_P_CNVPR)), xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    if cnvpr is None or off is None or ext is None:
        return None
    return cnvpr, off, ext


def remember_shape(session: Session, store: str, key: Any, sp: Any) -> None:
    """Keep `sp` (as python-pptx wrote it) to clone for the next shape of `key`."""
    if shape_parts(sp) is not None:  # not the structure clone_shape knows: nothing kept
        session.remember(store, key, sp)


def clone_shape(
    tree: Any,
    prototype: Any,
    shape_id: int,
    name: str,
    x: int,
    y: int,
    cx: int | None = None,
    cy: int | None = None,
) -> Any:
    """A copy of `prototype` appended to the shape tree `tree` as python-pptx appends a shape."""
    sp = copy.deepcopy(prototype)
    cnvpr, off, ext = shape_parts(sp)  # type: ignore[misc]  # checked by remember_shape
    cnvpr.set("id", str(shape_id))
    cnvpr.set("name", name)
    off.set("x", str(x))
    off.set("y", str(y))
    if cx is not None and cy is not None:
        ext.set("cx", str(cx))
        ext.set("cy", str(cy))
    tree._grpSp.insert_element_before(sp, "p:extLst")
    return sp


class ShapeIds:
    """The ids python-pptx would give the next shapes of one slide, without a scan each.

    python-pptx reads every `@id` of the slide for each shape it adds: a freeform
    or a group gets the smallest free id (`CT_GroupShape._next_shape_id`), a text
    box or an autoshape one more than the largest (`_BaseShapes._next_shape_id`).
    This reads them once and is told of every shape added since.
    """

    def __init__(self, element: Any) -> None:
        self._used = {int(v) for v in element.xpath("//@id") if v.isdigit()}
        self._max = max(self._used, default=0)
        self._free = 1

    def add(self, shape_id: int) -> int:
        self._used.add(shape_id)
        self._max = max(self._max, shape_id)
        return shape_id

    def smallest_free(self) -> int:
        while self._free in self._used:
            self._free += 1
        return self.add(self._free)

    def after_largest(self) -> int:
        return self.add(self._max + 1)


# -- finished slides: serialised at once ------------------------------------------------


#: slides between two collections of the youngest generation (`between_slides`)
COLLECT_EVERY = 32


def between_slides() -> None:
    """A slide is done and its objects unreferenced: every COLLECT_EVERY slides,
    collect the cycle collector's youngest generation (what was made since the
    last time), which frees the finished slides' XML trees even where the
    collector is off. Called where no slide is in progress, so none is kept."""
    session = current()
    if session is None:
        return
    session.slides_done += 1
    if session.slides_done % COLLECT_EVERY == 0:
        import gc

        gc.collect(0)


@functools.cache
def _frozen() -> type:
    from pptx.opc.package import Part

    class FrozenPart(Part):
        """A part whose XML was serialised when its slide was finished.

        It keeps its name, content type, package and relationships (what saving
        reads) and the bytes python-pptx would have written at save; its XML
        tree, and the objects python-pptx cached over it, are released.
        """

    return FrozenPart


#: the relationship types of the parts that belong to one slide alone
_SLIDE_OWN = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide",
)
_KEPT = ("_partname", "_content_type", "_package", "_rels")


def finished(slide: Any) -> None:
    """`slide` is complete: serialise its parts now and let their trees go.

    With the speed-ups off, nothing happens (python-pptx serialises at save).
    After this, the slide and its charts and notes are no longer python-pptx
    objects, only bytes: a renderer calls it once nothing will read them again.
    """
    if current() is None:
        return
    part = slide.part
    for rel in list(part.rels.values()):
        if not rel.is_external and rel.reltype in _SLIDE_OWN:
            _freeze(rel.target_part)
    _freeze(part)


def _freeze(part: Any) -> None:
    frozen = _frozen()
    if isinstance(part, frozen) or not hasattr(part, "_element"):
        return
    blob = part.blob  # exactly what save would write
    kept = {name: part.__dict__[name] for name in _KEPT if name in part.__dict__}
    part.__dict__.clear()
    part.__dict__.update(kept)
    part.__class__ = frozen
    part._blob = blob


def frozen_blob(part: Any) -> bytes | None:
    """The bytes `finished` serialised of `part` (None: a part not frozen)."""
    frozen: Any = _frozen()
    return part._blob if isinstance(part, frozen) else None


def frozen_part(partname: Any, content_type: str, package: Any, blob: bytes) -> Any:
    """A new part of `package` as `finished` leaves one: a name, a type, bytes."""
    return _frozen()(partname, content_type, package, blob)


def freeze_with(part: Any, blob: bytes) -> None:
    """`part` as `finished` leaves it, with `blob` for its bytes instead of its XML's
    (deckgen.render.shared: a slide kept from another deck)."""
    kept = {name: part.__dict__[name] for name in _KEPT if name in part.__dict__}
    part.__dict__.clear()
    part.__dict__.update(kept)
    part.__class__ = _frozen()
    part._blob = blob


# -- saving ----------------------------------------------------------------------


def save(prs: Any, copy: Callable[..., None] | None = None) -> bytes:
    """The bytes of `prs` in the normal form of `files.normalize`; `copy(zip, name,
    bytes, write)` writes each entry instead of `write` (deckgen.render.shared).

    With the speed-ups on, written in one pass: python-pptx's save compresses
    every part into a zip that `normalize` would decompress and compress again;
    this writes the same entries, in the same order ([Content_Types].xml, the
    package relationships, then each part followed by its relationships),
    straight into the normalised zip.
    """
    from deckgen.files import normalize, write_entry

    if current() is None:
        buffer = io.BytesIO()
        prs.save(buffer)
        return normalize(buffer.getvalue())
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.serialized import _ContentTypesItem

    def entry(dst: zipfile.ZipFile, name: str, blob: bytes) -> None:
        write_entry(dst, name, blob, stamps=False)

    def write(dst: zipfile.ZipFile, name: str, blob: bytes) -> None:
        if copy is None:
            entry(dst, name, blob)
        else:  # an entry a deck of the batch wrote before: compressed once
            copy(dst, name, blob, entry)

    package = prs.part.package
    parts = tuple(package.iter_parts())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        types = serialize_part_xml(_ContentTypesItem.xml_for(parts))
        write(dst, "[Content_Types].xml", types)
        write(dst, "_rels/.rels", rels_xml(package._rels))
        for part in parts:  # a deck's document dates are the spec's (set_properties)
            write(dst, part.partname.membername, part.blob)
            if part._rels:
                write(dst, part.partname.rels_uri.membername, rels_xml(part.rels))
    return out.getvalue()


#: relationships' XML by what it is made of (`rels_xml`); bounded, cleared when full
_RELS: dict[tuple, bytes] = {}
_RELS_LIMIT = 4096


def rels_xml(rels: Any) -> bytes:
    """`rels.xml` (python-pptx's `_Relationships`): made once for each set of
    relationships it is a function of (each one's id, type, target reference and
    mode), as a batch's decks and a deck's slides repeat them."""
    key = tuple((rId, r.reltype, r.target_ref, r.is_external) for rId, r in rels.items())
    blob = _RELS.get(key)
    if blob is None:
        blob = rels.xml
        if len(_RELS) >= _RELS_LIMIT:
            _RELS.clear()
        _RELS[key] = blob
    return blob
