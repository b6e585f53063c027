"""The indicators workbook (`deckgen indicators SPEC --xlsx PATH`), read back with openpyxl."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from deckgen.errors import OutputError, Warnings
from deckgen.locales.numbers import NNBSP
from deckgen.workflows.exports import COLUMNS, escape_cell, figure_rows, write_xlsx, xlsx_headers
from deckgen.workflows.pipeline import load, plan

from .conftest import SPEC
from .helpers import invoke


@pytest.fixture(scope="module")
def rows():
    loaded = load(SPEC)
    _, computed = plan(loaded, Warnings())
    return figure_rows(computed, loaded.spec.deck.locale)


@pytest.fixture(scope="module")
def sheet(rows, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "indicateurs.xlsx"
    assert write_xlsx(rows, path) == path
    return load_workbook(path).active, path


def _records(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    keys = {xlsx_headers("fr")[k]: k for k in COLUMNS}
    return [{keys[h]: c for h, c in zip(header, row)} for row in ws.iter_rows(min_row=2)]


def test_layout_for_a_spreadsheet_user(sheet, rows):
    ws, _ = sheet
    assert [c.value for c in ws[1]] == [xlsx_headers("fr")[k] for k in COLUMNS]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    last = chr(ord("A") + len(COLUMNS) - 1)  # 19 columns: A to S
    assert ws.auto_filter.ref == f"A1:{last}{len(rows) + 1}" == f"A1:S{len(rows) + 1}"
    assert ws.max_row == len(rows) + 1
    widths = {
        ws.cell(row=1, column=i + 1).value: ws.column_dimensions[chr(65 + i)].width
        for i in range(len(COLUMNS))
    }
    assert widths["Question"] >= 40 and widths["Diapositive"] < widths["Question"]


def test_one_row_per_figure_shown(rows):
    # a callout shows one number: one row, not one per option of its question
    sources = [r for r in rows if r["slide"] == 15]
    assert [r["label"] for r in sources] == [
        "Presse",
        "Réseaux d'échanges entre collectivités",
        "Publications spécialisées",
        "Formations professionnelles",
        "Consultants et experts",
    ]
    assert len({(r["slide"], r["element"], r["label"], r["series"]) for r in rows}) == len(rows)


def test_the_97_percent_callout(sheet):
    ws, _ = sheet
    (row,) = [
        r for r in _records(ws) if r["slide"].value == 8 and r["element"].value == "callout 1"
    ]
    assert row["value"].value == f"97{NNBSP}%"
    assert row["percent"].value == pytest.approx(0.97)
    assert isinstance(row["percent"].value, float)
    assert "%" in row["percent"].number_format
    assert row["count"].value == 30 and row["base"].value == 31
    assert row["title"].value == "Les moyens"
    assert row["question"].value == "Disposez-vous d'un service dédié à la participation ?"


def test_the_social_networks(sheet):
    ws, _ = sheet
    social = [r for r in _records(ws) if r["slide"].value == 10 and r["element"].value == "chart 1"]
    assert [
        (r["label"].value, r["percent"].value, r["count"].value, r["base"].value) for r in social
    ] == [
        ("Facebook", 1.0, 24, 24),
        ("YouTube", 0.75, 18, 24),
        ("Twitter", 0.63, 15, 24),
        ("Instagram", 0.42, 10, 24),
        ("TikTok", 0.13, 3, 24),
        ("SnapChat", 0.08, 2, 24),
    ]
    assert {r["status"].value for r in social} == {"publié"}
    assert {r["question"].value for r in social} == {
        "Quels réseaux sociaux utilisez-vous pour la participation ?"
    }


def test_text_is_never_a_formula(tmp_path):
    nasty = {
        "slide": 1,
        "title": "=cmd|' /C calc'!A0",
        "element": "chart 1",
        "label": '=HYPERLINK("http://x")',
        "series": "+33 1 23",
        "value": "-2",
        "percent": 12.0,
        "count": 3,
        "base": 25,
        "filter": "@SUM(A1)",
        "question": "Q ?",
        "status": "illustratif",
    }
    path = write_xlsx([nasty], tmp_path / "nasty.xlsx")
    ws = load_workbook(path).active
    cells = {c.column_letter: c for c in ws[2]}
    assert cells["D"].value == '\'=HYPERLINK("http://x")' == escape_cell(nasty["label"])
    assert cells["B"].value.startswith("'=") and cells["E"].value == "'+33 1 23"
    assert cells["F"].value == "'-2" and cells["L"].value == "'@SUM(A1)"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # the percent, then the weighted count (none here), the count
    assert cells["G"].value == pytest.approx(0.12) and cells["I"].value == 3


def test_written_atomically_and_deterministically(rows, sheet, tmp_path):
    _, first = sheet
    again = write_xlsx(rows, tmp_path / "again.xlsx")
    assert again.read_bytes() == first.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] == ["again.xlsx"]  # no temporary file left
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(OutputError, match="a directory is in its place"):
        write_xlsx(rows, tmp_path / "folder.xlsx")


def test_cli_indicators_xlsx(tmp_path, rows):
    path = tmp_path / "out" / "indicateurs.xlsx"
    result = invoke("indicators", str(SPEC), "--xlsx", str(path))
    assert result.code == 0, result.output
    assert f"wrote {path} ({len(rows)} rows)" in result.output
    assert load_workbook(path).active.max_row == len(rows) + 1


def test_a_survey_s_own_figures_are_not_called_illustrative(gss_deck):
    """The Baromètre's rows are a reconstruction (`reconstruction: true` in its
    codebook): figures it never published are marked illustrative. A survey's own
    answers (the GSS example) give figures that need no such warning."""
    from pptx import Presentation

    figures = gss_deck.figures()
    # the number of respondents is always a published figure; the rest is the survey's
    assert {r["status"] for r in figures if r["question"] != "Respondents"} == {"survey data"}
    assert {r["status"] for r in figures if r["question"] == "Respondents"} == {"published"}
    notes = "\n".join(
        slide.notes_slide.notes_text_frame.text for slide in Presentation(str(gss_deck.path)).slides
    )
    assert "Figures:" in notes and "Key figure:" in notes
    assert "llustrative" not in notes and "reconstruction" not in notes
    assert re.search(r"Key figure: \d+% say .* \(base [\d,]+ respondents\)\.", notes)


def test_reconstructed_rows_keep_their_illustrative_mark(rows):
    statuses = {row["status"] for row in rows}
    assert statuses == {"publié", "illustratif"}
