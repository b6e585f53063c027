"""The pipeline: spec + survey -> indicators -> render -> file.

Steps, one way:
1. `load`: read and validate the spec (structure), the theme, the codebook and
   where the template and the responses are;
2. `check`: the spec against the data and the template (deckgen.inputs.rules), every
   problem at once;
3. `plan`: compute every indicator into plain results and lay out each slide's
   texts (footnotes, notes, alternative texts: deckgen.wording.phrases) -- the only step
   that sees pandas, and only for results not already cached;
4. `build`: render the plans with python-pptx (deckgen.render, with
   deckgen.render.speedups), normalise the bytes, write atomically.
Programs and commands call these through the library API (deckgen.api).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

from deckgen.analysis import disclosure
from deckgen.analysis.cache import ResultCache, cache_dir, survey_key
from deckgen.analysis.editions import EditionsFile, load_editions, tested, trend
from deckgen.analysis.results import Result, adding_up, figure_keys, marked
from deckgen.chart_kinds import chart_kind, draws_regions
from deckgen.errors import (
    DeckgenError,
    OutputError,
    Problem,
    SpecError,
    Warnings,
    collected,
    quoted_title,
)
from deckgen.files import deck_date
from deckgen.indicator_kinds import declared
from deckgen.inputs import rules
from deckgen.inputs.codebook import Codebook, load_codebook
from deckgen.inputs.spec import Callout, Chart, Spec, load_spec
from deckgen.inputs.theme import Theme, load_theme
from deckgen.locales import Words, words
from deckgen.locales.numbers import percent_value, round_half_up
from deckgen.packaged import default_template
from deckgen.render.plan import CalloutPlan, ChartPlan, DeckPlan, OptionColours, SlidePlan
from deckgen.wording.phrases import alt_text, footnote, localise, notes, value_text, with_changes


@dataclass
class Loaded:
    """Everything a build reads. The responses load on first use of `survey`:
    a build whose indicator results are all cached never reads them (nor
    imports pandas)."""

    spec: Spec
    theme: Theme
    codebook: Codebook
    template: Path | None  # None: made from the theme at build time
    responses: Path | None = None
    editions: EditionsFile | None = None  # earlier editions' published figures
    segment: str | None = None  # a segment deck's segment ("Communes (n = 22)")
    personal: tuple[str, str | None] | None = None  # a personal deck: (respondent, peers)
    # a segment deck's share of its batch's disclosure decisions (deckgen.workflows.segments)
    segment_rule: Any = None
    # a batch's decks read one result cache, opened for the first (`cache`): a list
    # holding it, shared by the copies `replace` makes for each deck; None: one per call
    batch_cache: list | None = None
    _survey: object = None

    @property
    def survey(self):
        if self._survey is None:
            from deckgen.analysis.survey import load_survey

            self._survey = load_survey(self.codebook.file, self.responses)
        return self._survey

    def cache(self) -> ResultCache:
        """The result cache for these exact data files (validated once, on first load);
        in a batch (`batch_cache`), the one the batch's first deck opened: its decks are
        computed from the same responses, loaded once."""
        if self.batch_cache is not None:
            if not self.batch_cache:
                self.batch_cache.append(self._open_cache())
            return self.batch_cache[0]
        return self._open_cache()

    def _open_cache(self) -> ResultCache:
        data_file = self.responses or self.codebook.responses
        files = (Path(self.codebook.file), data_file)
        if cache_dir() is None:  # off (DECKGEN_NO_CACHE): the data need no hashing
            return ResultCache(None, files=files)
        try:
            key = survey_key(*files)
        except OSError:
            key = None  # a missing data file: loading the survey will say so
        return ResultCache(key, files=files)


@dataclass
class BuildReport:
    path: Path | None
    plan: DeckPlan
    warnings: Warnings = field(default_factory=Warnings)
    results: list[tuple[SlidePlan, str, Result]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it was built (`--verbose`)

    @property
    def expect_problems(self) -> list[Problem]:
        """What a build with `strict_expect=False` went past (`deckgen update`)."""
        return list(self.plan.problems)

    def figures(self) -> list[dict[str, object]]:
        """One row per figure the deck shows (deckgen.workflows.exports.figure_rows)."""
        from deckgen.workflows.exports import figure_rows

        return figure_rows(self.results, self.plan.locale)


def load(spec_path: str | Path) -> Loaded:
    """Read the spec, its theme and its codebook; every mistake of any of them (and of
    the spec against the codebook, and of the data, once anything is wrong) in one
    DeckgenError: a person fixes them in one round, not one file per run."""
    errors: list[DeckgenError] = []
    spec = load_spec(spec_path, errors)
    if spec is None:  # the YAML, or the deck itself: nothing else can be found
        raise collected(errors)
    # without `theme:` the built-in theme, without `template:` the packaged template
    theme = Theme()
    if spec.deck.theme:
        try:
            theme = load_theme(spec.resolve(spec.deck.theme))
        except DeckgenError as exc:
            errors.append(exc)
    data = spec.resolve(spec.deck.data)
    responses = spec.resolve(spec.deck.responses) if spec.deck.responses else None
    # without `template:` one made from the theme (or, without a theme, the packaged one)
    template: Path | None = spec.resolve(spec.deck.template) if spec.deck.template else None
    if template is None and not spec.deck.theme:
        template = default_template()
    try:
        codebook = load_codebook(data)
    except DeckgenError as exc:
        raise collected([*errors, exc]) from None
    if spec.deck.logo:
        problem = _logo_problem(spec)
        if problem is not None:
            errors.append(SpecError(problem))
    editions = None
    if spec.deck.editions:
        try:
            editions = load_editions(spec.resolve(spec.deck.editions), codebook.questions)
        except DeckgenError as exc:
            errors.append(exc)
    loaded = Loaded(spec, theme, codebook, template, responses, editions)
    if errors:  # the spec had mistakes: add what its sound part says of codebook and data
        errors.extend(further_errors(loaded))
        raise collected(errors)
    return loaded


_IMAGES = {b"\x89PNG": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF8": "GIF"}


def _logo_problem(spec: Spec) -> Problem | None:
    """The logo must be an image file PowerPoint shows: PNG, JPEG or GIF."""
    path = spec.resolve(spec.deck.logo or "")
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        reason = "not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        return spec.located.problem(("deck", "logo"), f"deck.logo: {path}: {reason}")
    if not any(head.startswith(magic) for magic in _IMAGES):
        return spec.located.problem(
            ("deck", "logo"), f"deck.logo: {path} is not a PNG, JPEG or GIF image"
        )
    return None


def further_errors(loaded: Loaded, template: Any = None) -> list[DeckgenError]:
    """The problems of a project beyond those already found: the spec against the
    codebook and the template, the data. Used when something is already wrong, to
    report everything in one run."""
    errors: list[DeckgenError] = []
    try:
        check(loaded, template)
    except DeckgenError as exc:
        errors.append(exc)
    try:
        loaded.survey  # noqa: B018
    except DeckgenError as exc:
        errors.append(exc)
    return errors


def check(loaded: Loaded, template: Any = None) -> None:
    """Problems between the spec and the data/template (an opened template, or None
    to check the data only), all at once, with lines."""
    names: list[str] | None = None
    titleless: tuple[str, ...] = ()
    if template is not None:  # python-pptx only when there is a template to read
        from deckgen.render.template import layout_names, titleless_layouts

        names, titleless = layout_names(template), tuple(titleless_layouts(template))
    shown = Path(loaded.template).name if loaded.template else "made from the theme"
    context = rules.Context(
        loaded.codebook.questions, names, shown, titleless, editions=loaded.editions,
        editions_named=bool(loaded.spec.deck.editions),
    )  # fmt: skip
    rules.check(loaded.spec, context)


def plan(
    loaded: Loaded, warnings: Warnings, strict_expect: bool = True, expect_warns: bool = False
) -> tuple[DeckPlan, list]:
    """Compute every indicator and lay out each slide's texts."""
    spec = loaded.spec
    _warn_unnamed(spec, warnings)
    planning = _Planning(loaded, warnings, words(spec.deck.locale), loaded.cache())
    planning.find_alone()
    slides = [planning.slide(i, s) for i, s in enumerate(spec.slides) if planning.belongs(s)]
    planning.cache.save()
    planning.weights.warn(warnings)
    shared_scales(slides)
    problems = planning.problems
    if problems and strict_expect:
        raise SpecError(problems)
    if expect_warns:  # `--expect warn`: a quarter's new data, built and fact-checked
        warnings.items.extend(problems)
    deck = spec.deck
    footer = deck.organisation if deck.footer is None or deck.footer is True else deck.footer
    deck_plan = DeckPlan(
        deck.title,
        deck.subtitle,
        deck.date,
        deck.organisation,
        deck.locale,
        slides,
        footer=footer or None,
        logo=spec.resolve(deck.logo) if deck.logo else None,
        problems=problems,
    )
    return deck_plan, planning.computed


def _warn_unnamed(spec: Spec, warnings: Warnings) -> None:
    """Slides with figures but no `id:`: `update` cannot follow them through a new title."""
    unnamed = [n for n, s in enumerate(spec.slides) if s.id is None and (s.charts or s.callouts)]
    if unnamed:
        first = spec.slides[unnamed[0]]
        warnings.add(
            f"{len(unnamed)} slide(s) with figures but no `id:` (first: slide "
            f"{spec.index_of(unnamed[0]) + 1} {quoted_title(first.title)}): their keys come "
            "from their titles, and `deckgen update` cannot follow a slide whose title "
            "changed; give each slide an `id:`"
        )


@dataclass
class _Planning:
    """Planning one deck: what its slides share (one computation per distinct
    indicator, the figures shown on their own, the weight checks, the problems found),
    and one method per element kind: `slide`, `chart`, `callout`."""

    loaded: Loaded
    warnings: Warnings
    w: Words
    cache: ResultCache
    # one computation per distinct indicator: a deck repeats them (five callouts over
    # one multi-select question), and a Result is immutable, so slides can share it
    results: dict[str, Result] = field(default_factory=dict)
    # the figures shown on their own, at their own rounding (callouts, charts whose
    # parts are not forced to add up): a chart forcing its parts to 100 % keeps them
    # as they are there, so that one figure has one value across the deck
    alone: set = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    computed: list[tuple[SlidePlan, str, Result]] = field(default_factory=list)
    weights: _WeightChecks = field(init=False)

    def __post_init__(self) -> None:
        theme = self.loaded.theme
        self.weights = _WeightChecks(theme.max_weight_share, theme.max_design_effect)
        loaded = self.loaded
        self.kind = "personal" if loaded.personal else "segment" if loaded.segment else "public"
        from deckgen.render.identity import slide_keys

        self.keys = slide_keys(loaded.spec.slides)

    def compute(self, indicator) -> Result:
        key = indicator_key(indicator)
        if key not in self.results:
            raw = _computed(self.loaded, self.cache, indicator, key)
            # the words about it (who is in scope...) in the deck's locale
            result = localise(raw, indicator, self.loaded.codebook, self.w)
            if self.loaded.segment is not None:  # a segment's figures were never published
                result = replace(result, published=False, published_codes=())
            self.results[key] = result
        return self.results[key]

    def belongs(self, item) -> bool:  # `only:` a slide, chart or callout says which decks
        return item.only is None or self.kind in item.only

    def forced(self, chart: Chart) -> bool:  # its parts rounded by largest remainders
        rounding = chart.rounding or self.loaded.spec.deck.rounding
        return rounding == "largest_remainder" and adds_up(chart.indicator)

    def find_alone(self) -> None:
        for s in self.loaded.spec.slides:
            if self.belongs(s):
                for chart in s.charts:
                    if self.belongs(chart) and not self.forced(chart):
                        self.alone |= figure_keys(self.compute(chart.indicator))
                for callout in s.callouts:
                    if self.belongs(callout):
                        part = shown_part(callout, self.compute(callout.indicator))
                        self.alone |= figure_keys(part)

    def slide(self, i: int, s) -> SlidePlan:
        from deckgen.render.identity import element_key

        loaded, w, theme = self.loaded, self.w, self.loaded.theme
        spec = loaded.spec
        sp = SlidePlan(
            number=spec.index_of(i) + 1,
            layout=s.layout,
            title=s.title,
            subtitle=s.subtitle,
            section_number=s.number,
            text=list(s.text),
            remark=s.remark,
            key=self.keys[i],
        )
        for j, chart in enumerate(s.charts):
            if self.belongs(chart):  # else its key stays chart-<j+1>: the others' stay
                self.chart(sp, i, j, chart)
                sp.charts[-1].key = element_key(sp.key, f"chart-{j + 1}")
        callout_results = []
        for j, callout in enumerate(s.callouts):
            if self.belongs(callout):
                callout_results.append(self.callout(sp, i, j, callout))
                sp.callouts[-1].key = element_key(sp.key, f"callout-{j + 1}")
        if loaded.personal is not None and sp.callouts:  # "Votre réponse : oui", once
            from deckgen.workflows.personal import own_lines

            callouts = [c for c in s.callouts if self.belongs(c)]
            lines = own_lines(loaded.survey, callouts, loaded.personal[0], w)
            for cp, (forms, match) in zip(sp.callouts, lines):
                cp.own, cp.own_short, cp.own_match = forms[0] if forms else "", forms[1:], match
                if match:  # the outline says it to the eye; the alternative text to the ear
                    cp.alt_text = f"{cp.alt_text} ({w('own_match')})"
        unit = loaded.codebook.respondents or w("respondents")
        personal = loaded.personal is not None
        sp.footnote = footnote(s.footnote, sp, unit, theme, w, personal)
        brief = footnote(s.footnote, sp, unit, theme, w, personal, brief=True)
        sp.footnote_brief = brief if brief != sp.footnote else None
        sp.notes = notes(
            s.notes,
            s.notes_mode,
            sp,
            callout_results,
            w,
            level=theme.significance_level,
            k=theme.privacy_threshold,
            personal=loaded.personal is not None,
        )
        return sp

    def chart(self, sp: SlidePlan, i: int, j: int, chart: Chart) -> None:
        result = self.chart_result(i, j, chart)
        self.weights.see(result, f"{sp.label}, chart {j + 1}")
        shape, why = chart_discipline(chart, result)
        why = _split_by_itself(self.loaded, result) or why
        if why:
            self.warnings.add(f"chart {j + 1}: {why}", context=sp.label)
        sp.charts.append(_chart_plan(chart, result, self.loaded.codebook, self.w, shape))
        self.computed.append((sp, f"chart {j + 1}", result))
        self.chart_checks(sp, i, j, chart, result)

    def chart_result(self, i: int, j: int, chart: Chart) -> Result:
        """The chart's figures: disclosed, rounded, set beside earlier editions,
        tested, with the recipient's answers marked in a personal deck."""
        loaded, theme = self.loaded, self.loaded.theme
        result = self.compute(chart.indicator)
        # a map is drawn whole or not at all: a region left blank would still be coloured
        drawn = chart_kind(chart.type)
        whole_only = drawn is not None and drawn.whole_only
        result = _disclosed(
            loaded, self.cache, result, chart.indicator, (i, "chart", j), whole_only=whole_only
        )
        if self.forced(chart):  # what the chart, notes, exports show
            result = adding_up(result, chart.digits, keep=self.alone)
        if chart.indicator.editions is not None and loaded.editions is not None:
            result = _trend(result, chart.indicator.editions, loaded.editions)
        result = marked(
            result, theme.significance_level, theme.small_base_threshold, theme.multiple_comparisons
        )
        if result.editions:
            result = with_changes(result, self.w)
        if loaded.personal is not None:
            result = _personal(loaded, result, chart.indicator, self.w)
        return result

    def chart_checks(self, sp: SlidePlan, i: int, j: int, chart: Chart, result: Result) -> None:
        """What a chart's figures say about the spec (problems) or the data (warnings)."""
        loaded, theme, warn = self.loaded, self.loaded.theme, self.warnings.add
        if disclosure.is_withheld(result):
            warn(
                f"chart {j + 1}: not shown in this deck: its figures, alone or subtracted "
                "from the public deck's, would give away individual answers "
                "(docs/privacy.md); the slide says so",
                context=sp.label,
            )
        elif result.base == 0 and loaded.segment is not None:
            # a segment deck: this segment has nobody in scope, which is data, not a
            # mistake of the spec; the chart's place says so
            warn(
                f"chart {j + 1}: empty base in this segment: no {result.respondents} "
                "in scope; the slide says so",
                context=sp.label,
            )
        elif result.base == 0:
            # nothing to draw: a chart of zeros would read as "0 %", so say so and stop
            self.problems.append(
                loaded.spec.located.problem(
                    _indicator_at(loaded.spec, i, j) + ("filter",),
                    f"chart {j + 1}: empty base: no {result.respondents} in scope"
                    f"{f' ({result.filter_text})' if result.filter_text else ''}, "
                    "so there is nothing to chart; check the filter",
                    context=sp.label,
                )
            )
        elif result.by and not result.series:  # the disclosure rule left no segment
            self.problems.append(
                loaded.spec.located.problem(
                    _indicator_at(loaded.spec, i, j) + ("by",),
                    f"chart {j + 1}: no segment of the breakdown can be shown: each holds "
                    f"fewer than {theme.privacy_threshold + disclosure.COALITION} "
                    f"{result.respondents}, or would give figures away by subtraction "
                    "(docs/privacy.md); group the options with `segments:` or remove `by:`",
                    context=sp.label,
                )
            )
        elif not result.editions and (
            empty := [  # a blank the disclosure rule made is said by the footnote
                c
                for c, v, b in zip(
                    result.categories, result.series[0].values, result.bases_of(result.series[0])
                )
                if v is None and b == 0
            ]
        ):
            warn(f"chart {j + 1}: empty base for {', '.join(empty)}: left blank", context=sp.label)
        for message in _palette_warnings(chart, result, theme):
            warn(f"chart {j + 1}: {message}", context=sp.label)
        size = result.effective_base if result.weighted else result.base  # Kish's
        if 0 < size < theme.small_base_threshold:
            effective = f", effective {size:.1f}" if result.weighted else ""
            warn(
                f"small base: {result.base} {result.respondents}{effective} "
                f"(under {theme.small_base_threshold})",
                context=sp.label,
            )
        rule = loaded.segment_rule
        if rule is not None and result.by == rule.question and not result.editions:
            # a segment deck split by the question this chart breaks down by: one bar
            # of its own segment, every other left blank
            warn(
                f"chart {j + 1}: broken down by `{rule.question}`, the question these decks "
                "are split by: this deck holds one of its segments and leaves the others "
                "blank; give the chart or its slide `only: public`",
                context=sp.label,
            )
            return
        for message in _segment_warnings(result, theme.small_base_threshold):
            warn(f"chart {j + 1}: {message}", context=sp.label)

    def callout(self, sp: SlidePlan, i: int, j: int, callout: Callout) -> tuple:
        """Plan one callout into `sp`; return what its speaker notes need."""
        loaded, w = self.loaded, self.w
        result = self.compute(callout.indicator)
        result = _disclosed(loaded, self.cache, result, callout.indicator, (i, "callout", j))
        # one figure on its own: never rounded by largest remainders (a chart forcing
        # its parts to 100 % keeps this figure as it is here: `alone`)
        self.weights.see(result, f"{sp.label}, callout {j + 1}")
        cp, value = _callout_plan(callout, result, w, loaded.theme.privacy_threshold)
        cp.color, why = callout_colour(callout, loaded.codebook, loaded.theme)
        if why:
            self.warnings.add(f"callout {j + 1}: {why}", context=sp.label)
        # an `expect:` is the published figure the data must give; else the codebook
        # says whether this figure (not merely its question) was published
        part = shown_part(callout, result)
        # a figure that moved from its `expect:` is no longer the published one
        published = (
            value == callout.expect
            if callout.expect is not None
            else (not result.by and part.codes[0] in result.published_codes)
        )
        # a published figure the data no longer give (`--expect warn`): not called
        # published, in the exports or the notes (which give the published one)
        moved = callout.expect is not None and not published
        if published or moved:
            part = replace(part, published=published, published_codes=part.codes * published)
        status: bool | str = published
        if moved and callout.expect is not None:  # the published figure, said in the notes
            expected = callout.expect
            status = w.number(expected) if result.measure else w.percent(expected / 100)
        sp.callouts.append(cp)
        self.computed.append((sp, f"callout {j + 1}", part))
        if cp.withheld:
            self.warnings.add(
                f"callout {j + 1}: not shown in this deck: {cp.withheld} (docs/privacy.md)",
                context=sp.label,
            )
        elif callout_figure(callout, result)[2] == 0:
            self.warnings.add(
                f"callout {j + 1}: empty base: no {result.respondents} in scope, "
                f"it shows {cp.value_text}",
                context=sp.label,
            )
        if callout.expect is not None and value != callout.expect:
            problem = loaded.spec.located.problem(
                ("slides", loaded.spec.index_of(i), "callouts", j, "expect"),
                f"callout {j + 1}: the data give {cp.value_text} but "
                f"`expect: {callout.expect:g}` (the published figure); "
                "the data or the spec is wrong",
                context=sp.label,
            )
            problem.detail = (j + 1, cp.value_text, f"{callout.expect:g}")
            self.problems.append(problem)
        return cp, result, callout_figure(callout, result)[2], status


def _indicator_at(spec: Spec, i: int, j: int) -> tuple:
    """Where chart j of slide i's indicator is in the spec (for a problem's file:line)."""
    place = spec.index_of(i)
    key = "chart" if "chart" in spec.located.data["slides"][place] else "charts"
    return ("slides", place, key) + ((j,) if key == "charts" else ()) + ("indicator",)


def shared_scales(slides: list[SlidePlan]) -> None:
    """One scale per comparison: the charts with a value axis (bars, columns) of one unit
    on a slide, or in one `scale:` group across slides, get the same maximum, the
    largest any of them needs (its longest bar and room for its label)."""
    from deckgen.analysis.results import headroom, shown

    groups: dict[tuple, list[ChartPlan]] = {}
    for sp in slides:
        for c in sp.charts:
            kind = chart_kind(c.type)
            if kind is None or not kind.value_axis:
                continue
            r = c.result
            unit = ("measure", r.unit) if r.measure else "count" if r.is_count else "%"
            name = getattr(c.options, "scale", None)
            groups.setdefault((name or f"slide {sp.number}", unit), []).append(c)
    for charts in groups.values():
        top = max(headroom(shown(c.result, c.type)) for c in charts)
        for c in charts:
            c.scale = top


def _computed(loaded: Loaded, cache: ResultCache, indicator, key: str | None = None) -> Result:
    """An indicator's result from the cache, else computed (and cached); `key`: its
    `indicator_key`, when worked out already."""
    key = indicator_key(indicator) if key is None else key
    result = cache.get(key)
    if result is None:
        from deckgen.analysis.indicators import compute as compute_indicator

        result = compute_indicator(loaded.survey, indicator)
        cache.put(key, result)
    return result


def raw_results(loaded: Loaded) -> dict[tuple[int, str, int], Result]:
    """Every chart's and callout's result, by (slide index, "chart" or "callout",
    index), as computed (no words, no rounding): what a batch's disclosure rule
    compares across its decks (deckgen.workflows.segments)."""
    cache = loaded.cache()
    out: dict[tuple[int, str, int], Result] = {}
    for i, s in enumerate(loaded.spec.slides):
        for j, chart in enumerate(s.charts):
            out[(i, "chart", j)] = _computed(loaded, cache, chart.indicator)
        for j, callout in enumerate(s.callouts):
            out[(i, "callout", j)] = _computed(loaded, cache, callout.indicator)
    cache.save()
    return out


def public_results(loaded: Loaded) -> dict[tuple[int, str, int], Result]:
    """`raw_results` as the public deck prints them: a `by:` breakdown under the disclosure
    rule (its groups left out, its figures blanked), what a batch's decks are subtracted
    from; every other figure is the whole's, as computed."""
    cache = loaded.cache()
    raw = raw_results(loaded)
    out = {}
    for i, s in enumerate(loaded.spec.slides):
        indicators = [("chart", j, c.indicator) for j, c in enumerate(s.charts)]
        indicators += [("callout", j, c.indicator) for j, c in enumerate(s.callouts)]
        for kind, j, indicator in indicators:
            result = raw[(i, kind, j)]
            if result.by:
                result = _disclosed(loaded, cache, result, indicator, (i, kind, j))
            out[(i, kind, j)] = result
    return out


def _disclosed(
    loaded: Loaded,
    cache: ResultCache,
    result: Result,
    indicator,
    element: tuple[int, str, int],
    whole_only: bool = False,
) -> Result:
    """The disclosure rule (deckgen.analysis.disclosure) on one chart's or callout's result: a
    segment deck applies its batch's decision; a personal deck's peer breakdown and
    the public deck's `by:` breakdowns are decided here, against the whole family of
    their question (every group, with the total)."""
    from deckgen.analysis import disclosure

    rule = loaded.segment_rule
    if rule is not None:
        decision = rule.decisions.get(element)
        if decision is not None:
            if result.by == rule.question and not result.editions:  # --beside-total
                return disclosure.apply_to_breakdown(result, decision, {rule.label: rule.label})
            if whole_only and decision.cells.get(rule.label):
                return disclosure.withheld_whole(result, rule.label)
            result = disclosure.apply_to_group(result, decision, rule.label, rule.label)
        if disclosure.is_withheld(result):
            return result
        # a `by:` chart on another question is a family of its own inside the segment:
        # its groups (segment and group) held to the rule as in the public deck
    if not result.by or result.editions or not declared(indicator.kind).breaks_down:
        return result
    if rule is not None and result.by == rule.question:
        return result
    family_indicator = copy.copy(indicator)
    family_indicator.total, family_indicator.test = True, "none"
    by = loaded.codebook.questions[result.by]
    peers = loaded.personal[1] if loaded.personal is not None else None
    if peers is not None and result.by == peers and indicator.segments is not None:
        # the chart personal.for_recipient broke down by the recipient's group: its family
        # is every peer group, as all the personal decks show them
        family_indicator.segments = {
            o.label: [o.code] for o in by.categories() if not getattr(o, "no_answer", False)
        }
    family = _computed(loaded, cache, family_indicator)
    whole, groups, bases = disclosure.breakdown_family(family)
    decision = disclosure.decide(
        whole,
        groups,
        family.base,
        bases,
        loaded.theme.privacy_threshold,
        wholes=disclosure.wholes_of(family, family=True),
    )
    labels = {code: _group_label(by, family_indicator, code) for code in groups}
    return disclosure.apply_to_breakdown(result, decision, labels)


def _group_label(by, indicator, code: str) -> str:
    """A group's name for the footnote: its `segments:` label, its option's or band's."""
    if indicator.segments:
        return code
    found = next((c for c in by.categories() if str(c.code) == code), None)
    return found.label if found is not None else code


@dataclass
class _WeightChecks:
    """Extreme weights, found over a deck's weighted figures and said once: the
    respondents whose weight is more than `share` of a figure's weighted base (by id,
    with the largest share and where), the bases whose design effect is over `limit`."""

    share: float
    limit: float
    heavy: dict[str, tuple[float, str]] = field(default_factory=dict)
    effect: tuple[float, int, float, str] | None = None  # the largest: deff, n, eff, where

    def see(self, result: Result, where: str) -> None:
        if not result.weighted or result.base <= 0:
            return
        for rid, part in result.heavy:
            if part > self.share and part > self.heavy.get(rid, (0.0, ""))[0]:
                self.heavy[rid] = (part, where)
        if result.effective_base > 0:
            deff = result.base / result.effective_base
            if deff > self.limit and (self.effect is None or deff > self.effect[0]):
                self.effect = (deff, result.base, result.effective_base, where)

    def warn(self, warnings: Warnings) -> None:
        if self.heavy:
            named = sorted(self.heavy.items(), key=lambda item: -item[1][0])
            rid, (part, where) = named[0]
            warnings.add(
                f"weights: respondent(s) {', '.join(r for r, _ in named)} carry more than "
                f"{self.share:.0%} of a figure's weighted base (up to {part:.0%}, respondent "
                f"{rid} in {where}): one answer then decides much of a figure; check the "
                "weights (theme `max_weight_share`)"
            )
        if self.effect is not None:
            deff, n, effective, where = self.effect
            warnings.add(
                f"weights: a design effect of {deff:.2f} (over {self.limit:g}) in {where}: "
                f"{n:,} respondents count as {effective:,.0f}; check the weights (theme "
                "`max_design_effect`)"
            )


def _segment_warnings(result: Result, threshold: int) -> list[str]:
    """A breakdown's segments with nobody in scope, or under the small-base threshold."""
    from deckgen.wording.phrases import small_segments

    if not result.by:
        return []
    out = []
    empty = [s.name for s in result.series if s.base == 0]
    if empty:
        out.append(f"no {result.respondents} in segment(s) {', '.join(empty)}: left blank")
    small = small_segments(result, threshold)
    if small:
        effective = " effective bases" if result.weighted else ""
        out.append(f"small{effective} base for segment(s) {', '.join(small)} (under {threshold})")
    return out


def _personal(loaded: Loaded, result: Result, indicator, w: Words) -> Result:
    """A personal deck's chart with the recipient's own answers marked (the
    disclosure rule has already applied to its peer group: `_disclosed`)."""
    from deckgen.workflows.personal import own_answers

    rid = loaded.personal[0] if loaded.personal else ""
    return own_answers(loaded.survey, result, indicator, rid, w)


def _trend(result: Result, ref, editions: EditionsFile) -> Result:
    """The current figure beside the earlier editions' (deckgen.analysis.editions)."""
    figure = editions.figure(ref.figure)
    assert figure is not None  # checked by the rules
    published = {*(figure.shares or {}), *(figure.distributions or {})}
    shown = (
        ref.show if ref.show is not None else [e.id for e in editions.editions if e.id in published]
    )
    return tested(trend(result, figure, editions, shown))


def adds_up(indicator) -> bool:
    """Whether largest-remainder rounding applies: figures that are parts of one whole."""
    return declared(indicator.kind).parts_of_a_whole


def _palette_warnings(chart: Chart, result: Result, theme: Theme) -> list[str]:
    """A palette listed (in the theme or the chart) with fewer colours than needed:
    the others are generated, and the person who listed them is told."""
    kind = chart_kind(chart.type)
    levels = sum(1 for series in result.series if not series.dont_know)
    parts = kind is not None and kind.slices is not None
    out = theme.short_palettes(
        likert_levels=levels if kind is not None and kind.levels else 0,
        categories=len(result.categories) if parts else 0,
    )
    if parts and chart.colors is not None and len(chart.colors) < len(result.categories):
        out.append(
            f"{len(result.categories)} categories but {len(chart.colors)} colours in the "
            "chart's `colors`: the others are lighter and darker versions of them"
        )
    return out


def _split_by_itself(loaded: Loaded, result: Result) -> str:
    """Why a segment deck's chart of the question its batch splits by says nothing
    (one answer holds every respondent of the deck), or ""."""
    rule = loaded.segment_rule
    if rule is None or result.question != rule.question or result.by or result.editions:
        return ""
    return (
        f"a chart of `{rule.question}`, the question these decks are split by: in this "
        "deck one answer holds every respondent; give the chart or its slide "
        "`only: [public, personal]`"
    )


def chart_discipline(chart: Chart, result: Result) -> tuple[str, str]:
    """(the chart type to draw, why it is not the spec's, or ""): a kind that draws
    slices (`ChartKind.slices`) with one part that is not empty, or more parts than it
    takes, is drawn as its `instead`, unless the spec says why not (`keep_type:`)."""
    kind = chart_kind(chart.type)
    if kind is None or kind.slices is None or chart.keep_type:
        return chart.type, ""
    parts = sum(1 for k in range(len(result.categories)) if _part_shown(result, k))
    if 1 < parts <= kind.slices:
        return chart.type, ""
    what = "one part" if parts <= 1 else f"{parts} parts (more than {kind.slices})"
    return kind.instead, (
        f"a {chart.type} of {what} is drawn as `{kind.instead}`: "
        + ("a whole of one part compares nothing" if parts <= 1 else "angles compare badly")
        + f"; write `type: {kind.instead}`, or keep the {chart.type} with `keep_type:` and why"
    )


def _part_shown(result: Result, k: int) -> bool:
    return any((s.values[k] or 0) > 0 for s in result.series if k < len(s.values))


def _chart_plan(
    chart: Chart, result: Result, codebook: Codebook, w: Words, drawn: str | None = None
) -> ChartPlan:
    regions = {}
    kind = drawn or chart.type
    if draws_regions(kind):
        q = codebook.questions[result.question or ""]
        regions = {str(o.code): o.insee for o in q.options if o.insee}
    text = chart.alt_text or alt_text(kind, chart.title, result, w, chart.digits)
    groups = getattr(chart.indicator, "segments", None) or {}
    palettes = {
        qid: _option_colours(codebook.questions[qid], groups if qid == result.by else {})
        for qid in (result.question, result.by)
        if qid and qid in codebook.questions
    }
    return ChartPlan(kind, result, chart.title, text, chart, regions, palettes=palettes)


def _option_colours(q, groups: dict[str, list[str]]) -> OptionColours:
    """The codebook's word on `q`'s colours: its scale, its options' own colours; a
    segment grouping options (`segments:`) takes the colour every one of them has."""
    colors = {str(o.code): o.color for o in q.options if o.color}
    for label, codes in groups.items():
        shared = {colors.get(str(c)) for c in codes}
        if len(shared) == 1 and None not in shared:
            colors[label] = shared.pop()
    return OptionColours(
        q.ordering,
        colors,
        frozenset(str(o.code) for o in q.options if o.dont_know or o.no_answer),
    )


def callout_figure(callout: Callout, result: Result) -> tuple[float | None, int, int]:
    """(value, count, base) of the one number a callout shows."""
    if callout.option is not None:
        k = result.codes.index(callout.option)
        return result.series[0].values[k], result.series[0].counts[k], result.bases[k]
    return result.value, result.count, result.bases[0] if result.bases else result.base


def shown_part(callout: Callout, result: Result) -> Result:
    """The part of `result` a callout shows: its `option:` alone, or all of a scalar."""
    if callout.option is None:
        return result
    k = result.codes.index(callout.option)
    series = result.series[0]
    return replace(
        result,
        categories=(result.categories[k],),
        codes=(result.codes[k],),
        series=(
            replace(
                series,
                values=(series.values[k],),
                counts=(series.counts[k],),
                effective=series.effective[k : k + 1],
                weighted_counts=series.weighted_counts[k : k + 1],
            ),
        ),
        bases=(result.bases[k],),
        item_bases=(),
    )


LARGE_TEXT_AA = 3.0  # WCAG 2 AA contrast for large text (a callout's figure)


def callout_colour(callout: Callout, codebook: Codebook, theme: Theme) -> tuple[str, str]:
    """(the colour of a callout's figure, a warning or ""): its `color:`, else the
    `color:` of the one option it counts (`option:`, or a condition `in:`/`has:` one
    code), else "" (the theme's callout colour). Each on the card must reach WCAG AA for
    large text; an option's that does not leaves the theme's, and says so."""
    from deckgen.inputs.conditions import Leaf
    from deckgen.render.colors import contrast

    card = theme.colors.light
    if callout.color is not None:
        colour = theme.named(callout.color)
        ratio = contrast(colour, card)
        if ratio < LARGE_TEXT_AA:
            return colour, (
                f"its `color: {callout.color}` reads at {ratio:.1f}:1 on the card, under "
                f"{LARGE_TEXT_AA:g}:1 (WCAG AA for large text): a darker colour"
            )
        return colour, ""
    ind = callout.indicator
    question, code = ind.question, callout.option
    cond = getattr(ind, "condition", None)
    if code is None and isinstance(cond, Leaf) and cond.test in ("in", "has"):
        question, code = cond.question, (str(cond.values[0]) if len(cond.values) == 1 else None)
    q = codebook.questions.get(question or "")
    option = q.option(str(code)) if q is not None and code is not None else None
    if option is None or not option.color:
        return "", ""
    ratio = contrast(option.color, card)
    if ratio < LARGE_TEXT_AA:
        return "", (
            f"the colour of `{option.code}` ({option.color}) reads at {ratio:.1f}:1 on the "
            f"card, under {LARGE_TEXT_AA:g}:1 (WCAG AA for large text): the theme's callout "
            "colour instead; give the callout its own `color:`"
        )
    return option.color, ""


def _callout_plan(
    callout: Callout, result: Result, w: Words, k: int = 5
) -> tuple[CalloutPlan, float]:
    from deckgen.analysis.disclosure import is_withheld
    from deckgen.wording.phrases import privacy_text

    value, count, base = callout_figure(callout, result)
    if value is None and result.withheld:  # a figure the disclosure rule blanked or withheld
        na = w("not_available")
        sentence = callout.text.replace("{value}", na).replace("{count}", na)
        # withheld whole: no base either; blanked: its base is said as a chart's would be
        sentence = sentence.replace("{base}", na if is_withheld(result) else w.number(base))
        why = privacy_text(result, k, w)[len(w("sep")) :]
        plan = CalloutPlan(na, sentence, f"{na} {sentence}".replace("**", ""), withheld=why)
        return plan, float("nan")
    if result.is_count:
        text_value = w.number(count)
        number = float(count)
    elif result.measure:  # '3,7 jours'; `expect:` is the number at the shown decimals
        text_value = value_text(result, value, w)
        number = float(round_half_up(value, result.decimals)) if value is not None else float("nan")
    else:
        text_value = w.percent(value)
        number = float(percent_value(value)) if value is not None else float("nan")
    sentence = (
        callout.text.replace("{value}", text_value)
        .replace("{count}", w.number(count))
        .replace("{base}", w.number(base))
    )
    alt = callout.alt_text or f"{text_value} {sentence}".replace("**", "")
    plan = CalloutPlan(
        text_value,
        sentence,
        alt,
        base=base,
        is_count=result.is_count,
        weighted=result.weighted,
        who=result.filter_text,
    )
    return plan, number


#: the modules building a deck imports on first use (python-pptx's and the workbook
#: writer's through the renderers; the indicators', where a result is not cached)
PRELOADED = (
    "deckgen.analysis.indicators",
    "deckgen.render.slides",
    "deckgen.render.regionmap",
    "deckgen.render.notes",
    "deckgen.render.manifest",
    "deckgen.render.properties",
    "deckgen.render.template_writer",
    "deckgen.inputs.bands",
    "deckgen.workflows.segments",
)


def preload(locale: str) -> None:
    """Import what building a deck in `locale` imports on first use: a batch does it
    before forking its workers, which then share those modules instead of each
    importing them (0.3 s each, on the seed batch)."""
    import importlib

    for name in PRELOADED:
        importlib.import_module(name)
    words(locale)


def indicator_key(indicator) -> str:
    """An indicator as canonical JSON: the key of its result (in a build and in the cache).

    A value YAML reads as something JSON has no type for (a date, in a condition
    on a question whose codes are dates) is keyed by its text, as the condition
    compares it.
    """
    return json.dumps(indicator.to_dict(), ensure_ascii=False, sort_keys=True, default=str)


def build(
    source: str | Path | Loaded,
    out: str | Path | BinaryIO | None = None,
    *,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
    spec_path: str | Path | None = None,
    strict_expect: bool = True,
    into_folder: bool = False,
    expect_warns: bool = False,
) -> BuildReport:
    """Build the deck of a spec (its path, or what `load` read of it); return where
    it went and what was noticed."""
    from deckgen.files import write_atomic
    from deckgen.render import manifest as manifests
    from deckgen.render import shared, speedups
    from deckgen.render.properties import set_properties
    from deckgen.render.slides import render_deck
    from deckgen.render.template_writer import open_project_template

    say = progress or (lambda _msg: None)
    say("reading spec, data and template")
    if isinstance(source, Loaded):
        loaded = source
        spec_path = spec_path or loaded.spec.path
    else:
        loaded = load(source)
        spec_path = source
    errors: list[DeckgenError] = []
    prs = None
    try:
        prs = open_project_template(loaded.template, loaded.theme)
    except DeckgenError as exc:
        errors.append(exc)
    try:
        check(loaded, prs)
    except DeckgenError as exc:
        errors.append(exc)
    if errors:  # report the data's problems with them: one round of fixes
        try:
            loaded.survey  # noqa: B018
        except DeckgenError as exc:
            errors.append(exc)
        raise collected(errors)
    assert prs is not None
    warnings = Warnings()
    notes: list[str] = []
    say("computing indicators")
    deck_plan, computed = plan(
        loaded,
        warnings,
        strict_expect=strict_expect and not expect_warns,
        expect_warns=expect_warns,
    )
    say(f"rendering {len(deck_plan.slides)} slides")
    planned = len(warnings.items)

    def render(prs: Any) -> bytes:
        elements: dict[str, dict] = {}  # what each keyed element holds: the manifest
        store = shared.current()  # a batch's: what python-pptx wrote for its decks before
        with speedups.applied(prs, note=notes.append, kept=store.kept if store else None):
            render_deck(
                prs,
                deck_plan,
                loaded.theme,
                warnings,
                template_name=str(loaded.template or ""),
                records=elements,
            )
            if strict and warnings:
                raise DeckgenError(
                    [
                        Problem(f"{w.message} (--strict makes warnings errors)", context=w.context)
                        for w in warnings.items
                    ]
                )
            deck = loaded.spec.deck
            set_properties(prs, deck.title, deck.subtitle, deck_date(deck.date))
            manifests.write(prs, manifest(deck_plan, elements))
            # a batch's: entries written before copied
            copied = functools.partial(shared.write_entry, store) if store else None
            return speedups.save(prs, copied)  # normalised bytes (files.normalize)

    try:
        data = render(prs)
    except shared.Diverged:  # a slide kept by the batch does not fit here: slide by slide
        del warnings.items[planned:], notes[:]
        with shared.suspended():
            data = render(open_project_template(loaded.template, loaded.theme))
    if out is not None and not isinstance(out, (str, Path)):  # a stream: the standard output
        say("writing the deck to the output stream")
        try:
            out.write(data)
            out.flush()
        except OSError as exc:
            raise OutputError(f"cannot write the deck: {exc.strerror or exc}") from None
        return BuildReport(None, deck_plan, warnings, computed, notes)
    target = Path(out) if out else default_output(spec_path)
    say(f"writing {target}")
    path = write_atomic(data, target, into_folder=into_folder)  # a batch's: no link followed
    return BuildReport(path, deck_plan, warnings, computed, notes)


def manifest(deck_plan: DeckPlan, elements: dict[str, dict]) -> dict:
    """The manifest of a deck built from `deck_plan` (deckgen.render.manifest)."""
    from deckgen.render.manifest import VERSION

    return {
        "version": VERSION,
        "slides": [[sp.key, sp.title] for sp in deck_plan.slides],
        "elements": elements,
    }


def default_output(spec_path: str | Path) -> Path:
    return Path("out") / (Path(spec_path).stem + ".pptx")
