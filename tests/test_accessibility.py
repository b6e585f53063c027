"""Accessibility of the real deck: alternative texts, title placeholders, reading
order, decorative shapes, and the generated speaker notes.

Everything is read back from the built .pptx with python-pptx and compared with
the indicator engine's results, never with the strings the builder wrote.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn

from deckgen.locales.numbers import NNBSP, format_number, format_percent
from deckgen.render.identity import label_of
from deckgen.workflows.pipeline import build

from .conftest import ROOT, SPEC
from .helpers import flat

DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
SOCIAL = "Les réseaux sociaux pour la participation"


def _descr(shape) -> str:
    return shape._element.find(".//" + qn("p:cNvPr")).get("descr") or ""


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def spec_copy(tmp_path: Path, edit) -> Path:
    """The real spec with absolute data/theme/template paths, edited by `edit(raw)`."""
    raw = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    deck = raw["deck"]
    for key in ("data", "theme", "template"):
        deck[key] = str((SPEC.parent / deck[key]).resolve())
    edit(raw)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _slide(raw: dict, title: str) -> dict:
    return next(s for s in raw["slides"] if s["title"] == title)


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("a11y") / "deck.pptx"
    report = build(SPEC, out)
    prs = Presentation(str(out))
    assert len(prs.slides) == len(report.plan.slides)
    return report, prs


# -- alternative texts ---------------------------------------------------------


def _figures(result, chart_type: str) -> list[str]:
    """'Facebook 100 %' … as the reader must hear them, computed from the result."""
    if chart_type == "map":
        return [
            f"{c} {format_number(n)}"
            for c, n in zip(result.categories, result.series[0].counts)
            if n
        ]
    if result.kind == "likert":
        return [
            f"{s.name} {format_percent(s.values[k])}"
            for k in range(len(result.categories))
            for s in result.series
        ]
    return [f"{c} {format_percent(v)}" for c, v in zip(result.categories, result.series[0].values)]


def _in_order(text: str, parts: list[str]) -> bool:
    pos = 0
    for part in parts:
        found = text.find(part, pos)
        if found < 0:
            return False
        pos = found + len(part)
    return True


def test_every_chart_and_map_has_alt_text_with_its_values_in_reading_order(deck):
    report, prs = deck
    checked = maps = 0
    for slide, sp in zip(prs.slides, report.plan.slides):
        frames = [s for s in flat(slide.shapes) if s.has_chart]
        groups = [s for s in flat(slide.shapes) if s.shape_type == 6]  # the map's group
        native = [c for c in sp.charts if c.type != "map"]
        assert len(frames) == len(native), sp.label
        for frame, chart in zip(frames, native):
            descr = _descr(frame)
            assert descr, (sp.label, frame.name)
            assert f"base {chart.result.base} {chart.result.respondents}" in descr
            figures = _figures(chart.result, chart.type)
            assert _in_order(descr, figures), (sp.label, descr, figures)
            checked += 1
        for chart in (c for c in sp.charts if c.type == "map"):
            (group,) = groups
            descr = _descr(group)
            assert _in_order(descr, _figures(chart.result, "map")), descr
            maps += 1
    assert checked >= 24 and maps == 1


def test_social_networks_alt_text_reads_as_published(deck):
    report, prs = deck
    slide = next(s for s in prs.slides if _title(s) == SOCIAL)
    (frame,) = [s for s in flat(slide.shapes) if s.has_chart]
    assert _descr(frame) == (
        "Parmi les utilisatrices des réseaux sociaux, base 24 collectivités : Facebook "
        f"100{NNBSP}%, "
        f"YouTube 75{NNBSP}%, Twitter 63{NNBSP}%, Instagram 42{NNBSP}%, TikTok 13{NNBSP}%, "
        f"SnapChat 8{NNBSP}%"
    )


def test_every_callout_value_has_alt_text_with_its_value_and_sentence(deck):
    report, prs = deck
    n = 0
    for slide, sp in zip(prs.slides, report.plan.slides):
        values = [
            s
            for s in slide.shapes
            if label_of(s.name).startswith("Callout ") and label_of(s.name).endswith(" value")
        ]
        assert len(values) == len(sp.callouts), sp.label
        for shape, callout in zip(values, sp.callouts):
            shown = shape.text_frame.text
            descr = _descr(shape)
            assert shown and descr.startswith(shown + " "), (sp.label, shown, descr)
            assert callout.text.replace("**", "") in descr
            n += 1
    assert n == 24
    moyens = next(s for s in prs.slides if _title(s) == "Les moyens")
    assert _descr(
        moyens.shapes[[label_of(s.name) for s in moyens.shapes].index("Callout 1 value")]
    ) == (f"97{NNBSP}% des collectivités ont un service dédié à la participation")


def test_cards_and_bars_are_decorative_not_announced(deck):
    report, prs = deck
    marked = 0
    for slide in prs.slides:
        for shape in flat(slide.shapes):
            if label_of(shape.name).endswith(" card") or label_of(shape.name) == "Remark bar":
                cnv = shape._element.find(".//" + qn("p:cNvPr"))
                assert cnv.find(".//" + DECORATIVE).get("val") == "1", shape.name
                assert not cnv.get("descr")
                marked += 1
            elif shape.has_chart or label_of(shape.name).endswith(" value"):
                assert shape._element.find(".//" + DECORATIVE) is None
    assert marked == sum(len(sp.callouts) + bool(sp.remark) for sp in report.plan.slides) > 0


# -- titles and reading order ---------------------------------------------------


def test_every_slide_title_is_a_title_placeholder_read_first(deck):
    report, prs = deck
    for slide, sp in zip(prs.slides, report.plan.slides):
        title = slide.shapes.title
        assert title is not None and title.is_placeholder, sp.label
        assert title.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        assert title.text_frame.text == sp.title
        assert slide.shapes[0].shape_id == title.shape_id, (
            f"{sp.label}: title is not first in reading order"
        )


def _box(shape):
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def test_reading_order_is_visual_order(deck):
    """Shape tree order = reading order: nothing is read before a shape that sits
    above it in the same column, or left of it on the same row; footnote last."""
    report, prs = deck
    for slide, sp in zip(prs.slides, report.plan.slides):
        if sp.layout in ("title", "section", "closing"):
            continue
        shapes = list(slide.shapes)[1:]  # after the title
        for i, a in enumerate(shapes):
            al, at, ar, ab = _box(a)
            for b in shapes[i + 1 :]:
                bl, bt, br, bb = _box(b)
                same_column = bl < ar and al < br
                same_row = bt < ab and at < bb
                assert not (same_column and bb <= at), (
                    f"{sp.label}: {b.name!r} above {a.name!r} but read after"
                )
                assert not (same_row and br <= al), (
                    f"{sp.label}: {b.name!r} left of {a.name!r} but read after"
                )
        content = [s for s in shapes if s.name not in ("Footer", "Logo")]  # page furniture
        if sp.footnote:
            assert label_of(content[-1].name) == "Footnote", sp.label
        if report.plan.footer:  # the deck's footer closes the page, under the footnote
            assert shapes[-1].name == "Footer", sp.label


# -- overrides ---------------------------------------------------------------------

CHART_ALT = "Graphique des réseaux sociaux : texte écrit par l'équipe"
CALLOUT_ALT = "Trois quarts des collectivités sont sur les réseaux sociaux"
EXTRA_NOTE = "Rappeler que la question ne portait que sur la participation."
REPLACED_NOTE = "Seulement ceci."


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    def edit(raw):
        social = _slide(raw, SOCIAL)
        social["chart"]["alt_text"] = CHART_ALT
        social["callouts"][0]["alt_text"] = CALLOUT_ALT
        social["notes"] = EXTRA_NOTE
        civic = _slide(raw, "La place des civic tech")
        civic["notes"] = REPLACED_NOTE
        civic["notes_mode"] = "replace"

    tmp = tmp_path_factory.mktemp("edited")
    path = spec_copy(tmp, edit)
    build(path, tmp / "edited.pptx")
    return Presentation(str(tmp / "edited.pptx"))


def test_alt_text_override_replaces_the_generated_text(deck, edited):
    _, prs = deck
    original = next(s for s in prs.slides if _title(s) == SOCIAL)
    slide = next(s for s in edited.slides if _title(s) == SOCIAL)
    (frame,) = [s for s in flat(slide.shapes) if s.has_chart]
    assert _descr(frame) == CHART_ALT
    value = next(s for s in slide.shapes if label_of(s.name) == "Callout 1 value")
    assert _descr(value) == CALLOUT_ALT
    (before,) = [s for s in flat(original.shapes) if s.has_chart]
    assert _descr(before) != CHART_ALT and "Facebook" in _descr(before)


# -- speaker notes -------------------------------------------------------------------


def _notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def test_notes_give_question_base_figures_and_status(deck):
    report, prs = deck
    questions = {r.question: r.question_text for _, _, r in report.results if r.question}
    slide = next(s for s in prs.slides if _title(s) == SOCIAL)
    notes = _notes(slide)
    assert f"Question{NNBSP}: {questions['reseaux_sociaux_plateformes']}" in notes
    assert f"Base{NNBSP}: 24 collectivités." in notes
    sp = next(p for p in report.plan.slides if p.title == SOCIAL)
    for label, value in sp.charts[0].result.pairs():
        assert f"{label} {format_percent(value)}" in notes
    assert "Données publiées." in notes
    assert f"77{NNBSP}% des collectivités utilisent les réseaux sociaux" in notes
    # an illustrative chart says so
    objectifs = next(s for s in prs.slides if _title(s) == "Objectifs des outils numériques")
    assert "Données illustratives (reconstruction)" in _notes(objectifs)
    assert "Données publiées" not in _notes(objectifs)


def test_every_content_slide_has_notes_with_all_its_figures(deck):
    report, prs = deck
    for slide, sp in zip(prs.slides, report.plan.slides):
        notes = _notes(slide) if slide.has_notes_slide else ""
        for chart in sp.charts:
            assert f"Base{NNBSP}: {chart.result.base} " in notes, sp.label
            assert all(f in notes for f in _figures(chart.result, chart.type)), sp.label
        for callout in sp.callouts:
            assert callout.value_text in notes, sp.label


def test_notes_extend_by_default_and_replace_on_request(deck, edited):
    _, prs = deck
    social = next(s for s in edited.slides if _title(s) == SOCIAL)
    extended = _notes(social)
    assert extended.startswith(EXTRA_NOTE + "\n")
    original = _notes(next(s for s in prs.slides if _title(s) == SOCIAL))
    assert extended == EXTRA_NOTE + "\n\n" + original  # the generated notes are all still there
    civic = next(s for s in edited.slides if _title(s) == "La place des civic tech")
    assert _notes(civic) == REPLACED_NOTE


def test_spec_copy_helper_keeps_the_real_data(tmp_path):
    path = spec_copy(tmp_path, lambda raw: None)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert Path(raw["deck"]["data"]) == ROOT / "data" / "barometre-2021" / "codebook.yaml"
