"""Significance tests under a sampling design: strata and clusters (PSUs) named in the
codebook give design-based (Taylor-linearised) variances (deckgen.analysis.design).

Reference values come from samplics 0.6.1, independent of deckgen: the difference
of two groups' weighted shares (or means) is the coefficient contrast of a weighted
linear model with one indicator per group (`SurveyGLM(ModelType.LINEAR)` with the
weights, strata and PSUs: its sandwich covariance is the design's), t against
Student's t with clusters minus strata degrees of freedom. `_samplics_p` below is that
computation; the numbers written here are its output, and it runs again wherever
samplics is installed (the suite's second environment, `make test-arrow`, has it).

Two surveys: the ESS 2020 Norway extract (36 strata, each respondent its own PSU), and
a synthetic one made here by formulas (6 strata of 3 clusters of 10 respondents, a
strong cluster effect), where the design's standard error is half as large again as
the simple random sample's.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

import deckgen
from deckgen.analysis.indicators import compute
from deckgen.analysis.survey import load_survey
from deckgen.errors import DataError
from deckgen.inputs.indicator_spec import Indicator

from .helpers import ROOT

ESS = ROOT / "data" / "ess-2020-norway"


def _rows() -> list[tuple]:
    """The synthetic survey: 6 strata (S1-S6) of 3 clusters (labelled 1-3 in each
    stratum) of 10 respondents; a segment g (a, b, c) across clusters; q yes/no, its
    yes share rising with the cluster (and higher in a); x a number; weights 1-2.8."""
    out = []
    for i in range(180):
        h, c, m = i // 30, (i // 10) % 3 + 1, i % 10
        g = "abc"[(m + h) % 3]
        weight = 1 + ((i * 5) % 7) * 0.3
        q = "yes" if (m * 3 + c * 4 + h) % 10 < 3 + 2 * c + (2 if g == "a" else 0) else "no"
        if i % 17 == 0:
            q = ""  # no answer: out of q's base, still in its cluster
        x = (m * 7 + c * 11 + h * 3) % 13 + (2 if g == "b" else 0)
        out.append((f"R{i:03d}", f"S{h + 1}", str(c), g, q, x, round(weight, 1)))
    return out


COLUMNS = ["id", "stratum", "psu", "g", "q", "x", "w"]
CODEBOOK = """survey:
  respondent_id: id
  weight: w
  strata: stratum
  clusters: psu
questions:
  - {id: g, type: single, options: [{code: a}, {code: b}, {code: c}]}
  - {id: q, type: single, optional: true, options: [{code: "yes"}, {code: "no"}]}
  - {id: x, type: numeric, min: 0, max: 20}
"""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple:
    folder = tmp_path_factory.mktemp("design")
    frame = pd.DataFrame(_rows(), columns=COLUMNS)
    frame.to_csv(folder / "responses.csv", index=False)
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    return load_survey(folder / "codebook.yaml"), frame


def _compute(survey, **data):
    return compute(survey, Indicator.validate(data))


# samplics 0.6.1 (`_samplics_p`) on the synthetic survey: (difference, standard error,
# p-value); the same difference with each respondent its own cluster, one stratum,
# has a standard error of 0.06557 and p = 0.0159: the clusters matter
SYNTHETIC_REST = {
    "a": (0.18384575541348114, 0.09582494350243383, 0.07913826390298047),
    "b": (-0.14871682386488272, 0.12644772266942855, 0.26235514272317484),
    "c": (-0.03670402280235785, 0.11247161085468299, 0.7497880278298125),
}
SYNTHETIC_PAIRS = {
    ("a", "b"): (0.2215309325771302, 0.13040157264348393, 0.11510371695320752),
    ("a", "c"): (0.14644102607988718, 0.11017598534891045, 0.20851452489177197),
    ("b", "c"): (-0.07508990649724301, 0.14890786739090114, 0.6232019045719264),
}
SYNTHETIC_MEANS = {
    "a": (-0.9851423027848991, 0.365385602483237, 0.019446598102603792),
    "b": (1.7495614035087748, 0.36789377403326645, 0.00046761172971139726),
    "c": (-0.7682923636744423, 0.38048608120722893, 0.06637360445203125),
}
# the ESS (anweight, stratum, psu): "Join EU" in a region against the rest of Norway,
# and the mean left-right placement of men against women
ESS_REST = {"Oslo og Viken": 0.014696478870403784, "Innlandet": 0.04567051687119007,
            "Nord-Norge": 0.9630459234253981}  # fmt: skip
ESS_LRSCALE_MEN = 0.19898505286034665


def test_a_segment_against_the_rest_takes_the_design_s_variance(synthetic):
    survey, _ = synthetic
    assert (survey.design.strata, survey.design.clusters, survey.design.degrees) == (6, 18, 12)
    r = _compute(survey, kind="distribution", question="q", by="g", test="rest")
    assert r.test == "design"
    yes = r.codes.index("yes")
    for s in r.series:
        assert s.tested[yes] == "design"
        assert s.p[yes] == pytest.approx(SYNTHETIC_REST[s.code][2], rel=1e-9), s.code
        assert s.higher[yes] == (1 if SYNTHETIC_REST[s.code][0] > 0 else -1)


def test_pairs_of_segments_take_their_covariance(synthetic):
    survey, _ = synthetic
    r = _compute(survey, kind="distribution", question="q", by="g", test="pairwise")
    yes = r.codes.index("yes")
    codes = [s.code for s in r.series]
    found = {
        (codes[ka], codes[kb]): (p, sign)
        for position, ka, kb, p, sign in r.pairwise
        if r.codes[position] == "yes" or position == yes
    }
    assert set(found) == set(SYNTHETIC_PAIRS)
    for pair, (difference, _, p) in SYNTHETIC_PAIRS.items():
        assert found[pair][0] == pytest.approx(p, rel=1e-9), pair
        assert found[pair][1] == (1 if difference > 0 else -1)


def test_means_against_the_rest_take_the_design_s_variance(synthetic):
    survey, _ = synthetic
    r = _compute(survey, kind="mean", question="x", by="g", test="rest")
    assert r.test == "design"
    for s in r.series:
        assert s.tested == ("design",)
        assert s.p[0] == pytest.approx(SYNTHETIC_MEANS[s.code][2], rel=1e-9), s.code


def test_the_ess_design(tmp_path):
    survey = load_survey(ESS / "codebook.yaml")
    assert (survey.design.strata, survey.design.clusters) == (36, 1411)
    r = _compute(
        survey, kind="distribution", question="eu_vote", no_answer="exclude", by="region",
        test="rest",
    )  # fmt: skip
    join = r.codes.index("Join EU")
    for s in r.series:
        if s.code in ESS_REST:
            assert s.p[join] == pytest.approx(ESS_REST[s.code], rel=1e-9), s.code
    mean = _compute(survey, kind="mean", question="lrscale", by="female", test="rest")
    assert mean.series[0].p[0] == pytest.approx(ESS_LRSCALE_MEN, rel=1e-9)


def test_without_weights_the_design_still_counts(tmp_path, synthetic):
    """A self-weighting design (no weight column): every weight is 1, the clusters still
    widen the test -- it is not the unweighted z-test."""
    _, frame = synthetic
    frame.drop(columns="w").to_csv(tmp_path / "responses.csv", index=False)
    (tmp_path / "codebook.yaml").write_text(CODEBOOK.replace("  weight: w\n", ""), "utf-8")
    survey = load_survey(tmp_path / "codebook.yaml")
    r = _compute(survey, kind="distribution", question="q", by="g", test="rest")
    yes = r.codes.index("yes")
    assert r.series[0].tested[yes] == "design"
    # by hand: the same test, weights 1 (what _samplics_p gives with samp_weight=1)
    answered = frame["q"] != ""
    inside = (frame["g"] == "a") & answered
    assert r.series[0].p[yes] == pytest.approx(
        _by_hand(frame, (frame["q"] == "yes").to_numpy(float), inside, ~inside & answered, 1.0),
        rel=1e-9,
    )


def _by_hand(frame, y, first, second, weights) -> float:
    """The design-based test written out with pandas: linearised scores summed per
    cluster, their spread within each stratum (clusters with replacement)."""
    from scipy.stats import t as student

    w = pd.Series(weights, index=frame.index, dtype=float)
    first, second = pd.Series(first, index=frame.index), pd.Series(second, index=frame.index)
    y = pd.Series(y, index=frame.index)
    m1 = (w * y)[first].sum() / w[first].sum()
    m2 = (w * y)[second].sum() / w[second].sum()
    u = w * (first * (y - m1) / w[first].sum() - second * (y - m2) / w[second].sum())
    totals = u.groupby([frame["stratum"], frame["psu"]]).sum()
    var = 0.0
    for _, t in totals.groupby(level=0):
        var += len(t) / (len(t) - 1) * ((t - t.mean()) ** 2).sum()
    clusters = frame.groupby(["stratum", "psu"]).ngroups
    return 2 * student.sf(abs(m1 - m2) / np.sqrt(var), clusters - frame["stratum"].nunique())


def _samplics_p(frame, y, first, second, weights, strata, psu) -> tuple[float, float, float]:
    """(difference, standard error, p-value) of the mean of y in `first` against
    `second` by samplics: a weighted linear model on the three indicators (first,
    second, neither), its design-based covariance, the contrast of the first two."""
    from samplics.regression import SurveyGLM
    from samplics.utils.types import ModelType
    from scipy.stats import t as student

    neither = ~(first | second)
    x = np.column_stack([first, second, neither]).astype(float)
    model = SurveyGLM(model=ModelType.LINEAR)
    model.estimate(
        y=np.where(first | second, y, 0.0), x=x, samp_weight=weights, stratum=strata, psu=psu
    )
    b = np.asarray(model.beta["point_est"]).ravel()
    v = np.asarray(model.beta_cov)
    difference, se = b[0] - b[1], float(np.sqrt(v[0, 0] + v[1, 1] - 2 * v[0, 1]))
    degrees = len(set(zip(strata, psu))) - len(set(strata))
    return float(difference), se, float(2 * student.sf(abs(difference / se), degrees))


def test_the_reference_values_are_samplics_s(synthetic):
    """Recompute the numbers written above with samplics, where it is installed (the
    second test environment; its install pulls in polars, so the first one has none)."""
    if os.environ.get("DECKGEN_EXPECT_ARROW") != "1":
        pytest.importorskip("samplics")
    _, frame = synthetic
    strata = frame["stratum"].to_numpy()
    psu = (frame["stratum"] + "-" + frame["psu"]).to_numpy()  # samplics: unique PSU labels
    weights = frame["w"].to_numpy(float)
    answered = (frame["q"] != "").to_numpy()
    yes = (frame["q"] == "yes").to_numpy(float)
    for g, expected in SYNTHETIC_REST.items():
        inside = (frame["g"] == g).to_numpy()
        found = _samplics_p(frame, yes, inside & answered, ~inside & answered, weights, strata, psu)
        assert found == pytest.approx(expected, rel=1e-9)
        assert _by_hand(frame, yes, inside & answered, ~inside & answered, weights) == (
            pytest.approx(expected[2], rel=1e-9)
        )
    for (a, b), expected in SYNTHETIC_PAIRS.items():
        first = (frame["g"] == a).to_numpy() & answered
        second = (frame["g"] == b).to_numpy() & answered
        assert _samplics_p(frame, yes, first, second, weights, strata, psu) == pytest.approx(
            expected, rel=1e-9
        )
    x = frame["x"].to_numpy(float)
    for g, expected in SYNTHETIC_MEANS.items():
        inside = (frame["g"] == g).to_numpy()
        assert _samplics_p(frame, x, inside, ~inside, weights, strata, psu) == pytest.approx(
            expected, rel=1e-9
        )
    ess = pd.read_csv(ESS / "responses.csv", dtype={"eu_vote": str})
    answered = (ess["eu_vote"] != "Refuse to Answer").to_numpy()
    join = (ess["eu_vote"] == "Join EU").to_numpy(float)
    design = (ess["anweight"].to_numpy(), ess["stratum"].to_numpy(), ess["psu"].to_numpy())
    for region, p in ESS_REST.items():
        inside = (ess["region"] == region).to_numpy()
        found = _samplics_p(ess, join, inside & answered, ~inside & answered, *design)
        assert found[2] == pytest.approx(p, rel=1e-9)


def test_the_design_names_its_test_in_the_footnote(tmp_path):
    spec = tmp_path / "spec.yaml"
    for locale, named, not_said in (
        ("en", "t-test on the sampling design's strata and clusters", "effective bases of the"),
        ("fr", "test t sur les strates et grappes du plan de sondage", "bases effectives de la"),
    ):
        spec.write_text(
            f"deck:\n  title: T\n  data: {ESS / 'codebook.yaml'}\n  locale: {locale}\n"
            "slides:\n  - layout: chart\n    title: EU\n    chart:\n      type: bar\n"
            "      indicator: {kind: distribution, question: eu_vote, no_answer: exclude,\n"
            "                  by: region, test: rest}\n",
            encoding="utf-8",
        )
        report = deckgen.load(spec).build(tmp_path / f"deck-{locale}.pptx")
        footnotes = " ".join(
            shape.text_frame.text
            for slide in __import__("pptx").Presentation(str(report.path)).slides
            for shape in slide.shapes
            if shape.has_text_frame and shape.name.startswith("Footnote")
        )
        assert named in footnotes, footnotes
        assert not_said not in footnotes


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda f: f.assign(stratum=f["stratum"].where(f["id"] != "R007", "")),
            "respondent R007: no stratum in column `stratum` (the codebook's `survey.strata`)",
        ),
        (
            lambda f: f.assign(psu=f["psu"].where(f["stratum"] != "S4", "1")),
            "stratum S4 of column `stratum` holds a single cluster",
        ),
        (lambda f: f.drop(columns="psu"), "no cluster column `psu` (the codebook's "),
    ],
)
def test_a_design_that_cannot_give_a_variance_is_named(tmp_path, synthetic, change, message):
    _, frame = synthetic
    change(frame.copy()).to_csv(tmp_path / "responses.csv", index=False)
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(tmp_path / "codebook.yaml")
    assert message in str(caught.value)


def test_one_cluster_for_the_whole_sample_is_named(tmp_path, synthetic):
    """Clusters without strata: the whole sample is one stratum, and one cluster in it
    gives no variance."""
    _, frame = synthetic
    frame.assign(psu="1").drop(columns="stratum").to_csv(tmp_path / "responses.csv", index=False)
    (tmp_path / "codebook.yaml").write_text(CODEBOOK.replace("  strata: stratum\n", ""), "utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(tmp_path / "codebook.yaml")
    assert "every respondent is in one cluster of column `psu`: no variance" in str(caught.value)
