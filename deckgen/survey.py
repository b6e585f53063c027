"""Respondent-level answers, loaded and checked against their codebook.

Nothing is silently dropped: an unknown column, an unknown answer code, a number
out of range, a ranking with too many picks or an answer given by someone who was
not asked is an error naming the file, the respondent id and the column.
Checks are vectorised per column so a million rows load in seconds.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .codebook import Codebook, Question, load_codebook
from .errors import DataError, Problem, suggest, valid_list
from .locales import words
from .wording import asked_text
from .yamlpos import UNPRINTABLE

MAX_LISTED = 5  # respondents named per problem before "and N more"
MAX_UNKNOWN = 10  # unknown columns reported one by one (with a suggestion each)


@dataclass
class Survey:
    codebook: Codebook
    frame: pd.DataFrame  # indexed by respondent id
    path: Path

    @property
    def questions(self) -> dict[str, Question]:
        return self.codebook.questions

    def __len__(self) -> int:
        return len(self.frame)


def load_survey(codebook_path: str | Path, responses: str | Path | None = None) -> Survey:
    """Load the codebook, then its responses (CSV or XLSX), and check them."""
    codebook = load_codebook(codebook_path)
    path = Path(responses) if responses is not None else codebook.responses
    frame = read_table(path)
    frame = check_responses(frame, codebook, str(path))
    return Survey(codebook=codebook, frame=frame, path=path)


MAX_XLSX_BYTES = 300_000_000  # uncompressed: past this, openpyxl needs gigabytes (use CSV)


def read_table(path: Path) -> pd.DataFrame:
    """Read CSV or XLSX as text-free typed columns; errors say which file and why."""
    if not path.exists():
        raise DataError(f"data file not found: {path}")
    if path.is_dir():
        raise DataError(f"expected a data file, found a directory: {path}")
    if not path.is_file():  # a pipe or a device would be read forever
        raise DataError(f"{path}: not a regular file (a device or a pipe); give a CSV or XLSX file")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            _check_csv_header(path)
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8"
            )
        elif suffix in (".xlsx", ".xlsm"):
            frame = _read_xlsx(path)
        else:
            raise DataError(
                f"{path}: unsupported data file type `{suffix or '(none)'}`; expected .csv or .xlsx"
            )
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
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame.columns) == 1 and ";" in frame.columns[0]:
        raise DataError(
            f"{path}: the columns are separated by `;` (a French Excel CSV); deckgen reads CSV "
            "with commas: save as « CSV UTF-8 (délimité par des virgules) » or as .xlsx"
        )
    if frame.empty:
        raise DataError(f"{path}: no respondents (the file has a header but no rows)")
    return frame


def _check_csv_header(path: Path) -> None:
    """Two columns with one name: pandas would rename the second `name.1`, silently."""
    import csv

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


def _read_xlsx(path: Path) -> pd.DataFrame:
    """The first sheet of a workbook, after three checks: its size once uncompressed
    (a small file can expand to gigabytes), formulas without a saved value (read
    as empty, they would silently leave the base), and data on another sheet."""
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
        sheet = values.worksheets[0]
        if has_formulas:
            _check_formulas(path, sheet)
        frame = pd.read_excel(path, dtype=str, engine="openpyxl")
        if frame.empty:
            others = [ws.title for ws in values.worksheets[1:] if (ws.max_row or 0) > 1]
            if others:
                raise DataError(
                    f"{path}: the first sheet `{sheet.title}` has no respondents, but the sheet "
                    f"`{others[0]}` has rows: deckgen reads the first sheet; move it first"
                )
        return frame
    finally:
        values.close()


def _check_formulas(path: Path, sheet: Any) -> None:
    """A formula cell whose value was never saved (a workbook written by a program,
    not saved by Excel) reads as empty: name the cell."""
    from openpyxl import load_workbook

    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        rows = formulas.worksheets[0].iter_rows()
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


def _who(ids: pd.Index) -> str:
    shown = ", ".join(_id(i) for i in ids[:MAX_LISTED])
    more = len(ids) - MAX_LISTED
    return f"{'respondent' if len(ids) == 1 else 'respondents'} {shown}" + (
        f" and {more} more" if more > 0 else ""
    )


def _cut(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _id(value: object) -> str:
    """A respondent id as a message shows it: control characters written as U+XXXX."""
    return UNPRINTABLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", str(value))


def check_responses(raw: pd.DataFrame, codebook: Codebook, file: str) -> pd.DataFrame:
    """Type and validate every column; return the frame indexed by respondent id."""
    problems: list[Problem] = []
    id_col = codebook.respondent_id
    if id_col not in raw.columns:
        raise DataError(
            Problem(f"no respondent id column `{id_col}`{suggest(id_col, raw.columns)}", file=file)
        )
    ids = raw[id_col]
    if ids.isna().any():
        rows = [str(i + 2) for i in raw.index[ids.isna()][:MAX_LISTED]]
        problems.append(Problem(f"empty respondent id on line(s) {', '.join(rows)}", file=file))
    dup = ids[ids.duplicated() & ids.notna()]
    if len(dup):
        problems.append(
            Problem(
                f"duplicate respondent id(s): {', '.join(map(str, dup.unique()[:MAX_LISTED]))}",
                file=file,
            )
        )
    frame = raw.set_index(id_col)

    known: dict[str, Question] = {}
    for q in codebook.questions.values():
        for col in q.columns():
            known[col] = q
    unknown = [col for col in frame.columns if col not in known]
    for col in unknown[:MAX_UNKNOWN]:
        problems.append(
            Problem(
                f"unknown column `{_cut(col)}`{suggest(col, known)}: not in the codebook "
                f"{codebook.file}",
                file=file,
                context=f"column {_cut(col)}",
            )
        )
    if len(unknown) > MAX_UNKNOWN:
        problems.append(
            Problem(
                f"and {len(unknown) - MAX_UNKNOWN:,} more columns not in the codebook "
                f"{codebook.file}: is it the codebook of this file?",
                file=file,
            )
        )
    missing = [c for c in known if c not in frame.columns]
    for col in missing:
        problems.append(
            Problem(f"column `{col}` of question `{known[col].id}` is missing", file=file)
        )
    if problems:
        raise DataError(problems)

    typed: dict[str, pd.Series] = {}
    for q in codebook.questions.values():
        for col in q.columns():
            typed[col] = _typed_column(frame[col], q, col, file, problems)
    out = pd.DataFrame(typed, index=frame.index)
    if not problems:
        for q in codebook.questions.values():
            if q.type == "ranking":
                _check_ranking(out, q, file, problems)
            _check_asked(out, q, codebook, file, problems)
    if problems:
        raise DataError(problems)
    return out


def _typed_column(
    col: pd.Series, q: Question, name: str, file: str, problems: list[Problem]
) -> pd.Series:
    """Strip, type and check one column.

    A column holds few distinct answers (codes, 0/1, ranks), so each distinct
    raw value is stripped, converted and checked once, and the results are
    spread back to the rows through the codes of `pd.factorize`: the same checks
    and messages as working cell by cell, at the cost of one hash pass.
    """
    codes, uniques = pd.factorize(col)  # missing cells get code -1
    distinct = pd.Series(uniques, dtype=uniques.dtype).str.strip()

    def spread(values: np.ndarray, missing) -> np.ndarray:
        """Per-distinct-value array -> per-row array (`missing` where the cell is empty)."""
        lut = np.empty(len(values) + 1, dtype=values.dtype)
        lut[:-1] = values
        lut[-1] = missing
        return lut[codes]

    d_text = distinct.astype("object").to_numpy()
    d_present = distinct.notna().to_numpy()
    present = spread(d_present, False)
    index = col.index

    def text() -> pd.Series:
        return pd.Series(spread(d_text, np.nan), index=index, dtype="object")

    def first_text(rows: np.ndarray) -> str:
        return d_text[codes[np.argmax(rows)]]

    where: dict[str, Any] = {"file": file, "context": f"column {name}"}
    d_control = d_present & distinct.str.contains(UNPRINTABLE.pattern, regex=True).fillna(False)
    if d_control.any():
        rows = np.isin(codes, np.flatnonzero(d_control.to_numpy()))
        char = UNPRINTABLE.search(first_text(rows))
        problems.append(
            Problem(
                f"{_who(index[rows])}: the cell holds the control character "
                f"U+{ord(char.group()) if char else 0:04X}, which a slide cannot show; remove it",
                **where,
            )
        )
        return text()
    if q.type in ("single", "likert"):
        valid = [o.code for o in q.options]
        d_bad = d_present & ~distinct.isin(valid).to_numpy()
        if d_bad.any():
            bad_values = list(dict.fromkeys(d_text[d_bad]))  # in order of first appearance
            for value in bad_values[:MAX_LISTED]:
                which = np.flatnonzero(d_bad & (d_text == value))
                ids = index[np.isin(codes, which)]
                problems.append(
                    Problem(
                        f"{_who(ids)}: unknown answer {_shown(value)}{suggest(value, valid)}; "
                        f"valid codes: {valid_list(valid)}",
                        **where,
                    )
                )
        return text()
    if q.type == "text":  # free text: nothing to convert or check
        return text()
    d_numbers = pd.to_numeric(distinct, errors="coerce").astype("float64").to_numpy()
    numbers = spread(d_numbers, np.nan)
    known = ~np.isnan(numbers)
    bad = present & ~known
    if bad.any():
        problems.append(
            Problem(
                f"{_who(index[bad])}: expected a number, got {_shown(first_text(bad))}", **where
            )
        )
    endless = known & ~np.isfinite(numbers)  # "inf", "1e400": no respondent has that many
    if endless.any():
        problems.append(
            Problem(
                f"{_who(index[endless])}: expected a finite number, got "
                f"{_shown(first_text(endless))}",
                **where,
            )
        )
        known &= ~endless
    if q.type == "multi":
        bad = known & ~np.isin(numbers, [0, 1])
        if bad.any():
            problems.append(
                Problem(
                    f"{_who(index[bad])}: a multi-select cell is 1 (selected), 0 (not) or empty "
                    f"(not asked); got {_shown(first_text(bad))}",
                    **where,
                )
            )
    elif q.type == "ranking":
        limit = q.max_picks or 0
        bad = known & ~np.isin(numbers, np.arange(1, limit + 1))
        if bad.any():
            problems.append(
                Problem(
                    f"{_who(index[bad])}: a rank is a whole number from 1 to {limit}; got "
                    f"{_shown(first_text(bad))}",
                    **where,
                )
            )
    elif q.type == "numeric":
        in_range = known.copy()
        if q.min is not None and (below := numbers < q.min).any():
            problems.append(
                Problem(f"{_who(index[below])}: value below the minimum {q.min:g}", **where)
            )
            in_range &= ~below
        if q.max is not None and (above := numbers > q.max).any():
            problems.append(
                Problem(f"{_who(index[above])}: value above the maximum {q.max:g}", **where)
            )
            in_range &= ~above
        _check_bands(numbers, in_range, q, index, first_text, where, problems)
    return pd.Series(numbers, index=index, dtype="float64")


def _check_bands(
    numbers: np.ndarray,
    known: np.ndarray,
    q: Question,
    index: pd.Index,
    first_text: Any,
    where: dict[str, Any],
    problems: list[Problem],
) -> None:
    """Every number falls in a band (or a band takes the rest: `other: true`).

    A number in no band would leave the distribution's base without a word: its
    respondent would simply not be counted.
    """
    ranges = [b for b in q.bands if not b.no_answer and not b.other]
    if not ranges or any(b.other for b in q.bands):
        return
    covered = np.zeros(len(numbers), dtype=bool)
    for band in ranges:
        inside = known.copy()
        if band.min is not None:
            inside &= numbers >= band.min
        if band.max is not None:
            inside &= numbers < band.max
        covered |= inside
    outside = known & ~covered
    if outside.any():
        problems.append(
            Problem(
                f"{_who(index[outside])}: {first_text(outside)} is in none of the bands of "
                f"`{q.id}` ({', '.join(_band_range(b) for b in ranges)}); add a band that takes "
                "it in the codebook, or one with `other: true` for every value outside the others",
                **where,
            )
        )


def _band_range(band: Any) -> str:
    low = "" if band.min is None else f"{band.min:g}"
    high = "" if band.max is None else f"{band.max:g}"
    return f"{low}–{high}"


def _shown(text: str, limit: int = 60) -> str:
    """A cell as a message shows it: quoted and cut when long; a blank cell said so."""
    if not text.strip():
        return f"a blank cell ({len(text)} space{'s' if len(text) > 1 else ''})"
    cut = text if len(text) <= limit else text[:limit] + f"… ({len(text):,} characters)"
    return f"`{cut}`"


def _check_ranking(frame: pd.DataFrame, q: Question, file: str, problems: list[Problem]) -> None:
    ranks = frame[q.columns()]
    picks = ranks.notna().sum(axis=1)
    over = picks > (q.max_picks or 0)
    if over.any():
        problems.append(
            Problem(
                f"{_who(frame.index[over])}: ranked {int(picks[over].max())} items, at most "
                f"{q.max_picks} allowed",
                file=file,
                context=f"question {q.id}",
            )
        )
    # the same rank twice in one row
    counts = pd.concat([(ranks == r).sum(axis=1) for r in range(1, (q.max_picks or 0) + 1)], axis=1)
    twice = (counts > 1).any(axis=1)
    if twice.any():
        problems.append(
            Problem(
                f"{_who(frame.index[twice])}: the same rank given to two items",
                file=file,
                context=f"question {q.id}",
            )
        )


def _check_asked(
    frame: pd.DataFrame, q: Question, codebook: Codebook, file: str, problems: list[Problem]
) -> None:
    """Answers only from those asked; an answer from everyone who was asked."""
    questions = codebook.questions
    asked = (
        q.asked_if.evaluate(frame, questions)
        if q.asked_if is not None
        else pd.Series(True, index=frame.index)
    )
    for col in q.columns():
        col_asked = asked
        if q.type == "multi":
            opt = q.option(col.split("__", 1)[1])
            if opt is not None and opt.asked_if is not None:
                col_asked = asked & opt.asked_if.evaluate(frame, questions)
        has = frame[col].notna()
        extra = has & ~col_asked
        where: dict[str, Any] = {"file": file, "context": f"column {col}"}
        if extra.any():
            problems.append(
                Problem(
                    f"{_who(frame.index[extra])}: answered but not asked "
                    f"({asked_text(q, col, questions, words('en'))})",
                    **where,
                )
            )
        if q.type in ("single", "multi", "likert"):
            gap = col_asked & ~has
            if gap.any():
                problems.append(
                    Problem(f"{_who(frame.index[gap])}: no answer although asked", **where)
                )
