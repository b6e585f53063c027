"""Breakdowns (`by:`): one series per segment of another question, each over its own
base, and the `table` chart kind. Figures are compared with independent pandas
computations on the raw CSV files, on a survey no one here wrote (the General
Social Survey 2018 example) and on the Baromètre's rows.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from pptx import Presentation

import deckgen
from deckgen.analysis.indicators import compute
from deckgen.analysis.results import shown
from deckgen.errors import SpecError
from deckgen.inputs.indicator_spec import Indicator
from deckgen.render.geometry import Rect, points
from deckgen.render.identity import label_of

from .helpers import ROOT, communes_spec, flat

GSS = ROOT / "data" / "gss-2018-spending"
BAROMETRE = ROOT / "data" / "barometre-2021"
OTHERS = ["intercommunalite", "metropole", "departement", "region"]


def _indicator(**data) -> Indicator:
    return Indicator.validate(data)


def _values(series) -> list[float | None]:
    return [None if v is None else round(v, 12) for v in series.values]


# -- the figures, against pandas ---------------------------------------------------------


def test_a_distribution_by_segment_is_each_segment_s_own_distribution(gss_survey, gss_raw):
    r = compute(
        gss_survey, _indicator(kind="distribution", question="polviews", by="sex", total=True)
    )
    assert (r.by, r.by_text) == ("sex", "Sex")
    total, male, female = r.series
    assert total.total and not male.total and (male.code, female.code) == ("0", "1")
    answered = gss_raw.dropna(subset=["polviews"])
    table = pd.crosstab(answered["polviews"], answered["sex"], normalize="columns")
    counts = pd.crosstab(answered["polviews"], answered["sex"])
    for series, sex in ((male, 0), (female, 1)):
        assert series.base == int((answered["sex"] == sex).sum())
        assert series.counts == tuple(int(counts.loc[v, sex]) for v in range(1, 8))
        assert _values(series) == [round(table.loc[v, sex], 12) for v in range(1, 8)]
    # the total is the plain distribution, unchanged by the breakdown
    plain = compute(gss_survey, _indicator(kind="distribution", question="polviews"))
    assert total.values == plain.series[0].values and total.base == plain.base == len(answered)


def test_segments_of_a_numeric_question_are_its_bands(gss_survey, gss_raw):
    r = compute(
        gss_survey, _indicator(kind="share", condition={"question": "sex", "in": ["1"]}, by="age")
    )
    bands = pd.cut(gss_raw["age"], [18, 30, 45, 65, 200], right=False, labels=False)
    expected = gss_raw.groupby(bands)["sex"].agg(["mean", "size"])
    assert [s.code for s in r.series] == ["a18", "a30", "a45", "a65"]
    assert [s.base for s in r.series] == [int(n) for n in expected["size"]]
    assert [round(s.values[0], 12) for s in r.series] == [round(m, 12) for m in expected["mean"]]


def test_a_likert_score_by_segment(gss_survey, gss_raw):
    ind = _indicator(
        kind="likert", question="nat", by="partyid", score=["1"], options=["heal", "arms"],
        sort="fixed",
    )  # fmt: skip
    r = compute(gss_survey, ind)
    assert r.categories == (
        "Improving and protecting the nation's health",
        "The military, armaments and defense",
    )
    for series in r.series:
        party = int(series.code)
        for k, column in enumerate(("natheal", "natarms")):
            rows = gss_raw[(gss_raw["partyid"] == party) & gss_raw[column].notna()]
            assert series.bases[k] == len(rows)
            assert series.counts[k] == int((rows[column] == 1).sum())
            assert series.values[k] == pytest.approx((rows[column] == 1).mean())


def test_a_likert_grid_by_segment_stacks_each_statement_s_segments(gss_survey, gss_raw):
    ind = _indicator(kind="likert", question="nat", by="sex", options=["heal"], sort="fixed")
    r = compute(gss_survey, ind)
    assert r.groups == ("Improving and protecting the nation's health",) * 2
    assert r.categories == ("Male", "Female")
    rows = gss_raw.dropna(subset=["natheal"])
    shares = pd.crosstab(rows["sex"], rows["natheal"], normalize="index")
    for level in r.series:
        assert _values(level) == [round(shares.loc[sex, int(level.code)], 12) for sex in (0, 1)]
    # drawn with a heading row per statement over its segments' bars
    drawn = shown(r, "stacked100")
    assert drawn.categories == ("Improving and protecting the nation's health", "Male", "Female")
    assert drawn.series[0].values[0] is None


def test_segments_grouping_options_on_the_barometre(survey):
    ind = _indicator(
        kind="multi", question="dispositifs_numeriques", by="type_collectivite", total=True,
        segments={"Communes": ["commune"], "Autres": OTHERS},
    )  # fmt: skip
    r = compute(survey, ind)
    rows = pd.read_csv(BAROMETRE / "responses.csv", dtype=str)
    communes = rows[rows["type_collectivite"] == "commune"]
    others = rows[rows["type_collectivite"].isin(OTHERS)]
    assert [s.name for s in r.series] == ["", "Communes", "Autres"]
    assert [s.base for s in r.series] == [len(rows), len(communes), len(others)]
    for series, group in zip(r.series[1:], (communes, others)):
        for k, code in enumerate(r.codes):
            column = group[f"dispositifs_numeriques__{code}"]
            assert series.bases[k] == int(column.notna().sum())
            assert series.counts[k] == int((column == "1").sum())


def test_the_segments_of_a_sorted_breakdown_follow_the_total_s_order(gss_survey):
    r = compute(
        gss_survey, _indicator(kind="distribution", question="degree", by="sex", sort="desc")
    )
    plain = compute(gss_survey, _indicator(kind="distribution", question="degree", sort="desc"))
    assert r.categories == plain.categories


# -- what a spec may ask --------------------------------------------------------------------

SPEC_HEAD = f"""deck:
  title: "Breakdowns"
  data: {GSS / "codebook.yaml"}
  locale: en
slides:
"""


def _spec(folder, slides: str):
    path = folder / "spec.yaml"
    path.write_text(SPEC_HEAD + slides, encoding="utf-8")
    return path


def _problems(folder, chart: str) -> str:
    spec = _spec(folder, f"  - layout: chart\n    title: T\n    chart:\n{chart}")
    with pytest.raises(SpecError) as caught:
        deckgen.load(spec).validate()
    return str(caught.value)


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (
            "      type: pie\n      indicator: {kind: distribution, question: degree, by: sex}\n",
            "a `pie` chart shows no breakdown: an indicator with `by:` needs `bar`, `column`, "
            "`stacked100`, `table`",
        ),
        (
            "      type: bar\n      indicator: {kind: ranking, question: nat, by: sex}\n",
            "`by:` breaks down `share`, `distribution`, `multi`, `likert`, `mean`, `median`, "
            "`quantile` indicators, not `ranking`",
        ),
        (
            "      type: bar\n      indicator: {kind: distribution, question: degree, by: sexe}\n",
            "unknown question `sexe` (did you mean `sex`?)",
        ),
        (
            "      type: bar\n      indicator: {kind: distribution, question: degree, by: nat}\n",
            "`by:` needs a single-choice question, or a numeric one with `bands`, whose options "
            "make the segments; `nat` is likert",
        ),
        (
            "      type: bar\n      indicator: {kind: distribution, question: sex, by: sex}\n",
            "`sex` broken down by itself",
        ),
        (
            "      type: bar\n"
            "      indicator: {kind: distribution, question: degree, total: true}\n",
            "`total: true` adds the whole sample beside the segments of `by:`",
        ),
        (
            "      type: stacked100\n"
            "      indicator: {kind: likert, question: nat, by: sex, score: ['1']}\n",
            "a Likert score per segment is one share per statement and segment: show it as "
            "`bar` or `column` or `table`, not `stacked100`",
        ),
        (
            "      type: bar\n"
            "      indicator: {kind: likert, question: nat, by: sex, score: [2]}\n",
            "`2` is not a level of `nat`",
        ),
        (
            "      type: bar\n      indicator:\n        kind: distribution\n"
            "        question: degree\n        by: sex\n"
            "        segments: {A: ['0'], B: ['0', '1']}\n",
            "`0` is in two segments",
        ),
    ],
)
def test_breakdown_mistakes_are_named(tmp_path, chart, message):
    text = _problems(tmp_path, chart)
    assert message in text
    assert re.search(r"spec\.yaml:\d+:\d+: slide 1 \"T\"", text)


# -- a deck of breakdowns ----------------------------------------------------------------------

SLIDES = """  - layout: chart
    title: "Political views by sex"
    chart:
      type: bar
      indicator: {kind: distribution, question: polviews, by: sex, total: true}
  - layout: chart
    title: "Party identification by degree"
    chart:
      type: stacked100
      indicator: {kind: distribution, question: partyid, by: degree}
  - layout: chart
    title: "Too little spending, by sex"
    chart:
      type: column
      indicator:
        kind: likert
        question: nat
        by: sex
        score: ['1']
        options: [heal, educ]
        sort: fixed
  - layout: chart
    title: "A crosstab"
    chart:
      type: table
      indicator: {kind: distribution, question: polviews, by: sex, total: true}
  - layout: chart
    title: "Women by degree"
    chart:
      type: bar
      indicator: {kind: share, condition: {question: sex, in: ['1']}, label: Women, by: degree}
"""


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("breakdowns")
    project = deckgen.load(_spec(folder, SLIDES))
    report = project.build(folder / "deck.pptx")
    return report, Presentation(str(report.path))


def _frame(slide, kind: str = "chart"):
    return next(s for s in flat(slide.shapes) if getattr(s, f"has_{kind}", False))


def test_clustered_bars_have_a_series_per_segment_named_with_its_base(deck):
    report, prs = deck
    result = report.plan.slides[0].charts[0].result
    chart = _frame(prs.slides[0]).chart
    names = [s.name for s in chart.plots[0].series]
    assert names == [
        "Total (n\u00a0=\u00a02,247)",
        "Male (n\u00a0=\u00a01,013)",
        "Female (n\u00a0=\u00a01,234)",
    ]
    for native, series in zip(chart.plots[0].series, result.series):
        assert list(native.values) == pytest.approx([v or 0 for v in series.values])
    assert chart.has_legend
    notes = prs.slides[0].notes_slide.notes_text_frame.text
    assert "Base: 2,247 respondents; by “Sex”." in notes
    assert (
        "– Moderate: Total (n\u00a0=\u00a02,247) 38%, Male (n\u00a0=\u00a01,013) 36%, "
        "Female (n\u00a0=\u00a01,234) 40%" in notes
    )


def test_a_distribution_broken_down_as_100_percent_bars_has_a_bar_per_segment(deck):
    report, prs = deck
    chart = _frame(prs.slides[1]).chart
    categories = list(chart.plots[0].categories)
    assert categories[0] == "Less than high school (n\u00a0=\u00a0259)" and len(categories) == 5
    assert len(chart.plots[0].series) == 8  # the party options, stacked
    for k in range(len(categories)):
        assert sum(s.values[k] for s in chart.plots[0].series) == pytest.approx(1.0)


def test_a_share_broken_down_shows_a_bar_per_segment(deck):
    _, prs = deck
    chart = _frame(prs.slides[4]).chart
    assert len(chart.plots[0].series) == 1 and not chart.has_legend
    assert list(chart.plots[0].categories)[0] == "Less than high school (n\u00a0=\u00a0262)"


def test_a_crosstab_is_a_native_table_with_its_bases(deck):
    report, prs = deck
    table = _frame(prs.slides[3], "table").table
    cells = [
        [table.cell(r, c).text for c in range(len(table.columns))] for r in range(len(table.rows))
    ]
    assert cells[0] == [
        "",
        "Total (n\u00a0=\u00a02,247)",
        "Male (n\u00a0=\u00a01,013)",
        "Female (n\u00a0=\u00a01,234)",
    ]
    assert cells[4] == ["Moderate", "38%", "36%", "40%"]
    assert cells[-1] == ["Base", "2,247", "1,013", "1,234"]
    assert len(cells) == 1 + 7 + 1
    frame = _frame(prs.slides[3], "table")
    assert (
        label_of(frame.name)
        == "Table: Political views, from extremely liberal to extremely conservative"
    )
    assert "Moderate: Total (n\u00a0=\u00a02,247) 38%" in frame._element.find(".//{*}cNvPr").get(
        "descr"
    )


def test_exports_give_each_segment_its_own_base(deck):
    report, _ = deck
    rows = [r for r in report.figures() if r["slide"] == 1 and r["label"] == "Moderate"]
    assert [(r["series"], r["base"]) for r in rows] == [
        ("Total (n\u00a0=\u00a02,247)", 2247),
        ("Male (n\u00a0=\u00a01,013)", 1013),
        ("Female (n\u00a0=\u00a01,234)", 1234),
    ]


def test_small_segments_are_flagged_in_the_footnote_and_warned(tmp_path):
    spec = communes_spec(tmp_path)
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    messages = [w.message for w in report.warnings.items]
    assert "chart 1: small base for segment(s) Autres (n\u202f=\u202f9) (under 10)" in messages
    footnote = report.plan.slides[0].footnote
    assert "selon « Type de collectivité »" in footnote
    assert "bases faibles\u202f: Autres (n\u202f=\u202f9), à interpréter avec prudence" in footnote


@pytest.mark.clients
def test_the_breakdowns_open_in_libreoffice_with_their_figures(deck, tmp_path):
    from .conftest import libreoffice_or_skip
    from .helpers import pdf_page_text, squash, to_pdf

    report, prs = deck
    soffice = libreoffice_or_skip()
    pdf = to_pdf(soffice, [report.path], tmp_path)[report.path]
    table_page = squash(pdf_page_text(pdf, 4))
    for text in ("Total(n=2,247)", "Moderate", "38%", "36%", "40%", "Base", "1,013"):
        assert text in table_page
    assert squash("Female (n\u00a0=\u00a01,234)") in squash(pdf_page_text(pdf, 1))


def test_the_images_draw_what_the_native_charts_show(deck, tmp_path):
    report, prs = deck
    images = deckgen.load(_spec(tmp_path, SLIDES)).images(tmp_path / "img")
    assert len(images) == 5
    for image, slide in zip(images, prs.slides):
        drawn_result = shown(image.result, image.type)
        if image.type == "table":
            expected = {s.name: [v or 0.0 for v in s.values] for s in drawn_result.series}
            assert image.drawn == expected
            assert "38%" in image.labels
            continue
        plot = _frame(slide).chart.plots[0]
        assert list(plot.categories) == list(drawn_result.categories), image.name
        for native, series in zip(plot.series, drawn_result.series):
            assert image.drawn[series.name] == pytest.approx(list(native.values)), image.name


def test_an_empty_segment_is_left_blank_and_said(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"""deck:
  title: "Segments"
  data: {BAROMETRE / "codebook.yaml"}
slides:
  - layout: chart
    title: "Communes seulement"
    chart:
      type: table
      indicator:
        kind: multi
        question: dispositifs_numeriques
        filter: {{question: type_collectivite, in: [commune]}}
        by: type_collectivite
""",
        encoding="utf-8",
    )
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    # the disclosure rule leaves out a group of fewer than k, an empty one too (in a
    # chart with a filter, "n = 0" can be a 0 % of the group): only the communes show
    table = _frame(Presentation(str(report.path)).slides[0], "table").table
    assert [table.cell(0, c).text for c in range(len(table.columns))][1:2] == [
        "Commune (n\u202f=\u202f22)"
    ]
    assert "Intercommunalité" not in " ".join(
        table.cell(0, c).text for c in range(len(table.columns))
    )
    footnote = report.plan.slides[0].footnote
    # k = 5 besides two readers pooling their answers: 7 (docs/privacy.md)
    assert "pas de chiffres pour Intercommunalité\u202f: moins de 7 répondants" in footnote


def test_a_table_too_long_for_its_place_shows_what_fits_and_says_so():
    from types import SimpleNamespace

    from deckgen.analysis.results import Result, Series
    from deckgen.inputs.theme import Theme
    from deckgen.render.charts import ChartStyle
    from deckgen.render.geometry import inches
    from deckgen.render.plan import ChartPlan
    from deckgen.render.tables import table

    n = 40
    result = Result(
        kind="distribution", question="q", question_text="Q",
        categories=tuple(f"Option {i}" for i in range(n)), codes=tuple(str(i) for i in range(n)),
        series=(Series("", tuple(1 / n for _ in range(n)), tuple(1 for _ in range(n))),),
        bases=(n,) * n, base=n,
    )  # fmt: skip
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    style = ChartStyle(Theme(), "en")
    plan = ChartPlan("table", result, None, "", SimpleNamespace(digits=0))
    frame = table(slide.shapes, Rect(0, 0, inches(6), inches(3)), plan, style)
    rows = [frame.table.cell(r, 0).text for r in range(len(frame.table.rows))]
    shown_rows = [r for r in rows if r.startswith("Option ")]
    assert (
        5 < len(shown_rows) < n
        and rows[-1] == f"… and {n - len(shown_rows)} more rows (see the indicators export)"
    )
    assert style.problems == [
        f"its table has {n} rows, {n - len(shown_rows)} more than fit even at 8 pt: split it "
        "(`options:`) or give it a slide of its own"
    ]
    assert sum(row.height for row in frame.table.rows) <= inches(3)


def _table_in(rect_width, headers, labels):
    """A crosstab of `labels` by `headers` (segment names), rendered by `table` into a
    rect `rect_width` wide: (frame, style)."""
    from types import SimpleNamespace

    from deckgen.analysis.results import Result, Series
    from deckgen.inputs.theme import Theme
    from deckgen.render.charts import ChartStyle
    from deckgen.render.geometry import inches
    from deckgen.render.plan import ChartPlan
    from deckgen.render.tables import table

    k = len(labels)
    result = Result(
        kind="distribution", question="q", question_text="Q", categories=tuple(labels),
        codes=tuple(str(i) for i in range(k)),
        series=tuple(
            Series(h, tuple(0.5 for _ in range(k)), tuple(100 for _ in range(k)), code=h,
                   base=200, bases=(200,) * k)
            for h in headers
        ),
        bases=(200,) * k, base=600, by="x",
    )  # fmt: skip
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    style = ChartStyle(Theme(), "en")
    plan = ChartPlan("table", result, None, "", SimpleNamespace(digits=0))
    return table(slide.shapes, Rect(0, 0, rect_width, inches(4)), plan, style), style


def test_table_columns_are_as_wide_as_their_words():
    """Column widths come from the text: the row labels on one line, every header word
    (and "(n = 200)", held by its non-breaking spaces) within its column, the value
    columns alike; a short table sits in the middle of its place."""
    from deckgen.render.geometry import inches
    from deckgen.render.metrics import WIDTH_MARGIN, word_width

    n = "(n\u202f=\u202f200)"  # as the plan names a segment
    headers = [f"Democrats {n}", f"Independents {n}", f"Republicans {n}"]
    labels = ["Slightly conservative", "Extremely liberal"]
    frame, style = _table_in(inches(9), headers, labels)
    table = frame.table
    widths = [c.width for c in table.columns]
    assert sum(widths) == inches(9) and not style.problems
    assert max(widths[1:]) - min(widths[1:]) <= 3  # the value columns alike (EMU rounding)
    size = table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.size.pt
    margins = 2 * points(4)

    def fits(text, width, bold=False):  # the text in one line of the column, by hand
        return points(word_width(text, bold) * size * WIDTH_MARGIN) + margins <= width

    for label in labels:  # the row labels on one line
        assert fits(label, widths[0]), label
    for c in range(1, 4):
        header = table.cell(0, c).text
        assert "(n\u202f=\u202f200)" in header
        for word in header.replace("\u202f", "~").split():  # no word broken
            assert fits(word.replace("~", "\u202f"), widths[c], bold=True), word
    height = sum(r.height for r in table.rows)
    assert height < inches(4) and frame.top == (inches(4) - height) // 2


def test_a_narrow_table_is_as_wide_as_it_reads_not_as_its_place():
    """Two short columns in a place 12 in wide (a mean by party alone on its slide):
    the table keeps to its text, left under its title, instead of setting each label
    half a slide from its figure. Widths measured independently, with Liberation Sans
    (the face both clients set Arial in) through PIL, not deckgen's glyph tables."""
    from PIL import ImageFont

    from deckgen.render.geometry import inches

    faces = "/usr/share/fonts/truetype/liberation/LiberationSans-%s.ttf"  # .ci/run installs
    regular, bold = (ImageFont.truetype(faces % s, 1000) for s in ("Regular", "Bold"))
    labels = ["Democrats", "Independents", "Republicans"]
    frame, style = _table_in(inches(12), ["Total"], labels)
    table = frame.table
    widths = [c.width for c in table.columns]
    size = table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.size.pt
    margins = 2 * points(4)

    def one_line(text, font):  # EMU, at the table's size, with the cell's margins
        return font.getlength(text) / 1000 * size * 12700 + margins

    for c in range(len(widths)):
        texts = [table.cell(r, c).text for r in range(len(table.rows))]
        need = max(one_line(t, bold if r == 0 else regular) for r, t in enumerate(texts))
        assert need <= widths[c] <= 2 * need, (c, widths[c], need)  # on one line, no wider
    assert frame.width == sum(widths) < inches(6) and frame.left == 0 and not style.problems


def test_a_short_table_alone_in_its_row_keeps_its_title_on_it(ess_deck):
    """ESS slide 6: the table of three statements sits in the middle of its place, and
    its title comes down with it, on its top edge, instead of staying at the top of the
    place with the empty half of the slide between them."""
    slide = Presentation(str(ess_deck.path)).slides[5]
    (title,) = [s for s in flat(slide.shapes) if label_of(s.name).startswith("Chart title")]
    (frame,) = [s for s in flat(slide.shapes) if s.has_table]
    assert title.top + title.height == frame.top
    body = slide.shapes.title.top + slide.shapes.title.height  # the slide's title band
    assert title.top - body > frame.height // 2  # a short table: it did move down


def test_a_table_too_narrow_for_its_words_is_warned():
    """Five segments with long names in 3 inches: even at 8 pt a word is wider than its
    column; the table is drawn, and the slide says how much width it needs."""
    from deckgen.render.geometry import inches

    headers = [f"Extraordinarily{i} (segment)" for i in range(5)]
    frame, style = _table_in(inches(3), headers, ["A label"])
    assert sum(c.width for c in frame.table.columns) == inches(3)
    assert len(style.problems) == 1
    assert style.problems[0].startswith("its table needs ")
    assert "cm of width for its longest words at 8 pt and has 7.6 cm" in style.problems[0]
