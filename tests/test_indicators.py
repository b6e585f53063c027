"""Indicators behave as arithmetic says."""

from __future__ import annotations

import pandas as pd
import pytest

from deckgen.analysis.indicators import Indicator, compute
from deckgen.analysis.survey import load_survey
from deckgen.indicator_kinds import names as indicator_kind_names
from deckgen.locales.numbers import percent_value


def test_changing_one_answer_moves_the_figures_by_one_respondent(data_copy, survey):
    facebook = Indicator(kind="multi", question="reseaux_sociaux_plateformes")
    users = Indicator(kind="share", condition={"question": "reseaux_sociaux", "in": ["oui"]})
    before_users = compute(survey, users)
    before = compute(survey, facebook)

    # C19 uses social networks: make it a non-user (its platform answers become "not asked")
    csv = data_copy.parent / "responses.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    row = frame["id"] == "C19"
    assert frame.loc[row, "reseaux_sociaux"].iloc[0] == "oui"
    was_youtube = frame.loc[row, "reseaux_sociaux_plateformes__youtube"].iloc[0] == "1"
    frame.loc[row, "reseaux_sociaux"] = "non"
    for col in [c for c in frame.columns if c.startswith("reseaux_sociaux_plateformes__")]:
        frame.loc[row, col] = ""
    frame.to_csv(csv, index=False)
    changed = load_survey(data_copy)

    after_users = compute(changed, users)
    assert after_users.count == before_users.count - 1 == 23
    assert percent_value(after_users.value) == 74  # 23/31 = 74.19 %
    after = compute(changed, facebook)
    assert after.bases == tuple(b - 1 for b in before.bases)  # base 24 -> 23
    youtube = after.codes.index("youtube")
    assert after.series[0].counts[youtube] == before.series[0].counts[youtube] - int(was_youtube)
    assert after.series[0].values[youtube] == pytest.approx(after.series[0].counts[youtube] / 23)


def test_empty_base_is_na_not_an_error(survey):
    nobody = {
        "all": [
            {"question": "type_collectivite", "in": ["region"]},
            {"question": "type_collectivite", "in": ["commune"]},
        ]
    }
    result = compute(survey, Indicator(kind="multi", question="sources_information", filter=nobody))
    assert result.na and result.base == 0
    share = compute(
        survey,
        Indicator(kind="share", condition={"question": "logiciel", "in": ["libre"]}, filter=nobody),
    )
    assert share.value is None and share.na


def test_filter_restricts_the_base(survey):
    communes = {"question": "type_collectivite", "in": ["commune"]}
    indicator = Indicator(kind="distribution", question="logiciel", filter=communes)
    result = compute(survey, indicator)
    assert result.base == 22
    assert sum(result.series[0].counts) == 22
    assert result.filter_text == ""  # computed results carry no generated words
    from deckgen.locales import words
    from deckgen.wording.phrases import localise

    fr = localise(result, indicator, survey.codebook, words("fr")).filter_text
    en = localise(result, indicator, survey.codebook, words("en")).filter_text
    assert fr == "ayant répondu « Commune » à « Type de collectivité »"
    assert en == "who answered “Commune” to “Type de collectivité”"


def test_sort_orders(survey):
    base = dict(kind="multi", question="sources_information")
    codebook = compute(survey, Indicator(**base))
    desc = compute(survey, Indicator(**base, sort="desc"))
    asc = compute(survey, Indicator(**base, sort="asc"))
    fixed = compute(
        survey, Indicator(**base, sort="fixed", options=["consultants_experts", "presse"])
    )
    assert codebook.codes[0] == "presse"
    assert list(desc.series[0].values) == sorted(desc.series[0].values, reverse=True)
    assert list(asc.series[0].values) == sorted(asc.series[0].values)
    assert fixed.codes == ("consultants_experts", "presse")


def test_no_answer_kept_or_excluded(survey):
    keep = compute(survey, Indicator(kind="distribution", question="budget_participation"))
    drop = compute(
        survey, Indicator(kind="distribution", question="budget_participation", no_answer="exclude")
    )
    assert "pas_de_reponse" in keep.codes and keep.base == 31
    assert "pas_de_reponse" not in drop.codes and drop.base == 29
    assert sum(drop.series[0].counts) == 29


def test_likert_rows_add_up_to_100_percent(survey):
    result = compute(survey, Indicator(kind="likert", question="utilite"))
    assert len(result.categories) == 10 and len(result.series) == 5
    for k in range(10):
        assert sum(s.values[k] for s in result.series) == pytest.approx(1.0)
    assert result.series[-1].dont_know


def test_budget_per_inhabitant_is_computed_not_banded(survey):
    frame = survey.frame
    known = frame["budget_participation"].notna()
    expected = (
        (frame["budget_participation"] / frame["population"] < 1) & known
    ).sum() / known.sum()
    result = compute(
        survey,
        Indicator(
            kind="ratio", numerator="budget_participation", denominator="population", below=1
        ),
    )
    assert result.value == pytest.approx(expected)


def test_registry_lists_every_kind():
    assert set(indicator_kind_names()) == {
        "count",
        "share",
        "ratio",
        "distribution",
        "multi",
        "likert",
        "mean",
        "median",
        "quantile",
        "ranking",
    }


def test_wrong_question_type_for_kind(survey):
    from deckgen.errors import DataError

    with pytest.raises(DataError, match="`likert` needs a likert question; `logiciel` is single"):
        compute(survey, Indicator(kind="likert", question="logiciel"))


def test_the_heaviest_respondents_named_are_those_of_the_filtered_base(survey):
    """A weighted share over the communes only: the respondent it names as carrying the
    most of the figure is one of them, with its part of their total weight. By hand:
    the 22 communes, C03 weighing 100 and every other respondent 1: C03 carries
    100 / (100 + 21) of the base, whose effective size is 121² / (100² + 21) =
    14641 / 10021."""
    import dataclasses

    weights = pd.Series(1.0, index=survey.frame.index)
    weights["C03"] = 100.0
    weights["C24"] = 1000.0  # heavier still, but not a commune: never named here
    weighted = dataclasses.replace(survey, weights=weights)
    communes = {"question": "type_collectivite", "in": ["commune"]}
    assert (survey.frame["type_collectivite"] == "commune").sum() == 22
    assert survey.frame.loc["C24", "type_collectivite"] != "commune"
    result = compute(
        weighted,
        Indicator(
            kind="share", condition={"question": "reseaux_sociaux", "in": ["oui"]}, filter=communes
        ),
    )
    assert result.heavy[0] == ("C03", pytest.approx(100 / 121))
    assert all(rid != "C24" for rid, _ in result.heavy)
    assert result.effective_base == pytest.approx(14641 / 10021)


def test_the_heaviest_named_are_of_those_who_answered(survey):
    """A weighted distribution over the communes, its no-answer left out: one commune
    answered "pas de réponse" (C14), so the base is the 21 others. C14 weighs 100 and is
    not named; C20 (after C14 in the file), weighing 50, carries 50 / (50 + 20) of the
    base (by hand), whose effective size is 70² / (50² + 20)."""
    import dataclasses

    communes = survey.frame["type_collectivite"] == "commune"
    silent = survey.frame.index[communes & (survey.frame["etp_participation"] == "pas_de_reponse")]
    assert silent.tolist() == ["C14"] and communes.sum() == 22
    weights = pd.Series(1.0, index=survey.frame.index)
    weights["C14"], weights["C20"] = 100.0, 50.0
    result = compute(
        dataclasses.replace(survey, weights=weights),
        Indicator(
            kind="distribution",
            question="etp_participation",
            no_answer="exclude",
            filter={"question": "type_collectivite", "in": ["commune"]},
        ),
    )
    assert result.base == 21
    assert result.heavy[0] == ("C20", pytest.approx(50 / 70))
    assert all(rid != "C14" for rid, _ in result.heavy)
    assert result.effective_base == pytest.approx(70**2 / (50**2 + 20))
