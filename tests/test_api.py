"""The library API (deckgen.api), called as a program would, and the commands
built on it and on nothing below it."""

from __future__ import annotations

import pytest

import deckgen
from deckgen.errors import DeckgenError

from .helpers import CODEBOOK, ROOT, SPEC, replace_in
from .imports import graph, imported


def test_a_program_builds_the_deck_without_the_command_line(real_deck, tmp_path):
    project = deckgen.load(SPEC)
    report = project.build(tmp_path / "deck.pptx")
    assert report.path.read_bytes() == real_deck.path.read_bytes()
    assert len(report.plan.slides) == project.slide_count() == 28
    assert deckgen.build(SPEC, tmp_path / "again.pptx").path.read_bytes() == (
        real_deck.path.read_bytes()
    )


def test_validate_figures_and_inputs():
    project = deckgen.load(SPEC)
    warnings = project.validate()
    assert [w.message for w in warnings] == ["small base: 9 collectivités (under 10)"]
    rows = project.figures()
    service = [r for r in rows if r["slide"] == 8 and r["element"] == "callout 1"]
    assert [(r["value"], r["count"], r["base"]) for r in service] == [("97\u202f%", 30, 31)]
    inputs = project.inputs()
    assert inputs[0] == SPEC.resolve()
    assert {p.name for p in inputs} == {
        "barometre-2021.yaml",
        "theme.yaml",
        "codebook.yaml",
        "responses.csv",
        "deckgen-template.pptx",
        "regions.geojson",
    }
    assert all(p.is_absolute() and p.is_file() for p in inputs)


def test_mistakes_are_deckgen_errors(tmp_path):
    with pytest.raises(DeckgenError, match="file not found"):
        deckgen.load(tmp_path / "missing.yaml")
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace(
        "../data/barometre-2021/codebook.yaml", str(CODEBOOK)
    ).replace("theme: theme.yaml", f"theme: {ROOT / 'config' / 'theme.yaml'}").replace(
        "template: ../layouts/deckgen-template.pptx",
        f"template: {ROOT / 'layouts' / 'deckgen-template.pptx'}",
    ), encoding="utf-8")  # fmt: skip
    replace_in(spec, "expect: 97", "expect: 96")
    project = deckgen.load(spec)
    with pytest.raises(DeckgenError) as caught:
        project.validate()
    assert "the data give 97\u202f% but `expect: 96`" in str(caught.value)


def test_schema_lists_the_chart_kinds():
    schema = deckgen.schema()
    assert "map" in schema["$defs"]["Chart"]["properties"]["type"]["enum"]


# -- the commands use the API and nothing below it ----------------------------------

COMMANDS = ("deckgen.cli", "deckgen.watch", "deckgen.preview")
# what a command module may import from deckgen: the public API and the error
# types at its boundary, and the writing of files
PUBLIC = {"deckgen", "deckgen.api", "deckgen.errors", "deckgen.files"}
# the pipeline: what the API hides from the commands (and from images.py)
PIPELINE = {
    "deckgen.workflows.pipeline",
    "deckgen.inputs.spec",
    "deckgen.inputs.codebook",
    "deckgen.analysis.survey",
    "deckgen.analysis.indicators",
    "deckgen.inputs.rules",
    "deckgen.analysis.cache",
    "deckgen.render.template",
    "deckgen.render.speedups",
}


def _deckgen_imports(module: str) -> set[str]:
    """Every deckgen module `module` imports, top-level or inside a function
    (tests/test_imports.py builds the graph)."""
    return graph()[module]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_modules_import_only_the_public_api(name):
    imported = _deckgen_imports(name)
    assert imported <= PUBLIC | {"deckgen.preview", "deckgen.watch"}, imported - PUBLIC
    assert "deckgen.api" in imported


def test_images_draw_a_plan_and_assemble_no_pipeline():
    imported = _deckgen_imports("deckgen.render.images")
    assert not imported & PIPELINE, imported & PIPELINE


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    # the check above can fail: a module importing the pipeline is caught
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f():\n    from .pipeline import plan\n    from deckgen.inputs import spec\n"
    )
    known = dict.fromkeys(["deckgen.workflows.bad", *PIPELINE], bad)
    found = imported("deckgen.workflows.bad", bad, known)
    assert found == {"deckgen.workflows.pipeline", "deckgen.inputs.spec"}


def test_chart_images_do_not_load_python_pptx():
    """The map image reads its geometry from deckgen.render.geo: `deckgen images` draws
    every chart, the map included, without python-pptx."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys, deckgen\n"
        f"images = deckgen.load({str(SPEC)!r}).images(None)\n"
        "print(json.dumps([len(images), sorted(m for m in ('pptx', 'lxml') if m in sys.modules)]))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    count, loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert count >= 25 and loaded == []
