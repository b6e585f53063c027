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

from .helpers import ROOT

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
        sum(w) for s in prs.slides for sh in s.shapes if sh.has_chart for w in _wholes(sh.chart)
    }
    assert {99, 101} <= sums  # what the option is for


def test_largest_remainders_make_every_whole_add_up(decks):
    _, prs = decks["largest"]
    wholes = [w for s in prs.slides for sh in s.shapes if sh.has_chart for w in _wholes(sh.chart)]
    assert len(wholes) >= 20  # every distribution and each of the 18 statements
    assert {sum(w) for w in wholes} == {100}


def test_notes_alt_texts_and_callouts_show_the_chart_figures(decks):
    report, prs = decks["largest"]
    party = prs.slides[3]  # party identification: 99 % half up
    chart = next(sh for sh in party.shapes if sh.has_chart)
    shown = [f"{p}%" for p in _wholes(chart.chart)[0]]
    notes = party.notes_slide.notes_text_frame.text
    assert re.findall(r"\d+%", notes) == shown
    alt = chart._element.find(".//{*}cNvPr").get("descr")
    assert re.findall(r"\d+%", alt) == shown
    # the key figure of a callout is the one its statement shows in the chart
    health_chart = next(sh for sh in prs.slides[5].shapes if sh.has_chart).chart
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
