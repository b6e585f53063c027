"""One scale per comparison: bars and columns of one unit on a slide share their value
axis, read back from the decks' chart XML (not from the plan that set it)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest
from pptx import Presentation

import deckgen

from .conftest import AUDITED, PERSONAL_DECKS, deck_path
from .helpers import flat

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


class Axis(NamedTuple):
    """A chart's value axis as its XML sets it: the plot (`barChart`, `lineChart`…)
    and its grouping, the unit of its figures, the axis' minimum and maximum (None
    where the client chooses) and the values it draws."""

    plot: str
    grouping: str
    unit: str
    low: float | None
    top: float | None
    values: list[float]


def _unit(formats: list[str]) -> str:
    """The unit a chart's data labels print: "%", or what the number format writes
    around its digits (a count: "", a measure: its unit)."""
    if any("%" in f for f in formats):
        return "%"
    return "".join(sorted({re.sub(r"[0#.,?\\\s\u202f\u00a0]", "", f) for f in formats}))


def _value_axes(slide) -> list[Axis]:
    """The value axis of each chart of `slide` that has one (every plot but pies and
    doughnuts: bars and columns clustered or stacked, lines, areas), read from the
    chart's XML (c:valAx/c:scaling), not from the plan that set it."""
    out = []
    for shape in flat(slide.shapes):
        if not getattr(shape, "has_chart", False):
            continue
        space = shape.chart._chartSpace
        if not space.xpath(".//c:valAx"):
            continue
        (plot,) = {e.tag.split("}")[1] for e in space.xpath(".//c:plotArea/*[c:ser]")}
        (grouping,) = set(space.xpath(".//c:plotArea/*[c:ser]/c:grouping/@val")) or {""}
        (low,) = space.xpath(".//c:valAx/c:scaling/c:min/@val") or (None,)
        (top,) = space.xpath(".//c:valAx/c:scaling/c:max/@val") or (None,)
        formats = space.xpath(".//c:dLbls/c:numFmt/@formatCode") or space.xpath(
            ".//c:val//c:formatCode/text()"
        )
        unit = "whole" if grouping == "percentStacked" else _unit(formats)
        values = [float(v) for v in space.xpath(".//c:val//c:v/text()")]
        number = [float(v) if v is not None else None for v in (low, top)]
        out.append(Axis(plot, grouping, unit, number[0], number[1], values))
    return out


def _bar_charts(slide):
    """(maximum of the value axis, unit, largest value) of each chart with a value axis."""
    return [(a.top, a.unit, max(a.values, default=0)) for a in _value_axes(slide)]


@pytest.mark.parametrize("deck", AUDITED)
def test_charts_of_one_unit_on_a_slide_share_one_scale(deck, request):
    """On every audited deck (every example, three personal decks, a segment deck, the
    crowded deck), the charts with a value axis: those of one unit on a slide have the
    same explicit minimum and maximum, from 0, every bar within it with room for its
    label past its end; 100 % bars run from 0 to 1."""
    path = deck_path(request, deck)
    compared = charts = 0
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        axes = _value_axes(slide)
        charts += len(axes)
        for unit in {a.unit for a in axes}:
            same = [a for a in axes if a.unit == unit]
            where = (deck, number, unit, [(a.plot, a.low, a.top) for a in same])
            assert len({(a.low, a.top) for a in same}) == 1, where
            for a in same:
                assert a.low == 0 and a.top is not None, where
                if unit == "whole":
                    assert a.top == 1, where
                    continue
                largest = max(a.values, default=0)
                # every bar fits, with room for its label past its end
                assert a.top >= largest * 1.15, (*where, largest)
            compared += len(same) > 1
    assert charts >= MINIMUM_CHARTS[deck], (deck, charts)
    # slides with charts compared: seed slides 8 and 22, evolution slide 4, the
    # crowded deck's seven bars
    assert compared >= {"real_deck": 2, "evolution_deck": 1, "crowded": 1}.get(deck, 0)


# charts with a value axis each deck holds at least (the audit reads them all)
MINIMUM_CHARTS = {
    "real_deck": 20,
    "evolution_deck": 4,
    "gss_deck": 8,
    "ess_deck": 6,
    "segment_deck": 21,  # its types doughnut is the public and personal decks' only
    "crowded": 11,
    **dict.fromkeys(PERSONAL_DECKS, 20),
}


def test_a_scale_group_spans_slides(tmp_path: Path):
    """`scale:` gives charts on two slides the same axis; without it each slide has its
    own (here 100 % against 35 %)."""
    from .helpers import CODEBOOK

    def spec(scale: str) -> Path:
        path = tmp_path / f"scale{bool(scale)}.yaml"
        path.write_text(
            f"""deck:
  title: "Échelles"
  data: {CODEBOOK}
slides:
  - layout: chart
    title: "Réseaux sociaux"
    chart:
      type: bar
      indicator: {{kind: multi, question: reseaux_sociaux_plateformes}}
      {scale}
  - layout: chart
    title: "Outils de crise"
    chart:
      type: bar
      indicator: {{kind: multi, question: outils_crise}}
      {scale}
""",
            encoding="utf-8",
        )
        return path

    tops = []
    for scale in ("", "scale: outils"):
        prs = Presentation(str(deckgen.load(spec(scale)).build(tmp_path / "d.pptx").path))
        tops.append([_bar_charts(slide)[0][0] for slide in prs.slides])
    apart, together = tops
    assert apart[0] != apart[1]
    assert together[0] == together[1] == max(apart)


def test_the_check_reads_the_scale_of_every_chart_type_with_a_value_axis(small_decks):
    """Every registered chart type drawn with a value axis (bars, columns, a ranking,
    100 % bars) has its scale read by the check above, from 0 to an explicit maximum;
    pies, doughnuts, tables and maps have none."""
    from deckgen.chart_kinds import KINDS

    for name in KINDS.names():
        if name not in small_decks:
            continue
        axes = [a for s in Presentation(str(small_decks[name])).slides for a in _value_axes(s)]
        if name in ("pie", "doughnut", "table", "map"):
            assert not axes, name
            continue
        assert axes, name
        for a in axes:
            assert a.low == 0 and a.top is not None and a.top >= max(a.values), (name, a)
    assert {"bar", "column", "ranking", "stacked100"} <= set(small_decks)
