"""deckgen gives the same answers whatever pandas stores text as.

pandas 3 stores text as Arrow strings when pyarrow is installed, as Python
objects otherwise. `make test` runs the suite without pyarrow, `make
test-arrow` with it (DECKGEN_EXPECT_ARROW=1): the checks here run in both, on
the storage the environment really gives.
"""

from __future__ import annotations

import importlib.util
import os

import pandas as pd
import pytest

from deckgen.analysis.survey import load_survey
from deckgen.errors import DataError


def _storage() -> str:
    return str(getattr(pd.Series(["a"]).dtype, "storage", "object"))


def test_the_arrow_pass_really_runs_on_arrow_strings():
    """A pass meant to run with pyarrow that silently ran without it would hide the bug
    it exists for: it fails instead."""
    expect_arrow = os.environ.get("DECKGEN_EXPECT_ARROW") == "1"
    has_arrow = importlib.util.find_spec("pyarrow") is not None
    assert has_arrow == expect_arrow, (
        f"pyarrow installed: {has_arrow}, but DECKGEN_EXPECT_ARROW={expect_arrow}"
    )
    assert (_storage() == "pyarrow") == expect_arrow


@pytest.mark.parametrize(
    ("cell", "code"),
    [("o\x0bui", "U+000B"), ("n\x01on", "U+0001"), ("ou\ufffei", "U+FFFE")],
)
def test_a_control_character_in_a_cell_is_named_in_either_storage(data_copy, cell, code):
    csv = data_copy.parent / "responses.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[frame["id"] == "C07", "reseaux_sociaux"] = cell
    frame.to_csv(csv, index=False)
    with pytest.raises(DataError) as info:
        load_survey(data_copy)
    msg = str(info.value)
    assert "respondent C07" in msg and "column reseaux_sociaux" in msg
    assert f"the control character {code}" in msg


def test_clean_cells_load_the_same_answers_as_the_file(data_copy):
    """The check must not flag clean text: every row of the file loads, each answer as
    the file has it (read here with the csv module, not pandas)."""
    import csv

    with open(data_copy.parent / "responses.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    survey = load_survey(data_copy)
    assert len(survey) == len(rows)
    for row in rows:
        loaded = survey.frame.loc[row["id"], "reseaux_sociaux"]
        if row["reseaux_sociaux"].strip():
            assert loaded == row["reseaux_sociaux"].strip()
        else:
            assert pd.isna(loaded)


def test_parquet_and_feather_give_the_csv_s_figures_or_say_what_they_need(data_copy, tmp_path):
    """With pyarrow (the Arrow pass), a Parquet or Feather file of the responses, its
    codes stored as numbers where they are, gives the figures of the CSV; without it,
    the message says to install pyarrow or save as CSV."""
    from deckgen.analysis.indicators import Indicator, compute

    frame = pd.read_csv(data_copy.parent / "responses.csv", dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    frame["population"] = pd.to_numeric(frame["population"]).astype("float64")  # 12487.0
    ind = Indicator(kind="distribution", question="population")
    multi = Indicator(kind="multi", question="reseaux_sociaux_plateformes")
    expected = load_survey(data_copy)
    for suffix in (".parquet", ".feather"):
        path = tmp_path / f"responses{suffix}"
        if importlib.util.find_spec("pyarrow") is None:
            path.write_bytes(b"PAR1")
            with pytest.raises(DataError, match=rf"reading \{suffix} files needs pyarrow"):
                load_survey(data_copy, path)
            continue
        (frame.to_parquet if suffix == ".parquet" else frame.to_feather)(path)
        got = load_survey(data_copy, path)
        for indicator in (ind, multi):
            assert compute(got, indicator).series == compute(expected, indicator).series
