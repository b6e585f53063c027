"""Tests that fit the data (docs/statistics.md): which test a comparison gets, when it
gets none and why, and the correction of each chart's family of tests.

Every reference value here is computed independently of deckgen: the z-test from
its formula (math.erfc), Fisher's exact test with scipy's `fisher_exact`, expected
counts and Kish's effective sizes by hand, Welch's test on weights from its
formulas (scipy's t distribution), and Holm's and Benjamini-Hochberg's corrections
written out below from their definitions (Holm 1979; Benjamini & Hochberg 1995).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import fisher_exact
from scipy.stats import t as student

import deckgen
from deckgen.analysis import significance
from deckgen.analysis.results import DOWN, UP, marked
from deckgen.errors import SpecError

from .test_significance import (  # noqa: F401  (fixtures)
    _compute,
    _kish,
    _z_test,
    ess,
    ess_raw,
    kish_codebook,
)


def holm(ps: list[float]) -> list[float]:
    """Holm's step-down adjusted p-values: the i-th smallest times (m - i), each at
    least the one before, at most 1."""
    m = len(ps)
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(sorted(range(m), key=lambda i: ps[i])):
        running = max(running, min(1.0, (m - rank) * ps[i]))
        out[i] = running
    return out


def benjamini_hochberg(ps: list[float]) -> list[float]:
    """Benjamini-Hochberg's adjusted p-values: the i-th smallest times m / i, each at
    most the one after, at most 1."""
    m = len(ps)
    out = [0.0] * m
    running = 1.0
    for rank, i in reversed(list(enumerate(sorted(range(m), key=lambda i: ps[i]), start=1))):
        running = min(running, ps[i] * m / rank)
        out[i] = running
    return out


def test_the_corrections_written_here_are_the_textbook_ones():
    # Holm: 0.01, 0.02, 0.03, 0.04 -> 0.04, 0.06, 0.06, 0.06; BH -> 0.04 for all four
    assert holm([0.04, 0.01, 0.03, 0.02]) == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert benjamini_hochberg([0.04, 0.01, 0.03, 0.02]) == pytest.approx([0.04] * 4)
    assert significance.adjusted([0.04, 0.01, 0.03, 0.02], "none") == [0.04, 0.01, 0.03, 0.02]


# -- which test, and when none ----------------------------------------------------------


def test_1_of_12_against_40_of_100_is_fisher_s_exact_test():
    """The expected count of the 12's side is 12 x 41 / 112 = 4.39, under 5: the z-test
    (p = 0.031, which a 95 % level would mark) does not fit; Fisher's exact test gives
    p = 0.0529 (scipy's fisher_exact, two-sided)."""
    assert round(12 * 41 / 112, 2) == 4.39
    assert _z_test(1 / 12, 12, 0.40, 100) == pytest.approx(0.0314, abs=5e-5)
    fisher = fisher_exact([[1, 11], [40, 60]]).pvalue
    assert fisher == pytest.approx(0.0529, abs=5e-5)
    p, how = significance.shares(1 / 12, 12, 0.40, 100)
    assert how == "fisher" and p == pytest.approx(fisher, rel=1e-12)
    # weighted (sizes that are effective ones) or published percentages: no exact test
    assert significance.shares(1 / 12, 12, 0.40, 100, whole=False) == (None, "expected")


def test_the_z_test_from_an_expected_count_of_5():
    """3 of 10 against 7 of 10: pooled 0.5, every expected count exactly 5, the z-test;
    2 of 10 against 7 of 10: pooled 0.45, an expected count of 4.5, Fisher's test."""
    p, how = significance.shares(0.3, 10, 0.7, 10)
    assert how == "z" and p == pytest.approx(_z_test(0.3, 10, 0.7, 10), rel=1e-9)
    p, how = significance.shares(0.2, 10, 0.7, 10)
    assert how == "fisher"
    assert p == pytest.approx(fisher_exact([[2, 8], [7, 3]]).pvalue, rel=1e-12)


def test_no_test_of_0_or_100_percent_on_a_base_under_30():
    assert significance.shares(0.0, 12, 0.40, 100) == (None, "extreme")  # 0 of 12
    assert significance.shares(0.0, 29, 0.40, 100) == (None, "extreme")
    assert significance.shares(0.60, 100, 1.0, 29) == (None, "extreme")  # 29 of 29
    # 0 of 30 against 40 of 100: tested, by the z-test (expected 30 x 40 / 130 = 9.2)
    p, how = significance.shares(0.0, 30, 0.40, 100)
    assert how == "z" and p == pytest.approx(_z_test(0.0, 30, 0.40, 100), rel=1e-9)
    assert significance.shares(0.5, 0, 0.2, 10) == (None, "empty")


# -- in a deck: a survey written here ---------------------------------------------------


def _survey(folder, groups: dict[str, tuple[int, int]]):
    """A survey of `groups` {label: (yes, respondents)}: a question `grp` and `q` (oui/non)."""
    rows, n = ["id,grp,q"], 0
    for code, (yes, size) in groups.items():
        for i in range(size):
            n += 1
            rows.append(f"R{n},{code},{'oui' if i < yes else 'non'}")
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    options = ", ".join(f"{{code: {code}, label: {code}}}" for code in groups)
    (folder / "codebook.yaml").write_text(
        "survey:\n  respondent_id: id\n  respondents: communes\nquestions:\n"
        f"  - {{id: grp, text: Groupe, type: single, options: [{options}]}}\n"
        "  - {id: q, text: Question, type: single, options: [{code: oui, label: Oui}, "
        "{code: non, label: Non}]}\n",
        encoding="utf-8",
    )
    return folder / "codebook.yaml"


def _share_deck(folder, groups, locale="fr", theme: str = ""):
    codebook = _survey(folder, groups)
    spec = folder / "spec.yaml"
    spec.write_text(
        f"deck:\n  title: T\n  data: {codebook}\n  locale: {locale}\n"
        + (f"  theme: {folder / 'theme.yaml'}\n" if theme else "")
        + "slides:\n  - layout: chart\n    title: T\n    chart:\n      type: table\n"
        "      indicator: {kind: share, condition: {question: q, in: [oui]}, label: Oui, "
        "by: grp, test: rest}\n",
        encoding="utf-8",
    )
    if theme:
        (folder / "theme.yaml").write_text(theme, encoding="utf-8")
    return deckgen.load(spec).build(folder / "deck.pptx")


def test_a_deck_tests_1_of_12_by_fisher_s_test_and_marks_nothing(tmp_path):
    report = _share_deck(tmp_path, {"A": (1, 12), "B": (40, 100)})
    result = report.plan.slides[0].charts[0].result
    assert [s.tested for s in result.series] == [("fisher",), ("fisher",)]
    assert [s.marks for s in result.series] == [("",), ("",)]
    assert result.family == 1  # A against its rest is B against its rest: one test
    fisher = fisher_exact([[1, 11], [40, 60]]).pvalue
    assert result.series[0].p[0] == pytest.approx(fisher, rel=1e-12)
    assert report.plan.slides[0].footnote.endswith(
        "aucun écart significatif au seuil de 95\u202f% (test exact de Fisher, correction de "
        "Holm pour 1 comparaison)"
    )
    rows = [r for r in report.figures() if r["series"].startswith("A")]
    assert [(r["test"], r["p"], r["p_adjusted"]) for r in rows] == [
        ("test exact de Fisher", round(fisher, 6), round(fisher, 6))
    ]


def test_a_deck_names_a_0_of_12_cell_it_did_not_test(tmp_path):
    report = _share_deck(tmp_path, {"A": (0, 12), "B": (40, 100)}, locale="en")
    result = report.plan.slides[0].charts[0].result
    assert [s.tested for s in result.series] == [("extreme",), ("extreme",)]
    footnote = report.plan.slides[0].footnote
    assert footnote.endswith(
        "no test for A (n\u00a0=\u00a012), B (n\u00a0=\u00a0100): 0% or 100% on a base under 30"
    )
    assert "no significant difference" not in footnote


def test_the_theme_chooses_the_correction_and_a_wrong_one_is_named(tmp_path):
    (tmp_path / "none").mkdir()
    report = _share_deck(tmp_path / "none", {"A": (1, 12), "B": (40, 100)}, locale="en",
                         theme="multiple_comparisons: none\n")  # fmt: skip
    assert "(Fisher's exact test, no correction for multiple comparisons)" in (
        report.plan.slides[0].footnote
    )
    (tmp_path / "bad").mkdir()
    with pytest.raises(SpecError) as caught:
        _share_deck(tmp_path / "bad", {"A": (1, 12), "B": (40, 100)},
                    theme="multiple_comparisons: bonferroni\n")  # fmt: skip
    assert "multiple_comparisons" in str(caught.value) and "holm" in str(caught.value)


# -- the correction of a family: the European Social Survey -------------------------------


def _weighted_welch(x, wx, y, wy) -> float:
    """Welch's test with each group's weights scaled to its effective size (Kish)."""

    def described(values, weights):
        n = weights.sum() ** 2 / (weights**2).sum()
        mean = np.average(values, weights=weights)
        scaled = weights * n / weights.sum()
        return mean, (scaled * (values - mean) ** 2).sum() / (n - 1), n

    (ma, va, na), (mb, vb, nb) = described(x, wx), described(y, wy)
    se2 = va / na + vb / nb
    df = se2**2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
    return float(2 * student.sf(abs(ma - mb) / math.sqrt(se2), df))


def test_holm_over_the_six_regions_takes_vestlandet_s_mark(ess, ess_raw):  # noqa: F811
    """Vestlandet's mean placement against the rest of Norway: p = 0.020 alone, marked
    at 95 %; one of six regions tested, Holm's correction makes it 6 x 0.020 = 0.121,
    not significant; Benjamini-Hochberg's as well (0.121). Without a correction the
    mark comes back."""
    rows = ess_raw.dropna(subset=["lrscale"])
    r = _compute(ess, kind="mean", question="lrscale", by="region", test="rest")
    ps = []
    for series in r.series:
        inside = rows["region"] == series.code
        group, rest = rows[inside], rows[~inside]
        ps.append(
            _weighted_welch(group["lrscale"], group["anweight"], rest["lrscale"], rest["anweight"])
        )
    assert [s.p[0] for s in r.series] == pytest.approx(ps, rel=1e-6)
    west = [s.code for s in r.series].index("Vestlandet")
    assert ps[west] == pytest.approx(0.0202, abs=5e-5) and min(ps) == ps[west]
    assert holm(ps)[west] == pytest.approx(0.1212, abs=5e-4)
    assert benjamini_hochberg(ps)[west] == pytest.approx(0.1212, abs=5e-4)
    for method, reference in (("holm", holm(ps)), ("bh", benjamini_hochberg(ps))):
        shown = marked(r, 0.95, 10, method)
        assert [s.adjusted[0] for s in shown.series] == pytest.approx(reference, rel=1e-9)
        assert not any(m for s in shown.series for m in s.marks) and shown.family == 6
    alone = marked(r, 0.95, 10, "none")
    assert [s.marks[0] for s in alone.series] == [UP if k == west else "" for k in range(6)]


# The example deck's tests take the ESS's sampling design (tests/test_design.py): its
# p-values, from samplics 0.6.1 (tests.test_design._samplics_p, weights anweight,
# strata stratum, PSUs psu): the mean left-right placement of each region against the
# rest of Norway, and "Join EU" of each age group (15-29, 30-49, 50-64, 65+) against
# the others (a refusal is an answer: in the base)
DESIGN_REGIONS = {
    "Agder og Sør-Østlandet": 0.24485959340332172, "Innlandet": 0.3413308795500971,
    "Nord-Norge": 0.6261353034488436, "Oslo og Viken": 0.9189650652188569,
    "Trøndlet": 0.5835925397931155, "Vestlandet": 0.006332971203221407,
}  # fmt: skip
DESIGN_AGES = [0.3961687033082114, 0.003538897856638887, 0.3724199898010507, 0.25779585342317685]


def test_the_ess_deck_says_which_correction(ess_deck):
    """The example deck, with the theme's default (Holm) and the survey's design:
    Vestlandet's placement keeps its ▲ (p = 0.0063; six regions, 6 x 0.0063 = 0.038;
    with Kish's effective bases instead, 0.020 and 0.121, the test above); the age
    groups' keep the 30 to 49's ▼ (p = 0.0035, four groups, 4 x 0.0035 = 0.014)."""
    regions = next(
        s for s in ess_deck.plan.slides if s.title == "Left and right across the regions"
    )
    series = [s for s in regions.charts[0].result.series if not s.total]
    ps = [DESIGN_REGIONS[s.code] for s in series]
    assert [s.p[0] for s in series] == pytest.approx(ps, rel=1e-9)
    assert [s.adjusted[0] for s in series] == pytest.approx(holm(ps), rel=1e-9)
    assert holm(ps)[[s.code for s in series].index("Vestlandet")] == pytest.approx(0.0380, abs=5e-4)
    assert [s.marks[0] for s in series] == [UP if s.code == "Vestlandet" else "" for s in series]
    assert (
        "significantly different from the rest of the sample at the 95% level (t-test on the "
        "sampling design's strata and clusters, Holm correction for 6 comparisons)"
    ) in regions.footnote
    ages = next(
        s for s in ess_deck.plan.slides if s.title == "Joining the EU: who would vote for it"
    )
    result = ages.charts[0].result
    assert [s.p[0] for s in result.series] == pytest.approx(DESIGN_AGES, rel=1e-9)
    assert [s.adjusted[0] for s in result.series] == pytest.approx(holm(DESIGN_AGES), rel=1e-9)
    assert holm(DESIGN_AGES)[1] == pytest.approx(0.0142, abs=5e-4)
    assert [s.marks[0] for s in result.series] == ["", DOWN, "", ""]
    assert (
        "(t-test on the sampling design's strata and clusters, Holm correction for 4 comparisons)"
    ) in ages.footnote


def test_a_two_option_distribution_is_one_test_per_segment(ess):  # noqa: F811
    """Born in Norway or abroad, by region: the two figures of a region read one 2 x 2
    table, so the family holds one test per region, not two."""
    r = _compute(ess, kind="distribution", question="brnnorge", by="region", test="rest")
    shown = marked(r, 0.95, 10)
    ran = [s for s in shown.series if set(s.tested) <= {"z", "fisher"}]
    assert shown.family == len(ran) == 6
    for s in ran:
        assert s.p[0] == pytest.approx(s.p[1], rel=1e-9)
        assert s.adjusted[0] == s.adjusted[1]
    assert [s.adjusted[0] for s in ran] == pytest.approx(holm([s.p[0] for s in ran]), rel=1e-9)


def test_a_deck_with_tests_names_fisher_s_test_in_english_and_french(tmp_path):
    report = _share_deck(tmp_path, {"A": (1, 12), "B": (40, 100)}, locale="en")
    assert report.plan.slides[0].footnote.endswith(
        "no significant difference at the 95% level (Fisher's exact test, Holm correction for 1 "
        "comparison)"
    )
