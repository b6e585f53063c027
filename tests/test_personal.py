"""Personal decks (`build --each-respondent`): every respondent of the seed data gets
a deck with their own answers marked beside everyone's and their type's, under
the privacy rule. All 31 decks are built and checked here without LibreOffice
(privacy and own answers, read from the files and from responses.csv); a sample
is opened in LibreOffice and audited.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pptx import Presentation
from pptx.util import Pt

import deckgen
from deckgen.render import manifest
from deckgen.render.identity import label_of

from .helpers import CODEBOOK, SPEC, flat, invoke

K = 5  # the theme's privacy_threshold (default)
READERS = 2  # the rule holds a group to k besides two readers pooling their answers


@pytest.fixture(scope="module")
def personal(tmp_path_factory):
    folder = tmp_path_factory.mktemp("personal")
    outcomes = deckgen.load(SPEC).build_personal(folder, peers="type_collectivite", jobs=2)
    rows = pd.read_csv(CODEBOOK.parent / "responses.csv", dtype=str).set_index("id")
    return folder, outcomes, rows


def _labels(question: str) -> dict[str, str]:
    from deckgen.inputs.codebook import load_codebook

    return {o.code: o.label for o in load_codebook(CODEBOOK).questions[question].options}


def _charts(prs):
    for number, slide in enumerate(prs.slides, 1):
        for shape in flat(slide.shapes):
            if shape.has_chart:
                yield number, shape.chart


def test_every_respondent_gets_a_deck(personal):
    folder, outcomes, rows = personal
    assert sorted(o.key for o in outcomes) == sorted(rows.index)
    assert all(o.path == folder / f"barometre-2021-{o.key}.pptx" and not o.error for o in outcomes)


def test_no_comparison_group_smaller_than_k_others_is_ever_shown(personal):
    """The rule, on every deck: a peer group's series appears only when the group holds
    at least k respondents besides two readers (the recipient and one more), and then,
    under 2k besides them, never 0 % or 100 %; the whole sample ('Ensemble') is exempt."""
    folder, outcomes, rows = personal
    sizes = rows["type_collectivite"].value_counts()
    labels = _labels("type_collectivite")
    shown_groups = set()
    for outcome in outcomes:
        prs = Presentation(str(outcome.path))
        own_type = rows.at[outcome.key, "type_collectivite"]
        for number, chart in _charts(prs):
            for series in chart.plots[0].series:
                m = re.match(r"(.+) \(n\u202f=\u202f(\d+)\)$", series.name or "")
                if not m or m.group(1) == "Ensemble":
                    continue
                group, n = m.group(1), int(m.group(2))
                assert group == labels[own_type], (outcome.key, number, group)
                # the group's size is that of the recipient's type, recipient included
                assert n <= sizes[own_type] and n - READERS >= K, (outcome.key, series.name)
                if n - READERS < 2 * K:
                    assert not {0.0, 1.0} & {v for v in series.values if v is not None}
                shown_groups.add(group)
        footnotes = " ".join(
            s.text_frame.text
            for slide in prs.slides
            for s in slide.shapes
            if label_of(s.name) == "Footnote"
        )
        if sizes[own_type] - READERS < K:  # too few peers: said, never shown
            assert f"pas de comparaison avec {labels[own_type]}" in footnotes, outcome.key
    assert shown_groups == {"Commune"}  # 22 communes; the other types are 1 to 3


def test_each_deck_marks_the_recipient_s_own_answers(personal):
    folder, outcomes, rows = personal
    etp = _labels("etp_participation")
    for outcome in outcomes:
        prs = Presentation(str(outcome.path))
        answer = rows.at[outcome.key, "etp_participation"]
        chart = next(c for n, c in _charts(prs) if n == 8)  # "Les moyens": staff
        categories = list(chart.plots[0].categories)
        marked = [c for c in categories if c.endswith("(votre réponse)")]
        if answer in etp:
            assert marked == [f"{etp[answer]} (votre réponse)"], outcome.key
            idx = categories.index(marked[0])
            for series in chart.plots[0].series:
                # outlined in a colour the chart has nowhere else; filled as its series
                point = series.points[idx]
                assert point.format.line.width == Pt(2.5)
                assert str(point.format.line.color.rgb) not in _chart_colours(chart)
                assert point.format.fill.fore_color.rgb == series.format.fill.fore_color.rgb
        else:
            assert marked == [], outcome.key
        service = rows.at[outcome.key, "service_participation"]
        texts = {
            label_of(s.name): s.text_frame.text for s in prs.slides[7].shapes if s.has_text_frame
        }
        # the card counts the collectivités with a service: it is marked for those that
        # have one, and tells the others their own answer, on a line of its own
        assert (
            texts["Callout 1 text"] == "des collectivités ont un service dédié à la participation"
        )
        assert texts.get("Callout 1 own answer") == (
            None if service == "oui" else "Votre réponse\u202f: Non"
        ), outcome.key


def test_a_shortened_label_keeps_the_recipient_s_mark(personal):
    """A category label too long beside its bar is shortened (render.fit.category_labels),
    but never its "(votre réponse)": every mark the chart's alternative text gives (it
    names every category whole) is on a label, whole, and the seed decks do shorten."""
    folder, outcomes, _ = personal
    mark = re.compile(r"\(votre [^)]*\)")
    shortened = 0
    for outcome in outcomes:
        prs = Presentation(str(outcome.path))
        for slide in prs.slides:
            for shape in flat(slide.shapes):
                if not getattr(shape, "has_chart", False):
                    continue
                labels = [str(c) for c in shape.chart.plots[0].categories]
                alt = shape._element.xpath(".//p:cNvPr")[0].get("descr")
                on_labels = [m for label in labels for m in mark.findall(label)]
                assert sorted(on_labels) == sorted(mark.findall(alt)), (outcome.key, labels)
                shortened += sum("…" in label and bool(mark.search(label)) for label in labels)
    assert shortened >= 31  # seed slide 13's long objectives, marked in most decks


@pytest.mark.clients
def test_a_sample_opens_in_libreoffice_and_is_valid(personal, tmp_path):
    from .conftest import libreoffice_or_skip
    from .helpers import audit_all, pdf_page_text, pdf_pages, squash, to_pdf

    folder, outcomes, _ = personal
    sample = [o.path for o in outcomes if o.key in ("C01", "C23", "C31")]
    for name, report in audit_all(folder).items():
        assert report["error_count"] == 0 and report["valid"], (name, report["errors"][:3])
    pdfs = to_pdf(libreoffice_or_skip(), sample, tmp_path)
    for path in sample:
        assert pdf_pages(pdfs[path]) == 28
        assert squash("votre réponse") in squash(pdf_page_text(pdfs[path], 8))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--each-respondent", "--peers", "dispositifs_numeriques"),
         "--peers: `dispositifs_numeriques` is not a single-choice question"),
        (("--each-respondent", "--name", "type_colectivite"), "--name: `type_colectivite` is not"),
        (("--each-respondent", "--each", "type_collectivite"),
         "--each and --each-respondent: one or the other"),
    ],
)  # fmt: skip
def test_personal_deck_mistakes_are_named(tmp_path, args, message):
    run = invoke("build", SPEC, *args, "-o", tmp_path / "p", "-q")
    assert run.code == 2 and message in run.output, run.output


def test_one_answer_falls_in_the_band_the_whole_column_gives_it(survey):
    """A personal deck bands one respondent's number (`band_of`); the indicators
    band whole columns (`band_codes`): the same band for every value, edges,
    empties and numbers beyond the last band included."""
    import math

    import pandas as pd

    from deckgen.inputs.bands import band_codes, band_of

    for qid in ("population", "budget_participation"):
        bands = survey.questions[qid].bands
        edges = [b.min for b in bands if b.min is not None] + [b.max for b in bands if b.max]
        values = [None, math.nan, 0, -1, 1e12, *edges, *(e - 0.5 for e in edges)]
        values += list(survey.frame[qid])
        column = band_codes(pd.Series(values, dtype="float64"), bands)
        assert [band_of(v, bands) for v in values] == [None if pd.isna(c) else c for c in column], (
            qid
        )


def test_bands_of_a_column_are_the_bands_of_each_number_whatever_their_order():
    """Bands in an order no codebook here has: overlapping ranges (the first that holds a
    number takes it), the no-answer band between them, an `other` band before the
    last, and no band at all for some numbers without it: each cell of `band_codes` is
    `band_of` of its number, and the column keeps the values' index."""
    import math

    import pandas as pd

    from deckgen.inputs.bands import band_codes, band_of
    from deckgen.inputs.codebook import Band

    ranges = [Band(code="low", max=10), Band(code="blank", no_answer=True),
              Band(code="mid", min=5, max=50), Band(code="wide", min=0, max=100)]  # fmt: skip
    values = [None, math.nan, -3, 0, 4.5, 5, 9.99, 10, 49, 50, 99.5, 100, 1e9, 7, None]
    index = [f"R{i}" for i in range(len(values))]
    for bands in (ranges, [*ranges[:3], Band(code="rest", other=True), ranges[3]]):
        column = band_codes(pd.Series(values, index=index, dtype="float64"), bands)
        assert list(column.index) == index and column.dtype == object
        expected = [band_of(v, bands) for v in values]
        assert [None if pd.isna(c) else c for c in column] == expected
    assert expected[:4] == ["blank", "blank", "low", "low"] and expected[7:12] == [
        "mid", "mid", "wide", "wide", "rest"
    ]  # fmt: skip


def test_callouts_say_once_which_figure_counts_the_recipient(personal):
    """Slide 23: three cards over the three answers to one question. The card of the
    recipient's answer is outlined in the colour the doughnut beside marks their
    answer with; the others stay silent; a recipient whose answer no card counts is
    told it once, on a line of its own under the first card; no sentence is cut, and
    no sentence carries the recipient's line."""
    folder, outcomes, rows = personal
    options = ["retour_presentiel", "hybride", "numerique_uniquement"]
    for outcome in outcomes:
        assert not [w for w in outcome.warnings if "cut with an ellipsis" in w], outcome.key
        slide = Presentation(str(outcome.path)).slides[22]
        shapes = {label_of(s.name): s for s in slide.shapes}
        doughnut = next(s.chart for s in flat(slide.shapes) if s.has_chart)
        marks = set(doughnut._chartSpace.xpath(".//c:dPt/c:spPr/a:ln/a:solidFill/a:srgbClr/@val"))
        answer = rows.at[outcome.key, "visio_avenir"]
        lines = [s.text_frame.text for name, s in shapes.items() if name.endswith("own answer")]
        for n, code in enumerate(options, 1):
            card, text = shapes[f"Callout {n} card"], shapes[f"Callout {n} text"].text_frame.text
            outline = manifest.xpath(card._element, "./p:spPr/a:ln/a:solidFill/a:srgbClr/@val")
            assert "Votre réponse" not in text and "\n" not in text, outcome.key
            if answer not in options:  # no answer: said once, under the first card
                assert not outline
                # visio_avenir is asked of those who used videoconference: the others
                # were never asked, which is not the same as no answer
                asked = rows.at[outcome.key, "visio_utilisee"] == "oui"
                expected = "pas de réponse" if asked else "non concerné"
                assert lines == [f"Votre réponse\u202f: {expected}"], outcome.key
                assert ("Callout 1 own answer" in shapes) and len(lines) == 1
                continue
            assert lines == [], outcome.key  # the answer is never repeated
            if code == answer:
                assert outline and set(outline) <= marks, (outcome.key, n)  # one mark
                assert "(votre réponse compte dans ce chiffre)" in _alt(shapes, n), outcome.key
            else:
                assert not outline, (outcome.key, n)


def _alt(shapes, n: int) -> str:
    """The alternative text of callout `n`'s figure."""
    return shapes[f"Callout {n} value"]._element.xpath("./p:nvSpPr/p:cNvPr/@descr")[0]


def _chart_colours(chart) -> set[str]:
    """Every fill colour of a chart's series and points (not the outlines)."""
    return set(chart._chartSpace.xpath(".//c:spPr/a:solidFill/a:srgbClr/@val"))


def test_the_mark_keeps_every_series_colour_even_on_a_red_category(personal):
    """A métropole's deck (Métropole is red in the pie, as is the accent): its own slice
    keeps its colour and is outlined in one no slice uses; bars of both series keep
    their series' colours (no bar of a pair turns red)."""
    folder, outcomes, rows = personal
    (metropole,) = [o for o in outcomes if rows.at[o.key, "type_collectivite"] == "metropole"][:1]
    prs = Presentation(str(metropole.path))
    pie = next(c for n, c in _charts(prs) if n == 3)
    categories = list(pie.plots[0].categories)
    idx = next(i for i, c in enumerate(categories) if c.endswith("(votre réponse)"))
    point = pie.plots[0].series[0].points[idx]
    fills = _chart_colours(pie)
    assert str(point.format.fill.fore_color.rgb) == "E63946"  # Métropole's own colour
    assert str(point.format.line.color.rgb) not in fills
    for number, chart in _charts(prs):
        for series in chart.plots[0].series:
            if series.format.fill.type is None:
                continue
            colour = series.format.fill.fore_color.rgb
            for point in series.points:
                if point.format.fill.type is not None:
                    assert point.format.fill.fore_color.rgb == colour, number


def test_the_cover_names_the_recipient_and_says_how_to_read(personal):
    folder, outcomes, rows = personal
    for outcome in outcomes:
        cover = [s.text_frame.text for s in Presentation(str(outcome.path)).slides[0].shapes
                 if s.has_text_frame]  # fmt: skip
        line = next(t for t in cover if "Les réponses de" in t).splitlines()[-1]
        assert line.startswith(f"Les réponses de {outcome.key}\u202f: encadrées dans chaque")
        group = _labels("type_collectivite")[rows.at[outcome.key, "type_collectivite"]]
        assert line.endswith(f"de votre groupe ({group})"), line


def test_a_question_never_asked_says_not_asked_not_no_answer(personal):
    """consultation_presentiel is asked only of those who held a consultation in the
    crisis (outils_crise has consultation_crise): the others' decks say 'non
    concerné' under its card; those asked who left it empty say 'pas de réponse'."""
    folder, outcomes, rows = personal
    said: dict[str, str] = {}
    for outcome in outcomes:
        for slide in Presentation(str(outcome.path)).slides:
            shapes = {label_of(s.name): s for s in slide.shapes if s.has_text_frame}
            card = next(
                (name.split()[1] for name, s in shapes.items()
                 if "accompagnées par des dispositifs en présentiel" in s.text_frame.text),
                None,
            )  # fmt: skip
            if card is not None:
                own = shapes.get(f"Callout {card} own answer")
                said[outcome.key] = own.text_frame.text if own is not None else ""
    assert len(said) == len(outcomes)
    for rid, line in said.items():
        asked = rows.at[rid, "outils_crise__consultation_crise"] == "1"
        if not asked:
            assert line == "Votre réponse\u202f: non concerné", rid
        else:
            assert "non concerné" not in line, rid
    assert sum(line.endswith("non concerné") for line in said.values()) >= 5


@pytest.mark.clients
def test_three_named_personal_decks_print_the_same_figures_in_both_clients(personal, tmp_path):
    """A commune (C01, beside its peers), a métropole whose own slice is the red one
    (C26) and a collectivité never asked a filtered question (C02): rendered by
    LibreOffice and by the PowerPoint-compatible engine, every page prints the same
    percent figures (no label dropped or misread by one of them)."""
    from .conftest import libreoffice_or_skip
    from .helpers import chart_labels_missing, pdf_percent_figures, to_pdf
    from .test_two_clients import aspose_pdf

    folder, outcomes, rows = personal
    by_key = {o.key: o for o in outcomes}
    assert rows.at["C01", "type_collectivite"] == "commune"
    assert rows.at["C26", "type_collectivite"] == "metropole"
    assert rows.at["C02", "visio_utilisee"] != "oui"
    decks = [by_key[k].path for k in ("C01", "C26", "C02")]
    libre = to_pdf(libreoffice_or_skip(), decks, tmp_path / "lo")
    for deck in decks:
        aspose = aspose_pdf(deck, tmp_path / f"{deck.stem}.pdf")
        in_aspose = pdf_percent_figures(aspose)
        in_libre = pdf_percent_figures(libre[deck])
        assert len(in_aspose) == len(in_libre) == len(Presentation(str(deck)).slides)
        differ = {p: (a, b) for p, (a, b) in enumerate(zip(in_aspose, in_libre), 1) if a != b}
        assert not differ, (deck.name, differ)
        assert sum(map(len, in_libre)) >= 150
        for client, pdf in (("Aspose", aspose), ("LibreOffice", libre[deck])):
            assert not _figures_over_each_other(pdf), (deck.name, client)
            # every chart label whole, the recipient's "(votre réponse)" included
            assert not chart_labels_missing(deck, pdf, at_least=100), (deck.name, client)


def _figures_over_each_other(pdf) -> list[tuple[int, str, str]]:
    """(page, figure, figure) for every two percent figures printed over each other."""
    from .helpers import _NUMBER_WORD, _WORD, pdf_bbox

    out = []
    for number, page in enumerate(pdf_bbox(pdf).split("<page ")[1:], 1):
        words = [
            (float(a), float(b), float(c), float(d), t) for a, b, c, d, t in _WORD.findall(page)
        ]
        boxes = []
        for x0, y0, x1, y1, text in words:
            if not text.endswith("%"):
                continue
            if text != "%":
                boxes.append((x0, y0, x1, y1, text))
                continue
            left = [w for w in words if _NUMBER_WORD.fullmatch(w[4])
                    and abs(w[1] - y0) < (y1 - y0) / 3 and 0 <= x0 - w[2] < y1 - y0]  # fmt: skip
            if left:
                n = max(left, key=lambda w: w[2])
                boxes.append((n[0], min(n[1], y0), x1, max(n[3], y1), f"{n[4]} %"))
        # a figure's box is its font's line (ascent to descent): boxes of two lines set
        # close meet without their glyphs touching, so a collision is set on one line
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                if across > 0.5 and down > 0.5 * min(a[3] - a[1], b[3] - b[1]):
                    out.append((number, a[4], b[4]))
    return out


def _personal_deck(spec, rid: str, out):
    """The personal deck of respondent `rid` alone (no batch), built from `spec`."""
    from deckgen.workflows.personal import for_recipient, recipients
    from deckgen.workflows.pipeline import build

    loaded = deckgen.load(spec)._loaded
    person = next(r for r in recipients(loaded) if r.id == rid)
    return build(for_recipient(loaded, person, None), out, spec_path=spec)


def _slide_titled(path, title: str):
    return next(s for s in Presentation(str(path)).slides if s.shapes.title.text == title)


PETITIONS = (
    "    callouts:\n"
    "      - indicator: {kind: share, condition: "
    "{question: dispositifs_numeriques, has: petition_en_ligne}}\n"
    '        text: "des collectivités ont des pétitions en ligne, parmi lesquelles :"\n'
)


@pytest.mark.parametrize(
    "locale, label, more",
    [("fr", "Vos réponses\u202f: ", "autres"), ("en", "Your answers: ", "more")],
)
def test_a_list_of_the_recipient_s_answers_holds_in_two_lines_of_its_own(
    tmp_path, locale, label, more
):
    """C17 set up six digital tools, none of them petitions: under a card about
    petitions (a sentence ending in ':'), its answers are a line of their own, at
    most two lines (the first answers, then '+N autres'), which makes the card no
    taller than those two lines; the sentence is the sentence alone."""
    from deckgen.render.text import needed_height

    from .helpers import project_copy, replace_in

    spec = project_copy(tmp_path)
    anchor = '    remark: "Pratiquement absence'
    replace_in(spec, anchor, PETITIONS + anchor)
    replace_in(spec, "locale: fr", f"locale: {locale}")
    report = _personal_deck(spec, "C17", tmp_path / "C17.pptx")
    assert not [w for w in report.warnings.items if "cut" in str(w) or "overlap" in str(w)]
    public = deckgen.load(spec).build(tmp_path / "public.pptx")
    title = "Les dispositifs numériques"
    shapes = {label_of(s.name): s for s in _slide_titled(report.path, title).shapes}
    alone = {label_of(s.name): s for s in _slide_titled(public.path, title).shapes}
    sentence = "des collectivités ont des pétitions en ligne, parmi lesquelles :"
    assert shapes["Callout 1 text"].text_frame.text == sentence  # nothing glued to it
    box = shapes["Callout 1 own answer"]
    line = box.text_frame.text
    chosen = ["Plateforme de participation", "Application d'idéation"]  # its first two
    assert line.startswith(label + ", ".join(chosen)), line
    listed, _, rest = line[len(label) :].rpartition(" +")
    n = int(rest.split("\u00a0")[0])
    assert rest == f"{n}\u00a0{more}" and len(listed.split(", ")) + n == 6, line
    size = box.text_frame.paragraphs[0].runs[0].font.size.pt
    height = box.height / 12700
    assert needed_height([line], box.width, size, bold=True) <= height <= 2 * size * 1.2 + 12
    # the card grows by the line alone, and the line sits under the sentence
    grown = shapes["Callout 1 card"].height - alone["Callout 1 card"].height
    assert grown <= box.height
    assert box.top >= shapes["Callout 1 text"].top + shapes["Callout 1 text"].height


def test_clustered_columns_too_narrow_for_their_figures_are_drawn_as_bars(personal):
    """Slide 8's two column charts, beside the recipient's group, hold twelve figures
    in six categories at a third of the slide: drawn as columns their figures ran into
    each other ('19 %14 %'), so they are bars; the public deck keeps its columns."""
    from pptx.enum.chart import XL_CHART_TYPE

    from .helpers import SPEC

    folder, outcomes, rows = personal
    public = deckgen.load(SPEC).plan()[0].slides[7]
    assert [c.type for c in public.charts] == ["column", "column"]
    switched = 0
    for outcome in outcomes:
        slide = Presentation(str(outcome.path)).slides[7]
        charts = [s.chart for s in flat(slide.shapes) if s.has_chart]
        several = [len(c.plots[0].series) > 1 for c in charts]
        switched += sum(several)
        kinds = [c.chart_type for c in charts]
        assert kinds == [
            XL_CHART_TYPE.BAR_CLUSTERED if two else XL_CHART_TYPE.COLUMN_CLUSTERED
            for two in several
        ], outcome.key
    assert switched >= 2 * rows["type_collectivite"].eq("commune").sum()  # every commune's


def test_a_shortened_label_keeps_its_whole_mark_when_its_level_has_brackets(tmp_path):
    """A statement too long for its row is shortened, its mark kept whole: also when the
    recipient's level itself ends in brackets ("Oui, plutôt (2)"), which a mark found
    from the label's last " (" would have split, shortening "(votre réponse : Oui,
    plutôt" away."""
    from .helpers import project_copy, replace_in

    spec = project_copy(tmp_path)
    codebook = tmp_path / "data" / "barometre-2021" / "codebook.yaml"
    replace_in(codebook, 'label: "Oui, plutôt"}', 'label: "Oui, plutôt (2)"}')
    long = (  # with its mark, past the 160 characters a label is cut at
        "Évaluer l'action publique, ses résultats, ses coûts et ses effets sur la vie "
        "quotidienne des habitant·es de la collectivité comme de ses voisines"
    )
    replace_in(codebook, 'label: "Évaluer l\'action publique"', f'label: "{long}"')
    (deck,) = [o.path for o in deckgen.load(spec).build_personal(tmp_path / "p", shard=(1, 31))]
    assert deck.stem.endswith("C01")  # C01 answered "Oui, plutôt" (responses.csv)
    slide = next(
        s
        for s in Presentation(str(deck)).slides
        if s.shapes.title.text == "À quoi servent ces outils ?"
    )
    (chart,) = [s.chart for s in flat(slide.shapes) if s.has_chart]
    (label,) = [c for c in chart.plots[0].categories if c.startswith("Évaluer l'action publique,")]
    assert "…" in label  # shortened
    assert label.endswith(" (votre réponse\u202f: Oui, plutôt (2))"), label


def test_a_label_shortened_to_fit_its_row_keeps_its_whole_mark():
    """Beside bars too short for their labels, a marked label is shortened at a word
    before its mark, which stays whole even with brackets of its own."""
    from deckgen.analysis.results import Result, Series
    from deckgen.render.charts import _axis_labels
    from deckgen.render.geometry import Rect, inches

    mark = " (votre réponse\u202f: Oui, plutôt (2))"
    statement = "Renforcer la transparence de l'action publique auprès de tous les habitants"
    categories = (statement + mark, *(f"{statement} {i}" for i in range(7)))
    result = Result(
        kind="likert", question="q", question_text="Q", categories=categories,
        codes=tuple(str(i) for i in range(8)),
        series=(Series("Oui", (0.5,) * 8, (10,) * 8, code="oui"),),
        bases=(20,) * 8, base=20, own=("plutot_oui",) + ("",) * 7,
        own_words=(mark,) + ("",) * 7,
    )  # fmt: skip
    labels, _, said = _axis_labels(result, Rect(0, 0, inches(5), inches(2.5)), 12)
    assert labels[0] != categories[0] and "…" in labels[0]  # shortened to fit its row
    assert len(said) == 1 and said[0].startswith("8 label(s) shortened"), said  # all 8 long
    assert labels[0].startswith("Renforcer") and labels[0].endswith(mark), labels[0]
