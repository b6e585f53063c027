"""Survey files, one reader per format: CSV, XLSX, SPSS (.sav) and Stata (.dta).

Every reader gives a `Table`: the answers as text (a cell is text or empty,
whatever the file stored: `7` for a code SPSS keeps as 7.0), and what the file
says about its columns when it says anything (SPSS and Stata: variable labels,
value labels, user-missing codes). `deckgen init` builds a codebook from that;
loading the responses (deckgen.analysis.survey) reads only the answers. SPSS and Stata
files are read with pyreadstat, imported only for them. A new format is one
function here, listed in READERS, or an installed package's (`readers()`; see
ARCHITECTURE.md).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from deckgen.errors import DataError, suggest, valid_list

MAX_XLSX_BYTES = 300_000_000  # uncompressed: past this, openpyxl needs gigabytes (use CSV)


@dataclass
class Table:
    frame: pd.DataFrame  # one row per respondent, text or empty (NA), columns as in the file
    labels: dict[str, str] = field(default_factory=dict)  # column -> its question's wording
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> label
    missing: dict[str, list[str]] = field(default_factory=dict)  # column -> no-answer codes


def read(path: Path, sheet: str | None = None) -> Table:
    """The table of a survey file; any problem is a DataError naming the file and why.
    `sheet`: an XLSX workbook's sheet, by name (the codebook's `sheet:`)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"expected a data file, found a directory: {path}")
    if not path.is_file():  # a pipe or a device would be read forever
        raise DataError(f"{path}: not a regular file (a device or a pipe); give a CSV or XLSX file")
    suffix = path.suffix.lower()
    reader = readers().get(suffix)
    if reader is None:
        kinds = ", ".join(sorted(readers()))
        raise DataError(
            f"{path}: unsupported data file type `{suffix or '(none)'}`; expected one of {kinds}"
        )
    if sheet is not None and reader is not read_xlsx:
        raise DataError(f"{path}: `sheet: {sheet}` is for an XLSX workbook, not a {suffix} file")
    try:
        table = read_xlsx(path, sheet) if reader is read_xlsx else reader(path)
    except DataError:
        raise
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8 CSV"
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path}: the file is empty (no header, no rows)") from None
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: not a valid CSV file ({str(exc).strip()})") from None
    except (ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:  # not a workbook
        reason = re.sub(r"<_io\.\w+ object at 0x[0-9a-f]+>", "the file", str(exc))
        raise DataError(f"{path}: cannot read as {suffix[1:].upper()} ({reason})") from None
    frame = table.frame
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) == 1 and ";" in frame.columns[0]:
        raise DataError(
            f"{path}: the columns are separated by `;` (a French Excel CSV); deckgen reads CSV "
            "with commas: save as « CSV UTF-8 (délimité par des virgules) » or as .xlsx"
        )
    if frame.empty:
        raise DataError(f"{path}: no respondents (the file has a header but no rows)")
    return table


# -- CSV ------------------------------------------------------------------------------


def read_csv(path: Path) -> Table:
    # pandas' own reader, not engine="pyarrow" (3 to 6 times faster on 100,000 rows):
    # Arrow's aborts the process on memory limits (std::bad_alloc) and words a
    # malformed row otherwise; see the performance notes in docs/benchmark.md
    _check_csv_header(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    return Table(frame)


def _has_arrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def read_arrow_file(path: Path) -> Table:
    """A Parquet or Feather file (pyarrow), every cell as text as a CSV would give it:
    a whole number stored as a decimal is its code (7.0 is `7`), an empty cell NA."""
    if not _has_arrow():
        raise DataError(
            f"{path}: reading {path.suffix} files needs pyarrow (pip install pyarrow), or save "
            "the responses as CSV"
        )
    import pyarrow as pa

    reader = pd.read_parquet if path.suffix.lower() == ".parquet" else pd.read_feather
    try:
        frame = reader(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot read as {path.suffix[1:]} ({exc})") from None
    return Table(frame.apply(_as_text).astype(object))


def _as_text(column: pd.Series) -> pd.Series:
    """A column as the text a CSV cell would hold (NA stays NA)."""

    def text(value: Any) -> Any:
        if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            return pd.NA
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    return column.map(text, na_action=None).astype(object)


def _check_csv_header(path: Path) -> None:
    """Two columns with one name: pandas would rename the second `name.1`, silently."""
    with path.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh), [])
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        name = name.strip()
        if name in seen:
            raise DataError(
                f"{path}: the column `{name}` appears twice in the header (columns {seen[name]} "
                f"and {i}); each question's column must appear once"
            )
        seen[name] = i


# -- XLSX ----------------------------------------------------------------------------


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    """One sheet of a workbook: `sheet` by name, else the first visible one, after
    these checks: its size once uncompressed (a small file can expand to gigabytes),
    other sheets with rows (read silently, their answers would be lost: `sheet:`
    chooses), merged cells (all but the first read as empty, they would leave the
    base), formulas without a saved value (read as empty too)."""
    with zipfile.ZipFile(path) as z:
        size = sum(info.file_size for info in z.infolist())
        if size > MAX_XLSX_BYTES:
            raise DataError(
                f"{path}: the workbook holds {size / 1e6:,.0f} MB once uncompressed (more than "
                f"{MAX_XLSX_BYTES / 1e6:,.0f} MB); save the responses as CSV"
            )
        has_formulas = any(
            info.filename.startswith("xl/worksheets/") and b"<f" in z.read(info.filename)
            for info in z.infolist()
        )
    from openpyxl import load_workbook

    values = load_workbook(path, read_only=True, data_only=True)
    try:
        chosen = _sheet(path, values, sheet)
        _check_merged(path, chosen)
        if has_formulas:
            _check_formulas(path, chosen, values.worksheets.index(chosen))
        frame = pd.read_excel(path, sheet_name=chosen.title, dtype=str, engine="openpyxl")
        return Table(frame)
    finally:
        values.close()


def _sheet(path: Path, book: Any, name: str | None) -> Any:
    """The sheet of responses: `name`, else the first visible sheet, which must be the
    only visible sheet with rows (a second one would be left out without a word)."""
    sheets = book.worksheets
    if name is not None:
        found = next((ws for ws in sheets if ws.title == name), None)
        if found is None:
            titles = [ws.title for ws in sheets]
            raise DataError(
                f"{path}: no sheet `{name}` in the workbook{suggest(name, titles)}; its sheets: "
                f"{valid_list(titles)}"
            )
        return found
    visible = [ws for ws in sheets if ws.sheet_state == "visible"] or sheets
    first = visible[0]
    # hidden sheets with rows (lists behind drop-downs) are not the responses
    others = [ws.title for ws in visible if ws is not first and (ws.max_row or 0) > 1]
    say = "say which holds the responses with `sheet:` in the codebook's `survey:`"
    if others and (first.max_row or 0) <= 1:
        raise DataError(
            f"{path}: the first sheet `{first.title}` has no respondents, but the sheet "
            f"`{others[0]}` has rows: {say} (or move it first)"
        )
    if others:
        raise DataError(
            f"{path}: rows on several sheets: `{first.title}` (the first visible one) and "
            f"{valid_list(others)}; {say} (or remove the others)"
        )
    return first


def _check_merged(path: Path, sheet: Any) -> None:
    """Merged cells read as empty but for the first: name them."""
    import re as _re

    with zipfile.ZipFile(path) as z:
        target = _sheet_part(z, sheet.title)
        xml = z.read(target) if target is not None else b""
    ranges = _re.findall(rb'<mergeCell[^>]*\bref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"', xml)
    if ranges:
        shown = ", ".join(r.decode() for r in ranges[:5]) + (" …" if len(ranges) > 5 else "")
        raise DataError(
            f"{path}: merged cells in the sheet `{sheet.title}` ({shown}): all but the first "
            "cell of each read as empty, as if those respondents had not answered; unmerge "
            "them and fill every cell"
        )


def _sheet_part(z: zipfile.ZipFile, title: str) -> str | None:
    """The zip part of the sheet named `title` (xl/workbook.xml and its relationships)."""
    import re as _re

    book = z.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for tag in _re.findall(r"<(?:\w+:)?sheet\b[^>]*>", book):
        name = _re.search(r'\bname="([^"]*)"', tag)
        rid = _re.search(r'\br:id="([^"]*)"|\bid="([^"]*)"', tag)
        if name is None or rid is None or _unescape(name.group(1)) != title:
            continue
        wanted = rid.group(1) or rid.group(2)
        for rel in _re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", rels):
            if f'Id="{wanted}"' in rel:
                target = _re.search(r'Target="([^"]*)"', rel)
                if target is not None:
                    part = target.group(1).lstrip("/")
                    return part if part.startswith("xl/") else f"xl/{part}"
    return None


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _check_formulas(path: Path, sheet: Any, index: int) -> None:
    """A formula cell whose value was never saved (a workbook written by a program,
    not saved by Excel) reads as empty: name the cell."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        rows = formulas.worksheets[index].iter_rows()
        for row, saved in zip(rows, sheet.iter_rows()):
            for cell, value in zip(row, saved):
                if cell.data_type == "f" and value.value is None:
                    raise DataError(
                        f"{path}: cell {sheet.title}!{cell.coordinate} holds the formula "
                        f"`{str(cell.value)[:60]}` with no saved value (the workbook was written "
                        "by a program, not saved by a spreadsheet): open and save it in a "
                        "spreadsheet, or write the value itself"
                    )
    finally:
        formulas.close()


# -- SPSS and Stata --------------------------------------------------------------------


def _pyreadstat() -> Any:
    try:
        import pyreadstat
    except ImportError:  # pragma: no cover - pinned in requirements.lock
        raise DataError("SPSS and Stata files need pyreadstat: pip install pyreadstat") from None
    return pyreadstat


def read_spss(path: Path) -> Table:
    """An SPSS file, its user-missing codes kept as codes (and declared as missing)."""
    frame, meta = _pyreadstat().read_sav(str(path), user_missing=True)
    missing: dict[str, list[str]] = {}
    for column, values in (getattr(meta, "missing_user_values", None) or {}).items():
        missing[column] = [t for v in values if (t := _text(v)) is not None]
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in ranges:
            low, high = r.get("lo"), r.get("hi")
            if isinstance(low, (int, float)) and low == high and (code := _text(low)):
                missing.setdefault(column, []).append(code)
    return _from_stats(frame, meta, missing)


def read_stata(path: Path) -> Table:
    frame, meta = _pyreadstat().read_dta(str(path))
    return _from_stats(frame, meta, {})


def _from_stats(frame: pd.DataFrame, meta: Any, missing: dict[str, list[str]]) -> Table:
    text = pd.DataFrame({col: frame[col].map(_text) for col in frame.columns}, index=frame.index)
    text = text.astype("object").where(text.notna(), None)
    labels = {c: str(v) for c, v in (meta.column_names_to_labels or {}).items() if v}
    value_labels = {
        col: {str(_text(code)): str(label) for code, label in table.items()}
        for col, table in (meta.variable_value_labels or {}).items()
    }
    return Table(text, labels, value_labels, {c: v for c, v in missing.items() if v})


def _text(value: object) -> str | None:
    """A statistical file's value as a survey cell: 7.0 -> '7', NaN -> empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


READERS: dict[str, Callable[[Path], Table]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".sav": read_spss,
    ".zsav": read_spss,
    ".dta": read_stata,
    ".parquet": read_arrow_file,
    ".feather": read_arrow_file,
}


def readers() -> dict[str, Callable[[Path], Table]]:
    """READERS with the readers installed packages add: entry points of the group
    `deckgen.readers`, each named by the file extension it reads (`psv` or `.psv`),
    loaded on first use; a plug-in may not replace one of deckgen's."""
    _plug_in_readers()
    return READERS


@functools.cache
def _plug_in_readers() -> None:
    from deckgen.errors import PluginError
    from deckgen.registry import plugged

    for name, reader in plugged("deckgen.readers", callable, "a reader function (path) -> Table"):
        suffix = "." + name.lower().lstrip(".")
        if suffix in READERS:
            raise PluginError(f"plug-in reader `{name}` (deckgen.readers): deckgen reads "
                              f"{suffix} files already")  # fmt: skip
        READERS[suffix] = reader
