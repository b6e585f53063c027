"""The team's formatting follows categories, not positions (`deckgen update`): a bar
recoloured on a sorted chart keeps its colour when the new data reorder the bars; a
category that disappears takes its formatting with it, and the report says so.

Read from the chart XML: each `c:dPt`'s index, its fill, and the category at that
index in the chart's own category cache."""

from __future__ import annotations

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml.ns import qn

import deckgen

from .helpers import DATA, flat, set_cells, write_spec
from .test_update import _round_trip

PINK = RGBColor(0xFF, 0x00, 0xAA)
GREEN = RGBColor(0x00, 0xAA, 0x44)


def _slide(options=None):
    indicator = {"kind": "multi", "question": "reseaux_sociaux_plateformes", "sort": "desc"}
    if options:
        indicator["options"] = options
    return [{"id": "reseaux", "layout": "chart", "title": "Réseaux",
             "chart": {"type": "bar", "indicator": indicator}}]  # fmt: skip


def _chart(path):
    slide = Presentation(str(path)).slides[0]
    return next(s for s in flat(slide.shapes) if s.has_chart).chart


def _coloured(chart) -> dict[str, str]:
    """Category -> the fill of its own point (c:dPt), read from the XML."""
    ser = chart.plots[0].series[0]._element
    categories = [str(c) for c in chart.plots[0].categories]
    out = {}
    for point in ser.findall(qn("c:dPt")):
        fill = point.find(f"{qn('c:spPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
        if fill is not None:
            out[categories[int(point.find(qn("c:idx")).get("val"))]] = fill.get("val").upper()
    return out


@pytest.mark.parametrize(
    "saved_by", ["python-pptx", pytest.param("LibreOffice", marks=pytest.mark.clients)]
)
def test_a_recoloured_bar_keeps_its_colour_across_a_reorder_and_leaves_with_its_category(
    tmp_path, saved_by
):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    codebook = data / "codebook.yaml"
    spec = write_spec(tmp_path / "spec.yaml", _slide(), data=str(codebook))
    deck = tmp_path / "deck.pptx"
    deckgen.load(spec).build(deck)
    # the team recolours Instagram (4th, 42 %) pink and SnapChat (last) green
    prs = Presentation(str(deck))
    chart = next(s for s in flat(prs.slides[0].shapes) if s.has_chart).chart
    before = [str(c) for c in chart.plots[0].categories]
    assert before.index("Instagram") == 3 and before.index("Twitter") == 2
    series = chart.plots[0].series[0]
    for name, colour in (("Instagram", PINK), ("SnapChat", GREEN)):
        point = series.points[before.index(name)]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = colour
    prs.save(str(deck))
    if saved_by == "LibreOffice":  # the team's deck, saved again by LibreOffice Impress
        deck = _round_trip(deck, tmp_path / "saved")
        assert _coloured(_chart(deck)) == {"Instagram": str(PINK), "SnapChat": str(GREEN)}
    # six more Instagram users: 16 of 24 pass Twitter's 15; SnapChat leaves the chart
    set_cells(
        data / "responses.csv",
        {(rid, "reseaux_sociaux_plateformes__instagram"): "1"
         for rid in ("C01", "C05", "C07", "C08", "C10", "C13")},
    )  # fmt: skip
    kept = ["facebook", "youtube", "twitter", "instagram", "tiktok"]
    write_spec(spec, _slide(kept), data=str(codebook))
    report = deckgen.load(spec).update(deck, tmp_path / "updated.pptx")
    after = _chart(tmp_path / "updated.pptx")
    categories = [str(c) for c in after.plots[0].categories]
    assert categories.index("Instagram") == 2 and "SnapChat" not in categories  # reordered
    assert _coloured(after) == {"Instagram": str(PINK)}  # its colour followed it
    (gone,) = report.of("format")
    assert gone.old == "SnapChat"
    assert gone.line().endswith(
        "la catégorie « SnapChat » n'y est plus : sa mise en forme est partie avec elle"
    )
