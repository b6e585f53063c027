"""Means, medians and quantiles of a numeric question: over those in scope who gave
a number, by segment, in callouts ("13,7 ans" / "13.7 years"), charts and tables.
Figures are compared with pandas and numpy on the raw CSV of the GSS example."""

from __future__ import annotations

import numpy as np
import pytest
from pptx import Presentation

import deckgen
from deckgen.analysis.indicators import compute
from deckgen.errors import SpecError
from deckgen.inputs.indicator_spec import Indicator
from deckgen.render.identity import label_of

from .helpers import ROOT, flat

GSS = ROOT / "data" / "gss-2018-spending"
PARTIES = {"Democrats": [0, 1, 2], "Independents": [3], "Republicans": [4, 5, 6]}


def _compute(survey, **data):
    return compute(survey, Indicator.validate(data))


def test_mean_median_and_quantile_are_pandas_and_numpy_s(gss_survey, gss_raw):
    educ = gss_raw["educ"].dropna()
    mean = _compute(gss_survey, kind="mean", question="educ")
    assert mean.series[0].values[0] == pytest.approx(educ.mean(), abs=1e-12)
    assert mean.base == mean.series[0].counts[0] == len(educ)
    assert (mean.measure, mean.unit, mean.decimals) == ("mean", "years", 1)
    median = _compute(gss_survey, kind="median", question="age")
    assert median.series[0].values[0] == np.median(gss_raw["age"].dropna())
    quartile = _compute(gss_survey, kind="quantile", question="age", q=0.25)
    assert quartile.series[0].values[0] == np.quantile(
        gss_raw["age"].dropna(), 0.25, method="averaged_inverted_cdf"
    )


@pytest.mark.parametrize("q", [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0])
def test_one_quantile_definition_weighted_or_not(q):
    """Hyndman and Fan's definition 2 (numpy's `averaged_inverted_cdf`, independent of
    deckgen), with or without weights: equal weights give the unweighted quantile, and
    whole-number weights the quantile of each value repeated that many times."""
    from deckgen.analysis.indicators import quantile_of

    rng = np.random.default_rng(11)
    for n in (1, 2, 3, 4, 7, 10, 25):
        values = rng.integers(0, 12, n).astype(float)
        expected = np.quantile(values, q, method="averaged_inverted_cdf")
        assert quantile_of(values, None, q) == expected, (values, q)
        assert quantile_of(values, np.full(n, 1e-200 * 3), q) == expected, (values, q)
        assert quantile_of(values, np.full(n, 0.31), q) == expected, (values, q)
        counts = rng.integers(1, 5, n)
        repeated = np.quantile(np.repeat(values, counts), q, method="averaged_inverted_cdf")
        assert quantile_of(values, counts.astype(float), q) == repeated, (values, counts, q)


def test_the_median_and_quartiles_by_hand():
    from deckgen.analysis.indicators import quantile_of

    assert quantile_of(np.array([4.0, 1.0, 3.0, 2.0]), None, 0.5) == 2.5  # the two middle
    assert quantile_of(np.array([1.0, 2.0, 3.0, 4.0]), None, 0.25) == 1.5  # not 1.75 (linear)
    assert quantile_of(np.array([1.0, 2.0, 3.0]), None, 0.5) == 2.0
    # weights 1, 1, 2: the cumulative shares 0.25, 0.5, 1 -- the median is where the
    # share is exactly 0.5, between 2 and 3; weights 1, 2, 1: 2 holds the middle
    assert quantile_of(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), 0.5) == 2.5
    assert quantile_of(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 1.0]), 0.5) == 2.0
    # a weight of 0 is no answer
    assert quantile_of(np.array([1.0, 50.0, 3.0]), np.array([1.0, 0.0, 1.0]), 0.5) == 2.0


def test_a_mean_by_segment_is_each_segment_s_mean(gss_survey, gss_raw):
    r = _compute(
        gss_survey, kind="mean", question="educ", by="partyid", segments=PARTIES, total=True
    )
    assert [s.name for s in r.series] == ["", "Democrats", "Independents", "Republicans"]
    for series in r.series[1:]:
        rows = gss_raw[gss_raw["partyid"].isin(PARTIES[series.name])]["educ"].dropna()
        assert series.values[0] == pytest.approx(rows.mean(), abs=1e-12)
        assert series.base == series.counts[0] == len(rows)
    assert r.series[0].values[0] == pytest.approx(gss_raw["educ"].mean(), abs=1e-12)


def test_a_filtered_median(gss_survey, gss_raw):
    r = _compute(gss_survey, kind="median", question="age", filter={"question": "sex", "in": ["1"]})
    assert r.series[0].values[0] == gss_raw.loc[gss_raw["sex"] == 1, "age"].dropna().median()


SPEC = f"""deck:
  title: "Summaries"
  data: {GSS / "codebook.yaml"}
  locale: {{locale}}
slides:
  - layout: callouts
    title: "Averages"
    callouts:
      - indicator: {{{{kind: mean, question: educ}}}}
        text: "of school"
        expect: 13.7
      - indicator: {{{{kind: median, question: age, decimals: 0}}}}
        text: "median age"
  - layout: chart
    title: "Years of school by party"
    charts:
      - type: bar
        indicator:
          kind: mean
          question: educ
          by: partyid
          segments: {{{{Democrats: [0, 1, 2], Independents: [3], Republicans: [4, 5, 6]}}}}
      - type: table
        indicator: {{{{kind: quantile, question: age, q: 0.75, by: sex, total: true}}}}
"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = {}
    for locale in ("en", "fr"):
        folder = tmp_path_factory.mktemp(locale)
        spec = folder / "spec.yaml"
        spec.write_text(SPEC.format(locale=locale), encoding="utf-8")
        report = deckgen.load(spec).build(folder / "deck.pptx")
        out[locale] = (report, Presentation(str(report.path)))
    return out


def _texts(slide) -> dict[str, str]:
    return {label_of(s.name): s.text_frame.text for s in slide.shapes if s.has_text_frame}


@pytest.mark.parametrize(
    ("locale", "mean", "median"),
    [("en", "13.7 years", "48 years"), ("fr", "13,7 years", "48 years")],
)
def test_callouts_show_the_number_in_its_unit_and_the_locale(decks, locale, mean, median):
    _, prs = decks[locale]
    texts = _texts(prs.slides[0])
    assert texts["Callout 1 value"] == mean  # `expect: 13.7` held: the build passed
    assert texts["Callout 2 value"] == median


def test_a_mean_by_segment_is_a_bar_per_segment_and_a_quantile_a_table(decks, gss_raw):
    report, prs = decks["en"]
    frames = [s for s in flat(prs.slides[1].shapes) if s.has_chart or s.has_table]
    chart = frames[0].chart
    assert list(chart.plots[0].categories) == [
        "Democrats (n\u00a0=\u00a01,038)",
        "Independents (n\u00a0=\u00a0412)",
        "Republicans (n\u00a0=\u00a0786)",
    ]
    democrats = gss_raw[gss_raw["partyid"].isin([0, 1, 2])]["educ"].mean()
    assert chart.plots[0].series[0].values[0] == pytest.approx(democrats)
    assert chart.plots[0].series[0].data_labels.number_format == "#,##0.0"
    table = frames[1].table
    cells = [
        [table.cell(r, c).text for c in range(len(table.columns))] for r in range(len(table.rows))
    ]
    assert cells[0] == ["", "75th percentile", "Base"]
    male = gss_raw.loc[gss_raw["sex"] == 0, "age"].dropna()
    n = f"{len(male):,}"
    assert cells[2] == [f"Male (n\u00a0=\u00a0{n})", f"{male.quantile(0.75):.1f} years", n]
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    assert "Mean: Democrats (n\u00a0=\u00a01,038) 14.1 years" in notes
    rows = [r for r in report.figures() if r["slide"] == 2 and r["element"] == "chart 1"]
    assert [r["value"] for r in rows][0] == "14.1 years" and rows[0]["percent"] == ""


def test_a_wrong_expect_on_a_mean_is_an_error(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.format(locale="en").replace("expect: 13.7", "expect: 13.8"), "utf-8")
    with pytest.raises(
        SpecError, match=r"callout 1: the data give 13\.7 years but `expect: 13\.8`"
    ):
        deckgen.load(spec).build(tmp_path / "deck.pptx")


def _problems(folder, slide: str) -> str:
    """What `validate` says of a one-slide spec on the GSS example."""
    spec = folder / "spec.yaml"
    head = f"deck:\n  title: T\n  data: {GSS / 'codebook.yaml'}\n  locale: en\nslides:\n"
    spec.write_text(head + slide, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        deckgen.load(spec).validate()
    return str(caught.value)


@pytest.mark.parametrize(
    ("indicator", "chart", "message"),
    [
        ("{kind: mean, question: sex}", "bar", "`mean` needs a numeric question; `sex` is single"),
        (
            "{kind: quantile, question: age}",
            "bar",
            "indicator `quantile` needs `q:` (which quantile",
        ),
        ("{kind: quantile, question: age, q: 1.5}", "bar", "must be less than 1"),
        ("{kind: mean, question: age}", "pie", "a pie shows parts of a whole"),
        (
            "{kind: median, question: age}",
            "stacked100",
            "a `median` is one number per segment: show it as `bar` or `column` or `table`",
        ),
    ],
)
def test_summary_mistakes_are_named(tmp_path, indicator, chart, message):
    slide = f"  - layout: chart\n    title: T\n    chart:\n      type: {chart}\n"
    assert message in _problems(tmp_path, slide + f"      indicator: {indicator}\n")


def test_a_callout_cannot_show_a_breakdown(tmp_path):
    slide = (
        "  - layout: callouts\n    title: T\n    callouts:\n"
        "      - indicator: {kind: mean, question: age, by: sex}\n        text: years\n"
    )
    assert "a callout shows one number, and `by:` gives one per segment" in _problems(
        tmp_path, slide
    )
