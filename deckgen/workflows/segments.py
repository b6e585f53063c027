"""One deck per segment: the spec rewritten for the respondents of one option.

`deckgen build SPEC --each QUESTION` makes a deck per option of a
single-choice question (or per band of a numeric one): every indicator keeps
its own filter and is narrowed to the segment; with `--beside-total`, each chart
that can show a breakdown shows the segment beside the whole sample instead
(the analyses' `by:` machinery, the total first). The title slide and the
footer of every content slide name the segment and its base. `expect:` checks
are for whole-sample figures: a segment deck does not check them, nor calls
its figures published.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from typing import Any

from deckgen.errors import SpecError, suggest, valid_list
from deckgen.inputs.conditions import Condition


@dataclass(frozen=True)
class Segment:
    """The respondents of one option (or band) of the `--each` question."""

    key: str  # file-name slug, unique in the batch
    label: str
    code: str
    condition: dict[str, Any]  # selects its respondents
    base: int  # how many respondents it holds


def segments_of(
    loaded: Any, question_id: str, groups: dict[str, list[str]] | None = None
) -> list[Segment]:
    """The segments of `question_id`: its options (no answer aside), or its bands
    with bounds, or, with `groups` ({label: [codes]}), those options or bands grouped
    as an indicator's `segments:` groups them; each with the number of respondents
    it holds."""
    from deckgen.render.images import slugify

    questions = loaded.codebook.questions
    q = questions.get(question_id)
    if q is None:
        raise SpecError(
            f"--each: unknown question `{question_id}`{suggest(question_id, questions)}; "
            f"valid questions: {valid_list(questions)}"
        )
    if q.type not in ("single", "numeric") or (q.type == "numeric" and not q.bands):
        raise SpecError(
            f"--each needs a single-choice question, or a numeric one with `bands`: one deck "
            f"per option; `{q.id}` is {q.type}" + (" without bands" if q.type == "numeric" else "")
        )
    frame = loaded.survey.frame
    if q.type == "numeric":
        from deckgen.inputs.bands import band_codes

        answers = band_codes(frame[q.id], q.bands)
    else:
        answers = frame[q.id]
    out: list[Segment] = []
    keys: set[str] = set()
    if groups is not None:
        return _grouped(q, answers, groups)
    for category in q.categories():
        if category.no_answer or getattr(category, "other", False):
            continue
        if q.type == "numeric":
            bounds = {
                k: v for k, v in (("min", category.min), ("max", category.max)) if v is not None
            }
            condition: dict[str, Any] = {"question": q.id, **bounds}
        else:
            condition = {"question": q.id, "in": [category.code]}
        key = slugify(category.label)
        while key in keys:  # two labels with one slug: number them
            key = f"{key}-{len(keys)}"
        keys.add(key)
        base = int((answers == category.code).sum())
        out.append(Segment(key, category.label, str(category.code), condition, base))
    return out


def _grouped(q: Any, answers: Any, groups: dict[str, list[str]]) -> list[Segment]:
    """One segment per group of codes: each code a category of `q`, in one group only."""
    from deckgen.render.images import slugify

    categories = {str(c.code): c for c in q.categories()}
    seen: dict[str, str] = {}
    out: list[Segment] = []
    keys: set[str] = set()
    for label, codes in groups.items():
        for code in codes:
            if categories.get(str(code)) is None:
                raise SpecError(
                    f"--group {label}: `{code}` is not an option of `{q.id}`"
                    f"{suggest(str(code), categories)}; valid: {valid_list(categories)}"
                )
            if str(code) in seen:
                raise SpecError(
                    f"--group {label}: `{code}` is already in the group {seen[str(code)]}; a "
                    "respondent must be in one deck only"
                )
            seen[str(code)] = label
        # options or bands alike: a condition's `in` reads a numeric question's bands
        condition: dict[str, Any] = {"question": q.id, "in": [str(c) for c in codes]}
        key = slugify(label)
        while key in keys:
            key = f"{key}-{len(keys)}"
        keys.add(key)
        base = int(answers.isin([str(c) for c in codes]).sum())
        out.append(Segment(key, label, "|".join(str(c) for c in codes), condition, base))
    return out


def can_show_beside(chart: Any, question_id: str) -> bool:
    """Whether `chart` can show one group of `question_id` beside the whole sample:
    a chart kind that draws breakdowns, of an indicator that can be broken down
    and is not already (nor over editions, nor about that question itself)."""
    from deckgen.chart_kinds import chart_kind
    from deckgen.indicator_kinds import declared

    ind, kind = chart.indicator, chart_kind(chart.type)
    return (
        kind is not None
        and kind.breakdowns
        and declared(ind.kind).breaks_down
        and ind.by is None
        and ind.editions is None
        and ind.question != question_id
    )


def show_beside(indicator: Any, question_id: str, label: str, codes: list[str]) -> None:
    """`indicator` broken down by `question_id`: the whole sample first, then the
    group of the options `codes` (named `label`)."""
    indicator.by, indicator.segments, indicator.total = question_id, {label: list(codes)}, True


@dataclass(frozen=True)
class SegmentRule:
    """A segment deck's share of its batch's disclosure decisions: each chart's and
    callout's (by slide index, "chart" or "callout", index), about this segment."""

    question: str
    label: str
    decisions: dict[tuple[int, str, int], Any]


def for_segment(
    loaded: Any,
    segment: Segment,
    question_id: str,
    beside_total: bool,
    decisions: dict[tuple[int, str, int], Any] | None = None,
) -> Any:
    """`loaded` with its spec rewritten for `segment` (the survey and theme shared),
    under its batch's disclosure `decisions` when given."""
    from deckgen.locales import words

    spec = copy.deepcopy(loaded.spec)
    spec._path = loaded.spec._path
    spec._located = loaded.spec._located
    spec._index = loaded.spec._index
    w = words(spec.deck.locale)
    named = w("segment", label=segment.label, n=w.number(segment.base))
    narrow = Condition.from_data(segment.condition)

    def narrowed(indicator: Any) -> None:
        indicator.filter = (
            narrow
            if indicator.filter is None
            else Condition.from_data({"all": [indicator.filter.to_data(), segment.condition]})
        )

    for slide in spec.slides:
        if slide.layout.lower() == "title":
            slide.subtitle = " — ".join(
                p for p in (slide.subtitle or spec.deck.subtitle, named) if p
            )
        for chart in slide.charts:
            ind = chart.indicator
            if beside_total and can_show_beside(chart, question_id):
                show_beside(ind, question_id, segment.label, segment.code.split("|"))
            else:
                narrowed(ind)
        for callout in slide.callouts:
            narrowed(callout.indicator)
            callout.expect = None  # a published figure is a whole-sample one
    deck = spec.deck
    deck.subtitle = " — ".join(p for p in (deck.subtitle, named) if p)
    if deck.footer is not False:
        base = deck.footer if isinstance(deck.footer, str) else deck.organisation
        deck.footer = " · ".join(p for p in (base, named) if p)
    rule = SegmentRule(question_id, segment.label, decisions) if decisions is not None else None
    return replace(loaded, spec=spec, segment=named, segment_rule=rule)
