"""Outputs never touch inputs, links and devices are never renamed over, the deck
can go to the standard output, and SIGTERM leaves no temporary file behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from .helpers import ROOT, invoke, project_copy

SPEC = "config/barometre-2021.yaml"
INPUTS = {
    "the spec": SPEC,
    "the theme": "config/theme.yaml",
    "the codebook": "data/barometre-2021/codebook.yaml",
    "the responses": "data/barometre-2021/responses.csv",
    "the template": "layouts/deckgen-template.pptx",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    project_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / path).read_bytes() for name, path in INPUTS.items()}


@pytest.mark.parametrize("what", list(INPUTS))
def test_build_refuses_to_write_over_an_input(project, what):
    before = _snapshot(project)
    run = invoke("build", SPEC, "-o", INPUTS[what], "-q")
    assert run.code == 2, run.output
    assert run.stderr == (
        f"output error: refusing to write {INPUTS[what]}: it is {what}, an input of this build; "
        "choose another output\n"
    )
    assert _snapshot(project) == before
    assert not list(project.rglob(".*.tmp"))


def test_the_same_file_by_another_path_is_still_an_input(project):
    (project / "alias.csv").symlink_to(project / INPUTS["the responses"])
    before = _snapshot(project)
    for args in (
        ("build", SPEC, "-o", "config/../config/barometre-2021.yaml", "-q"),
        ("build", SPEC, "-o", "alias.csv", "-q"),
        ("indicators", SPEC, "--csv", SPEC),
        ("indicators", SPEC, "--xlsx", INPUTS["the responses"]),
    ):
        run = invoke(*args)
        assert run.code == 2, (args, run.output)
        assert "an input of this build" in run.stderr, args
    assert _snapshot(project) == before
    assert (project / "alias.csv").is_symlink()


def test_an_image_folder_that_is_an_input_file(project):
    before = _snapshot(project)
    run = invoke("images", SPEC, "-o", SPEC, "--png-only")
    assert run.code == 2, run.output
    assert "is a file, not a folder" in run.stderr
    assert _snapshot(project) == before


def test_a_link_is_written_through_not_replaced(project):
    (project / "real.pptx").write_bytes(b"old")
    (project / "link.pptx").symlink_to("real.pptx")
    run = invoke("build", SPEC, "-o", "link.pptx", "-q")
    assert run.code == 0, run.output
    assert (project / "link.pptx").is_symlink()
    assert zipfile.is_zipfile(project / "real.pptx")


def _cli(args: list[str], cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "deckgen", *args], cwd=cwd, env=env, timeout=120, **kwargs
    )


def test_the_deck_to_the_standard_output(project, real_deck):
    proc = _cli(["build", SPEC, "-o", "-", "-q"], project, capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == real_deck.path.read_bytes()
    assert proc.stderr.decode().endswith("built the standard output (28 slides, 26 charts)\n")


def test_dev_stdout_redirected_to_a_file_gets_the_deck_alone(project, real_deck):
    """`-o /dev/stdout > deck.pptx`: the deck's bytes, no message after them, and
    /dev/stdout still the link it was (a rename would replace it, as root)."""
    before = os.readlink("/dev/stdout")
    with open(project / "deck.pptx", "wb") as out:
        proc = _cli(["build", SPEC, "-o", "/dev/stdout", "-q"], project, stdout=out,
                    stderr=subprocess.PIPE)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (project / "deck.pptx").read_bytes() == real_deck.path.read_bytes()
    assert b"built /dev/stdout" in proc.stderr
    assert os.path.islink("/dev/stdout") and os.readlink("/dev/stdout") == before


def test_sigterm_while_writing_leaves_the_previous_deck_and_no_temporary_file(project):
    assert invoke("build", SPEC, "-o", "out/deck.pptx", "-q").code == 0
    previous = (project / "out" / "deck.pptx").read_bytes()
    # the signal arrives while the new deck is being written (in its fsync)
    code = textwrap.dedent(f"""
        import os, signal, sys
        def fsync(fd):
            os.kill(os.getpid(), signal.SIGTERM)
        os.fsync = fsync
        from deckgen import cli
        cli.main(["build", {SPEC!r}, "-o", "out/deck.pptx", "-q"])
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert proc.stderr.endswith("terminated\n")
    assert (project / "out" / "deck.pptx").read_bytes() == previous
    assert [p.name for p in (project / "out").iterdir()] == ["deck.pptx"]


def test_a_very_long_output_name(project):
    name = "d" * 240 + ".pptx"
    run = invoke("build", SPEC, "-o", f"out/{name}", "-q")
    assert run.code == 0, run.output
    assert (project / "out" / name).is_file()
    longer = "d" * 300 + ".pptx"  # past the file system's limit: a clear error
    run = invoke("build", SPEC, "-o", f"out/{longer}", "-q")
    assert run.code == 2
    assert run.stderr.startswith(f"output error: cannot write out/{longer}: File name too long")


def test_init_never_writes_through_a_link_onto_the_survey_or_out_of_its_folder(tmp_path: Path):
    """`init -o out --force` where out/codebook.yaml links to the survey file, and
    out/deck.yaml to a file outside out/: the survey and that file keep their bytes,
    and the two links are replaced by the two files init writes."""
    survey = tmp_path / "answers.csv"
    survey.write_text("id,q\n1,a\n2,b\n3,a\n", encoding="utf-8")
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "codebook.yaml").symlink_to(survey)
    (out / "deck.yaml").symlink_to(outside)
    before = survey.read_bytes()
    run = invoke("init", survey, "-o", out, "--force")
    assert run.code == 0, run.output
    assert survey.read_bytes() == before and outside.read_text(encoding="utf-8") == "keep me"
    for name in ("codebook.yaml", "deck.yaml"):
        assert not (out / name).is_symlink() and (out / name).stat().st_size > 0


def test_a_batch_deck_never_follows_a_link_out_of_its_folder(project):
    """A deck of `build --each` whose name is a link to a file outside the folder:
    the link is replaced by the deck, the file it pointed to is left alone."""
    outside = project / "precious.pptx"
    outside.write_bytes(b"the team's own deck")
    folder = project / "each"
    folder.mkdir()
    (folder / "barometre-2021-commune.pptx").symlink_to(outside)
    run = invoke("build", SPEC, "--each", "type_collectivite", "-o", folder, "-q")
    assert run.code == 0, run.output
    assert outside.read_bytes() == b"the team's own deck"
    deck = folder / "barometre-2021-commune.pptx"
    assert not deck.is_symlink() and zipfile.is_zipfile(deck)
