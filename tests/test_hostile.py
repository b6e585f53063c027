"""Hostile inputs: each ends, within 5 seconds and 500 MB, with exit 2 and a
message that says where (file:line, or respondent and column) and what would
be valid -- never a traceback, a hang or a lost file.

Each case edits a copy of the project, runs the real command in a subprocess
under a memory limit (RLIMIT_AS) and a timeout, and checks the exit code, where
the message points and what it says. docs/errors.md has a row for each.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .helpers import ROOT, line_of, project_copy, replace_in, set_cells

SPEC = "config/barometre-2021.yaml"
CODEBOOK = "data/barometre-2021/codebook.yaml"
THEME = "config/theme.yaml"
CSV = "data/barometre-2021/responses.csv"
LIMIT_BYTES = 500 * 2**20
# seconds of CPU a hostile input may cost (RLIMIT_CPU: the same on a loaded machine or
# beside other test workers); the wall-clock limit only catches a process that waits
LIMIT_SECONDS = 5
WAIT_SECONDS = 120


@dataclass
class Case:
    name: str
    edit: Callable[[Path], None]
    says: list[str]  # fragments of the message (where, what, what is valid)
    args: tuple[str, ...] = ("validate", SPEC)
    where: str | None = None  # "codebook:needle": the file and the line of `needle`


def _replace(path: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda root: replace_in(root / path, old, new)


def _cells(changes: dict[tuple[str, str], str]) -> Callable[[Path], None]:
    return lambda root: set_cells(root / CSV, changes)


def _laughs(path: str, key: str) -> Callable[[Path], None]:
    """A 'billion laughs' of nine levels of ten aliases appended under `key`."""

    def edit(root: Path) -> None:
        lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for i in range(1, 10):
            lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
        with open(root / path, "a", encoding="utf-8") as fh:
            fh.write(f"\n{key}:\n" + "".join(f"  {line}\n" for line in lines))

    return edit


def _unknown_columns(root: Path) -> None:
    text = (root / CSV).read_text(encoding="utf-8").splitlines()
    extra = [f"colonne_{i}" for i in range(20_000)]
    rows = [",".join([text[0], *extra])] + [",".join([r, *([""] * len(extra))]) for r in text[1:]]
    (root / CSV).write_text("\n".join(rows) + "\n", encoding="utf-8")


def _xlsx_bomb(root: Path) -> None:
    """A small zip whose sheet expands to 310 MB once read (written in pieces)."""
    import zipfile

    path = root / "data" / "barometre-2021" / "responses.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * 2**20
            for _ in range(310):
                sheet.write(block)
    replace_in(
        root / SPEC,
        "  locale: fr\n",
        "  locale: fr\n  responses: ../data/barometre-2021/responses.xlsx\n",
    )


CASES = [
    Case(
        "quoted false no_answer",
        _replace(CODEBOOK, "no_answer: true}", 'no_answer: "false"}'),
        ["no_answer: expected true or false, got text `false`"],
        where='codebook:no_answer: "false"',
    ),
    Case(
        "published as a list",
        _replace(CODEBOOK, "    published: true\n", "    published: [1]\n"),
        ["published: expected true or false, got a list `[1]`"],
        where="codebook:published: [1]",
    ),
    Case(
        "answered quoted in a filter",
        _replace(
            SPEC, "{question: logiciel, in: [libre]}", '{question: logiciel, answered: "false"}'
        ),
        ["`answered` takes true or false (unquoted), got `false`"],
        where='spec:answered: "false"',
    ),
    Case(
        "min as words",
        _replace(CODEBOOK, "    min: 0\n", '    min: "zero"\n'),
        ["min: expected a number, got text `zero`"],
        where='codebook:min: "zero"',
    ),
    Case(
        "band bound as words",
        _replace(CODEBOOK, "min: 5000, max: 10000}", 'min: "cinq mille", max: 10000}'),
        ["min: expected a number, got text `cinq mille`"],
    ),
    Case(
        "base_label a number",
        _replace(
            CODEBOOK, 'base_label: "s\'appliquent seulement aux {n} communes"', "base_label: 5"
        ),
        ["base_label: expected text, got a number `5`"],
        where="codebook:base_label: 5",
    ),
    Case(
        "max_picks astronomical",
        _replace(CODEBOOK, "    max_picks: 3\n", f"    max_picks: {10**19}\n"),
        ["max_picks: must be at most 1000"],
        where=f"codebook:max_picks: {10**19}",
    ),
    Case(
        "control character in a label",
        _replace(CODEBOOK, 'label: "Gauche"', 'label: "Gau\\x0bche"'),
        ["the text contains the control character U+000B, which a slide cannot show"],
        where="codebook:Gau\\x0bche",
    ),
    Case(
        "U+FFFE in a question text",
        _replace(CODEBOOK, 'text: "Type de collectivité"', 'text: "Type\\uFFFE"'),
        ["the control character U+FFFE"],
        where="codebook:Type\\uFFFE",
    ),
    Case(
        "control character in the respondents' noun",
        _replace(CODEBOOK, "respondents: collectivités", 'respondents: "collectivit\\x01és"'),
        ["U+0001"],
        where="codebook:respondents:",
    ),
    Case(
        "control character in a theme font",
        _replace(THEME, "  body: Arial", '  body: "Ari\\x01al"'),
        ["U+0001"],
        where="theme:Ari\\x01al",
    ),
    Case(
        "raw control character in the spec",
        _replace(SPEC, 'title: "Les moyens"', 'title: "Les\x0bmoyens"'),
        ["the character U+000B cannot appear in a YAML file"],
        where="spec:Les\x0bmoyens",
    ),
    Case(
        "billion laughs in the spec",
        _laughs(SPEC, "extra"),
        ["aliases (`*name`) expand to more values than a spec can have"],
    ),
    Case(
        "billion laughs in the codebook",
        _laughs(CODEBOOK, "extra"),
        ["aliases (`*name`) expand to more values"],
    ),
    Case("billion laughs in the theme", _laughs(THEME, "extra"), ["aliases (`*name`) expand"]),
    Case(
        "not nested 800 deep",
        _replace(
            SPEC,
            "{question: logiciel, in: [libre]}",
            "{not: " * 800 + "{question: logiciel, in: [libre]}" + "}" * 800,
        ),
        ["nested more than 100 levels deep"],
    ),
    Case(
        "lists nested 990 deep",
        _replace(
            SPEC,
            '    title: "Les moyens"',
            '    title: "Les moyens"\n    remark: ' + "[" * 990 + "]" * 990,
        ),
        ["nested more than 100 levels deep"],
    ),
    Case(
        "a 5,000-digit number",
        _replace(SPEC, "expect: 97", "expect: " + "9" * 5000),
        ["a number too long to read"],
        where="spec:expect: 9999",
    ),
    Case(
        "infinite population",
        _cells({("C02", "population"): "1e400"}),
        ["column population: respondent C02: expected a finite number, got `1e400`"],
    ),
    Case(
        "20,000 unknown columns",
        _unknown_columns,
        ["unknown column `colonne_0`", "and 19,990 more columns not in the codebook"],
    ),
    Case(
        "a spec that is /dev/zero",
        lambda root: None,
        ["not a regular file (a device or a pipe)"],
        args=("build", "/dev/zero", "-q"),
    ),
    Case(
        "an XLSX bomb",
        _xlsx_bomb,
        ["once uncompressed (more than 300 MB); save the responses as CSV"],
    ),
    Case(
        "preview thumbnails of 100,000 px",
        lambda root: None,
        ["--thumb must be from 16 to 2000 px, got 100000"],
        args=("preview", SPEC, "--thumb", "100000"),
    ),
    Case(
        "preview timeout nan",
        lambda root: None,
        ["--timeout must be from 1 to 3600 s, got nan"],
        args=("preview", SPEC, "--timeout", "nan"),
    ),
    Case(
        "preview timeout negative",
        lambda root: None,
        ["--timeout must be from 1 to 3600 s, got -5"],
        args=("preview", SPEC, "--timeout", "-5"),
    ),
    Case(
        "a list inside a condition list",
        _replace(SPEC, "{question: logiciel, in: [libre]}", "{question: logiciel, in: [[libre]]}"),
        ["`in` takes a list of option codes, got `[['libre']]`"],
    ),
    Case(
        "an encrypted template",
        lambda root: (root / "layouts" / "deckgen-template.pptx").write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096
        ),
        ["is password-protected or an old binary .ppt"],
    ),
]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_BYTES, LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (LIMIT_SECONDS, LIMIT_SECONDS + 1))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    project_copy(tmp_path)
    case.edit(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("DECKGEN_DEBUG", None)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "deckgen", *case.args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS,
            preexec_fn=_limits,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case.name}: still running after {WAIT_SECONDS} s (waiting, not computing)")
    if proc.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"{case.name}: more than {LIMIT_SECONDS} s of CPU")
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    for fragment in case.says:
        assert fragment in proc.stderr, (fragment, proc.stderr[-2000:])
    if case.where is not None:
        which, needle = case.where.split(":", 1)
        path = {"codebook": CODEBOOK, "spec": SPEC, "theme": THEME}[which]
        line = line_of(tmp_path / path, needle)
        assert f"{path}:{line}:" in proc.stderr, proc.stderr[-2000:]
