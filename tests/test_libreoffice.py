"""A real client opens the decks: LibreOffice converts them to PDF, and the PDF
has one page per slide with each slide's title and big numbers on its page.

All decks are converted in ONE soffice run (it takes seconds to start).
Skipped when LibreOffice/poppler are missing, except in CI where
DECKGEN_REQUIRE_CLIENTS turns the skip into a failure.
"""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from deckgen.render.identity import label_of

from .conftest import libreoffice_or_skip
from .helpers import SMALL_DECKS, flat, pdf_page_text, pdf_pages, squash, to_pdf

pytestmark = pytest.mark.clients  # every test here renders in LibreOffice

CALLOUT_VALUE = re.compile(r"Callout \d+ value")


@pytest.fixture(scope="module")
def pdfs(real_deck, gss_deck, ess_deck, small_decks, tmp_path_factory) -> dict[str, object]:
    soffice = libreoffice_or_skip()
    decks = {"real": real_deck.path, "gss": gss_deck.path, "ess": ess_deck.path, **small_decks}
    converted = to_pdf(soffice, list(decks.values()), tmp_path_factory.mktemp("pdf"))
    return {name: converted[path] for name, path in decks.items()}


def _expected(path) -> list[tuple[str, list[str]]]:
    """(title, callout value texts) of each slide, read back from the .pptx."""
    out = []
    for slide in Presentation(str(path)).slides:
        title = slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""
        values = [
            s.text_frame.text
            for s in slide.shapes
            if s.has_text_frame and CALLOUT_VALUE.fullmatch(label_of(s.name))
        ]
        out.append((title, values))
    return out


def test_real_deck_has_one_page_per_slide(real_deck, pdfs):
    slides = len(Presentation(str(real_deck.path)).slides)
    assert slides == len(real_deck.plan.slides) >= 26
    assert pdf_pages(pdfs["real"]) == slides


def test_real_deck_titles_and_callouts_are_on_their_page(real_deck, pdfs):
    expected = _expected(real_deck.path)
    # the test reads every big number of the deck, not a subset
    assert (
        sum(len(v) for _, v in expected)
        == sum(len(s.callouts) for s in real_deck.plan.slides)
        >= 24
    )
    missing = []
    for number, (title, values) in enumerate(expected, 1):
        page = squash(pdf_page_text(pdfs["real"], number))
        assert title, f"slide {number} has no title"
        for text in (title, *values):
            if squash(text) not in page:
                missing.append(f"page {number}: {text!r}")
    assert not missing, "not on their PDF page:\n" + "\n".join(missing)


@pytest.mark.parametrize(("name", "slides", "callouts"), [("gss", 10, 7), ("ess", 9, 3)])
def test_the_english_examples_open_with_their_titles_and_figures(
    gss_deck, ess_deck, pdfs, name, slides, callouts
):
    """The decks of surveys no one here wrote (General Social Survey 2018; European
    Social Survey 2020, weighted, with breakdowns, tests and tables)."""
    deck = {"gss": gss_deck, "ess": ess_deck}[name]
    expected = _expected(deck.path)
    assert pdf_pages(pdfs[name]) == len(expected) == len(deck.plan.slides) >= slides
    assert sum(len(v) for _, v in expected) >= callouts
    for number, (title, values) in enumerate(expected, 1):
        page = squash(pdf_page_text(pdfs[name], number))
        for text in (title, *values):
            assert squash(text) in page, (number, text)


def test_a_page_is_not_matched_by_accident(real_deck, pdfs):
    """The page check can fail: slide 2's title is not on page 3, and its big
    number ('31') is not on the title page."""
    expected = _expected(real_deck.path)
    assert squash(expected[1][0]) not in squash(pdf_page_text(pdfs["real"], 3))
    assert expected[1][1] == ["31"]
    assert "31" not in squash(pdf_page_text(pdfs["real"], 1))


@pytest.mark.parametrize("name", list(SMALL_DECKS))
def test_small_deck_opens_with_one_page_per_slide(small_decks, pdfs, name):
    expected = _expected(small_decks[name])
    assert len(expected) == len(SMALL_DECKS[name])
    assert pdf_pages(pdfs[name]) == len(expected)
    for number, (title, values) in enumerate(expected, 1):
        page = squash(pdf_page_text(pdfs[name], number))
        assert squash(title) in page, (name, number, title)
        for value in values:
            assert squash(value) in page, (name, number, value)


@pytest.mark.parametrize("name", ["bar", "column", "ranking", "pie", "doughnut", "stacked100"])
def test_native_chart_is_drawn_with_its_largest_label(small_decks, pdfs, name):
    """LibreOffice draws the chart itself (not a picture): the data label of the
    largest value, formatted by the chart's number format, is in the page text."""
    chart = next(
        s.chart for s in flat(Presentation(str(small_decks[name])).slides[0].shapes) if s.has_chart
    )
    values = [
        v for plot in chart.plots for series in plot.series for v in series.values if v is not None
    ]
    top = max(values)
    assert 0 < top <= 1
    label = f"{round(top * 100)}%"
    assert label in squash(pdf_page_text(pdfs[name], 1)), (name, label)
