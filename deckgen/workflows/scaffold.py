"""`deckgen init`: a codebook and a first deck spec from a survey file alone.

The question types are inferred from the answers, and from what SPSS and
Stata files say of their columns:

- columns named `<id>__<code>`, or three or more adjacent columns sharing a
  name prefix and the same few answers (`natspac`, `natenvir`… all -1/0/1),
  are one question: a multi-select when the cells are 0/1, a ranking when
  they are ranks 1..k with at most k per respondent, else a Likert grid;
- a column with value labels, or with few distinct answers, is a single choice;
- a column of numbers with many distinct values is numeric, with bands;
- a column of many distinct texts is free text: left out (listed under
  `survey.ignore`, with a comment).

Question ids are the column names made snake_case (`column:` keeps the real
name when it differs); labels are the value labels, else the codes. The deck
spec has a title slide and one slide per question with a chart that fits its
type, and builds as it is. Nothing existing is overwritten without `force`.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from deckgen.errors import DeckgenError, OutputError
from deckgen.inputs.readers import Table, read
from deckgen.locales import words

SEP = "__"
FEW = 12  # at most this many distinct answers: a single choice
GRID_MIN = 3  # adjacent columns alike to make a grid
GRID_LEVELS = 11  # a grid's answers: at most this many levels
TEXT_SHARE = 0.5  # more distinct texts than this share of respondents: free text


@dataclass
class Column:
    name: str
    values: pd.Series  # non-empty answers, as text (whole numbers as "7")
    label: str | None = None
    value_labels: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    empties: bool = False

    @property
    def distinct(self) -> list[str]:
        return _ordered(self.values.unique().tolist())

    @property
    def numeric(self) -> bool:
        return bool(len(self.values)) and all(_NUMBER.fullmatch(v) for v in self.values.unique())


@dataclass
class Question:
    id: str
    type: str
    text: str
    columns: list[Column]
    codes: list[str] = field(default_factory=list)  # options (single, likert scale)
    labels: dict[str, str] = field(default_factory=dict)
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (code, label, column)
    bands: list[tuple[str, str, float | None, float | None]] = field(default_factory=list)
    max_picks: int = 0
    optional: bool = False
    missing: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """What `init` found: the questions, the columns left out, the id column."""

    id_column: str
    questions: list[Question]
    ignored: list[tuple[str, str]]  # (column, why)
    rows: int


@dataclass
class Written:
    codebook: Path
    spec: Path
    draft: Draft


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_WHOLE = re.compile(r"[+-]?\d+")


def _ordered(values: list[str]) -> list[str]:
    """Numbers in numeric order, texts in alphabetical order."""
    if values and all(_NUMBER.fullmatch(v) for v in values):
        return sorted(values, key=float)
    return sorted(values)


def _whole(value: str) -> str:
    return value.split(".")[0] if re.fullmatch(r"[+-]?\d+\.0*", value) else value


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    return slug if slug and not slug[0].isdigit() else f"q_{slug}"


# -- inference --------------------------------------------------------------------


def infer(table: Table) -> Draft:
    """The questions of a survey table (see the module docstring)."""
    frame = table.frame
    id_column = _id_column(frame)
    columns = []
    for name in frame.columns:
        if name == id_column:
            continue
        raw = frame[name]
        values = raw.dropna().astype(str).str.strip()
        values = values[values != ""].map(_whole)
        missing = [_whole(m) for m in table.missing.get(name, [])]
        columns.append(
            Column(
                name,
                values[~values.isin(missing)],
                table.labels.get(name),
                {_whole(k): v for k, v in table.value_labels.get(name, {}).items()},
                missing,
                empties=len(values) < len(raw),
            )
        )
    questions: list[Question] = []
    ignored: list[tuple[str, str]] = []
    taken: set[str] = set()
    for group in _groups(columns):
        if len(group) > 1:
            q = _grid(group, taken)
            if q is not None:
                questions.append(q)
                continue
        for column in group:
            q = _single(column, taken, len(frame))
            if q is None:
                ignored.append((column.name, "free text (or empty): not charted"))
            else:
                questions.append(q)
    return Draft(id_column, questions, ignored, len(frame))


def _id_column(frame: pd.DataFrame) -> str:
    """The respondent id: a column named like one whose values are all different,
    else the first such column."""
    unique = [
        c for c in frame.columns if frame[c].notna().all() and frame[c].is_unique and len(frame) > 1
    ]
    for name in unique:
        if re.fullmatch(r"(?i)(resp(ondent)?_?)?(id|ident|caseid|case_id|uuid|key)", name.strip()):
            return name
    if unique:
        return unique[0]
    raise DeckgenError(
        "no respondent id: no column has a different value on every row; add one (1, 2, 3…)"
    )


def _signature(column: Column) -> tuple:
    if column.value_labels:
        return ("labels", tuple(sorted(column.value_labels.items())))
    return ("values", tuple(column.distinct))


def _prefix(names: list[str]) -> str:
    common = os.path.commonprefix(names)
    return re.sub(r"[^A-Za-z0-9]+$", "", common)


def _groups(columns: list[Column]) -> list[list[Column]]:
    """Columns `<id>__<code>` together; runs of alike adjacent columns together; the
    others alone, in file order."""
    out: list[list[Column]] = []
    by_prefix: dict[str, list[Column]] = {}
    i = 0
    while i < len(columns):
        column = columns[i]
        if SEP in column.name:
            head = column.name.split(SEP, 1)[0]
            if head not in by_prefix:
                by_prefix[head] = []
                out.append(by_prefix[head])
            by_prefix[head].append(column)
            i += 1
            continue
        run = [column]
        sig = _signature(column)
        alike = 2 <= len(sig[1]) <= GRID_LEVELS
        while alike and i + len(run) < len(columns):
            nxt = columns[i + len(run)]
            if SEP in nxt.name or _signature(nxt) != sig:
                break
            if len(_prefix([column.name, nxt.name])) < 3:
                break
            run.append(nxt)
        if len(run) >= GRID_MIN:
            out.append(run)
            i += len(run)
        else:
            out.append([column])
            i += 1
    return out


def _unique_id(base: str, taken: set[str]) -> str:
    qid, n = base, 2
    while qid in taken:
        qid, n = f"{base}_{n}", n + 1
    taken.add(qid)
    return qid


def _grid(group: list[Column], taken: set[str]) -> Question | None:
    """One question of several columns: multi-select, ranking or Likert grid."""
    names = [c.name for c in group]
    head = names[0].split(SEP, 1)[0] if SEP in names[0] else _prefix(names)
    values = sorted({v for c in group for v in c.values}, key=lambda v: (len(v), v))
    if not values:
        return None
    qid = _unique_id(_slug(head), taken)
    items = []
    codes_seen: set[str] = set()
    for c in group:
        rest = c.name.split(SEP, 1)[1] if SEP in c.name else c.name[len(head) :]
        code = _slug(rest) if rest.strip("_ ") else _slug(c.name)
        while code in codes_seen:
            code += "_"
        codes_seen.add(code)
        items.append((code, c.label or rest.strip("_ ") or c.name, c.name))
    text = group[0].label if SEP in names[0] and group[0].label else head
    optional = any(c.empties for c in group)
    if set(values) <= {"0", "1"}:
        return Question(qid, "multi", text, group, items=items, optional=optional)
    if all(_WHOLE.fullmatch(v) for v in values):
        ranks = sorted(int(v) for v in values)
        picks = max(
            (int(sum(1 for c in group if rid in c.values.index)) for rid in _rows(group)),
            default=0,
        )
        if (
            ranks[0] == 1
            and ranks[-1] <= picks < len(group)
            and ranks == list(range(1, ranks[-1] + 1))
        ):
            return Question(
                qid, "ranking", text, group, items=items, max_picks=picks, optional=True
            )
    if len(values) > GRID_LEVELS:
        return None
    labels = dict(group[0].value_labels)
    missing = sorted({m for c in group for m in c.missing})
    codes = _ordered([c for c in dict.fromkeys([*labels, *values]) if c not in missing])
    return Question(
        qid,
        "likert",
        text,
        group,
        codes=codes,
        labels={c: labels.get(c, c) for c in codes},
        items=items,
        optional=optional,
        missing=missing,
    )


def _rows(group: list[Column]) -> set:
    return {rid for c in group for rid in c.values.index}


def _single(column: Column, taken: set[str], rows: int) -> Question | None:
    values = column.distinct
    if not values and not column.value_labels:
        return None
    qid = _unique_id(_slug(column.name), taken)
    text = column.label or column.name
    if column.value_labels or (
        len(values) <= FEW and not (column.numeric and len(values) > 8 and _wide(values))
    ):
        codes = list(dict.fromkeys([*column.value_labels, *values]))
        codes = [c for c in codes if c not in column.missing]  # no answer is not an option
        codes = _ordered(codes) if not column.value_labels else codes
        labels = {c: column.value_labels.get(c, c) for c in codes}
        return Question(
            qid,
            "single",
            text,
            [column],
            codes=codes,
            labels=labels,
            optional=column.empties,
            missing=column.missing,
        )
    if column.numeric:
        return Question(qid, "numeric", text, [column], bands=_bands(column), optional=True)
    if len(values) > max(FEW, TEXT_SHARE * rows):
        return None  # free text
    codes = _ordered(values)
    return Question(
        qid, "single", text, [column], codes=codes, labels={c: c for c in codes},
        optional=column.empties,
    )  # fmt: skip


def _wide(values: list[str]) -> bool:
    """Numbers far apart (0, 1500, 20000): amounts, not codes."""
    numbers = [abs(float(v)) for v in values]
    return max(numbers) >= 100


def _nice(x: float) -> float:
    """A round number near x: 1, 2, 2.5, 5 times a power of ten."""
    if x <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(x))
    for step in (1, 2, 2.5, 5, 10):
        if x <= step * power * 1.25:
            return float(step * power)
    return float(10 * power)


def _bands(column: Column) -> list[tuple[str, str, float | None, float | None]]:
    """Four or five bands at round numbers near the quintiles."""
    numbers = column.values.astype(float)
    cuts = sorted({_nice(float(numbers.quantile(q))) for q in (0.2, 0.4, 0.6, 0.8)})
    if all(float(v).is_integer() for v in numbers):  # whole numbers: whole bounds
        cuts = sorted({float(round(c)) for c in cuts})
    cuts = [c for c in cuts if numbers.min() < c <= numbers.max()]
    bounds: list[float | None] = [None, *cuts, None]
    out = []
    for k, (low, high) in enumerate(zip(bounds, bounds[1:]), start=1):
        out.append((f"b{k}", "", low, high))
    return out


# -- writing ------------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def _code(code: str) -> str:
    return code if _WHOLE.fullmatch(code) else _q(code)


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


def _band_label(low: float | None, high: float | None, locale: str) -> str:
    w = words(locale)

    def shown(x: float | None) -> str:
        x = x or 0
        return w.number(x, 0 if float(x).is_integer() else 1)

    if low is None and high is not None:
        return w("band_under", x=shown(high))
    if high is None and low is not None:
        return w("band_over", x=shown(low))
    return w("band_range", low=shown(low), high=shown(high))


def codebook_text(
    draft: Draft, data: Path, out_dir: Path, locale: str, sheet: str | None = None
) -> str:
    responses = Path(os.path.relpath(data.resolve(), out_dir.resolve())).as_posix()
    name = survey_name(data)
    lines = [
        f"# Codebook of {data.name}, drafted by `deckgen init`: check each question's",
        "# type, wording and labels (docs/codebook.md), then build the deck spec beside it.",
        "survey:",
        f"  id: {_q(_slug(name))}",
        f"  title: {_q(name)}",
        f"  respondents: {_q(words(locale)('respondents'))}",
        f"  respondent_id: {_q(draft.id_column)}",
        f"  responses: {_q(responses)}",
        *([f"  sheet: {_q(sheet)}"] if sheet is not None else []),
    ]
    if draft.ignored:
        lines.append("  ignore:  # columns no question reads")
        lines += [f"    - {_q(name)}  # {why}" for name, why in draft.ignored]
    lines.append("questions:")
    for q in draft.questions:
        lines += [f"  - id: {q.id}", f"    text: {_q(q.text)}", f"    type: {q.type}"]
        if len(q.columns) == 1 and q.columns[0].name != q.id:
            lines.append(f"    column: {_q(q.columns[0].name)}")
        if q.optional:
            lines.append("    optional: true")
        if q.missing:
            lines.append(f"    missing: [{', '.join(_code(m) for m in q.missing)}]")
        if q.max_picks:
            lines.append(f"    max_picks: {q.max_picks}")
        if q.codes:
            lines.append("    options:")
            lines += [
                f"      - {{code: {_code(c)}, label: {_q(q.labels.get(c, c))}}}" for c in q.codes
            ]
        if q.items:
            key = "options" if q.type == "multi" else "items"
            lines.append(f"    {key}:")
            for code, label, column in q.items:
                extra = "" if column == f"{q.id}{SEP}{code}" else f", column: {_q(column)}"
                lines.append(f"      - {{code: {_code(code)}, label: {_q(label)}{extra}}}")
        if q.bands:
            lines.append("    bands:")
            for code, _, low, high in q.bands:
                parts = [f"code: {code}", f"label: {_q(_band_label(low, high, locale))}"]
                if low is not None:
                    parts.append(f"min: {_number(low)}")
                if high is not None:
                    parts.append(f"max: {_number(high)}")
                lines.append("      - {" + ", ".join(parts) + "}")
    return "\n".join(lines) + "\n"


_CHARTS = {"single": "bar", "numeric": "column", "multi": "bar", "likert": "stacked100"}


def survey_name(data: Path) -> str:
    """The file's name, or its folder's when the file has a generic one (responses.csv)."""
    generic = {"responses", "reponses", "data", "donnees", "export", "survey", "results"}
    return data.parent.name if _slug(data.stem) in generic and data.parent.name else data.stem


def spec_text(draft: Draft, data: Path, locale: str) -> str:
    name = survey_name(data)
    lines = [
        f"# A first deck of {data.name}, drafted by `deckgen init`: one slide per question.",
        "# Edit titles, charts and order; the reference of every key: `deckgen schema`.",
        "deck:",
        f"  title: {_q(name)}",
        "  data: codebook.yaml",
        f"  locale: {locale}",
        "slides:",
        "  - layout: title",
        f"    title: {_q(name)}",
    ]
    ids: set[str] = set()
    for q in draft.questions:
        title = q.text if len(q.text) <= 90 else q.text[:89].rstrip() + "…"
        if q.type == "ranking":
            indicator = (
                f"{{kind: ranking, question: {q.id}, top: {min(3, q.max_picks)}, sort: desc}}"
            )
            chart = "ranking"
        else:
            kind = {"single": "distribution", "numeric": "distribution"}.get(q.type, q.type)
            sort = ", sort: desc" if q.type == "multi" else ""
            indicator = f"{{kind: {kind}, question: {q.id}{sort}}}"
            chart = _CHARTS[q.type]
        lines += [
            f"  - id: {_slide_id(q.id, ids)}",  # what `deckgen update` finds the slide by
            "    layout: chart",
            f"    title: {_q(title)}",
            "    chart:",
            f"      type: {chart}",
            f"      indicator: {indicator}",
        ]
    return "\n".join(lines) + "\n"


def _slide_id(question: str, taken: set[str]) -> str:
    """A slide id from a question id: letters, digits, - and _, unique."""
    import re

    base = re.sub(r"[^A-Za-z0-9_-]+", "-", question).strip("-_")[:60] or "question"
    if not base[0].isalnum():
        base = "q" + base
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def scaffold(
    data: str | Path,
    out_dir: str | Path | None = None,
    *,
    locale: str = "fr",
    force: bool = False,
    sheet: str | None = None,
) -> Written:
    """Write `codebook.yaml` and `deck.yaml` for the survey file `data` into `out_dir`
    (default: the file's folder); an existing file is kept unless `force`."""
    from deckgen.files import write_atomic

    data = Path(data)
    folder = Path(out_dir) if out_dir is not None else data.parent
    targets = (folder / "codebook.yaml", folder / "deck.yaml")
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise OutputError(
            f"{' and '.join(existing)} already exist{'s' if len(existing) == 1 else ''}: "
            "deckgen init never overwrites them; --force to replace, or -o another folder"
        )
    draft = infer(read(data, sheet=sheet))
    if not draft.questions:
        raise DeckgenError(f"{data}: no column could be read as a question")
    from deckgen.files import protecting

    with protecting({data: "the survey file"}):  # -o the survey's own folder, a link...
        codebook_bytes = codebook_text(draft, data, folder, locale, sheet).encode("utf-8")
        codebook = write_atomic(codebook_bytes, targets[0], into_folder=True)
        spec = write_atomic(spec_text(draft, data, locale).encode("utf-8"), targets[1],
                            into_folder=True)  # fmt: skip
    return Written(codebook, spec, draft)
