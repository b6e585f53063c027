"""Every published 2021 figure, recomputed from the respondent rows.

The table mirrors ../shared/reference/published-figures.md (both 2021 tables):
the published integer percent and its base are the contract.
"""

from __future__ import annotations

import pytest

from deckgen.analysis.indicators import Indicator, compute
from deckgen.locales.numbers import percent_value


def share(question, codes, key="in", **kw):
    return Indicator(kind="share", condition={"question": question, key: codes}, **kw)


def option(question, code, **kw):
    return Indicator(kind="multi", question=question, options=[code], **kw)


PUBLISHED = [
    # (what, indicator, published percent, base)
    ("service dédié", share("service_participation", ["oui"]), 97, 31),
    (
        "< 1 € par habitant",
        Indicator(
            kind="ratio", numerator="budget_participation", denominator="population", below=1
        ),
        62,
        29,
    ),
    ("réseaux sociaux", share("reseaux_sociaux", ["oui"]), 77, 31),
    ("Facebook", option("reseaux_sociaux_plateformes", "facebook"), 100, 24),
    ("YouTube", option("reseaux_sociaux_plateformes", "youtube"), 75, 24),
    ("Twitter (62.5 -> 63)", option("reseaux_sociaux_plateformes", "twitter"), 63, 24),
    ("Instagram", option("reseaux_sociaux_plateformes", "instagram"), 42, 24),
    ("TikTok (12.5 -> 13)", option("reseaux_sociaux_plateformes", "tiktok"), 13, 24),
    ("SnapChat", option("reseaux_sociaux_plateformes", "snapchat"), 8, 24),
    ("logiciel propriétaire", share("logiciel", ["proprietaire"]), 55, 31),
    ("logiciel libre", share("logiciel", ["libre"]), 45, 31),
    ("presse", option("sources_information", "presse"), 84, 31),
    ("réseaux entre collectivités", option("sources_information", "reseaux_collectivites"), 81, 31),
    (
        "publications spécialisées",
        option("sources_information", "publications_specialisees"),
        94,
        31,
    ),
    (
        "formations professionnelles",
        option("sources_information", "formations_professionnelles"),
        52,
        31,
    ),
    ("consultants et experts", option("sources_information", "consultants_experts"), 45, 31),
    ("changement de majorité", share("changement_majorite", ["oui"]), 30, 27),
    ("poste existait déjà", share("poste_elu_participation", ["existait_deja"]), 63, 27),
    ("poste créé", share("poste_elu_participation", ["cree_apres_elections"]), 37, 27),
    ("axe fort du programme", share("participation_axe_programme", ["oui"]), 100, 27),
    ("consultations + présentiel", share("consultation_presentiel", ["oui"]), 44, 9),
    (
        "délibérations ou réunions publiques en visio",
        share(
            "visio_dispositifs", ["deliberations", "reunions_publiques"], key="has_any", base="all"
        ),
        94,
        31,
    ),
    (
        "ateliers de concertation en visio",
        share("visio_dispositifs", "ateliers_concertation", key="has", base="all"),
        65,
        31,
    ),
    ("visio: retour au présentiel", share("visio_avenir", ["retour_presentiel"]), 21, 29),
    ("visio: hybride", share("visio_avenir", ["hybride"]), 79, 29),
    ("visio: uniquement numérique", share("visio_avenir", ["numerique_uniquement"]), 0, 29),
    ("cellule Covid-19", share("cellule_crise", ["oui"]), 81, 31),
    # press coverage of the same results
    (
        "plateforme numérique de participation",
        share(
            "dispositifs_numeriques",
            ["plateforme_participation", "application_ideation", "questionnaire_en_ligne"],
            key="has_any",
        ),
        87,
        31,
    ),
    (
        "nouveaux outils numériques prévus",
        option("changements_prevus", "nouveaux_outils_numeriques"),
        78,
        27,
    ),
]


@pytest.mark.parametrize(
    ("what", "indicator", "percent", "base"), PUBLISHED, ids=[p[0] for p in PUBLISHED]
)
def test_published_percent(survey, what, indicator, percent, base):
    result = compute(survey, indicator)
    assert result.bases[0] == base
    assert percent_value(result.series[0].values[0]) == percent


def test_respondent_counts(survey):
    assert compute(survey, Indicator(kind="count")).count == 31
    concerned = compute(
        survey,
        Indicator(kind="count", condition={"question": "concernee_elections", "in": ["oui"]}),
    )
    assert concerned.count == 27


def test_neighbourhood_councils_have_the_communes_as_base(survey):
    result = compute(survey, Indicator(kind="multi", question="dispositifs_existants"))
    bases = dict(zip(result.codes, result.bases))
    assert bases["conseils_quartier"] == 22
    assert {b for code, b in bases.items() if code != "conseils_quartier"} == {31}
    communes = compute(
        survey,
        Indicator(kind="count", condition={"question": "type_collectivite", "in": ["commune"]}),
    )
    assert communes.count == 22


def test_artificial_intelligence_practically_absent(survey):
    result = compute(survey, option("dispositifs_numeriques", "intelligence_artificielle"))
    assert result.series[0].counts[0] <= 1


def test_top3_shares_add_up_to_at_most_300_percent(survey):
    result = compute(survey, Indicator(kind="ranking", question="actions_renforcer", top=3))
    assert len(result.categories) == 10
    assert 0 < sum(result.series[0].values) <= 3.0


def test_eleven_regions_represented(survey):
    result = compute(survey, Indicator(kind="distribution", question="region"))
    represented = [c for c, n in zip(result.codes, result.series[0].counts) if n > 0]
    assert len(represented) == 11
    assert "corse" not in represented and "bourgogne_franche_comte" not in represented
