"""`deckgen preview`: the real deck through real LibreOffice and poppler, once.

Skipped when LibreOffice/poppler are missing, except in CI where
DECKGEN_REQUIRE_CLIENTS turns the skip into a failure (conftest).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageStat
from pptx import Presentation

from deckgen import preview as preview_module
from deckgen.errors import DeckgenError
from deckgen.preview import CAPTION_H, GAP, preview

from .conftest import SPEC, libreoffice_or_skip
from .helpers import invoke

THUMB, COLS, WIDTH = 160, 5, 480


@pytest.fixture(scope="module")
def previewed(tmp_path_factory):
    libreoffice_or_skip()
    out = tmp_path_factory.mktemp("preview")
    report = preview(SPEC, out, slide_width=WIDTH, thumb_width=THUMB, cols=COLS, timeout=240)
    return report, out


def _pages(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.mark.clients
def test_pdf_has_one_page_per_slide(previewed):
    report, out = previewed
    n = len(Presentation(str(report.deck)).slides)
    assert n >= 26
    assert report.deck == out / "barometre-2021.pptx"
    assert report.pdf == out / "barometre-2021.pdf"
    assert report.pdf.read_bytes().startswith(b"%PDF")
    assert _pages(report.pdf) == n


@pytest.mark.clients
def test_one_png_per_slide(previewed):
    report, out = previewed
    n = len(Presentation(str(report.deck)).slides)
    folder = out / "barometre-2021-preview"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"slide-{i:02d}.png" for i in range(1, n + 1)]
    assert report.slides == [folder / name for name in names]
    for path in report.slides:
        with Image.open(path) as png:
            assert png.width == WIDTH
            assert png.height == pytest.approx(WIDTH * 9 / 16, abs=2)  # 16:9 slides


@pytest.mark.clients
def test_contact_sheet_is_the_grid_of_all_slides(previewed):
    report, out = previewed
    n = len(report.slides)
    assert report.contact_sheet == out / "barometre-2021-contact-sheet.png"
    thumb_h = round(THUMB * 9 / 16)
    rows = -(-n // COLS)
    with Image.open(report.contact_sheet) as sheet:
        assert sheet.size == (
            COLS * THUMB + (COLS + 1) * GAP,
            rows * (thumb_h + CAPTION_H) + (rows + 1) * GAP,
        )
        rgb = sheet.convert("RGB")
    assert ImageStat.Stat(rgb.convert("L")).var[0] > 500, "the contact sheet looks blank"
    # each cell shows its own slide, in order: compare cells with the slide images
    for index in (0, 5, n - 1):
        box = report.sheet.box(index)
        cell = rgb.crop(box)
        with Image.open(report.slides[index]) as slide:
            expected = slide.convert("RGB").resize(cell.size, Image.LANCZOS)
        own = ImageStat.Stat(ImageChops.difference(cell, expected).convert("L")).mean[0]
        with Image.open(report.slides[(index + 1) % n]) as other:
            wrong = ImageStat.Stat(
                ImageChops.difference(
                    cell, other.convert("RGB").resize(cell.size, Image.LANCZOS)
                ).convert("L")
            ).mean[0]
        assert own < 6 and own < wrong / 3, (index, own, wrong)


def test_missing_libreoffice_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(DeckgenError) as caught:
        preview(SPEC, tmp_path)
    message = str(caught.value)
    assert "install libreoffice-impress and poppler-utils" in message
    assert "soffice" in message and "pdftoppm" in message
    assert list(tmp_path.iterdir()) == []  # nothing built for nothing
    result = invoke("preview", str(SPEC), "-o", str(tmp_path))
    assert result.code == 2
    assert "install libreoffice-impress and poppler-utils" in result.output


def test_missing_pdftoppm_alone_is_named(monkeypatch):
    real = shutil.which
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: None if name == "pdftoppm" else real(name)
    )
    if real("soffice") is None and real("libreoffice") is None:
        pytest.skip("needs soffice to be present")
    with pytest.raises(
        DeckgenError, match=r"pdftoppm \(poppler\) not found; install libreoffice-impress"
    ):
        preview_module.find_tools()


def test_a_hung_converter_is_killed_with_a_clear_message():
    with pytest.raises(DeckgenError, match=r"sleep did not finish within 0.2 s"):
        preview_module._run(["sleep", "30"], 0.2, "sleep")


@pytest.mark.clients
def test_preview_each_writes_a_contact_sheet_per_deck(tmp_path):
    """`preview --each` with groups: each deck built gets its own PDF and contact sheet,
    with as many thumbnails as the deck has slides; the summary names them."""
    libreoffice_or_skip()
    from .helpers import CODEBOOK

    spec = tmp_path / "two.yaml"
    spec.write_text(
        f"""deck:
  title: "Deux groupes"
  data: {CODEBOOK}
slides:
  - layout: title
    title: "Deux groupes"
  - layout: chart
    title: "Dispositifs"
    chart:
      type: bar
      indicator: {{kind: multi, question: dispositifs_numeriques}}
""",
        encoding="utf-8",
    )
    groups = ["--group", "Grandes=de_100000_a_500000,de_500000_a_1000000,plus_de_1000000",
              "--group", "Petites=de_5000_a_10000,de_10000_a_50000,de_50000_a_100000"]  # fmt: skip
    run = invoke("preview", spec, "--each", "population", *groups, "--include-small",
                 "-o", tmp_path / "out",
                 "--thumb", THUMB, "--width", WIDTH, "--jobs", 1)  # fmt: skip
    sheets = sorted((tmp_path / "out").glob("*-contact-sheet.png"))
    assert run.code == 0, run.output
    assert [p.name for p in sheets] == ["two-grandes-contact-sheet.png",
                                        "two-petites-contact-sheet.png"]  # fmt: skip
    for sheet in sheets:
        deck = sheet.with_name(sheet.name.replace("-contact-sheet.png", ".pptx"))
        assert _pages(deck.with_suffix(".pdf")) == len(Presentation(str(deck)).slides) == 2
        assert f"contact sheet {sheet}" in run.stdout
    assert "2 of 2 decks previewed" in run.stderr
