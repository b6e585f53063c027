"""The command line as a user meets it: help with examples, the schema, the
indicators table as a formula-safe CSV, and one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.cli import commands

from .helpers import SPEC, line_of, project_copy, read_rows, replace_in, run_cli

COMMANDS = [command.name for command in commands()]  # the table the parser is built from


def test_main_help_has_an_example_and_lists_every_command():
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    assert "Example:" in proc.stdout
    for command in COMMANDS:
        assert command in proc.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_has_an_example(command):
    proc = run_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    example = proc.stdout.split("Example:", 1)
    assert len(example) == 2, proc.stdout
    assert f"deckgen {command}" in example[1].split("\n\n")[0].replace("\n", " ")


def test_the_parser_has_the_table_s_commands_and_arguments_in_its_order():
    import argparse

    from deckgen.cli import parser

    (sub,) = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert list(sub.choices) == COMMANDS
    for command in commands():
        parsed = sub.choices[command.name]
        flags = [a.option_strings or [a.dest] for a in parsed._actions if a.dest != "help"]
        expected = [["spec"]] * command.spec + [
            [f for f in arg.flags if f.startswith("-")] or [arg.flags[0]]
            for arg in command.arguments
        ]
        assert flags == expected, command.name
        assert parsed.get_default("func") is command.run


def test_schema_is_valid_json_describing_slides():
    proc = run_cli("schema")
    assert proc.returncode == 0, proc.stderr
    schema = json.loads(proc.stdout)
    assert set(schema["required"]) >= {"deck", "slides"}
    assert "slides" in schema["properties"] and "deck" in schema["properties"]
    assert schema["properties"]["slides"]["type"] == "array"
    # the chart types an editor can complete
    text = json.dumps(schema)
    for chart_type in ("bar", "column", "stacked100", "pie", "doughnut", "ranking", "map"):
        assert f'"{chart_type}"' in text


def test_schema_to_a_file(tmp_path: Path):
    out = tmp_path / "deckgen.schema.json"
    proc = run_cli("schema", "-o", out)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["properties"]["slides"]


def test_schema_to_an_unwritable_place_is_a_user_error(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli("schema", "-o", blocker / "schema.json")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("output error: ")


def test_indicators_csv_has_the_published_figures(tmp_path: Path):
    out = tmp_path / "indicateurs.csv"
    proc = run_cli("indicators", SPEC, "--csv", out)
    assert proc.returncode == 0, proc.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    rows = read_rows(out)
    assert rows[0].keys() >= {
        "slide",
        "title",
        "element",
        "label",
        "value",
        "count",
        "base",
        "status",
    }
    service = [r for r in rows if r["title"] == "Les moyens" and r["element"] == "callout 1"]
    assert len(service) == 1
    assert service[0]["value"] == "97\u202f%"  # narrow no-break space, as on the slide
    assert (service[0]["count"], service[0]["base"], service[0]["status"]) == ("30", "31", "publié")
    social = [
        r["value"]
        for r in rows
        if r["title"] == "Les réseaux sociaux pour la participation" and r["element"] == "chart 1"
    ]
    assert social == ["100\u202f%", "75\u202f%", "63\u202f%", "42\u202f%", "13\u202f%", "8\u202f%"]
    assert any(r["value"] == "31" and r["element"] == "callout 1" for r in rows)


def test_indicators_csv_escapes_formulas(tmp_path: Path):
    spec = project_copy(tmp_path)
    codebook = tmp_path / "data" / "barometre-2021" / "codebook.yaml"
    replace_in(
        codebook,
        '{code: commune, label: "Commune"}',
        '{code: commune, label: "=HYPERLINK(\\"http://x\\")"}',
    )
    replace_in(
        codebook,
        '{code: metropole, label: "Métropole"}',
        '{code: metropole, label: "+33 Métropole"}',
    )
    # a bare CR must stay inside its quoted field: unquoted, a reader starts a row "=1+2"
    replace_in(codebook, '{code: region, label: "Région"}', '{code: region, label: "\\r=1+2"}')
    out = tmp_path / "indicateurs.csv"
    proc = run_cli("indicators", spec, "--csv", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = read_rows(out)
    reference = tmp_path / "reference.csv"
    assert run_cli("indicators", SPEC, "--csv", reference).returncode == 0
    assert len(rows) == len(read_rows(reference))
    assert all(r["slide"].isdigit() for r in rows)  # no row begins inside a label
    labels = [
        r["label"] for r in rows if r["title"] == "Les répondants" and r["element"] == "chart 1"
    ]
    assert '\'=HYPERLINK("http://x")' in labels
    assert "'+33 Métropole" in labels
    assert "'\r=1+2" in labels
    assert not any(label.startswith(("=", "+", "-", "@")) for label in labels)


def test_renamed_question_is_one_line_with_place_and_suggestion(tmp_path: Path):
    spec = project_copy(tmp_path)
    rel = "config/barometre-2021.yaml"
    n = line_of(spec, "{question: logiciel, in: [proprietaire]}")
    replace_in(
        spec,
        "{question: logiciel, in: [proprietaire]}",
        "{question: logiciels, in: [proprietaire]}",
    )
    proc = run_cli("build", rel, "-o", "out/deck.pptx", "-q", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert proc.stderr == (
        f'spec error: {rel}:{n}:45: slide 11 "La place des civic tech": condition names unknown '
        "question "
        "`logiciels` (did you mean `logiciel`?); valid questions: `accompagnement`, "
        "`actions_renforcer`, "
        "`budget_participation`, `cellule_crise`, `changement_majorite`, `changements_prevus`, "
        "`concernee_elections`, `consultation_presentiel`, `dispositifs_existants`, "
        "`dispositifs_numeriques`, "
        "`effets_crise`, `etp_participation`, ... (26 more)\n"
    )
    assert not (tmp_path / "out").exists()


def test_validate_says_valid(tmp_path: Path):
    proc = run_cli("validate", SPEC)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r": valid \(\d+ slides\)$", proc.stdout.strip()), proc.stdout


def test_a_mistyped_command_is_a_usage_error_with_the_nearest_command():
    proc = run_cli("buidl", SPEC)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "invalid choice: 'buidl'" in proc.stderr
    assert proc.stderr.rstrip().endswith("(did you mean `build`?)")
    assert "Traceback" not in proc.stderr


def test_no_command_prints_the_help_and_is_a_usage_error():
    proc = run_cli()
    assert proc.returncode == 2
    assert "Example: deckgen build" in proc.stderr
    for command in COMMANDS:
        assert command in proc.stderr


def test_errors_are_coloured_only_where_asked(tmp_path: Path):
    """Plain text in logs and pipes; FORCE_COLOR colours the label, never the user's text."""
    spec = project_copy(tmp_path)
    replace_in(spec, "layout: closing", "layout: closng")
    plain = run_cli("build", spec, "-o", tmp_path / "deck.pptx", "-q", cwd=tmp_path)
    coloured = run_cli(
        "build", spec, "-o", tmp_path / "deck.pptx", "-q", cwd=tmp_path, env={"FORCE_COLOR": "1"}
    )
    assert plain.returncode == coloured.returncode == 2
    assert plain.stderr.startswith("spec error: ") and "\x1b[" not in plain.stderr
    assert coloured.stderr.startswith("\x1b[")
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured.stderr) == plain.stderr


@pytest.mark.parametrize("args, code", [(["schema"], 0), (["validate", "nope.yaml"], 2)])
def test_the_command_ends_with_its_code_output_flushed_and_exit_handlers_run(
    tmp_path: Path, args, code
):
    """`deckgen` skips the interpreter's teardown at the end (deckgen.cli._exit_now):
    whatever was written is still flushed, and exit handlers still run."""
    marker = tmp_path / "handler-ran"
    program = (
        "import atexit, pathlib, sys\n"
        f"atexit.register(lambda: pathlib.Path({str(marker)!r}).write_text('yes'))\n"
        "sys.stdout.write('before ')\n"  # still in the buffer when deckgen ends the process
        "from deckgen.cli import main\n"
        f"main({args!r})\n"
        "print('never reached')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env=_plain_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == code, proc.stderr
    assert proc.stdout.startswith("before ") and "never reached" not in proc.stdout
    if code == 0:
        assert json.loads(proc.stdout.removeprefix("before "))["title"] == "Spec"
    else:
        assert proc.stderr == "spec error: file not found: nope.yaml\n"
    assert marker.read_text() == "yes"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_on_the_standard_output_is_an_output_error(tmp_path: Path):
    proc = subprocess.run(
        f"{sys.executable} -m deckgen.cli schema > /dev/full",
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=_plain_env(),
    )
    assert proc.returncode == 2
    assert (
        proc.stderr
        == "output error: cannot write to the standard output: No space left on device\n"
    )


def test_a_reader_that_stops_reading_is_not_a_bug(monkeypatch, capsys):
    """`deckgen schema | head -1`: the reader leaves, the next write breaks the pipe;
    exit code 141 (as a shell reports it), no "internal error"."""
    from deckgen import cli

    class LeftPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self):
            return False

    monkeypatch.setattr(sys, "stdout", LeftPipe())
    assert cli.guarded(["schema"]) == 141
    assert capsys.readouterr().err == ""


def _plain_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "NO_COLOR")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return env


def test_init_s_help_names_every_format_deckgen_reads():
    """`init --help` names the survey files without importing the readers (pandas): the
    list it gives is the readers' own (it said .csv, .xlsx, .sav, .dta, while Parquet
    and Feather were read too)."""
    from deckgen.cli import _FORMATS
    from deckgen.inputs.readers import READERS

    assert _FORMATS.split(", ") == list(READERS)
    proc = run_cli("init", "--help")
    assert ".parquet, .feather, or a plug-in's" in " ".join(proc.stdout.split())
