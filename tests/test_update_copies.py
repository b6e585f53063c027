"""`deckgen update` refreshes every copy of an element (issue 24, step 1).

The team duplicates a slide (python-pptx, the PowerPoint-compatible engine's own
"duplicate slide", a LibreOffice round trip after it) or pastes a chart twice:
two shapes carry one key. Whatever their order (the copy before the original or
after it), each is updated, the report says so once ("also on slide 29, a
copy"), and the original's notes are never reported deleted. The figures are
read from the chart XML and the shapes' text directly, and compared with a fresh
build of the changed data.
"""

from __future__ import annotations

import copy
import io
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

import deckgen

from .helpers import flat, project_copy
from .test_update import _another_left_social_networks, _one_answer_changed

SOCIAL = "les-reseaux-sociaux-pour-la"  # slide 10: a chart, a callout 77 %, a footnote, notes
_C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The seed deck built, then the data changed, and a fresh build's figures."""
    from deckgen.workflows.pipeline import build, load

    root = tmp_path_factory.mktemp("copies")
    spec = project_copy(root)
    deck = deckgen.load(spec).build(root / "deck.pptx").path
    _one_answer_changed(root)
    buffer = io.BytesIO()
    build(load(spec), buffer, strict_expect=False)
    return root, spec, deck, _shown(Presentation(io.BytesIO(buffer.getvalue())))


# -- what a deck shows, read from its XML ---------------------------------------------


def _chart_values(slide, frame) -> list[list[float]]:
    """The values cached in a chart's XML, series by series (what viewers draw), to 12
    digits (LibreOffice writes 15)."""
    rid = frame.find(".//" + _C + "chart").get(_R + "id")
    root = etree.fromstring(slide.part.related_part(rid).blob)
    return [
        [
            round(float(v.text), 12)
            for v in ser.iter(_C + "v")
            if v.getparent().getparent().tag == _C + "numCache"
        ]
        for ser in root.iter(_C + "ser")
    ]


def _shown(prs) -> dict[str, list]:
    """{key: [what each shape carrying the key shows, in deck order]}: a chart's
    cached values, a text's text, and the notes of each slide holding the key."""
    out: dict[str, list] = {}
    for slide in prs.slides:
        keys = set()
        for shape in flat(slide.shapes):
            if not shape.name.endswith("]") or " [" not in shape.name:
                continue
            key = shape.name.rsplit(" [", 1)[1][:-1]
            keys.add(key.split("#")[0])
            if shape.has_chart:
                value = _chart_values(slide, shape._element)
            elif shape.shape_type == 6:  # the map: its regions' colours and texts
                value = [
                    (child.name, fill.get("val").upper() if fill is not None else None)
                    for child in shape.shapes
                    for fill in [child._element.find(f"{_P}spPr/{_A}solidFill/{_A}srgbClr")]
                ] + [t.text for t in shape._element.iter(_A + "t")]
            else:
                value = shape.text_frame.text
            out.setdefault(key, []).append(value)
        for slide_key in keys:
            if slide.has_notes_slide:
                text = slide.notes_slide.notes_text_frame.text
                out.setdefault(f"{slide_key}#notes", []).append(text)
    return out


# -- what the team does -----------------------------------------------------------------


def _duplicate(prs, slide, at: int, notes: bool = True):
    """A copy of `slide` at place `at` (from 0), as PowerPoint's "Duplicate slide"
    makes it: its shapes, a chart part (and workbook) of its own for each chart,
    its notes (or none)."""
    from pptx.parts.chart import ChartPart

    package = prs.part.package
    twin = prs.slides.add_slide(slide.slide_layout)
    tree = twin.shapes._spTree
    for element in list(tree)[2:]:
        tree.remove(element)
    renamed: dict[str, str] = {}
    for rid, rel in slide.part.rels.items():
        if rel.reltype == RT.CHART:
            old = rel.target_part
            blob = etree.fromstring(old.blob)
            for external in blob.findall(_C + "externalData"):
                blob.remove(external)
            part = ChartPart.load(
                package.next_partname(ChartPart.partname_template),
                old.content_type,
                package,
                etree.tostring(blob),
            )
            part.chart_workbook.update_from_xlsx_blob(old.chart_workbook.xlsx_part.blob)
            renamed[rid] = twin.part.relate_to(part, RT.CHART)
        elif rel.reltype not in (RT.SLIDE_LAYOUT, RT.NOTES_SLIDE):
            renamed[rid] = twin.part.relate_to(rel.target_part, rel.reltype)
    for element in list(slide.shapes._spTree)[2:]:
        element = copy.deepcopy(element)
        for node in element.iter():
            for name in (_R + "id", _R + "embed", _R + "link"):
                if node.get(name) in renamed:
                    node.set(name, renamed[node.get(name)])
        tree.append(element)
    if notes and slide.has_notes_slide:
        frame = twin.notes_slide.notes_text_frame
        frame.text = slide.notes_slide.notes_text_frame.text
    ids = prs.slides._sldIdLst
    entry = ids[-1]
    ids.remove(entry)
    ids.insert(at, entry)
    return twin


def _slide_of(prs, key: str):
    return next(s for s in prs.slides if any(sh.name.endswith(f"[{key}]") for sh in flat(s.shapes)))


def _edited(base, tmp_path, edit, name="edited.pptx") -> Path:
    prs = Presentation(str(base[2]))
    edit(prs)
    out = tmp_path / name
    prs.save(str(out))
    return out


def _aspose_duplicate(deck: Path, out: Path, slide: int, at: int) -> Path:
    """The PowerPoint-compatible engine's own "duplicate slide" (`insert_clone`), and its
    save (its evaluation build adds an "Evaluation only." text box to every slide)."""
    from .conftest import rendering_in
    from .test_two_clients import _missing

    rendering_in("the PowerPoint-compatible engine")

    script = (
        "import sys\nimport aspose.slides as slides\n"
        "with slides.Presentation(sys.argv[1]) as deck:\n"
        "    deck.slides.insert_clone(int(sys.argv[4]), deck.slides[int(sys.argv[3])])\n"
        "    deck.save(sys.argv[2], slides.export.SaveFormat.PPTX)\n"
    )
    try:
        import aspose.slides  # noqa: F401
    except Exception as exc:  # noqa: BLE001  (not installed, or its runtime does not load)
        _missing(f"Aspose.Slides (a PowerPoint-compatible engine) does not load here: {exc}")
    proc = subprocess.run(
        [sys.executable, "-c", script, str(deck), str(out), str(slide), str(at)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _lo_round_trip(deck: Path, folder: Path) -> Path:
    from .test_update import _round_trip

    return _round_trip(deck, folder)


# -- the checks -------------------------------------------------------------------------


def _every_copy_is_fresh(report, fresh: dict[str, list], copies: dict[str, int]) -> None:
    """Each shape of each key shows the fresh build's figures; `copies`: how many
    shapes the deck should hold of a key, where more than one."""
    shown = _shown(Presentation(str(report.path)))
    for key, values in fresh.items():
        if key.endswith("#notes"):
            assert len(shown[key]) == copies.get(key, 1), key
            for text in shown[key]:
                assert text.startswith(values[0]), key
            continue
        assert shown[key] == values * copies.get(key, 1), key


def _social_keys(fresh) -> list[str]:
    return [k for k in fresh if k.startswith(f"{SOCIAL}#")]


@pytest.mark.parametrize("at", [10, 1], ids=["copy-after", "copy-first"])
def test_a_duplicated_slide_is_updated_in_both_places(base, tmp_path, at):
    root, spec, _, fresh = base

    def edit(prs):
        _duplicate(prs, _slide_of(prs, f"{SOCIAL}#chart-1"), at)

    edited = _edited(base, tmp_path, edit)
    report = deckgen.load(spec).update(edited, tmp_path / "u.pptx")
    keys = _social_keys(fresh)
    _every_copy_is_fresh(report, fresh, dict.fromkeys(keys, 2))
    assert not report.of("deleted") and not report.of("conflict")
    copies = report.of("copy")
    moved = {c.key for c in report.of("updated")}
    elements = {f"{SOCIAL}#{e}" for e in ("chart-1", "callout-1-value", "footnote", "notes")}
    assert {c.key for c in copies} == moved == elements
    copy_place = at + 1  # where the copy is, from 1
    said = {c.line().rsplit(" : ", 1)[1] for c in copies}
    assert said == {f"aussi sur la diapositive {copy_place}, une copie"}


def test_a_copy_without_notes_placed_first_leaves_the_original_s_notes_updated(base, tmp_path):
    """python-pptx's copy has no notes page; put first, it used to take the original's
    place: the original's notes were reported "deleted" and left stale."""
    _, spec, _, fresh = base

    def edit(prs):
        _duplicate(prs, _slide_of(prs, f"{SOCIAL}#chart-1"), 0, notes=False)

    report = deckgen.load(spec).update(_edited(base, tmp_path, edit), tmp_path / "u.pptx")
    assert not report.of("deleted")
    keys = [k for k in _social_keys(fresh) if not k.endswith("#notes")]
    _every_copy_is_fresh(report, fresh, dict.fromkeys(keys, 2))
    notes = [c for c in report.of("updated") if c.key == f"{SOCIAL}#notes"]
    assert len(notes) == 1 and notes[0].slide.startswith("diapositive 10 ")


def test_a_chart_pasted_twice_is_updated_twice(base, tmp_path):
    """The social chart pasted onto the title slide, once more beside itself, and that
    copy again as a second view of its chart part."""
    _, spec, _, fresh = base
    key = f"{SOCIAL}#chart-1"

    def edit(prs):
        social = _slide_of(prs, key)
        twin = _duplicate(prs, social, 0)  # a slide made of the copy, then reduced to it
        for shape in list(twin.shapes):  # (and the group of the chart with its title)
            if not any(s.name.endswith(f"[{key}]") for s in flat([shape])):
                shape._element.getparent().remove(shape._element)
        again = _duplicate(prs, social, 0)  # and a second chart part, pasted beside it
        pasted = next(s for s in flat(again.shapes) if s.name.endswith(f"[{key}]"))
        rid = pasted._element.find(".//" + _C + "chart").get(_R + "id")
        part = again.part.related_part(rid)
        element = copy.deepcopy(pasted._element)
        element.find(".//" + _C + "chart").set(_R + "id", social.part.relate_to(part, RT.CHART))
        social.shapes._spTree.append(element)
        prs.slides._sldIdLst.remove(prs.slides._sldIdLst[0])  # the slide it came from
        social.shapes._spTree.append(copy.deepcopy(element))  # a second view of that part

    report = deckgen.load(spec).update(_edited(base, tmp_path, edit), tmp_path / "u.pptx")
    shown = _shown(Presentation(str(report.path)))
    assert shown[key] == fresh[key] * 4
    assert not report.of("conflict") and not report.of("deleted")
    lines = [c.line() for c in report.of("copy") if c.key == key]
    assert lines and all(line.endswith(", une copie") for line in lines)


def test_a_copy_the_team_retyped_is_theirs_and_the_original_follows_the_data(tmp_path):
    """The team typed the new figure (74 %) into the copy's callout before the data came.
    Quarter 1 (the data give 74 %): a conflict on the copy alone, the original
    updated. Quarter 2 (71 %): the original follows the data; the copy's 74 % is still
    the team's, though deckgen wrote 74 % into the original: each copy remembers what
    deckgen last wrote into it."""
    spec = project_copy(tmp_path)
    deck = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    key = f"{SOCIAL}#callout-1-value"
    prs = Presentation(str(deck))
    twin = _duplicate(prs, _slide_of(prs, key), 27)
    value = next(s for s in flat(twin.shapes) if s.name.endswith(f"[{key}]"))
    value.text_frame.paragraphs[0].runs[0].text = "74\u202f%"
    prs.save(str(tmp_path / "edited.pptx"))
    _one_answer_changed(tmp_path)
    first = deckgen.load(spec).update(tmp_path / "edited.pptx", tmp_path / "q1.pptx")
    (conflict,) = first.of("conflict")
    assert conflict.old == "74\u202f%" and "sa copie en diapositive 28" in conflict.slide
    assert _shown(Presentation(str(first.path)))[key] == ["74\u202f%", "74\u202f%"]
    _another_left_social_networks(tmp_path)  # 22/31: 71 %
    second = deckgen.load(spec).update(first.path, tmp_path / "q2.pptx")
    assert _shown(Presentation(str(second.path)))[key] == ["71\u202f%", "74\u202f%"]
    (conflict,) = [c for c in second.of("conflict") if c.key == key]
    assert "sa copie en diapositive 28" in conflict.slide and conflict.new.startswith("71")


@pytest.mark.clients
@pytest.mark.parametrize("at", [28, 0], ids=["clone-after", "clone-first"])
def test_a_slide_duplicated_by_the_powerpoint_engine_then_libreoffice(base, tmp_path, at):
    """The engine's own duplicate (and its evaluation text box, the team's addition),
    then a LibreOffice round trip of that deck: every copy of every element is fresh."""
    _, spec, deck, fresh = base
    aspose = _aspose_duplicate(deck, tmp_path / "aspose.pptx", 9, at)
    keys = _social_keys(fresh)
    for edited in (aspose, _lo_round_trip(aspose, tmp_path / "lo")):
        report = deckgen.load(spec).update(edited, tmp_path / f"u-{edited.parent.name}.pptx")
        _every_copy_is_fresh(report, fresh, dict.fromkeys(keys, 2))
        assert not report.of("conflict") and not report.of("deleted")
        assert {c.key for c in report.of("copy")} == set(keys) - {f"{SOCIAL}#callout-1-text"}
