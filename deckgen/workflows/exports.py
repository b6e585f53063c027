"""Tables of every figure a deck shows, for fact-checking and spreadsheets.

One row per value drawn on a slide (chart point or callout): slide, element,
label, formatted value, count, base (respondents), with weights the weighted count
beside the weighted percentage and the effective base, filter, question wording,
and its own
provenance: published (that figure, not merely its question), illustrative or the
survey's. Cells that a spreadsheet would run as a formula are escaped.
`write_csv` writes them as CSV, `write_xlsx` as a workbook laid out for a
spreadsheet user (bold frozen header, filters, widths, real percent numbers).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from deckgen.analysis.results import Result
from deckgen.locales import words
from deckgen.locales.numbers import (
    format_number,
    format_percent,
    percent_number_format,
    percent_value,
)
from deckgen.wording.phrases import value_text

COLUMNS = [
    "slide",
    "title",
    "element",
    "label",
    "series",
    "value",
    "percent",
    "weighted_count",
    "count",
    "base",
    "effective_base",
    "filter",
    "question",
    "status",
    "weighted",
    "test",
    "p",
    "p_adjusted",
    "significance",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def figure_rows(computed: list, locale: str = "fr") -> list[dict[str, object]]:
    """One row per value drawn: `computed` is build.plan's (slide plan, element, result) list.

    A callout's row is labelled with its option (or, for a scalar, its sentence).
    """
    rows = []
    for slide, element, result in computed:
        sentence = ""
        if element.startswith("callout "):
            k = int(element.split()[1]) - 1
            if k < len(slide.callouts):
                sentence = slide.callouts[k].text.replace("**", "")
        rows.extend(_rows(slide.number, slide.title, element, result, locale, sentence))
    return rows


def _rows(
    number: int, title: str, element: str, r: Result, locale: str, sentence: str = ""
) -> list[dict[str, object]]:
    out = []
    w = words(locale)
    for s in r.series:
        for k, label in enumerate(r.categories):
            v = s.values[k]
            pct: str | float
            withheld = v is None and bool(r.withheld)  # the disclosure rule's blank
            if withheld:
                shown, pct = w("not_available"), ""
            elif r.is_count:
                shown, pct = format_number(s.counts[k], locale), ""
            elif r.measure:  # a mean, a median: the number itself, in its unit
                shown, pct = value_text(r, v, w), ""
            else:
                shown = format_percent(v, locale)
                pct = "" if v is None else float(percent_value(v))
            out.append(
                {
                    "slide": number,
                    "title": title,
                    "element": element,
                    "label": label or sentence,
                    "series": s.name,
                    "value": shown,
                    "percent": pct,
                    "weighted_count": "" if withheld else _weighted(r, s.weighted_counts, k),
                    "count": "" if withheld else s.counts[k],
                    "base": r.bases_of(s)[k] if k < len(r.bases_of(s)) else r.base,
                    "effective_base": _weighted(r, s.effective, k),
                    "filter": r.filter_text,
                    "question": r.question_text,
                    "status": w(f"status_{r.status_of(s, k)}"),  # per figure
                    "weighted": w("yes") if r.weighted else w("no"),
                    "test": _test_name(r, s, k, w),
                    "p": _p_value(r, s, k),
                    "p_adjusted": _p_value(r, s, k, adjusted=True),
                    "significance": s.marks[k] if k < len(s.marks) else "",
                }
            )
    return out


def _weighted(r: Result, values: tuple[float, ...], k: int) -> object:
    """A weighted figure's weighted count or effective base (the weights normalised to
    average 1 over the respondents), to one decimal; blank unweighted."""
    if not r.weighted or k >= len(values):
        return ""
    return round(float(values[k]), 1)


def _test_name(r: Result, s: Any, k: int, w: Any) -> str:
    """The test a figure had (pairwise: the tests of its pairs), blank when none ran."""
    from deckgen.analysis.results import TESTS, pair_tests

    if not r.test or s.total:
        return ""
    if r.compared == "pairwise":
        k_series = r.series.index(s)
        used = {
            how
            for (j, a, b, p, _sign), how in zip(r.pairwise, pair_tests(r))
            if j == k and k_series in (a, b) and p is not None
        }
    else:
        used = {s.tested[k]} if k < len(s.tested) else set()
    return ", ".join(w(f"test_{t}") for t in TESTS if t in used)


def _p_value(r: Result, s: Any, k: int, adjusted: bool = False) -> object:
    """The p-value of a segment's figure against the rest, or (`adjusted`) as the
    correction for multiple comparisons left it (blank when not tested)."""
    from deckgen.analysis.results import TESTS

    if r.compared != "rest" or k >= len(s.p) or s.p[k] is None:
        return ""
    if k < len(s.tested) and s.tested[k] not in TESTS:
        return ""
    if adjusted:
        p = s.adjusted[k] if k < len(s.adjusted) else None
        return "" if p is None else round(float(p), 6)
    return round(float(s.p[k]), 6)


def escape_cell(value: object) -> object:
    """Prefix text a spreadsheet would evaluate ('=SUM(…)', '+33…', '-x', '@x') with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: list[dict[str, object]], path: Path) -> Path:
    return write_table_csv(list(COLUMNS), [[row.get(k, "") for k in COLUMNS] for row in rows], path)


def write_table_csv(
    header: list[str],
    rows: Sequence[Sequence[object]],
    path: Path,
    delimiter: str = ",",
    into_folder: bool = False,
) -> Path:
    """A table as CSV for spreadsheets: UTF-8 with a byte-order mark, text that a
    spreadsheet would evaluate escaped (`escape_cell`), written atomically. `delimiter`:
    `;` for the change report of a deck whose numbers take a decimal comma; the figure
    table (`indicators --csv`) keeps `,` and its numbers' decimal point, for programs.
    `into_folder`: a file deckgen names itself in a folder (files.write_atomic)."""
    from deckgen.files import write_atomic

    buffer = io.StringIO()
    # RFC 4180 line ends: the csv module quotes a field holding any character of the
    # line terminator, so a label with a bare CR stays one field (with "\n" it would not)
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([escape_cell(v) for v in row] for row in rows)
    return write_atomic(buffer.getvalue().encode("utf-8-sig"), path, into_folder=into_folder)


def write_table_xlsx(header: list[str], rows: list[list[str]], path: Path, sheet: str) -> Path:
    """A table of texts as an .xlsx, laid out as the figure table (`write_xlsx`)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append([escape_cell(v) if v else None for v in row])
        _as_text(ws)
    texts = [[h, *(str(row[i]) for row in rows)] for i, h in enumerate(header)]
    return _finish(wb, ws, texts, path)


def _as_text(ws: Any) -> None:
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text stays text, whatever it starts with


def _finish(wb: Any, ws: Any, columns: list[list[str]], path: Path) -> Path:
    """Bold frozen header with filters, widths from the content (`columns`: each
    column's texts, header first), printed titles; saved in normal form, atomically."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from deckgen.files import normalize, write_atomic

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center")
    ws.freeze_panes = "A2"
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(ws.max_row, 1)}"
    for i, texts in enumerate(columns, start=1):
        width = min(max(len(t) for t in texts) + 2, _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(i)].width = max(width, 8)
    ws.print_title_rows = "1:1"
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(normalize(buffer.getvalue()), path)


_MAX_WIDTH = 60


def xlsx_headers(locale: str) -> dict[str, str]:
    """Column headers of the workbook, for the people who read it (keys stay COLUMNS)."""
    return dict(words(locale).get("headers"))


def write_xlsx(
    rows: list[dict[str, object]], path: Path, locale: str = "fr", sheet: str | None = None
) -> Path:
    """The figure table as an .xlsx: one row per figure of the deck.

    Bold header row, frozen, with filters; column widths from the content; the
    percent as a number (0.97) shown as a percent ("97 %"), counts and bases as
    integers; text escaped so that no cell is run as a formula. Written
    atomically, with fixed timestamps (same rows, same bytes).
    """
    from openpyxl import Workbook

    headers = xlsx_headers(locale)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet or words(locale)("sheet")
    ws.append([headers[c] for c in COLUMNS])
    percent_format = percent_number_format(locale)
    pct_col = COLUMNS.index("percent") + 1
    for row in rows:
        values = []
        for key in COLUMNS:
            v: Any = row.get(key, "")
            if key == "percent":
                # the rounded percent the deck shows, as a fraction Excel formats
                v = None if v in ("", None) else float(v) / 100
            elif isinstance(v, str):
                v = escape_cell(v) if v else None
            values.append(v)
        ws.append(values)
        cell = ws.cell(row=ws.max_row, column=pct_col)
        cell.number_format = percent_format
        _as_text(ws)
    texts = [[headers[key]] + [_shown(row.get(key, ""), key) for row in rows] for key in COLUMNS]
    return _finish(wb, ws, texts, path)


def _shown(value: object, key: str) -> str:
    if key == "percent":
        return "100 %"
    return "" if value is None else str(value)
