"""Where deckgen writes slide XML itself (for speed), it must write what
python-pptx's documented API writes for the same request. Each test builds the
same thing both ways and compares the XML."""

from __future__ import annotations

import contextlib

import pytest
from lxml import etree
from pptx import Presentation

from deckgen.render import speedups
from deckgen.render.geometry import Rect
from deckgen.render.text import add_text

from .conftest import ROOT

TEMPLATE = ROOT / "layouts" / "deckgen-template.pptx"


@pytest.mark.parametrize(
    "paragraphs, options",
    [
        (["Un texte **en gras** et normal"], {}),
        (
            [
                "97\u202f%",
                (
                    "des collectivités **ont** un service",
                    {"size": 9.5, "color": "FFFFFF", "bold": True},
                ),
            ],
            {"anchor": "middle", "align": "center"},
        ),
        (
            ["a", ("b", {"bullet": True, "space_before": 6, "align": "right"}), "c\td\x07e", ""],
            {"anchor": "bottom"},
        ),
        (["Entreprises & « civic tech » <libres>"], {"bullets": True, "bold": True}),
        ([], {}),
    ],
)
def test_add_text_writes_what_the_api_writes(paragraphs, options):
    prs = Presentation(TEMPLATE)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    rect = Rect(914400, 457200, 3657600, 1371600)
    style = {"font": "Arial", "size": 14, "color": "2B2D42", **options}
    theirs = add_text(slide.shapes, rect, paragraphs, **style)  # python-pptx's text API
    with speedups.applied(prs):
        ours = add_text(slide.shapes, rect, paragraphs, **style)  # straight into the XML
    assert etree.tostring(ours._element.txBody) == etree.tostring(theirs._element.txBody)


def _chart_xml(real_deck_plan, theme, warm: bool) -> list[bytes]:
    """The chart XML of every chart of the real deck, each drawn on a fresh slide;
    without the speed-ups (cold: python-pptx's API for every series and axis) or
    with them (warm: one session, later charts get copies of earlier results)."""
    from deckgen.render import charts

    prs = Presentation(TEMPLATE)
    out = []
    with contextlib.ExitStack() as stack:
        session = stack.enter_context(speedups.applied(prs)) if warm else None
        for sp in real_deck_plan.slides:
            for plan in sp.charts:
                if plan.type == "map":
                    continue
                for width in (9144000, 2743200):  # wide, and narrow (small column labels)
                    slide = prs.slides.add_slide(prs.slide_layouts[0])
                    o = plan.options
                    style = charts.ChartStyle(
                        theme, "fr", labels=o.labels, legend=o.legend, colors=o.colors,
                        digits=o.digits,
                    )  # fmt: skip
                    frame = charts.add_chart(slide.shapes, Rect(0, 0, width, 3657600), plan, style)
                    out.append(etree.tostring(frame.chart._chartSpace))
        if session is not None:
            assert session._styles  # the warm run did copy
    return out


def test_chart_styling_copies_are_what_the_api_writes(real_deck):
    """Styles applied once by python-pptx's API and copied afterwards (speedups
    `Session.styled`) give the XML the API gives each time, for every chart of the deck."""
    from deckgen.inputs.theme import load_theme

    theme = load_theme(ROOT / "config" / "theme.yaml")
    cold = _chart_xml(real_deck.plan, theme, warm=False)
    warm = _chart_xml(real_deck.plan, theme, warm=True)
    assert len(cold) >= 40
    assert cold == warm
