"""The colour of every series, bar and slice of a chart, for the native charts and the
chart images alike.

What a chart's colours say follows what its series are:
- the levels of a scale (a Likert grid, or a distribution's options stacked per
  segment): a diverging palette for a bipolar scale, light to dark for a one-sided one
  (the codebook's `scale:`), distinct colours for options in no order; "don't know"
  and no answer in grey, outside the scale;
- the editions of a trend: light to dark, oldest to newest;
- the segments of a breakdown: distinct colours, the whole sample ("Total") in the
  theme's neutral;
- the slices of a pie: as the levels of a scale, one per category.
An option with its own `color:` in the codebook takes it wherever it appears; the
chart's `colors:` replace the generated palette (never an option's own colour).
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.analysis.results import Result
from deckgen.inputs.theme import Theme, categorical, mix
from deckgen.render.plan import ChartPlan, OptionColours

_NONE = OptionColours()


@dataclass(frozen=True)
class Fills:
    """Colours as hex digits: one per series; per category, a colour of its own (an
    option's, a slice's) or None where it takes its series'."""

    series: list[str]
    points: list[str | None]


def fills(plan: ChartPlan, shown: Result, theme: Theme) -> Fills:
    """The colours of `shown` (the plan's result as its chart draws it, results.shown)."""
    from deckgen.chart_kinds import chart_kind

    result = plan.result
    listed = [c.lstrip("#").upper() for c in (plan.options.colors or [])]
    base = listed or list(theme.colors.series)
    of_question = plan.palettes.get(result.question or "", _NONE)
    of_by = plan.palettes.get(result.by or "", _NONE)
    codes = [s.code for s in shown.series]
    kind = chart_kind(plan.type)
    slices = kind is not None and kind.slices is not None
    points: list[str | None] = [None] * len(shown.categories)
    if result.editions:  # a trend: oldest to newest, light to dark
        if shown.turned:  # a figure per edition: a bar each
            return Fills(base[:1], list(_editions(theme, len(shown.categories))))
        return Fills(listed[: len(codes)] or _editions(theme, len(codes)), points)
    if shown.turned:  # a distribution stacked per segment: its options are the series
        series = _scale(of_question, codes, [False] * len(codes), theme, listed)
        if len(shown.series) == 1:  # one figure per segment: a bar each, told as segments
            points = _segment_bars(result, of_by, theme)
        return Fills(series, points)
    if result.declared.levels and (not result.by or result.groups):  # its levels
        dont_know = [s.dont_know for s in shown.series]
        return Fills(_scale(of_question, codes, dont_know, theme, listed), points)
    if result.by:  # segments, the whole sample in the neutral
        return Fills(_segments(shown, of_by, base, theme), points)
    series = base[:1]
    if slices:  # one colour per part
        flags = [False] * len(shown.codes)
        points = list(_scale(of_question, list(shown.codes), flags, theme, listed))
    elif of_question.colors:  # bars: an option's own colour on its bar
        points = [of_question.colors.get(code) for code in shown.codes]
    return Fills(series, points)


def _editions(theme: Theme, n: int) -> list[str]:
    """`n` editions light to dark: the sequential palette but its lightest colour, which
    a bar on the slide's background would barely show."""
    return theme.sequential_palette(n + 1)[1:]


def _scale(
    of: OptionColours, codes: list[str], dont_know: list[bool], theme: Theme, listed: list[str]
) -> list[str]:
    """The colours of a scale's levels `codes`, in order: those outside the scale (don't
    know, no answer) in grey, the others by the scale's order; an option's own colour
    over all."""
    apart = [flag or code in of.apart for code, flag in zip(codes, dont_know)]
    n = sum(1 for a in apart if not a)
    if listed or of.ordering == "none":
        if of.ordering == "none" and not listed:
            apart = [False] * len(codes)  # options in no order: every one its colour
            n = len(codes)
        palette = categorical(listed or list(theme.colors.series), n)
    elif of.ordering == "bipolar":
        palette = theme.likert_palette(n)
    else:
        palette = theme.sequential_palette(n)
        if of.ordering == "descending":
            palette = palette[::-1]
    colours = iter(palette)
    out = [theme.colors.dont_know if a else next(colours) for a in apart]
    return _told_apart([of.colors.get(code, colour) for code, colour in zip(codes, out)], of, codes)


def _segments(shown: Result, of_by: OptionColours, base: list[str], theme: Theme) -> list[str]:
    """A colour per segment (light to dark when the `by:` question is a one-sided scale,
    else distinct), none close to the whole sample's neutral (which
    the total series takes); a segment that is one option with a colour takes it."""
    count = sum(1 for s in shown.series if not s.total)
    if of_by.ordering in ("ascending", "descending"):  # ordered segments: light to dark
        palette = theme.sequential_palette(count)
        palette = palette[::-1] if of_by.ordering == "descending" else palette
    else:
        palette = [c for c in categorical(base, count + 4) if _far(c, theme.colors.total)]
        palette = palette[:count] + categorical(base, count)[len(palette[:count]) :]
    colours = iter(palette)
    out = []
    for s in shown.series:
        if s.total:
            out.append(theme.colors.total)
        else:
            out.append(of_by.colors.get(s.code) or next(colours))
    return _told_apart(out, of_by, [s.code or "" for s in shown.series])


def _segment_bars(result: Result, of_by: OptionColours, theme: Theme) -> list[str | None]:
    """Per bar of a figure per segment (a share by party): the whole sample in the
    theme's neutral, a segment that is one option with a colour in it (a party's), the
    others in the series' colour."""
    return [
        theme.colors.total if s.total else of_by.colors.get(s.code or "") for s in result.series
    ]


def _told_apart(colours: list[str], of: OptionColours, codes: list[str]) -> list[str]:
    """Series (or slices) that the legend names by their colour, where several options
    share one in the codebook (the three Democrat answers, one party blue): shades of
    it, the strongest at the end of the scale the options sit at (first half of the
    options: darkest first; second half: darkest last), lighter by 30 % steps (at most
    60 %), so that a reader can tell each from the legend."""
    out = list(colours)
    shared: dict[str, list[int]] = {}
    for i, code in enumerate(codes):
        own = of.colors.get(code)
        if own is not None and own == colours[i]:
            shared.setdefault(own.upper(), []).append(i)
    middle = (len(codes) - 1) / 2
    for colour, places in shared.items():
        if len(places) < 2:
            continue
        step = min(0.3, 0.6 / (len(places) - 1))
        if sum(places) / len(places) > middle:  # toward the end: darkest last
            places = places[::-1]
        for k, i in enumerate(places):
            out[i] = mix(colour, "FFFFFF", step * k)
    return out


def _far(a: str, b: str) -> bool:
    """Whether two colours are told apart at a glance (RGB distance over 80)."""
    x = [int(a[i : i + 2], 16) for i in (0, 2, 4)]
    y = [int(b[i : i + 2], 16) for i in (0, 2, 4)]
    return sum((p - q) ** 2 for p, q in zip(x, y)) >= 80**2
