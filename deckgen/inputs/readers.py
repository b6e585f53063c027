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
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from deckgen.errors import DataError, suggest, valid_list

# past this many columns, pandas' reader: Arrow's, with a pandas column each, takes several kB a
# column (a 1 MB file of 20,000 columns ran out of 500 MB of address space)
ARROW_MAX_COLUMNS = 2_000
MAX_XLSX_BYTES = 300_000_000  # uncompressed: past this, openpyxl needs gigabytes (use CSV)
# a sheet is read as a grid as wide as its farthest cell: 20 million cells is about 1.5 GB
MAX_XLSX_CELLS = 20_000_000
LARGE = 32_000_000  # bytes of a data file past which freed memory is kept (keep_freed)


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
    _keeping(path)
    try:
        table = read_xlsx(path, sheet) if reader is read_xlsx else reader(path)
    except DataError:
        raise
    except MemoryError:
        raise DataError(
            f"{path}: not enough memory to read it ({path.stat().st_size / 1e6:,.0f} MB); "
            "give the process more memory, or read a part of the responses"
        ) from None
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


def _keeping(path: Path) -> bool:
    """Whether `path` is a large file, read with freed memory kept (keep_freed): by its
    bytes, or a Parquet or Feather file by its cells (`_holds_many`)."""
    if path.suffix.lower() in (".parquet", ".feather"):
        return _holds_many(path)
    return path.stat().st_size >= LARGE and keep_freed()


CELL = 4  # bytes of a CSV cell, about (a code and its comma: 3.6 in bench/large_data.py's)


def _holds_many(path: Path) -> bool:
    """Whether a Parquet or Feather file holds as many cells as a CSV file of LARGE
    bytes, read with freed memory kept: its bytes say little of it (300,000 rows, 151
    columns: 11 MB of Parquet against 163 MB of CSV). The cells are counted from the
    file's metadata; a file whose metadata cannot be read is not large (its read says
    what is wrong), nor is any where pyarrow is not installed (its read says so)."""
    if not _has_arrow():
        return False
    import pyarrow as pa

    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            meta = pq.read_metadata(path)
            rows, columns = meta.num_rows, meta.num_columns
        else:
            with pa.memory_map(str(path)) as source:
                reader = pa.ipc.open_file(source)
                rows, columns = reader.count_rows(), len(reader.schema)
    except (pa.ArrowException, OSError):
        return False
    return rows * columns * CELL >= LARGE and keep_freed()


@functools.cache
def keep_freed() -> bool:
    """Keep the memory a large table's reading and checks free, for their next arrays,
    rather than give it back to the kernel and have it zeroed and mapped again: those
    arrays are of megabytes (a column of a million rows: 8 MB), made and dropped
    hundreds of times. On 1,000,000 rows, load_survey spent 12.7-14.1 s of CPU in the
    kernel for 19-21 s of wall time.

    So, once per process, where the C library is glibc: blocks under 32 MB come from
    its heap (M_MMAP_THRESHOLD: not mapped and unmapped each), and the heap's free top
    is not trimmed (M_TRIM_THRESHOLD); what was freed stays the process's until it
    ends. Not under an address-space limit (RLIMIT_AS), where memory kept for reuse
    could stand in the way of one large block. Whether it was done. (A Parquet or
    Feather file's columns are then converted with Arrow allocating from that heap
    too, `read_arrow_file`.)"""
    import ctypes
    import ctypes.util

    if not _threads_allowed():
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt  # glibc's; musl, macOS and Windows have none
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3  # glibc's malloc.h
    return bool(mallopt(m_mmap_threshold, 32 * 2**20) and mallopt(m_trim_threshold, 2**31 - 1))


# -- CSV ------------------------------------------------------------------------------


def read_csv(path: Path) -> Table:
    """A CSV file, every cell text or empty (NA). Where pyarrow is installed, Arrow's
    reader, each column dictionary-encoded (pandas categoricals: a code per cell, each
    distinct answer one string); a file Arrow refuses (a short or long row, bytes that
    are not UTF-8, no header) goes to pandas' reader, which says what is wrong as it
    always has. `DECKGEN_PANDAS_CSV=1` reads with pandas' reader only."""
    header = _check_csv_header(path)
    if _has_arrow() and os.environ.get("DECKGEN_PANDAS_CSV") != "1":
        frame = _arrow_csv(path, header)
        if frame is not None:
            return Table(frame)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    return Table(frame)


def _arrow_csv(path: Path, header: list[str]) -> pd.DataFrame | None:
    """The responses through pyarrow.csv, as pandas' reader reads them (only an empty
    cell is NA; the header as the csv module reads it, a byte-order mark dropped), or
    None when Arrow cannot read them alike (see read_csv).

    Under an address-space limit (RLIMIT_AS) Arrow reads on this thread alone: its
    thread pool aborts the process when a new thread cannot get memory (pandas'
    `engine="pyarrow"` died so, std::bad_alloc), while a read on this thread raises
    ArrowMemoryError; pandas' reader then reads the file, or runs out of memory
    itself, said as a DataError. A file of more than ARROW_MAX_COLUMNS columns is left
    to pandas' reader."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    names = [header[0].removeprefix("\ufeff"), *header[1:]] if header else []
    if not names or any(not n.strip() or "\n" in n or "\r" in n for n in names):
        return None  # pandas names a blank header cell `Unnamed: N`: its reader does
    if len(names) > ARROW_MAX_COLUMNS:
        return None
    threads = _threads_allowed()
    # under a limit, the C library's allocator: what Arrow gives back, pandas can reuse
    # (mimalloc keeps its arenas' address space)
    pool = pa.default_memory_pool() if threads else pa.system_memory_pool()
    text = pa.dictionary(pa.int32(), pa.string())
    try:
        table = arrow_csv.read_csv(
            path,
            read_options=arrow_csv.ReadOptions(
                use_threads=threads, column_names=names, skip_rows=1
            ),
            # a quoted value may hold a line break only where the file has quotes;
            # without any, Arrow can split the file at every line break, in parallel
            parse_options=arrow_csv.ParseOptions(newlines_in_values=_has_quotes(path)),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, text),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
            memory_pool=pool,
        )
        return table.to_pandas(use_threads=threads, memory_pool=pool)
    except (MemoryError, pa.ArrowException, ValueError, OSError):
        # Arrow's builders take memory per column (20,000 columns of a 1 MB file
        # exhaust 500 MB): pandas' reader tries, and says it if it runs out too
        return None


def _threads_allowed() -> bool:
    """Whether Arrow may start its threads: not under an address-space limit."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return True
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    return soft == resource.RLIM_INFINITY


def _has_quotes(path: Path) -> bool:
    import mmap

    with path.open("rb") as fh:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b'"') >= 0


def _has_arrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def read_arrow_file(path: Path) -> Table:
    """A Parquet or Feather file (pyarrow), every cell as text as a CSV would give it:
    a whole number stored as a decimal is its code (7.0 is `7`), an empty cell NA.
    Each column is made text on its distinct values only (`_arrow_text`), and held as
    categorical codes as the CSV read through Arrow is."""
    if not _has_arrow():
        raise DataError(
            f"{path}: reading {path.suffix} files needs pyarrow (pip install pyarrow), or save "
            "the responses as CSV"
        )
    import pyarrow as pa

    # a large file's columns made with Arrow allocating from glibc's heap, kept as it
    # is (keep_freed), not from mimalloc's pages given back and taken again: 1,000,000
    # rows in a fresh process, 17.7-18.7 s and a 2.9 GB peak before, 10.4-12.8 s and
    # 2.3-2.5 GB after. (Not the CSV reader's: from that heap, its threads' table
    # peaked 1 GB higher, 2.9-3.1 against 1.9-2.2 GB, and was no faster.)
    shared = _keeping(path)
    previous = pa.default_memory_pool()
    if shared:
        pa.set_memory_pool(pa.system_memory_pool())
    try:
        return _read_arrow_file(path)
    finally:
        pa.set_memory_pool(previous)


def _read_arrow_file(path: Path) -> Table:
    import pyarrow as pa

    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            # text columns read as the dictionaries Parquet stores them with: no string
            # made per cell only to be encoded again (`_arrow_text`)
            fields = pq.read_schema(path)
            text = [f.name for f in fields if pa.types.is_string(f.type)]
            table = pq.read_table(path, read_dictionary=text or None)
        else:
            import pyarrow.feather as feather

            table = feather.read_table(path)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"{path}: cannot read as {path.suffix[1:]} ({exc})") from None
    # a pandas index stored beside the columns (pandas' `index=True`) is not a question
    index = (table.schema.pandas_metadata or {}).get("index_columns", [])
    names = [n for n in table.column_names if n not in {i for i in index if isinstance(i, str)}]
    columns = {str(n): _arrow_text(table.column(n)) for n in names}
    return Table(pd.DataFrame(columns) if columns else pd.DataFrame(index=range(table.num_rows)))


def _arrow_text(column: Any) -> pd.Series:
    """An Arrow column as categorical text: its distinct values made text by
    `_as_text` (as the cells of pandas' conversion would be; text stays as it is),
    then the codes of the rows pointed at them; a type Arrow cannot encode so, cell
    by cell."""
    import pyarrow as pa

    try:
        encoded = column.combine_chunks().dictionary_encode()
        if pa.types.is_dictionary(column.type):  # the file's: maybe values no row holds
            encoded = _in_use(encoded)
    except (pa.ArrowException, NotImplementedError):
        return _as_text(column.to_pandas()).astype(object)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    values = encoded.dictionary
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        categories = pd.Index(values.to_numpy(zero_copy_only=False), dtype=object)
    else:  # two values may give one text (7 and 7.0): a category each text
        texts = _as_text(values.to_pandas()).to_numpy(object)
        remap, unique = pd.factorize(texts)
        codes = np.append(remap, -1)[codes]
        categories = pd.Index(unique, dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories))


def _in_use(encoded: Any) -> Any:
    """A dictionary column as a file stored it, made what `dictionary_encode` gives:
    each value once, none null, each held by a row. A pandas categorical saved with
    its declared categories keeps those no one chose, which the checks would read as
    answers (an unknown code reported of no respondent): such a column is encoded
    again from its rows."""
    import pyarrow.compute as pc

    values = encoded.dictionary
    held = np.bincount(
        encoded.indices.drop_null().to_numpy(zero_copy_only=False), minlength=len(values)
    )
    if values.null_count or (held == 0).any() or len(pc.unique(values)) < len(values):
        return encoded.dictionary_decode().dictionary_encode()
    return encoded


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


def _check_csv_header(path: Path) -> list[str]:
    """The header, checked: two columns with one name would be renamed `name.1` by
    pandas, silently."""
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
    return header


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
        _check_extent(path, chosen)
        _check_merged(path, chosen)
        if has_formulas:
            _check_formulas(path, chosen, values.worksheets.index(chosen))
        frame = pd.read_excel(path, sheet_name=chosen.title, dtype=str, engine="openpyxl")
        return Table(frame)
    finally:
        values.close()


def _check_extent(path: Path, ws: Any) -> None:
    """The grid the sheet is read into reaches its farthest cell, even one stray value
    at XFD1048576 (16,384 x 1,048,576 cells, gigabytes): past MAX_XLSX_CELLS, say which
    cell, read from the sheet's XML (its <dimension> can be anything)."""
    from lxml import etree

    part = getattr(ws, "_worksheet_path", None)
    if part is None:
        return
    lowest = rightmost = ("", 0)  # (cell, its row) and (cell, its column)
    with zipfile.ZipFile(path) as z, z.open(part) as xml:
        for _, cell in etree.iterparse(xml, tag="{*}c"):
            m = re.fullmatch(r"([A-Z]{1,3})(\d+)", cell.get("r") or "")
            if m:
                col = sum(26**i * (ord(ch) - 64) for i, ch in enumerate(reversed(m.group(1))))
                if int(m.group(2)) > lowest[1]:
                    lowest = (m.group(0), int(m.group(2)))
                if col > rightmost[1]:
                    rightmost = (m.group(0), col)
            cell.clear()
    rows, cols = lowest[1], rightmost[1]
    if rows * cols > MAX_XLSX_CELLS:
        cells = " and ".join(dict.fromkeys([lowest[0], rightmost[0]]))
        raise DataError(
            f"{path}: sheet `{ws.title}` reaches cell {cells} ({rows:,} rows by {cols:,} "
            f"columns, {rows * cols:,} cells to read, more than {MAX_XLSX_CELLS:,}): delete "
            "what lies beyond the answers (a stray value or format far below or to the right), "
            "or save the responses as CSV"
        )


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
            for code in _range_codes(r.get("lo"), r.get("hi"), frame.get(column)):
                if code not in missing.setdefault(column, []):
                    missing[column].append(code)
    return _from_stats(frame, meta, missing)


def _range_codes(low: Any, high: Any, column: pd.Series | None) -> list[str]:
    """The codes of an SPSS missing range (`997 THRU 999`): every whole number of a range
    of whole numbers up to 1,000 wide (later waves may hold codes this one does not),
    else the values of the column that fall in it; a text code is its own range."""
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)):
        code = _text(low) if low == high else None
        return [code] if code else []
    whole = math.isfinite(low) and math.isfinite(high) and float(low).is_integer()
    if whole and float(high).is_integer() and 0 <= high - low <= 1000:
        return [str(v) for v in range(int(low), int(high) + 1)]
    values = column.dropna().unique() if column is not None else []
    found = sorted(v for v in values if isinstance(v, (int, float)) and low <= v <= high)
    return [code for v in found if (code := _text(v))]


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
