"""The codebook on the typed model: every mistake is exit 2 with file:line, a
"did you mean" for a misspelt key, and all of them at once. Each case is a row
of docs/errors.md ("The codebook")."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import invoke, line_of, project_copy, replace_in

CODEBOOK = Path("data/barometre-2021/codebook.yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    project_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _validate() -> tuple[int, str]:
    run = invoke("validate", "config/barometre-2021.yaml")
    return run.code, run.stderr


CASES = [
    # (name, old text, new text, what the message says)
    (
        "misspelt option key",
        '{code: gauche, label: "Gauche"}',
        '{code: gauche, lable: "Gauche"}',
        "unknown key `lable` (did you mean `label`?); valid keys: `asked_if`, `attrs`, "
        "`base_label`, `code`, `color`, `column`, `dont_know`, `label`, `no_answer`",
    ),
    (
        "misspelt question key",
        "    max_picks: 3\n",
        "    max_pick: 3\n",
        "unknown key `max_pick` (did you mean `max_picks`?)",
    ),
    (
        "quoted boolean",
        "    published: false\n",
        '    published: "false"\n',
        "published: expected true or false, got text `false`",
    ),
    (
        "number as text",
        "    min: 0\n",
        '    min: "zero"\n',
        "min: expected a number, got text `zero`",
    ),
    (
        "ranking of a billion picks",
        "    max_picks: 3\n",
        "    max_picks: 1000000000\n",
        "max_picks: must be at most 1000, got 1000000000",
    ),
    (
        "unknown question type",
        "    type: multi\n",
        "    type: mutli\n",
        "`mutli` is not a valid question type (did you mean `multi`?); valid: `likert`, "
        "`multi`, `numeric`, `ranking`, `single`, `text`",
    ),
    (
        "region code outside attrs",
        'attrs: {insee: "11"}}',
        'insee: "11"}',
        "unknown key `insee`",
    ),
    (
        "option colour not a colour",
        '{code: gauche, label: "Gauche"}',
        '{code: gauche, label: "Gauche", color: "red"}',
        "color: expected a colour as 6 hex digits like 1D3557, got 'red'",
    ),
    (
        "scale on a ranking",
        "  - id: actions_renforcer\n",
        "  - id: actions_renforcer\n    scale: ascending\n",
        "`scale: ascending` orders the options of a single, likert or numeric question; a "
        "ranking question's are not one scale",
    ),
    (
        "band upside down",
        "min: 5000, max: 10000}",
        "min: 10000, max: 5000}",
        "band `de_5000_a_10000`: `min` 10000 is not below `max` 5000",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "message"), CASES, ids=[c[0] for c in CASES])
def test_a_codebook_mistake_is_exit_2_with_its_line(project, name, old, new, message):
    line = line_of(CODEBOOK, old.splitlines()[-1] if "\n" in old else old)
    replace_in(CODEBOOK, old, new)
    code, err = _validate()
    assert code == 2, err
    assert err.startswith("data error: "), err
    assert f"{CODEBOOK.resolve()}:{line}:" in err, err
    assert message in err, err
    assert err.count("\n") == 1  # one problem, one line


@pytest.mark.parametrize(
    ("flag", "what"), [("no_answer", "an empty cell"), ("other", "a number no band holds")]
)
def test_two_bands_for_empty_cells_or_for_the_rest_are_refused(project, flag, what):
    """Two no-answer bands, or two `other` bands: which one a cell goes to would be a
    guess (the column and one respondent's answer guessed differently), so the codebook
    is refused at the question's line, naming both."""
    line = line_of(CODEBOOK, "  - id: population")
    replace_in(
        CODEBOOK,
        "min: 1000000}",
        f"min: 1000000}}\n      - {{code: a, {flag}: true}}\n      - {{code: b, {flag}: true}}",
    )
    code, err = _validate()
    assert code == 2 and f"{CODEBOOK.resolve()}:{line}:" in err, err
    assert (
        f"question `population`: bands `a` and `b` are both `{flag}: true`; {what} goes to "
        "one band only" in err
    ), err


def test_a_question_claiming_another_questions_column(project):
    """A question whose id is a column of another (a multi-select option) would
    read the same cells as a single choice: the figures of both would be wrong."""
    replace_in(
        CODEBOOK,
        "  - id: dispositifs_existants\n",
        "  - id: majorite_politique__gauche\n    text: Gauche\n    type: single\n"
        "    options: [{code: '0'}, {code: '1'}]\n  - id: dispositifs_existants\n",
    )
    code, err = _validate()
    assert code == 2
    assert (
        "question `majorite_politique__gauche` claims the column `majorite_politique__gauche`, "
        "which is already question `majorite_politique`'s: rename one of them"
    ) in err
    assert f"{CODEBOOK.resolve()}:{line_of(CODEBOOK, 'id: majorite_politique__gauche')}:" in err


def test_every_mistake_at_once(project):
    replace_in(CODEBOOK, '{code: gauche, label: "Gauche"}', '{code: gauche, lable: "Gauche"}')
    replace_in(CODEBOOK, "    max_picks: 3\n", "    max_picks: many\n")
    replace_in(CODEBOOK, "    published: false\n", "    published: 0\n")
    code, err = _validate()
    assert code == 2
    assert err.startswith("data error: 3 problems\n")
    assert "unknown key `lable`" in err
    assert "max_picks: expected a whole number, got text `many`" in err
    assert "published: expected true or false, got a number `0`" in err


def test_yes_and_no_codes_stay_codes(tmp_path):
    """YAML 1.1 reads `no` as false: here, only true/false are booleans, so an
    answer coded yes/no (or a country NO) stays its code."""
    from deckgen.inputs.codebook import load_codebook

    path = tmp_path / "codebook.yaml"
    path.write_text(
        "questions:\n  - id: q\n    type: single\n"
        "    options: [{code: yes, label: Yes}, {code: no, label: No}, {code: NO}]\n",
        encoding="utf-8",
    )
    (question,) = load_codebook(path).questions.values()
    assert [o.code for o in question.options] == ["yes", "no", "NO"]
    assert [o.label for o in question.options] == ["Yes", "No", "NO"]


def test_a_quoted_false_in_a_filter_is_an_error(project):
    spec = Path("config/barometre-2021.yaml")
    replace_in(spec, "{question: logiciel, in: [libre]}", '{question: logiciel, answered: "false"}')
    code, err = _validate()
    assert code == 2
    assert "`answered` takes true or false (unquoted), got `false`" in err
