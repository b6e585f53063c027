"""`deckgen update` never clobbers and never crashes on a hostile deck (issue 24, step 7).

A change report is never written over a deck, a backup or an input. A deck whose
parts inflate to gigabytes, whose manifest inflates to gigabytes, whose XML
declares entities, whose chart or slide XML is damaged, or whose manifest was
tampered with, ends with exit 2 and a one-line reason, in a subprocess under a
memory limit (RLIMIT_AS) -- never a traceback, never a written deck. And update
never writes a deck it cannot read back.
"""

from __future__ import annotations

import base64
import os
import re
import resource
import shutil
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import deckgen

from .helpers import ROOT, invoke, project_copy

SPEC = "config/barometre-2021.yaml"
LIMIT_BYTES = 500 * 2**20  # what a whole update of the seed deck fits in, with room
CPU_SECONDS = 60
CUSTOM = "docProps/custom.xml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-decks")
    spec = project_copy(root)
    return spec, deckgen.load(spec).build(root / "deck.pptx").path


def _rewritten(deck: Path, out: Path, parts: dict[str, Callable[[bytes], bytes]]) -> Path:
    """`deck` with some parts rewritten (name: old bytes -> new bytes)."""
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, parts.get(info.filename, lambda b: b)(data))
    return out


def _zip_bomb(deck: Path, out: Path) -> Path:
    """A slide part that inflates to 1.5 GB (spaces after its XML declaration: 1.5 MB
    of zip), written in pieces."""
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "ppt/slides/slide3.xml":
                dst.writestr(info.filename, src.read(info.filename))
                continue
            target = zipfile.ZipInfo(info.filename)
            target.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(target, "w", force_zip64=True) as part:
                part.write(src.read(info.filename)[:55])
                block = b" " * 2**24
                for _ in range(96):
                    part.write(block)
    return out


def _manifest_chunks(text: str) -> bytes:
    from deckgen.render import manifest

    props = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{n + 2}" '
        f'name="{manifest.PREFIX}{n + 1:03d}"><vt:lpwstr>{text[i : i + 240]}</vt:lpwstr>'
        "</property>"
        for n, i in enumerate(range(0, len(text), 240))
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        '"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt='
        f'"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{props}'
        "</Properties>"
    ).encode()


def _manifest_bomb(_: bytes) -> bytes:
    """Manifest properties that inflate to 1.5 GB of JSON."""
    pack = zlib.compressobj(9)
    blob = [pack.compress(b'{"version":1,"elements":{},"x":"')]
    block = b"a" * 2**24
    blob += [pack.compress(block) for _ in range(96)]
    blob.append(pack.compress(b'"}') + pack.flush())
    return _manifest_chunks(base64.b64encode(b"".join(blob)).decode("ascii"))


def _packed(data: object) -> Callable[[bytes], bytes]:
    import json

    def rewrite(_: bytes) -> bytes:
        raw = json.dumps(data).encode("utf-8")
        return _manifest_chunks(base64.b64encode(zlib.compress(raw)).decode("ascii"))

    return rewrite


def _entity(xml: bytes) -> bytes:
    """A slide declaring an external entity, used in a text."""
    head, _, body = xml.partition(b"?>")
    body = body.replace(b"<a:t>", b"<a:t>&xxe;", 1)
    return head + b'?>\n<!DOCTYPE p:sld [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body


def _social_chart(deck: Path) -> str:
    """The part name of the social-network chart (slide 10's only chart)."""
    with zipfile.ZipFile(deck) as z:
        rels = z.read("ppt/slides/_rels/slide10.xml.rels").decode("utf-8")
    (target,) = re.findall(r'Target="\.\./charts/(chart\d+\.xml)"', rels)
    return f"ppt/charts/{target}"


def _cases(deck: Path) -> dict[str, tuple[Callable[[Path], Path], str]]:
    chart = _social_chart(deck)
    return {
        "zip bomb": (
            lambda out: _zip_bomb(deck, out),
            "its part ppt/slides/slide3.xml inflates to 1,610,6",
        ),
        "manifest bomb": (
            lambda out: _rewritten(deck, out, {CUSTOM: _manifest_bomb}),
            "it inflates past 64 MB",
        ),
        "external entity": (
            lambda out: _rewritten(deck, out, {"ppt/slides/slide10.xml": _entity}),
            "its part ppt/slides/slide10.xml declares a document type or entities",
        ),
        "chart XML cut off": (
            lambda out: _rewritten(deck, out, {chart: lambda b: b[: len(b) // 2]}),
            "not a PowerPoint deck deckgen can read",
        ),
        "chart point index not a number": (
            lambda out: _rewritten(deck, out, {chart: lambda b: b.replace(b'idx="0"', b'idx="x"')}),
            "the element les-reseaux-sociaux-pour-la#chart-1 is damaged",
        ),
        "slide XML cut off": (
            lambda out: _rewritten(deck, out, {"ppt/slides/slide10.xml": lambda b: b[:-40]}),
            "not a PowerPoint deck deckgen can read",
        ),
        "manifest properties not base64": (
            lambda out: _rewritten(
                deck, out, {CUSTOM: lambda b: b.replace(b"<vt:lpwstr>", b"<vt:lpwstr>*!", 1)}
            ),
            "its deckgen manifest (the custom document properties deckgen.manifest.*) is "
            "damaged or was altered",
        ),
        "manifest elements a list": (
            lambda out: _rewritten(deck, out, {CUSTOM: _packed({"version": 1, "elements": []})}),
            "its elements are not a table",
        ),
        "manifest series tampered": (
            lambda out: _rewritten(
                deck,
                out,
                {
                    CUSTOM: _packed(
                        {
                            "version": 1,
                            "elements": {"les-moyens#chart-1": {"kind": "chart", "series": ["x"]}},
                        }
                    )
                },
            ),
            "a series of les-moyens#chart-1 is not as deckgen writes it",
        ),
        "manifest record of no kind": (
            lambda out: _rewritten(
                deck,
                out,
                {CUSTOM: _packed({"version": 1, "elements": {"les-moyens#footnote": 3}})},
            ),
            "the record of les-moyens#footnote has no known kind",
        ),
    }


CASES = [
    "zip bomb",
    "manifest bomb",
    "external entity",
    "chart XML cut off",
    "chart point index not a number",
    "slide XML cut off",
    "manifest properties not base64",
    "manifest elements a list",
    "manifest series tampered",
    "manifest record of no kind",
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_deck_gets_exit_2_and_a_one_line_reason(built, tmp_path, case):
    spec, deck = built
    make, says = _cases(deck)[case]
    hostile = make(tmp_path / "hostile.pptx")
    out = tmp_path / "out.pptx"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DECKGEN_DEBUG", None)
    env["COLUMNS"] = "2000"
    proc = subprocess.run(
        [sys.executable, "-m", "deckgen", "update", spec, "--deck", hostile, "-o", out, "-q"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_limits,
    )
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("deck error: "), proc.stderr[-2000:]
    assert says in lines[0], lines[0]
    assert not out.exists()


def test_update_never_writes_a_deck_it_cannot_read_back(built, tmp_path, monkeypatch):
    """A manifest that would not read back (here: written wrong on purpose): nothing
    is written, and the reason is given."""
    from deckgen.errors import DeckError
    from deckgen.render import manifest

    spec, deck = built
    write, calls = manifest.write, []

    def broken(prs, data):  # the fresh build's manifest as it is; the updated deck's wrong
        write(prs, data)
        calls.append(prs)
        if len(calls) > 1:
            part = manifest._custom_part(prs)
            part._blob = part._blob.replace(b"<vt:lpwstr>", b"<vt:lpwstr>*", 1)

    monkeypatch.setattr(manifest, "write", broken)
    with pytest.raises(DeckError, match="the updated deck does not read back"):
        deckgen.load(spec).update(deck, tmp_path / "u.pptx")
    assert not (tmp_path / "u.pptx").exists()


def test_a_change_report_never_goes_over_a_deck_a_backup_or_an_input(built, tmp_path):
    spec, deck = built
    mine = tmp_path / "mine.pptx"
    shutil.copy(deck, mine)
    backup = tmp_path / "mine.before-update.pptx"
    shutil.copy(deck, backup)
    other = tmp_path / "other.pptx"
    shutil.copy(deck, other)
    renamed = tmp_path / "a-deck-named-report.csv"
    shutil.copy(deck, renamed)
    responses = spec.parent.parent / "data" / "barometre-2021" / "responses.csv"
    kept = {p: p.read_bytes() for p in (mine, backup, other, renamed, responses)}
    for option, target, says in (
        ("--csv", backup, "it is a backup of mine.pptx"),
        ("--csv", tmp_path / "mine.before-update-2.pptx", "it is a backup of mine.pptx"),
        ("--xlsx", other, "it is a PowerPoint file"),
        ("--csv", renamed, "it is a PowerPoint deck (by its content)"),
        ("--csv", responses, "an input of this build"),
    ):
        run = invoke("update", spec, "--deck", mine, "-o", mine, option, target, "-q")
        assert run.code == 2 and says in run.output, (option, target, run.output)
    run = invoke("update", spec, "--deck", mine, "-o", backup, "-q")
    assert run.code == 2 and "it is a backup of mine.pptx" in run.output
    assert {p: p.read_bytes() for p in kept} == kept
    assert not (tmp_path / "mine.before-update-2.pptx").exists()
