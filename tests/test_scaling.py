"""Builds that scale: light imports, linear part naming that stays valid.

No timing here (bench/run.py measures); these tests pin what makes builds fast
without making them wrong:
- the CLI imports no heavy library up front, and a full build never imports
  matplotlib (only `deckgen images` needs it);
- the speed-ups' part naming (deckgen.render.speedups) gives unique, contiguous part
  names whose relationships and content types all agree, also when the package
  already had parts, and python-pptx's own names when it has gaps; with the
  relationship index and counted slide ids it writes the very package
  python-pptx writes;
- linear freeform drawing writes the same XML as python-pptx, and the group
  extents are python-pptx's;
- the one-pass save writes the bytes of save + normalize.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import textwrap
import zipfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _make_spec_module():
    spec = importlib.util.spec_from_file_location(
        "bench_make_spec", ROOT / "bench" / "make_spec.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_python(code: str) -> dict:
    """Run `code` in a fresh interpreter (cwd: the project); it prints one JSON line."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- (a) imports -------------------------------------------------------------------

HEAVY = (
    "matplotlib",
    "pandas",
    "numpy",
    "pptx",
    "lxml",
    "openpyxl",
    "xlsxwriter",
    "pydantic",
    "yaml",
    "rich",
)


def test_cli_import_loads_no_heavy_library():
    loaded = _run_python(f"""
        import json, sys
        import deckgen.cli
        print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
    """)
    assert loaded == []


def test_commands_that_write_no_deck_do_not_load_python_pptx(tmp_path: Path):
    """The figures table with its CSV, and the schema to a file, write through
    deckgen.files: python-pptx is for decks only."""
    loaded = _run_python(f"""
        import json, sys
        from deckgen import cli
        cli.run(["indicators", "config/barometre-2021.yaml", "--csv", {str(tmp_path / "i.csv")!r}])
        cli.run(["schema", "-o", {str(tmp_path / "schema.json")!r}])
        print(json.dumps([m for m in ("pptx", "lxml", "matplotlib") if m in sys.modules]))
    """)
    assert loaded == []
    assert (tmp_path / "i.csv").exists() and (tmp_path / "schema.json").exists()


def test_full_build_does_not_import_matplotlib(tmp_path: Path):
    spec = _make_spec_module().write_spec(
        8, tmp_path / "small.yaml"
    )  # every chart type, map included
    out = tmp_path / "small.pptx"
    result = _run_python(f"""
        import json, sys
        from deckgen.cli import guarded
        # as the `deckgen` command runs it
        code = guarded(["build", {str(spec)!r}, "-o", {str(out)!r}, "-q"], one_shot=True)
        print(json.dumps({{
            "exit": code,
            "matplotlib": sorted(m for m in sys.modules if m.split(".")[0] == "matplotlib"),
            # chart images (matplotlib) and previews (LibreOffice) are other commands
            "others": sorted(m for m in ("deckgen.render.images", "deckgen.preview",
                                        "deckgen.watch") if m in sys.modules),
            # output to a pipe is plain text: rich colours terminals only
            "rich": "rich" in sys.modules,
            # a one-shot command runs without the cycle collector (see deckgen.cli.run)
            "gc": __import__("gc").isenabled(),
        }}))
    """)
    assert result == {"exit": 0, "matplotlib": [], "others": [], "rich": False, "gc": False}
    assert out.exists()


def test_the_cycle_collector_is_off_only_for_a_one_shot_build(tmp_path: Path):
    """Only `deckgen build`'s own process goes without it: other commands (`images`
    keeps matplotlib figures, which only the collector frees; `watch` runs for
    hours) and a program calling deckgen keep it."""
    out = tmp_path / "deck.pptx"
    result = _run_python(f"""
        import gc, json
        from deckgen import cli
        cli.run(["schema", "-o", {str(tmp_path / "schema.json")!r}], one_shot=True)
        other_command = gc.isenabled()
        cli.run(["build", "config/barometre-2021.yaml", "-o", {str(out)!r}, "-q"])
        build_in_a_program = gc.isenabled()
        print(json.dumps({{"other_command": other_command,
                          "build_in_a_program": build_in_a_program}}))
    """)
    assert result == {"other_command": True, "build_in_a_program": True}
    assert out.exists()


# -- (b), (c) part names -------------------------------------------------------------

_NUMBERED = {
    "slide": re.compile(r"^ppt/slides/slide(\d+)\.xml$"),
    "notes": re.compile(r"^ppt/notesSlides/notesSlide(\d+)\.xml$"),
    "chart": re.compile(r"^ppt/charts/chart(\d+)\.xml$"),
    "xlsx": re.compile(r"^ppt/embeddings/Microsoft_Excel_Sheet(\d+)\.xlsx$"),
}
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def package_numbers(data: bytes) -> dict[str, list[int]]:
    """Check the package's integrity; return the sorted numbers of each numbered part.

    Asserts: no duplicate zip entry; every internal relationship target exists;
    every content-type override names an existing part, and every part has a
    content type (override or default by extension).
    """
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        duplicates = [n for n, k in Counter(names).items() if k > 1]
        assert duplicates == [], f"duplicate part names: {duplicates[:10]}"
        present = set(names)
        types = etree.fromstring(zf.read("[Content_Types].xml"))
        overrides = {el.get("PartName").lstrip("/") for el in types.iter(f"{_CT}Override")}
        defaults = {el.get("Extension").lower() for el in types.iter(f"{_CT}Default")}
        assert sorted(overrides - present) == [], "content-type overrides without a part"
        untyped = [
            n
            for n in names
            if n != "[Content_Types].xml"
            and n not in overrides
            and n.rsplit(".", 1)[-1].lower() not in defaults
        ]
        assert untyped == [], f"parts without a content type: {untyped[:10]}"
        for rels in (n for n in names if n.endswith(".rels")):
            source_dir = posixpath.dirname(
                posixpath.dirname(rels)
            )  # ppt/slides/_rels/x.rels -> ppt/slides
            for rel in etree.fromstring(zf.read(rels)).iter(f"{_REL}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = rel.get("Target")
                path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(source_dir, target))
                )
                assert path in present, f"{rels}: {rel.get('Id')} points to missing {path}"
    numbers: dict[str, list[int]] = {}
    for kind, pattern in _NUMBERED.items():
        numbers[kind] = sorted(int(m.group(1)) for n in names if (m := pattern.match(n)))
    return numbers


def _contiguous(numbers: list[int], count: int) -> bool:
    return numbers == list(range(1, count + 1))


@pytest.fixture(scope="module")
def deck60(tmp_path_factory):
    from deckgen.workflows.pipeline import build

    folder = tmp_path_factory.mktemp("deck60")
    spec = _make_spec_module().write_spec(60, folder / "deck60.yaml")
    report = build(spec, folder / "deck60.pptx")
    return report


def test_linear_part_names_are_unique_contiguous_and_consistent(deck60):
    slides = deck60.plan.slides
    native = sum(
        1 for s in slides for c in s.charts if c.type != "map"
    )  # the map is drawn with shapes
    assert len(slides) == 60 and native > 40
    numbers = package_numbers(deck60.path.read_bytes())
    assert _contiguous(numbers["slide"], 60)
    assert _contiguous(numbers["notes"], sum(1 for s in slides if s.notes)), numbers["notes"]
    assert _contiguous(numbers["chart"], native), numbers["chart"]
    assert _contiguous(numbers["xlsx"], native), numbers["xlsx"]


def test_fast_partnames_continues_numbering_of_an_existing_deck(deck60, tmp_path: Path):
    """Open a saved deck with charts and notes, add more: numbering goes on, no collision."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from deckgen.render import speedups

    before = package_numbers(deck60.path.read_bytes())
    prs = Presentation(str(deck60.path))
    ids_before = [s.slide_id for s in prs.slides]
    stack = contextlib.ExitStack()
    stack.enter_context(speedups.applied(prs))
    layout = prs.slide_layouts[0]
    added = 5
    for i in range(added):
        slide = prs.slides.add_slide(layout)
        data = CategoryChartData()
        data.categories = ["a", "b", "c"]
        data.add_series("s", (0.1 * i, 0.2, 0.3))
        slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_CLUSTERED, Inches(1), Inches(1), Inches(4), Inches(3), data
        )
        slide.notes_slide.notes_text_frame.text = f"notes {i}"
    # a kind of part the package does not have yet starts at 1
    assert (
        str(prs.part.package.next_partname("/ppt/deckgen/item%d.xml")) == "/ppt/deckgen/item1.xml"
    )
    stack.close()
    buffer = io.BytesIO()
    prs.save(buffer)
    after = package_numbers(buffer.getvalue())  # also asserts uniqueness and valid relationships
    for kind in ("slide", "notes", "chart", "xlsx"):
        expected = before[kind] + list(range(max(before[kind]) + 1, max(before[kind]) + added + 1))
        assert after[kind] == expected, (kind, after[kind][-8:])
    reopened = Presentation(io.BytesIO(buffer.getvalue()))
    assert len(reopened.slides) == 60 + added
    ids = [s.slide_id for s in reopened.slides]
    assert ids[:60] == ids_before and ids[60:] == list(
        range(max(ids_before) + 1, max(ids_before) + added + 1)
    )
    rids = [
        el.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for el in reopened.part._element.sldIdLst
    ]
    assert len(set(rids)) == len(rids)
    assert reopened.slides[-1].notes_slide.notes_text_frame.text == f"notes {added - 1}"


def test_part_names_follow_python_pptx_rule_when_names_have_gaps():
    """With only chart7.xml, python-pptx names the next charts 2, 3, 4, 5, 6, then 1
    (the first free of count+1, count, ..., 1), then 8: the speed-ups give the same.
    (Slides are named by python-pptx's own count of slides, not by this rule.)"""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.opc.packuri import PackURI

    from deckgen.render import speedups

    def names(fast: bool) -> list[str]:
        prs = Presentation()
        shapes = prs.slides.add_slide(prs.slide_layouts[6]).shapes
        data = CategoryChartData()
        data.categories = ["a"]
        data.add_series("s", (1,))

        def chart():
            return shapes.add_chart(XL_CHART_TYPE.PIE, 0, 0, 100, 100, data).chart

        chart().part.partname = PackURI("/ppt/charts/chart7.xml")  # a gap, as after a deletion
        with speedups.applied(prs) if fast else contextlib.nullcontext():
            added = [chart() for _ in range(8)]
        return ["chart7"] + [str(c.part.partname).split("/")[-1][:-4] for c in added]

    stock = names(fast=False)
    assert stock == [f"chart{n}" for n in (7, 2, 3, 4, 5, 6, 1, 8, 9)]
    assert names(fast=True) == stock


def _deck_by_hand(fast: bool) -> bytes:
    """20 slides with a chart and notes, python-pptx's way or with the linear bookkeeping."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from deckgen.files import normalize
    from deckgen.render import speedups

    prs = Presentation()
    stack = contextlib.ExitStack()
    if fast:
        stack.enter_context(speedups.applied(prs))
    for i in range(20):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"slide {i}"
        data = CategoryChartData()
        data.categories = ["a", "b"]
        data.add_series("s", (i / 20, 0.5))
        slide.shapes.add_chart(XL_CHART_TYPE.PIE, Inches(1), Inches(2), Inches(4), Inches(3), data)
        slide.notes_slide.notes_text_frame.text = f"notes {i}"
        # relating twice to the same part reuses the relationship (the index's hit path)
        assert prs.part.relate_to(
            slide.part, "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
        ) == prs.part._element.sldIdLst[-1].get(
            "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        )
    stack.close()
    buffer = io.BytesIO()
    prs.save(buffer)
    return normalize(buffer.getvalue())


def test_linear_bookkeeping_writes_the_package_python_pptx_writes():
    """Part names, relationship ids and slide ids: the same bytes, without the n^2."""
    assert _deck_by_hand(fast=True) == _deck_by_hand(fast=False)


def test_relationship_index_survives_a_dropped_relationship():
    from pptx import Presentation

    from deckgen.render import speedups

    prs = Presentation()
    speedups._fast_relationships(prs)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    rel_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide"
    rId = prs.part.relate_to(slide.part, rel_type)
    prs.part.rels.pop(rId)  # gone: the index must not answer with it
    again = prs.part.relate_to(slide.part, rel_type)
    assert again in prs.part.rels and prs.part.rels[again].target_part is slide.part
    assert prs.part.relate_to(slide.part, rel_type) == again


def test_build_writes_the_bytes_python_pptx_alone_would_write(tmp_path: Path):
    """All the speed-ups together change no byte: a deck with every chart type and
    the map, rendered by unpatched python-pptx and normalized, equals the build."""
    spec = _make_spec_module().write_spec(16, tmp_path / "sixteen.yaml")
    result = _run_python(f"""
        import io, json
        from deckgen import files
        from deckgen.workflows.pipeline import build, load, plan
        from deckgen.errors import Warnings
        from deckgen.render.properties import set_properties
        from deckgen.render.slides import render_deck
        from deckgen.render.template import open_template

        loaded = load({str(spec)!r})
        prs = open_template(loaded.template)  # no speed-ups session: python-pptx's own code
        deck, _ = plan(loaded, Warnings())
        elements = {{}}
        render_deck(prs, deck, loaded.theme, Warnings(), template_name=str(loaded.template),
                    records=elements)
        set_properties(prs, loaded.spec.deck.title, loaded.spec.deck.subtitle)
        from deckgen.render import manifest
        from deckgen.workflows.pipeline import manifest as deck_manifest
        manifest.write(prs, deck_manifest(deck, elements))
        buffer = io.BytesIO()
        prs.save(buffer)
        plain = files.normalize(buffer.getvalue())
        built = build({str(spec)!r}, {str(tmp_path / "built.pptx")!r}).path.read_bytes()
        print(json.dumps({{"same": plain == built, "size": len(built)}}))
    """)
    assert result["same"] and result["size"] > 100_000


# -- linear freeforms ----------------------------------------------------------------


def test_linear_freeforms_write_the_same_xml_as_python_pptx():
    from lxml import etree
    from pptx import Presentation

    from deckgen.render import speedups

    def draw(fast: bool) -> bytes:
        prs = Presentation()
        with speedups.applied(prs) if fast else contextlib.nullcontext():
            shapes = prs.slides.add_slide(prs.slide_layouts[6]).shapes
            builder = speedups.build_freeform(shapes, 1000, 2000)
            assert (type(builder).__name__ == "LinearFreeformBuilder") == fast
            builder.add_line_segments([(5000, 800), (9000, 7000), (3000, 9000)], close=True)
            builder.move_to(4000, 4000)
            builder.add_line_segments([(4500, 4000), (4500, 4500)], close=True)
            return etree.tostring(builder.convert_to_shape(10, 20)._element)

    plain = draw(fast=False)
    assert draw(fast=True) == plain and len(plain) > 500


# -- one-pass save ----------------------------------------------------------------------


def test_save_normalized_gives_the_bytes_of_save_then_normalize(deck60):
    from pptx import Presentation

    from deckgen.files import normalize
    from deckgen.render import speedups

    prs = Presentation(str(deck60.path))
    prs.slides.add_slide(prs.slide_layouts[0]).notes_slide.notes_text_frame.text = "one more"
    buffer = io.BytesIO()
    prs.save(buffer)
    assert speedups.save(prs) == normalize(buffer.getvalue())  # no session: save + normalize
    with speedups.applied(prs):
        assert speedups.save(prs) == normalize(buffer.getvalue())  # one pass
    # and what the build wrote is already normalized
    assert normalize(deck60.path.read_bytes()) == deck60.path.read_bytes()


def test_fast_groups_gives_python_pptx_group_extents(tmp_path: Path):
    """The regions map is a group: its extents, read the fast way, are python-pptx's."""
    from pptx import Presentation
    from pptx.oxml.ns import qn

    from deckgen.render import speedups
    from deckgen.workflows.pipeline import build

    spec = _make_spec_module().write_spec(7, tmp_path / "seven.yaml")  # the 7th slide is the map
    python_pptx = speedups.originals()["_child_extents"].fget
    prs = Presentation(str(build(spec, tmp_path / "seven.pptx").path))
    groups = [g for slide in prs.slides for g in slide.shapes._spTree.iter(qn("p:grpSp"))]
    assert groups
    with speedups.applied(prs):
        from pptx.oxml.shapes.groupshape import CT_GroupShape

        assert CT_GroupShape._child_extents.fget is not python_pptx  # the fast one, here
        for group in groups:
            fast = list(group._child_extents)
            assert fast == list(python_pptx(group)) and fast[2] > 0


def test_large_data_benchmark_computes_every_indicator_on_the_generated_table(tmp_path: Path):
    """bench/large_data.py on a small table: it generates consistent respondents,
    loads them through deckgen and computes the deck's indicators on them (no
    result cache: the base of the count is the generated number of rows)."""
    out = tmp_path / "large.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "large_data.py"),
            "--rows",
            "300",
            "--csv",
            str(tmp_path / "responses.csv"),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    figures = json.loads(out.read_text())
    assert figures["rows"] == 300 and figures["indicators"] >= 40
    assert figures["indicators_s"] > 0 and figures["read_csv_s"] > 0
    if importlib.util.find_spec("pyarrow") is not None:  # medians of 3 interleaved rounds
        import statistics

        rounds = figures["rounds"]
        assert all(len(times) == 3 for times in rounds.values()) and len(rounds) == 4
        assert figures["rounds_system_cpu"].keys() == rounds.keys()
        for name in ("arrow_read", "parquet_read", "parquet_load"):
            assert figures[f"{name}_s"] == statistics.median(rounds[name])
        assert figures["load_survey_s"] == statistics.median(rounds["load_survey"])


def test_personal_benchmark_compares_the_jobs_at_scale_from_its_rounds(tmp_path, monkeypatch):
    """bench/personal.py's slice of 350 decks, --jobs 1 against --jobs 2: builds taken in
    turns, the medians of each compared, the decks of the two compared byte for byte
    (the builds stand in: a fake `deckgen` that writes decks and says its time)."""
    spec = importlib.util.spec_from_file_location("bench_personal", ROOT / "bench" / "personal.py")
    personal = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(personal)
    walls = {"1": iter([9.0, 7.0, 8.0]), "2": iter([5.0, 4.0, 6.5])}  # each round's
    order = []

    def fake(spec_path, out, *options):
        jobs = options[options.index("--jobs") + 1]
        assert options[options.index("--shard") + 1] == "1/100"
        order.append(jobs)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("a", "b"):  # the third round's --jobs 2 decks differ in one deck
            text = "y" if jobs == "2" and len(order) == 6 and name == "b" else "x"
            (out / f"{name}.pptx").write_text(text)
        return {"wall_s": next(walls[jobs]), "decks": 2}

    monkeypatch.setattr(personal, "deckgen", fake)
    monkeypatch.setattr(personal, "WORK", tmp_path)
    wide = personal.parallel_at_scale(tmp_path / "spec.yaml", 3)
    assert order == ["1", "2", "2", "1", "1", "2"]  # in turns, first one then the other
    assert wide["jobs1_wall_s"] == 8.0 and wide["jobs_wall_s"] == 5.0  # medians
    assert wide["speedup"] == 1.6 and wide["decks"] == 2
    assert wide["decks_differing"] == 1
