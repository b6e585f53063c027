"""No silent wrong figure: each input that used to change a figure without a word
is now either an error naming its place (exit 2) or a correct result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.render.identity import label_of

from .helpers import invoke, line_of, project_copy, read_rows, replace_in, set_cells

SPEC = Path("config/barometre-2021.yaml")
CODEBOOK = Path("data/barometre-2021/codebook.yaml")
CSV = Path("data/barometre-2021/responses.csv")


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    project_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def _validate() -> tuple[int, str]:
    run = invoke("validate", str(SPEC))
    return run.code, run.stderr


def _budget_rows() -> list[dict]:
    run = invoke("indicators", str(SPEC), "--csv", "out/i.csv")
    assert run.code == 0, run.output
    return [r for r in read_rows(Path("out/i.csv")) if r["question"].startswith("Budget annuel")]


def test_a_number_in_no_band_is_an_error_naming_it(project):
    set_cells(CSV, {("C02", "budget_participation"): "750000"})  # above the last band
    code, err = _validate()
    assert code == 2
    assert (
        f"{CSV.resolve()}: column budget_participation: respondent C02: 750000 is in none of the "
        "bands of `budget_participation` (0–5001, 5001–50000, 50000–100000, 100000–500000); add "
        "a band that takes it in the codebook, or one with `other: true` for every value outside "
        "the others"
    ) in err


def test_an_other_band_takes_the_rest(project):
    set_cells(CSV, {("C02", "budget_participation"): "750000"})
    replace_in(
        CODEBOOK,
        '      - {code: pas_de_reponse, label: "Pas de réponse", no_answer: true}\n    asked_if: '
        "null\n  - id: dispositifs_numeriques",
        '      - {code: plus, label: "500 000 et plus", other: true}\n'
        '      - {code: pas_de_reponse, label: "Pas de réponse", no_answer: true}\n'
        "    asked_if: null\n  - id: dispositifs_numeriques",
    )
    replace_in(SPEC, "        expect: 62\n", "")  # the budget per inhabitant moves too
    rows = _budget_rows()
    plus = [r for r in rows if r["label"] == "500 000 et plus"]
    assert [(r["count"], r["base"]) for r in plus] == [("1", "31")]
    chart = [r for r in rows if r["element"] == "chart 2"]
    assert chart and {r["base"] for r in chart} == {"31"}  # nobody left out of the base


@pytest.mark.parametrize("value", ["inf", "-inf", "1e400", "Infinity"])
def test_an_endless_number_is_an_error(project, value):
    set_cells(CSV, {("C02", "population"): value})
    code, err = _validate()
    assert code == 2
    assert f"column population: respondent C02: expected a finite number, got `{value}`" in err


def test_a_formula_without_a_saved_value_is_an_error_naming_the_cell(project):
    from openpyxl import Workbook

    rows = list(read_rows(CSV))
    wb = Workbook()
    ws = wb.active
    ws.title = "Réponses"
    header = list(rows[0])
    ws.append(header)
    for row in rows:
        ws.append([row[k] or None for k in header])
    column = header.index("population") + 1
    ws.cell(row=3, column=column).value = "=12000+487"  # C02, as openpyxl saves it: no value
    wb.save("data/barometre-2021/responses.xlsx")
    replace_in(
        SPEC, "  locale: fr\n", "  locale: fr\n  responses: ../data/barometre-2021/responses.xlsx\n"
    )
    code, err = _validate()
    assert code == 2
    coordinate = ws.cell(row=3, column=column).coordinate
    assert f"cell Réponses!{coordinate} holds the formula `=12000+487` with no saved value" in err


def test_data_on_the_second_sheet_is_pointed_at(project):
    from openpyxl import Workbook

    rows = list(read_rows(CSV))
    wb = Workbook()
    wb.active.append(list(rows[0]))  # a header, no rows
    data = wb.create_sheet("Données")
    data.append(list(rows[0]))
    for row in rows:
        data.append([row[k] or None for k in rows[0]])
    wb.save("data/barometre-2021/responses.xlsx")
    replace_in(
        SPEC, "  locale: fr\n", "  locale: fr\n  responses: ../data/barometre-2021/responses.xlsx\n"
    )
    code, err = _validate()
    assert code == 2
    assert "the first sheet `Sheet` has no respondents, but the sheet `Données` has rows" in err


def test_a_duplicate_column_is_named(project):
    text = CSV.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    header[header.index("population")] = "region"  # region twice
    CSV.write_text("\n".join([",".join(header), *text[1:]]) + "\n", encoding="utf-8")
    code, err = _validate()
    assert code == 2
    assert "the column `region` appears twice in the header (columns 3 and 4)" in err


CACHE_EDITS = {
    "value": lambda r: r["series"][0]["values"].__setitem__(0, 0.12),
    "shortened": lambda r: r["series"][0]["values"].pop(),
    "negative base": lambda r: r.__setitem__("base", -5),
    "text": lambda r: r["series"][0]["values"].__setitem__(0, "abc"),
    "huge": lambda r: r["series"][0]["values"].__setitem__(0, 1e308),
    "no series": lambda r: r.__setitem__("series", []),
    "integer labels": lambda r: r.__setitem__("categories", list(range(len(r["categories"])))),
}


@pytest.mark.parametrize("edit", list(CACHE_EDITS))
def test_a_hand_edited_cache_is_only_a_miss(project, edit):
    assert invoke("build", str(SPEC), "-o", "out/a.pptx", "-q").code == 0
    (entry,) = Path("cache").glob("results-*.json")
    data = json.loads(entry.read_text(encoding="utf-8"))
    social = next(k for k in data["results"] if "reseaux_sociaux_plateformes" in k)
    CACHE_EDITS[edit](data["results"][social])
    if edit != "value":  # also with a checksum made to match: each result is checked
        from deckgen.analysis.cache import _checksum

        data["checksum"] = _checksum(data["results"])
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert invoke("build", str(SPEC), "-o", "out/b.pptx", "-q").code == 0
    assert Path("out/a.pptx").read_bytes() == Path("out/b.pptx").read_bytes()


def test_a_template_with_slides_is_an_error(project):
    from pptx import Presentation

    prs = Presentation("layouts/deckgen-template.pptx")
    prs.slides.add_slide(prs.slide_layouts[0])
    prs.save("layouts/deckgen-template.pptx")
    for command in ("validate", "build"):
        run = invoke(command, str(SPEC), *(["-q"] if command == "build" else []))
        assert run.code == 2
        assert "already holds 1 slide(s): deckgen adds its own" in run.stderr


def test_a_layout_without_a_title_placeholder_is_an_error(project):
    from pptx import Presentation

    prs = Presentation("layouts/deckgen-template.pptx")
    (closing,) = [lay for lay in prs.slide_layouts if label_of(lay.name) == "closing"]
    for ph in list(closing.placeholders):
        if ph.placeholder_format.idx == 0:
            ph._element.getparent().remove(ph._element)
    prs.save("layouts/deckgen-template.pptx")
    line = line_of(SPEC, "layout: closing")
    for command in ("validate", "build"):
        run = invoke(command, str(SPEC), *(["-q"] if command == "build" else []))
        assert run.code == 2, run.output
        assert f"{SPEC}:{line}:" in run.stderr
        assert (
            "layout `closing` of the template deckgen-template.pptx has no title placeholder, "
            "so the slide's title would be lost"
        ) in run.stderr
