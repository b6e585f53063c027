"""The real deck, built from the real spec and read back with python-pptx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from deckgen.analysis.indicators import compute
from deckgen.locales.numbers import format_number, format_percent
from deckgen.workflows.pipeline import build, load

from .conftest import SPEC
from .helpers import flat

# the native chart each spec type is drawn as (python-pptx's chart type enums)
NATIVE_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "ranking": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked100": XL_CHART_TYPE.BAR_STACKED_100,
    "pie": XL_CHART_TYPE.PIE,
    "doughnut": XL_CHART_TYPE.DOUGHNUT,
}

OUTLINE_TITLES = [
    "Baromètre de la démocratie locale numérique",
    "L'édition 2021",
    "Les répondants",
    "Les répondants (2)",
    "Résultats généraux",
    "Les dispositifs",
    "Les moyens",
    "Les dispositifs numériques",
    "Les réseaux sociaux pour la participation",
    "La place des civic tech",
    "Identification des utilisateurs·rices",
    "Objectifs des outils numériques",
    "À quoi servent ces outils ?",
    "Les sources d'information sur la participation numérique",
    "Afin de renforcer la démocratie locale numérique, il faudrait",
    "Les élections municipales 2020 : quel impact ?",
    "La situation des répondants",
    "Changements majeurs prévus",
    "La crise sanitaire du Covid-19 : quel impact ?",
    "La participation numérique pour répondre à la crise",
    "La visio-conférence au service de la participation",
    "L'avenir de la visio-conférence",
    "Évolution des dispositifs participatifs",
    "Les effets de la crise",
    "La gestion de la crise en interne",
    "Merci !",
]


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "barometre-2021.pptx"
    report = build(SPEC, out)
    return report, Presentation(str(out)), out


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_every_outline_slide_in_order(deck):
    _, prs, _ = deck
    titles = [_title(s) for s in prs.slides]
    # a crowded outline slide may become two consecutive slides with the same title
    collapsed = [t for i, t in enumerate(titles) if i == 0 or t != titles[i - 1]]
    assert collapsed == OUTLINE_TITLES


def test_charts_are_native_and_match_the_indicator_engine(deck):
    report, prs, _ = deck
    loaded = load(SPEC)
    spec_slides = loaded.spec.slides
    n_native = 0
    for slide, spec_slide in zip(prs.slides, spec_slides):
        frames = [s for s in flat(slide.shapes) if s.has_chart]
        expected = [c for c in spec_slide.charts if c.type != "map"]
        assert len(frames) == len(expected), _title(slide)
        for frame, chart_spec in zip(frames, expected):
            chart = frame.chart
            assert chart.chart_type == NATIVE_TYPES[chart_spec.type]
            result = compute(loaded.survey, chart_spec.indicator)
            drawn = list(chart.plots[0].categories)
            assert len(drawn) == len(result.categories)
            for label, whole in zip(drawn, result.categories):
                # a label too long beside its bar is shortened at a word, with an
                # ellipsis (test_fitting); the alternative text keeps it whole
                assert label == whole or (
                    label.endswith("…") and whole.startswith(label[:-1]) and len(label) < len(whole)
                ), (label, whole)
                if label != whole:
                    assert whole in frame._element.xpath(".//p:cNvPr")[0].get("descr")
            for series, rs in zip(chart.plots[0].series, result.series):
                assert list(series.values) == pytest.approx([v or 0.0 for v in rs.values])
            # the embedded workbook is there, so "Edit data" works in PowerPoint
            assert chart.part.chart_workbook.xlsx_part is not None
            n_native += 1
    assert n_native >= 20


def test_every_callout_and_expect_is_visible(deck):
    _, prs, _ = deck
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    expects = 0
    for slide, spec_slide in zip(prs.slides, raw["slides"]):
        text = _texts(slide)
        for callout in spec_slide.get("callouts", []):
            if "expect" in callout:
                value = callout["expect"]
                shown = (
                    format_number(value)
                    if callout["indicator"]["kind"] == "count"
                    else format_percent(value / 100)
                )
                assert shown in text, (_title(slide), shown)
                expects += 1
            sentence = re.sub(r"\*\*", "", callout["text"])
            assert sentence in text
    assert expects == 24


def test_social_network_figures_are_chart_labels(deck):
    report, _, _ = deck
    social = next(
        s for s in report.plan.slides if s.title == "Les réseaux sociaux pour la participation"
    )
    result = social.charts[0].result
    shown = [format_percent(v) for v in result.series[0].values]
    assert shown == ["100\u202f%", "75\u202f%", "63\u202f%", "42\u202f%", "13\u202f%", "8\u202f%"]
    assert social.charts[0].options.labels


def test_nothing_leaves_the_slide_and_every_shape_has_explicit_geometry(deck):
    _, prs, _ = deck
    width, height = prs.slide_width, prs.slide_height
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left is not None and shape.width is not None, (_title(slide), shape.name)
            assert shape.left >= 0 and shape.left + shape.width <= width, (
                _title(slide),
                shape.name,
            )
            assert shape.top >= 0 and shape.top + shape.height <= height, (
                _title(slide),
                shape.name,
            )


def test_content_shapes_do_not_overlap(deck):
    _, prs, _ = deck

    def box(s):
        return (Emu(s.left), Emu(s.top), Emu(s.left + s.width), Emu(s.top + s.height))

    for slide in prs.slides:
        blocks = [
            s
            for s in flat(slide.shapes)
            if s.has_chart or s.name.endswith("card") or s.shape_type == 6
        ]
        for i, a in enumerate(blocks):
            for b in blocks[i + 1 :]:
                (al, at, ar, ab), (bl, bt, br, bb) = box(a), box(b)
                assert al >= br or ar <= bl or at >= bb or ab <= bt, (_title(slide), a.name, b.name)


def test_speaker_notes_and_footnotes(deck):
    _, prs, _ = deck
    moyens = next(s for s in prs.slides if _title(s) == "Les moyens")
    notes = moyens.notes_slide.notes_text_frame.text
    assert "base 31 collectivités" in notes
    dispositifs = next(s for s in prs.slides if _title(s) == "Les dispositifs")
    assert "Base\u202f: 31 collectivités" in _texts(dispositifs)
    assert (
        "Conseils de quartier / conseils citoyens : s'appliquent seulement aux 22 communes"
        in _texts(dispositifs)
    )


def test_no_default_template_leftovers(deck):
    import zipfile

    _, prs, path = deck
    names = zipfile.ZipFile(path).namelist()
    assert "docProps/thumbnail.jpeg" not in names
    layouts = {layout.name for layout in prs.slide_layouts}
    assert "Title Slide" not in layouts and "Title and Content" not in layouts
    assert prs.slide_width == 12192000 and prs.slide_height == 6858000


def test_default_output_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = build(SPEC)
    assert report.path == Path("out/barometre-2021.pptx")
    assert (tmp_path / "out" / "barometre-2021.pptx").stat().st_size > 50_000


@pytest.mark.parametrize(
    ("locale", "who"),
    [
        ("fr", " ayant répondu « Commune » à « Type de collectivité »"),
        ("en", " who answered “Commune” to “Type de collectivité”"),
        ("de", ", die auf „Type de collectivité“ mit „Commune“ geantwortet haben"),
    ],
)
def test_a_filtered_chart_says_whom_its_figures_are_about(tmp_path, locale, who):
    """No example deck has a filtered chart: here one is, and its footnote, its speaker
    notes and its alternative text each say who is counted, with the base counted
    from the CSV by pandas (the communes)."""
    import pandas as pd

    import deckgen

    from .helpers import CODEBOOK, DATA, flat, write_spec

    communes = int((pd.read_csv(DATA / "responses.csv", dtype=str)["type_collectivite"]
                    == "commune").sum())  # fmt: skip
    chart = {"type": "bar", "indicator": {"kind": "multi", "question": "dispositifs_numeriques",
             "filter": {"question": "type_collectivite", "in": ["commune"]}}}  # fmt: skip
    spec = write_spec(tmp_path / "spec.yaml", [{"layout": "chart", "title": "Les communes",
                      "chart": chart}], locale=locale, data=str(CODEBOOK))  # fmt: skip
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    base = {"fr": f"Base\u202f: {communes} collectivités", "en": f"Base: {communes} collectivités",
            "de": f"Basis: {communes} collectivités"}[locale]  # fmt: skip
    assert f"{base}{who}" in report.plan.slides[0].footnote
    slide = Presentation(str(report.path)).slides[0]
    notes = slide.notes_slide.notes_text_frame.text
    assert f"{base}{who}." in notes
    (frame,) = [s for s in flat(slide.shapes) if s.has_chart]
    assert f"{communes} collectivités{who}" in frame._element.nvGraphicFramePr.cNvPr.get("descr")


def test_every_base_in_a_footnote_says_what_it_is_the_base_of(deck):
    """Read from the file: each part of a footnote that states a base either is the
    slide's one unnamed base, or names what it is about -- chart titles and callout
    figures of that slide, and nothing else -- so "Base : 24 … · Base : 31 …" never
    leaves a reader guessing. Slide 10: the chart's 24 users of social networks, and
    the callout's 77 % of all 31."""
    _, prs, _ = deck
    checked = 0
    for number, slide in enumerate(prs.slides, 1):
        shapes = {s.name: s.text_frame.text for s in flat(slide.shapes) if s.has_text_frame}
        footnote = next((t for n, t in shapes.items() if n.startswith("Footnote")), "")
        titles = [t for n, t in shapes.items() if n.startswith("Chart title")]
        figures = [f"« {t} »" for n, t in shapes.items() if re.match(r"Callout \d+ value", n)]
        based = [p for p in footnote.split(" · ") if "Base\u202f:" in p]
        unnamed = [p for p in based if p.startswith("Base\u202f:")]
        assert len(unnamed) <= 1, (number, footnote)
        for part in based:
            if part in unnamed:
                continue
            label = part[: part.index(" : Base\u202f:")]
            for item in sorted([*titles, *figures], key=len, reverse=True):
                label = label.replace(item, "")
            assert re.fullmatch(r"(, | et )*", label), (number, part, label)
            checked += 1
    assert checked >= 8
    social = next(s for s in prs.slides if _title(s) == "Les réseaux sociaux pour la participation")
    assert (
        "Base\u202f: 24 collectivités ; plusieurs réponses possibles · "
        "« 77\u202f% » : Base\u202f: 31 collectivités"
    ) in _texts(social)


def test_no_tick_marks_on_a_category_axis(deck):
    """Categories are named, not measured: no chart of the deck draws tick marks on its
    category axis (read from every chart part of the file)."""
    import zipfile

    _, _, path = deck
    axes = 0
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not re.fullmatch(r"ppt/charts/chart\d+\.xml", name):
                continue
            xml = zf.read(name).decode("utf-8")
            for axis in re.findall(r"<c:catAx>.*?</c:catAx>", xml, flags=re.S):
                axes += 1
                for tick in ("majorTickMark", "minorTickMark"):
                    mark = re.search(rf'<c:{tick} val="(\w+)"/>', axis)
                    assert mark is not None and mark.group(1) == "none", (name, tick)
    assert axes >= 15
