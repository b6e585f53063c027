"""`deckgen update`: new figures into a deck the communications team has edited.

From the built seed deck, a script edits it as a team would (moves and resizes
a chart, recolours a series, changes a data-label font, rewrites a title,
deletes a slide, swaps two, adds its own, writes a speaker note, retypes one
callout's figure), and the deck also goes through a LibreOffice pptx -> pptx
round trip. One respondent's answer changes (social networks: 77 % -> 74 %).
Then every figure of the updated deck must be a fresh build's, every edit
still there, the deleted slide reported and not recreated, and the change
report exactly the figures that moved.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt

import deckgen
from deckgen import manifest
from deckgen.identity import key_of, label_of

from .helpers import invoke, project_copy, set_cells

SOCIAL = "les-reseaux-sociaux-pour-la"  # slide 10: the social-network chart and callout 77 %
DELETED = "identification-des-utilisateurs"  # slide 12, deleted by the team
RETYPED = "les-moyens#callout-1-value"  # a figure the team typed over by hand


def _shape(prs, key: str):
    return next(s for slide in prs.slides for s in slide.shapes if s.name.endswith(f"[{key}]"))


def _slide_of(prs, key: str):
    return next(
        slide for slide in prs.slides if any(s.name.endswith(f"[{key}]") for s in slide.shapes)
    )


def _edit(deck: Path, out: Path) -> None:
    """What a communications team does to the deck."""
    prs = Presentation(str(deck))
    chart = _shape(prs, f"{SOCIAL}#chart-1")
    chart.left, chart.width = chart.left + Inches(0.3), chart.width - Inches(0.5)
    series = chart.chart.plots[0].series[0]
    series.format.fill.solid()
    series.format.fill.fore_color.rgb = RGBColor(0x12, 0x34, 0x56)
    series.data_labels.font.size = Pt(15)
    social = _slide_of(prs, f"{SOCIAL}#chart-1")
    social.shapes.title.text = "Réseaux sociaux : notre titre"
    frame = social.notes_slide.notes_text_frame
    frame.add_paragraph().text = "Note de l'équipe : insister sur Facebook."
    value = _shape(prs, RETYPED)
    value.text_frame.paragraphs[0].runs[0].text = "9 %"  # typed over by hand
    own = prs.slides.add_slide(prs.slide_layouts[0])  # before the deletion: python-pptx
    own.shapes.title.text = "Notre diapositive"  # names a new slide after the count
    ids = prs.slides._sldIdLst
    gone = next(
        s for s in ids if any(
            DELETED in sh.name for sh in prs.part.related_slide(s.rId).shapes
        )
    )  # fmt: skip
    prs.part.drop_rel(gone.rId)
    ids.remove(gone)
    third, fourth = list(ids)[2:4]
    ids.remove(fourth)
    third.addprevious(fourth)  # slides 3 and 4 swapped
    prs.save(str(out))


def _round_trip(deck: Path, folder: Path) -> Path:
    from .conftest import libreoffice_or_skip

    soffice = libreoffice_or_skip()
    folder.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [soffice, "--headless", "--norestore",
         f"-env:UserInstallation={(folder / 'profile').as_uri()}",
         "--convert-to", "pptx", "--outdir", str(folder), str(deck)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    out = folder / deck.name
    assert proc.returncode == 0 and out.is_file(), proc.stderr
    return out


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("update")
    spec = project_copy(root)
    original = deckgen.load(spec).build(root / "deck.pptx").path
    edited = root / "edited.pptx"
    _edit(original, edited)
    set_cells(
        root / "data" / "barometre-2021" / "responses.csv",
        {("C01", "reseaux_sociaux"): "non"}
        | {("C01", f"reseaux_sociaux_plateformes__{p}"): "" for p in
           ("facebook", "youtube", "twitter", "instagram", "tiktok", "snapchat")},
    )  # fmt: skip
    return root, spec, original, edited


@pytest.fixture(scope="module")
def fresh(scenario):
    """A fresh build of the changed data (its `expect: 77` no longer holds, so it is
    built as `update` builds it, going past the published figures)."""
    from deckgen.pipeline import build, load

    root, spec, _, _ = scenario
    buffer = io.BytesIO()
    build(load(spec), buffer, strict_expect=False)
    return Presentation(io.BytesIO(buffer.getvalue()))


@pytest.fixture(scope="module")
def updated(scenario):
    root, spec, _, edited = scenario
    project = deckgen.load(spec)
    plain = project.update(edited, root / "updated.pptx", csv=root / "changes.csv",
                           xlsx=root / "changes.xlsx")  # fmt: skip
    return plain


@pytest.fixture(scope="module")
def round_tripped(scenario):
    root, spec, _, edited = scenario
    lo = _round_trip(edited, root / "lo")
    return deckgen.load(spec).update(lo, root / "updated-lo.pptx")


def _figures(prs) -> dict[str, dict]:
    out = {}
    for slide in prs.slides:
        out.update(manifest.records(slide))
    return out


def _workbook_values(shape) -> list[list]:
    xlsx = shape.chart.part.chart_workbook.xlsx_part
    assert xlsx is not None, shape.name
    sheet = load_workbook(io.BytesIO(xlsx.blob)).active
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def _same_figures(updated_prs, fresh_prs, skip: set[str]) -> None:
    mine, theirs = _figures(updated_prs), _figures(fresh_prs)
    for key, record in theirs.items():
        if key in skip:
            continue
        if key.split("#")[0] == DELETED:
            assert key not in mine
            continue
        if key.endswith("#notes"):
            assert mine[key]["text"].startswith(record["text"]), key
            continue
        assert mine[key] == record, key
        shape = _shape(updated_prs, key)
        if shape.has_chart:
            cells = _workbook_values(shape)
            series = record["series"]
            assert [row[0] for row in cells] == series[0]["categories"], key
            for j, s in enumerate(series):
                assert [row[1 + j] for row in cells] == pytest.approx(s["values"]), key


@pytest.mark.parametrize("which", ["updated", "round_tripped"])
def test_every_figure_is_a_fresh_builds(request, which, fresh, scenario):
    report = request.getfixturevalue(which)
    prs = Presentation(str(report.path))
    _same_figures(prs, fresh, skip={RETYPED})
    # the retyped figure is a conflict, left as the team wrote it
    assert _shape(prs, RETYPED).text_frame.text == "9 %"
    (conflict,) = report.of("conflict")
    assert conflict.element == "callout 1" and conflict.old == "9 %"


@pytest.mark.parametrize("which", ["updated", "round_tripped"])
def test_every_edit_of_the_team_is_kept(request, which, scenario):
    root, _, original, edited = scenario
    report = request.getfixturevalue(which)
    before, after = Presentation(str(original)), Presentation(str(report.path))
    chart = _shape(after, f"{SOCIAL}#chart-1")
    was = _shape(before, f"{SOCIAL}#chart-1")
    # LibreOffice keeps positions to the hundredth of a millimetre (360 EMU)
    assert abs(chart.left - (was.left + Inches(0.3))) <= 360
    assert abs(chart.width - (was.width - Inches(0.5))) <= 360
    series = chart.chart.plots[0].series[0]
    assert series.format.fill.fore_color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert series.data_labels.font.size == Pt(15)
    social = _slide_of(after, f"{SOCIAL}#chart-1")
    assert social.shapes.title.text == "Réseaux sociaux : notre titre"
    notes = social.notes_slide.notes_text_frame.text
    assert notes.endswith("Note de l'équipe : insister sur Facebook.")
    assert "74\u202f%" in notes and "77\u202f%" not in notes  # the generated part is new
    titles = [s.shapes.title.text if s.shapes.title else "" for s in after.slides]
    expected = [
        s.shapes.title.text if s.shapes.title else "" for s in Presentation(str(edited)).slides
    ]
    assert titles == expected and titles[-1] == "Notre diapositive"
    assert len(after.slides) == 28  # 28 - 1 deleted + 1 of the team's
    assert not any(DELETED in s.name for slide in after.slides for s in slide.shapes)


def test_the_change_report_lists_exactly_the_figures_that_moved(updated, scenario, fresh):
    root, _, original, _ = scenario
    before = _figures(Presentation(str(original)))
    after = _figures(fresh)
    moved_elements = {
        key for key in after
        if key.split("#")[0] != DELETED and key != RETYPED and not key.endswith("#notes")
        and manifest_content(before.get(key)) != manifest_content(after[key])
    }  # fmt: skip
    assert moved_elements == {f"{SOCIAL}#chart-1", f"{SOCIAL}#callout-1-value",
                              f"{SOCIAL}#footnote"}  # fmt: skip
    lines = [c.line() for c in updated.of("updated")]
    social = 'slide 10 "Les réseaux sociaux pour la participation"'
    assert f"{social}, callout 1: 77\u202f% → 74\u202f%" in lines
    assert f"{social}, footnote: 24 → 23" in lines
    assert f"{social}, chart 1, Twitter: 63\u202f% → 65\u202f%" in lines
    reported = {c.element.split(",")[0] for c in updated.of("updated") if c.slide == social}
    assert reported == {"chart 1", "callout 1", "footnote", "notes"}
    assert {c.slide for c in updated.of("updated")} == {social}
    deleted = {(c.slide, c.element) for c in updated.of("deleted")}
    twelve = 'slide 12 "Identification des utilisateurs·rices"'
    assert deleted == {(twelve, "chart 1"), (twelve, "footnote")}
    (expect,) = updated.of("expect")
    assert "the data give 74\u202f% but `expect: 77`" in expect.new
    rows = (root / "changes.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "diapositive,élément,avant,après,statut"
    assert len(rows) == 1 + len(updated.changes)
    sheet = load_workbook(root / "changes.xlsx").active
    assert sheet.max_row == 1 + len(updated.changes)


def manifest_content(record):
    return None if record is None else {k: v for k, v in record.items() if k != "alt"}


def test_without_the_round_trip_workbooks_and_alt_texts_are_updated_not_restored(updated):
    assert not updated.of("restored")  # nothing was dropped: nothing to restore


def test_after_the_round_trip_workbooks_and_alt_texts_come_back(round_tripped, fresh):
    restored = round_tripped.of("restored")
    assert sum(c.new == "embedded workbook" for c in restored) >= 20
    assert sum(c.new == "alternative text" for c in restored) >= 40
    prs = Presentation(str(round_tripped.path))
    for slide in prs.slides:
        for shape in slide.shapes:
            if key_of(shape.name) and shape.has_chart:
                assert manifest.alt_text(shape), label_of(shape.name)


def test_the_updated_decks_open_in_libreoffice_and_stay_valid(updated, round_tripped, tmp_path):
    from .conftest import libreoffice_or_skip
    from .helpers import audit, pdf_pages, to_pdf

    soffice = libreoffice_or_skip()
    pdfs = to_pdf(soffice, [updated.path, round_tripped.path], tmp_path)
    for deck in (updated.path, round_tripped.path):
        assert pdf_pages(pdfs[deck]) == len(Presentation(str(deck)).slides) == 28
    report = audit(updated.path)
    assert report["error_count"] == 0, report["errors"][:5]
    # after the round trip: no violation that LibreOffice's own save did not bring
    from collections import Counter

    def found(path):
        return Counter((e["description"], e["node"], e["path"]) for e in audit(path)["errors"])

    lo_input = updated.path.parent / "lo" / "edited.pptx"
    assert lo_input.is_file()
    assert not found(round_tripped.path) - found(lo_input)


def test_unchanged_elements_are_left_byte_for_byte(scenario):
    """Updating a deck with the data it was built from changes nothing at all."""
    from lxml import etree

    root, spec, original, _ = scenario
    folder = root / "again"
    project_copy(folder)
    again = deckgen.load(folder / "config" / "barometre-2021.yaml")
    report = again.update(original, folder / "same.pptx")
    assert report.changes == []
    before, after = Presentation(str(original)), Presentation(str(report.path))
    for a, b in zip(before.slides, after.slides):
        assert etree.tostring(a._element) == etree.tostring(b._element)


def test_in_place_keeps_a_backup_and_dry_run_writes_nothing(scenario, tmp_path):
    root, spec, _, edited = scenario
    deck = tmp_path / "deck.pptx"
    shutil.copy(edited, deck)
    project = deckgen.load(spec)
    dry = project.update(deck, dry_run=True)
    assert dry.path is None and sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx"]
    report = project.update(deck, deck)
    assert report.path == deck and report.backup == tmp_path / "deck.before-update.pptx"
    assert report.backup.read_bytes() == edited.read_bytes()
    assert deck.read_bytes() != edited.read_bytes()


def test_the_command_and_its_mistakes(scenario, tmp_path):
    root, spec, _, edited = scenario
    run = invoke("update", spec, "--deck", edited, "-o", tmp_path / "u.pptx", "-q")
    assert run.code == 0, run.output
    assert "callout 1: 77\u202f% → 74\u202f%" in run.output
    assert "conflict" in run.output and "updated " in run.output
    missing = invoke("update", spec, "--deck", tmp_path / "nope.pptx", "-q")
    assert missing.code == 2 and "no such deck" in missing.output
    plain = tmp_path / "plain.pptx"
    Presentation().save(str(plain))
    foreign = invoke("update", spec, "--deck", plain, "-q")
    assert foreign.code == 2 and "no deckgen manifest in this deck" in foreign.output


def test_slide_ids_are_checked(tmp_path):
    from .helpers import replace_in

    spec = project_copy(tmp_path)
    replace_in(spec, "  - id: repondants-regions\n", "  - id: repondants-profil\n")
    replace_in(spec, "  - id: les-moyens\n", "  - id: mes moyens\n")
    run = invoke("validate", spec)
    assert run.code == 2
    assert (
        'slide 4 "Les répondants": slide id `repondants-profil` is already the id of slide 3: '
        "each slide needs its own" in run.output
    ), run.output
    assert (
        "a slide id is 1 to 64 letters, digits, - and _, starting with a letter or digit, "
        "got `mes moyens`" in run.output
    ), run.output


def test_a_slide_with_figures_but_no_id_is_warned_about(tmp_path):
    from .helpers import replace_in

    spec = project_copy(tmp_path)
    replace_in(spec, "  - id: les-moyens\n    layout:", "  - layout:")
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    (warning,) = [w.message for w in report.warnings.items if "no `id:`" in w.message]
    assert warning.startswith('1 slide(s) with figures but no `id:` (first: slide 8 "Les moyens")')
    # its key comes from its title, and it is in the names all the same
    prs = Presentation(str(report.path))
    assert any(s.name.endswith("[les-moyens#chart-1]") for s in prs.slides[7].shapes)


def test_a_slide_new_in_the_spec_is_reported_or_appended(tmp_path):
    from .helpers import replace_in

    spec = project_copy(tmp_path)
    deck = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    replace_in(
        spec,
        "  - id: merci\n",
        '  - id: nouvelle\n    layout: chart\n    title: "Une diapositive nouvelle"\n'
        "    chart: {type: bar, indicator: {kind: distribution, question: type_collectivite}}\n"
        "  - id: merci\n",
    )
    project = deckgen.load(spec)
    report = project.update(deck, tmp_path / "reported.pptx")
    missing = report.of("missing")
    assert {c.element for c in missing} == {"chart 1", "footnote"}
    assert all(c.slide == 'slide 28 "Une diapositive nouvelle"' for c in missing)
    assert len(Presentation(str(report.path)).slides) == 28  # reported, not added
    added = project.update(deck, tmp_path / "added.pptx", add_missing=True)
    assert {c.status for c in added.changes} == {"added"}
    prs = Presentation(str(added.path))
    assert len(prs.slides) == 29 and prs.slides[28].shapes.title.text == "Une diapositive nouvelle"
    assert any(s.name.endswith("[nouvelle#chart-1]") for s in prs.slides[28].shapes)
    # the next update finds it: nothing missing, nothing to change
    assert project.update(added.path, tmp_path / "again.pptx").changes == []


def test_a_callout_new_on_a_slide_the_deck_has_is_reported_not_a_whole_slide(tmp_path):
    from .helpers import replace_in

    spec = project_copy(tmp_path)
    deck = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    replace_in(
        spec,
        '        text: "des collectivités utilisent les réseaux sociaux pour la participation, '
        'parmi lesquelles :"\n        expect: 77\n',
        '        text: "des collectivités utilisent les réseaux sociaux pour la participation, '
        'parmi lesquelles :"\n        expect: 77\n'
        "      - indicator: {kind: share, condition: {question: reseaux_sociaux, in: [non]}}\n"
        '        text: "des collectivités ne les utilisent pas"\n',
    )
    report = deckgen.load(spec).update(deck, tmp_path / "u.pptx", add_missing=True)
    missing = {c.element for c in report.of("missing")}
    assert missing == {"callout 2", "callout 2 sentence"}, report.changes
    assert not report.of("added")  # its slide is in the deck: no second copy of it
    assert len(Presentation(str(report.path)).slides) == 28


def test_per_point_labels_follow_the_figures(tmp_path):
    """The doughnut hides the label of a slice too thin for it (Région, 1 of 31).
    Three communes become regions: the slice grows, its label must show again,
    while the team's own label font stays."""
    spec = project_copy(tmp_path)
    built = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    prs = Presentation(str(built))
    chart = _shape(prs, "repondants-profil#chart-1").chart
    chart.plots[0].series[0].data_labels.font.size = Pt(13)
    prs.save(str(tmp_path / "edited.pptx"))

    def hidden(shape) -> list[str]:
        return manifest.xpath(shape.chart._chartSpace, "//c:dLbl[c:delete/@val='1']/c:idx/@val")

    assert hidden(_shape(prs, "repondants-profil#chart-1")) == ["4"]  # Région
    responses = tmp_path / "data" / "barometre-2021" / "responses.csv"
    communes = [r.split(",")[0] for r in responses.read_text().splitlines()[1:] if ",commune," in r]
    set_cells(
        responses,
        {(rid, "type_collectivite"): "region" for rid in communes[:3]}
        | {(rid, "dispositifs_existants__conseils_quartier"): "" for rid in communes[:3]},
    )
    report = deckgen.load(spec).update(tmp_path / "edited.pptx", tmp_path / "u.pptx")
    assert report.of("updated")
    after = _shape(Presentation(str(report.path)), "repondants-profil#chart-1")
    buffer = io.BytesIO()
    from deckgen.pipeline import build, load

    build(load(spec), buffer, strict_expect=False)
    fresh = _shape(Presentation(io.BytesIO(buffer.getvalue())), "repondants-profil#chart-1")
    assert "4" not in hidden(after) and hidden(after) == hidden(fresh)
    assert after.chart.plots[0].series[0].data_labels.font.size == Pt(13)
