"""Spec validation: every problem at once, each with file:line:col, slide and suggestion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckgen.errors import SpecError
from deckgen.inputs.spec import load_spec
from deckgen.render.template import open_template
from deckgen.workflows.pipeline import check, load

from .conftest import ROOT, SPEC
from .helpers import flat


@pytest.fixture
def spec_copy(tmp_path: Path) -> Path:
    for folder in ("config", "layouts"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "data" / "barometre-2021", tmp_path / "data" / "barometre-2021")
    return tmp_path / "config" / "barometre-2021.yaml"


def _replace(path: Path, old: str, new: str, count: int = 1) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def _semantic(spec: Path) -> SpecError:
    loaded = load(spec)
    with pytest.raises(SpecError) as info:
        check(loaded, open_template(loaded.template))
    return info.value


def test_renamed_question_gives_one_line_with_place_and_suggestion(spec_copy):
    line = _replace(
        spec_copy, "question: reseaux_sociaux_plateformes,", "question: reseaux_sociaux_platformes,"
    )
    err = _semantic(spec_copy)
    assert len(err.problems) == 1
    msg = str(err.problems[0])
    assert "\n" not in msg
    assert msg.startswith(f"{spec_copy}:{line}:")
    assert 'slide 10 "Les réseaux sociaux pour la participation"' in msg
    assert (
        "unknown question `reseaux_sociaux_platformes` (did you mean "
        "`reseaux_sociaux_plateformes`?)" in msg
    )


def test_unknown_chart_type_and_key_collected_together(spec_copy):
    l1 = _replace(spec_copy, "type: doughnut", "type: donut")
    l2 = _replace(spec_copy, '    remark: "Dans une optique', '    remarks: "Dans une optique')
    with pytest.raises(SpecError) as info:
        load_spec(spec_copy)
    problems = [str(p) for p in info.value.problems]
    assert any(
        f":{l1}:" in p and "`donut` is not a valid chart type (did you mean `doughnut`?)" in p
        for p in problems
    )
    assert any(
        f":{l2}:" in p and "unknown key `remarks` (did you mean `remark`?)" in p for p in problems
    )


def test_wrong_type(spec_copy):
    line = (
        _replace(spec_copy, "      labels: true\n", "      labels: true\n")
        if False
        else _replace(spec_copy, "      weight: 2\n", "      weight: deux\n")
    )
    with pytest.raises(SpecError) as info:
        load_spec(spec_copy)
    msg = str(info.value)
    assert f":{line}:" in msg and "weight" in msg


def test_unknown_layout(spec_copy):
    line = _replace(spec_copy, "layout: callouts", "layout: callout")
    err = _semantic(spec_copy)
    msg = str(err.problems[0])
    assert (
        f":{line}:" in msg
        and "layout `callout` is not in the template" in msg
        and "did you mean `callouts`" in msg
    )


def test_unknown_option_in_callout(spec_copy):
    line = _replace(spec_copy, "option: presse", "option: press")
    msg = str(_semantic(spec_copy).problems[0])
    assert (
        f":{line}:" in msg
        and "`press` is not an option of `sources_information` (did you mean `presse`?)" in msg
    )


def test_expect_mismatch_names_the_slide(spec_copy):
    from deckgen.workflows.pipeline import build

    line = _replace(spec_copy, "expect: 97", "expect: 96")
    with pytest.raises(SpecError) as info:
        build(spec_copy, spec_copy.parent / "out.pptx")
    msg = str(info.value)
    assert f":{line}:" in msg and 'slide 8 "Les moyens"' in msg and "the data give 97\u202f%" in msg
    assert not (spec_copy.parent / "out.pptx").exists()


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("deck:\n  title: [oops\nslides: []\n", encoding="utf-8")
    with pytest.raises(SpecError, match=r"bad\.yaml:3:7: invalid YAML"):
        load_spec(bad)


def test_real_spec_is_valid():
    loaded = load(SPEC)
    check(loaded, open_template(loaded.template))
    assert len(loaded.spec.slides) == 28


def test_theme_errors_have_lines_and_suggestions(tmp_path):
    from deckgen.inputs.theme import load_theme

    theme = tmp_path / "theme.yaml"
    theme.write_text('colors:\n  primary: "zz1234"\nsizes:\n  titel: 30\n', encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_theme(theme)
    problems = [str(p) for p in info.value.problems]
    assert (
        problems[0].startswith(f"{theme}:2:12: colors.primary:") and "6 hex digits" in problems[0]
    )
    assert problems[1].startswith(
        f"{theme}:4:3: sizes.titel: unknown key `titel` (did you mean `title`?)"
    )


def test_callout_option_left_out_by_the_indicator(spec_copy):
    line = _replace(
        spec_copy,
        "      - indicator: {kind: multi, question: sources_information}\n        option: presse",
        "      - indicator: {kind: multi, question: sources_information, options: "
        "[formations_professionnelles]}\n        option: presse",
    )
    msg = str(_semantic(spec_copy).problems[0])
    assert f":{line + 1}:" in msg and "`presse` is left out by this indicator" in msg


def test_chart_of_a_count_or_a_likert_in_bars_is_refused(spec_copy):
    _replace(
        spec_copy,
        "indicator: {kind: multi, question: majorite_politique, sort: desc}",
        "indicator: {kind: count}",
    )
    _replace(
        spec_copy,
        "type: stacked100\n      indicator: {kind: likert, question: utilite",
        "type: bar\n      indicator: {kind: likert, question: utilite",
    )
    problems = [str(p) for p in _semantic(spec_copy).problems]
    assert any(
        "a `count` is one number of respondents: show it as a callout" in p for p in problems
    )
    assert any(
        "a `likert` indicator has a series per scale level: "
        "show it as `stacked100` or `table`, not `bar`" in p
        for p in problems
    )


def test_duplicate_key_is_an_error_not_a_silent_overwrite(spec_copy):
    line = (
        _replace(spec_copy, "        expect: 97\n", "        expect: 97\n        expect: 96\n") + 1
    )
    with pytest.raises(SpecError) as info:
        load_spec(spec_copy)
    assert (
        f":{line}:9: invalid YAML value: duplicate key `expect` (first at line {line - 1})"
        in str(info.value)
    )


def test_a_category_with_an_empty_base_is_left_blank_and_reported(spec_copy, tmp_path):
    from pptx import Presentation

    from deckgen.workflows.pipeline import build

    _replace(
        spec_copy,
        "indicator: {kind: multi, question: dispositifs_existants, sort: desc}",
        "indicator: {kind: multi, question: dispositifs_existants, filter: {question: "
        "type_collectivite, in: [region]}}",
    )
    report = build(spec_copy, tmp_path / "deck.pptx")
    assert any(
        "empty base for Conseils de quartier / conseils citoyens: left blank" in str(w)
        for w in report.warnings.items
    )
    slide = Presentation(str(tmp_path / "deck.pptx")).slides[6]
    chart = next(s for s in flat(slide.shapes) if s.has_chart).chart
    values = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))
    assert values["Conseils de quartier / conseils citoyens"] is None
    assert values["Réunions publiques"] is not None


def test_a_breakdown_by_a_question_of_a_thousand_options_is_refused_at_once(tmp_path):
    """1,000 options made 1,000 series and ran past 300 s: the check refuses it with the
    way out (segments:), before any figure is computed; grouped, it is accepted."""
    import time

    import deckgen
    from deckgen.errors import DeckgenError

    cities = [f"v{i:04d}" for i in range(1000)]
    rows = ["id,city,answer"] + [f"R{i},{cities[i % 1000]},{'oui' if i % 3 else 'non'}"
                                 for i in range(2000)]  # fmt: skip
    (tmp_path / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    options = "\n".join(f"      - {{code: {c}, label: Ville {c}}}" for c in cities)
    (tmp_path / "codebook.yaml").write_text(
        "survey: {title: Villes, respondent_id: id, responses: responses.csv}\nquestions:\n"
        f"  - id: city\n    text: Ville\n    type: single\n    options:\n{options}\n"
        "  - id: answer\n    text: Oui ou non\n    type: single\n    options:\n"
        "      - {code: oui, label: Oui}\n      - {code: non, label: Non}\n",
        encoding="utf-8",
    )
    chart = "{type: bar, indicator: {kind: distribution, question: answer, by: city%s}}"
    spec = tmp_path / "deck.yaml"
    template = ("deck: {title: Villes, data: codebook.yaml}\nslides:\n"
                "  - {layout: chart, title: Par ville, chart: %s}\n")  # fmt: skip
    spec.write_text(template % (chart % ""), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(DeckgenError) as caught:
        deckgen.load(spec).validate()
    assert time.perf_counter() - start < 60  # refused by the check, not after computing
    assert "`city` has 1,000 options: a breakdown by it would draw 1,000 series (at most 30)" in (
        str(caught.value)
    )
    north, south = ", ".join(cities[:100]), ", ".join(cities[100:200])
    grouped = f", segments: {{Nord: [{north}], Sud: [{south}]}}"
    spec.write_text(template % (chart % grouped), encoding="utf-8")
    deckgen.load(spec).validate()  # two segments of 200: accepted
    # segments each under the privacy threshold: none can be shown, and it is said
    # (this was an internal IndexError: a breakdown with no series left)
    spec.write_text(template % (chart % ", segments: {Nord: [v0000], Sud: [v0001]}"), "utf-8")
    with pytest.raises(DeckgenError) as caught:
        deckgen.load(spec).validate()
    assert "chart 1: no segment of the breakdown can be shown: each holds fewer than 7" in str(
        caught.value
    )
