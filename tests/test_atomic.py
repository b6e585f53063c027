"""Atomic output: a failed build never leaves a half-written deck, never loses
the previous one and never leaves temporary files behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deckgen.errors import DataError, OutputError, SpecError
from deckgen.files import write_atomic
from deckgen.workflows.pipeline import build

from .helpers import SMALL_DECKS, deck_header, run_cli, set_cells, write_spec

GOOD = SMALL_DECKS["callouts"]
BAD_EXPECT = [
    {
        "layout": "callouts",
        "title": "Essai",
        "callouts": [
            {
                "indicator": {
                    "kind": "share",
                    "condition": {"question": "logiciel", "in": ["libre"]},
                },
                "text": "utilisent un logiciel libre",
                "expect": 12,
            }
        ],
    }
]


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, bytes]:
    """A deck already built in out/, as after yesterday's `make deck`."""
    target = tmp_path / "out" / "deck.pptx"
    build(write_spec(tmp_path / "good.yaml", GOOD), target)
    return target, target.read_bytes()


def _assert_untouched(target: Path, before: bytes) -> None:
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name], (
        "temporary files left behind"
    )


def test_expect_mismatch_keeps_the_previous_deck(tmp_path: Path, previous):
    target, before = previous
    with pytest.raises(SpecError, match=r"expect: 12"):
        build(write_spec(tmp_path / "bad.yaml", BAD_EXPECT), target)
    _assert_untouched(target, before)


def test_data_error_keeps_the_previous_deck(tmp_path: Path, previous, data_copy: Path):
    target, before = previous
    set_cells(data_copy.parent / "responses.csv", {("C02", "logiciel"): "gratuit"})
    spec = write_spec(tmp_path / "bad.yaml", GOOD, data=str(data_copy))
    with pytest.raises(DataError, match=r"unknown answer `gratuit`.*C02"):
        build(spec, target)
    _assert_untouched(target, before)


def test_failure_while_writing_removes_the_temporary_file(tmp_path: Path, previous, monkeypatch):
    """The disk fills up at the last step (the rename): the temporary file goes,
    the previous deck stays, the error names the file."""
    target, before = previous

    def full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(
        OutputError,
        match=r"cannot write .*deck\.pptx: No space left on device; the previous file is unchanged",
    ):
        build(write_spec(tmp_path / "good2.yaml", GOOD, title="Autre titre"), target)
    monkeypatch.undo()
    _assert_untouched(target, before)


def test_interrupted_write_removes_the_temporary_file(tmp_path: Path, previous, monkeypatch):
    target, before = previous

    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(b"half a deck", target)
    monkeypatch.undo()
    _assert_untouched(target, before)


def test_successful_rebuild_replaces_the_deck_and_leaves_nothing_else(tmp_path: Path, previous):
    target, before = previous
    build(write_spec(tmp_path / "other.yaml", GOOD, title="Un autre titre"), target)
    assert target.read_bytes() != before
    assert sorted(p.name for p in target.parent.iterdir()) == ["deck.pptx"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_parent_is_a_file(tmp_path: Path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    target = blocker / "deck.pptx"
    with pytest.raises(OutputError) as info:
        build(write_spec(tmp_path / "good.yaml", GOOD), target)
    assert str(info.value) == f"cannot write {target}: {blocker} is a file, not a folder"
    assert blocker.read_text() == "not a folder"


def test_directory_in_place_of_the_target(tmp_path: Path):
    target = tmp_path / "deck.pptx"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(
        OutputError, match=r"cannot write .*deck\.pptx: a directory is in its place"
    ):
        build(write_spec(tmp_path / "good.yaml", GOOD), target)
    assert (target / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.pptx", "good.yaml"]


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="running as root: root writes into a 0o555 folder anyway, so the "
    "read-only case cannot be produced (see test_parent_is_a_file)",
)
def test_read_only_folder(tmp_path: Path, previous):
    target, before = previous
    target.parent.chmod(0o555)
    try:
        with pytest.raises(OutputError) as info:
            build(write_spec(tmp_path / "good2.yaml", GOOD, title="Autre"), target)
        assert str(target.parent) in str(info.value)
        assert "previous file is unchanged" in str(info.value)
    finally:
        target.parent.chmod(0o755)
    _assert_untouched(target, before)


def test_cli_output_error_is_one_clean_line(tmp_path: Path):
    blocker = tmp_path / "out"
    blocker.write_text("x")
    spec = write_spec(tmp_path / "good.yaml", GOOD)
    proc = run_cli("build", spec, "-o", blocker / "sub" / "deck.pptx", "-q")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.strip().splitlines() == [
        f"output error: cannot write {blocker / 'sub' / 'deck.pptx'}: {blocker} is a file, not a "
        "folder"
    ]


def test_header_helper_points_at_real_files():
    for key in ("data", "theme", "template"):
        assert Path(deck_header()[key]).is_file(), key


def test_a_target_that_is_not_a_file_is_written_through_not_replaced(tmp_path: Path):
    """A named pipe (like /dev/stdout or /dev/null) keeps being what it is: the
    bytes go into it; a rename over it would have replaced it with a file."""
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_atomic(b"{}\n", pipe)
    reader.join(timeout=10)
    assert received == [b"{}\n"]
    assert pipe.is_fifo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temporary file left
