"""What a spec may ask of its data and template: one named rule per mistake.

Each rule looks at one element of one slide (a chart, a callout, the slide
itself) and yields (key path under that element, message) for each problem;
`check` runs every rule over every element, collects every problem with its
file:line, and raises them together. Each message has its row in
docs/errors.md. Which chart kinds take which indicator kinds is declared by
the chart kinds themselves (deckgen.chart_kinds); the rules read it there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from deckgen.errors import Problem, SpecError, suggest, valid_list
from deckgen.inputs.spec import slide_context

KeyPath = tuple[Any, ...]
Found = Iterator[tuple[KeyPath, str]]


@dataclass
class Context:
    """What the rules may read: the codebook's questions and the template's layouts."""

    questions: dict[str, Any]
    layout_names: list[str] | None  # None: the template is not checked (figures only)
    template_name: str
    titleless: tuple[str, ...] = ()  # layouts without a title placeholder
    editions: Any = None  # the deck's editions file (deckgen.analysis.editions), if any
    #: the spec names an editions file: if `editions` is None it failed to load, and its
    #: own errors say why (not "set deck.editions")
    editions_named: bool = False


# -- slides ------------------------------------------------------------------------


def layout_exists(slide: Any, ctx: Context) -> Found:
    """A slide's layout must be one of the template's (case-insensitive)."""
    names = ctx.layout_names
    if names is not None and slide.layout.lower() not in {n.lower() for n in names}:
        yield (
            ("layout",),
            f"layout `{slide.layout}` is not in the template {ctx.template_name}"
            f"{suggest(slide.layout, names)}; its layouts: {valid_list(names)}",
        )


def layout_has_a_title(slide: Any, ctx: Context) -> Found:
    """Every slide has a title: its layout must have a title placeholder to hold it."""
    wanted = slide.layout.strip().casefold()
    if any(name.strip().casefold() == wanted for name in ctx.titleless):
        yield (
            ("layout",),
            f"layout `{slide.layout}` of the template {ctx.template_name} has no title "
            "placeholder, so the slide's title would be lost: add one to the layout "
            "(View > Slide Master) or use another layout",
        )


# -- charts ------------------------------------------------------------------------


def chart_indicator_valid(chart: Any, ctx: Context) -> Found:
    """The indicator's own checks against the codebook (questions, types, options)."""
    for sub, msg in chart.indicator.check(ctx.questions):
        yield ("indicator", *sub), msg


def chart_shows_its_indicator(chart: Any, ctx: Context) -> Found:
    """The chart kind takes this indicator kind (and this question, for the map)."""
    from deckgen.chart_kinds import chart_kind

    kind = chart_kind(chart.type)
    if kind is None:
        return
    yield from kind.accepts(chart.indicator, ctx.questions)


def chart_editions_exist(chart: Any, ctx: Context) -> Found:
    """A trend names a figure of the editions file, editions it has, on a kind it fits."""
    ref = chart.indicator.editions
    if ref is None:
        return
    at = ("indicator", "editions")
    if ctx.editions is None:
        if not ctx.editions_named:
            yield (
                at,
                "a trend needs the earlier editions' figures: set `deck.editions` to their file",
            )
        return
    figure = ctx.editions.figure(ref.figure)
    if figure is None:
        keys = [f.key for f in ctx.editions.figures]
        yield (
            at + ("figure",),
            (
                f"no figure `{ref.figure}` in the editions file{suggest(ref.figure, keys)}; "
                f"valid: {valid_list(keys)}"
            ),
        )
        return
    ids = [e.id for e in ctx.editions.editions]
    for edition_id in ref.show or []:
        if edition_id not in ids:
            yield (
                at + ("show",),
                (
                    f"no edition `{edition_id}` in the editions file{suggest(edition_id, ids)}; "
                    f"valid: {valid_list(ids)}"
                ),
            )
    kind = chart.indicator.kind
    wanted = "share" if figure.shares is not None else "distribution"
    if kind != wanted:
        yield (
            at,
            (
                f"figure `{ref.figure}` was published as a {wanted}: a trend of it needs a "
                f"`{wanted}` indicator, not `{kind}`"
            ),
        )
    else:
        yield from _like_with_like(chart.indicator, figure)
    if chart.indicator.by is not None:
        yield (
            at,
            (
                "a trend's series are the editions: remove `by:` (with rows for each edition, "
                "use `by: edition` instead of `editions:`)"
            ),
        )


def _like_with_like(indicator: Any, figure: Any) -> Found:
    """A trend's indicator counts what the editions file says the figure matches."""
    import json

    def shown(condition: Any) -> str:
        return json.dumps(condition.to_data(), ensure_ascii=False, default=str)

    if figure.matches is not None and indicator.condition != figure.matches:
        counted = shown(indicator.condition) if indicator.condition is not None else "nothing"
        yield (
            ("indicator", "condition"),
            f"this trend counts {counted}, but figure `{figure.key}` of the editions file "
            f"matches {shown(figure.matches)}: compare like with like (the same condition), "
            "or give the other definition a figure of its own, its change stated in `breaks:`",
        )
    if indicator.filter != figure.population:
        yield (
            ("indicator", "filter" if indicator.filter is not None else "editions"),
            f"this trend is of {_population(indicator.filter, shown)}, but figure "
            f"`{figure.key}` of the editions file is of {_population(figure.population, shown)}: "
            "compare like with like (the same respondents), or give the earlier figures of "
            "those respondents a figure of their own, with `population:`",
        )
    if figure.question is not None and indicator.question != figure.question:
        yield (
            ("indicator", "question"),
            f"this trend is of `{indicator.question}`, but figure `{figure.key}` of the "
            f"editions file is of `{figure.question}`",
        )


def _population(condition: Any, shown: Any) -> str:
    return "every respondent" if condition is None else f"the respondents where {shown(condition)}"


def chart_rounding_adds_up(chart: Any, ctx: Context) -> Found:
    """`rounding: largest_remainder` on a chart whose figures are parts of one whole."""
    from deckgen.indicator_kinds import declared

    kind = chart.indicator.kind
    if chart.rounding == "largest_remainder" and not declared(kind).parts_of_a_whole:
        yield (
            ("rounding",),
            "`rounding: largest_remainder` makes the parts of one whole add up to 100 %, "
            f"as in a distribution or a Likert grid; the figures of a `{kind}` indicator "
            "are not parts of one whole: remove `rounding`",
        )


# -- callouts ------------------------------------------------------------------------


def callout_indicator_valid(callout: Any, ctx: Context) -> Found:
    for sub, msg in callout.indicator.check(ctx.questions):
        yield ("indicator", *sub), msg


def callout_picks_one_number(callout: Any, ctx: Context) -> Found:
    """A callout shows one number: `option:` with a categorised indicator, never without."""
    from deckgen.indicator_kinds import declared, which

    name = callout.indicator.kind
    categorised = declared(name).categorised
    if callout.option is not None and not categorised:
        kinds = ", ".join(which("categorised"))
        kinds = " or ".join(kinds.rsplit(", ", 1))
        yield (
            ("option",),
            f"`option:` picks one category of a {kinds} "
            f"indicator; a `{name}` indicator gives one number already: remove `option:`",
        )
    elif callout.option is None and categorised:
        yield (
            ("indicator",),
            f"a callout shows one number: with a `{name}` indicator, name the `option:` to show",
        )


def callout_without_breakdown(callout: Any, ctx: Context) -> Found:
    """A callout shows one number: a breakdown (`by:`) gives one per segment."""
    if getattr(callout.indicator, "by", None):
        yield (
            ("indicator", "by"),
            "a callout shows one number, and `by:` gives one per segment: show the breakdown "
            "as a chart or a table, or narrow the callout with `filter:`",
        )


def callout_option_exists(callout: Any, ctx: Context) -> Found:
    """The `option:` is a category of the question, and the indicator keeps it."""
    from deckgen.indicator_kinds import indicator_kind

    kind = indicator_kind(callout.indicator.kind)
    if callout.option is None or kind is None or not kind.categorised:
        return
    q = ctx.questions.get(callout.indicator.question or "")
    if q is None:
        return
    codes = q.category_codes()
    if callout.option not in codes:
        yield (
            ("option",),
            f"`{callout.option}` is not an option of `{q.id}`{suggest(callout.option, codes)}; "
            f"valid: {valid_list(codes)}",
        )
    elif not _kept(callout.indicator, q, callout.option):
        yield (
            ("option",),
            f"`{callout.option}` is left out by this indicator (its `options:` or "
            "`no_answer: exclude`): add it there or pick another",
        )


def _kept(indicator: Any, question: Any, code: str) -> bool:
    """Whether `code` survives the indicator's own selection of categories."""
    if indicator.options and code not in indicator.options:
        return False
    if indicator.no_answer == "exclude":
        category = next((c for c in question.categories() if c.code == code), None)
        if category is not None and (
            getattr(category, "no_answer", False) or getattr(category, "dont_know", False)
        ):
            return False
    return True


Rule = Callable[[Any, Context], Found]

#: The rules, by what they look at.
SLIDE_RULES: tuple[Rule, ...] = (layout_exists, layout_has_a_title)
CHART_RULES: tuple[Rule, ...] = (
    chart_indicator_valid,
    chart_shows_its_indicator,
    chart_rounding_adds_up,
    chart_editions_exist,
)
CALLOUT_RULES: tuple[Rule, ...] = (
    callout_indicator_valid,
    callout_picks_one_number,
    callout_without_breakdown,
    callout_option_exists,
)


def problems(spec: Any, ctx: Context) -> list[Problem]:
    """Every problem between the spec and its data/template, with file:line."""
    doc = spec.located
    found: list[Problem] = []
    ids: dict[str, int] = {}
    for n, slide in enumerate(spec.slides):
        i = spec.index_of(n)
        raw = doc.data["slides"][i]
        where = slide_context(raw, i)
        at: KeyPath = ("slides", i)
        if slide.id is not None:
            if slide.id in ids:
                found.append(
                    doc.problem(
                        at + ("id",),
                        f"slide id `{slide.id}` is already the id of slide {ids[slide.id] + 1}: "
                        "each slide needs its own",
                        context=where,
                    )
                )
            ids.setdefault(slide.id, i)
        for rule in SLIDE_RULES:
            found += [doc.problem(at + sub, msg, context=where) for sub, msg in rule(slide, ctx)]
        single = "chart" in raw
        for j, chart in enumerate(slide.charts):
            chart_at = at + (("chart",) if single else ("charts", j))
            for rule in CHART_RULES:
                found += [
                    doc.problem(chart_at + sub, msg, context=where) for sub, msg in rule(chart, ctx)
                ]
        for j, callout in enumerate(slide.callouts):
            callout_at = at + ("callouts", j)
            for rule in CALLOUT_RULES:
                found += [
                    doc.problem(callout_at + sub, msg, context=where)
                    for sub, msg in rule(callout, ctx)
                ]
    return found


def check(spec: Any, ctx: Context) -> None:
    """Raise every problem of `problems` at once (SpecError), if any."""
    found = problems(spec, ctx)
    if found:
        raise SpecError(found)
