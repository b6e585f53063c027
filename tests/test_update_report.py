"""The change report in the deck's language (issue 24, step 5).

A French deck's report (terminal, CSV, XLSX) has no word of the English catalogue,
a German deck's none of the English or the French one; one line per element (a
chart's moved figures together, its alternative text folded in, the notes
counted, what a tool dropped summed up in one line); the CSV opens in French
Excel: UTF-8 with a byte-order mark, `;` between fields, decimal commas (bytes
checked); and it lists exactly the figures that moved, read from the chart XML of
the team's deck and of a fresh build.
"""

from __future__ import annotations

import io
import math
import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation

import deckgen

from .helpers import ROOT, flat, invoke, project_copy, replace_in, set_cells
from .test_locales import _fragments
from .test_update import _one_answer_changed, _round_trip
from .test_update_copies import _chart_values, _duplicate, _slide_of

SOCIAL = "les-reseaux-sociaux-pour-la"
MOYENS = "les-moyens#chart-1"  # the team sets its value axis by hand; a bar runs past it
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


def _shape(prs, key: str):
    return next(
        s for slide in prs.slides for s in flat(slide.shapes) if s.name.endswith(f"[{key}]")
    )


def _edit(prs) -> None:
    """A duplicated slide, a retyped figure, a rewritten alternative text, an axis set by
    hand, a deleted chart: every kind of line the report has."""
    _duplicate(prs, _slide_of(prs, f"{SOCIAL}#chart-1"), 27)
    _shape(prs, "les-moyens#callout-1-value").text_frame.paragraphs[0].runs[0].text = "9 %"
    _shape(prs, f"{SOCIAL}#callout-1-value").text_frame.paragraphs[0].runs[0].text = "80\u202f%"
    cnv = _shape(prs, "repondants-profil#chart-1")._element[0].find(f"{_P}cNvPr")
    cnv.set("descr", "Notre description")
    _shape(prs, MOYENS).chart.value_axis.maximum_scale = 0.45
    gone = _shape(prs, "objectifs-des-outils-numeriques#chart-1")
    gone._element.getparent().remove(gone._element)


def _data_changed(root: Path) -> None:
    """Social networks 77 % -> 74 %; six collectivités move to '1 ou 2' ETP (42 % -> 61 %,
    past the team's axis)."""
    _one_answer_changed(root)
    responses = root / "data" / "barometre-2021" / "responses.csv"
    rows = [r.split(",") for r in responses.read_text(encoding="utf-8").splitlines()]
    column = rows[0].index("etp_participation")
    fewer = [r[0] for r in rows[1:] if r[column] in ("moins_de_1", "de_3_a_5")][:6]
    set_cells(responses, {(rid, "etp_participation"): "de_1_a_2" for rid in fewer})


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """The French seed deck and its German twin, edited, through a LibreOffice round
    trip, the data changed, then updated by the command: its output, CSV and XLSX."""
    root = tmp_path_factory.mktemp("report")
    spec = project_copy(root)
    german = root / "config" / "german.yaml"
    shutil.copy(spec, german)
    replace_in(german, "  locale: fr\n", "  locale: de\n")
    out = {}
    for locale, path in (("fr", spec), ("de", german)):
        deck = deckgen.load(path).build(root / f"{locale}.pptx").path
        prs = Presentation(str(deck))
        _edit(prs)
        prs.save(str(root / f"{locale}-edited.pptx"))
        out[locale] = {"edited": _round_trip(root / f"{locale}-edited.pptx", root / locale)}
    _data_changed(root)
    for locale, path in (("fr", spec), ("de", german)):
        edited = out[locale]["edited"]
        csv, xlsx = root / f"{locale}.csv", root / f"{locale}.xlsx"
        run = invoke("update", path, "--deck", edited, "-o", root / f"{locale}-u.pptx",
                     "--csv", csv, "--xlsx", xlsx, "-q")  # fmt: skip
        assert run.code == 0, run.output
        report = deckgen.load(path).update(edited, None, dry_run=True)
        out[locale].update(run=run, csv=csv, xlsx=xlsx, report=report, spec=path)
    return out


def _everything(entry) -> str:
    sheet = load_workbook(entry["xlsx"]).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    csv = entry["csv"].read_bytes().decode("utf-8-sig")
    text = "\n".join([entry["run"].output, csv, sheet.title, *cells])
    # the keys (les-moyens#callout-1-value) are identifiers, as shape names are: not words
    return re.sub(r"[A-Za-z0-9][A-Za-z0-9_-]*(#[a-z0-9-]+)+", "KEY", text)


def _inputs() -> str:
    return (ROOT / "config" / "barometre-2021.yaml").read_text(encoding="utf-8") + (
        ROOT / "data" / "barometre-2021" / "codebook.yaml"
    ).read_text(encoding="utf-8")


@pytest.mark.clients
@pytest.mark.parametrize(("locale", "other"), [("fr", "en"), ("de", "en"), ("de", "fr")])
def test_the_report_has_no_word_of_another_catalogue(reports, locale, other):
    text = _everything(reports[locale])
    foreign = _fragments(other, locale, _inputs())
    assert len(foreign) >= 20
    found = sorted(f for f in foreign if f in text)
    assert not found, f"{other} words in the {locale} report: {found}"
    statuses = {c.status for c in reports[locale]["report"].listed()}
    assert {"updated", "conflict", "flag", "copy", "deleted", "restored", "expect"} <= statuses


@pytest.mark.clients
def test_one_line_per_element(reports):
    report = reports["fr"]["report"]
    keys = [c.key for c in report.listed() if c.status == "updated"]
    assert len(keys) == len(set(keys))  # a chart's figures on one line, its alt text in it
    assert not [c for c in report.listed() if c.status == "alt" and c.key.endswith("chart-1")]
    (restored,) = report.of("restored")
    assert re.fullmatch(r"rétablis, un outil les avait retirés : \d+ classeurs de données "
                        r"intégrés, \d+ textes alternatifs", restored.line())  # fmt: skip
    (notes,) = [c for c in report.of("updated") if c.key == f"{SOCIAL}#notes"]
    assert re.fullmatch(r".*, notes : \d+ chiffres mis à jour", notes.line())
    output = reports["fr"]["run"].output
    assert "conflit : diapositive 8 « Les moyens », chiffre clé 1 : conflit" in output
    assert "diapositive 8 « Les moyens », graphique 1, axe des valeurs : conflit, laissé " in output


@pytest.mark.clients
def test_the_french_csv_opens_in_french_excel(reports):
    raw = reports["fr"]["csv"].read_bytes()
    assert raw[:3] == b"\xef\xbb\xbf"  # UTF-8 byte-order mark
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "diapositive;élément;avant;après;statut;clé"
    axis = next(line for line in lines if "#chart-1#axis" in line)
    before, after = axis.split(";")[2:4]  # split by `;`: decimal commas
    assert before == "0,45" and re.fullmatch(r"0,\d+", after), axis
    assert all(line.count(";") >= 5 for line in lines if line)  # quoted `;` aside
    german = reports["de"]["csv"].read_bytes().decode("utf-8-sig").split("\r\n")[0]
    assert german == "Folie;Element;vorher;nachher;Status;Schlüssel"


@pytest.mark.clients
def test_the_report_lists_exactly_the_figures_that_moved(reports, tmp_path):
    """Read from the chart XML: for each chart of the team's deck (before the update)
    and of a fresh build, the percents as shown; the categories whose shown figure
    differs are the report's, no more, no fewer."""
    from deckgen.workflows.pipeline import build, load

    entry = reports["fr"]
    buffer = io.BytesIO()
    build(load(entry["spec"]), buffer, strict_expect=False)
    fresh = Presentation(io.BytesIO(buffer.getvalue()))
    team = Presentation(str(entry["edited"]))

    def shown(prs, key):
        shape = _shape(prs, key)
        values = _chart_values(_slide_of(prs, key), shape._element)
        categories = list(shape.chart.plots[0].categories)
        return {  # the percent as the deck shows it: half up (12.5 % shows 13 %)
            (j, c): int(v * 100 + 0.5 + 1e-9)
            for j, s in enumerate(values)
            for c, v in zip(categories, s)
        }

    reported = {c.key: {p[0] for p in c.pairs} for c in entry["report"].of("updated") if c.pairs}
    charts = [
        key
        for slide in fresh.slides
        for shape in flat(slide.shapes)
        if shape.has_chart and (key := shape.name.rsplit(" [", 1)[-1][:-1]) in
        {s.name.rsplit(" [", 1)[-1][:-1] for sl in team.slides for s in flat(sl.shapes)}
    ]  # fmt: skip
    assert len(charts) >= 20
    for key in charts:
        before, after = shown(team, key), shown(fresh, key)
        moved = {c for (j, c), v in after.items() if before.get((j, c)) != v}
        assert moved == reported.get(key, set()), key
    assert reported[MOYENS] == {"1 ou 2", "Moins de 1", "3 à 5"}


def test_the_map_names_the_regions_whose_colour_changed(tmp_path):
    """Two collectivités move to Bretagne: the regions whose fill the map's XML changes
    (read from the decks before and after) are the ones the report names."""
    import csv

    spec = project_copy(tmp_path)
    deck = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    responses = tmp_path / "data" / "barometre-2021" / "responses.csv"
    with responses.open(encoding="utf-8") as fh:
        ids = [row["id"] for row in csv.DictReader(fh) if row["region"] != "bretagne"][:2]
    set_cells(responses, {(rid, "region"): "bretagne" for rid in ids})
    report = deckgen.load(spec).update(deck, tmp_path / "u.pptx")
    key = "repondants-regions#chart-1"

    def fills(path):
        group = _shape(Presentation(str(path)), key)
        return {
            child.name: fill.get("val").upper()
            for child in group.shapes
            for fill in child._element.iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}srgbClr"
            )
            if child._element.find(f"{_P}spPr") is not None
            and fill.getparent().getparent().tag == f"{_P}spPr"
        }

    before, after = fills(deck), fills(report.path)
    changed = sorted(re.sub(r"^\D*\d+\s+", "", n) for n in after if before.get(n) != after[n])
    assert "Bretagne" in changed
    (line,) = [c.line() for c in report.of("updated") if c.key == key]
    said = re.search(r"régions changées : ([^;]+)", line)
    assert said and sorted(said[1].strip().split(", ")) == changed, line


def test_a_segment_whose_base_moved_is_one_segment_in_the_report(tmp_path):
    """Working full time by sex (GSS 2018), then the last 300 respondents dropped: each
    segment's label carries its base ("Female (n = 1,289)"), which moves with the data.
    The report matched points by label, so it listed every bar as gone ("45% → —")
    and again as new ("— → 44%"). It now lists each segment once, under its new base,
    and only where the figure as shown moved: pandas says which, rounded half up."""
    import pandas as pd

    data = tmp_path / "gss"
    shutil.copytree(ROOT / "data" / "gss-2018-spending", data)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"""deck:
  title: "Work"
  data: {data / "codebook.yaml"}
  locale: en
slides:
  - id: work
    layout: chart
    title: "Working full time"
    chart:
      type: bar
      indicator: {{kind: share, condition: {{question: wrkstat, in: [1]}}, by: sex}}
""", encoding="utf-8")  # fmt: skip
    built = deckgen.load(spec).build(tmp_path / "deck.pptx").path
    responses = data / "responses.csv"
    rows = pd.read_csv(responses)
    kept = rows.iloc[:-300]
    kept.to_csv(responses, index=False)

    def shown(frame) -> dict[int, int]:  # percent of each sex working full time
        # exact fractions: 230 of 400 is 57.5 %, shown 58 %, which 0.575 * 100 in
        # floating point (57.49999...) would round down
        answered = frame[frame.wrkstat.notna()]
        out = {}
        for sex, group in answered.groupby("sex"):
            share = Fraction(int((group.wrkstat == 1).sum()), len(group))
            out[int(sex)] = math.floor(share * 100 + Fraction(1, 2))
        return out

    before, after = shown(rows), shown(kept)
    sexes = {0: "Male", 1: "Female"}
    moved = {sexes[s] for s in sexes if before[s] != after[s]}
    assert moved  # the test needs a figure that moves
    report = deckgen.load(spec).update(built, tmp_path / "updated.pptx")
    (change,) = [c for c in report.changes if c.pairs]
    said = {label.split(" (n")[0]: (old, new) for label, old, new in change.pairs}
    assert set(said) == moved
    for sex, (old, new) in said.items():
        code = next(k for k, v in sexes.items() if v == sex)
        assert (old, new) == (f"{before[code]}%", f"{after[code]}%")
    assert all("(n\u00a0=\u00a0" in label for label, _, _ in change.pairs)
