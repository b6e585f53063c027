"""The same figures in two clients: LibreOffice and a PowerPoint-compatible engine.

A number format one client reads differently from another prints a wrong figure
in one of them (a quoted literal before `%` made the PowerPoint-compatible
engine print "1 %" for 90 %). Here the real deck is rendered to PDF by
LibreOffice and by Aspose.Slides (a PowerPoint-compatible engine), and the
percent figures printed on each page are compared.

Aspose.Slides is a proprietary evaluation build (it stamps a watermark):
`make test` installs it (requirements-clients.lock) and CI installs the system
library it needs (libgdiplus). Where it is missing the test is skipped with the
reason, except when DECKGEN_REQUIRE_CLIENTS is set, as in CI: then a missing
client fails, so a green CI run has really rendered the decks in both clients.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pptx import Presentation

from .conftest import AUDITED, deck_path, libreoffice_or_skip, rendering_in
from .helpers import (
    chart_labels_missing,
    flat,
    pdf_percent_figures,
    shapes_over_each_other,
    table_words_outside,
    to_pdf,
    words_over_each_other,
)

pytestmark = pytest.mark.clients  # every test here renders in both clients

RENDER = """
import sys
import aspose.slides as slides
with slides.Presentation(sys.argv[1]) as deck:
    deck.save(sys.argv[2], slides.export.SaveFormat.PDF)
"""


def _missing(reason: str) -> None:
    """Skip, with the reason; fail where both clients are required (CI)."""
    if os.environ.get("DECKGEN_REQUIRE_CLIENTS"):
        pytest.fail(reason + " -- required because DECKGEN_REQUIRE_CLIENTS is set")
    pytest.skip(reason)


def aspose_pdf(deck, out):
    """`deck` rendered to PDF by Aspose.Slides, in a process of its own (it loads .NET)."""
    rendering_in("the PowerPoint-compatible engine")
    try:
        import aspose.slides  # noqa: F401
    except ImportError:
        _missing(
            "Aspose.Slides (a PowerPoint-compatible engine) is not installed: "
            "pip install -r requirements-clients.lock; apt-get install libgdiplus"
        )
    except Exception as exc:  # its native runtime failed to load  # noqa: BLE001
        _missing(
            f"Aspose.Slides does not load here ({type(exc).__name__}: {exc}); apt-get install "
            "libgdiplus"
        )
    proc = subprocess.run(
        [sys.executable, "-c", RENDER, str(deck), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0 and "gdiplus" in (proc.stderr + proc.stdout).lower():
        _missing("Aspose.Slides needs libgdiplus: apt-get install libgdiplus")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def both_clients(tmp_path_factory):
    """A deck rendered to PDF by each client, once per deck: (Aspose's, LibreOffice's)."""
    made: dict = {}

    def render(deck):
        if deck not in made:
            out = tmp_path_factory.mktemp("clients")
            libre = to_pdf(libreoffice_or_skip(), [deck], out / "lo")[deck]
            made[deck] = (aspose_pdf(deck, out / "aspose.pdf"), libre)
        return made[deck]

    return render


def test_the_real_deck_prints_the_same_figures_in_both_clients(real_deck, both_clients):
    aspose, libre = both_clients(real_deck.path)
    in_aspose, in_libre = pdf_percent_figures(aspose), pdf_percent_figures(libre)
    assert len(in_aspose) == len(in_libre) == len(real_deck.plan.slides)
    # the comparison reads the deck's data labels, not a handful of numbers
    assert sum(map(len, in_libre)) >= 200
    differ = {page: (a, b) for page, (a, b) in enumerate(zip(in_aspose, in_libre), 1) if a != b}
    assert not differ, "\n".join(
        f"slide {p}: Aspose {a} / LibreOffice {b}" for p, (a, b) in differ.items()
    )
    # and both print the published figures (two engines wrong alike would agree)
    social = sorted(["100", "75", "63", "42", "13", "8", "77", "77"])  # 77: callout, footnote
    assert in_aspose[9] == in_libre[9] == social


def test_the_weighted_example_prints_the_same_figures_and_marks_in_both_clients(
    ess_deck, both_clients
):
    """Breakdowns, a table and significance marks written as each point's own number
    format ('0%\\ \\▲'): both engines print the figure and its mark alike."""
    import subprocess

    aspose, libre = both_clients(ess_deck.path)
    in_aspose, in_libre = pdf_percent_figures(aspose), pdf_percent_figures(libre)
    assert in_aspose == in_libre and sum(map(len, in_libre)) >= 40

    def marks(pdf) -> list[int]:
        pages = []
        for page in range(1, len(ess_deck.plan.slides) + 1):
            text = subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            pages.append(text.count("▲") + text.count("▼"))
        return pages

    expected = [
        sum(
            m.count("▲") + m.count("▼")
            for s in slide.charts
            for x in s.result.series
            for m in x.marks
        )
        for slide in ess_deck.plan.slides
    ]
    assert sum(expected) >= 2  # the 30 to 49's ▼ and Vestlandet's ▲ (test_statistics)
    # every mark on a chart or in a table, plus the "▲▼" the footnote and remark write
    footnotes = [
        sum(
            text.count("▲") + text.count("▼") for text in (slide.footnote or "", slide.remark or "")
        )
        for slide in ess_deck.plan.slides
    ]
    wanted = [e + f for e, f in zip(expected, footnotes)]
    assert marks(libre) == marks(aspose) == wanted


@pytest.mark.parametrize("deck", ["real_deck", "evolution_deck", "gss_deck", "ess_deck"])
def test_every_chart_label_is_printed_whole_in_both_clients(deck, request, both_clients):
    """The PowerPoint-compatible engine cuts a category label that does not fit its
    row with "…" where LibreOffice prints it whole (seed slide 13: "…l'action…"):
    every word of every label deckgen wrote (categories, and series names in a
    legend) is printed on its slide, by both clients. A label deckgen shortened
    itself ends in "…" in the deck too, so both print that same label."""
    report = request.getfixturevalue(deck)
    for name, pdf in zip(("Aspose", "LibreOffice"), both_clients(report.path)):
        missing = chart_labels_missing(report.path, pdf, at_least=20)
        assert not missing, f"{name} leaves words of chart labels out: {missing}"


def test_a_segment_deck_prints_its_figures_and_labels_whole_in_both_clients(
    segment_deck, both_clients
):
    """A deck of one segment has other figures, other labels shortened beside its bars
    and masked figures in its footnotes: both clients print the same figures, and every
    word of every chart label."""
    aspose, libre = both_clients(segment_deck)
    in_aspose, in_libre = pdf_percent_figures(aspose), pdf_percent_figures(libre)
    assert in_aspose == in_libre and sum(map(len, in_libre)) >= 60  # many masked (docs/privacy.md)
    for name, pdf in (("Aspose", aspose), ("LibreOffice", libre)):
        missing = chart_labels_missing(segment_deck, pdf, at_least=400)
        assert not missing, f"{name} leaves words of chart labels out: {missing}"


@pytest.mark.parametrize("deck", AUDITED)
def test_no_two_shapes_and_no_two_words_lie_over_each_other_in_either_client(
    deck, request, both_clients
):
    """On every audited deck (the examples, three personal decks, the segment deck and
    the crowded deck), the deck's geometry first: every two shapes of a slide apart (a
    chart's group with its title looked into), but the parts of one callout. Then what
    each client prints: no word over another (a text a client sets taller than deckgen
    measured would run into the next box)."""
    path = deck_path(request, deck)
    assert not shapes_over_each_other(path)
    for name, pdf in zip(("Aspose", "LibreOffice"), both_clients(path)):
        assert not words_over_each_other(pdf), name


@pytest.mark.parametrize("deck", ["real_deck", "gss_deck"])
def test_both_clients_draw_a_round_chart_alike(deck, request, both_clients):
    """The figures on a pie's or doughnut's slices sit where each client draws the
    middle of its slices: with the circle each client laid out itself, the same figure
    stood up to 19 points apart in the two (the engine's circle smaller); with the
    circle the chart places, under 6."""
    import math

    from .helpers import pdf_figure_boxes

    report = request.getfixturevalue(deck)
    frames = [
        (number, shape)
        for number, slide in enumerate(Presentation(str(report.path)).slides, 1)
        for shape in flat(slide.shapes)
        if getattr(shape, "has_chart", False)
        and shape.chart._chartSpace.xpath(".//c:doughnutChart|.//c:pieChart")
    ]
    aspose, libre = (pdf_figure_boxes(pdf) for pdf in both_clients(report.path))
    apart, compared = [], 0
    for number, shape in frames:
        box = [v / 12_700 for v in (shape.left, shape.top, shape.left + shape.width,
                                     shape.top + shape.height)]  # fmt: skip

        def inside(figures, box=box):
            return [
                (text, (x0 + x1) / 2, (y0 + y1) / 2)
                for x0, y0, x1, y1, text in figures
                if box[0] <= x0 and x1 <= box[2] and box[1] <= y0 and y1 <= box[3]
            ]

        theirs = inside(aspose[number - 1])
        for text, x, y in inside(libre[number - 1]):
            same = [math.dist((x, y), (u, v)) for t, u, v in theirs if t == text]
            assert same, (number, text)
            compared += 1
            if min(same) > 6:
                apart.append((number, text, round(min(same), 1)))
    assert compared >= (15 if deck == "real_deck" else 5)
    assert not apart


@pytest.mark.parametrize("deck", ["evolution_deck", "gss_deck", "ess_deck"])
def test_every_table_word_is_printed_inside_its_cell_in_both_clients(deck, request, both_clients):
    """The examples' tables (the editions of the Baromètre, the ESS table of a score by
    schooling with its pairwise letters, the GSS means and quantiles): every word of
    every cell is printed
    inside that cell by both clients, so no header wraps mid-word ("Independ-ent"), no
    "(n = 200)" breaks and no row grows past the height deckgen gave it."""
    report = request.getfixturevalue(deck)
    tables = [s for slide in Presentation(str(report.path)).slides for s in flat(slide.shapes)
              if getattr(s, "has_table", False)]  # fmt: skip
    assert tables, "the deck has a table to check"
    for name, pdf in zip(("Aspose", "LibreOffice"), both_clients(report.path)):
        outside = table_words_outside(report.path, pdf)
        assert not outside, f"{name} prints table words outside their cells: {outside}"
