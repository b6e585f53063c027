"""Every row of docs/errors.md: what a user can get wrong, and what they see.

Each test mutates a copy of the real project (config/, data/barometre-2021/,
layouts/ under tmp_path, so the spec's `../data/...` paths still resolve), runs
the real command line in it, and checks: exit code 2, no traceback, a message
naming the place (file:line:col for the spec, respondent and column for the
data) and the nearest valid name where there is one.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from deckgen.render.identity import label_of

from .helpers import invoke, line_of, project_copy, replace_in, run_cli, set_cells

SPEC_REL = "config/barometre-2021.yaml"
DATA_REL = "data/barometre-2021"


class Run:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code, self.stdout, self.stderr = code, stdout, stderr

    @property
    def first(self) -> str:
        return self.stderr.strip().splitlines()[0] if self.stderr.strip() else ""


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the project; the current directory is its root (as for a user)."""
    project_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def deckgen(*args: str) -> Run:
    """The real CLI, in process (the same code path as the `deckgen` command)."""
    result = invoke(*args)  # a crash raises, shown with its traceback
    return Run(result.code, result.stdout, result.stderr)


def build(*extra: str) -> Run:
    return deckgen("build", SPEC_REL, "-o", "out/deck.pptx", "-q", *extra)


def user_error(run: Run) -> str:
    """The checks common to every row; returns stderr."""
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    assert not Path("out/deck.pptx").exists()
    return run.stderr


def spec_line(needle: str) -> int:
    return line_of(Path(SPEC_REL), needle)


# -- the spec ------------------------------------------------------------------


def test_yaml_syntax_error_names_line_and_column(project):
    n = spec_line('subtitle: "édition 2021 — Webinaire')
    replace_in(
        Path(SPEC_REL),
        '    subtitle: "édition 2021 — Webinaire',
        '    subtitle: [ "édition 2021 — Webinaire',
    )
    err = user_error(build())
    assert re.match(rf"spec error: {SPEC_REL}:{n + 1}:\d+: invalid YAML: ", err), err


def test_unknown_key_names_it_and_suggests(project):
    n = spec_line('remark: "Dans une optique de communication"')
    replace_in(
        Path(SPEC_REL),
        'remark: "Dans une optique de communication"',
        'remak: "Dans une optique de communication"',
    )
    err = user_error(build())
    assert err.startswith(
        f'spec error: {SPEC_REL}:{n}:5: slide 10 "Les réseaux sociaux pour la participation": '
        "slides[9].remak: unknown key `remak` (did you mean `remark`?); valid keys: `callouts`, "
    ), err


def test_wrong_type_names_key_and_value(project):
    n = spec_line("weight: 2")
    replace_in(Path(SPEC_REL), "weight: 2", "weight: beaucoup")
    err = user_error(build())
    assert (
        f'spec error: {SPEC_REL}:{n}:15: slide 10 "Les réseaux sociaux pour la participation": '
        "slides[9].chart.weight: expected a number, got text `beaucoup`"
    ) in err, err


@pytest.mark.parametrize(
    "written, message",
    [
        ("weight: 0", "slides[9].chart.weight: must be more than 0, got 0"),
        ("weight: 2\n      digits: 5", "slides[9].chart.digits: must be at most 2, got 5"),
        ("weight: 2\n      digits: -1", "slides[9].chart.digits: must be at least 0, got -1"),
        (
            "weight: 2\n      digits: 1.5",
            "slides[9].chart.digits: expected a whole number, got a number `1.5`",
        ),
        (
            "weight: 2\n      labels: oui please",
            "slides[9].chart.labels: expected true or false, got text `oui please`",
        ),
    ],
)
def test_value_out_of_its_range_or_of_the_wrong_kind(project, written, message):
    n = spec_line("weight: 2")
    replace_in(Path(SPEC_REL), "weight: 2", written)
    err = user_error(build())
    line = n + written.count("\n")
    assert re.match(
        rf'spec error: {SPEC_REL}:{line}:\d+: slide 10 "Les réseaux sociaux pour la '
        rf'participation": ' + re.escape(message) + "$",
        err.strip(),
    ), err


def test_missing_required_key(project):
    n = spec_line("- id: merci")
    replace_in(Path(SPEC_REL), '    layout: closing\n    title: "Merci !"', "    layout: closing")
    err = user_error(build())
    assert re.match(
        rf"spec error: {SPEC_REL}:{n}:\d+: slide 28: slides\[27\].title: missing required key "
        rf"`title`$",
        err.strip(),
    ), err


def test_text_item_neither_text_nor_a_block(project):
    n = spec_line("    text:")
    replace_in(Path(SPEC_REL), "    text:\n", "    text:\n      - 2021\n", count=1)
    err = user_error(build())
    assert re.match(
        rf'spec error: {SPEC_REL}:{n + 1}:\d+: slide 1 "[^"]+": slides\[0\].text\[0\]: '
        r"expected text or a mapping, got a number `2021`$",
        err.strip(),
    ), err


def test_chart_and_charts_on_one_slide(project):
    replace_in(
        Path(SPEC_REL),
        "weight: 2",
        "weight: 2\n    charts: [{type: pie, indicator: {kind: multi, question: q}}]",
    )
    err = user_error(build())
    assert re.match(
        rf'spec error: {SPEC_REL}:\d+:\d+: slide 10 "Les réseaux sociaux pour la participation": '
        r"slides\[9\]: use either `chart` or `charts`, not both$",
        err.strip(),
    ), err


def test_no_slides(project):
    text = Path(SPEC_REL).read_text(encoding="utf-8")
    Path(SPEC_REL).write_text(text[: text.index("slides:")] + "slides: []\n", encoding="utf-8")
    err = user_error(build())
    assert re.match(
        rf"spec error: {SPEC_REL}:\d+:\d+: slides: needs at least 1 item, got 0$", err.strip()
    ), err


def test_unknown_question_suggests_the_nearest(project):
    n = spec_line("question: reseaux_sociaux_plateformes")
    replace_in(
        Path(SPEC_REL),
        "question: reseaux_sociaux_plateformes",
        "question: reseaux_sociaux_plateforme",
    )
    err = user_error(build())
    assert err.startswith(
        f'spec error: {SPEC_REL}:{n}:42: slide 10 "Les réseaux sociaux pour la participation": '
        "unknown question `reseaux_sociaux_plateforme` (did you mean "
        "`reseaux_sociaux_plateformes`?); "
        "valid questions: `accompagnement`, "
    ), err


def test_unknown_option_suggests_the_nearest(project):
    n = spec_line("option: presse")
    replace_in(Path(SPEC_REL), "option: presse", "option: press")
    err = user_error(build())
    assert err.startswith(
        f"spec error: {SPEC_REL}:{n}:17: slide 15 \"Les sources d'information sur la participation "
        'numérique": '
        "`press` is not an option of `sources_information` (did you mean `presse`?); valid: "
    ), err


def test_unknown_condition_option_suggests_the_nearest(project):
    n = spec_line("in: [libre]")
    replace_in(Path(SPEC_REL), "in: [libre]", "in: [libres]")
    err = user_error(build())
    assert re.match(
        rf'spec error: {SPEC_REL}:{n}:\d+: slide 11 "La place des civic tech": `libres` is not an '
        rf"option "
        r"of `logiciel` \(did you mean `libre`\?\); valid options: `libre`, `proprietaire`",
        err,
    ), err


def test_unknown_layout_suggests_the_nearest(project):
    n = spec_line("layout: closing")
    replace_in(Path(SPEC_REL), "layout: closing", "layout: closng")
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n}:13: slide 28 "Merci !": layout `closng` is not in the '
        "template "
        "deckgen-template.pptx (did you mean `closing`?); its layouts: `callouts`, `chart`, "
        "`closing`, `section`, `title`"
    )


def test_unknown_chart_type_suggests_the_nearest(project):
    n = spec_line("type: stacked100")
    replace_in(Path(SPEC_REL), "type: stacked100", "type: stacked")
    err = user_error(build())
    assert (
        f'{SPEC_REL}:{n}:13: slide 14 "À quoi servent ces outils ?": slides[13].chart.type: '
        "`stacked` is not a "
        "valid chart type (did you mean `stacked100`?); valid: `bar`, `column`, `doughnut`, `map`, "
        "`pie`, "
        "`ranking`, `stacked100`"
    ) in err, err


def test_all_spec_problems_at_once(project):
    replace_in(Path(SPEC_REL), "layout: closing", "layout: closng")
    replace_in(Path(SPEC_REL), "option: presse", "option: press")
    err = user_error(build())
    assert err.startswith("spec error: 2 problems\n")
    assert "`closng`" in err and "`press`" in err


def test_chart_type_that_does_not_fit_the_indicator(project):
    n = spec_line("type: doughnut")
    replace_in(
        Path(SPEC_REL),
        '      - type: doughnut\n        title: "Type de collectivité"\n        indicator: {kind: '
        "distribution",
        '      - type: doughnut\n        title: "Type de collectivité"\n        indicator: {kind: '
        "multi",
    )
    replace_in(
        Path(SPEC_REL),
        "indicator: {kind: multi, question: type_collectivite}",
        "indicator: {kind: multi, question: dispositifs_numeriques}",
    )
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n}:15: slide 3 "Les répondants": a doughnut shows parts of a '
        "whole: use a `distribution` indicator, not `multi`"
    )


def test_option_on_a_one_number_callout(project):
    n = spec_line("expect: 97")
    replace_in(Path(SPEC_REL), "expect: 97", "expect: 97\n        option: oui")
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n + 1}:17: slide 8 "Les moyens": `option:` picks one category of '
        "a distribution, "
        "multi, likert or ranking indicator; a `share` indicator gives one number already: remove "
        "`option:`"
    )


def test_colour_that_is_not_hex(project):
    n = spec_line("weight: 2")
    replace_in(Path(SPEC_REL), "weight: 2", "weight: 2\n      colors: [1D3557, rouge]")
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n + 1}:15: slide 10 "Les réseaux sociaux pour la participation": '
        "slides[9].chart.colors: expected a colour as 6 hex digits like 1D3557, got 'rouge'"
    )


def test_text_with_a_control_character(project):
    n = spec_line('title: "Merci !"')
    replace_in(Path(SPEC_REL), 'title: "Merci !"', 'title: "Merci\\v!"')
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n}:12: slide 28 "Merci!": slides[27].title: the text contains '
        "the control "
        "character U+000B, which a slide cannot show; remove it"
    )


def test_brackets_in_a_title_are_shown_as_typed(project):
    replace_in(
        Path(SPEC_REL),
        'layout: closing\n    title: "Merci !"',
        'layout: closng\n    title: "Merci [/] [bold]!"',
    )
    proc = run_cli("build", SPEC_REL, "-o", "out/deck.pptx", "-q", cwd=project)
    assert proc.returncode == 2, proc.stderr
    assert 'slide 28 "Merci [/] [bold]!": layout `closng`' in proc.stderr


def test_missing_spec_file(project):
    err = user_error(deckgen("build", "config/nope.yaml", "-o", "out/deck.pptx", "-q"))
    assert err.strip() == "spec error: file not found: config/nope.yaml"


# -- the data ------------------------------------------------------------------


def test_missing_data_file(project):
    (project / DATA_REL / "responses.csv").unlink()
    err = user_error(build())
    assert err.strip() == f"data error: data file not found: {project / DATA_REL / 'responses.csv'}"


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "responses.txt",
            "id\nC01\n",
            "unsupported data file type `.txt`; expected one of .csv, .dta, .feather, .parquet, "
            ".sav, .xlsm, .xlsx, .zsav",
        ),
        ("responses.xlsx", "id,region\nC01,x\n", "cannot read as XLSX (File is not a zip file)"),
    ],
)
def test_data_file_that_is_not_csv_or_xlsx(project, name, content, message):
    (project / DATA_REL / name).write_text(content)
    replace_in(
        project / DATA_REL / "codebook.yaml", "responses: responses.csv", f"responses: {name}"
    )
    err = user_error(build())
    assert err.strip() == f"data error: {project / DATA_REL / name}: {message}"


def test_data_file_that_is_not_utf8(project):
    path = project / DATA_REL / "responses.csv"
    path.write_bytes(
        path.read_text(encoding="utf-8").replace("C01,", "C01é,").encode("latin-1", "replace")
    )
    err = user_error(build())
    assert err.startswith(f"data error: {path}: not UTF-8 text ("), err
    assert "save it as UTF-8 CSV" in err


def test_csv_with_semicolons(project):
    """French Excel saves « CSV (séparateur : point-virgule) »: say so instead of
    'no respondent id column'."""
    path = project / DATA_REL / "responses.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    err = user_error(build())
    assert err.strip() == (
        f"data error: {path}: the columns are separated by `;` (a French Excel CSV); deckgen "
        "reads CSV with commas: save as « CSV UTF-8 (délimité par des virgules) » or as .xlsx"
    )


def test_csv_row_with_an_extra_cell(project):
    path = project / DATA_REL / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] += ",en trop"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = user_error(build())
    assert re.fullmatch(
        rf"data error: {re.escape(str(path))}: not a valid CSV file \(Error tokenizing data\. "
        r"C error: Expected \d+ fields in line 4, saw \d+\)",
        err.strip(),
    ), err


def test_two_rows_with_the_same_respondent_id(project):
    path = project / DATA_REL / "responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[2]  # C03's row replaced by a second C02
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    err = user_error(build())
    assert err.strip() == f"data error: {path}: duplicate respondent id(s): C02"


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "the file is empty (no header, no rows)"),
        (None, "no respondents (the file has a header but no rows)"),
    ],
)
def test_empty_data(project, content, message):
    path = project / DATA_REL / "responses.csv"
    path.write_text(
        path.read_text(encoding="utf-8").splitlines()[0] + "\n" if content is None else content,
        encoding="utf-8",
    )
    err = user_error(build())
    assert err.strip() == f"data error: {path}: {message}"


def test_unknown_column(project):
    path = project / DATA_REL / "responses.csv"
    replace_in(path, ",region,", ",regoin,")
    err = user_error(build())
    assert err.startswith("data error: 2 problems\n")
    assert (
        f"{path}: column regoin: unknown column `regoin` (did you mean `region`?): not in the "
        "codebook "
        f"{project / DATA_REL / 'codebook.yaml'}"
    ) in err
    assert f"{path}: column `region` of question `region` is missing" in err


def test_unknown_answer_code(project):
    path = project / DATA_REL / "responses.csv"
    set_cells(path, {("C02", "type_collectivite"): "comune"})
    err = user_error(build())
    assert err.strip() == (
        f"data error: {path}: column type_collectivite: unknown answer `comune` "
        "(did you mean `commune`?) (respondent C02); valid codes: `commune`, `departement`, "
        "`intercommunalite`, `metropole`, `region`"
    )


def test_unknown_answers_of_one_column_are_one_message(project):
    """Several wrong cells of one column: one message, each value with its respondents;
    cells holding labels instead of codes are said to be labels."""
    path = project / DATA_REL / "responses.csv"
    cells = {"C02": "Commune", "C03": "Commune", "C04": "ville"}
    set_cells(path, {(rid, "type_collectivite"): value for rid, value in cells.items()})
    err = user_error(build())
    assert err.count("\n") == 1, err
    assert (
        f"data error: {path}: column type_collectivite: unknown answers `Commune` (did you mean "
        "`commune`?) (respondents C02, C03), `ville` (respondent C04); valid codes: `commune`, "
    ) in err
    assert err.strip().endswith(
        "the cells hold the options' labels: write their codes in the responses, or make each "
        "label the code in the codebook"
    )


def test_value_out_of_range(project):
    path = project / DATA_REL / "responses.csv"
    set_cells(path, {("C02", "population"): "-5"})
    err = user_error(build())
    assert (
        err.strip()
        == f"data error: {path}: column population: respondent C02: value below the minimum 0"
    )


def test_ranking_with_too_many_picks(project):
    path = project / DATA_REL / "responses.csv"
    # C01 ranked fracture_numerique 1, associer_citoyens 2, transparence_donnees 3: a fourth pick
    set_cells(path, {("C01", "actions_renforcer__former_agents"): "3"})
    err = user_error(build())
    assert err.startswith("data error: 2 problems\n"), err
    assert (
        f"{path}: question actions_renforcer: respondent C01: ranked 4 items, at most 3 allowed"
        in err
    ), err
    assert (
        f"{path}: question actions_renforcer: respondent C01: the same rank given to two items"
        in err
    ), err


def test_rank_out_of_range(project):
    path = project / DATA_REL / "responses.csv"
    set_cells(path, {("C01", "actions_renforcer__former_agents"): "4"})
    err = user_error(build())
    assert err.strip() == (
        f"data error: {path}: column actions_renforcer__former_agents: respondent C01: "
        "a rank is a whole number from 1 to 3; got `4`"
    )


def test_answer_from_someone_not_asked(project):
    path = project / DATA_REL / "responses.csv"
    set_cells(path, {("C02", "reseaux_sociaux_plateformes__facebook"): "1"})
    err = user_error(build())
    assert err.strip() == (
        f"data error: {path}: column reseaux_sociaux_plateformes__facebook: respondent C02: "
        "answered but not asked "
        "(asked only if “Utilisez-vous les réseaux sociaux pour la participation ?” = “Oui”)"
    )


def test_no_answer_from_someone_asked(project):
    path = project / DATA_REL / "responses.csv"
    set_cells(path, {("C01", "service_participation"): ""})
    err = user_error(build())
    assert (
        err.strip() == f"data error: {path}: column service_participation: respondent C01: "
        "no answer although asked (if respondents could skip it, say `optional: true` for the "
        "question in the codebook)"
    )


def test_optional_questions_missing_codes_and_decimal_codes(project):
    """What survey files do: a skipped question, codes 8/9 for no answer, codes as 7.0,
    columns under other names. The figures are those of the answers given."""
    from .helpers import replace_in

    path = project / DATA_REL / "responses.csv"
    codebook = project / DATA_REL / "codebook.yaml"
    set_cells(path, {("C01", "service_participation"): "", ("C02", "service_participation"): "9"})
    replace_in(codebook, "  - id: service_participation\n", "  - id: service_participation\n"
               "    optional: true\n    missing: [9]\n")  # fmt: skip
    # 31 answers became 29: 97 % (30/31) of the published figure is no longer the data
    replace_in(project / SPEC_REL, "        expect: 97\n", "")
    import deckgen

    rows = deckgen.load(project / SPEC_REL).figures()
    (row,) = [r for r in rows if r["slide"] == 8 and r["element"] == "callout 1"]
    assert (row["count"], row["base"]) == (28, 29)
    # codes written as decimals, and a column under another name
    text = path.read_text(encoding="utf-8")
    header, *lines = text.splitlines()
    header = header.replace("etp_participation", "Q12_ETP")
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    replace_in(codebook, "  - id: etp_participation\n", "  - id: etp_participation\n"
               "    column: Q12_ETP\n")  # fmt: skip
    assert deckgen.load(project / SPEC_REL).figures() == rows


# -- filters and figures ---------------------------------------------------------

MULTI = "{kind: multi, question: reseaux_sociaux_plateformes, sort: desc}"
# region and commune at once: nobody
EMPTY_FILTER = (
    "{all: [{question: type_collectivite, in: [region]}, "
    "{question: type_collectivite, in: [commune]}]}"
)


def test_filter_naming_a_missing_question(project):
    n = spec_line(MULTI)
    replace_in(
        Path(SPEC_REL), MULTI, MULTI[:-1] + ", filter: {question: type_colectivite, in: [commune]}}"
    )
    err = user_error(build())
    assert re.match(
        rf'spec error: {SPEC_REL}:{n}:\d+: slide 10 "Les réseaux sociaux pour la participation": '
        r"condition names unknown question `type_colectivite` \(did you mean "
        r"`type_collectivite`\?\)",
        err,
    ), err


def test_filter_giving_an_empty_base_is_reported_not_drawn_as_zeros(project):
    n = spec_line(MULTI)
    empty = EMPTY_FILTER
    replace_in(Path(SPEC_REL), MULTI, MULTI[:-1] + f", filter: {empty}}}")
    err = user_error(build())
    assert re.match(
        rf'spec error: {SPEC_REL}:{n}:\d+: slide 10 "Les réseaux sociaux pour la participation": '
        r"chart 1: empty base: no collectivités in scope \(.*\), so there is nothing to chart; "
        r"check the filter$",
        err.strip(),
    ), err


def test_filter_giving_an_empty_base_on_a_callout_shows_nd_and_warns(project):
    empty = EMPTY_FILTER
    replace_in(
        Path(SPEC_REL),
        "{kind: share, condition: {question: logiciel, in: [libre]}}",
        f"{{kind: share, condition: {{question: logiciel, in: [libre]}}, filter: {empty}}}",
    )
    replace_in(
        Path(SPEC_REL), "expect: 45\n", "\n"
    )  # the published 45 % is not what an empty base gives
    run = build()
    assert run.code == 0, run.stderr
    assert (
        'warning: slide 11 "La place des civic tech": callout 2: empty base: no collectivités in '
        "scope, it shows n.d." in run.stderr.splitlines()
    )
    from pptx import Presentation

    slide = Presentation("out/deck.pptx").slides[10]
    assert [s.text_frame.text for s in slide.shapes if label_of(s.name) == "Callout 2 value"] == [
        "n.d."
    ]


def test_callout_expect_mismatch(project):
    n = spec_line("expect: 97")
    replace_in(Path(SPEC_REL), "expect: 97", "expect: 96")
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n}:17: slide 8 "Les moyens": callout 1: the data give 97\u202f% '
        "but "
        "`expect: 96` (the published figure); the data or the spec is wrong"
    )


# -- the template ----------------------------------------------------------------

TEMPLATE_REL = "layouts/deckgen-template.pptx"


def test_missing_template(project):
    (project / TEMPLATE_REL).unlink()
    err = user_error(build())
    assert err.strip() == f"template error: template not found: {project / TEMPLATE_REL}"


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda b: b"%PDF-1.4 not a deck", "not a PowerPoint file (not a zip archive): {path}"),
        (lambda b: b[: len(b) // 2], "not a PowerPoint file (not a zip archive): {path}"),
    ],
)
def test_corrupt_template(project, damage, message):
    path = project / TEMPLATE_REL
    path.write_bytes(damage(path.read_bytes()))
    err = user_error(build())
    assert err.strip() == "template error: " + message.format(path=path)


def test_template_without_a_named_layout(project):
    path = project / TEMPLATE_REL
    data = path.read_bytes()
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
        zipfile.ZipFile(__import__("io").BytesIO(data)) as src,
    ):
        for info in src.infolist():
            blob = src.read(info.filename)
            out.writestr(info, blob.replace(b'<p:cSld name="closing">', b'<p:cSld name="Fin">'))
    n = spec_line("layout: closing")
    err = user_error(build())
    assert err.strip() == (
        f'spec error: {SPEC_REL}:{n}:13: slide 28 "Merci !": layout `closing` is not in the '
        "template "
        "deckgen-template.pptx; its layouts: `Fin`, `callouts`, `chart`, `section`, `title`"
    )


# -- warnings: the deck is built, the user is told --------------------------------

SMALL_BASE = (
    'slide 21 "La participation numérique pour répondre à la crise": '
    "small base: 9 collectivités (under 10)"
)


def test_long_remark_gets_a_taller_band_and_an_overlong_one_is_cut(project):
    from pptx import Presentation
    from pptx.util import Pt

    from deckgen.render.geometry import inches

    # a remark of five lines: the band grows to hold it at 11 pt, nothing is cut
    long = "Dans une optique de communication " + "et de dialogue avec les habitants " * 11 + "fin"
    replace_in(Path(SPEC_REL), 'remark: "Dans une optique de communication"', f'remark: "{long}"')
    run = build()
    assert run.code == 0, run.stderr
    assert "remark" not in run.stderr
    remark = next(
        s for s in Presentation("out/deck.pptx").slides[9].shapes if label_of(s.name) == "Remark"
    )
    assert remark.text_frame.text == long
    assert {r.font.size for p in remark.text_frame.paragraphs for r in p.runs} == {Pt(11)}
    assert remark.height > inches(0.6)  # taller than the usual band

    # ten times longer: shrunk to 11 pt, cut with an ellipsis, and the user told
    replace_in(Path(SPEC_REL), long, long * 10)
    run = build()
    assert run.code == 0, run.stderr
    assert (
        'warning: slide 10 "Les réseaux sociaux pour la participation": remark too long for its '
        "place, even at 11 pt: cut with an ellipsis; shorten it"
    ) in run.stderr.splitlines()
    remark = next(
        s for s in Presentation("out/deck.pptx").slides[9].shapes if label_of(s.name) == "Remark"
    )
    text = remark.text_frame.text
    assert text.endswith("…") and len(text) < len(long * 10) and long.startswith(text[:100])
    Path("out/deck.pptx").unlink()
    err = user_error(build("--strict"))
    assert (
        'slide 10 "Les réseaux sociaux pour la participation": remark too long for its place, '
        "even at 11 pt: cut with an ellipsis; shorten it (--strict makes warnings errors)"
    ) in err
    assert SMALL_BASE in err  # --strict reports every warning at once
    assert not Path("out/deck.pptx").exists()


def test_small_base_footnote_warning_and_strict(project):
    from pptx import Presentation

    run = build()
    assert run.code == 0
    assert f"warning: {SMALL_BASE}" in run.stderr.splitlines()
    slide = Presentation("out/deck.pptx").slides[20]
    footnote = next(s.text_frame.text for s in slide.shapes if label_of(s.name) == "Footnote")
    assert "base faible, à interpréter avec prudence" in footnote
    Path("out/deck.pptx").unlink()
    err = user_error(build("--strict"))
    # every warning is an error then: the small base, and the labels shortened beside
    # the bars of slides 13 and 21 (test_fitting)
    lines = err.strip().splitlines()
    assert lines[0] == "error: 3 problems"
    assert lines[1] == f"  - {SMALL_BASE} (--strict makes warnings errors)"
    assert all("label(s) shortened beside the bars" in line for line in lines[2:])


# -- YAML that tries to run code --------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/name:os.system",
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
    ],
)
def test_python_object_tag_is_refused(project, tag):
    n = spec_line('title: "Merci !"')
    replace_in(Path(SPEC_REL), 'title: "Merci !"', f'title: {tag} "touch pwned"')
    err = user_error(build())
    assert err.strip() == (
        f"spec error: {SPEC_REL}:{n}:12: invalid YAML value: could not determine a constructor for "
        "the tag "
        f"'tag:yaml.org,2002:{tag[2:]}'"
    )
    assert not Path("pwned").exists()


def test_python_object_tag_on_a_list_is_refused(project):
    """The `apply` form with an argument list: refused as its scalar form is, and nothing runs."""
    n = spec_line('title: "Merci !"')
    replace_in(
        Path(SPEC_REL), 'title: "Merci !"', 'title: !!python/object/apply:os.system ["touch pwned"]'
    )
    err = user_error(build())
    assert err.strip() == (
        f"spec error: {SPEC_REL}:{n}:12: invalid YAML value: could not determine a constructor for "
        "the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    )
    assert not Path("pwned").exists()


# -- a bug in deckgen -------------------------------------------------------------


def test_internal_bug_exits_1_and_asks_for_a_report(project, monkeypatch, capsys):
    """Anything that is not a DeckgenError is a bug: exit code 1, one short
    message asking for a report, no traceback (unless DECKGEN_DEBUG is set)."""
    import deckgen.workflows.pipeline
    from deckgen import cli

    def broken(*args, **kwargs):
        return 1 / 0

    monkeypatch.setattr(deckgen.workflows.pipeline, "plan", broken)
    monkeypatch.delenv("DECKGEN_DEBUG", raising=False)
    assert (
        cli.guarded(["build", SPEC_REL, "-o", "out/deck.pptx", "-q"]) == 1
    )  # what `deckgen` exits with
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "internal error: ZeroDivisionError: division by zero",
        "This is a bug in deckgen, please report it with the command and spec you ran.",
    ]
    assert not Path("out/deck.pptx").exists()


def test_user_error_in_a_real_process(project):
    """The same as above through a real `python -m deckgen.cli` process: exit 2, one line."""
    replace_in(Path(SPEC_REL), "layout: closing", "layout: closng")
    proc = run_cli("build", SPEC_REL, "-o", "out/deck.pptx", "-q", cwd=project)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "(did you mean `closing`?)" in proc.stderr


def test_every_problem_of_every_file_in_one_run(project):
    """A misspelt key, two unknown questions, a wrong theme colour and a wrong answer
    in the data: all reported by one run, each with its place and kind."""
    from .helpers import replace_in

    spec = project / SPEC_REL
    replace_in(spec, '    remark: "Dans une optique de communication"', '    remak: "x"')
    replace_in(spec, "{question: logiciel, in: [proprietaire]}", "{question: logiciels, in: [x]}")
    replace_in(spec, "question: sources_information", "question: sources_informations", count=1)
    replace_in(project / "config" / "theme.yaml", 'accent: "E63946"', 'accent: "E6394"')
    set_cells(project / DATA_REL / "responses.csv", {("C02", "type_collectivite"): "comune"})
    for command in (("validate", SPEC_REL), ("build", SPEC_REL, "-q")):
        err = user_error(deckgen(*command))
        head, *lines = err.strip().splitlines()
        assert head == "error: 5 problems", err
        assert (
            lines[0].startswith("  - spec error: config/barometre-2021.yaml:")
            and "remak" in lines[0]
        )
        assert any("theme.yaml" in line and "E6394" in line for line in lines)
        assert sum("unknown question `logiciels`" in line or "`sources_informations`" in line
                   for line in lines) == 2  # fmt: skip
        assert any(line.startswith("  - data error: ") and "comune" in line for line in lines)


def _office_file(main: str, part: str) -> bytes:
    """A minimal Office Open XML package whose main part is `part`, of type `main`."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
            '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="application/vnd.openxmlformats-'
            f'officedocument.{main}"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/officeDocument" Target="{part}"/></Relationships>',
        )
        z.writestr(part, "<root/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "main, part, what",
    [
        ("wordprocessingml.document.main+xml", "word/document.xml", "a Word document"),
        ("spreadsheetml.sheet.main+xml", "xl/workbook.xml", "an Excel workbook"),
    ],
)
def test_a_renamed_word_or_excel_file_as_template_is_named_as_such(project, main, part, what):
    path = project / TEMPLATE_REL
    path.write_bytes(_office_file(main, part))
    err = user_error(build())
    assert err.strip() == (
        f"template error: template {path} is {what} renamed .pptx, not a PowerPoint file: "
        "give a .pptx or .potx saved by PowerPoint or LibreOffice Impress"
    )
    assert "0x" not in err


# -- each error is named after the file at fault ----------------------------------------


def test_a_theme_mistake_is_a_theme_error_with_its_line(project):
    """Not a 'spec error': the user opens the theme, not the spec."""
    replace_in(Path("config/theme.yaml"), 'primary: "1D3557"', 'primary: "bleu"')
    err = user_error(build())
    line = line_of(Path("config/theme.yaml"), 'primary: "bleu"')
    assert f"theme error: {project / 'config' / 'theme.yaml'}:{line}:" in err, err
    assert "colors.primary" in err and "spec error" not in err


def test_a_deck_update_cannot_read_is_a_deck_error(project):
    Path("edited.pptx").write_bytes(b"not a deck")
    run = deckgen("update", SPEC_REL, "--deck", "edited.pptx", "-o", "out/u.pptx", "-q")
    assert run.code == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("deck error: edited.pptx: not a PowerPoint deck"), run.stderr
