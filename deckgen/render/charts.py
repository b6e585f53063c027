"""Native, editable PowerPoint charts from Result objects.

The chart kinds (deckgen.chart_kinds) name their builder here, as
python-pptx's xmlwriter maps chart types to writers; an unknown type is a
RenderError naming the valid ones. Each builder adds a
chart with its data embedded (PowerPoint's "Edit data" works), then styles it
from the theme. `fix_chart_xml` repairs what python-pptx writes that strict
validators reject (negative axis ids).
"""

from __future__ import annotations

import functools
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.oxml.ns import qn
from pptx.util import Pt

from deckgen.analysis.results import Result, headroom, shown
from deckgen.errors import RenderError, quoted_title, suggest, valid_list
from deckgen.inputs.theme import Theme, categorical
from deckgen.locales.numbers import percent_number_format
from deckgen.render.colors import distinct_colour, label_colour, rgb
from deckgen.render.fit import (
    LABEL_LEADING,
    LABEL_LIMIT,
    category_labels,
    column_labels_fit,
    cut_label,
    legend_extent,
    round_layout,
    row_height,
    slice_label_fits,
)
from deckgen.render.geometry import Rect
from deckgen.render.oxml import chart_xml, data_label_xml, xml_of
from deckgen.render.palette import Fills, fills
from deckgen.render.plan import ChartPlan
from deckgen.render.speedups import styled
from deckgen.render.workbook import ChartData


class ChartStyle:
    """What a builder needs besides the data: theme, locale and chart options."""

    def __init__(
        self,
        theme: Theme,
        locale: str,
        labels: bool = True,
        legend: str = "auto",
        colors: list[str] | None = None,
        digits: int = 0,
        legend_default: bool = False,
        number_format: str | None = None,
        scale: float | None = None,
    ) -> None:
        from deckgen.locales import words

        self.theme = theme
        self.locale = locale
        self.words = words(locale)
        self.legend_default = legend_default
        self.labels = labels
        self.legend = legend
        self.colors = (
            [c.lstrip("#").upper() for c in colors] if colors else list(theme.colors.series)
        )
        self.digits = digits
        self.number_format = number_format or percent_number_format(locale, digits)
        self.scale = scale  # the value axis' maximum, shared (ChartPlan.scale)
        self.fills: Fills | None = None  # the chart's colours (render.palette), set per chart
        self.problems: list[str] = []  # what did not fit, for the slide's warnings
        # a personal deck's chart whose marks are drawn last (deckgen.render.marks): the
        # builder draws the chart unmarked and says here how to fit the marked labels
        self.deferral: Any = None


def _data(
    result: Result,
    style: ChartStyle,
    series_indexes: list[int] | None = None,
    categories: list[str] | None = None,
) -> ChartData:
    data = ChartData(
        number_format=style.number_format
    )  # the embedded sheet shows the labels' percents
    # past 160 characters, cut; beside bars, as both clients print them (`_axis_labels`)
    data.categories = categories or category_names(result)
    for i in series_indexes if series_indexes is not None else range(len(result.series)):
        s = result.series[i]
        name = cut_label(s.name or result.question_text or style.words("value"))
        # None (a category whose own base is empty) stays an empty point, never a "0 %" bar
        data.add_series(name, list(s.values))
    return data


def _fonts(chart, style: ChartStyle) -> None:
    def apply() -> None:
        chart.font.name = style.theme.fonts.body
        chart.font.size = Pt(style.theme.sizes.chart_axis)
        chart.font.color.rgb = rgb(style.theme.colors.text)

    key = ("fonts", style.theme.fonts.body, style.theme.sizes.chart_axis, style.theme.colors.text)
    styled(chart_xml(chart).get_or_add_txPr(), key, apply)


def _value_axis_off(chart) -> None:
    axis = chart.value_axis

    def apply() -> None:
        axis.visible = False
        axis.has_major_gridlines = False
        axis.has_minor_gridlines = False
        axis.maximum_scale = None
        axis.minimum_scale = 0

    styled(xml_of(axis), ("value axis off",), apply)


def _fill(series, color: str) -> None:
    """A series filled with `color` (its c:spPr)."""

    def apply() -> None:
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(color)

    styled(xml_of(series).get_or_add_spPr(), ("fill", color), apply)


def _data_labels(
    plot, style: ChartStyle, position=None, color: str | None = None, size: float | None = None
) -> None:
    """Value labels as French percentages, set on each series.

    Series-level labels (not plot-level): hiding one thin segment's label needs
    a series `c:dLbls`, which would otherwise override the plot's settings with
    "show nothing".
    """
    plot.has_data_labels = False
    if not style.labels:
        return
    size = size or style.theme.sizes.chart_label
    color = color or style.theme.colors.text
    key = ("labels", style.number_format, size, style.theme.fonts.body, color, position)
    for series in plot.series:

        def apply(labels=series.data_labels) -> None:
            labels.number_format = style.number_format
            labels.number_format_is_linked = False
            labels.show_value = True
            labels.show_category_name = False
            labels.show_series_name = False
            labels.show_legend_key = False
            labels.font.size = Pt(size)
            labels.font.name = style.theme.fonts.body
            labels.font.color.rgb = rgb(color)
            if position is not None:
                labels.position = position

        styled(xml_of(series).get_or_add_dLbls(), key, apply)


def _series_names(chart) -> list[str]:
    return [s.name or "" for s in chart.plots[0].series]


_POSITIONS = {
    "bottom": XL_LEGEND_POSITION.BOTTOM,
    "right": XL_LEGEND_POSITION.RIGHT,
    "top": XL_LEGEND_POSITION.TOP,
}


def _own(plot, result: Result, style: ChartStyle, fill: bool, mark: str = "") -> None:
    """A personal deck: the recipient's answers stand out without repainting anything:
    each of their bars (`fill`: one per series of their category), or, in stacked bars
    and pies, the segment of their answer, outlined in a colour no part of the chart
    uses (`own_colour`), so every series keeps its colour and the legend stays true."""
    if not result.own:
        return
    mark = mark or _mark_colour(plot, style)
    for series in plot.series:
        named = series.name or ""
        info = next((s for s in result.series if cut_label(s.name or "") == named), None)
        for idx, answer in enumerate(result.own):
            if not answer:
                continue
            if fill or answer == "x" or (info is not None and info.code == answer):
                _outline(series, plot, idx, mark)


def _outline(series, plot, idx: int, mark: str) -> None:
    """The point `idx` of `series` keeps the fill it shows (`_keep_fill`) and gets an
    outline in `mark`, 2.5 pt: what python-pptx's `point.format.line.color.rgb = mark`
    and `.width = Pt(2.5)` write, through the same element methods they call, without
    their proxy objects (a personal deck marks thousands of points). A point with no
    shape properties yet, on a series filled with an RGB colour (most marks), gets a
    copy of those written once for that colour and mark (`_outlined`)."""
    from copy import deepcopy

    ser = xml_of(series)
    dPt = ser.get_or_add_dPt_for_point(idx)
    fresh = dPt.spPr is None
    spPr = dPt.get_or_add_spPr()
    if spPr.eg_fillProperties is None:  # no fill of its own: its series', if solid
        fill = ser.get_or_add_spPr().eg_fillProperties
        colour = fill.eg_colorChoice if fill is not None and fill.tag == qn("a:solidFill") else None
        if colour is not None and colour.tag == qn("a:srgbClr"):
            if fresh:  # the properties written once for this colour and mark, copied
                spPr.extend(deepcopy(child) for child in _outlined(colour.val, mark))
                return
            _filled(spPr, colour.val)
        elif fill is not None:  # another kind of fill or colour: python-pptx's own way
            _keep_fill(series.points[idx], series, plot, idx)
    _lined(spPr, mark)


@functools.lru_cache(maxsize=256)
def _outlined(colour: str, mark: str) -> Any:
    """The shape properties `_outline` writes into a point that has none, on a series
    filled with `colour`: written once on a loose point, then copied."""
    from pptx.oxml.chart.series import CT_DPt

    spPr = CT_DPt.new_dPt().get_or_add_spPr()
    _filled(spPr, colour)
    _lined(spPr, mark)
    return spPr


def _filled(spPr, colour: str) -> None:
    """What python-pptx's `fill.solid()` then `fore_color.rgb = colour` write."""
    spPr.get_or_change_to_solidFill().get_or_change_to_srgbClr().val = str(
        RGBColor.from_string(colour)
    )


def _lined(spPr, mark: str) -> None:
    """What python-pptx's `line.color.rgb = mark` and `line.width = Pt(2.5)` write."""
    ln = spPr.get_or_add_ln()
    ln.get_or_change_to_solidFill().get_or_change_to_srgbClr().val = mark
    ln.w = Pt(2.5)


def draw_marks(
    frame,
    result: Result,
    style: ChartStyle,
    labels: list[str],
    fill: bool,
    series: list[int] | None,
    mark: str,
) -> None:
    """A chart drawn unmarked (`style.deferral`) given the recipient's marks: the
    categories named `labels` (the marked ones) in its caches and its workbook, then
    the recipient's answers outlined (`_own`). Applied to a chart just drawn and to the
    same chart read back from its bytes, it gives the same chart."""
    chart = frame.chart
    relabel(chart, labels)
    blob = _data(result, style, series, labels).xlsx_blob
    frame.chart_part.chart_workbook.update_from_xlsx_blob(blob)
    _own(chart.plots[0], result, style, fill, mark)


def relabel(chart, labels: list[str]) -> None:
    """`labels` as the chart's categories in every series' category cache (what each
    viewer draws), as python-pptx's writer puts them there: a carriage return read as
    an XML parser reads it, a line break."""
    for ser in chart_xml(chart).iter(qn("c:ser")):
        cache = ser.find(f"{qn('c:cat')}/{qn('c:strRef')}/{qn('c:strCache')}")
        points = [] if cache is None else cache.findall(qn("c:pt"))
        if len(points) != len(labels):
            raise RenderError(
                f"internal: a chart of {len(points)} categories given {len(labels)} labels"
            )
        for pt in points:
            text = labels[int(pt.get("idx"))]
            pt.find(qn("c:v")).text = text.replace("\r\n", "\n").replace("\r", "\n")


def _answers(plot, result: Result, style: ChartStyle, fill: bool) -> None:
    """The recipient's answers outlined (`_own`), or, on a chart whose marks are drawn
    last (`style.deferral`), the colour they will be outlined in, worked out here."""
    if style.deferral is None:
        _own(plot, result, style, fill)
    else:
        style.deferral.mark = _mark_colour(plot, style)


def _mark_colour(plot, style: ChartStyle) -> str:
    """The colour `_own` marks the recipient's answers in, from the colours the chart
    draws with now (deckgen.render.marks: worked out where a chart drawn in one go
    marks them, kept for the marks drawn last)."""
    return str(rgb(own_colour(plot, style.theme.colors.own)))


def own_colour(plot, preferred: str) -> str:
    """The first of the theme's mark colour and a few distinct others that is far
    (in RGB) from every colour the chart draws with."""
    used = {str(v).upper() for v in xml_of(plot).getparent().xpath(".//a:solidFill/a:srgbClr/@val")}
    return distinct_colour(used, preferred)


def _keep_fill(point, series, plot, idx: int) -> None:
    """Give `point` the fill it shows now (its own, else its series'), so that adding
    an outline to it does not reset its colour to the viewer's automatic one."""
    fill = point.format.fill
    if fill.type is not None:
        return  # it has its own (a pie's slice)
    colour = series.format.fill.fore_color.rgb if series.format.fill.type is not None else None
    if colour is not None:
        fill.solid()
        fill.fore_color.rgb = colour


def _mark_points(plot, result: Result, style: ChartStyle) -> None:
    """A significance mark after the figure of each marked point ('38 % ▲', '38 % B'):
    the point's own label with the series' format and the mark as escaped literal
    characters, so the figure stays linked to its value and every client reads it."""
    from copy import deepcopy

    for series, info in zip(plot.series, result.series):
        if not any(info.marks):
            continue
        labels = xml_of(series).find(qn("c:dLbls"))
        for idx, mark in enumerate(info.marks):
            if not mark:
                continue
            label = data_label_xml(series.points[idx].data_label)
            for child in list(label):
                if child.tag != qn("c:idx"):
                    label.remove(child)
            code = style.number_format + "\\ " + "".join(f"\\{ch}" for ch in mark)
            label.append(
                label.makeelement(qn("c:numFmt"), {"formatCode": code, "sourceLinked": "0"})
            )
            for tag in ("c:spPr", "c:txPr", "c:dLblPos"):
                found = labels.find(qn(tag)) if labels is not None else None
                if found is not None:
                    label.append(deepcopy(found))
            for tag, val in (
                ("showLegendKey", "0"),
                ("showVal", "1"),
                ("showCatName", "0"),
                ("showSerName", "0"),
                ("showPercent", "0"),
                ("showBubbleSize", "0"),
            ):
                label.append(label.makeelement(qn(f"c:{tag}"), {"val": val}))  # fmt: skip


def _slice_label_colours(plot, style: ChartStyle) -> None:
    """White figures on dark slices; on a light or mid-tone slice, the point's own label
    in a dark colour that meets WCAG AA, its format the series'."""
    from copy import deepcopy

    series = plot.series[0]
    labels = xml_of(series).find(qn("c:dLbls"))
    for point in series.points:
        fill = str(point.format.fill.fore_color.rgb) if point.format.fill.type else None
        colour = label_colour(fill, "FFFFFF", style.theme.colors.text) if fill else "FFFFFF"
        if colour == "FFFFFF" or labels is None:
            continue
        label = data_label_xml(point.data_label)
        for child in list(label):
            if child.tag != qn("c:idx"):
                label.remove(child)
        for tag in ("c:numFmt", "c:spPr", "c:txPr", "c:dLblPos"):
            found = labels.find(qn(tag))
            if found is not None:
                label.append(deepcopy(found))
        for found in label.iter(qn("a:srgbClr")):
            if found.getparent().getparent().tag == qn("a:defRPr"):
                found.set("val", colour)
        for tag in ("showLegendKey", "showVal", "showCatName", "showSerName", "showPercent",
                    "showBubbleSize"):  # fmt: skip
            label.append(
                label.makeelement(qn(f"c:{tag}"), {"val": "1" if tag == "showVal" else "0"})
            )


def _legend(
    chart, style: ChartStyle, rect: Rect, labels: list[str], default: str, said: bool = True
) -> tuple[str, float] | None:
    """The legend the spec asks for; `auto`: the chart kind's default (deckgen.chart_kinds)
    at `default`'s side, or the other side when it fits only there. Its font shrinks
    (to 8 pt) to fit the chart; a legend that fits nowhere is noted in `style.problems`
    (unless `said` is False: its labels are marked ones, said with the marks).
    Returns the legend's side and the points it takes from the plot (None: no legend)."""
    wanted = _legend_wanted(style)
    chart.has_legend = wanted
    if not wanted:
        return None
    placed, problems = _legend_place(style, rect, labels, default)
    if said:
        style.problems.extend(problems)
    side, size, extent = placed
    chart.legend.position = _POSITIONS[side]
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(size)
    chart.legend.font.name = style.theme.fonts.body
    return side, extent


def _legend_wanted(style: ChartStyle) -> bool:
    return style.legend_default if style.legend == "auto" else style.legend != "none"


def _legend_place(
    style: ChartStyle, rect: Rect, labels: list[str], default: str
) -> tuple[tuple[str, float, float], list[str]]:
    """Where `_legend` puts a legend it draws, (side, font size, extent), and what the
    warnings say of it."""
    nominal = style.theme.sizes.chart_legend
    smallest = min(8, nominal)
    sides = [style.legend] if style.legend in _POSITIONS else [default]
    if style.legend == "auto":
        sides.append("right" if default != "right" else "bottom")
    placed = None
    for side in sides:
        size = nominal
        while (extent := legend_extent(labels, rect, side, size)) is None and size > smallest:
            size = max(size - 1, smallest)
        if extent is not None:
            placed = (side, size, extent)
            break
    problems = []
    if placed is None:
        problems.append(
            f"its legend ({len(labels)} entries) does not fit the chart: "
            "fewer charts on the slide, shorter labels or `legend: none`"
        )
        side = sides[0]
        placed = (side, smallest, rect.width / 12_700 * 0.4 if side == "right" else 0.0)
    return placed, problems


def _bars(shapes, rect: Rect, result: Result, style: ChartStyle, horizontal: bool):
    """Bars of one series, or clustered bars of a breakdown's segments (a colour each)."""
    kind = XL_CHART_TYPE.BAR_CLUSTERED if horizontal else XL_CHART_TYPE.COLUMN_CLUSTERED
    several = len(result.series) > 1
    narrow = (
        not horizontal and rect.width / max(len(result.categories), 1) < 914400
    )  # under an inch per column
    axis_size = style.theme.sizes.chart_axis - (2 if narrow else 0)
    categories, axis_size = _category_axis(result, rect, axis_size, style, fit=horizontal)
    if style.deferral is not None:
        style.deferral.drawn(fill=True, series=None if several else [0])
    frame = shapes.add_chart(
        kind,
        rect.left,
        rect.top,
        rect.width,
        rect.height,
        _data(result, style, None if several else [0], categories),
    )
    chart = frame.chart
    _fonts(chart, style)
    plot = chart.plots[0]
    plot.gap_width = (45 if horizontal else 60) if not several else 80
    plot.vary_by_categories = False
    colours = style.fills or Fills(style.colors[:1], [])
    for series, color in zip(plot.series, colours.series):
        _fill(series, color)
        series.invert_if_negative = False
    if not several:  # an option's own colour on its bar
        for idx, colour in enumerate(colours.points):
            if colour is not None:
                point = plot.series[0].points[idx]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(colour)
    _value_axis_off(chart)
    cat = chart.category_axis

    def category_axis() -> None:
        cat.has_major_gridlines = False
        _no_ticks(cat)
        cat.format.line.color.rgb = rgb(style.theme.colors.muted)
        cat.tick_labels.font.size = Pt(axis_size)
        if horizontal:
            cat.reverse_order = True  # first category on top, as it reads
        else:
            _horizontal_tick_labels(cat)

    styled(
        xml_of(cat),
        ("category axis", style.theme.colors.muted, axis_size, horizontal),
        category_axis,
    )
    # clustered bars are thinner: their figures a little smaller; and no figure taller
    # than its bar's slot, or neighbours' figures overlap where a shared scale keeps
    # two bars of a cluster alike (horizontal bars: a category's band is the plot's
    # height over the categories; a cluster's bars share it with the gap between
    # clusters, so two figures of a cluster stand a bar's thickness apart)
    size = _label_size(style, several)
    if horizontal:
        band = rect.height * 0.75 / max(len(result.categories), 1) / 12700  # points
        slot = band / (len(result.series) + plot.gap_width / 100) if several else band
        size = max(min(size, round(slot * 0.9, 1)), 7.0)
    _data_labels(plot, style, XL_LABEL_POSITION.OUTSIDE_END, size=size)
    if style.labels:
        _mark_points(plot, result, style)
    _answers(plot, result, style, fill=True)
    _legend(chart, style, rect, _series_names(chart), "bottom")
    # one scale for the charts compared on a slide, with headroom for the labels
    chart.value_axis.maximum_scale = style.scale or headroom(result)
    return frame


def category_names(result: Result) -> list[str]:
    """The categories as a chart names them: at most LABEL_LIMIT characters, cut, but a
    personal deck's mark (" (votre réponse)") kept whole at the end of its label."""
    words = result.own_words or ("",) * len(result.categories)
    return [
        cut_label(c[: len(c) - len(w)], LABEL_LIMIT - len(w)) + w
        if w and c.endswith(w)
        else cut_label(c)
        for c, w in zip(result.categories, words)
    ]


def _category_axis(
    result: Result, rect: Rect, size: float, style: ChartStyle, fit: bool = True
) -> tuple[list[str], float]:
    """The categories as the chart names them and their size: fitted beside bars
    (`fit`, `_axis_labels`), else as `category_names` cuts them. A chart whose marks
    are drawn last (`style.deferral`) is named without them, at the size its marked
    labels fit at; the marks phase writes those labels (deckgen.render.marks)."""

    def fitted(shown: Result) -> tuple[list[str], float, list[str]]:  # kept: `size` stays
        return _axis_labels(shown, rect, size) if fit else (category_names(shown), size, [])

    if style.deferral is None:
        labels, fitted_size, problems = fitted(result)
        style.problems.extend(problems)
        return labels, fitted_size
    return category_names(result), style.deferral.fitted_by(fitted)


def _axis_labels(result: Result, rect: Rect, size: float) -> tuple[list[str], float, list[str]]:
    """The category labels beside bars, and their size, as both clients print them
    whole (`render.fit.category_labels`); and what the chart's warnings say of them
    (what was shortened)."""
    names = category_names(result)
    # a personal deck's mark ends its category's label, " (votre réponse)": kept whole
    keep = [
        words if words and name.endswith(words) else ""
        for name, words in zip(names, result.own_words or [""] * len(names))
    ]
    labels, size, shortened = category_labels(names, rect, size, keep=keep)
    problems: list[str] = []
    if shortened:
        first = next(a for a, b, c in zip(result.categories, labels, names) if b != c)
        problems.append(
            f"{shortened} label(s) shortened beside the bars (first: {quoted_title(first, 40)}"
            "): whole in the alternative text; shorten them in the codebook"
        )
    if row_height(rect, len(labels)) < size * LABEL_LEADING:
        problems.append(
            f"{len(labels)} categories in a chart too short to name each (a row under a "
            f"line of {size:g} pt): clients name every other one; make it taller"
        )
    return labels, size, problems


def _no_ticks(axis) -> None:
    """No tick marks on a category axis: its categories are named, not measured."""
    axis.major_tick_mark = XL_TICK_MARK.NONE
    axis.minor_tick_mark = XL_TICK_MARK.NONE


def _horizontal_tick_labels(axis) -> None:
    """Keep column labels horizontal (they wrap) instead of the viewer's 45° slant. The
    tick labels' text properties are the axis element's own `c:txPr`."""
    txPr = xml_of(axis).get_or_add_txPr()
    body = txPr.find(qn("a:bodyPr"))
    body.set("rot", "0")
    body.set("vert", "horz")


def _coloured(chart: ChartPlan, style: ChartStyle, drawn_as: str) -> Result:
    """The result as `drawn_as` draws it, its colours set in `style` (render.palette)."""
    result = shown(chart.result, drawn_as)
    style.fills = fills(chart, result, style.theme)
    return result


def bar(shapes, rect, chart: ChartPlan, style):
    return _bars(shapes, rect, _coloured(chart, style, chart.type), style, horizontal=True)


def column(shapes, rect, chart: ChartPlan, style):
    """Columns; clustered columns too narrow for each figure over its own bar are
    drawn as bars instead (a figure per line, none over its neighbour)."""
    result = _coloured(chart, style, chart.type)
    return _bars(shapes, rect, result, style, horizontal=not columns_fit(rect, result, style))


def columns_fit(rect: Rect, result: Result, style: ChartStyle) -> bool:
    """Whether `result` as clustered columns in `rect` prints each figure over its own
    bar (one series, or no figures: always)."""
    several = len(result.series) > 1
    if not several or not style.labels:
        return True
    values = [v for s in result.series for v in s.values if v is not None]
    if result.measure:
        labels = [style.words.number(v, result.decimals) for v in values]
    else:
        labels = [style.words.percent(v, style.digits) for v in values]
    size = _label_size(style, several)
    return column_labels_fit(rect.width, len(result.categories), len(result.series), labels, size)


def _label_size(style: ChartStyle, several: bool) -> float:
    """A bar's figure: a little smaller on clustered bars, which are thinner."""
    label = style.theme.sizes.chart_label
    return float(max(label - 2, 8) if several else label)


def ranking(shapes, rect, chart: ChartPlan, style):
    _coloured(chart, style, chart.type)
    if style.deferral is not None:  # its marked result drawn as it is too
        style.deferral.drawn_as = None
    return _bars(shapes, rect, chart.result, style, horizontal=True)


def stacked100(shapes, rect, plan: ChartPlan, style):
    """A 100 % stacked bar per statement (positive levels to negative, 'don't know' in
    grey), per segment and statement (a Likert grid by segment), or per segment of a
    distribution broken down (its options stacked, in distinct colours)."""
    result = _coloured(plan, style, plan.type)
    categories, axis_size = _category_axis(result, rect, style.theme.sizes.chart_axis - 1, style)
    if style.deferral is not None:
        style.deferral.drawn(fill=False, series=None)
    frame = shapes.add_chart(
        XL_CHART_TYPE.BAR_STACKED_100,
        rect.left,
        rect.top,
        rect.width,
        rect.height,
        _data(result, style, categories=categories),
    )
    chart = frame.chart
    _fonts(chart, style)
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.overlap = 100
    assert style.fills is not None
    for s, colour in zip(plot.series, style.fills.series):
        _fill(s, colour)  # a scale's levels in its order, options each their own
        s.invert_if_negative = False
    _value_axis_off(chart)
    chart.value_axis.maximum_scale = 1.0
    cat = chart.category_axis
    cat.reverse_order = True
    _no_ticks(cat)
    cat.tick_labels.font.size = Pt(axis_size)
    cat.format.line.fill.background()
    _data_labels(
        plot,
        style,
        XL_LABEL_POSITION.CENTER,
        color="FFFFFF",
        size=style.theme.sizes.chart_label - 2,
    )
    if style.labels:
        for s in plot.series:  # dark text on light segments, white on dark ones (WCAG AA)
            fill = str(s.format.fill.fore_color.rgb)
            s.data_labels.font.color.rgb = rgb(
                label_colour(fill, "FFFFFF", style.theme.colors.text)
            )
    if style.labels:
        # a segment's significance marks (a distribution by segment, tested), which
        # the footnote explains, after the figure of each label
        _mark_points(plot, result, style)
        _hide_small_labels(plot, result, threshold=0.06)
    _answers(plot, result, style, fill=False)  # the recipient's level of each statement
    _legend(chart, style, rect, _series_names(chart), "bottom")
    return frame


def _hide_small_labels(
    plot, result: Result, threshold: float, keep: list[bool] | None = None
) -> None:
    """Delete the labels of thin segments: '3 %' in a sliver is unreadable (marked or
    not: the notes and the alternative text keep every figure). `keep`: for the one
    series of a pie, which figures fit their slice."""
    for s, info in zip(plot.series, result.series):
        for idx, v in enumerate(info.values):
            if v is not None and (v < threshold or (keep is not None and not keep[idx])):
                dl = s.points[idx].data_label
                dLbl = data_label_xml(dl)
                for child in list(dLbl):
                    if child.tag != qn("c:idx"):
                        dLbl.remove(child)
                dLbl.append(dLbl.makeelement(qn("c:delete"), {"val": "1"}))


def _round(shapes, rect, result, style, kind):
    deferral = style.deferral
    if deferral is not None:  # its legend and circle placed for the marked names
        deferral.drawn_as = None  # its result drawn as it is
        deferral.drawn(fill=False, series=[0])

        def placed(shown: Result) -> tuple[list[str], Any, list[str]]:
            entries = category_names(shown)
            if not _legend_wanted(style):
                return entries, round_layout(entries, rect, None, 0.0), []
            # whether it fits is said with the marks: two sets of names can be placed
            # alike, one fitting, the other not (the fallback's place)
            (side, size, extent), said = _legend_place(style, rect, entries, "right")
            return entries, (side, size, round_layout(entries, rect, (side, extent), size)), said

        deferral.fitted_by(placed)
    frame = shapes.add_chart(
        kind, rect.left, rect.top, rect.width, rect.height, _data(result, style, [0])
    )
    chart = frame.chart
    _fonts(chart, style)
    plot = chart.plots[0]
    plot.vary_by_categories = True
    colours = style.fills.points if style.fills else [None] * len(result.categories)
    fallback = iter(categorical(style.colors, len(result.categories)))  # never one twice
    points = plot.series[0].points
    for idx, colour in enumerate(colours):
        point = points[idx]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = rgb(colour or next(fallback))
        point.format.line.color.rgb = rgb(style.theme.colors.background)
    # labels sit on the slices: white and bold reads on every palette colour
    _data_labels(
        plot, style, XL_LABEL_POSITION.CENTER if kind == XL_CHART_TYPE.PIE else None, color="FFFFFF"
    )
    entries = category_names(result if deferral is None else deferral.result)
    legend = _legend(chart, style, rect, entries, "right", said=deferral is None)
    circle = _round_layout(chart, rect, entries, legend)
    _answers(plot, result, style, fill=False)  # the recipient's slice outlined
    if style.labels:
        plot.series[0].data_labels.font.bold = True
        _slice_label_colours(plot, style)  # on its slice: a colour that reads on it (WCAG AA)
        # a figure is shown where it fits on its slice: in a small chart, fewer of them
        hole = 0.55 if kind == XL_CHART_TYPE.DOUGHNUT else 0.0
        size = style.theme.sizes.chart_label
        values = result.series[0].values
        fits = [
            v is not None and slice_label_fits(circle, v, f"{v * 100:.0f} %", size, hole)
            for v in values
        ]
        _hide_small_labels(plot, result, threshold=0.04, keep=fits)
        if any(v is not None and v >= 0.04 and not ok for v, ok in zip(values, fits)):
            style.problems.append(
                "the chart is too small to show the figures of some slices: "
                "fewer charts on the slide"
            )
    if kind == XL_CHART_TYPE.DOUGHNUT:
        hole = xml_of(plot).find(qn("c:holeSize"))
        if hole is None:
            hole = xml_of(plot).makeelement(qn("c:holeSize"), {})
            xml_of(plot).append(hole)
        hole.set("val", "55")
    return frame


def _round_layout(chart, rect: Rect, entries: list[str], legend) -> float:
    """The circle and the legend placed by deckgen (fit.round_layout), written as the
    chart's manual layout, so that both clients draw them alike; returns the circle's
    diameter in points."""
    size = chart.legend.font.size.pt if legend is not None else 0.0
    plot, box = round_layout(entries, rect, legend, size)
    space = chart_xml(chart)
    _manual_layout(space.find(f"{qn('c:chart')}/{qn('c:plotArea')}"), plot, inner=True)
    if box is not None:
        _manual_layout(space.find(f"{qn('c:chart')}/{qn('c:legend')}"), box, inner=False)
    return plot[3] * rect.height / 12_700


def _manual_layout(parent, box, inner: bool) -> None:
    """`parent`'s c:layout (a plot area's or a legend's) set to `box`, shares of the
    chart from its top left corner; a plot area's box is its inner one, without its
    axes' labels."""
    layout = parent.find(qn("c:layout"))  # python-pptx writes an empty one in both
    if layout is None:  # first in a plot area, after a legend's c:legendPos
        layout = parent.makeelement(qn("c:layout"), {})
        parent.insert(1 if parent.tag == qn("c:legend") else 0, layout)
    layout.clear()
    manual = layout.makeelement(qn("c:manualLayout"), {})
    layout.append(manual)
    if inner:
        manual.append(manual.makeelement(qn("c:layoutTarget"), {"val": "inner"}))
    for tag in ("xMode", "yMode"):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": "edge"}))
    for tag, value in zip("xywh", box):
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": f"{value:.4f}"}))


def pie(shapes, rect, chart: ChartPlan, style):
    _coloured(chart, style, chart.type)
    return _round(shapes, rect, chart.result, style, XL_CHART_TYPE.PIE)


def doughnut(shapes, rect, chart: ChartPlan, style):
    _coloured(chart, style, chart.type)
    return _round(shapes, rect, chart.result, style, XL_CHART_TYPE.DOUGHNUT)


def add_chart(shapes, rect: Rect, chart: ChartPlan, style: ChartStyle):
    """The native chart of `chart`'s kind (deckgen.chart_kinds), strictly valid."""
    from deckgen.chart_kinds import chart_kind, names

    kind = chart_kind(chart.type)
    if kind is None:
        raise RenderError(
            f"unknown chart type `{chart.type}`{suggest(chart.type, names())}; "
            f"valid: {valid_list(names())}"
        )
    frame = kind.build()(shapes, rect, chart, style)
    if getattr(frame, "has_chart", False):
        fix_chart_xml(frame.chart)
    return frame


def fix_chart_xml(chart) -> None:
    """Make python-pptx's chart XML strictly valid.

    python-pptx writes random negative axis ids (c:axId/@val); the schema types
    them as unsigned ints, and strict validators (and some PowerPoint builds)
    reject them. Renumber each axis id to a small positive, stable value.
    """
    space = chart_xml(chart)
    mapping: dict[str, str] = {}
    for el in space.iter(qn("c:axId"), qn("c:crossAx")):
        old = el.get("val")
        if old not in mapping:
            mapping[old] = str(500000 + len(mapping) + 1)
    for el in space.iter(qn("c:axId"), qn("c:crossAx")):
        el.set("val", mapping[el.get("val")])
    # python-pptx adds <c:autoTitleDeleted val="0"/>; a chart without a title should say 1
    atd = space.find(qn("c:chart") + "/" + qn("c:autoTitleDeleted"))
    if atd is not None:
        atd.set("val", "1")
