"""The workbook embedded in each chart (PowerPoint's "Edit data"), safe and deterministic.

python-pptx writes it with xlsxwriter, which stamps the current time and turns
any string starting with "=" into a formula and "http://..." into a link. This
subclass of its chart data (a subclass hook, not a patch) has xlsxwriter stamp
the fixed date of `files.normalize` and write every label as text: the bytes
`normalize` would give, and a category named `=HYPERLINK(...)` stays a name.

Because the bytes depend only on the chart's data, a workbook already written
for the same categories, series and number formats is reused (a batch of
personal decks embeds the same whole-sample workbooks in every deck).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter

from deckgen.files import FIXED_DATE


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


class _SafeWorkbookWriter(CategoryWorkbookWriter):
    @property
    def xlsx_blob(self) -> bytes:
        key = _content(self._chart_data)
        blob = _WRITTEN.get(key)
        if blob is None:
            blob = super().xlsx_blob
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
