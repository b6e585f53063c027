"""What a chart's colours say: a one-sided scale and the editions of a trend light to
dark, a bipolar Likert scale diverging, "Total" in a neutral no segment takes, an
option's own `color:` wherever it appears. Colours are read back from the decks' chart
XML (and the images' SVG); lightness is computed here from the WCAG formula."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

import deckgen

from .helpers import ROOT
from .test_contrast import _luminance as _lightness  # WCAG, written out there

NS = {
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
# the GSS codebook's party colours, the default theme's neutral and "don't know"
DEMOCRAT, INDEPENDENT, REPUBLICAN, OTHER = "1F5FA8", "7D5BA6", "C62828", "A3A3A3"
TOTAL, DONT_KNOW = "8C939B", "BFC5CC"


def _charts(deck: Path) -> dict[str, etree._Element]:
    """Each chart part's XML, by the text of its first category or series name."""
    out = {}
    with zipfile.ZipFile(deck) as z:
        for name in z.namelist():
            if re.fullmatch(r"ppt/charts/chart\d+\.xml", name):
                out[name] = etree.fromstring(z.read(name))
    return out


def _chart_with(deck: Path, text: str) -> etree._Element:
    found = [x for x in _charts(deck).values() if text in "".join(x.itertext())]
    assert len(found) == 1, f"{len(found)} charts hold {text!r}"
    return found[0]


def _series_fills(chart) -> dict[str, str]:
    """{series name: its fill}."""
    out = {}
    for ser in chart.iterfind(".//c:ser", NS):
        name = ser.findtext("c:tx//c:v", namespaces=NS)
        fill = ser.find("c:spPr/a:solidFill/a:srgbClr", NS)
        out[name] = fill.get("val") if fill is not None else None
    return out


def _point_fills(chart) -> dict[str, str]:
    """{category: its point's own fill} of a chart's first series."""
    ser = chart.find(".//c:ser", NS)
    categories = [v.text for v in ser.iterfind("c:cat//c:pt/c:v", NS)]
    out = {}
    for point in ser.iterfind("c:dPt", NS):
        idx = int(point.find("c:idx", NS).get("val"))
        fill = point.find("c:spPr/a:solidFill/a:srgbClr", NS)
        if fill is not None:
            out[categories[idx]] = fill.get("val")
    return out


def test_editions_go_light_to_dark_oldest_first(evolution_deck):
    chart = _chart_with(evolution_deck.path, "2016-2017 (n")
    fills = list(_series_fills(chart).values())
    assert len(fills) == 3
    light = [_lightness(f) for f in fills]
    assert light[0] > light[1] > light[2], fills  # 2016, 2016-2017, 2021
    # a figure per edition (a share's trend): its bars light to dark too
    chart = _chart_with(evolution_deck.path, "Service dédié")
    points = _point_fills(chart)
    assert len(points) == 2, points
    older, newer = points.values()
    assert _lightness(older) > _lightness(newer), points


def test_total_is_the_theme_neutral_and_no_segment_takes_it(evolution_deck, gss_deck):
    for deck, total in ((evolution_deck.path, "Ensemble (n"), (gss_deck.path, "Total (n")):
        chart = _chart_with(deck, total)
        fills = _series_fills(chart)
        total_fill = next(f for name, f in fills.items() if name.startswith(total[:-3]))
        others = [f for name, f in fills.items() if not name.startswith(total[:-3])]
        assert total_fill == TOTAL, fills
        assert TOTAL not in others and len(set(others)) == len(others), fills


def test_an_option_colour_is_used_for_its_bar_and_its_segment(gss_deck):
    bars = _point_fills(_chart_with(gss_deck.path, "Strong Democrat"))
    assert bars["Strong Democrat"] == bars["Not very strong Democrat"] == DEMOCRAT
    assert bars["Independent"] == INDEPENDENT
    assert bars["Strong Republican"] == REPUBLICAN and bars["Other party"] == OTHER
    # segments grouping options that share a colour take it; the total its neutral
    fills = _series_fills(_chart_with(gss_deck.path, "Democrats (n"))
    named = {name.split(" (")[0]: fill for name, fill in fills.items()}
    assert named == {
        "Total": TOTAL,
        "Democrats": DEMOCRAT,
        "Independents": INDEPENDENT,
        "Republicans": REPUBLICAN,
    }


def test_a_one_sided_scale_goes_dark_to_light_as_listed(gss_deck, real_deck):
    # "How often do you read the newspaper?", `scale: descending`: every day darkest
    slices = _point_fills(_chart_with(gss_deck.path, "A few times a week"))
    order = ["Every day", "A few times a week", "Once a week", "Less than once a week", "Never"]
    light = [_lightness(slices[k]) for k in order]
    assert light == sorted(light) and len(set(light)) == 5, slices
    # "Ne sait pas" stays grey, outside the scale
    slices = _point_fills(_chart_with(real_deck.path, "Oui, beaucoup"))
    assert slices["Ne sait pas"] == DONT_KNOW
    light = [_lightness(slices[k]) for k in ("Oui, beaucoup", "Oui, un peu", "Non")]
    assert light == sorted(light) and len(set(light)) == 3, slices


def test_a_bipolar_likert_scale_keeps_its_diverging_palette(real_deck):
    theme_likert = ["1B6F6A", "7BC4B8", "F4A98C", "C8414D"]  # config/theme.yaml
    grids = [
        x for x in _charts(real_deck.path).values() if "Oui, tout à fait" in "".join(x.itertext())
    ]
    assert len(grids) == 2  # utilite, effets_crise
    for grid in grids:
        fills = list(_series_fills(grid).values())
        assert fills == [*theme_likert, DONT_KNOW]


def test_the_images_use_the_same_colours(tmp_path):

    deckgen.load(ROOT / "config" / "gss-2018-spending.yaml").images(tmp_path)
    svgs = {p.name: p.read_text(encoding="utf-8").lower() for p in tmp_path.rglob("*.svg")}
    party = next(text for name, text in svgs.items() if "party-identification" in name)
    for colour in (DEMOCRAT, INDEPENDENT, REPUBLICAN, OTHER):
        assert f"#{colour.lower()}" in party, colour
    segments = next(text for name, text in svgs.items() if "too-little-spending" in name)
    for colour in (TOTAL, DEMOCRAT, INDEPENDENT, REPUBLICAN):
        assert f"#{colour.lower()}" in segments, colour


def test_a_personal_deck_keeps_the_option_colours_and_marks_apart(tmp_path):
    decks = deckgen.load(ROOT / "config" / "gss-2018-spending.yaml").build_personal(
        tmp_path, shard=(1, 800), jobs=1
    )
    assert len(decks) == 3
    marked = 0
    for deck in decks:
        chart = _chart_with(deck.path, "Strong Democrat")
        # the recipient's bar is labelled "(your answer)": categories by their start
        bars = {name.split(" (")[0]: fill for name, fill in _point_fills(chart).items()}
        assert bars["Strong Democrat"] == DEMOCRAT and bars["Independent"] == INDEPENDENT
        assert bars["Strong Republican"] == REPUBLICAN
        # the recipient's bar outlined in a colour far from every bar's
        for outline in chart.iterfind(".//c:dPt/c:spPr/a:ln/a:solidFill/a:srgbClr", NS):
            mark = outline.get("val")
            for fill in set(bars.values()):
                a = [int(mark[i : i + 2], 16) for i in (0, 2, 4)]
                b = [int(fill[i : i + 2], 16) for i in (0, 2, 4)]
                assert sum((x - y) ** 2 for x, y in zip(a, b)) >= 100**2, (mark, fill)
            marked += 1
    assert marked >= 2  # those who answered the question


def _party_by_race(tmp_path: Path, chart_type: str, turned: bool = False) -> Path:
    """Party identification by race, or with `turned` race by party identification (a
    segment per answer)."""
    question, by = ("race", "partyid") if turned else ("partyid", "race")
    spec = tmp_path / f"{chart_type}{turned}.yaml"
    spec.write_text(
        f"""deck:
  title: "Parties"
  data: {ROOT / "data" / "gss-2018-spending" / "codebook.yaml"}
  locale: en
slides:
  - layout: chart
    title: "Party identification by race"
    chart:
      type: {chart_type}
      indicator: {{kind: distribution, question: {question}, by: {by}, total: true}}
""",
        encoding="utf-8",
    )
    return deckgen.load(spec).build(tmp_path / f"{chart_type}{turned}.pptx").path


def test_options_that_share_a_colour_are_shades_of_it_where_a_legend_names_them(tmp_path):
    """The GSS codebook gives the three Democrat answers one blue and the three
    Republican ones one red. Stacked per race, each answer is a series the legend names
    by its colour: the three are shades of their party's colour, the strongest
    (Strong Democrat, Strong Republican) in the colour itself, each lighter one a
    further 30 % toward white (here: lighter by WCAG relative luminance)."""
    chart = _chart_with(_party_by_race(tmp_path, "stacked100"), "Not very strong Republican")
    fills = _series_fills(chart)
    assert len(set(fills.values())) == len(fills) == 8  # every answer told apart
    democrats = [fills[n] for n in ("Strong Democrat", "Not very strong Democrat",
                                    "Independent, close to Democrat")]  # fmt: skip
    republicans = [fills[n] for n in ("Strong Republican", "Not very strong Republican",
                                      "Independent, close to Republican")]  # fmt: skip
    assert democrats[0] == DEMOCRAT and republicans[0] == REPUBLICAN
    for party in (democrats, republicans):
        light = [_lightness(c) for c in party]
        assert light == sorted(light) and len(set(light)) == 3, party
    # 30 % of the way to white, by hand: 1F5FA8 -> (31 + 0.3 * 224, 95 + 0.3 * 160, ...)
    assert democrats[1] == "628FC2"
    assert fills["Independent"] == INDEPENDENT and fills["Other party"] == OTHER
    # the answers as the segments of a breakdown: a series each, told apart the same way
    segments = _series_fills(_chart_with(_party_by_race(tmp_path, "bar", turned=True), "Black"))
    named = {name.split(" (n")[0]: fill for name, fill in segments.items()}
    assert len(set(named.values())) == len(named) == 9  # the total and the eight answers
    assert named["Strong Democrat"] == DEMOCRAT and named["Not very strong Democrat"] == "628FC2"


def test_bars_of_options_that_share_a_colour_keep_it(gss_deck):
    """Where the axis names each bar (a plain bar chart of party identification), the
    shared colour is the point: the three Democrat bars stay the one party blue."""
    fills = _point_fills(_chart_with(gss_deck.path, "Not very strong Democrat"))
    assert {fills[n] for n in fills if "Democrat" in n} == {DEMOCRAT}


def test_a_figure_per_segment_has_its_total_in_the_neutral_and_parties_in_theirs(
    tmp_path, ess_deck
):
    """A bar per segment (a mean or a share by party): the whole sample's bar in the
    theme's neutral, each party's in the codebook's colour, as where the segments are
    series; the ESS mean by region (no region has a colour): the total grey, the
    regions in the series' colour."""
    spec = tmp_path / "age.yaml"
    spec.write_text(
        f"""deck:
  title: "Age"
  data: {ROOT / "data" / "gss-2018-spending" / "codebook.yaml"}
  locale: en
slides:
  - layout: chart
    title: "Mean age by party"
    chart:
      type: column
      indicator:
        kind: mean
        question: age
        by: partyid
        segments: {{Democrats: [0, 1, 2], Independents: [3], Republicans: [4, 5, 6]}}
        total: true
""",
        encoding="utf-8",
    )
    deck = deckgen.load(spec).build(tmp_path / "age.pptx").path
    bars = {
        name.split(" (")[0]: f for name, f in _point_fills(_chart_with(deck, "Democrats")).items()
    }
    assert bars == {
        "Total": TOTAL,
        "Democrats": DEMOCRAT,
        "Independents": INDEPENDENT,
        "Republicans": REPUBLICAN,
    }
    regions = _point_fills(_chart_with(ess_deck.path, "Vestlandet (n"))
    assert list(regions.values()) == [TOTAL] and next(iter(regions)).startswith("Total (n")
