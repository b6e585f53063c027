"""Nothing collides on a slide, whatever the texts: the one fitting mechanism
(deckgen.render.fit) on crowded slides, checked on the geometry deckgen writes
and on where LibreOffice really sets the words (`pdftotext -bbox`).

The crowded deck (the `crowded` fixture, tests/helpers.crowded_spec) is made from
the English example survey (General Social Survey 2018, data/gss-2018-spending),
with a codebook label, titles, remarks, footnotes, callout sentences and texts of
5,000 characters, a section number of 500 digits, and slides of seven charts with
legends.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.render.fit import (
    AXIS_SHARE,
    ELLIPSIS,
    audit,
    category_labels,
    cut_label,
    cut_to_fit,
    fit_text,
    legend_extent,
    placed_shapes,
)
from deckgen.render.geometry import EMU_PER_POINT, Rect, inches
from deckgen.render.identity import label_of
from deckgen.render.metrics import WIDTH_MARGIN, word_width, wrapped
from deckgen.render.text import needed_height

from .conftest import libreoffice_or_skip
from .helpers import LONG, flat, pdf_bbox, to_pdf, words_over_each_other

# -- the measures ---------------------------------------------------------------------


def test_a_text_is_shrunk_before_it_is_cut():
    box = Rect(0, 0, inches(4), inches(0.6))
    short = fit_text(["A short remark"], box, 16, 11)
    assert (short.size, short.shrunk, short.cut) == (16, False, False)
    medium = fit_text(["A remark of a few words more, " * 2], box, 16, 11)
    assert 11 <= medium.size < 16 and medium.shrunk and not medium.cut
    assert medium.paragraphs == ["A remark of a few words more, " * 2]
    long = fit_text([LONG], box, 16, 11)
    assert long.size == 11 and long.cut
    (text,) = long.paragraphs
    assert text.endswith(ELLIPSIS) and LONG.startswith(text[:-1].rstrip())
    assert needed_height([text], box.width, 11, 11 * 0.3) <= box.height / 12_700


def test_a_cut_keeps_whole_paragraphs_first_and_ends_on_a_word():
    box = Rect(0, 0, inches(6), inches(1.2))
    first = "A first paragraph that fits."
    kept = cut_to_fit([first, LONG, "A third one never shown"], box, 12)
    assert kept[0] == first and len(kept) == 2
    assert kept[1].endswith(ELLIPSIS)
    assert kept[1][:-1].split()[-1] in LONG.split()  # a whole word before the ellipsis


def test_labels_are_cut_past_the_limit_only():
    assert cut_label("Graduate") == "Graduate"
    assert cut_label("x" * 160) == "x" * 160
    assert cut_label("x" * 161) == "x" * 159 + ELLIPSIS
    assert len(cut_label(LONG)) <= 160 and cut_label(LONG).endswith(ELLIPSIS)


def test_bold_capitals_take_more_room_than_plain_text():
    width = inches(3)
    text = "Are we spending too much or too little on the environment"
    assert needed_height([text], width, 12) < needed_height([text.upper()], width, 12, bold=True)


def test_a_legend_fits_or_moves_as_laid_out():
    labels = ["Strong democrat", "Not strong democrat", "Independent, close to democrat"]
    wide = Rect(0, 0, inches(6), inches(4))
    narrow = Rect(0, 0, inches(1.4), inches(1.2))
    assert legend_extent(labels, wide, "bottom", 12) is not None
    assert legend_extent(labels, wide, "right", 12) is not None
    assert legend_extent(labels, narrow, "bottom", 8) is None
    assert legend_extent(labels, narrow, "right", 8) is None


def test_the_audit_finds_overlaps_and_shapes_off_the_slide():
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    a = slide.shapes.add_textbox(inches(1), inches(1), inches(3), inches(1))
    a.name = "Remark"
    b = slide.shapes.add_textbox(inches(2), inches(1.5), inches(3), inches(1))
    b.name = "Footnote"
    c = slide.shapes.add_textbox(inches(8), inches(6), inches(3), inches(1))
    c.name = "Text"
    card = slide.shapes.add_textbox(inches(1), inches(3), inches(2), inches(2))
    card.name = "Callout 1 card"
    value = slide.shapes.add_textbox(inches(1.1), inches(3.1), inches(1.8), inches(1))
    value.name = "Callout 1 value"  # inside its own card: one block, no collision
    placed = placed_shapes(slide, lambda idx: None)
    assert [name for name, _, _ in placed] == [
        "Remark", "Footnote", "Text", "Callout 1 card", "Callout 1 value"
    ]  # fmt: skip
    assert placed[1][1] == Rect(inches(2), inches(1.5), inches(3), inches(1))
    problems = audit(placed, int(prs.slide_width), int(prs.slide_height))
    assert problems == [
        "Text goes past the edge of the slide",
        "Remark and Footnote overlap",
    ]


def test_the_audit_looks_into_a_chart_s_group_and_names_what_collides():
    """A chart grouped with its title is audited shape by shape, each placed through
    the group's transform: a group moved over the footnote names its chart, and its
    title and chart, one above the other, do not collide with each other."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    title = slide.shapes.add_textbox(inches(1), inches(1), inches(4), inches(0.5))
    title.name = "Chart title: Age"
    chart = slide.shapes.add_textbox(inches(1), inches(1.5), inches(4), inches(3))
    chart.name = "Chart: Age [age#chart-1]"
    group = slide.shapes.add_group_shape([title, chart])
    group.name = "Chart 1 with its title"
    footnote = slide.shapes.add_textbox(inches(1), inches(6), inches(6), inches(0.5))
    footnote.name = "Footnote"
    width, height = int(prs.slide_width), int(prs.slide_height)
    assert audit(placed_shapes(slide, lambda idx: None), width, height) == []
    group.top = inches(3)  # the team's move: the children's own offsets stay
    placed = placed_shapes(slide, lambda idx: None)
    assert dict((n, r) for n, r, _ in placed)["Chart: Age [age#chart-1]"] == Rect(
        inches(1), inches(3.5), inches(4), inches(3)
    )
    assert audit(placed, width, height) == ["Chart: Age [age#chart-1] and Footnote overlap"]


# -- a crowded deck, built --------------------------------------------------------------


def _rect(shape) -> Rect:
    return Rect(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _group(name: str) -> str:
    """Shapes drawn as one block: a callout's card, figure and sentence; the remark's
    bar and text."""
    for prefix in ("Callout ", "Remark"):
        if name.startswith(prefix):
            return " ".join(name.split()[:2]) if prefix == "Callout " else prefix
    return name


def test_the_crowded_deck_is_built_and_says_what_was_cut(crowded):
    messages = [f"{w.context}: {w.message}" for w in crowded.warnings.items]
    cut = [m for m in messages if "cut with an ellipsis" in m]
    # every overlong text is named, on its slide
    for expected in (
        r'^slide 1 "Spending priorities .*": title too long',
        r'^slide 1 "Spending .*": subtitle too long',
        r'^slide 4 "Spending .*": title too long',
        r'^slide 4 "Spending .*": chart 1 title too long',
        r'^slide 4 "Spending .*": remark too long',
        r'^slide 4 "Spending .*": footnote too long',
        r'^slide 5 "Spending .*": section number too long',
        r'^slide 6 "Callouts": callout 1 sentence too long',
        r'^slide 7 "Text": text too long',
        r'^slide 9 "Spending .*": text too long',
    ):
        assert any(re.search(expected, m) for m in cut), (expected, messages)
    assert any("chart label(s) longer than 160 characters" in m for m in messages)
    # a message names a long title by its first 60 characters, not all 5,000
    assert max(len(m) for m in messages) < 400
    assert not [m for m in messages if "overlap" in m or "past the edge" in m]


def test_no_shape_leaves_the_slide_or_covers_another(crowded):
    prs = Presentation(str(crowded.path))
    bounds = Rect(0, 0, int(prs.slide_width), int(prs.slide_height))
    problems = []
    for number, slide in enumerate(prs.slides, 1):
        shapes = [(s.name, _rect(s)) for s in flat(slide.shapes)]
        for name, r in shapes:
            if not bounds.contains(r):
                problems.append(f"slide {number}: {name} off the slide")
        for i, (name_a, a) in enumerate(shapes):
            for name_b, b in shapes[i + 1 :]:
                apart = a.right <= b.left or b.right <= a.left
                apart = apart or a.bottom <= b.top or b.bottom <= a.top
                if not apart and _group(name_a) != _group(name_b):
                    problems.append(f"slide {number}: {name_a} over {name_b}")
    assert problems == []


def test_seven_charts_are_laid_out_in_two_rows_wide_enough(crowded):
    prs = Presentation(str(crowded.path))
    for slide in (prs.slides[1], prs.slides[2]):
        charts = [s for s in flat(slide.shapes) if s.has_chart]
        assert len(charts) == 7
        assert len({c.top for c in charts}) == 2  # 4 + 3
        assert min(c.width for c in charts) >= inches(2.0)


def test_overlong_texts_end_with_an_ellipsis_and_begin_as_written(crowded):
    prs = Presentation(str(crowded.path))
    texts = [
        shape.text_frame.text
        for slide in prs.slides
        for shape in flat(slide.shapes)
        if shape.has_text_frame and shape.text_frame.text.startswith("Spending priorities")
    ]
    whole = {LONG[:n] for n in (120, 200, 300, 400)}  # the shorter texts of the spec
    texts = [t for t in texts if t not in whole]
    assert len(texts) >= 10
    for text in texts:
        assert len(text) < len(LONG)
        paragraphs = [p.removeprefix("• ") for p in text.split("\n")]  # bullets
        for paragraph in paragraphs[:-1]:
            assert paragraph in LONG  # paragraphs before the cut are whole
        last = paragraphs[-1]
        assert last.endswith(ELLIPSIS) and LONG.startswith(last[:-1].rstrip())
    # the caps of a cut chart title stay a font setting: the text is as written
    title = next(
        s for s in flat(prs.slides[3].shapes) if label_of(s.name).startswith("Chart title")
    ).text_frame.text
    assert title.endswith(ELLIPSIS) and title[:20] == LONG[:20]


def test_a_label_of_5000_characters_is_cut_in_the_chart_and_its_sheet(crowded):
    prs = Presentation(str(crowded.path))
    chart = next(s for s in flat(prs.slides[3].shapes) if s.has_chart).chart
    labels = list(chart.plots[0].categories)
    assert len(labels[0]) <= 160 and labels[0].endswith(ELLIPSIS)
    assert LONG.startswith(labels[0][:-1])
    assert labels[1:] == ["A few times a week", "Once a week", "Less than once a week", "Never"]


# -- where LibreOffice sets the words -----------------------------------------------------

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)
EMU_PER_PT = 12_700


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    html = pdf_bbox(pdf)
    return [
        (
            float(w),
            float(h),
            [(*map(float, m.groups()[:4]), m.group(5)) for m in _WORD.finditer(body)],
        )
        for w, h, body in _PAGE.findall(html)
    ]


@pytest.fixture(scope="module")
def crowded_pdf(crowded, tmp_path_factory):
    soffice = libreoffice_or_skip()
    return to_pdf(soffice, [crowded.path], tmp_path_factory.mktemp("crowded-pdf"))[crowded.path]


@pytest.mark.clients
def test_libreoffice_sets_every_word_inside_its_box(crowded, crowded_pdf):
    """Each word LibreOffice draws lies inside a shape deckgen placed (a text box, a
    placeholder, a chart): no text spills out of its box onto another."""
    prs = Presentation(str(crowded.path))
    pages = _pages(crowded_pdf)
    assert len(pages) == len(prs.slides)
    tolerance = 3  # points: a glyph's side bearing, the PDF's rounding
    strays = []
    for number, (slide, (_, _, words)) in enumerate(zip(prs.slides, pages), 1):
        boxes = [_rect(s) for s in flat(slide.shapes)]
        assert words, f"slide {number} shows no text"
        for x0, y0, x1, y1, text in words:
            # a word's box runs from the font's ascent to its descent: its glyphs
            # are the middle of it (an accent, a comma's tail may reach out)
            body = (y1 - y0) * 0.2
            inside = any(
                x0 >= b.left / EMU_PER_PT - tolerance
                and x1 <= b.right / EMU_PER_PT + tolerance
                and y0 + body >= b.top / EMU_PER_PT - tolerance
                and y1 - body <= b.bottom / EMU_PER_PT + tolerance
                for b in boxes
            )
            if not inside:
                strays.append(f"slide {number}: {text!r} at ({x0:.0f}, {y0:.0f})")
    assert strays == []


@pytest.mark.clients
def test_libreoffice_sets_no_word_over_another(crowded_pdf):
    assert words_over_each_other(crowded_pdf) == []


def test_clustered_columns_give_each_figure_its_own_bar_measured_by_its_glyphs():
    """Two series of six categories, 10 pt figures: a bar is the plot (90 % of the chart)
    over 6 x (2 + 0.8) bar widths. '8 %' (1.645 em) fits a bar 18 pt wide, '88 %'
    (2.201 em) does not; so the same chart is columns for the one, bars for the other."""
    from deckgen.render.fit import column_labels_fit
    from deckgen.render.metrics import word_width

    assert word_width("8\u202f%") == pytest.approx(1.645)
    assert word_width("88\u202f%") == pytest.approx(2.201)
    width = round(18 * 6 * 2.8 / 0.9 * 12700)  # EMU: bars 18 pt wide
    assert column_labels_fit(width, 6, 2, ["8\u202f%", "5\u202f%"], 10)
    assert not column_labels_fit(width, 6, 2, ["8\u202f%", "88\u202f%"], 10)
    assert column_labels_fit(width * 2, 6, 2, ["88\u202f%"], 10)  # twice as wide: fits
    assert not column_labels_fit(width, 6, 3, ["8\u202f%"], 10)  # a third series: no room


# What the PowerPoint-compatible engine (Aspose.Slides 26.10) printed of one long
# label among short ones, beside bars, Arial 12 pt, in charts 6 in wide: (categories,
# chart height in inches, lines of the label printed before it cut it with "…", or
# None where it printed all five lines whole). Rendered to PDF, read with pdftotext.
ENGINE_LINES = [
    (3, 1.0, 1), (3, 1.5, 1), (3, 2.0, 1), (3, 2.5, 2), (3, 3.0, 3), (3, 3.5, None),
    (3, 4.0, None), (3, 5.0, None), (3, 6.0, None),
    (6, 1.0, 1), (6, 1.5, 1), (6, 2.0, 1), (6, 2.5, 1), (6, 3.0, 1), (6, 3.5, 1),
    (6, 4.0, 2), (6, 5.0, 3), (6, 6.0, 3),
    (12, 1.0, 1), (12, 2.0, 1), (12, 3.0, 1), (12, 4.0, 1), (12, 5.0, 1), (12, 6.0, 1),
]  # fmt: skip
ENGINE_LABEL = (
    "00 alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
    "rho sigma tau upsilon phi chi psi omega alpha beta gamma delta epsilon zeta"
)


@pytest.mark.parametrize(("rows", "height", "printed"), ENGINE_LINES)
def test_category_labels_never_count_on_more_lines_than_the_engine_prints(rows, height, printed):
    """Kept at 12 pt (no shrinking), the long label is shortened to no more lines than
    the engine printed before cutting it; where the engine printed it whole in a tall
    chart, so does deckgen (the rule is cautious, not blind: it may shorten a label the
    engine would just have fitted, 3 rows 3.5 to 5 in tall)."""
    chart = Rect(0, 0, inches(6), inches(height))
    labels = [ENGINE_LABEL] + [f"{i:02d} short" for i in range(1, rows)]
    out, size, shortened = category_labels(labels, chart, 12, smallest=12)
    assert size == 12
    lines = len(wrapped(out[0], int(chart.width * AXIS_SHARE), 12))
    if printed is None:
        assert shortened == 0 or height < 6
    else:
        assert shortened == 1 and out[0].endswith("…") and lines <= printed
        assert out[1:] == labels[1:]


def test_category_labels_shrink_before_they_are_shortened():
    """Seed slide 13's chart, 12.33 x 4.85 in, 14 categories, one line a row: a label
    of 0.465 of the chart's width printed whole in the engine, one of 0.517 cut. A
    label over AXIS_SHARE at 12 pt that fits at 10 pt is kept whole at 10 pt; one
    that fits at no size down to 10 pt is shortened at a word, and fits then."""
    chart = Rect(0, 0, inches(12.33), inches(4.85))
    limit = chart.width * AXIS_SHARE

    def label(share: float, size: float = 12) -> str:  # words up to `share` of the chart
        words = ENGINE_LABEL.split()
        text = words[0]
        for word in words[1:]:
            if word_width(f"{text} {word}") * size * WIDTH_MARGIN * EMU_PER_POINT > (
                chart.width * share
            ):
                break
            text += f" {word}"
        return text

    short = [f"{i:02d} short" for i in range(1, 13)]
    assert category_labels([label(0.40)] + short, chart, 12) == ([label(0.40)] + short, 12, 0)
    middling = label(0.50)  # over 0.44 at 12 pt, 0.42 at 10 pt
    assert category_labels([middling] + short, chart, 12) == ([middling] + short, 10, 0)
    out, size, shortened = category_labels([label(0.70)] + short, chart, 12)
    assert (size, shortened) == (10, 1)
    assert out[0].endswith("…") and label(0.70).startswith(out[0][:-1].rstrip())
    assert len(wrapped(out[0], int(limit), 10)) == 1
    # no more words than fit: the next word would not
    kept = len(out[0][:-1].split())
    longer = " ".join(label(0.70).split()[: kept + 1]) + "…"
    assert len(wrapped(longer, int(limit), 10)) > 1


@pytest.mark.clients
def test_the_crowded_deck_s_chart_labels_are_printed_whole_in_both_clients(
    crowded, crowded_pdf, tmp_path
):
    """Seven doughnuts a slide, long bar titles, a 5,000-character answer label: what
    deckgen writes on a chart (cut and shortened where it had to) is what each client
    prints, the PowerPoint-compatible engine included, but for the charts the build
    warned do not fit (a legend too long: the engine leaves its last entries out; rows
    thinner than a line: clients name every other category)."""
    from .helpers import chart_labels_missing
    from .test_two_clients import aspose_pdf

    aspose = aspose_pdf(crowded.path, tmp_path / "aspose.pdf")
    unfit = tuple(
        ": ".join(w.message.split(": ")[:2])  # "Chart: Degree"
        for w in crowded.warnings.items
        if "does not fit the chart" in w.message or "too short to name each" in w.message
    )
    # 5 entries beside a doughnut 103 pt tall; 8 and more categories beside bars as tall
    assert "Chart: Degree" in unfit and len(unfit) >= 3
    for client, pdf in (("Aspose", aspose), ("LibreOffice", crowded_pdf)):
        missing = chart_labels_missing(crowded.path, pdf, at_least=30, unless=unfit)
        assert not missing, client


# -- a table beside a chart ---------------------------------------------------------------


def _table_beside_a_chart(folder: Path, weight: float, **deck: object) -> Path:
    """A slide of a bar chart `weight` times as wide as the table of collectivités
    beside it."""
    from .helpers import write_spec

    return write_spec(
        folder / "beside.yaml",
        [
            {
                "layout": "chart",
                "id": "beside",
                "title": "Un tableau à côté d'un graphique",
                "charts": [
                    {
                        "type": "bar",
                        "indicator": {"kind": "multi", "question": "outils_crise"},
                        "weight": weight,
                    },
                    {
                        "type": "table",
                        "indicator": {"kind": "distribution", "question": "type_collectivite"},
                    },
                ],
            }
        ],
        **deck,
    )


TOO_NARROW = re.compile(
    r'slide 1 "Un tableau à côté d\'un graphique": Table: Type de collectivité: its table '
    r"needs (\d+\.\d) cm of width for its longest words at 8 pt and has (\d+\.\d) cm"
)


@pytest.mark.clients
def test_a_table_beside_a_chart_gets_the_width_its_words_need(tmp_path):
    """The weights give the table a ninth of the row (3.4 cm, too narrow for
    "Intercommunalité" even at 8 pt): it takes what its words need from the chart
    beside it, so the build says nothing, the table keeps the theme's label size, and
    both clients print every word of every cell inside it."""
    from .helpers import run_cli, table_words_outside
    from .test_two_clients import aspose_pdf

    spec = _table_beside_a_chart(tmp_path, 8)
    deck = tmp_path / "deck.pptx"
    built = run_cli("build", spec, "-o", deck, "-q", "--strict")
    assert built.returncode == 0 and not built.stderr, built.stderr
    shapes = {label_of(s.name): s for s in flat(Presentation(str(deck)).slides[0].shapes)}
    table = shapes["Table: Type de collectivité"]
    chart = next(s for name, s in shapes.items() if name.startswith("Chart: "))
    assert table.width > (chart.width + table.width) / 9 * 1.2  # more than its weight
    assert chart.width >= (chart.width + table.width) * 8 / 9 / 2  # the chart keeps half
    sizes = {
        run.font.size.pt
        for row in table.table.rows
        for cell in row.cells
        for p in cell.text_frame.paragraphs
        for run in p.runs
    }
    assert sizes == {12.0}  # the theme's chart_label, not shrunk
    libre = to_pdf(libreoffice_or_skip(), [deck], tmp_path / "lo")[deck]
    for client, pdf in (("LibreOffice", libre), ("Aspose", aspose_pdf(deck, tmp_path / "a.pdf"))):
        assert not table_words_outside(deck, pdf), client


def test_a_table_crushed_beside_a_chart_is_warned_and_an_error_with_strict(tmp_path, data_copy):
    """A table whose longest word does not fit even with all the chart beside it can
    give (half its share) is drawn, and the build says so; with `--strict` that is an
    error: exit code 2, the message, no deck."""
    from .helpers import replace_in, run_cli

    word = "Établissementpublicdecoopérationintercommunaleàfiscalitépropre" * 2
    replace_in(data_copy, 'label: "Intercommunalité"', f'label: "{word}"')
    spec = _table_beside_a_chart(tmp_path, 8, data=str(data_copy))
    built = run_cli("build", spec, "-o", tmp_path / "deck.pptx", "-q")
    assert built.returncode == 0, built.stderr
    (warning,) = built.stderr.splitlines()
    assert warning.startswith("warning: ") and (found := TOO_NARROW.search(warning)), warning
    assert float(found[1]) > float(found[2])
    stopped = run_cli("build", spec, "-o", tmp_path / "strict.pptx", "-q", "--strict")
    assert stopped.returncode == 2, stopped.stderr
    (error,) = stopped.stderr.splitlines()
    assert error.startswith("error: ") and TOO_NARROW.search(error), error
    assert error.endswith("(--strict makes warnings errors)")
    assert not (tmp_path / "strict.pptx").exists()
