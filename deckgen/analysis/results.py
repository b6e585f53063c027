"""Plain result objects: what indicators compute and renderers draw.

No pandas here: render imports this module and stays light. Values are
fractions (0.97), never pre-rounded; rounding happens once, at formatting --
except in a chart that asks for largest-remainder rounding, which shows
`adding_up(result)`: its parts already rounded so that they add up.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field, replace

from deckgen.chart_kinds import chart_kind
from deckgen.indicator_kinds import IndicatorKind, declared


@dataclass(frozen=True)
class Series:
    """One series of a chart: a value per category.

    In a breakdown (`by:`) a series is one segment of the respondents (its option
    `code`), or the whole (`total`), with its own base and per-category bases."""

    name: str
    values: tuple[float | None, ...]  # fractions of the base (None where the base is empty)
    counts: tuple[int, ...]
    code: str = ""
    dont_know: bool = False
    base: int | None = None  # a segment's respondents in the result's base
    bases: tuple[int, ...] = ()  # a segment's base per category (empty: the result's)
    total: bool = False  # the whole sample beside its segments
    effective: tuple[float, ...] = ()  # weighted: each base's effective size (Kish)
    # a segment tested against the rest of the sample: per category, the p-value and
    # whether it is higher (1) or lower (-1); `marks` what the deck shows (▲, ▼, B C…)
    p: tuple[float | None, ...] = ()
    higher: tuple[int, ...] = ()
    marks: tuple[str, ...] = ()
    # per category, the test that gave `p` (TESTS) or why no test ran (a reason of
    # UNTESTED, or "empty": no figure); and the size of what the figure is compared
    # with (the rest of the sample, the previous edition: effective when weighted)
    tested: tuple[str, ...] = ()
    rest: tuple[float, ...] = ()
    adjusted: tuple[float | None, ...] = ()  # marked: `p` corrected for its family
    # weighted: per category, the sum of the (normalised) weights of those counted
    weighted_counts: tuple[float, ...] = ()


@dataclass(frozen=True)
class Result:
    """A computed indicator.

    For a distribution, categories are the options and there is one series; for a
    Likert block, categories are the statements and there is a series per scale
    level; for a scalar (share, ratio, count) there is one category and one value.
    `bases` holds each category's own base (item-specific bases differ).
    """

    kind: str
    question: str | None
    question_text: str
    categories: tuple[str, ...]
    codes: tuple[str, ...]
    series: tuple[Series, ...]
    bases: tuple[int, ...]
    base: int  # respondents in scope (after filter)
    respondents: str = ""  # the codebook's noun, else the locale's ("répondants")
    filter_text: str = ""
    published: bool = False  # every figure of it was published (see `published_codes`)
    # the categories whose figure (of the whole sample) was published: the codebook's
    # `published_figures`, or every one of a `published` question (indicators.provenance)
    published_codes: tuple[str, ...] = ()
    is_count: bool = False  # the value is a number of respondents, not a fraction
    multiple: bool = False  # several answers possible: shares may add up past 100 %
    # items asked of some respondents only: (label, base, who was asked, option code)
    item_bases: tuple[tuple[str, int, str, str], ...] = field(default_factory=tuple)
    reconstructed: bool = False  # from reconstructed rows (the codebook's `reconstruction`)
    by: str | None = None  # a breakdown: the question whose options are the segments
    by_text: str = ""  # its wording
    groups: tuple[str, ...] = ()  # a Likert grid by segment: each category's statement
    # a numeric summary (mean, median, quantile): values are in the question's unit,
    # shown with `decimals`; counts are the respondents who gave a number
    measure: str = ""
    unit: str = ""
    decimals: int = 0
    weighted: bool = False  # values weighted; counts and bases stay respondents
    # weighted: the base's effective size (Kish), and the respondents whose weight is the
    # largest share of the base's total weight, as (id, share), largest first
    effective_base: float = 0.0
    heavy: tuple[tuple[str, float], ...] = ()
    # significance: the test ("z" for shares, "t" for means), what each segment is
    # compared with ("rest", "pairwise" or, in a trend, "previous"), pairwise p-values
    # as (category, series a, series b, p or None, 1 when a is higher), each pair's
    # test or why none ran (as `Series.tested`) as (category, code of series a, code of
    # series b, test): by the segments' codes, which a deck leaving a segment out does
    # not move (see `pair_tests`); a trend's edition left untested (approximate base)
    test: str = ""
    compared: str = ""
    pairwise: tuple[tuple[int, int, int, float | None, int], ...] = ()
    pair_tests: tuple[tuple[int, str, str, str], ...] = ()
    untested: tuple[str, ...] = ()
    min_base: int = 0  # marked: the smallest (effective) base a test needs
    # marked: the correction for multiple comparisons ("holm", "bh", "none") and the
    # number of tests in the family it corrected (every test that ran on the chart)
    correction: str = ""
    family: int = 0
    # a trend: the earlier editions shown, (id, label, respondents, exact, how an
    # approximate base reads), oldest first; the last series is the current edition
    editions: tuple[tuple[str, str, int, bool, str], ...] = ()
    # a trend: the editions shown whose figure was defined otherwise, (id, what it counted)
    breaks: tuple[tuple[str, str], ...] = ()
    # a personal deck: the recipient's answer per category ("x", a Likert level, a
    # rank; "" where not theirs), and the comparison figures privacy left out
    own: tuple[str, ...] = ()
    # ... and what its mark adds to each category's label (" (votre réponse)"; ""
    # where none), which a label shortened to fit keeps whole
    own_words: tuple[str, ...] = ()
    withheld: tuple[str, ...] = ()
    # largest-remainder rounding changed a figure from its own rounding (half up) so
    # that a whole adds up to 100 %: the footnote says so
    forced: bool = False
    # drawn turned (`transposed`): the categories are the segments, the series the options
    turned: bool = False

    @property
    def declared(self) -> IndicatorKind:
        """What the indicator kind that computed it declares (deckgen/indicator_kinds.py)."""
        return declared(self.kind)

    @property
    def status(self) -> str:
        """`published`; `illustrative` (reconstructed rows, figures never published); or
        `survey` (computed from a survey's own answers: nothing to warn about)."""
        if self.published:
            return "published"
        return "illustrative" if self.reconstructed else "survey"

    def status_of(self, series: Series, k: int) -> str:
        """The provenance of one figure: `published` for an earlier edition's, or a
        figure of the whole sample the codebook lists as published (a segment's never
        was); else as `status` says of the rest."""
        if self.editions and series is not self.series[-1]:
            return "published"  # an earlier edition's published figure
        whole = not self.by or series.total or bool(self.editions)
        if whole and k < len(self.codes) and self.codes[k] in self.published_codes:
            return "published"
        return "illustrative" if self.reconstructed else "survey"

    def bases_of(self, series: Series) -> tuple[int, ...]:
        """The base of each of `series`' values: its own in a breakdown, else the result's."""
        return series.bases or self.bases

    @property
    def na(self) -> bool:
        """True when nothing can be computed (empty base)."""
        return all(v is None for s in self.series for v in s.values)

    @property
    def value(self) -> float | None:
        """The single value of a scalar result."""
        return self.series[0].values[0] if self.series and self.series[0].values else None

    @property
    def count(self) -> int:
        return self.series[0].counts[0] if self.series and self.series[0].counts else 0

    def pairs(self, series: int = 0) -> list[tuple[str, float | None]]:
        return list(zip(self.categories, self.series[series].values))


FigureKey = tuple[str, str, int, float]


def figure_keys(result: Result) -> set[FigureKey]:
    """Each figure of `result`, as `figure_key` names it."""
    return {
        figure_key(result, s, k)
        for s in result.series
        for k in range(len(result.codes))
        if k < len(s.values) and s.values[k] is not None
    }


def figure_key(result: Result, series: Series, k: int) -> FigureKey:
    """What makes a figure the same figure wherever a deck shows it: its question, its
    category (option or statement), its base and its exact value (a Likert level's
    share and a score of that one level are one figure)."""
    bases = result.bases_of(series)
    base = bases[k] if k < len(bases) else result.base
    return (result.question or "", result.codes[k], base, round(series.values[k] or 0.0, 12))


def adding_up(result: Result, digits: int = 0, keep: Collection[FigureKey] = ()) -> Result:
    """`result` with its parts rounded (to `digits` decimals of a percent) by largest
    remainders, so that the parts of one whole add up to 100 %: a distribution's
    categories, or each Likert statement's levels. A part the deck also shows on its
    own (`keep`: `figure_key`s) keeps its own rounding, so that one figure has one
    value; the other parts make up the difference. `forced` says whether a figure
    was changed from its own rounding."""
    from deckgen.locales.numbers import largest_remainder, percent_value

    def kept(pairs: list[tuple[Series, int]]) -> list[int]:
        return [i for i, (s, k) in enumerate(pairs) if figure_key(result, s, k) in keep]

    levels = result.declared.levels
    if levels and result.by and not result.groups:
        return result  # a score per statement and segment: no whole to add up to
    if levels:  # a whole per statement, across the level series
        columns = []
        for k in range(len(result.categories)):
            pairs = [(s, k) for s in result.series]
            values = [s.values[k] for s in result.series]
            columns.append(largest_remainder(values, digits, kept(pairs)))
        series = tuple(
            replace(s, values=tuple(column[j] for column in columns))
            for j, s in enumerate(result.series)
        )
    else:  # each series is a whole: the distribution, or one segment's
        series = tuple(
            replace(
                s,
                values=tuple(
                    largest_remainder(
                        list(s.values), digits, kept([(s, k) for k in range(len(s.values))])
                    )
                ),
            )
            for s in result.series
        )
    forced = any(
        a is not None and b is not None and percent_value(a, digits) != percent_value(b, digits)
        for before, after in zip(result.series, series)
        for a, b in zip(before.values, after.values)
    )
    return replace(result, series=series, forced=forced)


def transposed(result: Result) -> Result:
    """A breakdown turned for a 100 % bar per segment: the segments become the
    categories, the options the series (the stacked levels)."""
    return replace(
        result,
        categories=tuple(s.name for s in result.series),
        codes=tuple(s.code or "total" for s in result.series),
        series=tuple(
            Series(
                label,
                tuple(s.values[k] for s in result.series),
                tuple(s.counts[k] for s in result.series),
                code=code,
                marks=tuple(s.marks[k] if k < len(s.marks) else "" for s in result.series)
                if any(s.marks for s in result.series)
                else (),
            )
            for k, (label, code) in enumerate(zip(result.categories, result.codes))
        ),
        bases=tuple(result.bases_of(s)[0] if result.bases_of(s) else 0 for s in result.series),
        groups=(),
        own=(),
        own_words=(),
        turned=True,
    )


def shown(result: Result, chart_type: str) -> Result:
    """The result as a chart of `chart_type` draws it: a distribution broken down, as
    100 % bars, has a bar per segment (`transposed`); so has a share broken down, as
    bars; a Likert grid by segment has a heading row per statement over its
    segments' bars (`headed`)."""
    if not result.by:
        return result
    kind = chart_kind(chart_type)
    if kind is None:
        return result
    rows = kind.segment_rows  # what the kind draws as a row (a bar) per segment
    if "parts" in rows and not result.declared.levels:
        return transposed(result)
    if result.kind in rows:  # a share or a ratio: one figure per segment
        return transposed(result)
    if "measure" in rows and result.measure:
        return transposed(result)
    if kind.levels and result.groups:
        return headed(result)
    return result


def headed(result: Result) -> Result:
    """Flat categories for a chart: each statement's label on a row of its own (no
    bar), then its segments' rows."""
    rows: list[int | str] = []  # a category index, or a statement's label
    for k, group in enumerate(result.groups):
        if k == 0 or result.groups[k - 1] != group:
            rows.append(group)
        rows.append(k)

    def pick(values: tuple, empty: object) -> tuple:
        return tuple(values[r] if isinstance(r, int) else empty for r in rows)

    return replace(
        result,
        categories=tuple(result.categories[r] if isinstance(r, int) else r for r in rows),
        codes=tuple(result.codes[r] if isinstance(r, int) else f"{r}|" for r in rows),
        series=tuple(
            replace(s, values=pick(s.values, None), counts=pick(s.counts, 0)) for s in result.series
        ),
        bases=pick(result.bases, 0),
        groups=(),
        own=pick(result.own, "") if result.own else (),
        own_words=pick(result.own_words, "") if result.own_words else (),
    )


def headroom(result: Result) -> float:
    """A value axis' maximum for `result`: its longest bar and room for the label past
    its end (18 %, at least 0.05)."""
    top = max((v or 0.0 for s in result.series for v in s.values), default=0.0)
    return max(round(top * 1.18 + 0.005, 2), 0.05)


UP, DOWN = "▲", "▼"

TESTS = ("z", "fisher", "t", "design")  # what `tested` holds when a test ran
# why no test ran, in the order a footnote names them: the segment's own (effective)
# base, or what it is compared with, under the theme's small-base threshold; a share
# of 0 % or 100 % on a small base; an expected count under 5 where no exact test
# applies (weights, published percentages); a trend's earlier edition whose figure was
# defined otherwise (a break); one that published no figure for it; a test the data
# leave undefined (no variance)
UNTESTED = ("small", "rest_small", "extreme", "expected", "break", "unpublished", "undefined")


def marked(result: Result, level: float, threshold: int, correction: str = "holm") -> Result:
    """A tested breakdown with what the deck shows of its tests, at `level` (0.95):
    against the rest, ▲ (significantly higher) or ▼ (lower); pairwise, each segment
    lettered (A, B…) and each cell the letters of the segments it is significantly
    higher than.

    Only figures whose test ran are marked, and `tested` says, figure by figure, the
    test or why there was none: "small" when the segment's own base (its effective
    base, with weights) is under `threshold`, "rest_small" when what it is compared
    with is -- a segment is never called small because of its complement.

    The tests that ran on the chart are one family: their p-values are corrected
    together (`correction`: "holm", "bh" or "none"; `Series.adjusted`), and a figure
    is marked when its corrected p-value is under 1 - `level`. A hypothesis counts
    once however many figures read it: two segments that make up the whole base are
    each other's rest (their two tests of a figure are one), and a distribution over
    two options has one table per segment (its two figures' tests are one)."""
    if not result.test:
        return result
    from deckgen.analysis.significance import adjusted

    alpha = 1 - level
    series = list(result.series)
    segments = [k for k, s in enumerate(series) if not s.total]
    letters = {k: chr(ord("A") + i) for i, k in enumerate(segments)}

    def size(k: int, j: int) -> float:
        """The (effective) base of series k's figure j."""
        s = series[k]
        if j < len(s.effective):
            return s.effective[j]
        bases = result.bases_of(s)
        return bases[j] if j < len(bases) else s.base or 0

    def own(k: int, j: int) -> str:
        """Why series k's figure j cannot be tested whatever it is compared with, or ""."""
        n = size(k, j)
        return "empty" if n <= 0 else "small" if n < threshold else ""

    def rest(k: int, j: int) -> float:
        """The (effective) size of what series k's figure j is compared with."""
        s = series[k]
        if j < len(s.rest):
            return s.rest[j]
        # made without the comparison's size: the result's base but the segment's
        return (result.bases[j] if j < len(result.bases) else result.base) - size(k, j)

    def verdict(k: int, j: int) -> str:
        """The test of series k's figure j against the rest (or the previous edition),
        or why none ran. A figure left empty (no base, or withheld) is "empty": it is
        not named, and nothing is said of why."""
        s = series[k]
        if j >= len(s.values) or s.values[j] is None:
            return "empty"
        if own(k, j):
            return own(k, j)
        if rest(k, j) < threshold:
            return "rest_small"
        p = s.p[j] if j < len(s.p) else None
        how = s.tested[j] if j < len(s.tested) else ""
        if p is None:
            return how if how in UNTESTED else "undefined"
        return how if how in TESTS else result.test

    n = len(result.categories)
    tested: dict[int, list[str]] = {}
    pairs = list(result.pairwise)
    how_pairs = pair_tests(result)  # each pair's test, or why none ran
    # the family: each hypothesis tested, with the figures (series, category, pair or -1)
    # it decides; one 2 x 2 table is one hypothesis, however many figures read it
    hypotheses: dict[tuple[int, ...], list[tuple[int, int, int]]] = {}
    # a distribution over two options (all of them: the shares add up to 1): the
    # second's table is the first's, turned
    of_kind = result.declared
    binary = of_kind.parts_of_a_whole and not of_kind.levels and n == 2 and not result.groups
    binary = binary and all(
        None not in s.values and math.isclose(sum(v or 0.0 for v in s.values), 1.0, abs_tol=1e-9)
        for s in series
    )
    if result.compared in ("rest", "previous"):
        for k in segments:
            if series[k].p or series[k].tested:  # not a trend's earlier edition
                tested[k] = [verdict(k, j) for j in range(n)]
        for j in range(n):
            ran = [k for k in tested if tested[k][j] in TESTS and series[k].p[j] is not None]
            # two segments that make up the whole base: each one's rest is the other
            mirror = len(ran) == 2 == len(tested) and _each_other_s_rest(series, ran, j, size, rest)
            for k in ran:
                key = (ran[0] if mirror else k, 0 if binary else j)
                hypotheses.setdefault(key, []).append((k, j, -1))
    else:
        for k in segments:  # a segment too small for any test, category by category
            tested[k] = [own(k, j) for j in range(n)]
        for i, (j, a, b, p, _sign) in enumerate(pairs):
            why = own(a, j) or own(b, j)
            if why:
                how_pairs[i] = why
            elif p is not None and how_pairs[i] in TESTS:
                hypotheses.setdefault((a, b, 0 if binary else j), []).append((a, j, i))
    family = [(_p_of(series, pairs, cells[0]), cells) for cells in hypotheses.values()]
    corrected = adjusted([p for p, _ in family], correction)
    marks: dict[int, list[str]] = {k: [""] * n for k in segments}
    after: dict[int, list[float | None]] = {k: [None] * n for k in tested}
    for q, (_, figures) in zip(corrected, family):
        for k, j, i in figures:
            if i < 0:  # against the rest, or the previous edition
                after[k][j] = q
                sign = series[k].higher[j]
                if q < alpha and sign:
                    marks[k][j] = UP if sign > 0 else DOWN
            else:  # pairwise: the higher segment gets the letter of the lower one
                _, a, b, _, sign = pairs[i]
                if q < alpha and sign:
                    high, low = (a, b) if sign > 0 else (b, a)
                    marks[high][j] += letters[low]
    for k in segments:
        changes: dict = {"marks": tuple(marks[k])}
        if k in tested:
            changes["tested"] = tuple(tested[k])
            if result.compared != "pairwise":
                changes["adjusted"] = tuple(after[k])
        if result.compared == "pairwise":
            changes["name"] = f"{series[k].name} ({letters[k]})"
        series[k] = replace(series[k], **changes)
    return replace(
        result,
        series=tuple(series),
        pair_tests=tuple(
            (j, series[a].code, series[b].code, how)
            for (j, a, b, _p, _sign), how in zip(pairs, how_pairs)
        ),
        min_base=threshold,
        correction=correction,
        family=len(family),
    )


def pair_tests(result: Result) -> list[str]:
    """The test of each of `result.pairwise`'s pairs, or why none ran, found by the
    segments' codes in `pair_tests` (a pair without one had the result's test when it
    has a p-value)."""
    known = {(j, a, b): how for j, a, b, how in result.pair_tests}
    out = []
    for j, a, b, p, _sign in result.pairwise:
        key = (j, result.series[a].code, result.series[b].code)
        out.append(known.get(key) or (result.test if p is not None else "empty"))
    return out


def _p_of(series: list[Series], pairs: list, cell: tuple[int, int, int]) -> float:
    """The p-value of a figure's test: (series, category, -1), or a pair's (…, index)."""
    k, j, i = cell
    p = series[k].p[j] if i < 0 else pairs[i][3]
    return float(p if p is not None else 1.0)


def _each_other_s_rest(series: list[Series], ran: list[int], j: int, size, rest) -> bool:
    """Whether the two segments `ran` make up the whole base of figure j: each one's
    rest is the other, and their two tests are one (the same p-value)."""
    a, b = ran
    return (
        math.isclose(rest(a, j), size(b, j), rel_tol=1e-9)
        and math.isclose(rest(b, j), size(a, j), rel_tol=1e-9)
        and math.isclose(series[a].p[j] or 0.0, series[b].p[j] or 0.0, rel_tol=1e-9)
    )


def result_to_dict(result: Result) -> dict:
    """A Result as plain JSON-able data (see result_from_dict)."""
    from dataclasses import asdict

    return asdict(result)


def result_from_dict(data: dict) -> Result:
    """A Result from `result_to_dict`'s data, checked (see `check_result`): ValueError
    when anything is off (a hand-edited or damaged cache is then only a miss)."""
    fields = dict(data)
    fields["series"] = tuple(
        Series(
            s["name"],
            tuple(s["values"]),
            tuple(s["counts"]),
            s.get("code", ""),
            s.get("dont_know", False),
            s.get("base"),
            tuple(s.get("bases", ())),
            s.get("total", False),
            tuple(s.get("effective", ())),
            tuple(s.get("p", ())),
            tuple(s.get("higher", ())),
            tuple(s.get("marks", ())),
            tuple(s.get("tested", ())),
            tuple(s.get("rest", ())),
            tuple(s.get("adjusted", ())),
            tuple(s.get("weighted_counts", ())),
        )
        for s in fields["series"]
    )
    fields["published_codes"] = tuple(fields.get("published_codes", ()))
    for key in ("categories", "codes", "bases", "groups"):
        fields[key] = tuple(fields[key])
    fields["item_bases"] = tuple(tuple(item) for item in fields.get("item_bases", ()))
    fields["pairwise"] = tuple(tuple(pair) for pair in fields.get("pairwise", ()))
    fields["pair_tests"] = tuple(tuple(pair) for pair in fields.get("pair_tests", ()))
    fields["untested"] = tuple(fields.get("untested", ()))
    fields["editions"] = tuple(tuple(e) for e in fields.get("editions", ()))
    fields["breaks"] = tuple(tuple(b) for b in fields.get("breaks", ()))
    fields["heavy"] = tuple(tuple(h) for h in fields.get("heavy", ()))
    fields["own"] = tuple(fields.get("own", ()))
    fields["own_words"] = tuple(fields.get("own_words", ()))
    fields["withheld"] = tuple(fields.get("withheld", ()))
    result = Result(**fields)
    check_result(result)
    return result


def check_result(r: Result) -> None:
    """ValueError unless `r` is a result an indicator can give: one value and one
    count per category in each series, whole counts and bases, and each value the
    count over its base (None for an empty base), or the count itself for a count."""

    def whole(n: object) -> bool:
        return isinstance(n, int) and not isinstance(n, bool) and n >= 0

    n = len(r.categories)
    if not (n and len(r.codes) == n and len(r.bases) == n and r.series):
        raise ValueError("categories, codes, bases and series do not match")
    if not all(isinstance(t, str) for t in (*r.categories, *r.codes, r.question_text)):
        raise ValueError("a label or a code is not text")
    if not whole(r.base) or not all(whole(b) for b in r.bases):
        raise ValueError("a base is not a whole number")
    if r.groups and len(r.groups) != n:
        raise ValueError("groups do not match the categories")
    for s in r.series:
        if len(s.values) != n or len(s.counts) != n or not all(whole(c) for c in s.counts):
            raise ValueError("a series does not have one whole count per category")
        if s.bases and (len(s.bases) != n or not all(whole(b) for b in s.bases)):
            raise ValueError("a series' bases do not match its categories")
        if s.base is not None and not whole(s.base):
            raise ValueError("a base is not a whole number")
        if r.measure or r.weighted:  # a mean, weighted shares: not a count over its base
            if not all(v is None or isinstance(v, (int, float)) for v in s.values):
                raise ValueError("a value is not a number")
            continue
        for value, count, base in zip(s.values, s.counts, r.bases_of(s)):
            expected = float(count) if r.is_count else (count / base if base else None)
            if expected is None or value is None:
                if value is not expected:
                    raise ValueError("a value does not match its count and base")
            elif not isinstance(value, (int, float)) or abs(value - expected) > 1e-9:
                raise ValueError("a value does not match its count and base")
