"""`deckgen update`: conflicts per part, and never false (issue 24, step 4).

An alternative text, the notes, a callout's figure and a chart's data are separate
parts: the team's edit of one never freezes another. A second update of unchanged
data reports nothing and writes the same bytes (in place: writes nothing, and
says so), after the team's edits and after both clients' saves. `--force` takes
the keys the report prints, and writes exactly what the report says it would. A
retyped figure's alternative text and notes say the team's figure, or are flagged.
Figures are read from the chart XML and the shapes' texts directly.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

import deckgen

from .helpers import flat, invoke, project_copy
from .test_update import _another_left_social_networks, _one_answer_changed, _round_trip
from .test_update_copies import _aspose_duplicate, _chart_values, _duplicate, _shown, _slide_of

SOCIAL = "les-reseaux-sociaux-pour-la"
CHART, VALUE, NOTES = f"{SOCIAL}#chart-1", f"{SOCIAL}#callout-1-value", f"{SOCIAL}#notes"
MOYENS = "les-moyens#callout-1-value"  # 97 %, typed over by the team
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _shape(prs, key: str):
    return next(
        s for slide in prs.slides for s in flat(slide.shapes) if s.name.endswith(f"[{key}]")
    )


def _alt(shape) -> str:
    return shape._element[0].find(f"{_P}cNvPr").get("descr") or ""


def _set_alt(shape, text: str) -> None:
    shape._element[0].find(f"{_P}cNvPr").set("descr", text)


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    root = tmp_path_factory.mktemp("parts")
    spec = project_copy(root / "project")
    return deckgen.load(spec).build(root / "deck.pptx").path


def _project(seed: Path, tmp_path: Path, edit) -> tuple[Path, Path]:
    """A copy of the project whose deck the team edited with `edit`; the spec and deck."""
    spec = project_copy(tmp_path / "project")
    prs = Presentation(str(seed))
    edit(prs)
    prs.save(str(tmp_path / "edited.pptx"))
    return spec, tmp_path / "edited.pptx"


def _fresh(spec: Path) -> dict[str, list]:
    import io

    from deckgen.workflows.pipeline import build, load

    buffer = io.BytesIO()
    build(load(spec), buffer, strict_expect=False)
    return _shown(Presentation(io.BytesIO(buffer.getvalue())))


def test_an_alternative_text_the_team_rewrote_never_freezes_the_chart(seed, tmp_path):
    """Quarter after quarter the chart follows the data; its alternative text stays the
    team's, a conflict (with its own key) only while the figures it describes move."""

    def edit(prs):
        _set_alt(_shape(prs, CHART), "Notre description du graphique")

    spec, edited = _project(seed, tmp_path, edit)
    decks = [edited]
    for quarter in (_one_answer_changed, _another_left_social_networks):
        quarter(tmp_path / "project")
        report = deckgen.load(spec).update(decks[-1], tmp_path / f"q{len(decks)}.pptx")
        decks.append(report.path)
        prs = Presentation(str(report.path))
        chart = _shape(prs, CHART)
        assert _chart_values(_slide_of(prs, CHART), chart._element) == _fresh(spec)[CHART][0]
        assert _alt(chart) == "Notre description du graphique"
        conflicts = [(c.element, c.key) for c in report.of("conflict")]
        assert conflicts == [("graphique 1, texte alternatif", f"{CHART}#alt")]
        assert [c.key for c in report.of("updated") if c.pairs] == [CHART]  # the figures


def _team_edits(prs) -> None:
    """A duplicated slide, a rewritten alternative text, a retyped figure."""
    _duplicate(prs, _slide_of(prs, CHART), 27)
    _set_alt(_shape(prs, "repondants-profil#chart-1"), "Notre description")
    _shape(prs, MOYENS).text_frame.paragraphs[0].runs[0].text = "9 %"


@pytest.fixture(scope="module")
def edited_three_ways(seed, tmp_path_factory):
    """The team's edits, as saved by script, then by the PowerPoint-compatible engine
    (its "Evaluation only." box added), then by LibreOffice; the data changed."""
    root = tmp_path_factory.mktemp("three-ways")
    spec, edited = _project(seed, root, _team_edits)
    engine = _aspose_duplicate(edited, root / "engine.pptx", 1, 1)  # a slide of its own too
    lo = _round_trip(engine, root / "lo")
    _one_answer_changed(root / "project")
    return spec, {"script": edited, "engine": engine, "libreoffice": lo}


@pytest.mark.clients
@pytest.mark.parametrize("path", ["script", "engine", "libreoffice"])
def test_a_second_update_of_unchanged_data_reports_nothing_and_writes_the_same_bytes(
    edited_three_ways, tmp_path, path
):
    spec, decks = edited_three_ways
    first = deckgen.load(spec).update(decks[path], tmp_path / "first.pptx")
    assert first.of("conflict") and first.of("updated")
    second = deckgen.load(spec).update(first.path, tmp_path / "second.pptx")
    assert second.listed() == []
    assert second.path.read_bytes() == first.path.read_bytes()
    # every copy of every element is the data's, but the one the team retyped
    fresh, shown = _fresh(spec), _shown(Presentation(str(second.path)))
    for key, values in fresh.items():
        if key in (MOYENS, "les-moyens#footnote") or key.endswith("#notes"):
            continue
        assert set(map(repr, shown[key])) == {repr(values[0])}, key
    assert len(shown[CHART]) == 2 and shown[MOYENS] == ["9 %"]

    # the engine's "Evaluation only." box on every slide it saved: the team's addition,
    # kept as it is and never reported
    def boxes(path):
        return [
            shape.text_frame.text
            for slide in Presentation(str(path)).slides
            for shape in slide.shapes
            if shape.has_text_frame and shape.text_frame.text.startswith("Evaluation only.")
        ]

    assert boxes(second.path) == boxes(decks[path])
    if path != "script":
        assert len(boxes(decks[path])) >= 28
    assert not [c for c in first.listed() if "Evaluation" in c.line()]
    # in place: nothing to write, nothing written, no backup, and said so
    mine = tmp_path / "mine.pptx"
    shutil.copy(first.path, mine)
    run = invoke("update", spec, "--deck", mine, "-o", mine, "-q")
    assert run.code == 0, run.output
    assert "mine.pptx : déjà à jour ; rien n'est écrit" in run.output
    assert "conflit :" not in run.output and "→" not in run.output
    assert mine.read_bytes() == first.path.read_bytes()
    assert not list(tmp_path.glob("mine.before-update*"))


def _conflicted(prs) -> None:
    """The social callout retyped, words added inside the generated notes, the chart's
    alternative text rewritten."""
    _shape(prs, VALUE).text_frame.paragraphs[0].runs[0].text = "80\u202f%"
    frame = _slide_of(prs, CHART).notes_slide.notes_text_frame
    frame.paragraphs[0].runs[0].text += " (à revoir)"
    _set_alt(_shape(prs, CHART), "Notre description")


_FORCE = re.compile(r"\(--force (\S+) écrit « (.*) »\)$")


def test_force_takes_the_keys_the_report_prints_and_writes_what_it_says(seed, tmp_path):
    spec, edited = _project(seed, tmp_path, _conflicted)
    _one_answer_changed(tmp_path / "project")
    dry = deckgen.load(spec).update(edited, None, dry_run=True)
    said = {}
    for c in dry.of("conflict"):
        m = _FORCE.search(c.line())
        if m:
            said[m.group(1)] = m.group(2)
    assert set(said) == {VALUE, f"{CHART}#alt"}
    (notes,) = [c for c in dry.of("conflict") if c.key == NOTES]
    assert f"--force {NOTES} remplace toutes les notes par les notes générées" in notes.line()
    # one key: that part only; the notes and the alternative text stay the team's
    out = tmp_path / "one.pptx"
    run = invoke("update", spec, "--deck", edited, "-o", out, "--force", VALUE, "-q")
    assert run.code == 0, run.output
    prs = Presentation(str(out))
    assert _shape(prs, VALUE).text_frame.text == said[VALUE] == "74\u202f%"
    assert _alt(_shape(prs, CHART)) == "Notre description"
    assert "(à revoir)" in _slide_of(prs, CHART).notes_slide.notes_text_frame.text
    assert f"{CHART}#alt" in run.output and NOTES in run.output
    # two keys, repeated: both written, exactly as said
    run = invoke("update", spec, "--deck", edited, "-o", out, "--force", VALUE,
                 "--force", f"{CHART}#alt", "-q")  # fmt: skip
    prs = Presentation(str(out))
    assert _alt(_shape(prs, CHART)) == said[f"{CHART}#alt"]
    assert "(à revoir)" in _slide_of(prs, CHART).notes_slide.notes_text_frame.text
    # bare --force: everything, the notes too
    run = invoke("update", spec, "--deck", edited, "-o", out, "--force", "-q")
    assert run.code == 0 and "conflit :" not in run.output and "0 conflit" in run.output
    notes_text = _slide_of(Presentation(str(out)), CHART).notes_slide.notes_text_frame.text
    assert "(à revoir)" not in notes_text and notes_text == _fresh(spec)[NOTES][0]
    # a key that is no element: a one-line reason, exit 2
    run = invoke("update", spec, "--deck", edited, "--force", f"{SOCIAL}#callout-1-valeur")
    assert run.code == 2 and f"did you mean {VALUE}?" in run.output
    assert "Traceback" not in run.output and len(run.output.strip().splitlines()) == 1


def test_a_chart_whose_data_the_team_edited_is_reported_with_the_figures_force_writes(
    seed, tmp_path
):
    """Edited through "Edit data": the chart's cached value changed. The conflict names
    the chart's figures as they would be written, and --force KEY writes them."""
    c = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"

    def edit(prs):
        part = _shape(prs, CHART).chart_part
        part._element.find(f".//{c}val//{c}pt/{c}v").text = "0.5"

    spec, edited = _project(seed, tmp_path, edit)
    _one_answer_changed(tmp_path / "project")
    report = deckgen.load(spec).update(edited, tmp_path / "u.pptx")
    (conflict,) = report.of("conflict")
    assert conflict.key == CHART and conflict.old.startswith("Facebook 50\u202f%")
    assert conflict.new.startswith("Facebook 100\u202f%, YouTube 74\u202f%")
    assert conflict.line().endswith(f"(--force {CHART} écrit « {conflict.new} »)")
    forced = deckgen.load(spec).update(edited, tmp_path / "f.pptx", force=[CHART])
    prs = Presentation(str(forced.path))
    assert (
        _chart_values(_slide_of(prs, CHART), _shape(prs, CHART)._element)
        == (_fresh(spec)[CHART][0])
    )


def test_a_retyped_figure_s_alternative_text_and_notes_say_the_team_s_figure(seed, tmp_path):
    """Les moyens: the notes give 97 % once: they now give the team's 9 %, as do the
    callout's alternative text and the footnote (which names the callout's base).
    Social networks: the notes give 74 % twice after the change (the callout and
    YouTube): the team's 80 % cannot be put in without guessing which, so the notes
    are flagged; the alternative text and the footnote say 80 %."""

    def edit(prs):
        _shape(prs, MOYENS).text_frame.paragraphs[0].runs[0].text = "9 %"
        _shape(prs, VALUE).text_frame.paragraphs[0].runs[0].text = "80\u202f%"

    spec, edited = _project(seed, tmp_path, edit)
    _one_answer_changed(tmp_path / "project")
    report = deckgen.load(spec).update(edited, tmp_path / "u.pptx")
    prs = Presentation(str(report.path))
    moyens_notes = _slide_of(prs, MOYENS).notes_slide.notes_text_frame.text
    assert "Chiffre clé\u202f: 9 % des collectivités" in moyens_notes
    assert "97\u202f%" not in moyens_notes
    assert _alt(_shape(prs, MOYENS)).startswith("9 % des collectivités ont")
    assert _alt(_shape(prs, VALUE)).startswith("80\u202f% des collectivités utilisent")
    # the footnotes name each callout's figure with its base: the team's figure there too
    moyens_footnote = _shape(prs, "les-moyens#footnote").text_frame.text
    assert "« 9 % » : Base" in moyens_footnote and "97\u202f%" not in moyens_footnote
    social_footnote = _shape(prs, f"{SOCIAL}#footnote").text_frame.text
    assert "« 80\u202f% » : Base\u202f: 31" in social_footnote, social_footnote
    (flag,) = report.of("flag")
    assert flag.key == NOTES and flag.slide.startswith("diapositive 10 ")
    assert "80\u202f% (chiffre clé 1)" in flag.line() and "74\u202f%" in flag.line()
