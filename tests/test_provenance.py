"""Provenance per figure: "published" is said of the figures that were published, not
of every figure built on a question some figure of which was.

The reference is the list of the Baromètre 2021's published figures
(data/barometre-2021/README.md, from the webinar deck of 1 July 2021 and its press
coverage): 87 % have a digital participation tool (a platform, an ideation app or
a survey tool, any of the three), not each tool; 62 % spend less than 1 € per
inhabitant, not the budget bands; 94 % held deliberations or public meetings and
65 % consultation workshops by videoconference, both over all 31, where the
chart's figures are over the 29 who used videoconference; Facebook 100 %, YouTube
75 %, Twitter 63 %, Instagram 42 %, TikTok 13 %, SnapChat 8 % of the 24 users of
social networks, each of them.
"""

from __future__ import annotations

import pytest

import deckgen
from deckgen.analysis.indicators import compute
from deckgen.errors import DeckgenError
from deckgen.inputs.indicator_spec import Indicator
from deckgen.workflows.exports import figure_rows

from .helpers import SPEC, replace_in, write_spec


@pytest.fixture(scope="module")
def seed():
    plan, computed = deckgen.load(SPEC).plan()
    return plan, computed, figure_rows(computed, "fr")


def _statuses(rows, slide: int, element: str) -> set[object]:
    found = {r["status"] for r in rows if r["slide"] == slide and r["element"] == element}
    assert found, (slide, element)
    return found


def _chart_note(plan, slide: int, title: str) -> str:
    """The paragraph of a slide's notes about the chart titled `title`."""
    notes = next(sp.notes for sp in plan.slides if sp.number == slide)
    return next(block for block in notes.split("\n\n") if title in block)


@pytest.mark.parametrize(
    ("slide", "element", "title"),
    [
        (8, "chart 2", "Budget dédié à la participation"),  # the budget bands
        (9, "chart 1", "Quels dispositifs mis en place"),  # each digital tool
        (22, "chart 1", "Utilisation pour les dispositifs existants"),  # each use, over 29
    ],
)
def test_figures_never_published_are_not_called_published(seed, slide, element, title):
    plan, _, rows = seed
    assert _statuses(rows, slide, element) == {"illustratif"}
    paragraph = _chart_note(plan, slide, title)
    assert "Données publiées" not in paragraph and "Chiffres publiés" not in paragraph
    assert "Données illustratives (reconstruction)" in paragraph


def test_published_figures_still_are(seed):
    plan, _, rows = seed
    # every social network's share of the 24 users was published
    assert _statuses(rows, 10, "chart 1") == {"publié"}
    assert "Données publiées." in _chart_note(plan, 10, "Facebook")
    # the videoconference figures over all 31, stated with `expect:`: published
    assert _statuses(rows, 22, "callout 1") == _statuses(rows, 22, "callout 2") == {"publié"}
    # the 62 % under 1 € per inhabitant: an `expect:`, though the bands are not published
    assert _statuses(rows, 8, "callout 2") == {"publié"}


def test_the_any_of_three_figure_is_published_not_each_tool(survey):
    def share(codes):
        condition = {"question": "dispositifs_numeriques", "has_any": codes}
        return compute(survey, Indicator.validate({"kind": "share", "condition": condition}))

    three = share(["plateforme_participation", "application_ideation", "questionnaire_en_ligne"])
    assert round(three.value * 100) == 87 and three.status_of(three.series[0], 0) == "published"
    one = share(["plateforme_participation"])
    # computed, not yet worded: not published, the survey's (the deck says illustrative)
    assert one.status_of(one.series[0], 0) == "survey" and not one.published
    # a breakdown's segments were never published, whatever the whole was
    by = compute(survey, Indicator.validate({
        "kind": "multi", "question": "reseaux_sociaux_plateformes", "by": "type_collectivite",
        "total": True,
    }))  # fmt: skip
    total, *segments = by.series
    assert {by.status_of(total, k) for k in range(len(by.codes))} == {"published"}
    assert {by.status_of(s, k) for s in segments for k in range(len(by.codes))} == {"survey"}


@pytest.mark.parametrize(
    ("locale", "published", "rest", "yes", "no"),
    [
        ("fr", "Chiffres publiés\u202f: Facebook, YouTube.",
         "Les autres chiffres sont illustratifs (reconstruction)", "publié", "illustratif"),
        ("en", "Published figures: Facebook, YouTube.",
         "The other figures are illustrative (reconstruction)", "published", "illustrative"),
    ],
)  # fmt: skip
def test_a_chart_of_which_some_figures_were_published_names_them(
    data_copy, tmp_path, locale, published, rest, yes, no
):
    replace_in(
        data_copy,
        "  - id: reseaux_sociaux_plateformes\n",
        "  - id: reseaux_sociaux_plateformes\n    published_figures: [facebook, youtube]\n",
    )
    chart = {
        "type": "bar",
        "indicator": {"kind": "multi", "question": "reseaux_sociaux_plateformes"},
    }
    spec = write_spec(
        tmp_path / "spec.yaml",
        [{"layout": "chart", "title": "Réseaux", "chart": chart}],
        data=str(data_copy),
        locale=locale,
    )
    plan, computed = deckgen.load(spec).plan()
    notes = plan.slides[0].notes
    assert published in notes and rest in notes
    assert "Données publiées." not in notes and "Published figures." not in notes
    status = {r["label"]: r["status"] for r in figure_rows(computed, locale)}
    assert status["Facebook"] == status["YouTube"] == yes
    assert {status[k] for k in ("Twitter", "Instagram", "TikTok", "SnapChat")} == {no}


def test_published_figures_name_codes_of_their_question(data_copy):
    replace_in(
        data_copy,
        "  - id: reseaux_sociaux_plateformes\n",
        "  - id: reseaux_sociaux_plateformes\n    published_figures: [facebok]\n",
    )
    from deckgen.inputs.codebook import load_codebook

    with pytest.raises(DeckgenError) as caught:
        load_codebook(data_copy)
    assert (
        "question `reseaux_sociaux_plateformes`: `published_figures` names `facebok`, which is "
        "not one of its codes (did you mean `facebook`?)"
    ) in str(caught.value)


def test_a_published_figure_that_moved_is_built_with_expect_warn_and_not_called_published(
    tmp_path,
):
    """A quarter with new data: `expect: 77` (social networks) now reads 79 in the spec
    against the data's 77 %. By default build, validate and indicators stop; with
    `--expect warn` each says it as a warning and goes on, and the figure is no longer
    called published: the notes give the published 79 % beside it, the export's status
    is not 'publié'."""
    from pptx import Presentation

    from .helpers import invoke, project_copy

    spec_copy = project_copy(tmp_path)
    replace_in(spec_copy, "expect: 77\n", "expect: 79\n")
    out = spec_copy.parent / "deck.pptx"
    stopped = invoke("build", spec_copy, "-o", out)
    assert stopped.code == 2 and "`expect: 79`" in stopped.stderr and not out.exists()
    built = invoke("build", spec_copy, "-o", out, "--expect", "warn", "-q")
    assert built.code == 0 and out.exists()
    assert "warning:" in built.stderr and "the data give 77\u202f% but `expect: 79`" in built.stderr
    valid = invoke("validate", spec_copy, "--expect", "warn")
    assert valid.code == 0 and "`expect: 79`" in valid.stderr
    csv = spec_copy.parent / "figures.csv"
    listed = invoke("indicators", spec_copy, "--expect", "warn", "--csv", csv)
    assert listed.code == 0 and "`expect: 79`" in listed.stderr
    social = next(
        s for s in Presentation(str(out)).slides
        if s.shapes.title.text == "Les réseaux sociaux pour la participation"
    )  # fmt: skip
    notes = social.notes_slide.notes_text_frame.text
    assert "(base 31 collectivités ; différent du chiffre publié, 79\u202f%)" in notes
    assert "chiffre publié)" not in notes.split("Chiffre clé")[1]
    row = next(
        line for line in csv.read_text(encoding="utf-8-sig").splitlines()
        if line.startswith("10,") and ",callout 1," in line
    )  # fmt: skip
    assert ",publié," not in row
