"""Editions over time: the Baromètre's earlier editions, as they were published
(data/barometre-editions), beside 2021's figures computed from the rows; and,
where every edition has rows, `by: edition`.

The reference figures are the published ones (the project's published-figures
notes, "Earlier waves"): 2016, 194 collectivités: communes 51 %,
intercommunalités 27 %, départements 12 %, régions 5 %, métropoles 4 %;
2016-2017, 243: communes 67 %, intercommunalités 27 %, départements and régions
6 % (three categories adding up to 100 %: no métropole category, the métropoles
were counted with the intercommunalités); 2018, about 70: a dedicated service
53 %, a digital consultation platform 58 %.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from pptx import Presentation

import deckgen
from deckgen.analysis.editions import load_editions, trend
from deckgen.analysis.editions import tested as compared_with_last
from deckgen.analysis.indicators import compute
from deckgen.errors import SpecError
from deckgen.inputs.indicator_spec import Indicator
from deckgen.locales import words

from .helpers import CODEBOOK, ROOT, flat

EDITIONS = ROOT / "data" / "barometre-editions" / "editions.yaml"
EVOLUTION = ROOT / "config" / "barometre-evolution.yaml"


@pytest.fixture(scope="module")
def editions():
    return load_editions(EDITIONS)


def _z_test(p1: float, n1: float, p2: float, n2: float) -> float:
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def test_a_distribution_trend_groups_options_as_an_edition_did(survey, editions):
    current = compute(survey, Indicator.validate({"kind": "distribution",
                                                  "question": "type_collectivite"}))  # fmt: skip
    # shown in any order: by date
    r = trend(current, editions.figure("type_collectivite"), editions, ["2016-2017", "2016"])
    # intercommunalités with métropoles, départements with régions, as 2016-2017 published
    assert r.codes == ("commune", "intercommunalites_metropoles", "departements_regions")
    assert r.categories[1:] == ("Intercommunalités et métropoles", "Départements et régions")
    e2016, e2017, e2021 = r.series
    assert (e2016.code, e2017.code, e2021.code) == ("2016", "2016-2017", "2021")
    assert e2016.values == pytest.approx((0.51, 0.27 + 0.04, 0.12 + 0.05))
    assert e2017.values == pytest.approx((0.67, 0.27, 0.06))
    share = dict(zip(current.codes, current.series[0].values))
    assert e2021.values[1] == pytest.approx(share["intercommunalite"] + share["metropole"])
    assert e2021.values[2] == pytest.approx(share["departement"] + share["region"])
    assert (e2016.base, e2017.base, e2021.base) == (194, 243, 31)


def _service_since_2018(survey, editions):
    """2021's dedicated participation services (97 %) beside 2018's (53 %, about 70)."""
    condition = {"question": "service_participation", "in": ["oui"]}
    current = compute(survey, Indicator.validate({"kind": "share", "condition": condition}))
    figure = editions.figure("service_participation")
    return compared_with_last(trend(current, figure, editions, ["2018"]))


def test_the_change_is_tested_only_against_an_exact_base(survey, editions):
    since_2018 = _service_since_2018(survey, editions)
    assert since_2018.test == "" and since_2018.untested == ("2018",)
    mix = {"kind": "distribution", "question": "type_collectivite"}
    distribution = compute(survey, Indicator.validate(mix))
    r = compared_with_last(
        trend(distribution, editions.figure("type_collectivite"), editions, ["2016-2017"])
    )
    assert r.test == "z" and r.compared == "previous"
    communes = r.series[-1].values[0]
    assert r.series[-1].p[0] == pytest.approx(_z_test(communes, 31, 0.67, 243), rel=1e-9)


def test_the_change_in_points_and_the_bases_read_on_the_series(survey, editions):
    from deckgen.analysis.results import marked
    from deckgen.wording.phrases import with_changes

    r = _service_since_2018(survey, editions)
    shown = with_changes(marked(r, 0.95, 10), words("fr"))
    assert [s.name for s in shown.series] == ["2018 (n\u202f≈\u202f70)", "2021 (n\u202f=\u202f31)"]
    assert shown.series[-1].marks == ("+44\u202fpts",)  # 97 % against 53 %, no test


def _spec(tmp_path, editions_path, indicator: str, locale: str = "fr"):
    """A one-chart spec over the Baromètre with `editions_path` and `indicator` (YAML
    indented under `indicator:`)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"""deck:
  title: T
  data: {CODEBOOK}
  editions: {editions_path}
  locale: {locale}
slides:
  - layout: chart
    title: T
    chart:
      type: column
      indicator:
{indicator}
""",
        encoding="utf-8",
    )
    return spec


@pytest.mark.parametrize(
    ("editions_key", "message"),
    [
        ("{figure: service_participaton}", "no figure `service_participaton` in the editions file "
         "(did you mean `service_participation`?)"),
        ("{figure: service_participation, show: ['2019']}",
         "no edition `2019` in the editions file"),
        ("{figure: type_collectivite}", "figure `type_collectivite` was published as a "
         "distribution: a trend of it needs a `distribution` indicator, not `share`"),
    ],
)  # fmt: skip
def test_trend_mistakes_are_named(tmp_path, editions_key, message):
    indicator = f"""        kind: share
        condition: {{question: service_participation, in: [oui]}}
        editions: {editions_key}"""
    with pytest.raises(SpecError) as caught:
        deckgen.load(_spec(tmp_path, EDITIONS, indicator)).validate()
    assert message in str(caught.value)


def test_an_editions_file_that_names_an_unknown_edition(tmp_path):
    path = tmp_path / "editions.yaml"
    path.write_text(
        EDITIONS.read_text(encoding="utf-8").replace(
            'shares: {"2018": 53}', 'shares: {"2019": 53}'
        ),
        encoding="utf-8",
    )
    with pytest.raises(SpecError, match=r"figure `service_participation`: edition `2019` is not") \
            as caught:  # fmt: skip
        load_editions(path)
    assert caught.value.kind == "editions error"  # named after the file at fault
    # a control character (an escape in a quoted YAML text) is named as in the spec
    path.write_text('editions:\n  - {id: "2018\\v", label: "2018"}\nfigures: []\n', "utf-8")
    with pytest.raises(SpecError, match="the control character U[+]000B") as caught:
        load_editions(path)
    assert caught.value.kind == "editions error"


# -- the evolution deck -----------------------------------------------------------------


@pytest.fixture(scope="module")
def evolution(evolution_deck):
    return evolution_deck, Presentation(str(evolution_deck.path))


def test_the_evolution_deck_shows_each_edition_and_says_what_was_tested(evolution):
    report, prs = evolution
    mix = next(s for s in flat(prs.slides[2].shapes) if s.has_chart).chart
    assert [s.name for s in mix.plots[0].series] == [
        "2016 (n\u202f=\u202f194)", "2016-2017 (n\u202f=\u202f243)", "2021 (n\u202f=\u202f31)"
    ]  # fmt: skip
    assert list(mix.plots[0].categories)[-1] == "Départements et régions"
    footnote = report.plan.slides[2].footnote
    assert "éditions précédentes\u202f: chiffres publiés" in footnote
    # 2021 (31) against 2016-2017 (243, percentages): communes 22 of 31 against 67 %, z
    # p = 0.657; intercommunalités and métropoles 3 + 2 of 31 against 27 %, z p = 0.192;
    # départements and régions 4 of 31 against 6 %, an expected count of
    # 31 x (4 + 0.06 x 243) / 274 = 2.1: no test. Holm over the two tests: 2 x 0.192 =
    # 0.385, no change is significant, and the footnote claims it of those two only.
    p_communes = _z_test(22 / 31, 31, 0.67, 243)
    p_inter = _z_test(5 / 31, 31, 0.27, 243)
    assert (round(p_communes, 3), round(p_inter, 3)) == (0.657, 0.192)
    assert round(31 * (4 + 0.06 * 243) / 274, 1) == 2.1
    current = report.plan.slides[2].charts[0].result.series[-1]
    assert current.tested == ("z", "z", "expected")
    assert current.adjusted[:2] == pytest.approx((p_communes, 2 * p_inter), rel=1e-9)
    assert not any("▲" in m or "▼" in m for m in current.marks)
    assert (
        "aucune évolution significative depuis 2016-2017 au seuil de 95\u202f% parmi les "
        "chiffres testés (test z de comparaison de proportions, correction de Holm pour 2 "
        "comparaisons) ; pas de test pour Départements et régions\u202f: effectif attendu "
        "inférieur à 5"
    ) in footnote
    service = report.plan.slides[3]
    assert "2018\u202f: environ 70 collectivités, base approximative" in service.footnote
    assert "pas de test avec 2018\u202f: base approximative" in service.footnote
    # the current bar's label: the figure, linked to its value, and its change
    chart = next(s for s in flat(prs.slides[3].shapes) if s.has_chart).chart
    label = next(chart.plots[0].series[0]._element.iter("{*}dLbl"))
    assert label.find("{*}numFmt").get("formatCode").endswith("\\+\\4\\4\\\u202f\\p\\t\\s")
    rows = [r for r in report.figures() if r["slide"] == 4 and r["element"] == "chart 1"]
    assert [r["series"] for r in rows] == ["2018 (n\u202f≈\u202f70)", "2021 (n\u202f=\u202f31)"]


def test_the_evolution_deck_claims_no_difference_it_did_not_test(evolution):
    """Slides 6 and 7, communes (22) against the other collectivités (9): every test
    needs a base of 10 on both sides, so none ran, and the footnotes say so -- the
    others for their own base, the communes for their rest's -- instead of "no
    significant difference". What was at stake: the development councils, 0 of the
    22 communes against 5 of the 9 others, for which Fisher's exact test (scipy's
    `fisher_exact`, two-sided) gives p = 0.00074."""
    from scipy.stats import fisher_exact

    report, _ = evolution
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    communes = rows["type_collectivite"] == "commune"
    councils = rows["dispositifs_existants__conseil_developpement"] == "1"
    table = [[int((councils & communes).sum()), int(communes.sum())],
             [int((councils & ~communes).sum()), int((~communes).sum())]]  # fmt: skip
    assert table == [[0, 22], [5, 9]]
    fisher = fisher_exact([[0, 22], [5, 4]]).pvalue
    assert fisher == pytest.approx(0.000742, abs=5e-7)
    for number in (6, 7):
        slide = report.plan.slides[number - 1]
        footnote, result = slide.footnote, slide.charts[0].result
        assert "aucun écart significatif" not in footnote, number
        assert "pas de test pour Autres (n\u202f=\u202f9)\u202f: base inférieure à 10" in footnote
        assert (
            "pas de test pour Communes (n\u202f=\u202f22)\u202f: base de comparaison inférieure "
            "à 10 (reste de l'échantillon)"
        ) in footnote
        _, communes_series, others = result.series
        # each figure shown: untested for its segment's reason (an empty one: unnamed)
        for series, why in ((communes_series, "rest_small"), (others, "small")):
            assert {t for t, v in zip(series.tested, series.values) if v is not None} == {why}
            assert {t for t, v in zip(series.tested, series.values) if v is None} <= {"empty"}
        assert not any(m for s in result.series for m in s.marks)
        assert "aucun écart significatif" not in slide.notes


@pytest.mark.clients
def test_the_evolution_deck_opens_in_libreoffice(evolution, tmp_path):
    from .conftest import libreoffice_or_skip
    from .helpers import pdf_page_text, pdf_pages, squash, to_pdf

    report, prs = evolution
    pdf = to_pdf(libreoffice_or_skip(), [report.path], tmp_path)[report.path]
    assert pdf_pages(pdf) == len(prs.slides) == 8
    service = squash(pdf_page_text(pdf, 4))
    for text in ("53%", "97%", "+44pts", "58%", "±0pts", "2018(n≈70)"):
        assert squash(text) in service, text


def test_editions_with_rows_are_a_breakdown_by_edition(tmp_path):
    """Next year's rows stacked under this year's, with an `edition` column: the same
    charts come from `by: edition`, each edition over its own base, tested pairwise."""
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    later = rows.copy()
    later["id"] = "N" + later["id"]
    later.loc[later.index[:6], "service_participation"] = "non"  # fewer services next time
    stacked = pd.concat([rows.assign(edition="2021"), later.assign(edition="2022")])
    stacked.to_csv(tmp_path / "responses.csv", index=False)
    edition = (
        "questions:\n  - id: edition\n    text: Édition\n    type: single\n"
        "    options: [{code: '2021'}, {code: '2022'}]\n"
    )
    codebook = CODEBOOK.read_text(encoding="utf-8").replace("questions:\n", edition, 1)
    (tmp_path / "codebook.yaml").write_text(codebook, encoding="utf-8")
    from deckgen.analysis.survey import load_survey

    survey = load_survey(tmp_path / "codebook.yaml")
    r = compute(survey, Indicator.validate({
        "kind": "share", "condition": {"question": "service_participation", "in": ["oui"]},
        "by": "edition", "test": "pairwise",
    }))  # fmt: skip
    assert [(s.code, s.base, round(s.values[0], 4)) for s in r.series] == [
        ("2021", 31, round(30 / 31, 4)),
        ("2022", 31, round(24 / 31, 4)),
    ]
    # 1 and 7 without a service: an expected count of 31 x 8 / 62 = 4 on that side, so
    # Fisher's exact test (scipy's fisher_exact, two-sided: p = 0.0529)
    from scipy.stats import fisher_exact

    ((_, a, b, p, sign),) = r.pairwise
    assert (a, b, sign) == (0, 1, 1) and r.pair_tests == ((0, "2021", "2022", "fisher"),)
    assert p == pytest.approx(fisher_exact([[30, 1], [24, 7]]).pvalue, rel=1e-12)
    assert p == pytest.approx(0.0529, abs=1e-4)


# -- like with like ---------------------------------------------------------------------


def test_intercommunalites_against_2016_2017_are_compared_like_for_like(evolution):
    """2016-2017's three categories add up to 100 % (67 + 27 + 6): it had no métropole
    category, so its 27 % counted the métropoles with the intercommunalités. Like for
    like, 2021 has 3 intercommunalités and 2 métropoles of 31 (the rows): 16 %, -11
    points, and the two-proportion z-test (pooled variance, by hand: z = -1.303,
    p = 0.1925; scipy's norm.sf gives the same) finds nothing, before any correction."""
    report, prs = evolution
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    counted = int(rows["type_collectivite"].isin(["intercommunalite", "metropole"]).sum())
    assert (counted, len(rows)) == (5, 31)
    assert _z_test(5 / 31, 31, 0.27, 243) == pytest.approx(0.1925, abs=5e-5)
    result = report.plan.slides[2].charts[0].result
    k = result.codes.index("intercommunalites_metropoles")
    assert result.categories[k] == "Intercommunalités et métropoles"
    current = result.series[-1]
    assert words("fr").percent(current.values[k]) == "16\u202f%"
    assert current.marks[k] == "\u221211\u202fpts"  # no ▲▼
    assert current.p[k] == pytest.approx(0.1925, abs=5e-5)
    assert result.series[-2].values[k] == pytest.approx(0.27)
    chart = next(s for s in flat(prs.slides[2].shapes) if s.has_chart).chart
    assert list(chart.plots[0].categories)[k] == "Intercommunalités et métropoles"


def test_the_platform_trend_compares_2018_s_consultation_platform(evolution):
    """2018 asked about a digital consultation platform: 58 %. Today's matching item is
    the "plateforme de participation", 18 of the 31 (the rows) = 58 %: no change, where
    "any digital tool" (27 of 31, 87 %) made "+29 pts"."""
    report, _ = evolution
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    assert int((rows["dispositifs_numeriques__plateforme_participation"] == "1").sum()) == 18
    result = report.plan.slides[3].charts[1].result
    before, now = result.series
    assert before.values[0] == pytest.approx(0.58) and now.values[0] == pytest.approx(18 / 31)
    assert now.marks == ("±0\u202fpts",)
    assert result.categories == ("Plateforme de participation",)


def _editions_file(tmp_path, text: str):
    path = tmp_path / "editions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _plan(tmp_path, editions_path, indicator: str, locale: str = "fr"):
    """The plan of a one-chart deck over the Baromètre with `editions_path`."""
    return deckgen.load(_spec(tmp_path, editions_path, indicator, locale)).plan()


MIX = """        kind: distribution
        question: type_collectivite
        editions: {figure: type_collectivite, show: %s}"""


def test_editions_are_ordered_by_their_date(tmp_path, editions):
    """The file lists 2018, then 2016-2017, then 2016: the trend still runs by date."""
    text = EDITIONS.read_text(encoding="utf-8")
    start, end = text.index("editions:\n"), text.index("figures:\n")
    blocks = text[start + len("editions:\n") : end].split("  - id:")[1:]
    reversed_text = (
        text[:start] + "editions:\n" + "".join("  - id:" + b for b in reversed(blocks))
        + text[end:]
    )  # fmt: skip
    shuffled = load_editions(_editions_file(tmp_path, reversed_text))
    assert [e.id for e in shuffled.editions] == ["2018", "2016-2017", "2016"]
    assert [e.id for e in shuffled.dated()] == ["2016", "2016-2017", "2018"]
    plan, _ = _plan(tmp_path, tmp_path / "editions.yaml", MIX % '["2016-2017", "2016"]')
    result = plan.slides[0].charts[0].result
    assert [s.code for s in result.series] == ["2016", "2016-2017", "2021"]
    assert result.editions[-1][0] == "2016-2017"  # the change is since the latest


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("departements_regions: 6}", "departements_region: 6}",
         "`departements_region` is neither an option of `type_collectivite` nor one of "
         "`groups` (did you mean `departements_regions`?)"),
        ("intercommunalites_metropoles: 27, departements_regions: 6}",
         "intercommunalite: 27, departements_regions: 6}",
         "edition `2016-2017`'s categories add up to 100 % without `metropole`: they were "
         "counted in another category; say which in `groups`"),
        ("intercommunalites_metropoles: [intercommunalite, metropole]",
         "intercommunalites_metropoles: [intercommunalite, metropol]",
         "group `intercommunalites_metropoles`: `metropol` is not an option of "
         "`type_collectivite` (did you mean `metropole`?)"),
        ('"2016-2017": {commune: 67,', '"2016-2017": {commune: 67, metropole: 1,',
         "`metropole` is counted in both `metropole` and `intercommunalites_metropoles`"),
        ('date: "2018"', 'date: "2022"',
         "edition `2018` (2022) is not earlier than the current edition `2021` (2021-06)"),
        # values: percents from 0 to 100; a single choice's categories at most 100 %
        # (plus 0.5 per published percent for their rounding: 3 categories, 101.5)
        ('"2016-2017": {commune: 67,', '"2016-2017": {commune: 167,',
         "figure `type_collectivite`: 167 is not a percent from 0 to 100"),
        ('"2016-2017": {commune: 67,', '"2016-2017": {commune: -67,',
         "figure `type_collectivite`: -67 is not a percent from 0 to 100"),
        ('shares: {"2018": 53}', 'shares: {"2018": 153}',
         "figure `service_participation`: 153 is not a percent from 0 to 100"),
        ('"2016-2017": {commune: 67,', '"2016-2017": {commune: 87,',
         "edition `2016-2017`'s categories add up to 120 %: each respondent gave one answer "
         "to `type_collectivite`, so they add up to 100 % at most (here 101.5 %"),
        ('"2016-2017": {commune: 67,', '"2016-2017": {commune: 69,',
         "edition `2016-2017`'s categories add up to 102 %"),
    ],
)  # fmt: skip
def test_an_editions_category_the_codebook_does_not_know_is_an_error(tmp_path, old, new, message):
    """Never a silent drop: each category an edition published is an option of the
    figure's question or a group of them, each option counted once; the message names
    the editions file and the line."""
    text = EDITIONS.read_text(encoding="utf-8")
    assert old in text
    changed = text.replace(old, new, 1)
    path = _editions_file(tmp_path, changed)
    line = changed[: changed.index(new)].count("\n") + 1
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, path, MIX % '["2016", "2016-2017"]')
    assert message in str(caught.value)
    assert f"{path}:{line}:" in str(caught.value)
    # the file is named in the spec: no "set deck.editions" on top of its own errors
    assert caught.value.kind == "editions error" and "set `deck.editions`" not in str(caught.value)


def test_published_percents_may_overshoot_by_their_rounding(tmp_path):
    """Three whole percents rounded half up can add up to 101.5 at most: 68.5 + 27 + 6
    is accepted, the boundary of the 102 refused above."""
    text = EDITIONS.read_text(encoding="utf-8").replace(
        '"2016-2017": {commune: 67,', '"2016-2017": {commune: 68.5,', 1
    )
    plan, _ = _plan(tmp_path, _editions_file(tmp_path, text), MIX % '["2016", "2016-2017"]')
    assert plan.slides[0].charts[0].result.series[1].values[0] == pytest.approx(0.685)


def test_a_trend_of_another_definition_is_refused(tmp_path):
    """The figure says what it matches today: counting any digital tool against 2018's
    consultation platform is an error at the spec's line."""
    indicator = """        kind: share
        condition:
          question: dispositifs_numeriques
          has_any: [plateforme_participation, application_ideation, questionnaire_en_ligne]
        editions: {figure: plateforme_numerique}"""
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, EDITIONS, indicator)
    assert (
        'but figure `plateforme_numerique` of the editions file matches {"question": '
        '"dispositifs_numeriques", "has_any": ["plateforme_participation"]}: compare like '
        "with like"
    ) in str(caught.value)


def test_a_trend_of_part_of_the_sample_against_the_whole_is_refused(tmp_path):
    """2018's 53 % with a service is of every collectivité: today's communes alone are
    another population. A figure that says `population:` takes the same filter."""
    indicator = """        kind: share
        condition: {question: service_participation, in: [oui]}
        filter: {question: type_collectivite, in: [commune]}
        editions: {figure: service_participation}"""
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, EDITIONS, indicator)
    assert (
        'this trend is of the respondents where {"question": "type_collectivite", "in": '
        '["commune"]}, but figure `service_participation` of the editions file is of every '
        "respondent: compare like with like (the same respondents)"
    ) in str(caught.value)
    text = EDITIONS.read_text(encoding="utf-8").replace(
        "    matches: {question: service_participation, in: [oui]}\n",
        "    matches: {question: service_participation, in: [oui]}\n"
        "    population: {question: type_collectivite, in: [commune]}\n",
    )
    assert text != EDITIONS.read_text(encoding="utf-8")
    communes = tmp_path / "editions.yaml"
    communes.write_text(text, encoding="utf-8")
    plan, _ = _plan(tmp_path, communes, indicator)
    result = plan.slides[0].charts[0].result
    answers = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    rows = answers[answers["type_collectivite"] == "commune"]
    assert result.series[-1].bases[0] == len(rows) == 22
    assert result.series[-1].counts[0] == (rows["service_participation"] == "oui").sum()
    unfiltered = indicator.replace(
        "        filter: {question: type_collectivite, in: [commune]}\n", ""
    )
    with pytest.raises(SpecError) as caught:
        _plan(tmp_path, communes, unfiltered)
    assert "this trend is of every respondent, but figure `service_participation`" in str(
        caught.value
    )


BREAK = """  - key: outils_numeriques
    text: "Un outil numérique de participation"
    matches:
      question: dispositifs_numeriques
      has_any: [plateforme_participation, application_ideation, questionnaire_en_ligne]
    shares: {"2016-2017": 40}
    breaks: {"2016-2017": "une plateforme de consultation seulement"}
"""


@pytest.mark.parametrize(
    ("locale", "named", "untested"),
    [
        ("fr", "rupture de série en 2016-2017\u202f: une plateforme de consultation seulement",
         "définition différente en 2016-2017"),
        ("en", "break in the series in 2016-2017: une plateforme de consultation seulement",
         "defined differently in 2016-2017"),
    ],
)  # fmt: skip
def test_a_change_of_definition_is_named_and_not_tested(tmp_path, locale, named, untested):
    """27 of 31 (87 %) against 40 % of 243 would be a z-test's p < 0.0001; but the file
    says 2016-2017 counted something else: the footnote names the break, and no test
    runs across it (nor is "no significant change" claimed)."""
    path = _editions_file(tmp_path, EDITIONS.read_text(encoding="utf-8") + BREAK)
    indicator = """        kind: share
        condition:
          question: dispositifs_numeriques
          has_any: [plateforme_participation, application_ideation, questionnaire_en_ligne]
        editions: {figure: outils_numeriques}"""
    plan, _ = _plan(tmp_path, path, indicator, locale)
    assert _z_test(27 / 31, 31, 0.40, 243) < 1e-4
    footnote, result = plan.slides[0].footnote, plan.slides[0].charts[0].result
    assert named in footnote and untested in footnote
    assert result.series[-1].tested == ("break",) and not any(
        "▲" in m for m in result.series[-1].marks
    )
    assert "significati" not in footnote


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("fr", "n.d.\u202f: aucun chiffre publié en 2018 pour Intercommunalités et métropoles, "
         "Départements et régions"),
        ("en", "n/a: no figure published in 2018 for Intercommunalités et métropoles, "
         "Départements et régions"),
    ],
)  # fmt: skip
def test_a_missing_earlier_figure_reads_not_available_with_why(tmp_path, locale, expected):
    """2018 published the share of communes only: its other categories are n.d., and
    the footnote says why; the figures export shows n.d. for them too."""
    plan, computed = _plan(tmp_path, EDITIONS, MIX % '["2018", "2016-2017"]', locale)
    assert expected in plan.slides[0].footnote
    from deckgen.workflows.exports import figure_rows

    rows = [r for r in figure_rows(computed, locale) if r["series"].startswith("2018")]
    na = words(locale)("not_available")
    assert [r["value"] for r in rows] == ["71\u202f%" if locale == "fr" else "71%", na, na]
