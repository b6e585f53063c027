"""What render receives: slides with their results already computed.

The build step fills these from the spec and the survey; render only draws
them, so it never needs pandas or the survey.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deckgen.analysis.results import Result
from deckgen.errors import quoted_title


@dataclass(frozen=True)
class OptionColours:
    """What the codebook says of one question's options for their colours."""

    ordering: str = "none"  # its scale: bipolar, ascending, descending or none
    colors: dict[str, str] = field(default_factory=dict)  # option code -> its own colour
    apart: frozenset[str] = frozenset()  # "don't know" and no-answer codes: outside the scale


@dataclass
class ChartPlan:
    type: str
    result: Result
    title: str | None
    alt_text: str
    options: Any  # the spec's Chart (labels, legend, colours, digits)
    region_codes: dict[str, str] = field(default_factory=dict)  # option code -> INSEE code (map)
    key: str = ""  # "slide#chart-1" (deckgen.render.identity): written into the shape's name
    # the value axis' maximum, shared with the charts of the same unit on the slide or in
    # the same `scale:` group (None: the chart has no value axis)
    scale: float | None = None
    # question id -> its options' colours (the chart's question and its `by:` question)
    palettes: dict[str, OptionColours] = field(default_factory=dict)


@dataclass
class CalloutPlan:
    value_text: str  # "97 %"
    text: str  # the sentence, placeholders filled, **bold** kept
    alt_text: str
    base: int = 0  # respondents the value is a share of
    is_count: bool = False
    weighted: bool = False
    who: str = ""  # whom its base counts, in words, when a filter chose them (the footnote)
    own: str = ""  # a personal deck: "Votre réponse : oui", on a line of its own
    # shorter forms of `own` ("Vos réponses : a, b +2 autres"), for a card too narrow
    own_short: list[str] = field(default_factory=list)
    own_match: bool = False  # a personal deck: the figure counts the recipient's answer
    key: str = ""  # "slide#callout-1" (deckgen.render.identity): its shapes' names end with it
    withheld: str = ""  # why the disclosure rule left its figure out (the footnote says it)
    color: str = ""  # its figure's colour ("": the theme's callout colour)


@dataclass
class SlidePlan:
    number: int  # 1-based
    layout: str
    title: str
    subtitle: str | None = None
    section_number: str | None = None
    text: list[Any] = field(default_factory=list)
    charts: list[ChartPlan] = field(default_factory=list)
    callouts: list[CalloutPlan] = field(default_factory=list)
    remark: str | None = None
    footnote: str | None = None
    # the footnote without its details (wording.phrases.footnote `brief`), drawn where
    # the whole would take more than two lines; the whole then goes to the notes
    footnote_brief: str | None = None
    notes: str = ""
    key: str = ""  # the slide's key (deckgen.render.identity): its spec id, or a slug of its title

    @property
    def label(self) -> str:
        return f"slide {self.number} {quoted_title(self.title)}"


@dataclass
class DeckPlan:
    title: str
    subtitle: str | None
    date: str | None
    organisation: str | None
    locale: str
    slides: list[SlidePlan]
    footer: str | None = None  # text at the foot of every content slide
    #: what a build that does not stop at them (`deckgen update`) noticed: `expect:`
    #: figures the data no longer give, charts of nobody
    problems: list[Any] = field(default_factory=list)
    logo: Path | None = None  # an image at the foot of every slide
