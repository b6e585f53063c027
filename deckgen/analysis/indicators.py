"""Indicators: pure functions (survey, parameters) -> Result.

Each kind is declared in deckgen.indicator_kinds, which names its function
here; an unknown kind fails with a message naming the valid ones. Every
computation is vectorised over the response frame. Results carry figures and
the survey's own labels; the words deckgen adds about them (who is in scope,
a scalar's label) are the text layer's (deckgen.wording.phrases.localise).

Bases, the survey way:
- `filter` narrows the respondents in scope (e.g. communes only);
- a question asked of some respondents only (`asked_if`) is computed over those
  asked; a multi-select option with its own `asked_if` has its own base
  (neighbourhood councils: the communes);
- `base: all` divides by everyone in scope instead (e.g. "94 % of all
  respondents held public meetings by videoconference").
An empty base gives a result whose values are None ("n.d." / "n/a"), never a
ZeroDivisionError.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from deckgen import indicator_kinds
from deckgen.analysis.results import Result, Series
from deckgen.analysis.survey import Survey
from deckgen.errors import DataError, suggest, valid_list
from deckgen.inputs.codebook import Question
from deckgen.inputs.conditions import Leaf, parse_condition
from deckgen.inputs.indicator_spec import Indicator


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
    return provenance(kind.function()(survey, indicator), indicator, survey.questions)


def provenance(result: Result, ind: Indicator, questions: dict[str, Question]) -> Result:
    """`result` with the figures that were published (`Result.published_codes`), as the
    codebook lists them: never more than the indicator's kind said (`published`). A
    figure is published when it is the one that was: over those asked the question,
    without a filter; an option's share, or the share having any of a listed group of
    options (the codebook's `published_figures`), or, without that list, any figure
    of a `published` question. The number of respondents is always published."""
    if not result.published:
        return replace(result, published_codes=())
    codes: tuple[str, ...] = ()
    if ind.filter is None:
        of_kind = indicator_kinds.declared(ind.kind)
        if of_kind.per_option and ind.question in questions:
            q = questions[ind.question]
            codes = tuple(c for c in result.codes if q.figure_published([c]))
        elif ind.condition is not None:  # a share, a count: the options it counts
            cond = parse_condition(ind.condition)
            about = cond.questions()
            counted_in = questions.get(about[0]) if len(about) == 1 else None
            values = [str(v) for v in getattr(cond, "values", ())]
            counted = getattr(cond, "test", "") in ("in", "has", "has_any") and values
            # over those asked: the base a published figure has
            asked = counted_in is not None and (ind.base == "asked" or counted_in.asked_if is None)
            if counted_in is not None and counted and asked and counted_in.figure_published(values):
                codes = result.codes
        elif of_kind.respondents:
            codes = result.codes  # the number of respondents
        elif result.question in questions:
            q = questions[result.question]
            codes = result.codes if q.published and not q.published_figures else ()
    whole = set(codes) == set(result.codes) and not result.by
    return replace(result, published=whole, published_codes=codes)


# -- helpers -----------------------------------------------------------------


def _scope(survey: Survey, ind: Indicator) -> pd.Series:
    """Respondents in scope: everyone, or those meeting the filter."""
    if ind.filter is None:
        return pd.Series(True, index=survey.frame.index)
    return parse_condition(ind.filter).evaluate(survey.frame, survey.questions, survey.codes)


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
    """`seq` in display order (an empty `seq`, such as unweighted effective bases, stays empty)."""
    return tuple(seq[i] for i in positions) if seq else ()


# -- indicators --------------------------------------------------------------


def count(survey: Survey, ind: Indicator) -> Result:
    """Number of respondents in scope (and meeting `condition`)."""
    mask = _scope(survey, ind)
    in_scope = int(mask.sum())  # the count's base: those it is counted among (a filter's)
    if ind.condition is not None:
        mask &= parse_condition(ind.condition).evaluate(
            survey.frame, survey.questions, survey.codes
        )
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
        bases=(in_scope,),
        base=in_scope,
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
            answered = Leaf(qid, "answered")  # from the codes of a text question
            scope &= answered.evaluate(survey.frame, questions, survey.codes)
    # the respondents in scope as a mask of the array, not of the Series: filtering a
    # Series filters its index too (a million respondent ids: 4 ms a time)
    hits = cond.evaluate(survey.frame, questions, survey.codes).to_numpy(bool)[scope.to_numpy(bool)]
    q = questions[cond.questions()[0]]
    label = ind.label or ""  # else the text layer describes the condition
    tally = Tally(scope, ["share"], [label], [_ONE_LEVEL], [hits[:, None]], _ones(hits))
    return _categorised(survey, ind, q, tally, kind="share")


def ratio(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents whose numerator/denominator is below a threshold."""
    frame = survey.frame
    num, den = frame[ind.numerator], frame[ind.denominator]
    scope = _scope(survey, ind) & num.notna() & den.notna() & (den != 0)
    hits = (num / den.where(den != 0) < ind.below).to_numpy(bool)[scope.to_numpy(bool)]
    q = _question(survey, ind.numerator)
    tally = Tally(scope, ["ratio"], [ind.label or ""], [_ONE_LEVEL], [hits[:, None]], _ones(hits))
    return _categorised(survey, ind, q, tally, kind="ratio")


def distribution(survey: Survey, ind: Indicator) -> Result:
    """Share of respondents per option of a single-choice (or banded numeric) question."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    if q.asked_if is not None:
        scope &= q.asked_if.evaluate(survey.frame, survey.questions, survey.codes)
    cats = [c for c in q.categories() if not (ind.no_answer == "exclude" and c.no_answer)]
    codes = [c.code for c in cats]
    hits = _one_hot(_answer_positions(survey, q, codes, scope), len(codes))
    answered: np.ndarray = _any_row(hits)
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
        answered=_any_row(asked),
    )
    return _categorised(survey, ind, q, tally, kind="multi")


def likert(survey: Survey, ind: Indicator) -> Result:
    """For each statement, the share of each scale level (a 100 % stacked bar)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    levels = [
        o for o in q.options if not (ind.no_answer == "exclude" and (o.no_answer or o.dont_know))
    ]
    # each statement's answer as the position of its level (-1: none of them): one
    # hash lookup per cell, then comparisons of numbers, not one of text per level.
    # Column by column in memory, as the frame's own matrix: weighted sums add up
    # in the same order, to the last digit
    codes = [o.code for o in levels]
    columns = q.columns()
    inside = scope.to_numpy(bool)
    coded = [survey.codes(c) for c in columns]
    if None in coded:
        cols = survey.frame.loc[scope, columns]
        at = np.array([_positions(cols[c], codes) for c in columns], ndmin=2)
    else:  # from the columns' codes (deckgen.inputs.coded)
        at = np.array([c.positions(codes)[inside] for c in coded if c is not None], ndmin=2)
    at = at.reshape(len(columns), int(inside.sum())).T
    asked = at >= 0
    tally = Tally(
        scope,
        [i.code for i in q.items],
        [i.label for i in q.items],
        [Level(o.code, o.label, o.dont_know or o.no_answer) for o in levels],
        [at == j for j in range(len(levels))],
        asked,
        answered=_any_row(asked),
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
    return _summary(survey, ind, "mean", lambda x: float(x.mean()), lambda d: float(d.mean))


def median(survey: Survey, ind: Indicator) -> Result:
    """Median of a numeric question (the middle answer; the mean of the two middle ones):
    `quantile_of` at 0.5."""
    return _summary(
        survey,
        ind,
        "median",
        lambda x: quantile_of(x.to_numpy(float), None, 0.5),
        lambda d: quantile_of(d.data, d.weights, 0.5),
    )


def quantile(survey: Survey, ind: Indicator) -> Result:
    """Quantile `q` of a numeric question (`quantile_of`, weighted or not)."""
    q = float(ind.q or 0.5)
    return _summary(
        survey,
        ind,
        "quantile",
        lambda x: quantile_of(x.to_numpy(float), None, q),
        lambda d: quantile_of(d.data, d.weights, q),
    )


def quantile_of(values: np.ndarray, weights: np.ndarray | None, q: float) -> float:
    """The quantile q of `values`, weighted or not, by one definition: the inverse of
    the (weighted) distribution function, averaged where it is flat (Hyndman and Fan
    1996, definition 2; SAS's PCTLDEF=5, the one SAS also applies to weights; numpy's
    `averaged_inverted_cdf`). The smallest value whose cumulative share of the weight
    reaches q; where that share is exactly q, the mean of that value and the next.
    Equal weights give the unweighted quantile (the median of 1, 2, 3, 4 is 2.5 either
    way), and whole-number weights the quantile of each value repeated that often."""
    order = np.argsort(values, kind="stable")
    x = np.asarray(values, float)[order]
    w = np.ones(len(x)) if weights is None else np.asarray(weights, float)[order]
    x, w = x[w > 0], w[w > 0]
    cumulative = np.cumsum(w)
    target = q * cumulative[-1]
    tolerance = 1e-9 * cumulative[-1]  # equal weights summed in floating point
    i = int(np.searchsorted(cumulative, target - tolerance))
    i = min(i, len(x) - 1)
    if abs(cumulative[i] - target) <= tolerance and i + 1 < len(x):
        return float((x[i] + x[i + 1]) / 2)
    return float(x[i])


def _summary(survey: Survey, ind: Indicator, kind: str, plain, weighted) -> Result:
    """One number summing up a numeric question, over everyone in scope or per segment:
    `plain(values)`, or with weights `weighted(DescrStatsW)` (statsmodels, imported then)."""
    q = _question(survey, ind.question)
    scope = _scope(survey, ind)
    if q.asked_if is not None:
        scope &= q.asked_if.evaluate(survey.frame, survey.questions, survey.codes)
    numbers = pd.to_numeric(survey.frame.loc[scope, q.id], errors="coerce")
    weights = _weights(survey, ind, scope)
    w = pd.Series(weights, index=numbers.index) if weights is not None else None

    def one(rows: pd.Series) -> tuple[float | None, int, float | None]:
        """(statistic, respondents, effective base) of the numbers in `rows`."""
        values = numbers[rows].dropna()
        if w is None:
            return (plain(values) if len(values) else None), len(values), None
        from statsmodels.stats.weightstats import DescrStatsW

        kept = w[values.index]
        values, kept = values[kept > 0], kept[kept > 0]
        if not len(values):
            return None, len(numbers[rows].dropna()), 0.0
        kept = kept / kept.max()  # their squares neither vanish nor overflow
        effective = float(kept.sum() ** 2 / (kept**2).sum())
        described = DescrStatsW(values.to_numpy(float), weights=kept.to_numpy(float))
        return weighted(described), len(numbers[rows].dropna()), effective

    def series(label: str, code: str, rows: pd.Series, **kw: Any) -> Series:
        value, n, effective = one(rows)
        return Series(
            label, (value,), (n,), code=code, effective=() if effective is None else (effective,),
            **kw,
        )  # fmt: skip

    everyone = pd.Series(True, index=numbers.index)
    total = series("", "", everyone)
    n = total.counts[0]
    common: dict[str, Any] = {
        "kind": kind,
        "categories": (ind.label or "",),  # else the text layer names the statistic
        "codes": (kind,),
        "measure": kind,
        "unit": q.unit or "",
        "decimals": ind.decimals,
        "weighted": weights is not None,
    }
    if w is not None:
        given = w[numbers.notna()]
        common.update(_weight_facts(given.to_numpy(float), given.index))
    if ind.by is None:
        return _result(survey, ind, q, series=(total,), bases=(n,), base=n, **common)
    answers = _answers(survey, survey.questions[ind.by])[scope]
    rows = [replace(total, base=n, bases=(n,), total=True)] if ind.total else []
    members = []
    for label, code, codes in _segments(survey, ind):
        inside = answers.isin(codes)
        k = int((inside & numbers.notna()).sum())
        rows.append(series(label, code, inside, base=k, bases=(k,)))
        members.append((len(rows) - 1, inside))
    if ind.test != "none":  # Welch's t-test, each segment against the rest or another
        from deckgen.analysis import significance

        def sample(rows_in: pd.Series) -> tuple[pd.Series, pd.Series | None]:
            values = numbers[rows_in].dropna()
            return values, (w[values.index] if w is not None else None)

        tested = _design_test(survey, ind, scope, numbers.to_numpy(float), weights)

        def design(first: pd.Series, second: pd.Series):
            if tested is None:
                return None
            answered = numbers.notna().to_numpy(bool)
            return lambda: tested(first.to_numpy(bool) & answered, second.to_numpy(bool) & answered)

        for k, inside in members:
            a, wa = sample(inside)
            b, wb = sample(~inside)
            p, how = significance.samples(a, b, wa, wb, design(inside, ~inside))
            value = rows[k].values[0]
            sign = 0
            if value is not None and len(b) and (wb is None or wb.sum() > 0):
                sign = int(np.sign(value - float(np.average(b, weights=wb))))
            rest = float(len(b)) if wb is None else _effective_size(wb)
            rows[k] = replace(rows[k], p=(p,), higher=(sign,), tested=(how,), rest=(rest,))
        pairs, tests = [], []
        for i, (ka, inside_a) in enumerate(members):
            for kb, inside_b in members[i + 1 :] if ind.test == "pairwise" else []:
                a, wa = sample(inside_a)
                b, wb = sample(inside_b)
                p, how = significance.samples(a, b, wa, wb, design(inside_a, inside_b))
                va, vb = rows[ka].values[0] or 0.0, rows[kb].values[0] or 0.0
                pairs.append((0, ka, kb, p, 1 if va > vb else -1 if va < vb else 0))
                tests.append((0, rows[ka].code, rows[kb].code, how))
        test = "t" if tested is None else "design"
        common.update(test=test, compared=ind.test, pairwise=tuple(pairs), pair_tests=tuple(tests))
    by = survey.questions[ind.by]
    return _result(
        survey, ind, q, series=tuple(rows), bases=(n,), base=n, by=by.id, by_text=by.text,
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
            self.answered = _any_row(self.asked)


def _ones(hits: np.ndarray) -> np.ndarray:
    return np.ones((len(hits), 1), dtype=bool)


def _one_hot(at: np.ndarray, n: int) -> np.ndarray:
    """respondents x codes: True where the answer is that code (`at`: each answer's
    position among the `n` codes, -1 for none)."""
    return at[:, None] == np.arange(n)[None, :]


def _answer_positions(
    survey: Survey, q: Question, codes: list[str], scope: pd.Series
) -> np.ndarray:
    """`_positions` of the answers of the respondents in `scope` (`_answers`), from
    the column's codes where the survey holds them (deckgen.inputs.coded)."""
    coded = survey.codes(q.id) if q.type != "numeric" else None
    if coded is None:
        return _positions(_answers(survey, q)[scope], codes)
    return coded.positions(codes)[scope.to_numpy(bool)]


def _positions(answers: pd.Series, codes: list[str]) -> np.ndarray:
    """Each answer's position in `codes` (distinct: a codebook refuses a code twice),
    -1 where it is none of them (no answer included): a hash lookup per cell (a
    300,000-row column of text: about 20 ms, where comparing it with each code took
    about 18 ms a code, and `map` 150 ms)."""
    return np.asarray(pd.Index(codes, dtype=object).get_indexer(answers), dtype=np.intp)


def _answers(survey: Survey, q: Question) -> pd.Series:
    """A single-choice question's answer codes, or a numeric question's band codes."""
    if q.type == "numeric":
        from deckgen.inputs.bands import band_codes

        return band_codes(survey.frame[q.id], q.bands)
    return survey.frame[q.id]


def _counted(matrix: np.ndarray) -> np.ndarray:
    """The Trues in each column of a respondents x k matrix of booleans, as one row:
    `matrix.sum(axis=0, keepdims=True)`, a column at a time (a million rows by 7
    columns, laid out row by row: 3.5 against 15 ms)."""
    counts = [np.count_nonzero(matrix[:, j]) for j in range(matrix.shape[1])]
    return np.array(counts, dtype=np.int64).reshape(1, matrix.shape[1])


def _any_row(matrix: np.ndarray) -> np.ndarray:
    """Whether each row of a respondents x k matrix of booleans holds a True:
    `matrix.any(axis=1)`, a column at a time (a million rows by 7 columns: 3 against
    21 ms). Of numbers (a plug-in's tally), `any` itself."""
    if matrix.dtype != bool:
        return np.asarray(matrix.any(axis=1))
    out = np.zeros(matrix.shape[0], dtype=bool)
    for j in range(matrix.shape[1]):
        out |= matrix[:, j]
    return out


def _sums(
    matrix: np.ndarray,
    segment: np.ndarray | None,
    segments: int,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Column sums of a respondents x k matrix (each row times its weight): one row
    (everyone), or one per segment (`segment`: each respondent's, `segments` for none)."""
    if weights is None and segment is None and matrix.dtype == bool:
        return _counted(matrix)
    if weights is not None:
        matrix = matrix * weights[:, None]
    if segment is None:
        return matrix.sum(axis=0, keepdims=True)
    out = np.empty((segments, matrix.shape[1]))
    for j in range(matrix.shape[1]):
        out[:, j] = np.bincount(segment, weights=matrix[:, j], minlength=segments + 1)[:segments]
    return out


@dataclass
class _Sums:
    """A tally summed, a row per segment (one row: everyone): per level, the counts;
    the bases; the base -- respondents, unweighted, as bases are shown -- and, weighted,
    the same sums of weights and each base's effective size (Kish: (sum w)^2 / sum w^2)."""

    counts: list[np.ndarray]
    bases: np.ndarray
    base: np.ndarray
    wcounts: list[np.ndarray] | None = None
    wbases: np.ndarray | None = None
    squares: np.ndarray | None = None  # sums of squared weights, over each base
    effective: np.ndarray | None = None

    def hits(self, levels: list[int], r: int) -> list[int]:
        return [int(c) for c in sum(self.counts[i][r] for i in levels)]

    def fractions(self, levels: list[int], r: int) -> list[float | None]:
        """The share in each category of these levels, weighted when there are weights."""
        if self.wcounts is None or self.wbases is None:
            return _values(sum(self.counts[i][r] for i in levels), self.bases[r])
        counts = sum(self.wcounts[i][r] for i in levels)
        return [float(c / b) if b > 0 else None for c, b in zip(counts, self.wbases[r])]

    def series_effective(self, r: int) -> list[float]:
        """A row's effective bases (weighted), else none."""
        return [] if self.effective is None else [float(e) for e in self.effective[r]]


def _summed(
    tally: Tally,
    segment: np.ndarray | None = None,
    segments: int = 1,
    weights: np.ndarray | None = None,
) -> _Sums:
    k = len(tally.codes)

    def wide(sums: np.ndarray) -> np.ndarray:  # a base shared by every category
        return sums if sums.shape[1] == k else np.repeat(sums, k, axis=1)

    assert tally.answered is not None
    sums = _Sums(
        [_sums(h, segment, segments).astype(np.int64) for h in tally.hits],
        wide(_sums(tally.asked, segment, segments).astype(np.int64)),
        _sums(tally.answered[:, None], segment, segments)[:, 0].astype(np.int64),
    )
    if weights is not None:
        sums.wcounts = [_sums(h, segment, segments, weights) for h in tally.hits]
        sums.wbases = wide(_sums(tally.asked, segment, segments, weights))
        sums.squares = wide(_sums(tally.asked, segment, segments, weights * weights))
        sums.effective = _kish(sums.wbases, sums.squares)
    return sums


def _effective_size(weights: pd.Series) -> float:
    """Kish's effective size of one group's weights (0 for none)."""
    squares = float((weights**2).sum())
    return float(weights.sum()) ** 2 / squares if squares > 0 else 0.0


def _kish(total: np.ndarray, squares: np.ndarray) -> np.ndarray:
    """Effective sizes: (sum of weights)^2 / sum of squared weights (0 where empty)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squares > 0, total**2 / np.where(squares > 0, squares, 1), 0.0)


def _values(counts: np.ndarray, bases: np.ndarray) -> list[float | None]:
    return [_frac(int(n), int(b)) for n, b in zip(counts, bases)]


def _weights(survey: Survey, ind: Indicator, scope: pd.Series) -> np.ndarray | None:
    """The weights of the respondents in scope, when the codebook names a weight column
    and the indicator does not turn them off."""
    if survey.weights is None or not ind.weights:
        return None
    return survey.weights.reindex(survey.frame.index)[scope].to_numpy(float)


HEAVY = 3  # the heaviest respondents a weighted result names


def _weight_facts(weights: np.ndarray | None, ids: pd.Index) -> dict[str, Any]:
    """Weighted: the effective size (Kish) of the base whose `weights` (of the
    respondents `ids`) are given, and its heaviest respondents' shares of its total
    weight (`Result.effective_base`, `Result.heavy`)."""
    if weights is None:
        return {}
    total = float(weights.sum())
    if total <= 0:
        return {"effective_base": 0.0}
    top = np.argsort(-weights, kind="stable")[:HEAVY]
    return {
        "effective_base": total * total / float((weights * weights).sum()),
        "heavy": tuple((str(ids[i]), float(weights[i] / total)) for i in top if weights[i] > 0),
    }


def _weighted_counts(sums: _Sums, levels: list[int], r: int, order: list[int]) -> tuple:
    """Row `r`'s weighted counts of `levels`, per category in display order (or none)."""
    if sums.wcounts is None:
        return ()
    counted = sum(sums.wcounts[i][r] for i in levels)
    return _pick([float(c) for c in counted], order)


def _sort_key(tally: Tally, sums: _Sums) -> list[float | None]:
    """What `sort:` orders categories by: the value, or for a Likert grid the share of
    its first two levels (the positive side)."""
    levels = [0, 1] if len(tally.levels) > 1 and len(sums.counts) > 1 else [0]
    return sums.fractions(levels, 0)


def _categorised(survey: Survey, ind: Indicator, q: Question, tally: Tally, kind: str) -> Result:
    """The result of a tally: over everyone in scope, or broken down `by:` a question."""
    weights = _weights(survey, ind, tally.scope)
    total = _summed(tally, weights=weights)
    order = _order(ind, tally.codes, _sort_key(tally, total))
    extra: dict[str, Any] = {"weighted": weights is not None}
    assert tally.answered is not None
    if weights is not None:  # its heaviest respondents are named: their ids
        answered = np.asarray(tally.answered, dtype=bool)
        ids = survey.frame.index[tally.scope.to_numpy(bool)][answered]
        extra.update(_weight_facts(weights[answered], ids))
    of_kind = indicator_kinds.declared(kind)
    if of_kind.multiple and of_kind.per_option:  # options each asked of their own respondents
        bases = total.bases[0]
        extra["item_bases"] = tuple(
            (o.label, int(bases[i]), o.base_label or "", o.code)  # who was asked: the text layer's
            for i, o in enumerate(q.options)
            if o.asked_if is not None and i in order
        )
    if of_kind.multiple:
        extra["multiple"] = True
    base = int(total.base[0])
    if ind.by is None:
        effective = _pick(total.series_effective(0), order)
        series = tuple(
            Series(
                level.label,
                _pick(total.fractions([i], 0), order),
                _pick(total.hits([i], 0), order),
                code=level.code,
                dont_know=level.dont_know,
                effective=effective,
                weighted_counts=_weighted_counts(total, [i], 0, order),
            )
            for i, level in enumerate(tally.levels)
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
    return _breakdown(survey, ind, q, tally, kind, total, order, extra, weights)


def _segments(survey: Survey, ind: Indicator) -> list[tuple[str, str, list[str]]]:
    """The segments of `by:`: (label, code, the option codes it holds) -- one per option
    (no answer aside), or as `segments:` groups them."""
    by = survey.questions[ind.by or ""]
    if ind.segments is not None:
        return [(label, label, [str(c) for c in codes]) for label, codes in ind.segments.items()]
    return [(c.label, c.code, [c.code]) for c in by.categories() if not c.no_answer]


def _breakdown(
    survey: Survey,
    ind: Indicator,
    q: Question,
    tally: Tally,
    kind: str,
    total: _Sums,
    order: list[int],
    extra: dict[str, Any],
    weights: np.ndarray | None,
) -> Result:
    """One series per segment of the `by:` question (and the total first, with
    `total: true`), each over its own base; a Likert grid gives either a score per
    statement and segment (`score:`) or a block of levels per statement."""
    by = survey.questions[ind.by or ""]
    segments = _segments(survey, ind)
    position = {code: i for i, (_, _, codes) in enumerate(segments) for code in codes}
    coded = survey.codes(by.id) if by.type != "numeric" else None
    if coded is None:
        answers = _answers(survey, by)[tally.scope]
        segment = answers.map(position).fillna(len(segments)).to_numpy(np.int64)
    else:  # from the column's codes (deckgen.inputs.coded)
        inside = tally.scope.to_numpy(bool)
        segment = coded.mapped(position, len(segments))[inside].astype(np.int64, copy=False)
    per = _summed(tally, segment, len(segments), weights)
    # the rows: the total (when asked for) then each segment, as (label, code, sums row)
    rows: list[tuple[str, str, _Sums, int, bool]] = [
        ("", "", total, 0, True)
    ] if ind.total else []  # fmt: skip
    rows += [(label, code, per, i, False) for i, (label, code, _) in enumerate(segments)]
    common = {"by": by.id, "by_text": by.text, "base": int(total.base[0]), **extra}
    of_levels = indicator_kinds.declared(kind).levels
    if of_levels and not ind.score:  # a block per statement: a bar per segment
        return _likert_blocks(survey, ind, q, tally, order, rows, common)
    # one series per segment: the share of the scored levels (a Likert score), or of the one
    levels = [i for i, level in enumerate(tally.levels) if level.code in (ind.score or [])]
    levels = levels if of_levels else [0]
    series = tuple(
        Series(
            label,
            _pick(sums.fractions(levels, r), order),
            _pick(sums.hits(levels, r), order),
            code=code,
            base=int(sums.base[r]),
            total=is_total,
            bases=_pick([int(b) for b in sums.bases[r]], order),
            effective=_pick(sums.series_effective(r), order),
            weighted_counts=_weighted_counts(sums, levels, r, order),
        )
        for label, code, sums, r, is_total in rows
    )
    if ind.test != "none":
        design = _share_design(survey, ind, tally, levels, segment, weights)
        series, common = _tested_shares(
            ind, series, rows, total, per, levels, order, common, design
        )
    return _result(
        survey, ind, q, kind=kind, categories=_pick(tally.labels, order),
        codes=_pick(tally.codes, order), series=series,
        bases=_pick([int(b) for b in total.bases[0]], order), **common,
    )  # fmt: skip


def _share_and_size(sums: _Sums, levels: list[int], r: int, j: int) -> tuple[float, float]:
    """(share, sample size) of category `j` in row `r`: weighted share and effective
    size with weights, else the plain ones."""
    if sums.wcounts is not None and sums.wbases is not None and sums.effective is not None:
        base = float(sums.wbases[r][j])
        hits = float(sum(sums.wcounts[i][r][j] for i in levels))
        return (hits / base if base > 0 else 0.0), float(sums.effective[r][j])
    base = float(sums.bases[r][j])
    hits = float(sum(sums.counts[i][r][j] for i in levels))
    return (hits / base if base > 0 else 0.0), base


def _rest(total: _Sums, per: _Sums, levels: list[int], r: int, j: int) -> tuple[float, float]:
    """(share, sample size) of category `j` among everyone in scope but segment `r`."""
    if total.wcounts is not None and total.wbases is not None and total.squares is not None:
        assert per.wcounts is not None and per.wbases is not None and per.squares is not None
        base = float(total.wbases[0][j] - per.wbases[r][j])
        hits = float(sum(total.wcounts[i][0][j] - per.wcounts[i][r][j] for i in levels))
        squares = float(total.squares[0][j] - per.squares[r][j])
        size = base * base / squares if squares > 0 else 0.0
        return (hits / base if base > 0 else 0.0), size
    base = float(total.bases[0][j] - per.bases[r][j])
    hits = float(sum(total.counts[i][0][j] - per.counts[i][r][j] for i in levels))
    return (hits / base if base > 0 else 0.0), base


def _tested_shares(ind, series, rows, total, per, levels, order, common, design=None):
    """Each segment's share tested against the rest of the sample, or against each
    other segment (`test: pairwise`): the two-proportion z-test, or Fisher's exact
    test where an expected count is under 5 (deckgen.analysis.significance.shares);
    with a sampling design, `design(r, other, j)`: the design-based test of segment r
    against segment `other` (None: the rest) on category j."""
    from deckgen.analysis import significance

    def by_design(r: int, other: int | None, j: int):
        return None if design is None else (lambda: design(r, other, j))

    whole = per.wcounts is None  # counts of respondents: an exact test can take them
    out = list(series)
    pairs: list[tuple[int, int, int, float | None, int]] = []
    pair_tests: list[tuple[int, str, str, str]] = []
    segments = [(k, r) for k, (_, _, _, r, is_total) in enumerate(rows) if not is_total]
    for k, r in segments:
        ps, signs, tests, rests = [], [], [], []
        for j in order:
            share, size = _share_and_size(per, levels, r, j)
            rest_share, rest_size = _rest(total, per, levels, r, j)
            p, how = significance.shares(
                share, size, rest_share, rest_size, whole, by_design(r, None, j)
            )
            ps.append(p)
            tests.append(how)
            rests.append(rest_size)
            signs.append(1 if share > rest_share else -1 if share < rest_share else 0)
        out[k] = replace(
            out[k], p=tuple(ps), higher=tuple(signs), tested=tuple(tests), rest=tuple(rests)
        )
    if ind.test == "pairwise":
        for a, (ka, ra) in enumerate(segments):
            for kb, rb in segments[a + 1 :]:
                for position, j in enumerate(order):
                    pa, na = _share_and_size(per, levels, ra, j)
                    pb, nb = _share_and_size(per, levels, rb, j)
                    p, how = significance.shares(pa, na, pb, nb, whole, by_design(ra, rb, j))
                    sign = 1 if pa > pb else -1 if pa < pb else 0
                    pairs.append((position, ka, kb, p, sign))
                    pair_tests.append((position, out[ka].code, out[kb].code, how))
    return tuple(out), {
        **common,
        "test": "z" if design is None else "design",
        "compared": ind.test,
        "pairwise": tuple(pairs),
        "pair_tests": tuple(pair_tests),
    }


def _design_test(
    survey: Survey, ind: Indicator, scope: pd.Series, y: np.ndarray, weights: np.ndarray | None
):
    """With a sampling design (and weights not turned off): the design-based test of
    the mean of `y` (the rows in scope) in some of those rows against others, as
    `test(first, second)` (deckgen.analysis.design); else None."""
    if survey.design is None or not ind.weights:
        return None
    design = survey.design.rows(scope.to_numpy(bool))
    w = np.ones(len(y)) if weights is None else weights

    def test(first: np.ndarray, second: np.ndarray) -> float | None:
        return design.difference(y, w, first, second)

    return test


def _share_design(survey, ind, tally, levels, segment, weights):
    """With a sampling design: `test(r, other, j)`, the design-based test of segment
    r's share of category j against segment `other`'s (None: the rest in the base)."""
    if survey.design is None or not ind.weights:
        return None
    design = survey.design.rows(tally.scope.to_numpy(bool))
    w = np.ones(len(segment)) if weights is None else weights
    asked = tally.asked.astype(bool)

    def test(r: int, other: int | None, j: int) -> float | None:
        base = asked[:, j if asked.shape[1] > 1 else 0]
        y = sum(tally.hits[i][:, j] for i in levels).astype(float)
        second = segment != r if other is None else segment == other
        return design.difference(y, w, base & (segment == r), base & second)

    return test


def _likert_blocks(survey, ind, q, tally, order, rows, common) -> Result:
    """A Likert grid by segment: for each statement, a bar per segment (the total first),
    its levels stacked."""
    cells = [(j, row) for j in order for row in rows]
    series = tuple(
        Series(
            level.label,
            tuple(sums.fractions([i], r)[j] for j, (_, _, sums, r, _) in cells),
            tuple(sums.hits([i], r)[j] for j, (_, _, sums, r, _) in cells),
            code=level.code,
            dont_know=level.dont_know,
        )
        for i, level in enumerate(tally.levels)
    )
    return _result(
        survey, ind, q, kind="likert",
        categories=tuple(row[0] for _, row in cells),
        codes=tuple(f"{tally.codes[j]}|{row[1]}" for j, row in cells),
        groups=tuple(tally.labels[j] for j, _ in cells),
        series=series,
        bases=tuple(int(row[2].bases[row[3]][j]) for j, row in cells),
        **common,
    )  # fmt: skip
