"""Palettes for any scale: a diverging palette for 2 to 11 ordered levels, distinct
colours for any number of categories, and a warning when a theme lists fewer
colours than a chart needs -- never a colour used twice, never a silent grey."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

import deckgen
from deckgen.inputs.theme import Theme, categorical, diverging

from .helpers import TEMPLATE, THEME


@pytest.mark.parametrize("levels", range(2, 12))
def test_a_diverging_palette_for_every_scale(levels):
    theme = Theme()
    palette = theme.likert_palette(levels)
    assert len(palette) == levels == len(set(palette))
    assert palette[0] == theme.colors.likert[0] and palette[-1] == theme.colors.likert[-1]
    assert theme.colors.dont_know not in palette  # "don't know" stays apart
    if levels % 2:
        assert palette[levels // 2] == "DDE1E6"  # a neutral middle, neither side


def test_the_theme_own_palette_when_it_has_the_levels():
    theme = Theme()
    assert theme.likert_palette(4) == theme.colors.likert
    assert theme.likert_palette(2) == [theme.colors.likert[0], theme.colors.likert[-1]]
    assert diverging("000000", "FFFFFF", 3)[1] == "DDE1E6"


def test_distinct_colours_for_any_number_of_categories():
    for n in (1, 4, 5, 9, 13, 30):
        colours = categorical(["1D3557", "457B9D", "E63946", "F4A261"], n)
        assert len(colours) == n == len(set(colours)), n


def _survey(folder: Path, levels: int) -> Path:
    scale = [f"l{k}" for k in range(levels)]
    options = ", ".join(f"{{code: {code}, label: Level {k + 1}}}" for k, code in enumerate(scale))
    (folder / "codebook.yaml").write_text(
        "questions:\n"
        "  - id: g\n    text: A grid\n    type: likert\n"
        f"    options: [{options}]\n"
        "    items: [{code: a, label: First}, {code: b, label: Second}]\n"
        "  - id: s\n    text: A choice\n    type: single\n"
        f"    options: [{', '.join(f'{{code: c{k}, label: Choice {k}}}' for k in range(9))}]\n",
        encoding="utf-8",
    )
    rows = ["id,g__a,g__b,s"] + [
        f"r{i},{scale[i % levels]},{scale[(i * 3) % levels]},c{i % 9}" for i in range(60)
    ]
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder / "codebook.yaml"


def _spec(folder: Path, codebook: Path, theme: Path | None = None) -> Path:
    spec = folder / "spec.yaml"
    header = f"deck:\n  title: T\n  data: {codebook}\n  template: {TEMPLATE}\n  locale: en\n"
    if theme is not None:
        header += f"  theme: {theme}\n"
    spec.write_text(
        header + "slides:\n"
        "  - {layout: chart, title: Grid, chart: {type: stacked100, "
        "indicator: {kind: likert, question: g}}}\n"
        "  - {layout: chart, title: Parts, chart: {type: pie, keep_type: nine slices on purpose, "
        "indicator: {kind: distribution, question: s}}}\n",
        encoding="utf-8",
    )
    return spec


def _fills(deck: Path) -> list[list[str]]:
    """The fill colours of each chart of a deck, from its XML."""
    out = []
    with zipfile.ZipFile(deck) as z:
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)):
            xml = z.read(name).decode("utf-8")
            fills = re.findall(r'<c:spPr><a:solidFill><a:srgbClr val="([0-9A-F]{6})"', xml)
            out.append(fills)
    return out


def test_a_seven_point_scale_and_nine_slices_get_distinct_colours(tmp_path):
    codebook = _survey(tmp_path, 7)
    report = deckgen.load(_spec(tmp_path, codebook)).build(tmp_path / "deck.pptx")
    assert not [w for w in report.warnings.items if "colour" in w.message]  # built-in: generated
    grid, pie = _fills(report.path)
    assert len(grid) == 7 and len(set(grid)) == 7 and "888888" not in grid
    assert grid == Theme().likert_palette(7)
    assert len(set(pie[:9])) == 9


def test_a_theme_listing_too_few_colours_is_told(tmp_path):
    codebook = _survey(tmp_path, 3)
    theme = tmp_path / "theme.yaml"
    text = THEME.read_text(encoding="utf-8")
    text = re.sub(r"  likert: \[.*\]", '  likert: ["FF0000"]', text)
    text = re.sub(r"  series: \[.*\]", '  series: ["1D3557", "457B9D"]', text)
    theme.write_text(text, encoding="utf-8")
    report = deckgen.load(_spec(tmp_path, codebook, theme)).build(tmp_path / "deck.pptx")
    messages = [w.message for w in report.warnings.items]
    assert any(
        "chart 1: 3 scale levels but 1 colours in the theme's `colors.likert`" in m
        for m in messages
    )
    assert any("9 categories but 2 colours in the theme's `colors.series`" in m for m in messages)
    grid, pie = _fills(report.path)
    assert len(set(grid)) == 3 and len(set(pie[:9])) == 9
