"""The python-pptx speed-ups stay behind their seam (deckgen.speedups).

- after a build (also a failed one), python-pptx's classes and module globals
  are its own again, and a presentation made afterwards is unpatched;
- on a python-pptx version the suite has not verified, or with
  DECKGEN_NO_SPEEDUPS=1, a build uses stock python-pptx, says so with
  --verbose, and writes the same deck;
- the real deck is the same with and without them, byte for byte.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from deckgen import speedups

from .helpers import ROOT, SPEC, invoke


def _fresh_python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(speedups.ENV_OFF, None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_python_pptx_is_its_own_again_after_a_build(tmp_path: Path):
    """In a fresh process: capture python-pptx's definitions before any build,
    build the real deck (and fail one), then compare every one of them."""
    proc = _fresh_python(f"""
        import sys
        import pptx
        from pptx import Presentation
        from pptx.oxml import ns, xmlchemy
        from pptx.oxml.shapes.groupshape import CT_GroupShape
        from pptx.shapes.freeform import FreeformBuilder
        from deckgen import speedups
        from deckgen.pipeline import build

        def snapshot():
            return {{
                "qn in modules": {{n: m.qn for n, m in sys.modules.items()
                                   if n.startswith("pptx") and hasattr(m, "qn")}},
                "xpath": xmlchemy.BaseOxmlElement.__dict__["xpath"],
                "_child_extents": CT_GroupShape.__dict__["_child_extents"],
                "convert_to_shape": FreeformBuilder.__dict__["convert_to_shape"],
            }}

        before = snapshot()
        assert set(before["qn in modules"].values()) == {{ns.qn}}
        build({str(SPEC)!r}, {str(tmp_path / "deck.pptx")!r})
        prs = Presentation()
        try:
            with speedups.applied(prs):
                assert xmlchemy.BaseOxmlElement.__dict__["xpath"] is not before["xpath"]
                raise RuntimeError("a build that fails half way")
        except RuntimeError:
            pass
        after = snapshot()
        for key in before:
            assert after[key] == before[key], key
        assert speedups.current() is None
        fresh = Presentation()
        assert "next_partname" not in vars(fresh.part.package)
        assert "add_slide" not in vars(fresh.slides)
        print("restored")
    """)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "restored"


def test_nested_sessions_restore_when_the_last_one_leaves():
    from pptx import Presentation
    from pptx.oxml import xmlchemy

    original = speedups.originals()["xpath"]
    outer, inner = Presentation(), Presentation()
    with speedups.applied(outer) as first:
        with speedups.applied(inner) as second:
            assert speedups.current() is second is not first
        assert speedups.current() is first
        assert xmlchemy.BaseOxmlElement.__dict__["xpath"] is not original  # still in a build
    assert xmlchemy.BaseOxmlElement.__dict__["xpath"] is original
    assert speedups.current() is None


def test_the_real_deck_is_the_same_without_the_speed_ups(real_deck, tmp_path, monkeypatch):
    from deckgen.pipeline import build

    monkeypatch.setenv(speedups.ENV_OFF, "1")
    report = build(SPEC, tmp_path / "stock.pptx")
    assert report.notes == [f"python-pptx speed-ups off: {speedups.ENV_OFF} is set"]
    assert report.path.read_bytes() == real_deck.path.read_bytes()


def test_an_unverified_python_pptx_builds_with_stock_code(real_deck, tmp_path, monkeypatch):
    from deckgen.pipeline import build

    monkeypatch.setattr(speedups, "pptx_version", lambda: "1.9.0")
    on, why = speedups.status()
    assert not on
    assert why == (
        "python-pptx speed-ups off: python-pptx 1.9.0 is not a version deckgen was verified "
        f"with ({', '.join(speedups.VERIFIED_PPTX)}); building with stock python-pptx"
    )
    report = build(SPEC, tmp_path / "unverified.pptx")
    assert report.notes == [why]
    assert report.path.read_bytes() == real_deck.path.read_bytes()


def test_verbose_says_how_the_deck_was_built(tmp_path, monkeypatch):
    monkeypatch.setenv(speedups.ENV_OFF, "1")
    run = invoke("build", SPEC, "-o", tmp_path / "d.pptx", "-q", "--verbose")
    assert run.code == 0, run.output
    assert f"python-pptx speed-ups off: {speedups.ENV_OFF} is set" in run.stderr
    quiet = invoke("build", SPEC, "-o", tmp_path / "e.pptx", "-q")
    assert "speed-ups" not in quiet.output


def test_the_verified_version_is_the_installed_one():
    # the suite verifies the version it runs with; a new pin must be verified and listed
    assert speedups.pptx_version() in speedups.VERIFIED_PPTX


@pytest.mark.parametrize("value", ["1", "yes"])
def test_any_value_turns_them_off(value, monkeypatch):
    monkeypatch.setenv(speedups.ENV_OFF, value)
    assert speedups.status()[0] is False
    monkeypatch.delenv(speedups.ENV_OFF)
    assert speedups.status() == (True, "")
