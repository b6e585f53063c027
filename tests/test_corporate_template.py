"""A user's own template: layouts found by name, content fitted to its areas."""

from __future__ import annotations

import pytest
from pptx import Presentation

from deckgen.render.identity import label_of
from deckgen.workflows.pipeline import build

from .test_spec import spec_copy  # noqa: F401  (fixture)

RENAME = {
    "Title Slide": "title",
    "Section Header": "section",
    "Title and Content": "chart",
    "Two Content": "callouts",
    "Comparison": "closing",
}


def test_build_with_a_corporate_template(spec_copy, tmp_path):  # noqa: F811
    corporate = Presentation()  # python-pptx's default: 4:3, Office layout names
    for layout in corporate.slide_layouts:
        layout.name = RENAME.get(layout.name, layout.name)
    template = tmp_path / "corporate.pptx"
    corporate.save(template)
    text = spec_copy.read_text(encoding="utf-8").replace(
        "template: ../layouts/deckgen-template.pptx", f"template: {template}"
    )
    spec_copy.write_text(text, encoding="utf-8")

    out = tmp_path / "deck.pptx"
    report = build(spec_copy, out)
    # the template's narrower 4:3 slides crowd some texts, but nothing collides
    messages = [w.message for w in report.warnings.items]
    assert not [m for m in messages if "overlap" in m or "past the edge" in m], messages
    assert not [m for m in messages if "figure" in m], messages  # a figure is never cut
    prs = Presentation(str(out))
    assert len(prs.slides) == len(report.plan.slides) == 28
    assert prs.slide_width == corporate.slide_width  # 4:3 kept: the template decides
    # the callouts span the "Two Content" layout's both columns
    callouts = prs.slides[14].shapes
    cards = [s for s in callouts if label_of(s.name).endswith(" card")]
    assert len(cards) == 5 and max(c.left + c.width for c in cards) > prs.slide_width * 0.8
    for slide in prs.slides:
        assert slide.slide_layout.name in RENAME.values()
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= prs.slide_width, shape.name
            assert shape.top >= 0 and shape.top + shape.height <= prs.slide_height, shape.name


def test_a_template_footer_over_the_content_is_reported(spec_copy, tmp_path):  # noqa: F811
    """A corporate layout whose footer placeholder sits in the middle of the content
    area: the deck is built, and every slide where the footer covers a chart is
    named (an error with --strict)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    from deckgen.errors import DeckgenError

    corporate = Presentation()
    for layout in corporate.slide_layouts:
        layout.name = RENAME.get(layout.name, layout.name)
        if label_of(layout.name) == "chart":
            footer = next(
                ph
                for ph in layout.placeholders
                if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER
            )
            footer.top = corporate.slide_height // 2  # across the charts
    template = tmp_path / "corporate.pptx"
    corporate.save(template)
    text = spec_copy.read_text(encoding="utf-8").replace(
        "template: ../layouts/deckgen-template.pptx", f"template: {template}"
    )
    spec_copy.write_text(text.replace("  locale: fr\n", "  locale: fr\n  footer: Ville\n"), "utf-8")

    report = build(spec_copy, tmp_path / "deck.pptx")
    collisions = [w for w in report.warnings.items if w.message.endswith(" and Footer overlap")]
    charts = [w for w in collisions if w.message.startswith("Chart: ")]
    assert len(charts) >= 10, [w.message for w in report.warnings.items]
    assert all(w.context.startswith("slide ") for w in collisions)
    with pytest.raises(DeckgenError, match=r"Chart: .* and Footer overlap \(--strict"):
        build(spec_copy, tmp_path / "strict.pptx", strict=True)
    assert not (tmp_path / "strict.pptx").exists()
