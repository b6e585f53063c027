"""Largest-remainder rounding, a spec option: the parts of each distribution and
each Likert statement add up to 100 % on the chart, in the notes, the alt texts,
the callouts beside them and the exported figures. The seed deck keeps half up,
the way its published figures were rounded (tests/test_published_figures.py).

Built on the English example survey (General Social Survey 2018), where half up
gives 99 % for party identification and 101 % for several spending items.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

import deckgen
from deckgen.errors import SpecError
from deckgen.locales.numbers import percent_value
from deckgen.render.identity import label_of

from .helpers import ROOT, flat

GSS_SPEC = ROOT / "config" / "gss-2018-spending.yaml"


def _spec(folder, rounding_line: str, extra_slide: str = ""):
    text = GSS_SPEC.read_text(encoding="utf-8")
    text = re.sub(r"\n  rounding: .*", "", text)  # the example's own choice, replaced
    text = text.replace("  locale: en\n", f"  locale: en\n{rounding_line}")
    text = text.replace("../data/", f"{ROOT}/data/")
    text = text.replace("\nslides:\n", f"\nslides:\n{extra_slide}")
    path = folder / "gss.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _wholes(chart) -> list[list[Decimal]]:
    """The percents a chart shows, grouped by whole: a distribution's categories, or
    each statement's levels (a stacked bar)."""
    plot = chart.plots[0]
    series = [[percent_value(v) for v in s.values if v is not None] for s in plot.series]
    if len(series) == 1:
        return series
    if chart.chart_type != XL_CHART_TYPE.BAR_STACKED_100:
        return []  # clustered bars of segments' scores: no whole
    return [list(column) for column in zip(*series)]


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = {}
    for name, line in (("half_up", ""), ("largest", "  rounding: largest_remainder\n")):
        folder = tmp_path_factory.mktemp(name)
        report = deckgen.load(_spec(folder, line)).build(folder / "deck.pptx")
        out[name] = (report, Presentation(str(report.path)))
    return out


def test_half_up_leaves_wholes_that_do_not_add_up(decks):
    _, prs = decks["half_up"]
    sums = {
        sum(w)
        for s in prs.slides
        for sh in flat(s.shapes)
        if sh.has_chart
        for w in _wholes(sh.chart)
    }
    assert {99, 101} <= sums  # what the option is for


def test_largest_remainders_make_every_whole_add_up(decks):
    _, prs = decks["largest"]
    wholes = [
        w for s in prs.slides for sh in flat(s.shapes) if sh.has_chart for w in _wholes(sh.chart)
    ]
    assert len(wholes) >= 20  # every distribution and each of the 18 statements
    assert {sum(w) for w in wholes} == {100}


def test_notes_alt_texts_and_callouts_show_the_chart_figures(decks):
    report, prs = decks["largest"]
    party = prs.slides[3]  # party identification: 99 % half up
    chart = next(sh for sh in flat(party.shapes) if sh.has_chart)
    shown = [f"{p}%" for p in _wholes(chart.chart)[0]]
    notes = party.notes_slide.notes_text_frame.text
    assert re.findall(r"\d+%", notes) == shown
    alt = chart._element.find(".//{*}cNvPr").get("descr")
    assert re.findall(r"\d+%", alt) == shown
    # the key figure of a callout is the one its statement shows in the chart
    health_chart = next(sh for sh in flat(prs.slides[5].shapes) if sh.has_chart).chart
    too_little = percent_value(health_chart.plots[0].series[0].values[0])
    callout = next(sh for sh in prs.slides[7].shapes if label_of(sh.name) == "Callout 1 value")
    assert callout.text_frame.text == f"{too_little}%"


def test_the_exported_figures_are_the_shown_ones(decks):
    report, _ = decks["largest"]
    rows = [r for r in report.figures() if r["slide"] == 4]
    assert len(rows) == 8 and sum(Decimal(str(r["percent"])) for r in rows) == 100


def test_a_chart_of_shares_of_several_answers_cannot_add_up(tmp_path):
    slide = (
        "  - layout: chart\n"
        "    title: Several answers\n"
        "    chart:\n"
        "      type: bar\n"
        "      rounding: largest_remainder\n"
        "      indicator: {kind: share, condition: {question: sex, in: ['1']}}\n"
    )
    with pytest.raises(SpecError) as caught:
        deckgen.load(_spec(tmp_path, "", slide)).validate()
    assert (
        "`rounding: largest_remainder` makes the parts of one whole add up to 100 %, as in a "
        "distribution or a Likert grid; the figures of a `share` indicator are not parts of one "
        "whole: remove `rounding`"
    ) in str(caught.value)
    assert re.search(r"gss\.yaml:\d+:\d+: slide 1 \"Several answers\"", str(caught.value))


# -- one figure, one value ----------------------------------------------------------------

GSS_ROWS = ROOT / "data" / "gss-2018-spending" / "responses.csv"


def test_a_figure_shown_on_its_own_is_never_forced(decks):
    """ "Too little" on the nation's health: 1,641 of the 2,294 who answered (the rows,
    counted with pandas) = 71.53 %, 72 % half up. Largest remainders over its
    statement (1,641, 479, 174: 71.53 + 20.88 + 7.59) would give 71 + 21 + 8; the
    callout (slide 8) and the party chart's total (slide 9) show the figure on its own:
    72 %. So the grid (slide 6) keeps 72 % too, and its other two levels make up the
    difference: 20 + 7 = 27 rounded down, one unit left for the larger remainder
    (0.88, about right): 72 + 21 + 7 = 100."""
    import pandas as pd

    counts = pd.read_csv(GSS_ROWS)["natheal"].value_counts()
    assert (counts[1.0], counts[0.0], counts[-1.0]) == (1641, 479, 174)
    assert round(1641 / 2294 * 100, 2) == 71.53
    report, prs = decks["largest"]
    callout = next(sh for sh in prs.slides[7].shapes if label_of(sh.name) == "Callout 1 value")
    assert callout.text_frame.text == "72%"
    grid = next(sh for sh in flat(prs.slides[5].shapes) if sh.has_chart).chart
    heal = [percent_value(s.values[0]) for s in grid.plots[0].series]
    assert heal == [72, 21, 7]
    by_party = next(sh for sh in flat(prs.slides[8].shapes) if sh.has_chart).chart
    assert percent_value(by_party.plots[0].series[0].values[0]) == 72  # the total
    rows = [
        r for r in report.figures() if r["label"] == "Improving and protecting the nation's health"
    ]
    assert {
        r["value"] for r in rows if r["series"] in ("Too little", "Total (n\u00a0=\u00a02,347)")
    } == {"72%"}


def test_largest_remainders_keep_a_fixed_part():
    from deckgen.locales.numbers import largest_remainder

    parts = [1641 / 2294, 479 / 2294, 174 / 2294]
    assert largest_remainder(parts) == [0.71, 0.21, 0.08]  # by hand, above
    assert largest_remainder(parts, fixed=[0]) == [0.72, 0.21, 0.07]
    # the fixed parts took more than their share (50 + 50 of 99.0): a unit given back
    assert largest_remainder([0.495, 0.495, 0.01], fixed=[0, 1]) == [0.5, 0.5, 0.0]


@pytest.mark.parametrize(
    ("locale", "forced", "grid"),
    [
        ("en", "rounding adjusted so that each whole adds up to 100%",
         "Base: 2,104 to 2,326 respondents depending on the item"),
        ("fr", "arrondis ajustés pour que chaque total fasse 100\u202f%",
         "Base\u202f: 2\u202f104 à 2\u202f326 respondents selon l'item"),
    ],
)  # fmt: skip
def test_the_footnote_says_what_was_forced_and_each_item_s_base(tmp_path, locale, forced, grid):
    """Party identification adds up to 99 % half up (slide 4): largest remainders force
    it to 100 %, and the footnote says so; a grid of statements with bases of their
    own (slide 6: the answers to each item, counted with pandas) gives their range,
    not the 2,347 respondents no item has."""
    import pandas as pd

    rows = pd.read_csv(GSS_ROWS)
    items = ["heal", "educ", "soc", "chld", "envir", "drug", "fare", "race", "mass"]
    answered = [int(rows[f"nat{item}"].notna().sum()) for item in items]
    assert (min(answered), max(answered), len(rows)) == (2104, 2326, 2348)
    spec = _spec(tmp_path, "  rounding: largest_remainder\n")
    spec.write_text(spec.read_text(encoding="utf-8").replace("locale: en", f"locale: {locale}"))
    plan, _ = deckgen.load(spec).plan()
    assert forced in plan.slides[3].footnote
    assert grid in plan.slides[5].footnote and forced in plan.slides[5].footnote
    assert forced not in plan.slides[7].footnote  # callouts: never forced
    plain = _spec(tmp_path, "")
    plain.write_text(plain.read_text(encoding="utf-8").replace("locale: en", f"locale: {locale}"))
    half_up, _ = deckgen.load(plain).plan()
    assert not any(forced in (sp.footnote or "") for sp in half_up.slides)
