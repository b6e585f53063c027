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

    While a shape is converted, its offsets are frozen at the values the original
    properties compute, so every `a:moveTo`/`a:lnTo` gets the same coordinates as
    before, from one scan instead of one per point. Idempotent.
    """
    from pptx.shapes.freeform import FreeformBuilder

    if getattr(FreeformBuilder, "_deckgen_linear", False):
        return
    offset_x, offset_y = FreeformBuilder.shape_offset_x, FreeformBuilder.shape_offset_y
    convert = FreeformBuilder.convert_to_shape

    def frozen(prop: property, axis: int) -> property:
        def get(self):
            offsets = self.__dict__.get("_deckgen_offsets")
            return offsets[axis] if offsets is not None else prop.fget(self)

        return property(get, doc=prop.__doc__)

    def convert_to_shape(self, *args, **kwargs):
        self.__dict__["_deckgen_offsets"] = (offset_x.fget(self), offset_y.fget(self))
        try:
            return convert(self, *args, **kwargs)
        finally:
            del self.__dict__["_deckgen_offsets"]

    convert_to_shape.__doc__ = convert.__doc__
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
            blob = src.read(info.filename)
            if info.filename.endswith(".xlsx"):
                blob = normalize(blob)
            elif info.filename.endswith("core.xml"):
                blob = _STAMP.sub(rb"\g<1>" + FIXED_ISO.encode() + rb"\g<2>", blob)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, blob)
    return out.getvalue()


def write_atomic(data: bytes, target: Path) -> Path:
    """Write `data` to `target` via a temporary file in the same folder, then rename."""
    target = Path(target)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: a directory is in its place")
    folder = target.parent
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
