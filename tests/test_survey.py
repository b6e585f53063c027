"""Loading answers against the codebook: every bad input names its place."""

from __future__ import annotations

import pandas as pd
import pytest

from deckgen.analysis.indicators import Indicator, compute
from deckgen.analysis.survey import load_survey
from deckgen.errors import DataError

from .helpers import ROOT


def _edit(codebook_path, fn):
    csv = codebook_path.parent / "responses.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    fn(frame)
    frame.to_csv(csv, index=False)
    return csv


def _error(codebook_path) -> str:
    with pytest.raises(DataError) as info:
        load_survey(codebook_path)
    return str(info.value)


def test_unknown_column_names_file_and_column(data_copy):
    csv = _edit(data_copy, lambda f: f.insert(3, "reseaux_sociaux_plateformes__facebok", "0"))
    msg = _error(data_copy)
    assert str(csv) in msg
    assert "unknown column `reseaux_sociaux_plateformes__facebok`" in msg
    assert "did you mean `reseaux_sociaux_plateformes__facebook`" in msg


def test_unknown_answer_code_names_respondent_and_column(data_copy):
    def change(f):
        f.loc[f["id"] == "C05", "logiciel"] = "librе"  # Cyrillic e: looks right, is not

    _edit(data_copy, change)
    msg = _error(data_copy)
    assert "respondent C05" in msg and "column logiciel" in msg
    assert "did you mean `libre`" in msg


def test_number_out_of_range(data_copy):
    import yaml

    book = yaml.safe_load(data_copy.read_text(encoding="utf-8"))
    for q in book["questions"]:
        if q["id"] == "population":
            q["min"] = 1000
    data_copy.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")

    def change(f):
        f.loc[f["id"] == "C03", "population"] = "12"

    _edit(data_copy, change)
    msg = _error(data_copy)
    assert (
        "respondent C03" in msg and "column population" in msg and "below the minimum 1000" in msg
    )


def test_not_a_number(data_copy):
    _edit(
        data_copy,
        lambda f: f.__setitem__(
            "budget_participation", f["budget_participation"].where(f["id"] != "C07", "12k€")
        ),
    )
    msg = _error(data_copy)
    assert "respondent C07" in msg and "expected a number, got `12k€`" in msg


def test_ranking_with_too_many_picks(data_copy):
    def change(f):
        row = f["id"] == "C01"
        empty = [
            c
            for c in f.columns
            if c.startswith("actions_renforcer__") and f.loc[row, c].iloc[0] == ""
        ]
        f.loc[row, empty[0]] = "2"  # a fourth pick (and a duplicate rank)

    _edit(data_copy, change)
    msg = _error(data_copy)
    assert "respondent C01" in msg and "ranked 4 items, at most 3 allowed" in msg


def test_answer_from_someone_not_asked(data_copy):
    # C31 is a région: neighbourhood councils are asked of communes only
    _edit(
        data_copy,
        lambda f: f.__setitem__(
            "dispositifs_existants__conseils_quartier",
            f["dispositifs_existants__conseils_quartier"].where(f["id"] != "C31", "1"),
        ),
    )
    msg = _error(data_copy)
    assert "respondent C31" in msg and "answered but not asked" in msg and "Commune" in msg


def test_filter_naming_a_missing_question(survey):
    ind = Indicator(
        kind="multi",
        question="sources_information",
        filter={"question": "type_colectivite", "in": ["commune"]},
    )
    with pytest.raises(DataError) as info:
        compute(survey, ind)
    assert "unknown question `type_colectivite`" in str(info.value)
    assert "did you mean `type_collectivite`" in str(info.value)


def test_empty_data_file(data_copy):
    (data_copy.parent / "responses.csv").write_text("", encoding="utf-8")
    assert "the file is empty" in _error(data_copy)


def test_header_only(data_copy):
    csv = data_copy.parent / "responses.csv"
    csv.write_text(csv.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no respondents" in _error(data_copy)


def test_xlsx_gives_the_same_figures(data_copy, survey, tmp_path):
    frame = pd.read_csv(data_copy.parent / "responses.csv", dtype=str, keep_default_na=False)
    xlsx = tmp_path / "responses.xlsx"
    frame.to_excel(xlsx, index=False)
    from_xlsx = load_survey(data_copy, xlsx)
    ind = Indicator(kind="multi", question="reseaux_sociaux_plateformes")
    assert compute(from_xlsx, ind).series == compute(survey, ind).series


def test_not_csv_or_xlsx(data_copy, tmp_path):
    bad = tmp_path / "responses.ods"
    bad.write_bytes(b"PK\x03\x04 nothing")
    with pytest.raises(
        DataError,
        match=r"unsupported data file type `\.ods`; expected one of \.csv, \.dta, \.feather",
    ):
        load_survey(data_copy, bad)


def test_corrupt_xlsx(data_copy, tmp_path):
    bad = tmp_path / "responses.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read as XLSX"):
        load_survey(data_copy, bad)


def test_nothing_silently_dropped(survey):
    assert len(survey.frame) == 31
    assert survey.frame.index.is_unique


def test_free_text_answers_are_kept_as_text(data_copy):
    import yaml

    book = yaml.safe_load(data_copy.read_text(encoding="utf-8"))
    book["questions"].append({"id": "commentaire", "text": "Commentaire libre", "type": "text"})
    data_copy.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    _edit(
        data_copy,
        lambda f: f.__setitem__("commentaire", ["Très utile, merci !"] + [""] * (len(f) - 1)),
    )
    survey = load_survey(data_copy)
    assert survey.frame["commentaire"].iloc[0] == "Très utile, merci !"
    assert survey.frame["commentaire"].isna().sum() == 30


def test_whole_number_codes_match_their_decimal_cells(tmp_path):
    """A survey file stores the code 7 as `7.0` (and SPSS/Stata exports do): when a
    question's codes are whole numbers, the cell is the code; 7.5 is not."""
    from deckgen.analysis.survey import load_survey
    from deckgen.errors import DataError

    (tmp_path / "codebook.yaml").write_text(
        "questions:\n"
        "  - id: pid\n    type: single\n    optional: true\n    missing: [8, 9]\n"
        "    options: [{code: 1, label: Dem}, {code: 2, label: Rep}, {code: 7, label: Other}]\n",
        encoding="utf-8",
    )
    rows = ["id,pid", "a,1.0", "b,2", "c,7.0", "d,9", "e,", "f,9.0"]
    (tmp_path / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    survey = load_survey(tmp_path / "codebook.yaml")
    assert survey.frame["pid"].tolist()[:3] == ["1", "2", "7"]
    assert survey.frame["pid"].isna().tolist() == [False, False, False, True, True, True]
    (tmp_path / "responses.csv").write_text("id,pid\na,7.5\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(tmp_path / "codebook.yaml")
    assert "unknown answer `7.5`" in str(caught.value)
    assert "the codes are whole numbers: a cell holds one of them (7 or 7.0)" in str(caught.value)


def test_spaces_around_an_answer_are_not_part_of_it(tmp_path):
    """A cell typed ` 2 ` holds the code 2, a number ` 12.5` the number 12.5 and a
    declared no-answer code `9 ` no answer: spreadsheets and hand-edited files pad
    cells. Spaces inside a cell stay (`a b` is not a code)."""
    (tmp_path / "codebook.yaml").write_text(
        "questions:\n"
        "  - id: pid\n    type: single\n    optional: true\n    missing: [9]\n"
        "    options: [{code: 1, label: Dem}, {code: 2, label: Rep}, {code: a, label: A}]\n"
        "  - id: age\n    type: numeric\n    optional: true\n",
        encoding="utf-8",
    )
    rows = ["id,pid,age", "r1, 2 , 12.5", "r2,1\t,40 ", "r3,9 ,", "r4,\u00a0a,7"]
    (tmp_path / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    frame = load_survey(tmp_path / "codebook.yaml").frame
    assert frame["pid"].tolist()[:2] == ["2", "1"] and pd.isna(frame["pid"].iloc[2])
    assert frame["pid"].iloc[3] == "a"  # a no-break space is a space too (str.strip)
    assert frame["age"].tolist()[:2] == [12.5, 40.0] and frame["age"].iloc[3] == 7.0
    (tmp_path / "responses.csv").write_text("id,pid,age\nr1,a b,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown answer `a b`"):
        load_survey(tmp_path / "codebook.yaml")


def _workbook(path, sheets: dict, hidden: tuple = (), merge: str | None = None) -> None:
    """A workbook with these sheets ({title: rows}), some hidden, one range merged."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if title in hidden:
            ws.sheet_state = "hidden"
    if merge is not None:
        book[next(iter(sheets))].merge_cells(merge)
    book.save(path)


def _rows(data_copy) -> list[list[str]]:
    frame = pd.read_csv(data_copy.parent / "responses.csv", dtype=str, keep_default_na=False)
    return [list(frame.columns), *frame.astype(str).values.tolist()]


def test_xlsx_a_second_sheet_with_rows_is_never_ignored_without_a_word(data_copy, tmp_path):
    xlsx = tmp_path / "responses.xlsx"
    _workbook(xlsx, {"Réponses": _rows(data_copy), "Brouillon": [["x"], ["1"], ["2"]]})
    with pytest.raises(DataError) as info:
        load_survey(data_copy, xlsx)
    assert "rows on several sheets: `Réponses` (the first visible one) and `Brouillon`" in str(
        info.value
    )
    assert "`sheet:`" in str(info.value)


def test_xlsx_the_codebook_s_sheet_chooses_and_a_hidden_first_sheet_is_skipped(
    data_copy, survey, tmp_path
):
    """A hidden first sheet is not the one read: the first visible is; the codebook's
    `sheet:` names another; a misspelt one is named with the sheets there are."""
    import yaml

    xlsx = tmp_path / "responses.xlsx"
    _workbook(xlsx, {"Ancien": [["a"]], "Réponses": _rows(data_copy)}, hidden=("Ancien",))
    ind = Indicator(kind="multi", question="reseaux_sociaux_plateformes")
    assert compute(load_survey(data_copy, xlsx), ind).series == compute(survey, ind).series
    _workbook(xlsx, {"Notes": [["a"], ["b"]], "Réponses": _rows(data_copy)})
    book = yaml.safe_load(data_copy.read_text(encoding="utf-8"))
    book["survey"]["sheet"] = "Réponses"
    data_copy.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    assert compute(load_survey(data_copy, xlsx), ind).series == compute(survey, ind).series
    book["survey"]["sheet"] = "Reponses"
    data_copy.write_text(yaml.safe_dump(book, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_survey(data_copy, xlsx)
    assert "no sheet `Reponses` in the workbook (did you mean `Réponses`?)" in str(info.value)


def test_xlsx_merged_cells_are_named_not_read_as_no_answer(data_copy, tmp_path):
    xlsx = tmp_path / "responses.xlsx"
    _workbook(xlsx, {"Réponses": _rows(data_copy)}, merge="B2:B4")
    with pytest.raises(DataError) as info:
        load_survey(data_copy, xlsx)
    assert "merged cells in the sheet `Réponses` (B2:B4)" in str(info.value)


def test_xlsx_a_stray_cell_far_away_is_named_not_read_into_gigabytes(data_copy, tmp_path):
    """One value at XFD1048576 made the sheet a grid of 17 billion cells (MemoryError at
    5.7 GB). The reader names that cell; a process limited to 1.5 GB of memory gets the
    message, not a crash."""
    import resource
    import subprocess
    import sys

    from openpyxl import Workbook

    xlsx = tmp_path / "responses.xlsx"
    book = Workbook()
    for row in _rows(data_copy):
        book.active.append(row)
    book.active["XFD1048576"] = "x"
    book.save(xlsx)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    code = (
        "from deckgen.analysis.survey import load_survey\n"
        "from deckgen.errors import DataError\n"
        f"try:\n    load_survey({str(data_copy)!r}, {str(xlsx)!r})\n"
        "except DataError as exc:\n    print(exc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300, preexec_fn=limit)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-1500:]
    assert "reaches cell XFD1048576 (1,048,576 rows by 16,384 columns" in proc.stdout
    assert "save the responses as CSV" in proc.stdout


def test_a_column_may_serve_two_questions(tmp_path):
    """The ESS's 0-10 "good or bad for the economy" (`imbgeco`) is an item of the
    immigration grid and, with `column: imbgeco`, a number whose mean is asked for:
    each question reads the same cells its own way (pandas gives the reference)."""
    from deckgen.analysis.indicators import compute
    from deckgen.inputs.indicator_spec import Indicator

    ess = ROOT / "data" / "ess-2020-norway"
    text = (ess / "codebook.yaml").read_text(encoding="utf-8")
    text = text.replace('responses: "responses.csv"', f'responses: "{ess / "responses.csv"}"')
    text += (
        "  - id: economy_number\n    text: Immigration and the economy, 0-10\n"
        "    type: numeric\n    column: imbgeco\n    optional: true\n    min: 0\n    max: 10\n"
    )
    (tmp_path / "codebook.yaml").write_text(text, encoding="utf-8")
    survey = load_survey(tmp_path / "codebook.yaml")
    raw = pd.read_csv(ess / "responses.csv")
    mean = compute(
        survey, Indicator.validate({"kind": "mean", "question": "economy_number", "weights": False})
    )
    assert mean.series[0].values[0] == pytest.approx(raw["imbgeco"].mean(), rel=1e-12)
    assert mean.base == raw["imbgeco"].notna().sum()
    grid = compute(
        survey,
        Indicator.validate({"kind": "likert", "question": "imm", "weights": False}),
    )
    economy = grid.codes.index("economy")
    ten = next(s for s in grid.series if s.code == "10")
    answered = raw["imbgeco"].notna().sum()
    assert ten.values[economy] == pytest.approx((raw["imbgeco"] == 10).sum() / answered)


def test_a_reader_that_gives_numbers_not_text_is_named(tmp_path, monkeypatch):
    """Every reader gives a cell as its text (readers.Table); one that gives numbers (a
    plug-in's, say) is named with the column and what it gave, not read as no answer
    (every cell of a column of numbers was taken for empty) nor a traceback. Missing
    cells may be None, NaN or pd.NA."""
    import numpy as np

    from deckgen.inputs import readers

    (tmp_path / "codebook.yaml").write_text(
        "questions:\n  - id: age\n    type: numeric\n    optional: true\n", encoding="utf-8"
    )
    (tmp_path / "responses.csv").write_text("id,age\na,1\n", encoding="utf-8")

    def giving(column):
        def reader(_path):
            return readers.Table(pd.DataFrame({"id": ["a", "b", "c"], "age": column}))

        return reader

    monkeypatch.setitem(readers.READERS, ".csv", giving(pd.Series([40.0, np.nan, 12.5])))
    with pytest.raises(DataError) as caught:
        load_survey(tmp_path / "codebook.yaml")
    assert "column age: the reader of .csv gave `40.0` (float), not text" in str(caught.value)
    missing = pd.Series(["40", pd.NA, None], dtype=object)
    monkeypatch.setitem(readers.READERS, ".csv", giving(missing))
    frame = load_survey(tmp_path / "codebook.yaml").frame
    assert frame["age"].iloc[0] == 40.0 and frame["age"].iloc[1:].isna().all()


@pytest.mark.parametrize("kind", ["multi", "ranking", "numeric", "range"])
def test_a_wrong_answer_no_row_holds_is_no_problem(tmp_path, monkeypatch, kind):
    """A reader may give a column as a categorical whose categories hold answers no row
    has (pandas keeps declared categories). The checks look at each distinct answer,
    then at the rows: a wrong category that no row holds is no problem; held by a
    row, that row is named."""
    from deckgen.inputs import readers

    questions = {
        "multi": "  - id: q\n    type: multi\n"
        "    options: [{code: a, label: A}, {code: b, label: B}]\n",
        "ranking": "  - id: q\n    type: ranking\n    max_picks: 2\n"
        "    items: [{code: a, label: A}, {code: b, label: B}, {code: c, label: C}]\n",
        "numeric": "  - id: q\n    type: numeric\n    optional: true\n"
        "    bands: [{code: low, label: Low, min: 0, max: 10}]\n",
        "range": "  - id: q\n    type: numeric\n    optional: true\n    min: 0\n    max: 100\n",
    }[kind]
    (tmp_path / "codebook.yaml").write_text("questions:\n" + questions, encoding="utf-8")
    (tmp_path / "responses.csv").write_text("id\na\n", encoding="utf-8")
    columns = {"multi": ["q__a", "q__b"], "ranking": ["q__a", "q__b", "q__c"]}
    names = columns.get(kind, ["q"])
    wrong = {
        "multi": ["2", "x", "inf"],
        "ranking": ["3", "x", "inf"],
        "numeric": ["x", "inf"],
        "range": ["x", "inf", "500", "-1"],
    }
    said = {  # what each wrong answer is called, for r2 alone
        "2": "a multi-select cell is 1 (selected), 0 (not) or empty (not asked); got `2`",
        "3": "a rank is a whole number from 1 to 2; got `3`",
        "x": "expected a number, got `x`",
        "inf": "expected a finite number, got `inf`",
        "500": "value above the maximum 100",
        "-1": "value below the minimum 0",
    }

    def giving(cells: list[str]):
        def reader(_path):
            data = {"id": ["r1", "r2"]}
            for i, name in enumerate(names):  # a ranking: its first item ranked alone
                given = cells if i == 0 or kind != "ranking" else [None, None]
                data[name] = pd.Categorical(given, categories=["1", *wrong[kind]])
            return readers.Table(pd.DataFrame(data))

        return reader

    monkeypatch.setitem(readers.READERS, ".csv", giving(["1", "1"]))
    survey = load_survey(tmp_path / "codebook.yaml")
    assert survey.frame[names[0]].tolist() == [1.0, 1.0]
    for value in wrong[kind]:
        monkeypatch.setitem(readers.READERS, ".csv", giving(["1", value]))
        with pytest.raises(DataError) as caught:
            load_survey(tmp_path / "codebook.yaml")
        message = str(caught.value)
        assert f"respondent r2: {said[value]}" in message and "r1" not in message
        if value == "inf":  # not finite: not said to be a wrong selection or rank too
            assert "multi-select" not in message and "a rank is" not in message
            assert "none of the bands" not in message
