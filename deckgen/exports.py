"""Tables of every figure a deck shows, for fact-checking and spreadsheets.

One row per value drawn on a slide (chart point or callout): slide, element,
label, formatted value, count, base, filter, question wording, published or
illustrative. Cells that a spreadsheet would run as a formula are escaped.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .formatting import format_number, format_percent, percent_value
from .results import Result

COLUMNS = ["slide", "title", "element", "label", "series", "value", "percent", "count", "base", "filter", "question", "status"]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def figure_rows(computed: list, locale: str = "fr") -> list[dict[str, object]]:
    rows = []
    for slide, element, result in computed:
        rows.extend(_rows(slide.number, slide.title, element, result, locale))
    return rows


def _rows(number: int, title: str, element: str, r: Result, locale: str) -> list[dict[str, object]]:
    out = []
    status = "publié" if r.published else "illustratif"
    for s in r.series:
        for k, label in enumerate(r.categories):
            v = s.values[k]
            if r.is_count:
                shown, pct = format_number(s.counts[k], locale), ""
            else:
                shown = format_percent(v, locale)
                pct = "" if v is None else float(percent_value(v))
            out.append({
                "slide": number, "title": title, "element": element, "label": label,
                "series": s.name, "value": shown, "percent": pct, "count": s.counts[k],
                "base": r.bases[k] if k < len(r.bases) else r.base, "filter": r.filter_text,
                "question": r.question_text, "status": status,
            })
    return out


def escape_cell(value: object) -> object:
    """Prefix text a spreadsheet would evaluate ('=SUM(…)', '+33…', '-x', '@x') with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: list[dict[str, object]], path: Path) -> Path:
    from .package import write_atomic

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: escape_cell(v) for k, v in row.items()})
    return write_atomic(buffer.getvalue().encode("utf-8-sig"), path)
