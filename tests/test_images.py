"""Chart images (`deckgen images`): real matplotlib output read back with PIL and
an XML parser, compared with the native charts of the real deck (python-pptx)."""

from __future__ import annotations

import dataclasses
import logging
import re
import warnings
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, ImageStat
from pptx import Presentation

import deckgen
from deckgen.inputs.theme import load_theme
from deckgen.locales.numbers import NNBSP, format_percent
from deckgen.render.identity import label_of
from deckgen.render.images import draw_images, font_families, slugify
from deckgen.workflows.pipeline import build

from .conftest import ROOT, SPEC
from .helpers import invoke

SOCIAL = "10-les-reseaux-sociaux-pour-la-participation"
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    images = deckgen.load(SPEC).images(folder)
    report = build(SPEC, folder.parent / "deck.pptx")
    return images, report, Presentation(str(report.path)), folder


def _svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(t.itertext()) for t in root.iter(SVG_NS + "text")]


def test_one_png_and_one_svg_per_chart_named_after_the_slide(drawn):
    images, report, _, folder = drawn
    assert len(images) == sum(len(s.charts) for s in report.plan.slides) >= 25
    names = [i.name for i in images]
    assert len(set(names)) == len(names)
    assert SOCIAL in names
    assert (
        "03-les-repondants-1" in names and "03-les-repondants-2" in names
    )  # two charts on slide 3
    assert "04-les-repondants" in names  # the map, alone on its slide
    for image in images:
        assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*", image.name), image.name
        assert label_of(image.name).startswith(f"{image.slide:02d}-")
        assert image.png == folder / f"{image.name}.png" and image.png.is_file()
        assert image.svg == folder / f"{image.name}.svg" and image.svg.is_file()
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{n}.{ext}" for n in names for ext in ("png", "svg")
    )


def test_slugs_strip_accents_and_punctuation():
    assert (
        slugify("Les réseaux sociaux pour la participation")
        == "les-reseaux-sociaux-pour-la-participation"
    )
    assert (
        slugify("Identification des utilisateurs·rices") == "identification-des-utilisateurs-rices"
    )
    assert slugify("À quoi servent ces outils ?") == "a-quoi-servent-ces-outils"
    assert slugify("L'avenir de la visio-conférence") == "l-avenir-de-la-visio-conference"
    assert slugify("!!!") == "graphique"


def test_every_png_is_1200_by_675_and_not_blank(drawn):
    images, *_ = drawn
    for image in images:
        with Image.open(image.png) as png:
            assert png.size == (1200, 675), image.name
            assert png.format == "PNG"
            assert ImageStat.Stat(png.convert("L")).var[0] > 100, f"{image.name} looks blank"


def test_svg_keeps_french_labels_as_text(drawn):
    images, *_ = drawn
    social = next(i for i in images if label_of(i.name) == SOCIAL)
    texts = _svg_texts(social.svg)
    expected = [format_percent(v) for v in social.result.series[0].values]
    assert expected == [
        f"100{NNBSP}%",
        f"75{NNBSP}%",
        f"63{NNBSP}%",
        f"42{NNBSP}%",
        f"13{NNBSP}%",
        f"8{NNBSP}%",
    ]
    for label in (
        expected + list(social.result.categories) + ["Parmi les utilisatrices des réseaux sociaux"]
    ):
        assert label in texts, label
    assert any(t.startswith(f"Base{NNBSP}: 24 collectivités") for t in texts)
    # every value label of every chart is in its SVG, as text
    for image in images:
        if image.type != "map":
            svg_texts = _svg_texts(image.svg)
            assert image.labels and all(label in svg_texts for label in image.labels), image.name


def test_images_use_the_theme(drawn):
    images, *_ = drawn
    theme = load_theme(ROOT / "config" / "theme.yaml")
    social = next(i for i in images if label_of(i.name) == SOCIAL)
    svg = social.svg.read_text(encoding="utf-8").lower()
    assert f"fill: #{theme.colors.series[0].lower()}" in svg  # the bars
    assert f"fill: #{theme.colors.primary.lower()}" in svg  # the title
    assert f"font-family: '{theme.fonts.body.lower()}'" in svg  # the brand font named first
    stacked = next(i for i in images if i.type == "stacked100")
    svg = stacked.svg.read_text(encoding="utf-8").lower()
    for color in [*theme.colors.likert, theme.colors.dont_know]:
        assert f"#{color.lower()}" in svg


def test_drawn_values_are_the_native_charts_values(drawn):
    """Bar lengths, stacked segments and slice angles read back from the figures
    equal the series values of the deck's native charts."""
    images, report, prs, _ = drawn
    compared = 0
    for image in images:
        if image.type == "map":
            continue
        sp = report.plan.slides[image.slide - 1]
        native_index = [c for c in sp.charts if c.type != "map"].index(sp.charts[image.chart - 1])
        frames = [s for s in prs.slides[image.slide - 1].shapes if s.has_chart]
        plot = frames[native_index].chart.plots[0]
        drawn_labels = list(plot.categories)  # beside bars, maybe shortened with "…"
        assert len(drawn_labels) == len(image.result.categories), image.name
        for label, whole in zip(drawn_labels, image.result.categories):
            assert label == whole or whole.startswith(label[:-1]), (image.name, label)
        assert image.result == sp.charts[image.chart - 1].result  # the deck's own indicator result
        assert len(image.drawn) == len(plot.series) == len(image.result.series)
        for series, result_series in zip(plot.series, image.result.series):
            native = list(series.values)
            assert image.drawn[result_series.name] == pytest.approx(native, abs=1e-9), (
                image.name,
                series.name,
            )
        compared += 1
    assert compared >= 24


def test_map_regions_have_the_native_maps_colours(drawn):
    images, _, prs, _ = drawn
    (image,) = [i for i in images if i.type == "map"]
    (group,) = [s for s in prs.slides[image.slide - 1].shapes if s.shape_type == 6]
    native = {}
    for shape in group.shapes:
        m = re.match(r"Région (\d+) ", shape.name)
        if m:
            native[m.group(1)] = str(shape.fill.fore_color.rgb)
    assert len(native) == 13
    assert {code: color.upper() for code, color in image.region_colors.items()} == native
    assert len(set(native.values())) >= 4  # several bins, not one flat colour


def test_svg_output_is_deterministic(drawn, tmp_path):
    images, report, _, _ = drawn
    social = next(i for i in images if label_of(i.name) == SOCIAL)
    theme = load_theme(ROOT / "config" / "theme.yaml")
    deck = dataclasses.replace(report.plan, slides=[report.plan.slides[social.slide - 1]])
    (again,) = draw_images(
        deck,
        theme,
        tmp_path,
        source="Baromètre de la démocratie locale numérique 2021, "
        "enquête du 4 mars au 23 avril 2021",
    )
    assert label_of(again.name) == SOCIAL
    assert again.svg.read_bytes() == social.svg.read_bytes()
    assert b"<dc:date>" not in social.svg.read_bytes()


def test_missing_brand_font_falls_back_quietly(drawn, tmp_path, caplog):
    images, report, _, _ = drawn
    theme = load_theme(ROOT / "config" / "theme.yaml")
    theme.fonts.body = theme.fonts.heading = "No Such Font"
    families = font_families(theme)
    assert "No Such Font" not in families and families[-1] == "DejaVu Sans"
    deck = dataclasses.replace(report.plan, slides=[report.plan.slides[9]])
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        (image,) = draw_images(deck, theme, tmp_path)
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records] == []
    assert f"75{NNBSP}%" in _svg_texts(image.svg)


def test_cli_images_png_only(tmp_path):
    result = invoke("images", str(SPEC), "-o", str(tmp_path), "--png-only")
    assert result.code == 0, result.output
    pngs = sorted(p.name for p in tmp_path.iterdir())
    assert f"{SOCIAL}.png" in pngs and all(p.endswith(".png") for p in pngs)
    assert f"wrote {len(pngs)} files" in result.output


def test_svg_stays_valid_xml_whatever_the_labels_hold(tmp_path):
    """Inputs with such characters are refused on reading (docs/errors.md); the SVG
    writer still replaces them, should a plan carry one: the file stays valid XML."""
    from deckgen.analysis.results import Result

    project = deckgen.load(SPEC)
    deck, _ = project.plan()
    slide = next(s for s in deck.slides if [c.type for c in s.charts] == ["bar"])
    (chart,) = slide.charts
    categories = ("Face\ufffebook\x01", *chart.result.categories[1:])
    chart.result = Result(**{**chart.result.__dict__, "categories": categories})
    one = dataclasses.replace(deck, slides=[slide])  # draw this chart only
    images = draw_images(one, load_theme(ROOT / "config" / "theme.yaml"), tmp_path,
                         formats=("svg",))  # fmt: skip
    (image,) = [i for i in images if i.result is chart.result]
    texts = _svg_texts(image.svg)  # parses: the SVG is well-formed XML
    assert "Face\ufffdbook\ufffd" in texts


def test_a_dollar_in_a_label_is_money_not_mathematics(tmp_path):
    """'Budget de $5 000 à $10 000' was drawn as TeX italics ('5000à10 000'): every
    label is plain text, written into the SVG as it is."""
    from deckgen.analysis.results import Result

    project = deckgen.load(SPEC)
    deck, _ = project.plan()
    slide = next(s for s in deck.slides if [c.type for c in s.charts] == ["bar"])
    (chart,) = slide.charts
    money = "Budget de $5 000 à $10 000"
    categories = (money, *chart.result.categories[1:])
    chart.result = Result(**{**chart.result.__dict__, "categories": categories})
    one = dataclasses.replace(deck, slides=[slide])
    images = draw_images(one, load_theme(ROOT / "config" / "theme.yaml"), tmp_path,
                         formats=("svg",))  # fmt: skip
    (image,) = [i for i in images if i.result is chart.result]
    assert money in _svg_texts(image.svg)


def _charts_of(deck) -> int:
    """The charts of a deck: native ones, maps and tables, each named by its key."""
    named = re.compile(r"#chart-\d+\]$")
    return sum(
        bool(named.search(s.name)) for slide in Presentation(str(deck)).slides for s in slide.shapes
    )


@pytest.mark.parametrize(
    "batch",
    [
        ["--each", "type_collectivite"],
        ["--each-respondent", "--peers", "type_collectivite", "--shard", "3/16"],
    ],
    ids=["each", "each-respondent"],
)
def test_cli_images_of_each_deck_of_a_batch(tmp_path, batch):
    """`images --each` / `--each-respondent` draws the decks `build` would build with the
    same options, and only those (a segment the privacy rule leaves out gets no folder
    either, for the same reason): a folder per deck, an image per chart of that deck."""
    result = invoke("images", SPEC, *batch, "-o", tmp_path / "img", "--png-only", "--jobs", 1, "-q")
    assert result.code == 0, result.stderr
    built = invoke("build", SPEC, *batch, "-o", tmp_path / "decks", "--jobs", 1, "-q")
    assert built.code == 0, built.stderr
    decks = sorted((tmp_path / "decks").glob("*.pptx"))
    folders = sorted(p for p in (tmp_path / "img").iterdir() if p.is_dir())
    files = [p.name for p in (tmp_path / "img").iterdir() if not p.is_dir()]
    assert files == (["summary-shard-3-of-16.csv"] if "--shard" in batch else [])
    assert [f.name for f in folders] == [d.stem for d in decks] and decks
    for deck, folder in zip(decks, folders):
        images = sorted(folder.glob("*.png"))
        assert len(images) == _charts_of(deck) and not list(folder.glob("*.svg")), folder.name
    # what was not built is not drawn, with the same reason
    not_built = [line.partition(": not built: ")[::2] for line in built.stderr.splitlines()]
    not_drawn = [line.partition(": not drawn: ")[::2] for line in result.stderr.splitlines()]
    assert [x for x in not_built if x[1]] == [x for x in not_drawn if x[1]]
    assert len([x for x in not_drawn if x[1]]) == (4 if "--each" in batch else 0)  # 4 types
    assert f"{len(decks)} of " in result.stderr and "decks drawn" in result.stderr


def test_a_table_image_keeps_every_cell_text_inside_its_cell():
    """The ESS crosstab by schooling (long headers: "17 years or more (n = 479) (C)"):
    matplotlib measures each drawn text with the real font, and each lies within its
    cell -- headers wrapped at their spaces, never over the next column."""
    import matplotlib

    from deckgen.render.images import ChartImage, _figure, _rc

    project = deckgen.load(ROOT / "config" / "ess-2020-norway.yaml")
    deck, _ = project.plan()
    chart = next(c for s in deck.slides for c in s.charts if c.type == "table")
    image = ChartImage(1, 1, "t", "table", "T", chart.result)
    theme = load_theme(ROOT / "config" / "theme.yaml")
    with matplotlib.rc_context(_rc(theme)):  # as draw_images draws: the theme's fonts
        fig = _figure(image, chart, theme, "en")
        fig.canvas.draw()  # the table lays its cells out when drawn
    renderer = fig.canvas.get_renderer()
    (table,) = fig.axes[0].tables
    cells = table.get_celld()
    assert len({col for _, col in cells}) == 5
    wrapped = 0
    for (row, col), cell in cells.items():
        box, text = cell.get_window_extent(renderer), cell.get_text()
        if not text.get_text():
            continue
        drawn = text.get_window_extent(renderer)
        assert box.x0 - 0.5 <= drawn.x0 and drawn.x1 <= box.x1 + 0.5, (row, col, text.get_text())
        assert box.y0 - 0.5 <= drawn.y0 and drawn.y1 <= box.y1 + 0.5, (row, col, text.get_text())
        wrapped += row == 0 and "\n" in text.get_text()
        assert "(n\u00a0=" not in text.get_text().replace("\n", "|").replace("(n\u00a0=\u00a0", "")
    assert wrapped >= 1  # the long headers took two lines rather than the next column


def test_a_legend_under_the_plot_reads_row_by_row_in_the_series_order():
    """Five levels, four a row: matplotlib fills a legend's columns first, which put
    "Poor" under "Very poor" and "Fair" beside it. Read from where the texts are
    drawn (top to bottom, then left to right), the legend gives the series' order."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from deckgen.render.images import _legend_below

    names = ["Very poor", "Poor", "Fair", "Good", "Very good"]
    fig, ax = plt.subplots()
    for i, name in enumerate(names):
        ax.barh([0], [0.2], left=[0.2 * i], label=name)
    _legend_below(ax, -0.02, load_theme(ROOT / "config" / "theme.yaml"))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    placed = []
    for text in ax.get_legend().get_texts():
        box = text.get_window_extent(renderer)
        placed.append((-round(box.y0), box.x0, text.get_text()))
    plt.close(fig)
    rows = sorted({y for y, _, _ in placed})
    assert len(rows) == 2
    assert [t for _, _, t in sorted(placed)] == names
