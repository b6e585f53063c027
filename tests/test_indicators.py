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
