"""Where deckgen writes slide XML itself (for speed), it must write what
python-pptx's documented API writes for the same request. Each test builds the
same thing both ways and compares the XML."""

from __future__ import annotations

import pytest
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from deckgen.render.geometry import Rect
from deckgen.render.text import add_text, runs

from .conftest import ROOT

TEMPLATE = ROOT / "layouts" / "deckgen-template.pptx"


def _api_text(
    shapes,
    rect,
    paragraphs,
    *,
    font,
    size,
    color,
    bold=False,
    align="left",
    anchor="top",
    bullets=False,
):
    """The text box as python-pptx's API builds it (deckgen's former add_text)."""
    box = shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = {
        "top": MSO_ANCHOR.TOP,
        "middle": MSO_ANCHOR.MIDDLE,
        "bottom": MSO_ANCHOR.BOTTOM,
    }[anchor]
    for i, item in enumerate(paragraphs):
        text, over = (item, {}) if isinstance(item, str) else item
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[
            over.get("align", align)
        ]
        if over.get("space_before"):
            p.space_before = Pt(over["space_before"])
        prefix = "• " if over.get("bullet", bullets) else ""
        for chunk, is_bold in runs(prefix + text):
            r = p.add_run()
            r.text = chunk
            r.font.name = font
            r.font.size = Pt(over.get("size", size))
            r.font.bold = bool(is_bold or over.get("bold", bold))
            r.font.color.rgb = RGBColor.from_string(over.get("color", color))
    return box


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
    ours = add_text(slide.shapes, rect, paragraphs, **style)
    theirs = _api_text(slide.shapes, rect, paragraphs, **style)
    assert etree.tostring(ours._element.txBody) == etree.tostring(theirs._element.txBody)


def _chart_xml(real_deck_plan, theme, warm: bool, monkeypatch) -> list[bytes]:
    """The chart XML of every chart of the real deck, each drawn on a fresh slide;
    the styling memo off (cold: python-pptx's API for every series and axis) or
    on (warm: copies of earlier results)."""
    from deckgen.render import charts

    monkeypatch.setattr(charts, "_STYLED_LIMIT", 256 if warm else 0)

    prs = Presentation(TEMPLATE)
    out = []
    for sp in real_deck_plan.slides:
        for plan in sp.charts:
            if plan.type == "map":
                continue
            for width in (9144000, 2743200):  # wide, and narrow (small column labels)
                slide = prs.slides.add_slide(prs.slide_layouts[0])
                o = plan.options
                style = charts.ChartStyle(
                    theme, "fr", labels=o.labels, legend=o.legend, colors=o.colors, digits=o.digits
                )
                frame = charts.add_chart(
                    slide.shapes, plan.type, Rect(0, 0, width, 3657600), plan.result, style
                )
                out.append(etree.tostring(frame.chart._chartSpace))
    return out


def test_chart_styling_copies_are_what_the_api_writes(real_deck, monkeypatch):
    """Styles applied once by python-pptx's API and copied afterwards (render/charts.py
    `_styled`) give the XML the API gives each time, for every chart of the deck."""
    from deckgen.render import charts
    from deckgen.theme import load_theme

    theme = load_theme(ROOT / "config" / "theme.yaml")
    charts._STYLED.clear()
    cold = _chart_xml(real_deck.plan, theme, warm=False, monkeypatch=monkeypatch)
    assert not charts._STYLED  # nothing kept: every style applied by the API
    warm = _chart_xml(real_deck.plan, theme, warm=True, monkeypatch=monkeypatch)
    assert len(cold) >= 40
    assert len(charts._STYLED) > 0  # the warm run did copy
    assert cold == warm
