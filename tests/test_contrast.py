"""Every figure a chart prints meets WCAG 2 AA contrast (4.5:1) with what it is printed
on: a label on a bar or slice against that fill, a label past a bar's end against the
chart's or the slide's background.

Read from the decks' chart XML: each shown label's colour (its point's own label, else
its series', else its chart type's, else the chart's text, else what a client takes
when none is written: the theme's text colour, tx1), its position (written, or each
client's default: past the end of a clustered bar, on a stacked bar, a slice or a
ring), and the fill it sits on (its point's own fill, else its series'; past a bar,
the plot area's, the chart's, else the slide's background from the slide, its layout
or its master). The contrast formula is written here from WCAG 2.1 (relative
luminance, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio), not taken from deckgen.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from .conftest import AUDITED, deck_path
from .helpers import flat

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
AA = 4.5  # WCAG 2.1 success criterion 1.4.3, normal text


def _luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_formula_gives_the_wcag_reference_ratios():
    assert round(_ratio("000000", "FFFFFF"), 2) == 21.0
    assert _ratio("777777", "FFFFFF") < AA < _ratio("767676", "FFFFFF")  # the AA grey
    assert round(_ratio("FFFFFF", "FFFFFF"), 2) == 1.0


class Scheme:
    """A slide's theme colours by the names a colour element may use (`tx1`, `accent2`),
    through its master's colour map."""

    def __init__(self, slide) -> None:
        master = slide.slide_layout.slide_master
        theme = master.part.part_related_by(RT.THEME)
        from lxml import etree

        scheme = etree.fromstring(theme.blob).find(f".//{A}clrScheme")
        self.colours = {}
        for entry in scheme:
            (colour,) = list(entry)
            self.colours[entry.tag.replace(A, "")] = colour.get("val") or colour.get("lastClr")
        mapping = master._element.find(f"{P}clrMap")
        for name, value in mapping.attrib.items():
            self.colours[name] = self.colours[value]

    def solid(self, holder) -> str | None:
        """The colour of the solid fill `holder` (an spPr, a defRPr, a bgPr) has."""
        if holder is None:
            return None
        fill = holder.find(f"{A}solidFill")
        if fill is None:
            return None
        (colour,) = list(fill)
        assert not len(colour), f"a colour modified ({colour[0].tag}): not read here"
        if colour.tag == f"{A}srgbClr":
            return colour.get("val")
        if colour.tag == f"{A}schemeClr":
            return self.colours[colour.get("val")]
        raise AssertionError(f"a colour this check does not read: {colour.tag}")


def _background(slide, scheme: Scheme) -> str:
    """The slide's background: its own, its layout's, its master's, else bg1."""
    for part in (slide, slide.slide_layout, slide.slide_layout.slide_master):
        bg = part._element.find(f"{P}cSld/{P}bg")
        if bg is None:
            continue
        colour = scheme.solid(bg.find(f"{P}bgPr"))
        if colour is None and bg.find(f"{P}bgRef") is not None:
            (ref,) = list(bg.find(f"{P}bgRef"))
            colour = scheme.colours[ref.get("val")]
        if colour:
            return colour
    return scheme.colours["bg1"]


class Label(NamedTuple):
    slide: int
    chart: str
    index: str
    where: str  # "on" its bar or slice, "past" the end of its bar
    text: str  # the label's colour
    ground: str  # the colour under it
    written: bool  # its colour written in the chart, not a client's default


def _flag(element, name: str) -> bool | None:
    found = element.find(f"{C}{name}") if element is not None else None
    if found is None:
        return None
    return found.get("val", "1") in ("1", "true")


def _labels(space, scheme: Scheme, background: str, slide: int, chart: str):
    """Every label `space` (a chart) shows, with its colour and the colour under it."""
    plot_area = space.find(f"{C}chart/{C}plotArea")
    behind = (
        scheme.solid(plot_area.find(f"{C}spPr"))
        or scheme.solid(space.find(f"{C}spPr"))
        or background
    )
    chart_text = scheme.solid(space.find(f"{C}txPr//{A}defRPr"))
    for plot in plot_area:
        tag = plot.tag.replace(C, "")
        if not tag.endswith("Chart"):
            continue
        grouping = plot.find(f"{C}grouping")
        stacked = grouping is not None and grouping.get("val") in ("stacked", "percentStacked")
        default = "past" if tag == "barChart" and not stacked else "on"
        plot_labels = plot.find(f"{C}dLbls")
        for ser in plot.findall(f"{C}ser"):
            labels = ser.find(f"{C}dLbls")
            points = {p.find(f"{C}idx").get("val"): p for p in ser.findall(f"{C}dPt")}
            own = {}
            if labels is not None:
                own = {d.find(f"{C}idx").get("val"): d for d in labels.findall(f"{C}dLbl")}
            for pt in ser.findall(f"{C}val//{C}pt"):  # a masked figure has no point
                idx = pt.get("idx")
                levels = [own.get(idx), labels, plot_labels]  # nearest first
                if any(_flag(level, "delete") for level in levels):
                    continue
                shown = [v for level in levels for v in [_shows(level)] if v is not None]
                if not shown or not shown[0]:
                    continue
                colours = [_colour(level, scheme) for level in levels]
                written = next((c for c in colours if c), None) or chart_text
                text = written or scheme.colours["tx1"]  # what a client takes unwritten
                positions = [
                    level.find(f"{C}dLblPos").get("val")
                    for level in levels
                    if level is not None and level.find(f"{C}dLblPos") is not None
                ]
                where = default
                if positions:
                    where = "past" if positions[0] in ("outEnd", "r", "t", "b", "l") else "on"
                    if tag == "barChart" and stacked:
                        where = "on"
                fill = scheme.solid(
                    points[idx].find(f"{C}spPr") if idx in points else None
                ) or scheme.solid(ser.find(f"{C}spPr"))
                if where == "on":
                    assert fill, ("a label on a bar or slice with no fill written", slide, chart)
                yield Label(
                    slide, chart, idx, where, text, fill if where == "on" else behind, bool(written)
                )


def _shows(level) -> bool | None:
    """Whether a dLbl or dLbls element shows a figure (None: it does not say)."""
    if level is None:
        return None
    flags = [_flag(level, n) for n in ("showVal", "showPercent", "showCatName", "showSerName")]
    if all(f is None for f in flags):
        return None
    return any(flags)


def _colour(level, scheme: Scheme) -> str | None:
    """The colour a dLbl or dLbls element writes for its text (rich text runs first)."""
    if level is None:
        return None
    for path in (f"{C}tx/{C}rich//{A}rPr", f"{C}tx/{C}rich//{A}defRPr", f"{C}txPr//{A}defRPr"):
        for holder in level.findall(path):
            colour = scheme.solid(holder)
            if colour:
                return colour
    return None


def deck_labels(path) -> list[Label]:
    out = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        scheme = Scheme(slide)
        background = _background(slide, scheme)
        for shape in flat(slide.shapes):
            if getattr(shape, "has_chart", False):
                space = shape.chart._chartSpace
                out.extend(_labels(space, scheme, background, number, shape.name))
    return out


# labels on a bar or slice: the segment deck draws most of its doughnuts as bars and
# masks figures, the crowded deck's doughnuts label few slices, the evolution deck has
# clustered bars only
ON_A_FILL = {"evolution_deck": 0, "segment_deck": 5, "crowded": 3}


@pytest.mark.parametrize("deck", AUDITED)
def test_every_chart_label_meets_wcag_aa_on_what_it_is_printed_on(deck, request):
    """Every figure of every chart: on its bar or slice (its colour chosen per segment)
    and past a bar's end on the slide, its colour written or the client's default."""
    labels = deck_labels(deck_path(request, deck))
    on = sum(label.where == "on" for label in labels)
    past = len(labels) - on
    # a nonzero count of each the deck draws: every deck has bars with figures past
    # their end; all but the evolution deck have stacked bars, pies or doughnuts
    # every deck has bars with figures past their end, and all but the evolution deck
    # figures on stacked bars, slices or rings: at least as many as they draw today
    assert past >= 20, (deck, past)
    assert on >= ON_A_FILL.get(deck, 15), (deck, on)
    poor = [
        (label, round(_ratio(label.text, label.ground), 2))
        for label in labels
        if _ratio(label.text, label.ground) < AA
    ]
    assert not poor, poor


def test_a_label_with_no_colour_written_is_judged_in_the_colour_a_client_gives_it(
    gss_deck, tmp_path
):
    """With every label's colour taken out of the charts, each label is read in the
    theme's text colour (tx1) a client then draws it in; and on a dark slide background
    every figure past a bar's end fails, judged against that background."""
    from pptx.dml.color import RGBColor

    prs = Presentation(str(gss_deck.path))
    for slide in prs.slides:
        for shape in flat(slide.shapes):
            if getattr(shape, "has_chart", False):
                space = shape.chart._chartSpace
                for fill in space.xpath(".//c:dLbls//a:solidFill|c:txPr//a:solidFill"):
                    fill.getparent().remove(fill)
    plain = tmp_path / "plain.pptx"
    prs.save(str(plain))
    labels = deck_labels(plain)
    assert labels and not any(label.written for label in labels)
    tx1 = Scheme(prs.slides[0]).colours["tx1"]
    assert {label.text for label in labels} == {tx1}
    for slide in prs.slides:
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = RGBColor.from_string("1D3557")
    dark = tmp_path / "dark.pptx"
    prs.save(str(dark))
    past = [label for label in deck_labels(dark) if label.where == "past"]
    assert past and all(label.ground == "1D3557" for label in past)
    assert all(_ratio(label.text, label.ground) < AA for label in past)
