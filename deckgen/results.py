"""Plain result objects: what indicators compute and renderers draw.

No pandas here: render imports this module and stays light. Values are
fractions (0.97), never pre-rounded; rounding happens once, at formatting --
except in a chart that asks for largest-remainder rounding, which shows
`adding_up(result)`: its parts already rounded so that they add up.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Series:
    """One series of a chart: a value per category."""

    name: str
    values: tuple[float | None, ...]  # fractions of the base (None where the base is empty)
    counts: tuple[int, ...]
    code: str = ""
    dont_know: bool = False


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
    published: bool = False
    is_count: bool = False  # the value is a number of respondents, not a fraction
    multiple: bool = False  # several answers possible: shares may add up past 100 %
    # items asked of some respondents only: (label, base, who was asked, option code)
    item_bases: tuple[tuple[str, int, str, str], ...] = field(default_factory=tuple)
    reconstructed: bool = False  # from reconstructed rows (the codebook's `reconstruction`)

    @property
    def status(self) -> str:
        """`published`; `illustrative` (reconstructed rows, figures never published); or
        `survey` (computed from a survey's own answers: nothing to warn about)."""
        if self.published:
            return "published"
        return "illustrative" if self.reconstructed else "survey"

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


def adding_up(result: Result, digits: int = 0) -> Result:
    """`result` with its parts rounded (to `digits` decimals of a percent) by largest
    remainders, so that the parts of one whole add up to 100 %: a distribution's
    categories, or each Likert statement's levels."""
    from .formatting import largest_remainder

    if result.kind == "likert":  # a whole per statement, across the level series
        columns = [
            largest_remainder([s.values[k] for s in result.series], digits)
            for k in range(len(result.categories))
        ]
        series = tuple(
            replace(s, values=tuple(column[j] for column in columns))
            for j, s in enumerate(result.series)
        )
    else:
        (first, *rest) = result.series
        values = tuple(largest_remainder(list(first.values), digits))
        series = (replace(first, values=values), *rest)
    return replace(result, series=series)


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
        )
        for s in fields["series"]
    )
    for key in ("categories", "codes", "bases"):
        fields[key] = tuple(fields[key])
    fields["item_bases"] = tuple(tuple(item) for item in fields.get("item_bases", ()))
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
    for s in r.series:
        if len(s.values) != n or len(s.counts) != n or not all(whole(c) for c in s.counts):
            raise ValueError("a series does not have one whole count per category")
        for value, count, base in zip(s.values, s.counts, r.bases):
            expected = float(count) if r.is_count else (count / base if base else None)
            if expected is None or value is None:
                if value is not expected:
                    raise ValueError("a value does not match its count and base")
            elif not isinstance(value, (int, float)) or abs(value - expected) > 1e-9:
                raise ValueError("a value does not match its count and base")
