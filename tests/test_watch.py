"""Watch mode: a real watcher thread on a copy of the project, real file edits,
real rebuilds."""

from __future__ import annotations

import csv
import hashlib
import shutil
import threading
import time
from pathlib import Path

from deckgen.locales.numbers import NNBSP
from deckgen.watch import figure_diff, watch, watched_files

from .conftest import ROOT

WAIT = 60  # seconds: generous bounds, the loop normally reacts within a second


def _copy_project(dest: Path) -> Path:
    shutil.copytree(ROOT / "config", dest / "config")
    shutil.copytree(ROOT / "data" / "barometre-2021", dest / "data" / "barometre-2021")
    shutil.copytree(ROOT / "layouts", dest / "layouts")
    return dest / "config" / "barometre-2021.yaml"


def _wait_for(lines: list[str], predicate, what: str, start: int = 0) -> str:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for line in list(lines[start:]):
            if predicate(line):
                return line
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}; output so far:\n" + "\n".join(lines))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _drop_one_youtube_user(responses: Path) -> str:
    """Untick YouTube for one respondent who uses social networks; return its id."""
    with responses.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    row = next(
        r
        for r in rows
        if r["reseaux_sociaux"] == "oui" and r["reseaux_sociaux_plateformes__youtube"] == "1"
    )
    row["reseaux_sociaux_plateformes__youtube"] = "0"
    with responses.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return row["id"]


def test_watch_rebuilds_reports_changed_figures_and_survives_a_broken_spec(tmp_path):
    spec = _copy_project(tmp_path)
    out = tmp_path / "out" / "deck.pptx"
    lines: list[str] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def run():
        try:
            watch(spec, out, poll=0.05, stop=stop, echo=lines.append)
        except BaseException as exc:  # surfaced by the assertions below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        _wait_for(lines, lambda s: s.startswith("watching "), "the first build")
        assert lines[0].startswith(f"built {out} (28 slides")
        first = _digest(out)

        # 1. one answer changes in the responses: the social networks chart moves
        start = len(lines)
        _drop_one_youtube_user(spec.parent.parent / "data" / "barometre-2021" / "responses.csv")
        line = _wait_for(lines, lambda s: "→" in s, "the figure diff", start)
        assert line == f"slide 10 chart 1 « YouTube »: 75{NNBSP}% → 71{NNBSP}%"
        _wait_for(lines, lambda s: s.startswith("built "), "the rebuild", start)
        changed = [s for s in lines[start:] if "→" in s]
        assert changed == [line]  # nothing else moved (the base stays 24)
        assert "changed: responses.csv" in lines[start:]
        second = _digest(out)
        assert second != first

        # 2. a broken spec: the error is printed, the last good deck stays
        start = len(lines)
        text = spec.read_text(encoding="utf-8")
        spec.write_text(
            text.replace(
                "question: reseaux_sociaux_plateformes,", "question: reseaux_sociaux_plateforme,"
            ),
            encoding="utf-8",
        )
        failed = _wait_for(lines, lambda s: s.startswith("build failed"), "the error", start)
        assert (
            "reseaux_sociaux_plateforme" in failed
            and "did you mean `reseaux_sociaux_plateformes`" in failed
        )
        kept = _wait_for(
            lines, lambda s: s.startswith("waiting for a fix"), "the keep message", start
        )
        assert str(out) in kept
        assert _digest(out) == second

        # 3. fixed again: rebuilt, and no figure changed
        start = len(lines)
        spec.write_text(text, encoding="utf-8")
        _wait_for(lines, lambda s: s.startswith("built "), "the rebuild after the fix", start)
        _wait_for(lines, lambda s: s == "no figure changed", "the empty diff", start)
    finally:
        stop.set()
        thread.join(timeout=WAIT)
    assert not thread.is_alive()
    assert errors == []


def test_watched_files_are_spec_data_theme_and_template(tmp_path):
    spec = _copy_project(tmp_path)
    from deckgen.packaged import regions_geojson

    files = watched_files(spec)
    names = [p.relative_to(tmp_path).as_posix() for p in files if p.is_relative_to(tmp_path)]
    assert names == [
        "config/barometre-2021.yaml",
        "config/theme.yaml",
        "data/barometre-2021/codebook.yaml",
        "data/barometre-2021/responses.csv",
        "layouts/deckgen-template.pptx",
    ]
    # the deck has a map: the boundaries it draws are an input too
    assert files[len(names) :] == [regions_geojson().resolve()]
    spec.write_text("deck: [unclosed", encoding="utf-8")
    assert watched_files(spec) == [spec.resolve()]  # a broken spec: at least the spec itself


def test_max_rebuilds_stops_the_loop(tmp_path):
    spec = _copy_project(tmp_path)
    lines: list[str] = []
    theme = spec.parent / "theme.yaml"

    def touch_theme_soon():
        _wait_for(lines, lambda s: s.startswith("watching "), "the first build")
        theme.write_text(
            theme.read_text(encoding="utf-8").replace('accent: "E63946"', 'accent: "D62828"'),
            encoding="utf-8",
        )

    toucher = threading.Thread(target=touch_theme_soon, daemon=True)
    toucher.start()
    rebuilds = watch(spec, tmp_path / "deck.pptx", poll=0.05, max_rebuilds=1, echo=lines.append)
    toucher.join(timeout=WAIT)
    assert rebuilds == 1
    assert "changed: theme.yaml" in lines and "no figure changed" in lines


def _row(slide, element, label, value, base=31, series=""):
    return {
        "slide": slide,
        "element": element,
        "label": label,
        "series": series,
        "value": value,
        "base": base,
    }


def test_figure_diff_lines():
    before = [
        _row(8, "callout 1", "« Service » = « Oui »", f"97{NNBSP}%"),
        _row(14, "chart 1", "Évaluer", f"10{NNBSP}%", series="Oui, tout à fait"),
        _row(3, "chart 1", "Région", f"3{NNBSP}%"),
    ]
    after = [
        _row(8, "callout 1", "« Service » = « Oui »", f"94{NNBSP}%", base=32),
        _row(14, "chart 1", "Évaluer", f"10{NNBSP}%", series="Oui, tout à fait"),
        _row(3, "chart 1", "Commune", f"5{NNBSP}%"),
    ]
    assert figure_diff(before, after) == [
        f"slide 8 callout 1: 97{NNBSP}% → 94{NNBSP}%, base 31 → 32",
        f"slide 3 chart 1 « Commune »: new, 5{NNBSP}%",
        f"slide 3 chart 1 « Région »: removed (was 3{NNBSP}%)",
    ]
    assert figure_diff(before, before) == []


def test_watch_keeps_an_edited_deck_up_to_date(tmp_path):
    """`watch --deck`: the team's deck is refreshed into DECK-updated.pptx on every
    data change, and again when the team saves their deck."""
    from pptx import Presentation

    import deckgen

    spec = _copy_project(tmp_path)
    edited = tmp_path / "edited.pptx"
    built = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    prs = Presentation(str(built))
    prs.slides[9].shapes.title.text = "Notre titre"
    prs.save(str(edited))
    out = tmp_path / "edited-updated.pptx"
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(
        target=lambda: watch(spec, poll=0.05, stop=stop, echo=lines.append, deck=edited),
        daemon=True,
    )
    thread.start()
    try:
        _wait_for(lines, lambda s: s.startswith("watching "), "the first refresh")
        assert f"{out} mis à jour : 0 changement, 0 conflit" in lines
        assert "edited.pptx" in lines[-1]  # the team's deck is watched too
        start = len(lines)
        _drop_one_youtube_user(spec.parent.parent / "data" / "barometre-2021" / "responses.csv")
        line = _wait_for(lines, lambda s: "YouTube" in s, "the change report", start)
        assert f"graphique 1 : YouTube 75{NNBSP}% → 71{NNBSP}%" in line
        _wait_for(lines, lambda s: " mis à jour : " in s, "the refresh", start)
        slide = Presentation(str(out)).slides[9]
        assert slide.shapes.title.text == "Notre titre"  # the team's edit stays
        # the team saves their deck again: refreshed from it
        start = len(lines)
        prs.slides[9].shapes.title.text = "Notre nouveau titre"
        prs.save(str(edited))
        _wait_for(lines, lambda s: s == "changed: edited.pptx", "the deck's change", start)
        _wait_for(lines, lambda s: " mis à jour : " in s, "the second refresh", start)
        assert Presentation(str(out)).slides[9].shapes.title.text == "Notre nouveau titre"
    finally:
        stop.set()
        thread.join(timeout=WAIT)
    assert not thread.is_alive()
