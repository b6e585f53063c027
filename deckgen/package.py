"""The .pptx package: linear part naming, deterministic bytes.

- python-pptx finds a free part name (`/ppt/charts/chart7.xml`) by walking every
  part of the package each time (`OpcPackage.next_partname`), so a deck's build
  time grows with the square of its size. `fast_partnames` replaces that, for
  one package, with a counter per name template, seeded once from the parts
  that exist. Likewise `fast_relationships` indexes the presentation part's
  relationships, which python-pptx scans in full each time a slide is added,
  and `fast_slide_ids` counts slide ids instead of reading them all per slide.
- python-pptx's FreeformBuilder recomputes a shape's offset (a scan over all its
  points) for every point it writes, so drawing a region of n points costs n^2:
  `fast_freeforms` computes the extents once per shape and writes the path in
  one go (same XML). After each shape added to a group python-pptx recomputes
  the group's extents from all its children: `fast_groups` makes that cheap.
- `save_normalized` writes the deck straight into the deterministic form of
  `files.normalize`. The workbooks embedded in charts are written already in
  that form (`ChartData`: xlsxwriter with the fixed creation date, and its own
  fixed entry date, 1980-01-01), so saving a deck need not rewrite each one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import re
import types
import zipfile

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.opc.packuri import PackURI

from .files import FIXED_DATE, write_entry


def fast_partnames(prs) -> None:
    """Give `prs`'s package an O(1) next_partname (see module docstring)."""
    package = prs.part.package
    counters: dict[str, int] = {}

    def next_partname(self, tmpl: str) -> PackURI:
        if tmpl not in counters:
            pattern = re.compile("^" + re.escape(tmpl).replace("%d", r"(\d+)") + "$")
            used = [
                int(m.group(1)) for p in self.iter_parts() if (m := pattern.match(str(p.partname)))
            ]
            counters[tmpl] = max(used, default=0)
        counters[tmpl] += 1
        return PackURI(tmpl % counters[tmpl])

    package.next_partname = types.MethodType(next_partname, package)


def fast_relationships(prs) -> None:
    """Give the presentation part's relationships an O(1) lookup (see module docstring).

    Each slide added relates the presentation part to it through
    `_Relationships.get_or_add`, which looks for an existing relationship by
    regrouping *all* the part's relationships by type: one scan per slide, n^2
    over a deck. This keeps, for that one collection, an index
    {(type, external, target): rId} in insertion order (so the first match wins,
    as in python-pptx), updated on each add; any other change (a relationship
    dropped) makes it rebuild, and a hit is checked against the relationship
    itself before it is trusted.
    """
    rels = prs.part.rels
    if "_get_matching" in vars(rels):
        return
    index: dict[tuple, str] = {}
    size = [-1]  # len(rels) the index describes; -1: rebuild before use
    add, pop = rels._add_relationship, rels.pop

    def target_of(rel):
        return rel.target_ref if rel.is_external else rel.target_part

    def rebuild() -> None:
        index.clear()
        for rel in rels._rels.values():
            index.setdefault((rel.reltype, rel.is_external, target_of(rel)), rel.rId)
        size[0] = len(rels._rels)

    def get_matching(reltype, target, is_external=False):
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

    def add_relationship(reltype, target, is_external=False):
        current = size[0] == len(rels._rels)
        rId = add(reltype, target, is_external)
        if current:
            index.setdefault((reltype, is_external, target), rId)
            size[0] = len(rels._rels)
        return rId

    def drop(rId):
        size[0] = -1
        return pop(rId)

    rels._get_matching = get_matching
    rels._add_relationship = add_relationship
    rels.pop = drop


def fast_slide_ids(prs) -> None:
    """Give `prs.slides.add_slide` an O(1) slide id (see module docstring).

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

    def add_slide(slide_layout):
        if len(lst):
            last[0] = max(last[0], int(lst[-1].get("id")))
        if last[0] >= max_id:
            return original(slides, slide_layout)
        rId, slide = slides.part.add_slide(slide_layout)
        slide.shapes.clone_layout_placeholders(slide_layout)
        last[0] += 1
        lst._add_sldId(id=last[0], rId=rId)
        return slide

    add_slide.__doc__ = original.__doc__
    slides.add_slide = add_slide


def fast_freeforms() -> None:
    """Make python-pptx's FreeformBuilder.convert_to_shape linear (see module docstring).

    The shape's extents (offsets `shape_offset_x/y`, sizes `_dx/_dy`) are computed
    in one scan of the points and frozen while the shape is added (python-pptx
    scans all points for each of them, and for the offsets once per point), and the
    whole `a:path` (`<a:moveTo><a:pt x= y=/></a:moveTo>`, `a:lnTo`, `a:close`...)
    is written as text and parsed once: the XML python-pptx writes, without a
    scan of every point and a trip through its element factory per point.
    Idempotent.
    """
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.shapes.freeform import FreeformBuilder, _Close, _LineSegment, _MoveTo
    from pptx.util import Emu

    if getattr(FreeformBuilder, "_deckgen_linear", False):
        return
    offset_x, offset_y = FreeformBuilder.shape_offset_x, FreeformBuilder.shape_offset_y
    size_x, size_y = FreeformBuilder._dx, FreeformBuilder._dy
    original = FreeformBuilder.convert_to_shape
    point = {
        _LineSegment: '<a:lnTo><a:pt x="%d" y="%d"/></a:lnTo>',
        _MoveTo: '<a:moveTo><a:pt x="%d" y="%d"/></a:moveTo>',
    }
    known = {_Close, *point}
    ns = nsdecls("a")

    def frozen(prop: property, axis: int) -> property:
        def get(self):
            extents = self.__dict__.get("_deckgen_extents")
            return extents[axis] if extents is not None else prop.fget(self)

        return property(get, doc=prop.__doc__)

    def convert_to_shape(self, origin_x=0, origin_y=0):
        ops = self._drawing_operations
        if any(type(op) not in known for op in ops):
            return original(self, origin_x, origin_y)  # an operation this code does not know
        points = [op for op in ops if type(op) is not _Close]
        xs = [self._start_x, *(op.x for op in points)]
        ys = [self._start_y, *(op.y for op in points)]
        ox, oy = Emu(min(xs)), Emu(min(ys))
        self.__dict__["_deckgen_extents"] = (ox, oy, Emu(max(xs) - ox), Emu(max(ys) - oy))
        try:
            sp = self._add_freeform_sp(origin_x, origin_y)
            path = self._start_path(sp)  # python-pptx's a:path, w, h and first a:moveTo
            parts = []
            for op in ops:
                kind = type(op)
                parts.append(
                    "<a:close/>" if kind is _Close else point[kind] % (op.x - ox, op.y - oy)
                )
            head = "".join(f' {k}="{v}"' for k, v in path.attrib.items())
            filled = parse_xml(f"<a:path {ns}{head}>" + "".join(parts) + "</a:path>")
            filled.insert(0, path[0])
            path.getparent().replace(path, filled)
        finally:
            del self.__dict__["_deckgen_extents"]
        return self._shapes._shape_factory(sp)

    convert_to_shape.__doc__ = FreeformBuilder.convert_to_shape.__doc__
    FreeformBuilder.shape_offset_x = frozen(offset_x, 0)
    FreeformBuilder.shape_offset_y = frozen(offset_y, 1)
    FreeformBuilder._dx = frozen(size_x, 2)
    FreeformBuilder._dy = frozen(size_y, 3)
    FreeformBuilder.convert_to_shape = convert_to_shape
    FreeformBuilder._deckgen_linear = True


def fast_oxml() -> None:
    """Memoise python-pptx's two hottest pure functions; same results, a fraction of the time.

    - `qn("a:solidFill")` turns a prefixed tag into Clark notation by building a
      helper object each call (hundreds of thousands of calls in a large deck);
      it depends only on its argument, so an unbounded cache is exact.
    - `BaseOxmlElement.xpath(expr)` has lxml compile `expr` on every call; a
      compiled `etree.XPath` per expression (a few dozen distinct ones) returns
      the same nodes.
    Modules that imported `qn` by name get the memoised one too. Idempotent.
    """
    import functools
    import sys

    from lxml import etree
    from pptx.oxml import ns, xmlchemy

    if getattr(xmlchemy.BaseOxmlElement, "_deckgen_xpath", False):
        return
    original_qn = ns.qn
    cached_qn = functools.lru_cache(maxsize=None)(original_qn)
    for name, module in list(sys.modules.items()):
        if name.startswith("pptx") and getattr(module, "qn", None) is original_qn:
            module.qn = cached_qn

    nsmap = ns._nsmap
    compiled: dict[str, etree.XPath] = {}

    def xpath(self, xpath_str: str):
        finder = compiled.get(xpath_str)
        if finder is None:
            finder = compiled[xpath_str] = etree.XPath(xpath_str, namespaces=nsmap)
        return finder(self)

    xpath.__doc__ = xmlchemy.BaseOxmlElement.xpath.__doc__
    xmlchemy.BaseOxmlElement.xpath = xpath
    xmlchemy.BaseOxmlElement._deckgen_xpath = True


def fast_groups() -> None:
    """Make python-pptx's group extents cheap to recompute (see module docstring).

    python-pptx recomputes a group's position and size after every shape added to
    it, reading each child's x, y, cx and cy through six property chains (x and y
    twice). This reads each child's `a:off`/`a:ext` once, straight from its
    `a:xfrm`: the same numbers; a child python-pptx would read another way (no
    transform, a universal measure such as "1in", a class of its own) sends the
    whole computation back to python-pptx. Idempotent.
    """
    from pptx.oxml.ns import qn
    from pptx.oxml.shapes.groupshape import CT_GroupShape
    from pptx.oxml.shapes.shared import BaseShapeElement
    from pptx.util import Emu

    if getattr(CT_GroupShape, "_deckgen_linear", False):
        return
    original = CT_GroupShape._child_extents
    off_tag, ext_tag = qn("a:off"), qn("a:ext")
    names = ("x", "y", "cx", "cy")
    base = tuple(getattr(BaseShapeElement, n) for n in names)
    plain: dict[type, bool] = {}

    def child_extents(self):
        boxes = []
        for elm in self.iter_shape_elms():
            kind = type(elm)
            if kind not in plain:
                plain[kind] = tuple(getattr(kind, n, None) for n in names) == base
            xfrm = elm.xfrm if plain[kind] else None
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

    CT_GroupShape._child_extents = property(child_extents, doc=original.__doc__)
    CT_GroupShape._deckgen_linear = True


def set_core_properties(prs, title: str, subject: str | None = None) -> None:
    core = prs.core_properties
    core.title = title
    core.subject = subject or ""
    core.author = "deckgen"
    core.last_modified_by = "deckgen"
    core.revision = 1
    stamp = dt.datetime(*FIXED_DATE)
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp


class ChartData(CategoryChartData):
    """python-pptx's CategoryChartData, its embedded workbook written in normal form.

    python-pptx has xlsxwriter stamp the workbook with the current time; here
    it gets FIXED_ISO, and xlsxwriter dates every entry WORKBOOK_DATE: the
    bytes `normalize` would give, so saving keeps them as they are. Labels are
    written as strings, never as formulas or links, whatever they start with.
    """

    @functools.cached_property
    def _workbook_writer(self):
        return _FixedDateWorkbookWriter(self)


class _FixedDateWorkbookWriter(CategoryWorkbookWriter):
    @contextlib.contextmanager
    def _open_worksheet(self, xlsx_file):
        from xlsxwriter import Workbook

        # every label is text: a category or series name starting with "=" must not
        # become a formula (=HYPERLINK(...)), nor "http://..." a link
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = Workbook(xlsx_file, options)
        workbook.set_properties({"created": dt.datetime(*FIXED_DATE)})
        yield workbook, workbook.add_worksheet()
        workbook.close()


def save_normalized(prs) -> bytes:
    """`normalize(bytes of prs.save())`, written in one pass.

    python-pptx's save compresses every part into a zip that `normalize` would
    then decompress and compress again; this writes the same entries, in the
    same order ([Content_Types].xml, the package relationships, then each part
    followed by its relationships), straight into the normalized zip.
    """
    from pptx.opc.oxml import serialize_part_xml
    from pptx.opc.serialized import _ContentTypesItem

    package = prs.part.package
    parts = tuple(package.iter_parts())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        write_entry(
            dst, "[Content_Types].xml", serialize_part_xml(_ContentTypesItem.xml_for(parts))
        )
        write_entry(dst, "_rels/.rels", package._rels.xml)
        for part in parts:
            write_entry(dst, part.partname.membername, part.blob)
            if part._rels:
                write_entry(dst, part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
