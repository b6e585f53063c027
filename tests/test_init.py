"""`deckgen init`: a codebook and a deck spec from a survey file alone, in CSV,
XLSX, SPSS and Stata, that build as they are; the question types it infers are
those a person wrote."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

import deckgen
from deckgen.inputs.codebook import load_codebook

from .helpers import ROOT, invoke

BAROMETRE = ROOT / "data" / "barometre-2021"
GSS = ROOT / "data" / "gss-2018-spending" / "responses.csv"


def _types(codebook: Path) -> dict[str, str]:
    return {q.id: q.type for q in load_codebook(codebook).questions.values()}


def test_the_barometre_types_are_found(tmp_path):
    """Run on the Baromètre's own responses, init finds the types of the hand-written
    codebook: single choices, multi-select groups, Likert grids, the ranking and the
    numeric questions."""
    written = deckgen.init(BAROMETRE / "responses.csv", tmp_path)
    found, wanted = _types(written.codebook), _types(BAROMETRE / "codebook.yaml")
    same = [qid for qid in wanted if found.get(qid) == wanted[qid]]
    assert len(same) / len(wanted) >= 0.9, sorted(set(wanted) - set(same))
    assert {t for t in wanted.values()} == {"single", "multi", "likert", "ranking", "numeric"}
    report = deckgen.load(written.spec).build(tmp_path / "deck.pptx")
    assert len(report.plan.slides) == 1 + len(found)


def test_the_gss_spending_items_become_one_grid(tmp_path):
    written = deckgen.init(GSS, tmp_path, locale="en")
    codebook = load_codebook(written.codebook)
    grids = [q for q in codebook.questions.values() if q.type == "likert"]
    assert [(q.id, len(q.items)) for q in grids] == [("nat", 18)]
    (nat,) = grids
    assert nat.items[0].column == "natspac" and nat.optional
    assert [o.code for o in nat.options] == ["-1", "0", "1"]  # cells hold -1.0, 0.0, 1.0
    assert codebook.questions["age"].type == "numeric"
    assert codebook.questions["partyid"].type == "single"
    spec = yaml.safe_load(written.spec.read_text(encoding="utf-8"))
    assert spec["deck"]["locale"] == "en" and spec["deck"]["data"] == "codebook.yaml"
    report = deckgen.load(written.spec).build(tmp_path / "deck.pptx")
    assert not [w for w in report.warnings.items if "empty base" in w.message]


def _sample(tmp_path: Path) -> pd.DataFrame:
    frame = pd.read_csv(GSS).head(400)
    return frame[["id", "sex", "partyid", "polviews", "age", "natheal", "nateduc", "natsci"]]


PARTY = {0: "Strong Democrat", 3: "Independent", 6: "Strong Republican", 7: "Other"}
VALUE_LABELS = {"sex": {0: "Male", 1: "Female"}, "partyid": {**PARTY, 9: "No answer"}}
VARIABLE_LABELS = {"sex": "Respondent's sex", "partyid": "Party identification"}


def _write(frame: pd.DataFrame, kind: str, folder: Path) -> Path:
    import pyreadstat

    path = folder / f"gss.{kind}"
    if kind == "csv":
        frame.to_csv(path, index=False)
    elif kind == "xlsx":
        frame.to_excel(path, index=False)
    elif kind == "sav":
        data = frame.copy()
        data.loc[data.index[:5], "partyid"] = 9  # SPSS user-missing: "No answer"
        pyreadstat.write_sav(
            data, str(path), column_labels=VARIABLE_LABELS, variable_value_labels=VALUE_LABELS,
            missing_ranges={"partyid": [9]},
        )  # fmt: skip
    else:
        pyreadstat.write_dta(
            frame, str(path), column_labels=VARIABLE_LABELS,
            variable_value_labels={"sex": VALUE_LABELS["sex"]},
        )  # fmt: skip
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx", "sav", "dta"])
def test_each_format_to_a_built_deck(tmp_path, kind):
    frame = _sample(tmp_path)
    data = _write(frame, kind, tmp_path)
    run = invoke("init", data, "-o", tmp_path / "deck", "--locale", "en")
    assert run.code == 0, run.output
    assert "wrote" in run.stdout and "next: deckgen build" in run.stdout
    codebook = load_codebook(tmp_path / "deck" / "codebook.yaml")
    types = {q.id: q.type for q in codebook.questions.values()}
    # three adjacent columns alike (nat-, -1/0/1): one grid
    assert types["nat"] == "likert" and types["age"] == "numeric"
    assert [i.column for i in codebook.questions["nat"].items] == ["natheal", "nateduc", "natsci"]
    if kind in ("sav", "dta"):  # what the file says of its columns is kept
        sex = codebook.questions["sex"]
        assert sex.text == "Respondent's sex"
        assert [(o.code, o.label) for o in sex.options] == [("0", "Male"), ("1", "Female")]
    if kind == "sav":
        partyid = codebook.questions["partyid"]
        assert partyid.missing == ["9"]  # declared no answer, not an option
        assert "9" not in [o.code for o in partyid.options]
    build = invoke("build", tmp_path / "deck" / "deck.yaml", "-o", tmp_path / "deck.pptx", "-q")
    assert build.code == 0, build.output
    assert "no `id:`" not in build.output  # every drafted slide has its id: update-ready


def test_init_never_overwrites(tmp_path):
    first = invoke("init", GSS, "-o", tmp_path, "--locale", "en")
    assert first.code == 0, first.output
    (tmp_path / "codebook.yaml").write_text("# my edits\n", encoding="utf-8")
    again = invoke("init", GSS, "-o", tmp_path)
    assert again.code == 2
    assert "already exist: deckgen init never overwrites them; --force to replace" in again.stderr
    assert (tmp_path / "codebook.yaml").read_text(encoding="utf-8") == "# my edits\n"
    forced = invoke("init", GSS, "-o", tmp_path, "--force")
    assert forced.code == 0 and "# my edits" not in (tmp_path / "codebook.yaml").read_text()
