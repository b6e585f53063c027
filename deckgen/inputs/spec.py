"""The deck spec: a YAML file that says, slide by slide, what to show.

`load_spec()` reads the YAML with positions, validates it against the models
below (deckgen.inputs.model), and turns every problem into `file:line:col: slide N
"title": message` with the valid names and the nearest one. All problems are
collected and raised once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, overload

from deckgen import chart_kinds
from deckgen.errors import DeckgenError, Problem, SpecError, quoted_title
from deckgen.inputs.indicator_spec import Indicator
from deckgen.inputs.model import Model, ModelError, field, validated
from deckgen.inputs.theme import _check_hex
from deckgen.inputs.yamlpos import UNPRINTABLE, Located, load_yaml
from deckgen.locales.catalogue import locales


def _hex_colors(value: list[str] | None) -> list[str] | None:
    return None if value is None else [_check_hex(v) for v in value]


def _callout_colour(value: Any) -> Any:
    """A callout's `color:`: a theme colour's name, or 6 hex digits."""
    from deckgen.inputs.theme import THEME_COLOURS

    if value is None or str(value).lower() in THEME_COLOURS:
        return None if value is None else str(value).lower()
    try:
        return _check_hex(str(value))
    except ValueError:
        names = ", ".join(f"`{n}`" for n in THEME_COLOURS)
        raise ValueError(
            f"expected one of the theme's colours ({names}) or 6 hex digits like 1D3557, "
            f"got {value!r}"
        ) from None


class Strict(Model):
    """Unknown keys are errors (every model of deckgen.inputs.model forbids them)."""


def _deck_kinds(value: Any) -> Any:
    """`only: public` is `only: [public]`."""
    return [value] if isinstance(value, str) else value


def _only() -> Any:
    return field(
        default=None,
        check=_deck_kinds,
        before=True,
        what="kind of deck",
        description="The decks it belongs to, of public (`deckgen build`), segment (`--each`) "
        "and personal (`--each-respondent`): e.g. `only: public` keeps a chart by education "
        "out of each education group's deck. Default: all.",
    )


class Chart(Strict):
    """A native chart (or the regions map) computed from one indicator."""

    type: str = field(
        description=chart_kinds.described,
        what="chart type",
        choices=chart_kinds.names,
    )
    indicator: Indicator = field(description="What to compute (see `indicator:`).")
    title: str | None = field(
        default=None, description="Chart title shown above it (defaults to none)."
    )
    labels: bool = field(default=True, description="Show data labels as percentages.")
    legend: Literal["auto", "none", "bottom", "right", "top"] = field(
        default="auto",
        description="Legend position; auto shows one where series or slices need it.",
    )
    colors: list[str] | None = field(
        default=None,
        description="Replace the generated palette (the theme's series colours, a scale's "
        "light-to-dark or diverging colours), in order (hex); an option's own `color:` in "
        "the codebook still wins.",
        check=_hex_colors,
    )
    digits: int = field(default=0, ge=0, le=2, description="Decimals in percentages.")
    rounding: Literal["half_up", "largest_remainder"] | None = field(
        default=None,
        description="How percentages are rounded: half_up (each on its own, as published "
        "figures are) or largest_remainder (the parts of a distribution, or each Likert "
        "statement's levels, add up to 100 %); default: the deck's `rounding`.",
    )
    alt_text: str | None = field(
        default=None, description="Alternative text; generated from the values when absent."
    )
    weight: float = field(
        default=1.0,
        gt=0,
        description=(
            "Relative width when several charts share a slide; a table beside charts "
            "takes at least what its longest words need from them (each keeps half its "
            "share), or the build warns."
        ),
    )
    only: list[Literal["public", "segment", "personal"]] | None = _only()
    keep_type: str | None = field(
        default=None,
        description="Why this chart keeps its `type` where deckgen would draw it otherwise (a "
        "pie or doughnut of one part, or of more than five, is drawn as bars): the reason, "
        "for whoever reads the spec.",
    )
    scale: str | None = field(
        default=None,
        description="A name shared by charts on several slides that must be read on one scale "
        "(bars and columns of the same unit): they get the same value axis. Charts of the same "
        "unit on one slide always share theirs.",
    )


class Callout(Strict):
    """A big number with its sentence, e.g. '97 %' + 'des collectivités ont un service dédié'."""

    indicator: Indicator = field(description="What to compute (see `indicator:`).")
    text: str = field(
        description="The sentence under the number; may use {value}, {count}, {base}; **bold** "
        "allowed."
    )
    option: str | None = field(
        default=None,
        description="For a distribution/multi indicator: the option whose value is shown.",
    )
    expect: float | None = field(
        default=None,
        description="Published value (integer percent, or a count): the build fails if the data "
        "disagree.",
    )
    alt_text: str | None = field(
        default=None, description="Alternative text; generated from the value when absent."
    )
    only: list[Literal["public", "segment", "personal"]] | None = _only()
    color: str | None = field(
        default=None,
        check=_callout_colour,
        before=True,
        description="Its figure's colour: one of the theme's colours by name (`primary`, "
        "`accent`, `text`, `muted`, `callout`, `total`) or 6 hex digits. Default: the colour "
        "of the one option it counts, when the codebook gives it one, else the theme's "
        "`callout` colour.",
    )


class TextBlock(Strict):
    heading: str | None = field(default=None, description="A bold line above the bullets.")
    bullets: list[str] = field(factory=list, description="Bullet points; **bold** allowed.")


def _slide_id(value: Any) -> Any:
    import re

    if value is not None and not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", str(value)):
        raise ValueError(
            "a slide id is 1 to 64 letters, digits, - and _, starting with a letter or digit, "
            f"got `{value}`"
        )
    return value


class Slide(Strict):
    id: str | None = field(
        default=None,
        check=_slide_id,
        description="A stable key of the slide (letters, digits, - and _), unique in the deck: "
        "`deckgen update` finds the slide's figures in an edited deck by it. Default: derived "
        "from the title (a warning says so, since a new title would change it).",
    )
    layout: str = field(
        description="Template layout name: title, section, chart, callouts, closing (or your "
        "template's)."
    )
    title: str = field(description="Slide title (a real title placeholder).")
    subtitle: str | None = field(default=None, description="Subtitle (title slide).")
    number: str | None = field(default=None, description="Section number on a section slide.")
    text: list[str | TextBlock] = field(
        factory=list, description="Paragraphs or {heading, bullets} blocks."
    )
    chart: Chart | None = field(
        default=None, description="One chart (shorthand for charts: [ ... ])."
    )
    charts: list[Chart] = field(factory=list)
    callouts: list[Callout] = field(factory=list)
    remark: str | None = field(
        default=None, description="A highlighted sentence at the bottom of the slide."
    )
    footnote: str | bool | None = field(
        default=None, description="Text, or false for none; default: the bases, generated."
    )
    notes: str | None = field(
        default=None, description="Speaker notes (added to the generated ones; see notes_mode)."
    )
    notes_mode: Literal["extend", "replace"] = field(
        default="extend",
        description="extend: your notes then the generated ones; replace: yours only.",
    )
    only: list[Literal["public", "segment", "personal"]] | None = _only()

    def validated(self) -> None:
        if self.chart is not None:
            if self.charts:
                raise ValueError("use either `chart` or `charts`, not both")
            self.charts = [self.chart]
            self.chart = None


class Deck(Strict):
    title: str = field(description="Deck title (document properties, title slide).")
    subtitle: str | None = field(default=None, description="Deck subtitle.")
    date: str | None = field(
        default=None,
        description=(
            "Date, as written: on the title slide (when its `text:` does not say it). "
            "The deck's core properties (created, modified) are dated from it, read as "
            "day month year, year-month-day, month and year (its first day) or a year "
            "alone (its first day: 2021 is 2021-01-01), or from `SOURCE_DATE_EPOCH` when "
            "that is set, which wins; never from the clock, so the same inputs give the "
            'same bytes. A date with words in it ("4 mars 2021") or none leaves them '
            "undated."
        ),
    )
    organisation: str | None = field(
        default=None,
        description="Publishing organisation: on the title slide (as the date) and, unless "
        "`footer:` says otherwise, in the footer of every content slide.",
    )
    footer: str | bool | None = field(
        default=None,
        description="Footer text of the content slides (default: the organisation); false: none.",
    )
    logo: str | None = field(
        default=None,
        description="An image (PNG, JPEG, GIF), relative to the spec: bottom right of every slide.",
    )
    source: str | None = field(default=None, description="Data source, for notes and exports.")
    data: str = field(
        description="Path to the survey codebook (codebook.yaml), relative to the spec."
    )
    responses: str | None = field(
        default=None, description="Responses file (CSV/XLSX) if not the codebook's own."
    )
    theme: str | None = field(default=None, description="Theme YAML, relative to the spec.")
    template: str | None = field(
        default=None, description="PowerPoint template (.pptx) with named layouts."
    )
    locale: str = field(
        default="fr",
        choices=locales,
        description="The deck's language and number format: fr (97 %), en (97%), or any "
        "other catalogue of deckgen/locales (`deckgen init --help` lists them).",
    )
    editions: str | None = field(
        default=None,
        description="Earlier editions' published figures (YAML, relative to the spec), for "
        "trends (`editions:` under an indicator).",
    )
    rounding: Literal["half_up", "largest_remainder"] = field(
        default="half_up",
        description="How the charts' percentages are rounded: half_up, each on its own (the "
        "published figures' way), or largest_remainder, so that the parts of each "
        "distribution and Likert statement add up to 100 % (charts of shares of several "
        "answers, callouts and any figure the deck also shows on its own keep half_up; the "
        "footnote says when a figure was adjusted). A chart's `rounding` overrides it.",
    )


class Spec(Strict):
    deck: Deck = field(description="What the deck is and where its data, theme and template are.")
    slides: list[Slide] = field(min_length=1, description="The slides, in order.")

    # set by load_spec
    _path: Path | None = None
    _located: Located | None = None
    _index: list[int] | None = None  # partial spec: each slide's place in the file

    @property
    def path(self) -> Path:
        assert self._path is not None
        return self._path

    @property
    def located(self) -> Located:
        assert self._located is not None
        return self._located

    def index_of(self, i: int) -> int:
        """The place in the file of the spec's slide `i` (they differ in a partial spec)."""
        return self._index[i] if self._index is not None else i

    def resolve(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()


def slide_context(raw: Any, index: int) -> str:
    title = raw.get("title") if isinstance(raw, dict) else None
    if isinstance(title, str):
        title = UNPRINTABLE.sub("", title)
    return f"slide {index + 1} {quoted_title(title)}" if title else f"slide {index + 1}"


@overload
def load_spec(path: str | Path) -> Spec: ...


@overload
def load_spec(path: str | Path, problems: list[DeckgenError]) -> Spec | None: ...


def load_spec(path: str | Path, problems: list[DeckgenError] | None = None) -> Spec | None:
    """Read and validate a spec (its structure; deckgen.inputs.rules checks it against the data).

    Without `problems`, any mistake raises SpecError. With a list, mistakes are
    added to it and what could be read is returned, so that later checks can
    run on it too and every problem be reported in one run: the deck (None when
    the deck itself or the YAML is wrong) and its valid slides (`index_of` maps
    them to their place in the file).
    """
    path = Path(path)
    try:
        doc = load_yaml(path, SpecError)
        if not isinstance(doc.data, dict):
            raise SpecError(doc.problem((), "a spec is a mapping with `deck:` and `slides:`"))
    except SpecError as exc:
        if problems is None:
            raise
        problems.append(exc)
        return None
    found: list[Problem] = []
    spec: Spec | None
    try:
        spec = validated(doc, Spec, SpecError, _context(doc))
    except SpecError as exc:
        found = exc.problems
        spec = _partial(doc) if problems is not None else None
    if found:
        if problems is None:
            raise SpecError(found)
        problems.append(SpecError(found))
    if spec is None:
        return None
    spec._path = path
    spec._located = doc
    return spec


def _partial(doc: Located) -> Spec | None:
    """What a spec with mistakes holds that is sound: its deck and its valid slides."""
    data = doc.data
    try:
        deck = Deck.validate(data.get("deck"))
    except ModelError:
        return None
    slides, index = [], []
    for i, raw in enumerate(data.get("slides") or []):
        try:
            slides.append(Slide.validate(raw))
            index.append(i)
        except ModelError:
            continue
    spec = Spec.__new__(Spec)
    spec.deck, spec.slides = deck, slides
    spec._index = index
    return spec


def _context(doc: Located) -> Callable[[tuple], str | None]:
    """Where a path of the spec is, for a reader: 'slide 3 "Titre"'."""
    slides = doc.data.get("slides") if isinstance(doc.data, dict) else None

    def context(at: tuple) -> str | None:
        if (
            len(at) > 1
            and at[0] == "slides"
            and isinstance(at[1], int)
            and isinstance(slides, list)
            and at[1] < len(slides)
        ):
            return slide_context(slides[at[1]], at[1])
        return None

    return context
