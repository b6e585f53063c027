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

from dataclasses import replace
from typing import Any

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
    hits = cond.evaluate(survey.frame, questions) & scope
    base, n = int(scope.sum()), int(hits.sum())
    q = questions[cond.questions()[0]]
    label = ind.label or ""  # else the text layer describes the condition
    return _result(
        survey,
        ind,
        q,
        kind="share",
        categories=(label,),
        codes=("share",),
        series=(Series("", (_frac(n, base),), (n,)),),
        bases=(base,),
        base=base,
    )


def ratio(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents whose numerator/denominator is below a threshold."""
    frame = survey.frame
    num, den = frame[ind.numerator], frame[ind.denominator]
    scope = _scope(survey, ind) & num.notna() & den.notna() & (den != 0)
    hits = scope & (num / den.where(den != 0) < ind.below)
    base, n = int(scope.sum()), int(hits.sum())
    q = _question(survey, ind.numerator)
    return _result(
        survey,
        ind,
        q,
        kind="ratio",
        categories=(ind.label or "",),
        codes=("ratio",),
        series=(Series("", (_frac(n, base),), (n,)),),
        bases=(base,),
        base=base,
    )


def distribution(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents per option of a single-choice (or banded numeric) question."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    if q.asked_if is not None:
        scope &= q.asked_if.evaluate(survey.frame, survey.questions)
    if q.type == "numeric":
        from .bands import band_codes

        answers = band_codes(survey.frame[q.id], q.bands)
    else:
        answers = survey.frame[q.id]
    cats = [c for c in q.categories() if not (ind.no_answer == "exclude" and c.no_answer)]
    answers = answers[scope]
    answers = answers[answers.isin([c.code for c in cats])]
    counts_all = answers.value_counts()
    base = int(len(answers))
    codes = [c.code for c in cats]
    counts = [int(counts_all.get(c, 0)) for c in codes]
    values = [_frac(n, base) for n in counts]
    order = _order(ind, codes, values)
    return _result(
        survey,
        ind,
        q,
        kind="distribution",
        categories=_pick([c.label for c in cats], order),
        codes=_pick(codes, order),
        series=(Series("", _pick(values, order), _pick(counts, order)),),
        bases=tuple(base for _ in order),
        base=base,
    )


def multi(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents selecting each option; each option over its own base."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    asked = cols.notna()
    counts = [int(v) for v in cols.eq(1).sum()]
    bases = [int(v) for v in asked.sum()]
    values = [_frac(n, b) for n, b in zip(counts, bases)]
    codes = [o.code for o in q.options]
    order = _order(ind, codes, values)
    base = int(asked.any(axis=1).sum())
    item_bases = tuple(
        (o.label, bases[i], o.base_label or "", o.code)  # who was asked: the text layer's
        for i, o in enumerate(q.options)
        if o.asked_if is not None and i in order
    )
    return _result(
        survey,
        ind,
        q,
        kind="multi",
        categories=_pick([o.label for o in q.options], order),
        codes=_pick(codes, order),
        series=(Series("", _pick(values, order), _pick(counts, order)),),
        bases=_pick(bases, order),
        base=base,
        multiple=True,
        item_bases=item_bases,
    )


def likert(survey: Survey, ind: Indicator) -> Result:
    """For each statement, the share of each scale level (a 100 % stacked bar)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    levels = [
        o for o in q.options if not (ind.no_answer == "exclude" and (o.no_answer or o.dont_know))
    ]
    level_codes = [o.code for o in levels]
    answered = cols.isin(level_codes)
    bases = [int(v) for v in answered.sum()]
    counts = {o.code: [int(v) for v in cols.eq(o.code).sum()] for o in levels}
    # statements sorted by their positive share (first level + second) when asked
    positive = [
        _frac(
            counts[level_codes[0]][i] + (counts[level_codes[1]][i] if len(level_codes) > 1 else 0),
            bases[i],
        )
        for i in range(len(q.items))
    ]
    codes = [i.code for i in q.items]
    order = _order(ind, codes, positive)
    series = tuple(
        Series(
            o.label,
            _pick([_frac(n, b) for n, b in zip(counts[o.code], bases)], order),
            _pick(counts[o.code], order),
            code=o.code,
            dont_know=o.dont_know or o.no_answer,
        )
        for o in levels
    )
    return _result(
        survey,
        ind,
        q,
        kind="likert",
        categories=_pick([i.label for i in q.items], order),
        codes=_pick(codes, order),
        series=series,
        bases=_pick(bases, order),
        base=int(answered.any(axis=1).sum()),
    )


def ranking(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents who put each item in their top N (shares add up to <= N x 100 %)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    cols = survey.frame.loc[scope, q.columns()]
    ranked = cols.notna().any(axis=1)
    base = int(ranked.sum())
    counts = [int(v) for v in (cols.le(ind.top) & cols.notna()).sum()]
    values = [_frac(n, base) for n in counts]
    codes = [i.code for i in q.items]
    order = _order(ind, codes, values)
    return _result(
        survey,
        ind,
        q,
        kind="ranking",
        categories=_pick([i.label for i in q.items], order),
        codes=_pick(codes, order),
        series=(Series("", _pick(values, order), _pick(counts, order)),),  # named "Top N"
        bases=tuple(base for _ in order),
        base=base,
        multiple=True,
    )
