"""The workbook embedded in each chart (PowerPoint's "Edit data"), safe and deterministic.

python-pptx writes it with xlsxwriter, which stamps the current time and turns
any string starting with "=" into a formula and "http://..." into a link. This
subclass of its chart data (a subclass hook, not a patch) has xlsxwriter stamp
the fixed date of `files.normalize` and write every label as text: the bytes
`normalize` would give, and a category named `=HYPERLINK(...)` stays a name.

Because the bytes depend only on the chart's data, a workbook already written
for the same categories, series and number formats is reused (a batch of
personal decks embeds the same whole-sample workbooks in every deck). A workbook
whose data differ from one written before by the categories' names alone (a
personal deck's marked labels) is that one with its shared strings written
again (`_relabelled`): the bytes xlsxwriter writes, compared with it by
tests/test_marks.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from deckgen.files import FIXED_DATE, write_packed


class ChartData(CategoryChartData):
    """python-pptx's CategoryChartData, its embedded workbook written as said above."""

    @functools.cached_property
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _SafeWorkbookWriter(self)


#: workbook bytes by chart data (see `_content`); bounded, cleared when full
_WRITTEN: dict[tuple, bytes] = {}
_WRITTEN_LIMIT = 512


def _content(data: CategoryChartData) -> tuple:
    """Everything the workbook writer reads of `data`."""
    categories = data.categories
    return (
        categories.depth,
        tuple(tuple(level) for level in categories.levels),
        categories.number_format,
        tuple((s.name, tuple(s.values), s.number_format) for s in data),
    )


#: a workbook written, by what its data hold but the categories' names (`_shape`)
_SHAPES: dict[tuple, tuple[tuple[str, ...], bytes]] = {}


def _shape(key: tuple) -> tuple | None:
    """What a workbook's bytes depend on but its categories' names, where those and
    the series' names are text xlsxwriter writes as one shared string each (distinct,
    not empty, no formula, no rich text); else None."""
    depth, levels, number_format, series = key
    if depth != 1:
        return None
    strings = [name for _, name in levels[0]] + [s[0] for s in series]
    if len(set(strings)) != len(strings) or not all(
        isinstance(s, str) and 0 < len(s) <= 32767 and not s.startswith(("{=", "<r>"))
        for s in strings
    ):
        return None
    return (len(levels[0]), tuple(off for off, _ in levels[0]), number_format, series)


class _SafeWorkbookWriter(CategoryWorkbookWriter):
    @property
    def xlsx_blob(self) -> bytes:
        key = _content(self._chart_data)
        blob = _WRITTEN.get(key)
        if blob is None:
            shape = _shape(key)
            kept = _SHAPES.get(shape) if shape is not None else None
            names = tuple(name for _, name in key[1][0]) if shape is not None else ()
            if kept is not None:
                blob = _relabelled(kept[1], names + tuple(s[0] for s in key[3]))
            else:
                blob = super().xlsx_blob
                if shape is not None:
                    if len(_SHAPES) >= _WRITTEN_LIMIT:
                        _SHAPES.clear()
                    _SHAPES[shape] = (names, blob)
            if len(_WRITTEN) >= _WRITTEN_LIMIT:
                _WRITTEN.clear()
            _WRITTEN[key] = blob
        return blob

    @contextlib.contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Any, Any]]:
        from xlsxwriter import Workbook

        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = Workbook(xlsx_file, options)
        workbook.set_properties({"created": dt.datetime(*FIXED_DATE)})
        yield workbook, workbook.add_worksheet()
        workbook.close()


def _relabelled(blob: bytes, strings: tuple[str, ...]) -> bytes:
    """The workbook `blob` with `strings` (its categories' names, then its series')
    as its shared strings, each its own (`_shape`): xlsxwriter's own writer of that
    part, and the package zipped again entry by entry as xlsxwriter zips it (each
    entry's name, date and attributes kept)."""
    import io
    import zipfile

    from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

    table = SharedStringTable()
    for string in strings:
        table._get_shared_string_index(string)
    table._sort_string_data()
    writer = SharedStrings()
    writer.string_table = table
    text = io.StringIO()
    writer._set_filehandle(text)
    writer._assemble_xml_file()
    shared = text.getvalue().encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info, packed in _packed(blob):
            entry = zipfile.ZipInfo(info.filename, info.date_time)
            for name in ("compress_type", "external_attr", "create_system", "create_version"):
                setattr(entry, name, getattr(info, name))
            entry.extract_version = info.extract_version
            if info.filename == "xl/sharedStrings.xml":
                dst.writestr(entry, shared)
            else:  # its compressed bytes as they are: the same bytes compressed again
                write_packed(dst, entry, info.CRC, info.file_size, packed)
    return out.getvalue()


@functools.lru_cache(maxsize=64)
def _packed(blob: bytes) -> tuple[tuple[Any, bytes], ...]:
    """Each entry of the zip `blob`: its header as read, and its compressed bytes."""
    import io
    import struct
    import zipfile

    entries = []
    with zipfile.ZipFile(io.BytesIO(blob)) as src:
        for info in src.infolist():
            at = info.header_offset
            name, extra = struct.unpack("<HH", blob[at + 26 : at + 30])  # the local header's
            start = at + 30 + name + extra
            entries.append((info, blob[start : start + info.compress_size]))
    return tuple(entries)
