"""Chart discipline: a pie or doughnut shows between two and five parts of a whole;
otherwise it is drawn as bars and the build says why, unless the spec keeps the type
with a reason (`keep_type:`)."""

from __future__ import annotations

import pytest
from pptx import Presentation

import deckgen
from deckgen.analysis.results import Result, Series
from deckgen.chart_kinds import MAX_SLICES
from deckgen.inputs.spec import Chart
from deckgen.workflows.pipeline import chart_discipline

from .helpers import CODEBOOK, flat


def _result(values):
    n = len(values)
    return Result(
        kind="distribution", question="q", question_text="Q",
        categories=tuple(f"c{i}" for i in range(n)), codes=tuple(str(i) for i in range(n)),
        series=(Series("", tuple(values), tuple(round(10 * (v or 0)) for v in values)),),
        bases=(10,) * n, base=10,
    )  # fmt: skip


def _chart(kind: str, **more):
    return Chart.validate({"type": kind, "indicator": {"kind": "distribution", "question": "q"},
                           **more})  # fmt: skip


@pytest.mark.parametrize("kind", ["pie", "doughnut"])
@pytest.mark.parametrize(
    ("values", "drawn"),
    [
        ([1.0, 0.0, 0.0, None], "bar"),  # one part: a whole of one part compares nothing
        ([0.5, 0.5], None),  # two parts: kept
        ([0.2] * MAX_SLICES, None),  # five: kept
        ([1 / 6] * (MAX_SLICES + 1), "bar"),  # six: bars
        ([0.5, 0.5, 0.0, 0.0, 0.0, 0.0, None], None),  # two parts shown, the rest empty
    ],
)
def test_slices_from_two_to_five_parts(kind, values, drawn):
    shape, why = chart_discipline(_chart(kind), _result(values))
    assert shape == (drawn or kind)
    assert bool(why) == (drawn is not None)
    if drawn:
        assert f"a {kind} of " in why and "`keep_type:`" in why
    kept, why = chart_discipline(
        _chart(kind, keep_type="the client's house style"), _result(values)
    )
    assert (kept, why) == (kind, "")


def test_bars_are_not_slices():
    assert chart_discipline(_chart("bar"), _result([1.0, 0.0])) == ("bar", "")


def test_a_segment_deck_draws_its_one_part_doughnut_as_bars(tmp_path):
    """The Commune deck's 'Type de collectivité' doughnut is 100 % Commune: drawn as a
    bar chart, and the build says so."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        f"deck:\n  title: T\n  data: {CODEBOOK}\n  locale: fr\nslides:\n"
        "  - layout: chart\n    title: Types\n    chart:\n      type: doughnut\n"
        "      indicator: {kind: distribution, question: type_collectivite,\n"
        "                  filter: {question: type_collectivite, in: [commune]}}\n"
        "  - layout: chart\n    title: Tous\n    chart:\n      type: doughnut\n"
        "      indicator: {kind: distribution, question: service_participation}\n",
        encoding="utf-8",
    )
    report = deckgen.load(spec).build(tmp_path / "deck.pptx")
    xml = [
        next(s for s in flat(slide.shapes) if s.has_chart).chart._chartSpace.xml
        for slide in Presentation(str(report.path)).slides
    ]
    assert "<c:barChart>" in xml[0] and "<c:doughnutChart>" not in xml[0]
    assert "<c:doughnutChart>" in xml[1]
    messages = [w.message for w in report.warnings.items]
    assert any("a doughnut of one part is drawn as `bar`" in m for m in messages), messages


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _manual(parent) -> dict[str, float] | None:
    """A c:layout's manual layout: its target and its box (shares of the chart)."""
    manual = parent.find(f"{C}layout/{C}manualLayout")
    if manual is None:
        return None
    box = {tag: float(manual.find(C + tag).get("val")) for tag in "xywh"}
    assert manual.find(f"{C}xMode").get("val") == manual.find(f"{C}yMode").get("val") == "edge"
    target = manual.find(f"{C}layoutTarget")
    return {**box, "inner": target is not None and target.get("val") == "inner"}


@pytest.mark.parametrize("deck", ["real_deck", "gss_deck"])
def test_a_round_chart_places_its_circle_and_its_legend_itself(deck, request):
    """Left to their own layout, the two clients drew a doughnut at different sizes and
    wrapped its legend differently (the PowerPoint-compatible engine smaller, narrower).
    Every pie and doughnut says where its circle goes (the plot's inner box, a square
    on the slide, inside the chart) and where its legend goes (inside the chart, clear
    of the circle), so that both draw the same."""
    checked = 0
    for slide in Presentation(str(request.getfixturevalue(deck).path)).slides:
        for shape in flat(slide.shapes):
            space = shape.chart._chartSpace if getattr(shape, "has_chart", False) else None
            if space is None or not space.xpath(".//c:doughnutChart|.//c:pieChart"):
                continue
            checked += 1
            width, height = shape.width, shape.height
            plot = _manual(space.find(f"{C}chart/{C}plotArea"))
            assert plot is not None and plot["inner"], shape.name
            assert plot["w"] * width == pytest.approx(plot["h"] * height, rel=2e-3)  # a circle
            assert plot["x"] >= 0 and plot["x"] + plot["w"] <= 1, shape.name
            assert plot["y"] >= 0 and plot["y"] + plot["h"] <= 1, shape.name
            legend = space.find(f"{C}chart/{C}legend")
            if legend is None:
                continue
            box = _manual(legend)
            assert box is not None and not box["inner"], shape.name
            assert box["x"] >= 0 and box["x"] + box["w"] <= 1 and 0 <= box["y"] <= 1 - box["h"]
            assert (
                box["x"] >= plot["x"] + plot["w"]  # beside it
                or box["y"] >= plot["y"] + plot["h"]  # or under it
            ), shape.name
    assert checked >= (5 if deck == "real_deck" else 1)
