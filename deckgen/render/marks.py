"""A personal deck's marks, drawn last: what lets its decks share a slide's drawing.

In a personal deck (`build --each-respondent`) a chart marks the recipient's
answers: their categories labelled " (votre réponse)", their bars or segments
outlined. Two recipients of one peer group who answered differently get slides
that differ by those marks alone, but drawing a slide costs the same either way.

So a slide whose marks are all on bar, column, ranking, stacked 100 %, pie or
doughnut charts (`deferrable`) is drawn in two phases, always, in every deck:

1. the slide without the marks (`stripped`): each such chart from its result
   without the recipient's answers (`strip`), its categories named without them,
   placed as the marked labels fit (the builders' `style.deferral`: their size
   beside bars, a pie's legend and circle), the colour of the marks worked out
   where a drawing in one go works it out, no alternative text, no notes;
2. the marks (`deckgen.render.slides.draw_marks`): each chart's marked labels
   written into its category caches and workbook, the recipient's answers
   outlined (`charts.draw_marks`), its alternative text, the warnings its labels
   give (where a slide drawn in one phase would have given them), the callout
   cards' colour (`slides._one_mark`); then the notes.

Phase 1 is a function of the stripped slide plan and the labels' sizes. A batch
(deckgen.render.shared) keeps its bytes under the stripped plan's key; the next
recipient with the same stripped plan, whose marked labels fit at the same sizes
(`fits`), gets the kept bytes read back and phase 2 alone. Its deck is byte for byte
the deck drawn in two phases from the start (`DECKGEN_NO_SHARED=1`, compared by
`tests/test_shared.py`), which is the deck drawn in one phase before this module
(the marks' operations touch nothing the other steps read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from deckgen.analysis.results import Result, shown

#: the chart types whose builders draw their marks last (charts._category_axis)
KINDS = frozenset({"bar", "column", "ranking", "stacked100", "pie", "doughnut"})

_PLAIN = ("title", "section", "closing")


def strip(result: Result) -> Result:
    """`result` without the recipient's answers: no marks, its categories named as in
    the public deck."""
    if not result.own and not result.own_words:
        return result
    words = result.own_words or ("",) * len(result.categories)
    categories = tuple(
        c[: len(c) - len(w)] if w and c.endswith(w) else c for c, w in zip(result.categories, words)
    )
    return replace(result, categories=categories, own=(), own_words=())


def defers(chart: Any) -> bool:
    """Whether `chart` (a chart plan) is drawn unmarked then marked: of a kind above,
    its marks on its categories. A breakdown drawn as a bar per segment (`shown`
    turns it) names its options in the legend, marks included, and is drawn in one go."""
    return chart.type in KINDS and not shown(chart.result, chart.type).turned


def deferrable(slide_plan: Any) -> bool:
    """Whether `slide_plan` is drawn in two phases: a content slide with marks, every
    marked chart drawn unmarked then marked (`defers`)."""
    if slide_plan.layout.lower() in _PLAIN:
        return False
    marked = [c for c in slide_plan.charts if c.result.own]
    return bool(marked) and all(defers(c) for c in marked)


def stripped(slide_plan: Any) -> Any:
    """What phase 1 draws of `slide_plan` (a copy): its charts of the kinds above
    without the recipient's answers or their alternative text, no notes."""
    charts = [
        replace(c, result=strip(c.result), alt_text="") if defers(c) else c
        for c in slide_plan.charts
    ]
    return replace(slide_plan, charts=charts, notes="")


@dataclass
class Deferred:
    """One chart drawn unmarked in phase 1: what phase 2 needs to mark it."""

    index: int  # its place among the slide plan's charts
    at: int  # where its label warnings go, counted from the slide's first warning
    marked: Result  # the chart plan's result, marked (the deck drawing it)
    # the chart type its builder draws the result as (`shown`); None: as it is
    drawn_as: str | None = None
    name: str = ""  # the chart's name, which its warnings begin with
    partname: str = ""  # its chart part
    # how its marked labels fit: their size beside bars, a pie's legend and circle
    size: Any = 0.0
    fill: bool = True  # marks fill a bar per series (else: outline a segment)
    mark: str = ""  # the colour of the marks, worked out where a drawing in one go does
    series: list[int] | None = None  # the series its workbook holds (None: all)
    # the marked result as drawn -> (labels, how they fit, what the warnings say of them)
    fit: Callable[[Result], tuple[list[str], Any, list[str]]] | None = None
    style: Any = None  # the chart's style (charts.ChartStyle)

    def shown(self, result: Result) -> Result:
        """A chart plan's result as this chart's builder draws it."""
        return result if self.drawn_as is None else shown(result, self.drawn_as)

    @property
    def result(self) -> Result:
        """The marked result as the builder draws it."""
        return self.shown(self.marked)

    def fitted_by(self, fit: Callable[[Result], tuple[list[str], Any, list[str]]]) -> Any:
        """The builder's fitting of labels, kept for phase 2: how the marked labels fit."""
        self.fit = fit
        self.size = fit(self.result)[1]
        return self.size

    def drawn(self, fill: bool, series: list[int] | None) -> None:
        self.fill, self.series = fill, series


@dataclass
class Marks:
    """The charts of one slide drawn unmarked, in the order they were drawn."""

    start: int  # the slide's first warning in the deck's list
    charts: list[Any] = field(default_factory=list)  # the slide plan's (phase 1)
    items: list[Deferred] = field(default_factory=list)
    # phase 2 alone: what phase 1 recorded of the slide's elements (manifest.records)
    # and the key it is recorded under; the charts marked (phase 2)
    recorded: tuple[dict[str, Any], str | None] | None = None
    frames: list[Any] = field(default_factory=list)

    def defer(self, plan: Any, warnings: int) -> Deferred:
        """A chart of the slide plan, drawn unmarked; `warnings`: the deck's count so far."""
        index = next(i for i, c in enumerate(self.charts) if c is plan)
        deferred = Deferred(index, warnings - self.start, plan.result, drawn_as=plan.type)
        self.items.append(deferred)
        return deferred


def sizes(items: list[Deferred], slide_plan: Any) -> tuple[Any, ...]:
    """The sizes `slide_plan`'s marked labels fit the charts of `items` at: phase 1 drew
    them at `d.size`, the labels of the recipient it drew them for."""
    out = []
    for d in items:
        assert d.fit is not None
        out.append(d.fit(d.shown(slide_plan.charts[d.index].result))[1])
    return tuple(out)
