"""A chart kind and an indicator kind added from outside deckgen, in this test
module: the spec, the schema, the rules, the native builder and the image
export all see them, from their one declaration each."""

from __future__ import annotations

import ast
import dataclasses
import math

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

import deckgen
from deckgen import chart_kinds, indicator_kinds
from deckgen.errors import DeckgenError

from .helpers import DATA, ROOT, write_spec


def lollipop(shapes, rect, chart, style):
    """A native chart: thin columns, as a lollipop reads (python-pptx's own API)."""
    from deckgen.render.workbook import ChartData

    data = ChartData()
    data.categories = list(chart.result.categories)
    data.add_series("Part", [v or 0 for v in chart.result.series[0].values])
    frame = shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, rect.left, rect.top, rect.width, rect.height, data
    )
    frame.chart.plots[0].gap_width = 400
    return frame


def draw_lollipop(fig, ax, image, chart, theme, locale):
    values = [v or 0 for v in chart.result.series[0].values]
    ax.vlines(range(len(values)), 0, values, color="#" + theme.colors.primary)
    ax.plot(range(len(values)), values, "o", color="#" + theme.colors.accent)
    image.drawn = {"Part": values}


def non_response(survey, indicator):
    """Share of respondents in scope who left `question` empty."""
    from deckgen.analysis.results import Result, Series

    q = survey.questions[indicator.question]
    empty = survey.frame[q.columns()].isna().all(axis=1)
    n, base = int(empty.sum()), len(survey.frame)
    return Result(
        "non_response", q.id, q.text, ("",), ("non_response",),
        (Series("", (n / base,), (n,)),), (base,), base, published=False,
    )  # fmt: skip


@pytest.fixture
def plugins():
    chart_kinds.register(
        chart_kinds.ChartKind(
            "lollipop",
            "dots on stems",
            lollipop,
            draw_lollipop,
            indicators=("multi", "distribution"),
        )
    )
    indicator_kinds.register(
        indicator_kinds.IndicatorKind(
            "non_response",
            "share who did not answer a question",
            non_response,
            needs=(("question", ""),),
        )
    )
    yield
    chart_kinds.unregister("lollipop")
    indicator_kinds.unregister("non_response")


def _deck(tmp_path, chart_type: str, kind: str = "multi") -> object:
    return write_spec(
        tmp_path / "spec.yaml",
        [
            {
                "layout": "chart",
                "title": "Essai sucette",
                "chart": {"type": chart_type, "indicator": {"kind": kind, "question": "logiciel"}
                          if kind == "distribution" else
                          {"kind": kind, "question": "dispositifs_numeriques"}},
                "callouts": [
                    {
                        "indicator": {"kind": "non_response", "question": "budget_participation"},
                        "text": "n'ont pas indiqué de budget",
                    }
                ],
            }
        ],
    )  # fmt: skip


def test_a_new_chart_kind_is_in_the_spec_schema_rules_deck_and_images(plugins, tmp_path):
    spec = _deck(tmp_path, "lollipop")
    project = deckgen.load(spec)  # the spec accepts `type: lollipop`
    assert "lollipop" in deckgen.schema()["$defs"]["Chart"]["properties"]["type"]["enum"]
    report = project.build(tmp_path / "deck.pptx")
    (chart,) = [s.chart for s in Presentation(str(report.path)).slides[0].shapes if s.has_chart]
    assert chart.plots[0].gap_width == 400
    values = list(chart.plots[0].series[0].values)
    (plan,) = report.plan.slides[0].charts
    assert values == [v or 0 for v in plan.result.series[0].values] and len(values) == 8
    # its image drawer
    (image,) = project.images(tmp_path / "images", formats=("png",))
    assert image.drawn == {"Part": values} and image.png.is_file()
    # the new indicator kind, in a callout: the share who left the budget question empty
    import pandas as pd

    from deckgen.locales.numbers import format_percent

    rows = pd.read_csv(DATA / "responses.csv", dtype=str, keep_default_na=False)
    empty = int((rows["budget_participation"].str.strip() == "").sum())
    (callout,) = report.plan.slides[0].callouts
    (row,) = [r for r in project.figures() if r["element"] == "callout 1"]
    assert (row["count"], row["base"]) == (empty, 31)
    assert callout.value_text == format_percent(empty / 31)


def test_the_rules_read_the_new_kinds(plugins, tmp_path):
    # lollipop declares the indicator kinds it shows: a likert is refused, with its line
    spec = _deck(tmp_path, "lollipop", kind="likert")
    with pytest.raises(DeckgenError) as caught:
        deckgen.load(spec).validate()
    text = str(caught.value)
    assert "`lollipop` shows a `multi` or `distribution` indicator, not `likert`" in text
    assert "a `likert` indicator has a series per scale level: show it as `stacked100`" in text


def test_without_the_plugin_the_type_is_unknown(tmp_path):
    spec = _deck(tmp_path, "lollipop")
    with pytest.raises(DeckgenError) as caught:
        deckgen.load(spec)
    assert "`lollipop` is not a valid chart type" in str(caught.value)
    assert "lollipop" not in deckgen.schema()["$defs"]["Chart"]["properties"]["type"]["enum"]


def test_the_new_indicator_computes_what_it_declares(plugins, survey):
    from deckgen.analysis.indicators import compute
    from deckgen.inputs.indicator_spec import Indicator

    result = compute(survey, Indicator(kind="non_response", question="budget_participation"))
    empty = int(survey.frame["budget_participation"].isna().sum())
    assert result.count == empty and result.base == len(survey.frame) == 31
    with pytest.raises(DeckgenError, match="indicator `non_response` needs `question:`"):
        compute(survey, Indicator(kind="non_response"))


def test_every_registered_chart_kind_has_a_small_deck():
    """The small decks (opened in LibreOffice, audited, rendered in both clients) are
    one per chart kind of the registry: a kind registered without one fails here."""
    from .helpers import SMALL_DECKS

    missing = sorted(set(chart_kinds.names()) - set(SMALL_DECKS))
    assert not missing, f"chart kinds without a small deck in tests/helpers.py: {missing}"


def _strings(expr) -> set[str]:
    """The string constants an expression is, or lists (`"map"`, `("bar", "column")`)."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, (ast.Tuple, ast.List, ast.Set)):
        return {e.value for e in expr.elts if isinstance(e, ast.Constant)}
    return set()


def _compares_a_chart_type(node, names: set[str]) -> bool:
    """A comparison of a chart's type (`x.type`, `chart_type`, `kind`) with the name of a
    registered chart kind, or with a tuple of them."""

    def is_type(expr) -> bool:
        return (isinstance(expr, ast.Attribute) and expr.attr == "type") or (
            isinstance(expr, ast.Name) and expr.id in ("chart_type", "type_")
        )

    sides = [node.left, *node.comparators]
    return any(is_type(s) for s in sides) and any(_strings(s) & names for s in sides)


def test_no_module_compares_a_chart_type_with_a_kind_s_name():
    """What a chart kind does is its declaration's (deckgen/chart_kinds.py): no module
    of deckgen asks `chart.type == "map"` or `chart_type in ("bar", "column")`, which a
    kind registered by a plug-in could never answer. The AST of every module is read."""
    from typing import get_args, get_type_hints

    from deckgen.inputs.codebook import Question

    # a name that is also a question type or an indicator kind ("ranking") cannot be told
    # apart by the syntax alone: those comparisons are about the question
    question_types = set(get_args(get_type_hints(Question)["type"]))
    assert "ranking" in question_types
    names = set(chart_kinds.names()) - question_types - set(indicator_kinds.names())
    assert {"map", "table", "pie", "doughnut", "bar", "column", "stacked100"} <= names
    found = []
    for path in sorted((ROOT / "deckgen").rglob("*.py")):
        if path.name == "chart_kinds.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and _compares_a_chart_type(node, names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "\n".join(found)
    # the check itself finds what it looks for
    probe = ast.parse('chart.type in ("pie", "doughnut") or chart_type == "map"')
    assert (
        sum(_compares_a_chart_type(n, names) for n in ast.walk(probe) if isinstance(n, ast.Compare))
        == 2
    )


def test_an_alias_kind_draws_its_image_as_its_native_chart(tmp_path):
    """A kind registered under another name with bar's builder, drawer and declarations
    draws a share by segment as one series of a bar per segment, natively and in its
    image alike (the names 'bar' and 'column' are asked nowhere)."""
    bar = chart_kinds.chart_kind("bar")
    assert bar is not None
    chart_kinds.register(dataclasses.replace(bar, name="barres"))
    try:
        spec = write_spec(
            tmp_path / "spec.yaml",
            [{"layout": "chart", "title": "Working full time, by sex",
              "chart": {"type": "barres", "indicator": {
                  "kind": "share", "condition": {"question": "wrkstat", "in": [1]}, "by": "sex"}}}],
            data=str(ROOT / "data" / "gss-2018-spending" / "codebook.yaml"), locale="en",
        )  # fmt: skip
        project = deckgen.load(spec)
        report = project.build(tmp_path / "deck.pptx")
        (chart,) = [s.chart for s in Presentation(str(report.path)).slides[0].shapes if s.has_chart]
        (series,) = chart.plots[0].series  # one series, a bar per segment
        native = [v or 0 for v in series.values]
        assert len(native) == len(list(chart.plots[0].categories)) >= 2
        (image,) = project.images(tmp_path / "images", formats=("png",))
        assert list(image.drawn.values()) == [pytest.approx(native)]
    finally:
        chart_kinds.unregister("barres")


def _compares_an_indicator_kind(node, names: set[str]) -> bool:
    """A comparison of an indicator's or a result's kind (`x.kind`, `kind`) with the name
    of a registered indicator kind, or with a tuple of them."""

    def is_kind(expr) -> bool:
        return (isinstance(expr, ast.Attribute) and expr.attr == "kind") or (
            isinstance(expr, ast.Name) and expr.id == "kind"
        )

    sides = [node.left, *node.comparators]
    return any(is_kind(s) for s in sides) and any(_strings(s) & names for s in sides)


def test_no_module_compares_an_indicator_kind_with_a_kind_s_name():
    """What an indicator kind does is its declaration's (deckgen/indicator_kinds.py: it
    breaks down, its parts make a whole, its levels, its wording): no module asks
    `indicator.kind == "likert"` or `result.kind in ("share", "ratio")`, which a kind
    registered by a plug-in could never answer. The chart kinds' declarations may name
    the indicator kinds they take."""
    names = set(indicator_kinds.names())
    assert {"share", "distribution", "multi", "likert", "mean", "count", "ranking"} <= names
    found = []
    for path in sorted((ROOT / "deckgen").rglob("*.py")):
        if path.name in ("indicator_kinds.py", "chart_kinds.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and _compares_an_indicator_kind(node, names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, "\n".join(found)
    probe = ast.parse(
        'result.kind == "likert" or kind in ("multi", "ranking") or q.type == "multi"'
    )
    compares = [n for n in ast.walk(probe) if isinstance(n, ast.Compare)]
    assert [_compares_an_indicator_kind(n, names) for n in compares] == [True, True, False]


def _by_race(tmp_path, kind: str, rounding: str | None = None):
    chart = {"type": "bar", "indicator": {"kind": kind, "question": "degree", "by": "race"}}
    if rounding:
        chart["rounding"] = rounding
    return write_spec(
        tmp_path / "spec.yaml",
        [{"layout": "chart", "title": "Highest degree by race", "chart": chart}],
        data=str(ROOT / "data" / "gss-2018-spending" / "codebook.yaml"),
        locale="en",
    )


@pytest.mark.parametrize("breaks_down", [True, False])
def test_a_plugged_indicator_kind_takes_by_when_it_declares_it(tmp_path, breaks_down):
    """`by:` is for the kinds that declare `breaks_down`, whatever their name: a copy of
    `distribution` under another name takes it or is refused, by its flag alone."""
    distribution = indicator_kinds.indicator_kind("distribution")
    assert distribution is not None and distribution.breaks_down
    indicator_kinds.register(
        dataclasses.replace(distribution, name="repartition", breaks_down=breaks_down)
    )
    try:
        spec = _by_race(tmp_path, "repartition")
        if breaks_down:
            report = deckgen.load(spec).build(tmp_path / "deck.pptx")
            (chart,) = [
                s.chart for s in Presentation(str(report.path)).slides[0].shapes if s.has_chart
            ]
            assert len(chart.plots[0].series) == 3  # White, Black, Other
        else:
            with pytest.raises(DeckgenError) as caught:
                deckgen.load(spec).build(tmp_path / "deck.pptx")
            assert "breaks down `share`, `distribution`," in str(caught.value)
            assert "not `repartition`" in str(caught.value)
    finally:
        indicator_kinds.unregister("repartition")


def _largest_remainder(percents: list[float]) -> list[int]:
    """Hamilton's method, written here from its definition: each part rounded down, then
    the points left given one each to the largest remainders."""
    floors = [math.floor(p) for p in percents]
    left = round(100 - sum(floors))
    order = sorted(range(len(percents)), key=lambda i: percents[i] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return floors


@pytest.mark.parametrize("parts", [True, False])
def test_a_plugged_indicator_kind_adds_up_when_its_parts_make_a_whole(tmp_path, parts):
    """`rounding: largest_remainder` is for kinds that declare `parts_of_a_whole`. Highest
    degree by race in the GSS 2018: rounded half-up each race's five shares add up to
    99 % (pandas crosstab below); as parts of a whole they add up to 100 %, as
    Hamilton's method gives them."""
    import pandas as pd

    rows = pd.read_csv(ROOT / "data" / "gss-2018-spending" / "responses.csv")
    exact = pd.crosstab(rows["race"], rows["degree"], normalize="index") * 100
    assert [int(sum(math.floor(p + 0.5) for p in r)) for r in exact.to_numpy()] == [99, 99, 99]
    distribution = indicator_kinds.indicator_kind("distribution")
    assert distribution is not None
    indicator_kinds.register(
        dataclasses.replace(distribution, name="repartition", parts_of_a_whole=parts)
    )
    try:
        spec = _by_race(tmp_path, "repartition", rounding="largest_remainder")
        if not parts:
            with pytest.raises(DeckgenError, match="are not parts of one whole"):
                deckgen.load(spec).build(tmp_path / "deck.pptx")
            return
        report = deckgen.load(spec).build(tmp_path / "deck.pptx")
        (chart,) = [s.chart for s in Presentation(str(report.path)).slides[0].shapes if s.has_chart]
        drawn = [[round(v * 100) for v in s.values] for s in chart.plots[0].series]
        assert drawn == [_largest_remainder(list(r)) for r in exact.to_numpy()]
    finally:
        indicator_kinds.unregister("repartition")
