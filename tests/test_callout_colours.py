"""A callout's figure takes its own `color:` (a theme colour's name or hex digits), else
the colour of the one option it counts, else the theme's callout colour -- never the
accent colour for every figure. Colours are read back from the slide's XML; contrast on
the card is computed here from the WCAG formula."""

from __future__ import annotations

import yaml
from pptx import Presentation

import deckgen

from .helpers import ROOT, invoke, line_of
from .test_contrast import _ratio

GSS = ROOT / "data" / "gss-2018-spending" / "codebook.yaml"
INDEPENDENT, REPUBLICAN, OTHER = "7D5BA6", "C62828", "A3A3A3"  # the codebook's
PRIMARY, ACCENT, CARD = "1D3557", "E63946", "F1F4F8"  # the default theme's


def _spec(folder, callouts: list[dict], theme: dict | None = None):
    deck = {"title": "Callouts", "data": str(GSS), "locale": "en"}
    if theme is not None:
        (folder / "theme.yaml").write_text(yaml.safe_dump(theme), encoding="utf-8")
        deck["theme"] = str(folder / "theme.yaml")
    slides = [{"id": "figures", "layout": "callouts", "title": "Figures", "callouts": callouts}]
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump({"deck": deck, "slides": slides}), encoding="utf-8")
    return path


def _figure_colours(deck) -> list[str]:
    """Each callout figure's run colour, in order."""
    slide = Presentation(str(deck)).slides[0]
    out = []
    for shape in slide.shapes:
        if " value" in shape.name and shape.name.startswith("Callout"):
            run = shape.text_frame.paragraphs[0].runs[0]
            out.append(str(run.font.color.rgb))
    return out


PARTY = {"kind": "distribution", "question": "partyid"}


def test_each_callout_takes_its_own_its_options_or_the_themes_colour(tmp_path):
    spec = _spec(
        tmp_path,
        [
            {"indicator": PARTY, "option": "3", "text": "independents"},
            {
                "indicator": {"kind": "share", "condition": {"question": "partyid", "in": [6]}},
                "text": "strong Republicans",
            },
            {"indicator": PARTY, "option": "3", "text": "in primary", "color": "primary"},
            {"indicator": {"kind": "count"}, "text": "respondents"},
        ],
    )
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    assert _figure_colours(report.path) == [INDEPENDENT, REPUBLICAN, PRIMARY, ACCENT]
    for colour in (INDEPENDENT, REPUBLICAN, PRIMARY):  # large text on the card: AA
        assert _ratio(colour, CARD) >= 3.0
    assert not [w for w in report.warnings.items if "callout" in str(w)], report.warnings


def test_the_themes_callout_colour_replaces_the_accent(tmp_path):
    spec = _spec(
        tmp_path,
        [{"indicator": {"kind": "count"}, "text": "respondents"}],
        theme={"colors": {"callout": "2A9D8F"}},
    )
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    assert _figure_colours(report.path) == ["2A9D8F"]


def test_a_colour_too_light_for_the_card_is_said(tmp_path):
    # "Other party" is light grey: 2.3:1 on the card; the theme's colour instead
    assert _ratio(OTHER, CARD) < 3.0
    spec = _spec(
        tmp_path,
        [
            {"indicator": PARTY, "option": "7", "text": "other parties"},
            {"indicator": PARTY, "option": "3", "text": "pale", "color": "#FFE9A8"},
        ],
    )
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    assert _figure_colours(report.path) == [ACCENT, "FFE9A8"]
    said = "\n".join(str(w) for w in report.warnings.items)
    assert "callout 1: the colour of `7` (A3A3A3) reads at 2.3:1" in said, said
    assert "callout 2: its `color: FFE9A8` reads at 1.1:1 on the card" in said, said


def test_a_callout_colour_that_is_no_colour_is_an_error_with_its_line(tmp_path):
    spec = _spec(tmp_path, [{"indicator": PARTY, "option": "3", "text": "x", "color": "purple"}])
    run = invoke("validate", str(spec))
    assert run.code == 2, run.stderr
    assert f"{spec}:{line_of(spec, 'color: purple')}:" in run.stderr, run.stderr
    assert "expected one of the theme's colours (`primary`, `accent`" in run.stderr, run.stderr
