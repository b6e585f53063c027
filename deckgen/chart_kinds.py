"""The chart kinds: one declaration each, read by everything that knows charts.

A kind says which indicator kinds it shows, how it is drawn as a native
PowerPoint chart (`builder`, python-pptx) and as an image (`drawer`,
matplotlib), whether it shows a legend by default, and a description. From
these come the spec's valid `type:` values and the JSON Schema
(deckgen.inputs.spec), the spec-vs-data rules (deckgen.inputs.rules), the renderer
(deckgen.render.slides) and `deckgen images`. Builders and drawers are named
"module:function" and imported only when a deck or an image is drawn, so
checking a spec imports neither python-pptx nor matplotlib. A new kind is one
`register(...)` call (see ARCHITECTURE.md).

Signatures:
- builder(shapes, rect, chart_plan, style) -> the shape it added (render.charts.ChartStyle);
- drawer(fig, ax, image, chart_plan, theme, locale) -> None (deckgen.render.images).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from deckgen.registry import Registry


def _resolve(ref: str | Callable[..., Any]) -> Callable[..., Any]:
    if callable(ref):
        return ref
    module, name = ref.split(":")
    return getattr(import_module(module), name)


@dataclass(frozen=True)
class ChartKind:
    name: str
    description: str
    builder: str | Callable[..., Any]
    drawer: str | Callable[..., Any] | None = None
    #: indicator kinds it shows; None: any that can be a chart and allows it
    indicators: tuple[str, ...] | None = None
    #: the message when it is given another kind: {chart}, {kind}, {indicators}
    mismatch: str = "`{chart}` shows {indicators} indicator, not `{kind}`"
    legend: bool = False  # a legend by default (`legend: auto`)
    #: a further check of the indicator against the codebook: a message, or None
    fits: Callable[[Any, dict[str, Any]], str | None] | None = None
    #: shows a breakdown (`by:`): a series per segment
    breakdowns: bool = False
    #: draws lengths along a value axis from 0: the charts of one unit on a slide (or of
    #: one `scale:` group) share its maximum, so equal figures are equally long
    value_axis: bool = False
    #: draws every category or nothing (a map colours each region): where the disclosure
    #: rule blanks one figure, the chart is withheld whole
    whole_only: bool = False
    #: draws parts of a whole as slices: between two and this many parts that are not
    #: empty, else the chart is drawn as `instead` (a warning says so, unless the spec
    #: keeps the type with a reason, `keep_type:`)
    slices: int | None = None
    instead: str = "bar"
    #: with `by:`, which results it draws as a row (a bar) per segment rather than a
    #: series per segment: "share" and "ratio" (one figure per segment), "measure" (a
    #: mean, median or quantile), "parts" (a distribution's parts stacked per segment)
    segment_rows: frozenset[str] = frozenset()
    #: stacks a Likert scale's levels (their palette); by segment, each statement heads
    #: the rows of its segments
    levels: bool = False
    #: colours regions by their respondents (a map): counts per region, the options'
    #: region codes, the regions' boundaries file
    regions: bool = False
    #: the least width (EMU) it needs to print its words at a size, (plan, words, size)
    #: -> float: beside charts, it takes that width from them (a table's columns)
    least_width: str | Callable[..., float] | None = None

    def build(self) -> Callable[..., Any]:
        return _resolve(self.builder)

    def draw(self) -> Callable[..., Any] | None:
        return _resolve(self.drawer) if self.drawer is not None else None

    def least(self) -> Callable[..., float] | None:
        return _resolve(self.least_width) if self.least_width is not None else None

    def accepts(self, indicator: Any, questions: dict[str, Any]) -> Iterator[tuple[tuple, str]]:
        """(key path under the chart, message) for each reason it cannot show `indicator`."""
        from deckgen.indicator_kinds import indicator_kind

        kind = indicator_kind(indicator.kind)
        if self.fits is not None:
            message = self.fits(indicator, questions)
            if message:
                yield ("type",), message
                return
        if self.indicators is not None and indicator.kind not in self.indicators:
            wanted = " or ".join(f"`{k}`" for k in self.indicators)
            article = "an" if wanted.lstrip("`")[:1] in "aeiou" else "a"
            text = self.mismatch.format(
                chart=self.name, kind=indicator.kind, indicators=f"{article} {wanted}"
            )
            yield ("type",), text
        if kind is None:
            return
        allowed = kind.allowed_charts(indicator)
        if allowed is not None and self.name not in allowed:
            charts = " or ".join(f"`{c}`" for c in allowed)
            if getattr(indicator, "score", None):
                yield (
                    ("type",),
                    (
                        "a Likert score per segment is one share per statement and segment: show "
                        f"it as {charts}, not `{self.name}`"
                    ),
                )
            else:
                yield ("type",), kind.charts_hint.format(charts=charts, chart=self.name)
        if kind.not_a_chart:
            yield ("indicator", "kind"), kind.not_a_chart
        if getattr(indicator, "by", None) and not self.breakdowns:
            with_by = "`, `".join(k.name for k in KINDS.values() if k.breakdowns)
            yield (
                ("type",),
                (
                    f"a `{self.name}` chart shows no breakdown: an indicator with `by:` needs "
                    f"`{with_by}`"
                ),
            )


KINDS: Registry[ChartKind] = Registry("deckgen.chart_kinds", ChartKind)
register = KINDS.register
unregister = KINDS.unregister
chart_kind = KINDS.get
names = KINDS.names


def draws_regions(name: str) -> bool:
    """Whether the chart kind `name` colours regions (a map)."""
    kind = chart_kind(name)
    return kind is not None and kind.regions


def described() -> str:
    """'bar (horizontal bars), column (…), …': for the spec reference."""
    return ", ".join(f"{k.name} ({k.description})" for k in KINDS.values()) + "."


def _map_fits(indicator: Any, questions: dict[str, Any]) -> str | None:
    q = questions.get(indicator.question or "")
    if indicator.kind == "distribution" and q is not None and any(o.insee for o in q.options):
        return None
    return (
        "a `map` chart needs a `distribution` indicator over a question whose options "
        "carry `insee` region codes"
    )


_CHARTS = "deckgen.render.charts"
_IMAGES = "deckgen.render.images"

register(
    ChartKind(
        "bar",
        "horizontal bars; clustered, a colour per segment, with `by:`",
        f"{_CHARTS}:bar",
        f"{_IMAGES}:draw_bars",
        breakdowns=True,
        value_axis=True,
        segment_rows=frozenset({"share", "ratio", "measure"}),
    )
)
register(
    ChartKind(
        "column",
        "vertical bars; clustered with `by:`",
        f"{_CHARTS}:column",
        f"{_IMAGES}:draw_columns",
        breakdowns=True,
        value_axis=True,
        segment_rows=frozenset({"share", "ratio", "measure"}),
    )
)
register(
    ChartKind(
        "stacked100",
        "a 100 % bar per statement of a Likert grid (per statement and segment with `by:`), "
        "or per segment of a distribution with `by:`",
        f"{_CHARTS}:stacked100",
        f"{_IMAGES}:draw_stacked100",
        indicators=("likert", "distribution"),
        legend=True,
        breakdowns=True,
        segment_rows=frozenset({"parts"}),
        levels=True,
    )
)
register(
    ChartKind(
        "table",
        "a native table: a row per option, a column per segment and the total, a base row",
        "deckgen.render.tables:table",
        f"{_IMAGES}:draw_table",
        breakdowns=True,
        segment_rows=frozenset({"measure"}),
        least_width="deckgen.render.tables:least_width",
    )
)
_PARTS = "a {chart} shows parts of a whole: use {indicators} indicator, not `{kind}`"
MAX_SLICES = 5  # more parts than this read better as bars (angles compare badly)
register(
    ChartKind(
        "pie",
        "parts of a whole",
        f"{_CHARTS}:pie",
        f"{_IMAGES}:draw_pie",
        indicators=("distribution",),
        mismatch=_PARTS,
        legend=True,
        slices=MAX_SLICES,
    )
)
register(
    ChartKind(
        "doughnut",
        "parts of a whole, with a hole",
        f"{_CHARTS}:doughnut",
        f"{_IMAGES}:draw_doughnut",
        indicators=("distribution",),
        mismatch=_PARTS,
        legend=True,
        slices=MAX_SLICES,
    )
)
register(
    ChartKind(
        "ranking", "top-N bars", f"{_CHARTS}:ranking", f"{_IMAGES}:draw_bars", value_axis=True
    )
)
register(
    ChartKind(
        "map",
        "the French regions, coloured by respondents",
        "deckgen.render.regionmap:region_map",
        f"{_IMAGES}:draw_map",
        fits=_map_fits,
        whole_only=True,
        regions=True,
    )
)
