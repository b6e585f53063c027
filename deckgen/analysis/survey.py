"""Respondent-level answers, loaded and checked against their codebook.

Nothing is silently dropped: an unknown column, an unknown answer code, a number
out of range, a ranking with too many picks or an answer given by someone who was
not asked is an error naming the file, the respondent id and the column.
Checks are vectorised per column so a million rows load in seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from deckgen.analysis.design import Design
from deckgen.errors import DataError, Problem, suggest, valid_list
from deckgen.inputs.codebook import Codebook, Question, load_codebook
from deckgen.inputs.coded import Coded, spread
from deckgen.inputs.conditions import asked_text
from deckgen.inputs.yamlpos import UNPRINTABLE
from deckgen.locales import words

MAX_LISTED = 5  # respondents named per problem before "and N more"
MAX_UNKNOWN = 10  # unknown columns reported one by one (with a suggestion each)
SINGULAR = {"weight": "weight", "strata": "stratum", "clusters": "cluster"}  # codebook keys


@dataclass
class Survey:
    codebook: Codebook
    frame: pd.DataFrame  # indexed by respondent id
    path: Path
    weights: pd.Series | None = None  # each respondent's weight (the codebook's `weight`)
    design: Design | None = None  # strata and clusters, in the frame's order (`strata`, `clusters`)
    # the text columns as codes (deckgen.inputs.coded), for the frame they were read with
    coded: Codes | None = None

    def codes(self, name: str) -> Coded | None:
        """Column `name` as codes, where it is a text column of the frame they were read
        with, as it was read. A Survey made with another frame (a copy included), or
        whose column was replaced since, gets None: its columns are looked at. The
        cells of a text column cannot be written (read-only arrays: pandas refuses)."""
        kept = self.coded
        if kept is None or kept.frame is not self.frame or name not in kept.columns:
            return None
        if _address(self.frame, name) != kept.addresses[name]:
            return None
        return kept.columns[name]

    @property
    def questions(self) -> dict[str, Question]:
        return self.codebook.questions

    def __len__(self) -> int:
        return len(self.frame)


@dataclass(frozen=True)
class Codes:
    """The text columns of `frame` as codes, and where each column's cells lay when
    they were read (a column replaced since lies elsewhere)."""

    frame: pd.DataFrame
    columns: dict[str, Coded]
    addresses: dict[str, int]

    @classmethod
    def of(cls, frame: pd.DataFrame, columns: dict[str, Coded]) -> Codes:
        addresses = {n: at for n in columns if (at := _address(frame, n)) is not None}
        return cls(frame, {n: c for n, c in columns.items() if n in addresses}, addresses)


def _address(frame: pd.DataFrame, name: str) -> int | None:
    """Where the cells of column `name` of `frame` lie (None: no such single column)."""
    try:
        cells = np.asarray(frame[name])
    except (KeyError, ValueError, TypeError):
        return None
    return int(cells.__array_interface__["data"][0]) if cells.ndim == 1 else None


def load_survey(codebook_path: str | Path, responses: str | Path | None = None) -> Survey:
    """Load the codebook, then its responses (CSV or XLSX), and check them."""
    codebook = load_codebook(codebook_path)
    path = Path(responses) if responses is not None else codebook.responses
    raw = read_table(path, sheet=codebook.sheet)
    coded: dict[str, Coded] = {}
    frame = check_responses(raw, codebook, str(path), coded)
    weights = read_weights(raw, codebook, str(path))
    design = read_design(raw, codebook, str(path))
    return Survey(
        codebook=codebook,
        frame=frame,
        path=path,
        weights=weights,
        design=design,
        coded=Codes.of(frame, coded),
    )


def read_weights(raw: pd.DataFrame, codebook: Codebook, file: str) -> pd.Series | None:
    """The weight of each respondent (indexed by id), from the codebook's `weight`
    column: every cell a finite number, 0 or more. Normalised to average 1 over the
    respondents, before any use: only their ratios matter, so weights a thousand, or
    1e200, times larger or smaller give the same figures, tests and footnotes (and
    neither sums nor squares of them overflow or vanish)."""
    if codebook.weight is None:
        return None
    column = _plain(raw[codebook.weight])
    numbers = pd.to_numeric(column, errors="coerce")
    ids = raw[codebook.respondent_id]
    problems = []
    for rows, what in (
        (column.isna(), "no weight"),
        (column.notna() & numbers.isna(), "a weight that is not a number"),
        (numbers.notna() & ~np.isfinite(numbers), "an infinite weight"),
        (np.isfinite(numbers) & (numbers < 0), "a negative weight"),
    ):
        if rows.any():
            problems.append(
                Problem(
                    f"{_who(pd.Index(ids[rows]))}: {what} in column `{codebook.weight}` (weights "
                    "are numbers, 0 or more)",
                    file=file,
                    context=f"column {codebook.weight}",
                )
            )
    if problems:
        raise DataError(problems)
    if not (numbers > 0).any():
        raise DataError(
            Problem(f"every weight in column `{codebook.weight}` is 0: nobody counts", file=file)
        )
    values = numbers.to_numpy(float)
    values = values / values.max()  # at most 1: a sum of them cannot overflow
    values = values / values.mean()
    return pd.Series(values, index=pd.Index(ids), name="weight")


def read_design(raw: pd.DataFrame, codebook: Codebook, file: str) -> Design | None:
    """The sampling design, from the codebook's `strata` and `clusters` columns: every
    cell filled, and two clusters or more in each stratum (a variance needs them)."""
    if codebook.strata is None and codebook.clusters is None:
        return None
    ids = raw[codebook.respondent_id]
    problems = []
    columns: dict[str, np.ndarray | None] = {}
    for key, column in (("strata", codebook.strata), ("clusters", codebook.clusters)):
        columns[key] = None if column is None else raw[column].to_numpy(object)
        if column is not None and raw[column].isna().any():
            problems.append(
                Problem(
                    f"{_who(pd.Index(ids[raw[column].isna()]))}: no {SINGULAR[key]} in column "
                    f"`{column}` (the codebook's `survey.{key}`)",
                    file=file,
                    context=f"column {column}",
                )
            )
    if problems:
        raise DataError(problems)
    design = Design.of(columns["strata"], columns["clusters"], len(raw))
    single = design.lonely()
    if single and codebook.strata is None:  # one stratum, the whole sample, in one cluster
        raise DataError(
            Problem(
                f"every respondent is in one cluster of column `{codebook.clusters}`: no "
                "variance can be estimated (the codebook's `survey.clusters`)",
                file=file,
                context=f"column {codebook.clusters}",
            )
        )
    if single:
        shown = ", ".join(_cut(s, 20) for s in single[:MAX_LISTED])
        more = f" and {len(single) - MAX_LISTED} more" if len(single) > MAX_LISTED else ""
        raise DataError(
            Problem(
                f"{'stratum' if len(single) == 1 else 'strata'} {shown}{more} of column "
                f"`{codebook.strata}` {'holds' if len(single) == 1 else 'hold'} a single "
                "cluster: no variance can be estimated within "
                f"{'it' if len(single) == 1 else 'them'}; merge "
                f"{'it' if len(single) == 1 else 'each'} with a neighbouring stratum in the "
                "responses (the codebook's `survey.strata`)",
                file=file,
                context=f"column {codebook.strata}",
            )
        )
    return design


def read_table(path: Path, sheet: str | None = None) -> pd.DataFrame:
    """The answers of a survey file (CSV, XLSX, SPSS, Stata) as text: deckgen.inputs.readers;
    `sheet`: an XLSX workbook's sheet, by name."""
    from deckgen.inputs.readers import read

    return read(path, sheet=sheet).frame


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


def _plain(column: pd.Series) -> pd.Series:
    """A column as text (a categorical one, from the Arrow CSV reader, decoded)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.astype(column.cat.categories.dtype)
    return column


def check_responses(
    raw: pd.DataFrame, codebook: Codebook, file: str, coded: dict[str, Coded] | None = None
) -> pd.DataFrame:
    """Type and validate every column; return the frame indexed by respondent id.
    `coded` gets each text column (single-choice, Likert, free text) as its codes."""
    problems: list[Problem] = []
    id_col = codebook.respondent_id
    if id_col not in raw.columns:
        raise DataError(
            Problem(f"no respondent id column `{id_col}`{suggest(id_col, raw.columns)}", file=file)
        )
    ids = _plain(raw[id_col])
    if ids.dtype != raw[id_col].dtype:  # the index of every table after: text, not codes
        raw = raw.assign(**{id_col: ids})
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
    for key, column in (
        ("weight", codebook.weight),
        ("strata", codebook.strata),
        ("clusters", codebook.clusters),
    ):
        if column is not None and column not in raw.columns:
            problems.append(
                Problem(
                    f"no {SINGULAR[key]} column `{column}` (the "
                    f"codebook's `survey.{key}`){suggest(column, raw.columns)}",
                    file=file,
                )
            )
    frame = raw.set_index(id_col)

    # each question's columns, by their names in the file (`column:` in the codebook)
    known: dict[str, Question] = {}
    names: dict[str, str] = {}  # name in deckgen -> name in the file
    for q in codebook.questions.values():
        for name, in_file in q.column_names().items():
            known[in_file] = q
            names[name] = in_file
    design = (codebook.weight, codebook.strata, codebook.clusters)
    ignored = set(codebook.ignore) | {column for column in design if column}
    unknown = [col for col in frame.columns if col not in known and col not in ignored]
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
            Problem(
                f"column `{col}` of question `{known[col].id}` is missing"
                f"{suggest(col, [c for c in frame.columns if c not in known])}",
                file=file,
            )
        )
    if problems:
        raise DataError(problems)

    typed: dict[str, pd.Series] = {}
    answered: dict[str, np.ndarray] = {}  # each column's filled cells
    found: dict[str, Coded] = {} if coded is None else coded  # the text columns' codes
    for q in codebook.questions.values():
        for name, in_file in q.column_names().items():
            typed[name], answered[name], column_codes = _typed_column(
                frame[in_file], q, in_file, file, problems
            )
            if column_codes is not None:
                found[name] = column_codes
    # side by side, not consolidated into one block per dtype: that copy of every
    # column cost more than all the checks (1 s of 3 on 300,000 rows)
    out = pd.concat(typed, axis=1) if typed else pd.DataFrame(index=frame.index)
    if not problems:
        for q in codebook.questions.values():
            if q.type == "ranking":
                _check_ranking(out, q, file, problems)
            _check_asked(out, q, codebook, file, problems, names, answered, found.get)
    if problems:
        raise DataError(problems)
    return out


def _typed_column(
    col: pd.Series, q: Question, name: str, file: str, problems: list[Problem]
) -> tuple[pd.Series, np.ndarray, Coded | None]:
    """Strip, type and check one column; with its filled cells (what `notna` of it
    gives, without a pass over its Python strings) and, for a column kept as text,
    its codes (None for a column of numbers).

    A column holds few distinct answers (codes, 0/1, ranks), so each distinct
    raw value is stripped, converted and checked once, and the results are
    spread back to the rows through the codes of `pd.factorize`: the same checks
    and messages as working cell by cell, at the cost of one hash pass.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):  # the Arrow reader: the codes are there
        codes = col.cat.codes.to_numpy()  # missing cells: -1
        uniques = col.cat.categories.array
    else:
        codes, uniques = pd.factorize(col)  # missing cells get code -1
    # numpy indexes with a small integer type (a categorical's int8 codes) three times
    # slower than with its own (300,000 rows: 0.59 against 0.20 ms a spread)
    codes = codes.astype(np.intp, copy=False)
    # every distinct answer is text (an empty cell is none: factorize and a categorical's
    # categories leave it out, as code -1)
    stray = next((u for u in uniques if not isinstance(u, str)), None)
    if stray is not None:  # a reader (a plug-in's) gave a number, not the cell's text
        raise DataError(
            Problem(
                f"the reader of {Path(file).suffix or 'this file'} gave `{_cut(repr(stray))}` "
                f"({type(stray).__name__}), not text: a reader gives every cell as the text "
                "a CSV cell would hold, or empty (deckgen.inputs.readers.Table)",
                file=file,
                context=f"column {name}",
            )
        )
    # each distinct answer stripped, as Python text (NaN, later: none): a column holds a
    # few, and pandas' string methods on them cost more than the rows' spreads (150
    # columns of 31 rows: 0.1 s). Python's strip and Arrow's (pandas' Arrow-backed
    # text) take away the same characters, every code point tried.
    values: list[Any] = [u.strip() for u in uniques]
    if q.numeric_codes or q.type in ("numeric", "multi", "ranking"):
        # 7.0 is the code 7 (survey files often store codes as decimals)
        values = [_whole_number(v) for v in values]
    if q.missing:  # declared no-answer codes (8, 9, -1...) read as an empty cell
        declared = {_whole_number(m) for m in q.missing}
        values = [np.nan if isinstance(v, str) and v in declared else v for v in values]

    d_text = np.array(values, dtype=object)
    d_present = np.fromiter((isinstance(v, str) for v in values), bool, len(values))
    index = col.index

    def present() -> np.ndarray:  # the filled cells
        return spread(codes, d_present, False) if not d_present.all() else codes >= 0

    # the arrays made here are this column's own: pandas 3 would copy each given to a
    # Series (567 copies, 0.18 s of a 300,000-row load), hence `copy=False`
    def text() -> pd.Series:
        cells = spread(codes, d_text, np.nan)
        cells.flags.writeable = False  # the frame's text, as its codes say (Survey.codes)
        return pd.Series(cells, index=index, dtype="object", copy=False)

    def as_codes() -> Coded:  # as few bytes a row as the distinct answers allow
        small = np.int8 if len(d_text) < 127 else np.int16 if len(d_text) < 32767 else np.int32
        return Coded(codes.astype(small), d_text)

    def first_text(rows: np.ndarray) -> str:
        return d_text[codes[np.argmax(rows)]]

    where: dict[str, Any] = {"file": file, "context": f"column {name}"}
    # on the Python strings, not `Series.str`: Arrow-backed text (pandas with pyarrow)
    # cannot encode the surrogate range of the pattern, and the answer must not depend
    # on how pandas stores text
    d_control = np.array(
        [present_ and UNPRINTABLE.search(t) is not None for present_, t in zip(d_present, d_text)],
        dtype=bool,
    )
    if d_control.any():
        rows = np.isin(codes, np.flatnonzero(d_control))
        char = UNPRINTABLE.search(first_text(rows))
        problems.append(
            Problem(
                f"{_who(index[rows])}: the cell holds the control character "
                f"U+{ord(char.group()) if char else 0:04X}, which a slide cannot show; remove it",
                **where,
            )
        )
        return text(), present(), None
    if q.type in ("single", "likert"):
        valid = [o.code for o in q.options]
        codes_known = set(valid)
        d_bad = d_present & ~np.fromiter((v in codes_known for v in values), bool, len(values))
        if d_bad.any():
            # in order of first appearance in the file (the categories of the Arrow
            # reader are in the order they were met, pd.factorize's too: made sure)
            firsts = sorted(np.flatnonzero(d_bad), key=lambda i: int(np.argmax(codes == i)))
            bad_values = list(dict.fromkeys(d_text[firsts]))
            parts = []
            for value in bad_values[:MAX_LISTED]:
                which = np.flatnonzero(d_bad & (d_text == value))
                ids = index[np.isin(codes, which)]
                parts.append(f"{_shown(value)}{suggest(value, valid)} ({_who(ids)})")
            if len(bad_values) > MAX_LISTED:
                parts.append(f"and {len(bad_values) - MAX_LISTED} more")
            problems.append(
                Problem(
                    f"unknown answer{'s' if len(bad_values) > 1 else ''} "
                    f"{', '.join(parts)}; valid codes: {valid_list(valid)}"
                    f"{_code_hint(bad_values, q)}",
                    **where,
                )
            )
        return text(), present(), as_codes()
    if q.type == "text":  # free text: nothing to convert or check
        return text(), present(), as_codes()
    d_numbers = np.asarray(pd.to_numeric(d_text, errors="coerce"), dtype="float64")
    numbers = spread(codes, d_numbers, np.nan)
    d_known = ~np.isnan(d_numbers)

    # each check looks at the distinct answers, and at the rows only where one of those
    # fails it (a categorical's categories may hold answers no row has): a multi-select
    # column, otherwise, cost a dozen passes over its rows for nothing
    if (d_bad := d_present & ~d_known).any() and (bad := spread(codes, d_bad, False)).any():
        problems.append(
            Problem(
                f"{_who(index[bad])}: expected a number, got {_shown(first_text(bad))}", **where
            )
        )
    # "inf", "1e400": no respondent has that many
    d_endless = d_known & ~np.isfinite(d_numbers)
    if d_endless.any() and (endless := spread(codes, d_endless, False)).any():
        problems.append(
            Problem(
                f"{_who(index[endless])}: expected a finite number, got "
                f"{_shown(first_text(endless))}",
                **where,
            )
        )
    d_finite = d_known & ~d_endless
    if q.type == "multi":
        d_bad = d_finite & ~np.isin(d_numbers, [0, 1])
        if d_bad.any() and (bad := spread(codes, d_bad, False)).any():
            problems.append(
                Problem(
                    f"{_who(index[bad])}: a multi-select cell is 1 (selected), 0 (not) or empty "
                    f"(not asked); got {_shown(first_text(bad))}",
                    **where,
                )
            )
    elif q.type == "ranking":
        limit = q.max_picks or 0
        d_bad = d_finite & ~np.isin(d_numbers, np.arange(1, limit + 1))
        if d_bad.any() and (bad := spread(codes, d_bad, False)).any():
            problems.append(
                Problem(
                    f"{_who(index[bad])}: a rank is a whole number from 1 to {limit}; got "
                    f"{_shown(first_text(bad))}",
                    **where,
                )
            )
    elif q.type == "numeric":
        in_range = spread(codes, d_finite, False)
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
    return (
        pd.Series(numbers, index=index, dtype="float64", copy=False),
        spread(codes, d_known, False),
        None,
    )


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


def _code_hint(values: list[str], q: Question) -> str:
    """What to change when the cells are not codes: labels, or numbers with decimals."""
    labels = {o.label for o in q.options}
    if any(v in labels for v in values):
        return (
            "; the cells hold the options' labels: write their codes in the responses, "
            "or make each label the code in the codebook"
        )
    if q.numeric_codes and all(_NUMBER.fullmatch(v) for v in values):
        return "; the codes are whole numbers: a cell holds one of them (7 or 7.0)"
    return ""


_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?")


def _whole_number(value: object) -> object:
    """'7.0' -> '7' (a code written as a decimal); anything else as it is."""
    if isinstance(value, str) and _DECIMAL_WHOLE.fullmatch(value):
        return value.split(".")[0].lstrip("+") or "0"
    return value


_DECIMAL_WHOLE = re.compile(r"[+-]?\d+\.0*")


def _check_asked(
    frame: pd.DataFrame,
    q: Question,
    codebook: Codebook,
    file: str,
    problems: list[Problem],
    names: dict[str, str],
    answered: dict[str, np.ndarray],
    codes: Callable[[str], Coded | None],
) -> None:
    """Answers only from those asked; an answer from everyone who was asked
    (`answered`: each column's filled cells; `codes`: the text columns' codes)."""
    questions = codebook.questions
    asked = (
        q.asked_if.evaluate(frame, questions, codes)
        if q.asked_if is not None
        else pd.Series(True, index=frame.index)
    )
    for col in q.columns():
        col_asked = asked
        if q.type == "multi":
            opt = q.option(col.split("__", 1)[1])
            if opt is not None and opt.asked_if is not None:
                col_asked = asked & opt.asked_if.evaluate(frame, questions, codes)
        has = pd.Series(answered[col], index=frame.index, copy=False)
        extra = has & ~col_asked
        where: dict[str, Any] = {"file": file, "context": f"column {names.get(col, col)}"}
        if extra.any():
            problems.append(
                Problem(
                    f"{_who(frame.index[extra])}: answered but not asked "
                    f"({asked_text(q, col, questions, words('en'))})",
                    **where,
                )
            )
        if q.type in ("single", "multi", "likert") and not q.optional:
            gap = col_asked & ~has
            if gap.any():
                problems.append(
                    Problem(
                        f"{_who(frame.index[gap])}: no answer although asked (if respondents "
                        "could skip it, say `optional: true` for the question in the codebook)",
                        **where,
                    )
                )
