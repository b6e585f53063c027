"""Indicators: pure functions (survey, parameters) -> Result.

Each kind is declared in deckgen.indicator_kinds, which names its function
here; an unknown kind fails with a message naming the valid ones. Every
computation is vectorised over the response frame. Results carry figures and
the survey's own labels; the words deckgen adds about them (who is in scope,
a scalar's label) are the text layer's (deckgen.wording.localise).

Bases, the survey way:
- `filter` narrows the respondents in scope (e.g. communes only);
- a question asked of some respondents only (`asked_if`) is computed over those
  asked; a multi-select option with its own `asked_if` has its own base
  (neighbourhood councils: the communes);
- `base: all` divides by everyone in scope instead (e.g. "94 % of all
  respondents held public meetings by videoconference").
An empty base gives a result whose values are None ("n/a"), never a
ZeroDivisionError.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from . import indicator_kinds
from .codebook import Question
from .conditions import parse_condition
from .errors import DataError, suggest, valid_list
from .indicator_spec import Indicator
from .results import Result, Series
from .survey import Survey


def compute(survey: Survey, indicator: Indicator) -> Result:
    """Compute one indicator; problems with it are DataErrors that name them."""
    kind = indicator_kinds.indicator_kind(indicator.kind)
    if kind is None:
        known = indicator_kinds.names()
        raise DataError(
            f"unknown indicator kind `{indicator.kind}`{suggest(indicator.kind, known)}; "
            f"valid: {valid_list(known)}"
        )
    problems = indicator.check(survey.questions)
    if problems:
        raise DataError("; ".join(msg for _, msg in problems))
    return kind.function()(survey, indicator)


# -- helpers -----------------------------------------------------------------


def _scope(survey: Survey, ind: Indicator) -> pd.Series:
    """Respondents in scope: everyone, or those meeting the filter."""
    if ind.filter is None:
        return pd.Series(True, index=survey.frame.index)
    return parse_condition(ind.filter).evaluate(survey.frame, survey.questions)


def _question(survey: Survey, qid: str | None) -> Question:
    """The question an indicator names (checked before any computation)."""
    assert qid is not None
    return survey.questions[qid]


def _frac(count: int, base: int) -> float | None:
    return count / base if base else None


def _result(survey: Survey, ind: Indicator, q: Question | None, **kw: Any) -> Result:
    return Result(
        question=q.id if q else None,
        question_text=q.text if q else (ind.label or ""),
        respondents=survey.codebook.respondents or "",
        published=bool(q.published) if q else False,
        **kw,
    )


def _order(ind: Indicator, codes: list[str], values: list[float | None]) -> list[int]:
    """Positions of categories in display order."""
    positions = list(range(len(codes)))
    if ind.options:
        wanted = (
            [c for c in ind.options if c in codes]
            if ind.sort == "fixed"
            else [c for c in codes if c in ind.options]
        )
        positions = [codes.index(c) for c in wanted]
    if ind.sort in ("desc", "asc"):
        key = [(-1 if v is None else v) for v in values]
        positions = sorted(positions, key=lambda i: key[i], reverse=ind.sort == "desc")
    return positions


def _pick(seq: list[Any], positions: list[int]) -> tuple[Any, ...]:
    return tuple(seq[i] for i in positions)


# -- indicators --------------------------------------------------------------


def count(survey: Survey, ind: Indicator) -> Result:
    """Number of respondents in scope (and meeting `condition`)."""
    mask = _scope(survey, ind)
    if ind.condition is not None:
        mask &= parse_condition(ind.condition).evaluate(survey.frame, survey.questions)
    n = int(mask.sum())
    # the number of respondents is always published; a count of those meeting a
    # condition is as published as the condition's question
    q = survey.questions[parse_condition(ind.condition).questions()[0]] if ind.condition else None
    result = _result(
        survey,
        ind,
        q,
        kind="count",
        categories=(ind.label or "",),
        codes=("count",),
        series=(Series("", (float(n),), (n,)),),
        bases=(len(survey.frame),),
        base=len(survey.frame),
        is_count=True,
    )
    return result if q is not None else replace(result, published=True)


def share(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents meeting `condition`, over those asked (or all in scope)."""
    cond = parse_condition(ind.condition)
    questions = survey.questions
    scope = _scope(survey, ind)
    if ind.base == "asked":
        for qid in cond.questions():
            scope &= survey.frame[questions[qid].columns()].notna().any(axis=1)
    hits = cond.evaluate(survey.frame, questions)[scope].to_numpy(bool)
    q = questions[cond.questions()[0]]
    label = ind.label or ""  # else the text layer describes the condition
    tally = Tally(scope, ["share"], [label], [_ONE_LEVEL], [hits[:, None]], _ones(hits))
    return _categorised(survey, ind, q, tally, kind="share")


def ratio(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents whose numerator/denominator is below a threshold."""
    frame = survey.frame
    num, den = frame[ind.numerator], frame[ind.denominator]
    scope = _scope(survey, ind) & num.notna() & den.notna() & (den != 0)
    hits = (num / den.where(den != 0) < ind.below)[scope].to_numpy(bool)
    q = _question(survey, ind.numerator)
    tally = Tally(scope, ["ratio"], [ind.label or ""], [_ONE_LEVEL], [hits[:, None]], _ones(hits))
    return _categorised(survey, ind, q, tally, kind="ratio")


def distribution(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents per option of a single-choice (or banded numeric) question."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    if q.asked_if is not None:
        scope &= q.asked_if.evaluate(survey.frame, survey.questions)
    cats = [c for c in q.categories() if not (ind.no_answer == "exclude" and c.no_answer)]
    codes = [c.code for c in cats]
    hits = _one_hot(_answers(survey, q)[scope], codes)
    answered: np.ndarray = np.asarray(hits.any(axis=1))
    tally = Tally(scope, codes, [c.label for c in cats], [_ONE_LEVEL], [hits], answered[:, None])
    return _categorised(survey, ind, q, tally, kind="distribution")


def multi(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents selecting each option; each option over its own base."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    asked = cols.notna().to_numpy(bool)
    tally = Tally(
        scope,
        [o.code for o in q.options],
        [o.label for o in q.options],
        [_ONE_LEVEL],
        [cols.eq(1).to_numpy(bool)],
        asked,
        answered=asked.any(axis=1),
    )
    return _categorised(survey, ind, q, tally, kind="multi")


def likert(survey: Survey, ind: Indicator) -> Result:
    """For each statement, the share of each scale level (a 100 % stacked bar)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    levels = [
        o for o in q.options if not (ind.no_answer == "exclude" and (o.no_answer or o.dont_know))
    ]
    asked = cols.isin([o.code for o in levels]).to_numpy(bool)
    tally = Tally(
        scope,
        [i.code for i in q.items],
        [i.label for i in q.items],
        [Level(o.code, o.label, o.dont_know or o.no_answer) for o in levels],
        [cols.eq(o.code).to_numpy(bool) for o in levels],
        asked,
        answered=asked.any(axis=1),
    )
    return _categorised(survey, ind, q, tally, kind="likert")


def ranking(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents who put each item in their top N (shares add up to <= N x 100 %)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    ranked = cols.notna().any(axis=1).to_numpy(bool)
    hits = (cols.le(ind.top) & cols.notna()).to_numpy(bool)
    tally = Tally(
        scope, [i.code for i in q.items], [i.label for i in q.items], [_ONE_LEVEL], [hits],
        ranked[:, None],
    )  # fmt: skip
    return _categorised(survey, ind, q, tally, kind="ranking")


def mean(survey: Survey, ind: Indicator) -> Result:
    """Mean of a numeric question over those in scope who gave a number."""
    return _summary(survey, ind, "mean", lambda x: float(x.mean()))


def median(survey: Survey, ind: Indicator) -> Result:
    """Median of a numeric question (the middle answer; the mean of the two middle ones)."""
    return _summary(survey, ind, "median", lambda x: float(x.median()))


def quantile(survey: Survey, ind: Indicator) -> Result:
    """Quantile `q` of a numeric question (linear between the two nearest answers)."""
    q = float(ind.q or 0.5)
    return _summary(survey, ind, "quantile", lambda x: float(x.quantile(q)))


def _summary(survey: Survey, ind: Indicator, kind: str, statistic) -> Result:
    """One number summing up a numeric question, over everyone in scope or per segment."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    if q.asked_if is not None:
        scope &= q.asked_if.evaluate(survey.frame, survey.questions)
    numbers = pd.to_numeric(survey.frame.loc[scope, q.id], errors="coerce")
    answered = numbers.notna()

    def one(values: pd.Series) -> tuple[float | None, int]:
        values = values.dropna()
        return (statistic(values) if len(values) else None), len(values)

    value, n = one(numbers)
    common: dict[str, Any] = {
        "kind": kind,
        "categories": (ind.label or "",),  # else the text layer names the statistic
        "codes": (kind,),
        "measure": kind,
        "unit": q.unit or "",
        "decimals": ind.decimals,
    }
    if ind.by is None:
        return _result(
            survey, ind, q, series=(Series("", (value,), (n,)),), bases=(n,), base=n, **common
        )
    by = survey.questions[ind.by]
    if ind.segments is not None:
        segments = [
            (label, label, [str(c) for c in codes]) for label, codes in ind.segments.items()
        ]
    else:
        segments = [(c.label, c.code, [c.code]) for c in by.categories() if not c.no_answer]
    answers = _answers(survey, by)[scope]
    series = [Series("", (value,), (n,), base=n, bases=(n,), total=True)] if ind.total else []
    for label, code, codes in segments:
        v, k = one(numbers[answers.isin(codes) & answered])
        series.append(Series(label, (v,), (k,), code=code, base=k, bases=(k,)))
    return _result(
        survey, ind, q, series=tuple(series), bases=(n,), base=n, by=by.id, by_text=by.text,
        **common,
    )  # fmt: skip


# -- tallies: what is counted, respondent by respondent ----------------------------------


@dataclass(frozen=True)
class Level:
    """A series of a categorised result: a Likert scale level, or the one series."""

    code: str
    label: str
    dont_know: bool = False


_ONE_LEVEL = Level("", "")


@dataclass
class Tally:
    """What a categorised indicator counts, for the respondents in `scope` (rows, in
    the frame's order): for each level, who counts in each category (`hits`); who
    is in each category's base (`asked`, one column when all share it); and who is
    in the result's base (`answered`, default: in any category's base).

    Summed over everyone it gives the result; summed per segment of another
    question (`by:`), a breakdown; with weights, weighted figures."""

    scope: pd.Series
    codes: list[str]
    labels: list[str]
    levels: list[Level]
    hits: list[np.ndarray]  # per level: respondents x categories
    asked: np.ndarray  # respondents x categories, or respondents x 1
    answered: np.ndarray | None = None  # respondents

    def __post_init__(self) -> None:
        if self.answered is None:
            self.answered = np.asarray(self.asked.any(axis=1))


def _ones(hits: np.ndarray) -> np.ndarray:
    return np.ones((len(hits), 1), dtype=bool)


def _one_hot(answers: pd.Series, codes: list[str]) -> np.ndarray:
    """respondents x codes: True where the answer is that code."""
    position = answers.map({c: j for j, c in enumerate(codes)})
    found = position.to_numpy(dtype=float, na_value=np.nan)
    return found[:, None] == np.arange(len(codes))[None, :]


def _answers(survey: Survey, q: Question) -> pd.Series:
    """A single-choice question's answer codes, or a numeric question's band codes."""
    if q.type == "numeric":
        from .bands import band_codes

        return band_codes(survey.frame[q.id], q.bands)
    return survey.frame[q.id]


def _sums(matrix: np.ndarray, segment: np.ndarray | None, segments: int) -> np.ndarray:
    """Column sums of a respondents x k matrix: one row (everyone), or one per segment
    (`segment`: each respondent's segment, `segments` for none)."""
    if segment is None:
        return matrix.sum(axis=0, keepdims=True).astype(np.int64)
    out = np.empty((segments, matrix.shape[1]), dtype=np.int64)
    for j in range(matrix.shape[1]):
        out[:, j] = np.bincount(segment, weights=matrix[:, j], minlength=segments + 1)[:segments]
    return out


@dataclass
class _Sums:
    """A tally summed: per level, counts (rows x k); bases (rows x k); base (rows)."""

    counts: list[np.ndarray]
    bases: np.ndarray
    base: np.ndarray


def _summed(tally: Tally, segment: np.ndarray | None = None, segments: int = 1) -> _Sums:
    k = len(tally.codes)
    bases = _sums(tally.asked, segment, segments)
    if bases.shape[1] != k:
        bases = np.repeat(bases, k, axis=1)
    assert tally.answered is not None
    base = _sums(tally.answered[:, None], segment, segments)[:, 0]
    return _Sums([_sums(h, segment, segments) for h in tally.hits], bases, base)


def _values(counts: np.ndarray, bases: np.ndarray) -> list[float | None]:
    return [_frac(int(n), int(b)) for n, b in zip(counts, bases)]


def _sort_key(tally: Tally, sums: _Sums, ind: Indicator) -> list[float | None]:
    """What `sort:` orders categories by: the value, or for a Likert grid the share of
    its first two levels (the positive side)."""
    counts = sums.counts[0][0]
    if len(tally.levels) > 1 and len(sums.counts) > 1:
        counts = counts + sums.counts[1][0]
    return _values(counts, sums.bases[0])


def _categorised(survey: Survey, ind: Indicator, q: Question, tally: Tally, kind: str) -> Result:
    """The result of a tally: over everyone in scope, or broken down `by:` a question."""
    total = _summed(tally)
    order = _order(ind, tally.codes, _sort_key(tally, total, ind))
    extra: dict[str, Any] = {}
    if kind == "multi":
        bases = total.bases[0]
        extra["item_bases"] = tuple(
            (o.label, int(bases[i]), o.base_label or "", o.code)  # who was asked: the text layer's
            for i, o in enumerate(q.options)
            if o.asked_if is not None and i in order
        )
    if kind in ("multi", "ranking"):
        extra["multiple"] = True
    base = int(total.base[0])
    if ind.by is None:
        series = tuple(
            Series(
                level.label,
                _pick(_values(counts[0], total.bases[0]), order),
                _pick([int(c) for c in counts[0]], order),
                code=level.code,
                dont_know=level.dont_know,
            )
            for level, counts in zip(tally.levels, total.counts)
        )
        return _result(
            survey,
            ind,
            q,
            kind=kind,
            categories=_pick(tally.labels, order),
            codes=_pick(tally.codes, order),
            series=series,
            bases=_pick([int(b) for b in total.bases[0]], order),
            base=base,
            **extra,
        )
    return _breakdown(survey, ind, q, tally, kind, total, order, extra)


def _breakdown(
    survey: Survey,
    ind: Indicator,
    q: Question,
    tally: Tally,
    kind: str,
    total: _Sums,
    order: list[int],
    extra: dict[str, Any],
) -> Result:
    """One series per segment of the `by:` question (and the total first, with
    `total: true`), each over its own base; a Likert grid gives either a score per
    statement and segment (`score:`) or a block of levels per statement."""
    by = survey.questions[ind.by or ""]
    # (label, code, its options' codes): one per option (no answer aside), or as grouped
    if ind.segments is not None:
        segments = [
            (label, label, [str(c) for c in codes]) for label, codes in ind.segments.items()
        ]
    else:
        segments = [(c.label, c.code, [c.code]) for c in by.categories() if not c.no_answer]
    position = {code: i for i, (_, _, codes) in enumerate(segments) for code in codes}
    answers = _answers(survey, by)[tally.scope]
    segment = answers.map(position).fillna(len(segments)).to_numpy(np.int64)
    per = _summed(tally, segment, len(segments))
    # the rows: the total (when asked for) then each segment, as (label, code, sums row)
    rows: list[tuple[str, str, _Sums, int, bool]] = [
        ("", "", total, 0, True)
    ] if ind.total else []  # fmt: skip
    rows += [(label, code, per, i, False) for i, (label, code, _) in enumerate(segments)]
    common = {"by": by.id, "by_text": by.text, "base": int(total.base[0]), **extra}
    if kind == "likert" and ind.score:  # a score per statement and segment
        wanted = [i for i, level in enumerate(tally.levels) if level.code in ind.score]
        scores: list[Series] = []
        for label, code, sums, r, is_total in rows:
            counts = sum(sums.counts[i][r] for i in wanted)
            scores.append(
                Series(
                    label,
                    _pick(_values(counts, sums.bases[r]), order),
                    _pick([int(c) for c in counts], order),
                    code=code,
                    base=int(sums.base[r]),
                    bases=_pick([int(b) for b in sums.bases[r]], order),
                    total=is_total,
                )
            )
        return _result(
            survey, ind, q, kind=kind, categories=_pick(tally.labels, order),
            codes=_pick(tally.codes, order), series=tuple(scores),
            bases=_pick([int(b) for b in total.bases[0]], order), **common,
        )  # fmt: skip
    if kind == "likert":  # a block per statement: one bar per segment, the levels stacked
        cells = [(j, row) for j in order for row in rows]
        series = tuple(
            Series(
                level.label,
                tuple(_frac(int(row[2].counts[i][row[3]][j]), int(row[2].bases[row[3]][j]))
                      for j, row in cells),
                tuple(int(row[2].counts[i][row[3]][j]) for j, row in cells),
                code=level.code,
                dont_know=level.dont_know,
            )
            for i, level in enumerate(tally.levels)
        )  # fmt: skip
        return _result(
            survey, ind, q, kind=kind,
            categories=tuple(row[0] for _, row in cells),
            codes=tuple(f"{tally.codes[j]}|{row[1]}" for j, row in cells),
            groups=tuple(tally.labels[j] for j, _ in cells),
            series=series,
            bases=tuple(int(row[2].bases[row[3]][j]) for j, row in cells),
            **common,
        )  # fmt: skip
    series = tuple(
        Series(
            label,
            _pick(_values(sums.counts[0][r], sums.bases[r]), order),
            _pick([int(c) for c in sums.counts[0][r]], order),
            code=code,
            base=int(sums.base[r]),
            bases=_pick([int(b) for b in sums.bases[r]], order),
            total=is_total,
        )
        for label, code, sums, r, is_total in rows
    )
    return _result(
        survey, ind, q, kind=kind, categories=_pick(tally.labels, order),
        codes=_pick(tally.codes, order), series=series,
        bases=_pick([int(b) for b in total.bases[0]], order), **common,
    )  # fmt: skip
