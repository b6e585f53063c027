"""Plain result objects: what indicators compute and renderers draw.

No pandas here: render imports this module and stays light. Values are
fractions (0.97), never pre-rounded; rounding happens once, at formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


def result_to_dict(result: Result) -> dict:
    """A Result as plain JSON-able data (see result_from_dict)."""
    from dataclasses import asdict

    return asdict(result)


def result_from_dict(data: dict) -> Result:
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
    return Result(**fields)
