"""Strict Open XML validity: openxml-audit (strict policy, every error listed)
finds nothing in the real deck nor in one small deck per chart type (plus a
callouts-only deck and the title/section/closing layouts)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from .conftest import openxml_audit_or_skip
from .helpers import SMALL_DECKS, audit, audit_all


@pytest.fixture(autouse=True)
def _openxml_audit():
    openxml_audit_or_skip()


@pytest.fixture(scope="module")
def reports(
    real_deck, gss_deck, ess_deck, evolution_deck, small_decks, tmp_path_factory
) -> dict[str, dict]:
    """Every deck audited in one openxml-audit run (it takes a second to start): the
    real deck, the English example (breakdowns, a native table) and the small decks."""
    folder = tmp_path_factory.mktemp("audit")
    shutil.copy(real_deck.path, folder / "real.pptx")
    shutil.copy(gss_deck.path, folder / "gss.pptx")
    shutil.copy(ess_deck.path, folder / "ess.pptx")
    shutil.copy(evolution_deck.path, folder / "evolution.pptx")
    for name, path in small_decks.items():
        shutil.copy(path, folder / f"{name}.pptx")
    out = audit_all(folder)
    decks = ["real", "gss", "ess", "evolution", *SMALL_DECKS]
    expected = [f"{name}.pptx" for name in decks]
    assert sorted(out) == sorted(expected), sorted(out)
    return out


def _describe(report: dict) -> str:
    lines = [
        f"{report['file']}: {report['error_count']} error(s), {report['warning_count']} warning(s)"
    ]
    lines += [f"  {e}" for e in report["errors"][:15]]
    return "\n".join(lines)


def _assert_clean(report: dict) -> None:
    assert report["errors"] == [] and report["error_count"] == 0, _describe(report)
    assert report["warning_count"] == 0, _describe(report)
    assert report["valid"] is True, _describe(report)


def test_real_deck_has_no_violations(reports):
    _assert_clean(reports["real.pptx"])


@pytest.mark.parametrize("name", ["gss", "ess", "evolution"])
def test_the_english_examples_with_breakdowns_tables_and_tests_have_no_violations(reports, name):
    _assert_clean(reports[f"{name}.pptx"])


@pytest.mark.parametrize("name", list(SMALL_DECKS))
def test_small_deck_has_no_violations(reports, name):
    _assert_clean(reports[f"{name}.pptx"])


def test_the_run_as_a_whole_is_clean(reports):
    """The exit status agrees: 0 means openxml-audit found nothing anywhere."""
    assert {r["returncode"] for r in reports.values()} == {0}


def test_the_auditor_does_find_a_broken_deck(small_decks, tmp_path: Path):
    """The checks above can fail: an element the schema does not allow in a
    slide is reported, with a non-zero exit status."""
    broken = tmp_path / "broken.pptx"
    with (
        zipfile.ZipFile(small_decks["bar"]) as zin,
        zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            blob = zin.read(info.filename)
            if info.filename == "ppt/slides/slide1.xml":
                text, n = re.subn(r"(<p:spTree>)", r"\1<p:bogus/>", blob.decode("utf-8"), count=1)
                assert n == 1
                blob = text.encode("utf-8")
            zout.writestr(info, blob)
    report = audit(broken)
    assert report["error_count"] > 0 and report["valid"] is False, _describe(report)
    assert report["returncode"] != 0
