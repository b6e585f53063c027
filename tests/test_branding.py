"""Branding from the spec and the theme, at build time: organisation, footer, date,
logo and colours, on deckgen's neutral template; chart titles in capitals as a
font setting, which an editor can turn off."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

import deckgen
from deckgen.render.identity import label_of

from .conftest import libreoffice_or_skip
from .helpers import CODEBOOK, THEME, flat, line_of, pdf_page_text, squash, to_pdf

SLIDES = """
slides:
  - {layout: title, title: "Essai de marque"}
  - layout: chart
    title: "Les dispositifs"
    chart:
      type: bar
      title: "Quels dispositifs ?"
      indicator: {kind: multi, question: dispositifs_numeriques, sort: desc}
  - {layout: section, number: "1", title: "Une section"}
  - {layout: closing, title: "Merci"}
"""


def _spec(folder: Path, **deck: str) -> Path:
    lines = ["deck:", '  title: "Essai de marque"', f"  data: {CODEBOOK}"]
    lines += [f"  {key}: {value}" for key, value in deck.items()]
    spec = folder / "spec.yaml"
    spec.write_text("\n".join(lines) + "\n" + SLIDES, encoding="utf-8")
    return spec


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    path = tmp_path / "logo.png"
    Image.new("RGB", (300, 100), (230, 57, 70)).save(path)
    return path


@pytest.mark.clients
def test_organisation_date_footer_and_logo_come_from_the_spec(tmp_path, logo):
    spec = _spec(tmp_path, organisation='"Ville de Xville"', date='"12 mars 2026"', logo="logo.png")
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    prs = Presentation(str(report.path))
    title, content, section, closing = prs.slides
    texts = [s.text_frame.text for s in title.shapes if s.has_text_frame]
    assert "12 mars 2026 · Ville de Xville" in texts  # the title slide's line
    (footer,) = [s for s in content.shapes if label_of(s.name) == "Footer"]
    assert footer.text_frame.text == "Ville de Xville"
    assert int(footer.top) + int(footer.height) <= prs.slide_height
    for slide in prs.slides:  # the logo on every slide, proportions kept, inside the slide
        (picture,) = [s for s in slide.shapes if label_of(s.name) == "Logo"]
        assert abs(picture.width / picture.height - 3) < 0.01
        assert int(picture.left) + int(picture.width) <= prs.slide_width
    assert not [s for s in section.shapes if label_of(s.name) == "Footer"]  # content slides only
    soffice = libreoffice_or_skip()
    pdf = to_pdf(soffice, [report.path], tmp_path / "pdf")[report.path]
    assert squash("Ville de Xville") in squash(pdf_page_text(pdf, 2))
    assert squash("12 mars 2026 · Ville de Xville") in squash(pdf_page_text(pdf, 1))


@pytest.mark.parametrize(
    ("setting", "expected"), [("false", None), ('"Direction X"', "Direction X")]
)
def test_the_footer_can_be_another_text_or_none(tmp_path, setting, expected):
    spec = _spec(tmp_path, organisation='"Ville de Xville"', footer=setting)
    prs = Presentation(str(deckgen.load(spec).build(tmp_path / "d.pptx").path))
    footers = [s.text_frame.text for s in prs.slides[1].shapes if label_of(s.name) == "Footer"]
    assert footers == ([expected] if expected else [])


def _title_background(deck: Path) -> str:
    with zipfile.ZipFile(deck) as z:
        layout = z.read("ppt/slideLayouts/slideLayout1.xml").decode("utf-8")
    return re.search(r'<p:bg>.*?srgbClr val="([0-9A-F]{6})"', layout).group(1)


def test_a_theme_without_a_template_colours_the_template(tmp_path):
    theme = tmp_path / "theme.yaml"
    theme.write_text(
        THEME.read_text(encoding="utf-8").replace('primary: "1D3557"', 'primary: "5A189A"')
    )
    spec = _spec(tmp_path, theme="theme.yaml")
    project = deckgen.load(spec)
    assert project.template is None  # made from the theme at build time
    report = project.build(tmp_path / "d.pptx")
    assert _title_background(report.path) == "5A189A"
    (tmp_path / "plain").mkdir()
    plain = deckgen.load(_spec(tmp_path / "plain"))  # no theme: the packaged template
    assert _title_background(plain.build(tmp_path / "p.pptx").path) == "1D3557"


def test_chart_titles_in_capitals_are_a_font_setting(tmp_path):
    spec = _spec(tmp_path)
    prs = Presentation(str(deckgen.load(spec).build(tmp_path / "d.pptx").path))
    (title,) = [s for s in flat(prs.slides[1].shapes) if label_of(s.name).startswith("Chart title")]
    run = title.text_frame.paragraphs[0].runs[0]
    assert run.text == "Quels dispositifs ?"  # as written: an editor can undo the capitals
    assert run._r.rPr.get("cap") == "all"
    theme = tmp_path / "theme.yaml"
    theme.write_text(THEME.read_text(encoding="utf-8") + "chart_title_caps: false\n")
    spec = _spec(tmp_path, theme="theme.yaml")
    prs = Presentation(str(deckgen.load(spec).build(tmp_path / "e.pptx").path))
    (title,) = [s for s in flat(prs.slides[1].shapes) if label_of(s.name).startswith("Chart title")]
    assert title.text_frame.paragraphs[0].runs[0]._r.rPr.get("cap") is None


def test_a_logo_that_is_not_an_image(tmp_path):
    (tmp_path / "logo.png").write_text("not an image", encoding="utf-8")
    spec = _spec(tmp_path, logo="logo.png")
    with pytest.raises(deckgen.DeckgenError) as caught:
        deckgen.load(spec)
    line = line_of(spec, "logo:")
    assert f"{spec}:{line}:" in str(caught.value)
    assert "is not a PNG, JPEG or GIF image" in str(caught.value)


def test_a_very_wide_logo_is_scaled_to_stay_clear_of_the_footer(tmp_path):
    wide = tmp_path / "wide.png"
    Image.new("RGB", (4000, 100), (230, 57, 70)).save(wide)  # 40:1
    spec = _spec(tmp_path, organisation='"Ville de Xville"', logo=str(wide))
    report = deckgen.build(spec, tmp_path / "deck.pptx")
    assert not [w for w in report.warnings.items if "Logo" in w.message]
    prs = Presentation(str(tmp_path / "deck.pptx"))
    slide = prs.slides[1]
    logo = next(s for s in slide.shapes if label_of(s.name) == "Logo")
    footer = next(s for s in slide.shapes if label_of(s.name) == "Footer")
    assert logo.width == 3 * 914_400 and abs(logo.width / logo.height - 40) < 0.1
    assert logo.left + logo.width <= prs.slide_width and logo.left >= footer.left + footer.width
