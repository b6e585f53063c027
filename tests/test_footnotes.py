"""Footnotes a reader can trace (issue 23, step 2): a chart's filter in words, in
every locale, saying exactly whom the computed figures count."""

from __future__ import annotations

import pytest

from deckgen.inputs.conditions import parse_condition
from deckgen.locales import words
from deckgen.wording.phrases import who_text

TYPE = {"question": "type_collectivite", "in": ["commune"]}
BUDGET = "Budget annuel dédié à la participation"
NUMERIQUES = "Quels dispositifs numériques mis en place ?"
PLATEFORME = "plateforme_participation"

# condition -> (fr, en, de): the clause that follows a base ("Base : 22 collectivités …")
SHAPES = [
    (
        TYPE,
        "ayant répondu « Commune » à « Type de collectivité »",
        "who answered “Commune” to “Type de collectivité”",
        "die auf „Type de collectivité“ mit „Commune“ geantwortet haben",
    ),
    (
        {"question": "type_collectivite", "in": ["commune", "region"]},
        "ayant répondu « Commune » ou « Région » à « Type de collectivité »",
        "who answered “Commune” or “Région” to “Type de collectivité”",
        "die auf „Type de collectivité“ mit „Commune“ oder „Région“ geantwortet haben",
    ),
    (
        {"question": "type_collectivite", "not_in": ["commune"]},
        "ayant répondu à « Type de collectivité » autre chose que « Commune »",
        "who answered “Type de collectivité” with something other than “Commune”",
        "die auf „Type de collectivité“ mit etwas anderem als „Commune“ geantwortet haben",
    ),
    (
        {"not": TYPE},
        "n'ayant pas répondu « Commune » à « Type de collectivité »",
        "who did not answer “Commune” to “Type de collectivité”",
        "die auf „Type de collectivité“ nicht mit „Commune“ geantwortet haben",
    ),
    (
        {"question": "dispositifs_numeriques", "has_any": [PLATEFORME, "visioconference"]},
        f"ayant coché « Plateforme de participation » ou « Visioconférence » à « {NUMERIQUES} »",
        f"who selected “Plateforme de participation” or “Visioconférence” for “{NUMERIQUES}”",
        f"die bei „{NUMERIQUES}“ „Plateforme de participation“ oder „Visioconférence“ "
        "angekreuzt haben",
    ),
    (
        {"not": {"question": "dispositifs_numeriques", "has_all": [PLATEFORME, "visioconference"]}},
        f"n'ayant pas coché à la fois « Plateforme de participation » et « Visioconférence » à "
        f"« {NUMERIQUES} »",
        "who did not select all of “Plateforme de participation” and “Visioconférence” for "
        f"“{NUMERIQUES}”",
        f"die bei „{NUMERIQUES}“ nicht alle von „Plateforme de participation“ und "
        "„Visioconférence“ angekreuzt haben",
    ),
    (
        {"question": "population", "min": 10000, "max": 50000},
        "dont la réponse à « Nombre d'habitant·es » est d'au moins 10\u202f000 et inférieure "
        "à 50\u202f000",
        "whose answer to “Nombre d'habitant·es” is at least 10,000 and under 50,000",
        "deren Antwort auf „Nombre d'habitant·es“ mindestens 10.000 und weniger als 50.000 beträgt",
    ),
    (
        {"question": "population", "in": ["de_10000_a_50000"]},
        "dont la réponse à « Nombre d'habitant·es » est dans « 10\u202f000 – 50\u202f000 »",
        "whose answer to “Nombre d'habitant·es” is in “10\u202f000 – 50\u202f000”",
        "deren Antwort auf „Nombre d'habitant·es“ in „10\u202f000 – 50\u202f000“ liegt",
    ),
    (
        {"not": {"question": "budget_participation", "min": 10000}},
        f"dont la réponse à « {BUDGET} » est inférieure à 10\u202f000 ou n'ayant pas répondu "
        f"à « {BUDGET} »",
        f"whose answer to “{BUDGET}” is under 10,000 or who did not answer “{BUDGET}”",
        f"deren Antwort auf „{BUDGET}“ unter 10.000 liegt oder die „{BUDGET}“ nicht "
        "beantwortet haben",
    ),
    (
        {
            "all": [
                TYPE,
                {
                    "any": [
                        {"question": "budget_participation", "answered": False},
                        {"question": "population", "max": 2.5},
                    ]
                },
            ]
        },  # fmt: skip
        f"ayant répondu « Commune » à « Type de collectivité » et (n'ayant pas répondu à "
        f"« {BUDGET} » ou dont la réponse à « Nombre d'habitant·es » est inférieure à 2,5)",
        f"who answered “Commune” to “Type de collectivité” and (who did not answer “{BUDGET}” "
        "or whose answer to “Nombre d'habitant·es” is under 2.5)",
        "die auf „Type de collectivité“ mit „Commune“ geantwortet haben und (die "
        f"„{BUDGET}“ nicht beantwortet haben oder deren Antwort auf „Nombre d'habitant·es“ "
        "unter 2,5 liegt)",
    ),
    (
        {"not": {"any": [TYPE, {"question": "budget_participation", "answered": True}]}},
        f"n'ayant pas répondu « Commune » à « Type de collectivité » et n'ayant pas répondu à "
        f"« {BUDGET} »",
        f"who did not answer “Commune” to “Type de collectivité” and who did not answer “{BUDGET}”",
        "die auf „Type de collectivité“ nicht mit „Commune“ geantwortet haben und die "
        f"„{BUDGET}“ nicht beantwortet haben",
    ),
]


@pytest.mark.parametrize(("raw", "fr", "en", "de"), SHAPES)
def test_a_filter_reads_as_words_in_every_locale(survey, raw, fr, en, de):
    condition = parse_condition(raw)
    for locale, expected in (("fr", fr), ("en", en), ("de", de)):
        text = who_text(condition, survey.questions, words(locale))
        assert text == expected, locale
        assert " = " not in text and "≠" not in text and "≥" not in text  # no code


@pytest.mark.parametrize(("raw", "fr", "en", "de"), SHAPES[:-2])  # one test, or its negation
def test_a_filter_says_the_respondents_without_an_answer_when_it_keeps_them(
    survey, raw, fr, en, de
):
    """True of what was computed: a clause names those who did not answer a question
    ("n'ayant pas répondu à « Q »", or a negated answer: "n'ayant pas répondu « A »
    à « Q »") exactly where the mask, evaluated on the survey and on a respondent
    who answered nothing, keeps that respondent."""
    import pandas as pd

    frame = survey.frame
    silent = pd.DataFrame([{c: None for c in frame.columns}], index=["silent"])
    frame = pd.concat([frame, silent.astype(frame.dtypes.to_dict())])
    condition = parse_condition(raw)
    keeps_silent = bool(condition.evaluate(frame, survey.questions).loc["silent"])
    text = who_text(condition, survey.questions, words("fr"))  # as the deck writes it
    negated = ("n'ayant pas répondu « ", "n'ayant pas coché")
    said = "n'ayant pas répondu à « " in text or any(n in text for n in negated)
    assert said == keeps_silent, text


def _charts_slide(n: int, text: bool = False, callouts: int = 0) -> dict:
    """A slide of `n` untitled charts on different bases (everyone, those on social
    networks, the communes), with a text block and callouts to narrow them."""
    indicators = [
        {"kind": "distribution", "question": "type_collectivite"},
        {"kind": "multi", "question": "reseaux_sociaux_plateformes"},
        {"kind": "distribution", "question": "logiciel", "filter": TYPE},
    ]
    slide: dict = {
        "layout": "chart",
        "title": f"{n} graphiques",
        "charts": [{"type": "bar", "indicator": indicators[i % 3]} for i in range(n)],
    }
    if text:
        slide["text"] = ["Un texte qui prend sa colonne, à gauche des graphiques."]
    if callouts:
        slide["callouts"] = [
            {"indicator": {"kind": "share", "condition": {"question": "logiciel", "in": ["libre"]}},
             "text": "logiciel libre"}
        ] * callouts  # fmt: skip
    return slide


@pytest.mark.parametrize(
    ("locale", "chart", "base"),
    [("fr", "Graphique {n}", " : Base\u202f: "), ("en", "Chart {n}", ": Base: "),
     ("de", "Diagramm {n}", ": Basis: ")],
)  # fmt: skip
def test_an_untitled_chart_among_several_is_named_by_its_place(tmp_path, locale, chart, base):
    """Each base of a slide with several untitled charts names its chart by its number
    in reading order, as the notes do: true whether the slide sets them side by side
    or, narrowed by text and callouts, one above the other (the callouts, on the
    first chart's base, join it)."""
    from pptx import Presentation

    import deckgen

    from .helpers import CODEBOOK, flat, write_spec

    slides = [_charts_slide(2, text=True, callouts=3), _charts_slide(3)]
    spec = write_spec(tmp_path / "spec.yaml", slides, locale=locale, data=str(CODEBOOK))
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    two, three = (s.footnote or "" for s in report.plan.slides)
    names = [p.split(base, 1)[0] for p in two.split(" · ")]
    closing = words(locale).texts["quotes"][1]  # the callouts' figure, quoted
    first, second = (chart.format(n=k) for k in (1, 2))
    assert names[0].startswith(first + " ") and names[0].endswith("%" + closing), two
    assert names[1] == second, two
    assert [p.split(base, 1)[0] for p in three.split(" · ")] == [
        chart.format(n=k) for k in (1, 2, 3)
    ], three
    prs = Presentation(str(report.path))
    for slide, plan in zip(prs.slides, report.plan.slides):  # numbered in reading order
        drawn = [s for s in flat(slide.shapes) if s.has_chart]
        read = sorted(drawn, key=lambda s: (s.top // 12700, s.left))
        assert [s.name for s in read] == [s.name for s in drawn], plan.title


def test_untitled_charts_on_one_base_share_the_slide_s_unnamed_base(tmp_path):
    """Two untitled charts on the same respondents: one base, the slide's, unnamed
    (naming both places would say nothing more)."""
    import deckgen

    from .helpers import CODEBOOK, write_spec

    slide = {"layout": "chart", "title": "Deux", "charts": [
        {"type": "bar", "indicator": {"kind": "distribution", "question": "type_collectivite"}},
        {"type": "bar", "indicator": {"kind": "distribution", "question": "region"}},
    ]}  # fmt: skip
    spec = write_spec(tmp_path / "spec.yaml", [slide], data=str(CODEBOOK))
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    assert report.plan.slides[0].footnote == "Base\u202f: 31 collectivités"


def test_an_item_asked_of_some_says_whom_in_words(data_copy):
    """An option asked only of some (`asked_if`) and with no `base_label` of its own:
    its base in the footnote says whom it counts in the same words as a filter."""
    from deckgen.analysis.indicators import compute
    from deckgen.analysis.survey import load_survey
    from deckgen.inputs.indicator_spec import Indicator
    from deckgen.wording.phrases import localise, result_base

    from .helpers import replace_in

    replace_in(data_copy, ', base_label: "s\'appliquent seulement aux {n} communes"', "")
    survey = load_survey(data_copy)
    indicator = Indicator(kind="multi", question="dispositifs_existants")
    result = compute(survey, indicator)
    texts = {
        locale: result_base(
            localise(result, indicator, survey.codebook, words(locale)), words(locale)
        )
        for locale in ("fr", "en", "de")
    }
    assert (
        "Conseils de quartier / conseils citoyens : base 22 collectivités ayant répondu "
        "« Commune » à « Type de collectivité »"
    ) in texts["fr"]
    assert "base 22 collectivités who answered “Commune” to “Type de collectivité”" in texts["en"]
    assert "Basis 22 collectivités, die auf „Type de collectivité“ mit „Commune“" in texts["de"]


def _crowded(locale: str) -> list[dict]:
    """A slide whose footnote says much: two breakdowns tested against the rest, one
    whose tests ran (by software, 17 and 14), one with an item asked of communes only
    and groups too small to test or to show; and a slide with one plain chart."""
    segments = {"Communes": ["commune"],
                "Autres": ["intercommunalite", "metropole", "departement", "region"]}  # fmt: skip
    by = {"by": "type_collectivite", "segments": segments, "total": True, "test": "rest"}
    return [
        {"layout": "chart", "title": "Beaucoup à dire", "charts": [
            {"type": "bar", "title": "Numérique",
             "indicator": {"kind": "multi", "question": "dispositifs_numeriques",
                           "by": "logiciel", "test": "rest"}},
            {"type": "bar", "title": "Existants",
             "indicator": {"kind": "multi", "question": "dispositifs_existants", **by}},
        ]},
        {"layout": "chart", "title": "Peu à dire",
         "chart": {"type": "bar", "indicator": {"kind": "distribution",
                                                "question": "type_collectivite"}}},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "whole", "untested", "kept"),
    [
        ("fr", "Note de bas de page\u202f: ", "pas de test pour", ("correction", "masqués")),
        ("en", "Footnote: ", "no test for", ("correction", "hidden")),
    ],
)
def test_a_footnote_over_two_lines_keeps_what_must_stay_and_moves_the_rest_to_the_notes(
    tmp_path, locale, whole, untested, kept
):
    """At most two lines on the slide: where the whole footnote would take more at its
    size, the slide keeps its bases, tests, corrections and what was withheld, without
    the per-segment reasons and per-item bases; the speaker notes hold the whole
    footnote, uncut. A short footnote stays whole, and the notes say nothing more."""
    from pptx import Presentation

    import deckgen
    from deckgen.render.fit import longer_than
    from deckgen.render.identity import label_of

    from .helpers import CODEBOOK, write_spec

    spec = write_spec(tmp_path / "spec.yaml", _crowded(locale), locale=locale, data=str(CODEBOOK))
    project = deckgen.load(spec)
    report = project.build(tmp_path / "deck.pptx")
    crowded, plain = report.plan.slides
    assert crowded.footnote and untested in crowded.footnote  # the whole says why
    prs = Presentation(str(report.path))
    drawn = []
    for slide in prs.slides:
        (foot,) = [s for s in slide.shapes if label_of(s.name) == "Footnote"]
        drawn.append((foot, slide.notes_slide.notes_text_frame.text))
    (foot, notes), (plain_foot, plain_notes) = drawn
    assert longer_than(crowded.footnote, foot.width, project._loaded.theme.sizes.footnote, 2)
    shown = foot.text_frame.text
    assert shown == crowded.footnote_brief and untested not in shown
    for word in kept:
        assert word in crowded.footnote and word in shown, word
    assert "…" not in shown
    assert notes.endswith(whole + crowded.footnote)  # nothing cut
    assert plain_foot.text_frame.text == plain.footnote
    assert whole not in plain_notes


def test_the_notes_word_each_question_once(real_deck):
    """Seed slide 8: the budget chart and the "62 %" card count the same question; its
    wording comes once, with the chart, while the "97 %" card on another question
    keeps its own."""
    from pptx import Presentation

    notes = Presentation(str(real_deck.path)).slides[7].notes_slide.notes_text_frame.text
    budget = "Question\u202f: Budget annuel dédié à la participation"
    assert notes.count(budget) == 1, notes
    assert notes.index(budget) < notes.index("Chiffre clé\u202f: 62")  # with the chart
    assert notes.count("Question\u202f: Disposez-vous d'un service dédié à la participation ?") == 1
