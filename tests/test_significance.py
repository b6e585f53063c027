"""Weights and significance tests, on a weighted survey no one here wrote: the
European Social Survey 2020 in Norway (data/ess-2020-norway, analysis weight
`anweight`), and on the Baromètre, whose 31 rows leave most tests undone.

Reference values are computed here independently of the libraries deckgen
calls: the z-test from its formula (math.erfc), Welch's test against the
worked example of the Wikipedia article "Welch's t-test" (t = -2.46, 24.99
degrees of freedom, p = 0.021), weighted figures with pandas sums and Kish's
effective sample size.
"""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation

import deckgen
from deckgen.analysis import significance
from deckgen.analysis.indicators import compute
from deckgen.analysis.survey import load_survey
from deckgen.errors import DataError, SpecError
from deckgen.inputs.indicator_spec import Indicator

from .helpers import CODEBOOK, ROOT, communes_spec

ESS = ROOT / "data" / "ess-2020-norway"


def _z_test(p1: float, n1: float, p2: float, n2: float) -> float:
    """The pooled two-proportion z-test, two-sided, from its formula."""
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return math.erfc(abs(z) / math.sqrt(2))


def _kish(w: pd.Series) -> float:
    return float(w.sum() ** 2 / (w**2).sum())


# -- the tests themselves -----------------------------------------------------------------


def test_the_z_test_is_its_formula():
    # 45 of 100 against 30 of 100: pooled 0.375, z = 2.1909, p = 0.02846
    assert significance.proportions(0.45, 100, 0.30, 100) == pytest.approx(0.0284597, abs=1e-6)
    assert significance.proportions(0.45, 100, 0.30, 100) == pytest.approx(
        _z_test(0.45, 100, 0.30, 100), rel=1e-9
    )
    assert significance.proportions(0.0, 50, 0.0, 60) is None  # nothing to compare
    assert significance.proportions(0.5, 0, 0.2, 10) is None


def test_welch_s_test_gives_the_textbook_example():
    a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    assert significance.means(a, b) == pytest.approx(0.021, abs=5e-4)
    assert significance.means([1.0], b) is None  # one value: no variance


def test_welch_s_test_is_not_student_s():
    """Unequal sizes and variances, where the two tests part: the second example of the
    Wikipedia article "Welch's t-test" (n = 10 and 20). Welch: t = -2.2255, df = 24.52,
    p = 0.0355 (scipy.stats.ttest_ind(equal_var=False)); Student's pooled test would
    give t = -1.654, df = 28, p = 0.109 (equal_var=True). The equal-size example above
    cannot tell them apart (the same t; df 28 against 24.99)."""
    a = [19.8, 20.4, 19.6, 17.8, 18.5, 18.9, 18.3, 18.9, 19.5, 22.0]
    b = [28.2, 26.6, 20.1, 23.3, 25.2, 22.1, 17.7, 27.6, 20.6, 13.7,
         23.2, 17.5, 20.6, 18.0, 23.9, 21.6, 24.3, 20.4, 23.9, 13.3]  # fmt: skip
    p = significance.means(a, b)
    assert p == pytest.approx(0.0355, abs=5e-4)
    assert abs(p - 0.109) > 0.05  # not the pooled-variance test


def test_a_weighted_welch_test_uses_the_effective_sizes():
    from scipy.stats import t as student

    rng = np.random.default_rng(7)
    a, b = rng.normal(5.0, 2.0, 80), rng.normal(5.8, 2.5, 60)
    wa, wb = rng.uniform(0.2, 3.0, 80), rng.uniform(0.2, 3.0, 60)

    def described(x, w):
        n = w.sum() ** 2 / (w**2).sum()
        mean = np.average(x, weights=w)
        scaled = w * n / w.sum()  # weights adding up to the effective size
        var = (scaled * (x - mean) ** 2).sum() / (n - 1)
        return mean, var, n

    (ma, va, na), (mb, vb, nb) = described(a, wa), described(b, wb)
    se2 = va / na + vb / nb
    df = se2**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    expected = 2 * student.sf(abs(ma - mb) / math.sqrt(se2), df)
    assert significance.means(a, b, wa, wb) == pytest.approx(expected, rel=1e-6)


# -- weights ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kish_codebook(tmp_path_factory):
    """The ESS codebook without its sampling design (strata, clusters): the tests of this
    file check the tests on Kish's effective bases, which a design replaces
    (tests/test_design.py checks those)."""
    text = (ESS / "codebook.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith(("  strata:", "  clusters:"))]
    assert len(kept) == len(text.splitlines()) - 2
    kept.insert(kept.index("survey:") + 1, '  ignore: ["stratum", "psu"]')
    path = tmp_path_factory.mktemp("ess-kish") / "codebook.yaml"
    kept = [line.replace('responses: "responses.csv"', f'responses: "{ESS / "responses.csv"}"')
            for line in kept]  # fmt: skip
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ess(kish_codebook):
    return load_survey(kish_codebook)


@pytest.fixture(scope="module")
def ess_raw() -> pd.DataFrame:
    return pd.read_csv(ESS / "responses.csv", dtype={"eu_vote": str})


def _compute(survey, **data):
    return compute(survey, Indicator.validate(data))


def test_weighted_shares_are_sums_of_weights_and_bases_stay_respondents(ess, ess_raw):
    r = _compute(ess, kind="distribution", question="eu_vote", no_answer="exclude")
    answered = ess_raw[ess_raw["eu_vote"] != "Refuse to Answer"]
    shares = answered.groupby("eu_vote")["anweight"].sum() / answered["anweight"].sum()
    assert r.weighted and r.base == len(answered)
    for code, value, count in zip(r.codes, r.series[0].values, r.series[0].counts):
        assert value == pytest.approx(shares[code], rel=1e-12)
        assert count == int((answered["eu_vote"] == code).sum())  # respondents, not weights
    assert r.series[0].effective[0] == pytest.approx(_kish(answered["anweight"]), rel=1e-12)
    unweighted = _compute(ess, kind="distribution", question="eu_vote", weights=False)
    assert not unweighted.weighted
    assert unweighted.series[0].values[0] == pytest.approx(363 / 1411)


def test_weighted_means_and_medians(ess, ess_raw):
    from statsmodels.stats.weightstats import DescrStatsW

    rows = ess_raw.dropna(subset=["lrscale"])
    mean = _compute(ess, kind="mean", question="lrscale")
    assert mean.series[0].values[0] == pytest.approx(
        np.average(rows["lrscale"], weights=rows["anweight"]), rel=1e-12
    )
    median = _compute(ess, kind="median", question="agea")
    expected = DescrStatsW(ess_raw["agea"], weights=ess_raw["anweight"]).quantile(
        [0.5], return_pandas=False
    )[0]
    assert median.series[0].values[0] == expected


def test_a_weight_column_that_is_wrong_is_named(tmp_path):
    (tmp_path / "responses.csv").write_text(
        "idno,female,w\n1,0,1.5\n2,1,\n3,1,-2\n4,0,abc\n", encoding="utf-8"
    )
    (tmp_path / "codebook.yaml").write_text(
        "survey:\n  respondent_id: idno\n  weight: w\nquestions:\n"
        "  - {id: female, type: single, options: [{code: 0}, {code: 1}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_survey(tmp_path / "codebook.yaml")
    text = str(caught.value)
    assert "respondent 2: no weight in column `w`" in text
    assert "respondent 3: a negative weight in column `w`" in text
    assert "respondent 4: a weight that is not a number in column `w`" in text
    (tmp_path / "codebook.yaml").write_text(
        (tmp_path / "codebook.yaml").read_text().replace("weight: w", "weight: wt"), "utf-8"
    )
    with pytest.raises(
        DataError, match=r"no weight column `wt` \(the codebook's `survey.weight`\)"
    ):
        load_survey(tmp_path / "codebook.yaml")
    (tmp_path / "responses.csv").write_text("idno,female,wt\n1,0,0\n2,1,0.0\n", "utf-8")
    with pytest.raises(DataError, match=r"every weight in column `wt` is 0: nobody counts"):
        load_survey(tmp_path / "codebook.yaml")


# -- significance of a breakdown, against independent computations ------------------------


def test_each_segment_against_the_rest_with_the_design_effect(ess, ess_raw):
    r = _compute(
        ess, kind="distribution", question="eu_vote", no_answer="exclude", by="female", test="rest"
    )
    answered = ess_raw[ess_raw["eu_vote"] != "Refuse to Answer"]
    assert r.test == "z" and r.compared == "rest"
    for series in r.series:
        inside = answered["female"] == int(series.code)
        group, rest = answered[inside], answered[~inside]
        for k, code in enumerate(r.codes):

            def share(rows, code=code):
                return rows.loc[rows["eu_vote"] == code, "anweight"].sum() / rows["anweight"].sum()

            n1, n2 = _kish(group["anweight"]), _kish(rest["anweight"])
            pooled = (share(group) * n1 + share(rest) * n2) / (n1 + n2)
            if min(n1 * pooled, n2 * pooled, n1 * (1 - pooled), n2 * (1 - pooled)) < 5:
                # weighted: no exact test on effective counts, so no test
                assert (series.p[k], series.tested[k]) == (None, "expected"), code
            else:
                expected = _z_test(share(group), n1, share(rest), n2)
                assert series.p[k] == pytest.approx(expected, rel=1e-9)
                assert series.tested[k] == "z"
            assert series.higher[k] == (1 if share(group) > share(rest) else -1)
    # the blank ballots (1.5 %) and those who would not vote (0.6 %): an expected count
    # of about 4.6 and 1.9 on effective bases of 336 and 316
    assert [r.codes[k] for k, t in enumerate(r.series[0].tested) if t == "expected"] == [
        "Blank Ballot", "Wouldn't Vote"
    ]  # fmt: skip


def test_means_by_segment_against_the_rest(ess, ess_raw):
    from scipy.stats import ttest_ind

    r = _compute(ess, kind="mean", question="lrscale", by="region", test="rest", weights=False)
    rows = ess_raw.dropna(subset=["lrscale"])
    for series in r.series:
        inside = rows["region"] == series.code
        expected = ttest_ind(rows.loc[inside, "lrscale"], rows.loc[~inside, "lrscale"],
                             equal_var=False).pvalue  # fmt: skip
        assert series.p[0] == pytest.approx(expected, rel=1e-9)


def _breakdown(*series, bases=(205, 205), weighted=False):
    from deckgen.analysis.results import Result

    return Result(
        kind="multi", question="q", question_text="Q", categories=("a", "b"),
        codes=("a", "b"), series=series, bases=bases, base=bases[0], by="x", test="z",
        compared="rest", weighted=weighted,
    )  # fmt: skip


def test_marks_follow_the_level_and_leave_small_segments_untested():
    from deckgen.analysis.results import DOWN, UP, Series, marked

    result = _breakdown(
        Series("big", (0.5, 0.5), (50, 50), code="1", base=100, bases=(100, 100),
               p=(0.02, 0.20), higher=(1, -1), tested=("z", "z"), rest=(105, 105)),
        Series("other", (0.3, 0.7), (30, 70), code="2", base=100, bases=(100, 100),
               p=(0.02, 0.04), higher=(-1, 1), tested=("z", "z"), rest=(105, 105)),
        Series("tiny", (0.2, 0.8), (1, 4), code="3", base=5, bases=(5, 5),
               p=(0.001, 0.001), higher=(-1, 1), tested=("z", "z"), rest=(200, 200)),
    )  # fmt: skip
    at_95 = marked(result, 0.95, 10, "none")
    assert [s.marks for s in at_95.series] == [(UP, ""), (DOWN, UP), ("", "")]
    assert [s.tested for s in at_95.series] == [("z", "z"), ("z", "z"), ("small", "small")]
    at_99 = marked(result, 0.99, 10, "none")
    assert [s.marks for s in at_99.series] == [("", ""), ("", ""), ("", "")]
    # the threshold is a base of 10 and more: 10 is tested, 9 is not
    assert marked(result, 0.95, 5).series[2].tested == ("z", "z")
    assert marked(result, 0.95, 6).series[2].tested == ("small", "small")
    # corrected (Holm, by hand): the four tests that ran, 0.02, 0.02, 0.04, 0.20 sorted,
    # times 4, 3, 2, 1, each at least the one before: 0.08, 0.08, 0.08, 0.20
    holm = marked(result, 0.95, 10)
    assert (holm.correction, holm.family) == ("holm", 4)
    assert [s.adjusted for s in holm.series] == [
        pytest.approx((0.08, 0.20)), pytest.approx((0.08, 0.08)), (None, None)
    ]  # fmt: skip
    assert [s.marks for s in holm.series] == [("", ""), ("", ""), ("", "")]


def test_a_segment_is_not_called_small_because_of_its_complement():
    """22 communes against 9 others: the communes are tested against a rest of 9, so
    they are not tested -- because of that rest, which the reason names."""
    from deckgen.analysis.results import Series, marked
    from deckgen.wording.phrases import untested

    result = _breakdown(
        Series("Communes", (0.0, 0.5), (0, 11), code="c", base=22, bases=(22, 22),
               p=(0.001, 0.5), higher=(-1, 1), tested=("z", "z"), rest=(9, 9)),
        Series("Autres", (0.56, 0.5), (5, 4), code="a", base=9, bases=(9, 9),
               p=(0.001, 0.5), higher=(1, -1), tested=("z", "z"), rest=(22, 22)),
        bases=(31, 31),
    )  # fmt: skip
    shown = marked(result, 0.95, 10)
    assert [s.tested for s in shown.series] == [("rest_small",) * 2, ("small",) * 2]
    assert all(m == "" for s in shown.series for m in s.marks)
    assert untested(shown) == [("small", ["Autres"]), ("rest_small", ["Communes"])]


def test_an_empty_or_withheld_figure_is_not_named():
    """A figure with no value (an empty base, or one a deck withholds) is "empty"
    whatever its test said: the footnote does not name it, nor say why (a 0 % or
    100 % reason would tell what a withheld figure was)."""
    from deckgen.analysis.results import Series, marked
    from deckgen.wording.phrases import untested

    result = _breakdown(
        Series("Big", (0.5, None), (50, 0), code="1", base=100, bases=(100, 100),
               p=(0.40, None), higher=(1, 0), tested=("z", "extreme"), rest=(105, 105)),
        Series("Other", (0.3, 0.0), (30, 0), code="2", base=100, bases=(100, 100),
               p=(0.40, None), higher=(-1, 0), tested=("z", "extreme"), rest=(105, 105)),
    )  # fmt: skip
    shown = marked(result, 0.95, 10)
    assert [s.tested for s in shown.series] == [("z", "empty"), ("z", "extreme")]
    assert untested(shown) == [("extreme", ["b — Other"])]


def test_a_pair_s_test_follows_its_segments_codes():
    """Each pair's test is found by its segments' codes, so a deck that leaves a
    segment out (and renumbers the others in `pairwise`) keeps it; a pair without one
    had the result's test when a p-value is there, else none ran."""
    from deckgen.analysis.results import Series, marked, pair_tests
    from deckgen.locales import words
    from deckgen.wording.phrases import significance_text

    def segment(name, code):
        return Series(name, (0.9, 0.1), (90, 10), code=code, base=100, bases=(100, 100))

    result = replace(
        _breakdown(segment("North", "n"), segment("South", "s"), segment("West", "w")),
        compared="pairwise",
        pairwise=((0, 0, 1, 0.001, 1), (0, 0, 2, 0.5, 1), (0, 1, 2, 0.002, 1)),
        pair_tests=((0, "n", "s", "z"), (0, "n", "w", "z"), (0, "s", "w", "fisher")),
    )
    assert pair_tests(result) == ["z", "z", "fisher"]
    # North left out: South and West become series 0 and 1, their pair keeps its test
    without = replace(result, series=result.series[1:], pairwise=((0, 0, 1, 0.002, 1),))
    assert pair_tests(without) == ["fisher"]
    shown = marked(without, 0.95, 10)
    assert shown.pair_tests == ((0, "s", "w", "fisher"),)
    assert [s.marks[0] for s in shown.series] == ["B", ""]
    assert "(Fisher's exact test, pairwise, Holm correction for 1 comparison)" in (
        significance_text(shown, 0.95, words("en"))
    )
    bare = replace(result, pair_tests=(), pairwise=((0, 0, 1, 0.001, 1), (1, 0, 1, None, -1)))
    assert pair_tests(bare) == ["z", "empty"]


def test_no_difference_is_claimed_only_of_the_figures_tested():
    from deckgen.analysis.results import Series, marked
    from deckgen.locales import words
    from deckgen.wording.phrases import significance_text

    result = _breakdown(
        Series("Big", (0.5, 0.5), (50, 50), code="1", base=100, bases=(100, 100),
               p=(0.40, 0.60), higher=(1, -1), tested=("z", "z"), rest=(105, 105)),
        Series("Tiny", (0.2, 0.8), (1, 4), code="3", base=5, bases=(5, 5),
               p=(0.30, 0.30), higher=(-1, 1), tested=("z", "z"), rest=(200, 200)),
    )  # fmt: skip
    shown = marked(result, 0.95, 10)
    assert significance_text(shown, 0.95, words("en")) == (
        "no significant difference at the 95% level among the figures tested (two-proportion "
        "z-test, Holm correction for 2 comparisons); no test for Tiny: base under 10"
    )
    assert significance_text(shown, 0.95, words("fr")) == (
        "aucun écart significatif au seuil de 95\u202f% parmi les chiffres testés (test z de "
        "comparaison de proportions, correction de Holm pour 2 comparaisons) ; pas de test pour "
        "Tiny\u202f: base inférieure à 10"
    )
    everything = marked(result, 0.95, 5, "none")  # Tiny tested too: the claim is about all
    assert significance_text(everything, 0.95, words("en")) == (
        "no significant difference at the 95% level (two-proportion z-test, no correction for "
        "multiple comparisons)"
    )


def test_weighted_segments_are_tested_on_their_effective_bases():
    """A segment of 40 respondents whose weights make it worth 8 (Kish), and one whose
    rest is worth 9: neither is tested at a threshold of 10."""
    from deckgen.analysis.results import Series, marked

    result = _breakdown(
        Series("skewed", (0.5, 0.5), (20, 20), code="1", base=40, bases=(40, 40),
               effective=(8.0, 8.0), p=(0.001, 0.001), higher=(1, -1),
               tested=("z", "z"), rest=(300.0, 300.0)),
        Series("even", (0.2, 0.8), (60, 240), code="2", base=300, bases=(300, 300),
               effective=(290.0, 290.0), p=(0.001, 0.001), higher=(-1, 1),
               tested=("z", "z"), rest=(9.0, 11.0)),
        bases=(340, 340), weighted=True,
    )  # fmt: skip
    shown = marked(result, 0.95, 10)
    assert shown.series[0].tested == ("small", "small")
    assert shown.series[1].tested == ("rest_small", "z")
    assert [s.marks for s in shown.series] == [("", ""), ("", "▲")]


def test_the_rest_s_effective_base_is_computed_from_the_weights(ess, ess_raw):
    """`rest` holds, per figure, Kish's effective size of everyone else's weights."""
    r = _compute(
        ess, kind="distribution", question="eu_vote", no_answer="exclude", by="female", test="rest"
    )
    answered = ess_raw[ess_raw["eu_vote"] != "Refuse to Answer"]
    for series in r.series:
        rest = answered.loc[answered["female"] != int(series.code), "anweight"]
        assert series.rest == pytest.approx([_kish(rest)] * len(r.codes), rel=1e-12)


# -- in a deck ----------------------------------------------------------------------------

SPEC = """deck:
  title: "Tests"
  data: __CODEBOOK__
  locale: en
slides:
  - layout: chart
    title: "EU vote by sex"
    chart:
      type: bar
      indicator: {kind: distribution, question: eu_vote, no_answer: exclude, by: female,
                   test: rest}
  - layout: chart
    title: "Immigration by schooling"
    chart:
      type: table
      indicator: {kind: likert, question: imm, score: ['6', '7', '8', '9', '10'], by: eduyrs,
                   test: pairwise}
"""


@pytest.fixture(scope="module")
def deck(tmp_path_factory, kish_codebook):
    folder = tmp_path_factory.mktemp("tests")
    spec = folder / "spec.yaml"
    spec.write_text(SPEC.replace("__CODEBOOK__", str(kish_codebook)), encoding="utf-8")
    report = deckgen.load(spec).build(folder / "deck.pptx")
    return report, Presentation(str(report.path))


def test_the_chart_marks_significant_figures_and_the_footnote_says_how(deck):
    report, prs = deck
    result = report.plan.slides[0].charts[0].result
    chart = next(s for s in prs.slides[0].shapes if s.has_chart).chart
    women = next(i for i, s in enumerate(result.series) if s.name.startswith("Women"))
    k = result.categories.index("Don't know")
    assert result.series[women].marks[k] == "▲"
    labels = chart.plots[0].series[women]._element.iter("{*}dLbl")
    label = next(d for d in labels if d.find("{*}idx").get("val") == str(k))
    code = label.find("{*}numFmt").get("formatCode")
    assert code == "0%\\ \\▲"  # the figure stays linked to its value, the mark escaped
    assert (
        "▲▼: significantly different from the rest of the sample at the 95% level "
        "(two-proportion z-test, Holm correction for 4 comparisons), on the effective bases "
        "of the weights; no test for Blank ballot, Would not vote: an expected count under 5"
    ) in report.plan.slides[0].footnote
    assert "weighted figures" in report.plan.slides[0].footnote
    # men and women are each other's rest: one test per answer, four of them (the other
    # two have an expected count under 5); women's "don't know", p = 0.0114, times 4
    assert result.family == 4
    assert result.series[women].p[k] == pytest.approx(0.01137, abs=5e-6)
    assert result.series[women].adjusted[k] == pytest.approx(4 * result.series[women].p[k])
    notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert "Women (n\u00a0=\u00a0689) 6% ▲" in notes


def test_pairwise_letters_in_a_table(deck):
    report, prs = deck
    table = next(s for s in prs.slides[1].shapes if s.has_table).table
    header = [table.cell(0, c).text for c in range(len(table.columns))]
    assert header[1].endswith("(A)") and header[3].endswith("(C)")
    cells = [[table.cell(row, c).text for c in (2, 3)] for row in (1, 2, 3)]
    # the letters a Holm correction over the nine pairwise tests leaves, from the rows
    shown = [["" if cell.endswith("%") else cell.split()[-1] for cell in row] for row in cells]
    assert shown == _pairwise_letters()
    marked_cell = table.cell(1, 3).text_frame.paragraphs[0].runs[0].font
    plain_cell = table.cell(1, 1).text_frame.paragraphs[0].runs[0].font
    assert marked_cell.bold and not plain_cell.bold  # significant cells stand out
    rows = [r for r in report.figures() if r["slide"] == 2]
    assert {r["test"] for r in rows} == {"two-proportion z-test"}
    assert {r["weighted"] for r in rows} == {"yes"}
    assert "AB" in {r["significance"] for r in rows}
    assert "(two-proportion z-test, pairwise, Holm correction for 9 comparisons)" in (
        report.plan.slides[1].footnote
    )


def _pairwise_letters() -> list[list[str]]:
    """Per statement, the marks of segments B and C (13 to 16, 17 and more years of
    schooling): the letters of the segments each is significantly higher than, once the
    nine z-tests (weighted shares, Kish's effective bases) are Holm-corrected by hand."""
    raw = pd.read_csv(ESS / "responses.csv")
    bands = {"A": raw["eduyrs"] < 13, "B": raw["eduyrs"].between(13, 16.99),
             "C": raw["eduyrs"] >= 17}  # fmt: skip
    tests = []
    for row, column in enumerate(("imbgeco", "imueclt", "imwbcnt")):
        figures = {}
        for letter, inside in bands.items():
            rows = raw[inside & raw[column].notna()]
            w = rows["anweight"]
            figures[letter] = (w[rows[column] >= 6].sum() / w.sum(), _kish(w))
        for a, b in (("A", "B"), ("A", "C"), ("B", "C")):
            (pa, na), (pb, nb) = figures[a], figures[b]
            tests.append((row, a, b, pa > pb, _z_test(pa, na, pb, nb)))
    letters = [{"B": "", "C": ""} for _ in range(3)]
    for (row, a, b, a_higher, _), p in zip(tests, _holm([t[-1] for t in tests])):
        if p < 0.05:
            high, low = (a, b) if a_higher else (b, a)
            letters[row][high] += low
    assert letters == [{"B": "", "C": "A"}, {"B": "", "C": "AB"}, {"B": "", "C": "A"}]
    return [[marks[x] for x in "BC"] for marks in letters]


def test_the_barometre_says_which_tests_its_small_bases_leave_undone(tmp_path):
    """22 communes against 9 others: no test can run (the others are under 10, and they
    are the communes' rest), so no footnote says "no significant difference"; each
    segment is named with its own reason."""
    spec = communes_spec(tmp_path, "        test: rest\n")
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    footnote = report.plan.slides[0].footnote
    assert "aucun écart significatif" not in footnote
    assert "pas de test pour Autres (n\u202f=\u202f9)\u202f: base inférieure à 10" in footnote
    assert (
        "pas de test pour Communes (n\u202f=\u202f22)\u202f: base de comparaison inférieure "
        "à 10 (reste de l'échantillon)"
    ) in footnote
    assert "Communes (n\u202f=\u202f22)\u202f: base inférieure" not in footnote
    notes = report.plan.slides[0].notes
    assert "aucun écart significatif" not in notes and "pas de test pour Autres" in notes
    rows = [r for r in report.figures() if r["series"].startswith(("Communes", "Autres"))]
    assert rows and {(r["test"], r["p"], r["significance"]) for r in rows} == {("", "", "")}


def test_english_footnotes_name_what_was_not_tested_and_why(tmp_path):
    spec = communes_spec(tmp_path, "        test: rest\n")
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "deck:\n", "deck:\n  locale: en\n"), encoding="utf-8")  # fmt: skip
    footnote = deckgen.load(spec).build(tmp_path / "deck.pptx").plan.slides[0].footnote
    assert "no significant difference" not in footnote
    assert "no test for Autres (n\u00a0=\u00a09): base under 10" in footnote
    assert (
        "no test for Communes (n\u00a0=\u00a022): comparison base under 10 (the rest of the sample)"
        in (footnote)
    )


def test_some_figures_tested_the_claim_is_only_about_them(tmp_path):
    """At a threshold of 5, communes (22) and others (9) are compared figure by figure,
    each by the test its counts allow, computed here from the rows: no test of a 0 % or
    100 % (on bases under 30); Fisher's exact test (scipy) where an expected count is
    under 5 -- all the others, with 9 on one side; none for the neighbourhood councils,
    asked of communes only (no rest to compare with). The five tests are one family,
    Holm-corrected by hand; any claim is about the figures tested."""
    from scipy.stats import fisher_exact

    theme = tmp_path / "theme.yaml"
    theme.write_text("small_base_threshold: 5\n", encoding="utf-8")
    spec = communes_spec(tmp_path, "        test: rest\n", chart="table")
    text = spec.read_text(encoding="utf-8").replace(
        "dispositifs_numeriques", "dispositifs_existants"
    )
    spec.write_text(text.replace("deck:\n", f"deck:\n  theme: {theme}\n"), encoding="utf-8")
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    result = report.plan.slides[0].charts[0].result
    communes, others = result.series
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str)
    commune = rows["type_collectivite"] == "commune"
    expected_tests, ps = {}, {}
    for code in result.codes:
        column = rows[f"dispositifs_existants__{code}"]
        k1, n1 = int((column[commune] == "1").sum()), int(column[commune].notna().sum())
        k2, n2 = int((column[~commune] == "1").sum()), int(column[~commune].notna().sum())
        if n2 < 5:
            expected_tests[code] = "rest_small"
        elif {k1, k2} & {0} or k1 == n1 or k2 == n2:  # 0 % or 100 %, bases under 30
            expected_tests[code] = "extreme"
        else:
            pooled = (k1 + k2) / (n1 + n2)
            assert min(n2 * pooled, n2 * (1 - pooled)) < 5  # 9 on one side
            expected_tests[code] = "fisher"
            ps[code] = fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert sorted(c for c, t in expected_tests.items() if t == "extreme") == [
        "conseil_developpement", "conseil_sages", "reunions_publiques"
    ]  # fmt: skip
    # a figure the deck leaves empty (no base, or withheld) is neither tested nor named
    for series in (communes, others):
        shown = {c: "empty" if v is None else expected_tests[c]
                 for c, v in zip(result.codes, series.values)}  # fmt: skip
        if series is others:
            shown["conseils_quartier"] = "empty"  # asked of communes only
        assert dict(zip(result.codes, series.tested)) == shown
    ran = {c for s in (communes, others) for c, t in zip(result.codes, s.tested) if t == "fisher"}
    corrected = dict(zip(sorted(ran), _holm([ps[c] for c in sorted(ran)])))
    for series in (communes, others):
        for k, code in enumerate(result.codes):
            if series.tested[k] == "fisher":
                assert series.p[k] == pytest.approx(ps[code], rel=1e-12)
                assert series.adjusted[k] == pytest.approx(corrected[code], rel=1e-12)
    assert result.family == len(ran) and not any(m for s in result.series for m in s.marks)
    assert ran <= set(ps) and len(ps) == 5
    footnote = report.plan.slides[0].footnote
    assert (
        "aucun écart significatif au seuil de 95\u202f% parmi les chiffres testés (test exact de "
        f"Fisher, correction de Holm pour {len(ran)} comparaisons)"
    ) in footnote
    assert (
        "pas de test pour Conseils de quartier / conseils citoyens — Communes (n\u202f=\u202f22)"
        "\u202f: base de comparaison inférieure à 5 (reste de l'échantillon)"
    ) in footnote
    extreme = footnote.rsplit("pas de test pour ", 1)[1].split(" ; ")[0]  # the last reason
    assert extreme.startswith(("Conseil de développement", "Conseil des aîné·e·s"))
    assert extreme.endswith("\u202f: 0\u202f% ou 100\u202f% sur une base inférieure à 30")
    for k, category in enumerate(result.categories):  # each one of those shown is named
        assert any(s.tested[k] == "extreme" for s in result.series) == (category in extreme)


def _holm(ps: list[float]) -> list[float]:
    from .test_statistics import holm

    return holm(ps)


@pytest.mark.parametrize(
    ("indicator", "message"),
    [
        (
            "{kind: median, question: agea, by: female, test: rest}",
            "no significance test for a `median`",
        ),
        (
            "{kind: likert, question: imm, by: female, test: rest}",
            "no significance test for a Likert",
        ),
        ("{kind: mean, question: agea, test: rest}", "`test:` compares the segments of `by:`"),
    ],
)
def test_test_mistakes_are_named(tmp_path, indicator, message):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"deck:\n  title: T\n  data: {ESS / 'codebook.yaml'}\n  locale: en\nslides:\n"
        f"  - layout: chart\n    title: T\n    chart:\n      type: table\n"
        f"      indicator: {indicator}\n",
        encoding="utf-8",
    )
    with pytest.raises(SpecError) as caught:
        deckgen.load(spec).validate()
    assert message in str(caught.value)


def test_a_deck_without_tests_never_loads_scipy_or_statsmodels(tmp_path):
    code = (
        "import sys, deckgen.cli\n"
        "from deckgen.workflows.pipeline import build\n"
        f"build({str(ROOT / 'config' / 'barometre-2021.yaml')!r}, {str(tmp_path / 'd.pptx')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('scipy', 'statsmodels')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


def test_the_tests_boundaries_as_mutation_testing_found_them():
    """Survivors of `make mutate`: the smallest groups each test still computes, and
    the cases with no answer. References written here: Welch's by scipy.stats.ttest_ind
    (equal_var=False); the z-test by hand."""
    # two values a side is enough for Welch's test: t = -2.828, df = 2, p = 0.1056
    assert significance.means([1.0, 2.0], [3.0, 4.0]) == pytest.approx(0.10557, abs=1e-4)
    assert significance.means([1.0, 2.0, 3.0], [3.0]) is None  # one value: no variance
    assert significance.means([2.0, 2.0, 2.0], [2.0, 2.0]) is None  # no variance at all
    # a group of one respondent is a group (the callers' small-base rule says whether to
    # test it): 1/1 against 10/30, pooled 11/31, se = sqrt(11/31 * 20/31 * (1 + 1/30))
    # = 0.48638, z = (1 - 1/3) / se = 1.3707, p = erfc(z / sqrt 2) = 0.17047
    assert significance.proportions(1.0, 1, 10 / 30, 30) == pytest.approx(0.17047, abs=1e-4)
    assert significance.proportions(10 / 30, 30, 1.0, 1) == pytest.approx(0.17047, abs=1e-4)
    assert significance.proportions(1.0, 10, 1.0, 12) is None  # both 100 %: nothing varies


def test_a_stacked_breakdown_draws_the_marks_its_footnote_explains(tmp_path):
    """Highest degree by race in the GSS 2018, as 100 % bars, each race tested against
    the rest of the sample. The marks come from statsmodels here (pooled two-proportion
    z-test, `proportions_ztest`; Holm over the 15 tests, `multipletests`): each one on a
    figure of 6 % or more (a thinner segment has no label) is drawn after its figure,
    in the native chart and in its image, as the footnote's "▲▼" says. Stacked bars
    drew none before: the footnote explained marks no one could see."""
    from lxml import etree
    from statsmodels.stats.multitest import multipletests
    from statsmodels.stats.proportion import proportions_ztest

    rows = pd.read_csv(ROOT / "data" / "gss-2018-spending" / "responses.csv")
    races = {1: "White", 2: "Black", 3: "Other"}
    degrees = {0: "Less than high school", 1: "High school", 2: "Junior college",
               3: "Bachelor's", 4: "Graduate"}  # fmt: skip
    tests = []
    for race in races:
        group, rest = rows[rows.race == race], rows[rows.race != race]
        for degree in degrees:
            counts = [(group.degree == degree).sum(), (rest.degree == degree).sum()]
            _, p = proportions_ztest(counts, [len(group), len(rest)])
            share = counts[0] / len(group)
            tests.append((races[race], degrees[degree], p, share > counts[1] / len(rest), share))
    adjusted = multipletests([t[2] for t in tests], method="holm")[1]
    expected = {
        (race, degree, "▲" if up else "▼")
        for (race, degree, _, up, share), q in zip(tests, adjusted)
        if q < 0.05 and share >= 0.06
    }
    assert ("White", "Less than high school", "▼") in expected and len(expected) >= 2

    spec = tmp_path / "spec.yaml"
    spec.write_text(f"""deck:
  title: "Marks"
  data: {ROOT / "data" / "gss-2018-spending" / "codebook.yaml"}
  locale: en
slides:
  - layout: chart
    title: "Highest degree by race"
    chart:
      type: stacked100
      indicator: {{kind: distribution, question: degree, by: race, test: rest}}
""", encoding="utf-8")  # fmt: skip
    project = deckgen.load(spec)
    report = project.build(tmp_path / "deck.pptx")
    assert "▲▼: significantly different from the rest" in report.plan.slides[0].footnote
    chart = next(s for s in Presentation(str(report.path)).slides[0].shapes if s.has_chart).chart
    xml = etree.fromstring(chart.part.blob)
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    categories = [v.text.split(" (n")[0] for v in xml.find(".//c:cat", ns).iterfind(".//c:v", ns)]
    drawn = set()
    for ser in xml.iterfind(".//c:ser", ns):
        degree = ser.findtext("c:tx//c:v", namespaces=ns)
        for label in ser.iterfind("c:dLbls/c:dLbl", ns):
            code = label.find("c:idx", ns).get("val")
            fmt = label.find("c:numFmt", ns)
            for mark in ("▲", "▼"):
                if fmt is not None and fmt.get("formatCode").endswith("\\" + mark):
                    drawn.add((categories[int(code)], degree, mark))
    assert drawn == expected
    (image,) = project.images(tmp_path / "images", formats=("png",))
    assert sorted(t[-1] for t in image.labels if t[-1] in "▲▼") == sorted(m for *_, m in expected)
    # and the image says what its marks mean, as the slide's footnote does
    assert "▲▼: significantly different from the rest" in image.footnote
