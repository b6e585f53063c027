"""The python-pptx speed-ups stay behind their seam (deckgen.render.speedups).

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

from deckgen.render import speedups

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
        from deckgen.render import speedups
        from deckgen.workflows.pipeline import build

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
    from deckgen.workflows.pipeline import build

    monkeypatch.setenv(speedups.ENV_OFF, "1")
    report = build(SPEC, tmp_path / "stock.pptx")
    assert report.notes == [f"python-pptx speed-ups off: {speedups.ENV_OFF} is set"]
    assert report.path.read_bytes() == real_deck.path.read_bytes()


def test_an_unverified_python_pptx_builds_with_stock_code(real_deck, tmp_path, monkeypatch):
    from deckgen.workflows.pipeline import build

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


def test_a_finished_slide_is_serialised_and_its_trees_released():
    """Memory stays flat over a long deck: once `finished`, a slide's part, its
    chart and its notes hold only the bytes save would write, and nothing keeps
    python-pptx's objects over their XML alive."""
    import gc
    import io
    import weakref

    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Inches

    from deckgen.files import normalize

    def draw(prs, freeze: bool):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = "Titre"
        data = CategoryChartData()
        data.categories = ["Oui", "Non"]
        data.add_series("Part", (0.7, 0.3))
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Inches(4), Inches(3), data
        ).chart
        slide.notes_slide.notes_text_frame.text = "Notes"
        parts = [slide.part, chart.part, slide.notes_slide.part]
        xml = [p.blob for p in parts]
        if freeze:
            speedups.finished(slide)
        return weakref.ref(slide), weakref.ref(chart), parts, xml

    saved = []
    for freeze in (False, True):
        prs = Presentation()
        with speedups.applied(prs):
            slide_ref, chart_ref, parts, xml = draw(prs, freeze)
            gc.collect()
            if freeze:
                assert slide_ref() is None and chart_ref() is None
                assert [type(p).__name__ for p in parts] == ["FrozenPart"] * 3
                assert not any(hasattr(p, "_element") for p in parts)
                assert [p.blob for p in parts] == xml  # the bytes save would have written
                draw(prs, freeze)  # the deck goes on after a frozen slide
            else:
                draw(prs, freeze)
            saved.append(speedups.save(prs))
    buffer = io.BytesIO()
    prs.save(buffer)  # python-pptx's own save reads frozen parts too
    assert saved[0] == saved[1] == normalize(buffer.getvalue())


def test_without_the_speed_ups_finished_changes_nothing():
    from pptx import Presentation

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    speedups.finished(slide)
    assert type(slide.part).__name__ == "SlidePart" and slide.part._element is not None


def test_a_long_build_without_the_cycle_collector_keeps_few_slides_alive(tmp_path):
    """`deckgen build` runs with the cycle collector off; python-pptx's objects hold
    cycles, so without `between_slides` every slide's objects (and through them
    its XML tree) would live to the end of the build. With it, at most one slide
    in COLLECT_EVERY outlives its turn (the one in progress when collecting)."""
    import gc
    import weakref

    from deckgen.workflows.pipeline import build

    from .test_scaling import _make_spec_module

    spec = _make_spec_module().write_spec(96, tmp_path / "ninety-six.yaml")
    seen: list[weakref.ref] = []
    finished = speedups.finished

    def watching(slide) -> None:
        seen.append(weakref.ref(slide))
        finished(slide)

    speedups.finished = watching  # type: ignore[assignment]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        build(spec, tmp_path / "deck.pptx")
        alive = sum(ref() is not None for ref in seen)
    finally:
        speedups.finished = finished  # type: ignore[assignment]
        if was_enabled:
            gc.enable()
    assert len(seen) == 96
    assert alive <= 96 // speedups.COLLECT_EVERY + 1, alive


def test_relationships_xml_made_once_is_python_pptx_s_for_each_set():
    """`speedups.rels_xml` gives python-pptx's `_Relationships.xml` of every part of a
    deck, made once per set of relationships: a set that differs only by a target's
    mode (a link to a file named like a part) or a type gets its own XML."""
    import io

    from pptx import Presentation
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    slide.shapes.add_picture(io.BytesIO(_PNG), 0, 0)
    parts = [p for p in prs.part.package.iter_parts() if p.rels]
    assert len(parts) > 5
    for part in parts:
        assert speedups.rels_xml(part.rels) == part.rels.xml
    assert speedups.rels_xml(prs.part.package._rels) == prs.part.package._rels.xml

    def one_rel(external: bool, reltype: str = RT.IMAGE) -> bytes:
        other = Presentation().slides.add_slide(Presentation().slide_layouts[6])
        rels = other.part.rels
        if external:
            rels.get_or_add_ext_rel(reltype, "../media/image1.png")
        else:
            other.shapes.add_picture(io.BytesIO(_PNG), 0, 0)
        return speedups.rels_xml(rels), rels.xml

    for external, reltype in [(False, RT.IMAGE), (True, RT.IMAGE), (True, RT.HYPERLINK)]:
        made, expected = one_rel(external, reltype)
        assert made == expected and (b'TargetMode="External"' in made) == external


# a 1x1 PNG
_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201e5273fba0000000049454e44ae426082"
)
