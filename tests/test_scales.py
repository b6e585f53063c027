"""One scale per comparison: bars and columns of one unit on a slide share their value
axis, read back from the decks' chart XML (not from the plan that set it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

import deckgen

from .helpers import flat

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}


def _bar_charts(slide):
    """(maximum of the value axis, unit, largest value) of each bar or column chart."""
    out = []
    for shape in flat(slide.shapes):
        if not shape.has_chart:
            continue
        space = shape.chart._chartSpace
        if not space.xpath(".//c:barChart[c:grouping/@val='clustered']"):
            continue
        (top,) = space.xpath(".//c:valAx/c:scaling/c:max/@val") or (None,)
        formats = space.xpath(".//c:dLbls/c:numFmt/@formatCode")
        unit = "%" if any("%" in f for f in formats) else "number"
        values = [float(v) for v in space.xpath(".//c:val//c:v/text()")]
        out.append((float(top) if top is not None else None, unit, max(values, default=0)))
    return out


@pytest.mark.parametrize("deck", ["real_deck", "gss_deck", "ess_deck", "evolution_deck"])
def test_charts_of_one_unit_on_a_slide_share_one_scale(deck, request):
    report = request.getfixturevalue(deck)
    compared = 0
    for number, slide in enumerate(Presentation(str(report.path)).slides, 1):
        charts = _bar_charts(slide)
        for unit in ("%", "number"):
            same = [c for c in charts if c[1] == unit]
            tops = {top for top, _, _ in same}
            assert len(tops) <= 1, (deck, number, same)
            for top, _, largest in same:
                # every bar fits, with room for its label past its end
                assert top is not None and top >= largest * 1.15, (deck, number, top, largest)
            compared += len(same) > 1
    # slides with charts compared: seed slides 8 and 22, evolution slide 4
    assert compared >= {"real_deck": 2, "evolution_deck": 1}.get(deck, 0)


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
