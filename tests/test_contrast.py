"""Every figure printed on a coloured bar or slice meets WCAG 2 AA contrast (4.5:1).

Read from the decks' chart XML: each shown label's colour (its point's own label,
else its series'), against the fill it sits on (its point's own fill, else its
series'). The contrast formula is written here from WCAG 2.1 (relative luminance,
https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio), not taken from deckgen.
"""

from __future__ import annotations

import pytest
from pptx import Presentation

from .helpers import flat

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _luminance(hex_colour: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _fill(element) -> str | None:
    found = element.find(f"{C}spPr/{A}solidFill/{A}srgbClr")
    return found.get("val") if found is not None else None


def _text_colour(labels) -> str | None:
    if labels is None:
        return None
    found = labels.find(f"{C}txPr//{A}defRPr/{A}solidFill/{A}srgbClr")
    return found.get("val") if found is not None else None


def _inside_labels(space):
    """(label colour, fill) of each label drawn on its bar or slice."""
    for plot in space.iter():
        tag = plot.tag.replace(C, "")
        if tag not in ("barChart", "pieChart", "doughnutChart"):
            continue
        stacked = plot.find(f"{C}grouping") is not None and plot.find(f"{C}grouping").get(
            "val"
        ) in ("stacked", "percentStacked")
        if tag == "barChart" and not stacked:
            continue  # clustered bars: the figures stand past the bar's end, on the slide
        for ser in plot.iter(f"{C}ser"):
            labels = ser.find(f"{C}dLbls")
            series_text = _text_colour(labels)
            series_fill = _fill(ser)
            points = {p.find(f"{C}idx").get("val"): p for p in ser.iter(f"{C}dPt")}
            own = {}
            if labels is not None:
                for lbl in labels.findall(f"{C}dLbl"):
                    own[lbl.find(f"{C}idx").get("val")] = lbl
            count = len(ser.findall(f"{C}val//{C}pt"))
            for idx in map(str, range(count)):
                lbl = own.get(idx)
                deleted = lbl.find(f"{C}delete") if lbl is not None else None
                if deleted is not None and deleted.get("val") in ("1", "true"):
                    continue
                text = _text_colour(lbl) or series_text
                fill = _fill(points[idx]) if idx in points else None
                fill = fill or series_fill
                if text and fill:
                    yield text, fill


@pytest.mark.parametrize("deck", ["real_deck", "gss_deck", "ess_deck", "evolution_deck"])
def test_every_label_on_a_bar_or_slice_meets_wcag_aa(deck, request):
    report = request.getfixturevalue(deck)
    checked, poor = 0, []
    for number, slide in enumerate(Presentation(str(report.path)).slides, 1):
        for shape in flat(slide.shapes):
            if not shape.has_chart:
                continue
            for text, fill in _inside_labels(shape.chart._chartSpace):
                checked += 1
                if _ratio(text, fill) < 4.5:
                    poor.append((number, text, fill, round(_ratio(text, fill), 2)))
    # the decks with stacked bars or pies (the evolution deck has none)
    assert checked > 0 or deck == "evolution_deck"
    assert not poor, poor
