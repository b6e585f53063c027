"""The .pptx package: linear part naming, deterministic bytes, atomic writes.

- python-pptx finds a free part name (`/ppt/charts/chart7.xml`) by walking every
  part of the package each time (`OpcPackage.next_partname`), so a deck's build
  time grows with the square of its size. `fast_partnames` replaces that, for
  one package, with a counter per name template, seeded once from the parts
  that exist.
- python-pptx's FreeformBuilder recomputes a shape's offset (a scan over all its
  points) for every point it writes, so drawing a region of n points costs n^2:
  `fast_freeforms` computes the offset once per shape (same XML).
- A build must give identical bytes for identical inputs: `normalize` rewrites
  the zip with fixed entry dates and fixed document timestamps, including those
  of the workbooks embedded in charts.
- `write_atomic` writes next to the target and renames, so a failed build never
  leaves a half-written deck or loses the previous one.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import types
import zipfile
from pathlib import Path

from pptx.opc.packuri import PackURI

from .errors import OutputError

FIXED_DATE = (2021, 7, 1, 0, 0, 0)
FIXED_ISO = "2021-07-01T00:00:00Z"
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def fast_partnames(prs) -> None:
    """Give `prs`'s package an O(1) next_partname (see module docstring)."""
    package = prs.part.package
    counters: dict[str, int] = {}

    def next_partname(self, tmpl: str) -> PackURI:
        if tmpl not in counters:
            pattern = re.compile("^" + re.escape(tmpl).replace("%d", r"(\d+)") + "$")
            used = [int(m.group(1)) for p in self.iter_parts() if (m := pattern.match(str(p.partname)))]
            counters[tmpl] = max(used, default=0)
        counters[tmpl] += 1
        return PackURI(tmpl % counters[tmpl])

    package.next_partname = types.MethodType(next_partname, package)


def fast_freeforms() -> None:
    """Make python-pptx's FreeformBuilder.convert_to_shape linear (see module docstring).

    The shape's offsets are computed once (by python-pptx's own properties, which
    also serve `_left`/`_top`/`_width`/`_height` while the shape is added), and the
    whole `a:path` (`<a:moveTo><a:pt x= y=/></a:moveTo>`, `a:lnTo`, `a:close`...)
    is written as text and parsed once: the XML python-pptx writes, without a
    scan of every point and a trip through its element factory per point.
    Idempotent.
    """
    from pptx.oxml import parse_xml
    from pptx.oxml.ns import nsdecls
    from pptx.shapes.freeform import FreeformBuilder, _Close, _LineSegment, _MoveTo

    if getattr(FreeformBuilder, "_deckgen_linear", False):
        return
    offset_x, offset_y = FreeformBuilder.shape_offset_x, FreeformBuilder.shape_offset_y
    original = FreeformBuilder.convert_to_shape
    point = {_LineSegment: '<a:lnTo><a:pt x="%d" y="%d"/></a:lnTo>', _MoveTo: '<a:moveTo><a:pt x="%d" y="%d"/></a:moveTo>'}
    known = {_Close, *point}
    ns = nsdecls("a")

    def frozen(prop: property, axis: int) -> property:
        def get(self):
            offsets = self.__dict__.get("_deckgen_offsets")
            return offsets[axis] if offsets is not None else prop.fget(self)

        return property(get, doc=prop.__doc__)

    def convert_to_shape(self, origin_x=0, origin_y=0):
        if any(type(op) not in known for op in self._drawing_operations):
            return original(self, origin_x, origin_y)  # an operation this code does not know
        ox, oy = offset_x.fget(self), offset_y.fget(self)
        self.__dict__["_deckgen_offsets"] = (ox, oy)
        try:
            sp = self._add_freeform_sp(origin_x, origin_y)
            path = self._start_path(sp)  # python-pptx's a:path, w, h and first a:moveTo
            parts = []
            for op in self._drawing_operations:
                kind = type(op)
                parts.append("<a:close/>" if kind is _Close else point[kind] % (op.x - ox, op.y - oy))
            head = "".join(f' {k}="{v}"' for k, v in path.attrib.items())
            filled = parse_xml(f"<a:path {ns}{head}>" + "".join(parts) + "</a:path>")
            filled.insert(0, path[0])
            path.getparent().replace(path, filled)
        finally:
            del self.__dict__["_deckgen_offsets"]
        return self._shapes._shape_factory(sp)

    convert_to_shape.__doc__ = FreeformBuilder.convert_to_shape.__doc__
    FreeformBuilder.shape_offset_x = frozen(offset_x, 0)
    FreeformBuilder.shape_offset_y = frozen(offset_y, 1)
    FreeformBuilder.convert_to_shape = convert_to_shape
    FreeformBuilder._deckgen_linear = True


def set_core_properties(prs, title: str, subject: str | None = None) -> None:
    import datetime as dt

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


def normalize(data: bytes) -> bytes:
    """Same content, deterministic bytes: fixed zip dates and document timestamps."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            _write_entry(dst, info.filename, src.read(info.filename))
    return out.getvalue()


def _write_entry(dst: zipfile.ZipFile, name: str, blob: bytes) -> None:
    """One zip entry, as `normalize` writes it: fixed date, no clock time inside."""
    if name.endswith(".xlsx"):
        blob = normalize(blob)
    elif name.endswith("core.xml"):
        blob = _STAMP.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", blob)
    entry = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    dst.writestr(entry, blob)


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
        _write_entry(dst, "[Content_Types].xml", serialize_part_xml(_ContentTypesItem.xml_for(parts)))
        _write_entry(dst, "_rels/.rels", package._rels.xml)
        for part in parts:
            _write_entry(dst, part.partname.membername, part.blob)
            if part._rels:
                _write_entry(dst, part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()


def write_atomic(data: bytes, target: Path) -> Path:
    """Write `data` to `target` via a temporary file in the same folder, then rename."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: a directory is in its place")
    folder = target.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputError(f"cannot write {target}: {existing} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror}") from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror}; the previous file is unchanged") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror}; the previous file is unchanged") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
