"""One deck per respondent: "your answers compared with all respondents".

`deckgen build SPEC --each-respondent` writes a deck per respondent (named by
its id, or by a text question with `--name`), where every element marks the
recipient's own answer beside the figures of all respondents and, with
`--peers QUESTION`, of the respondents of the same type:

- bars: the recipient's categories in the accent colour, labelled "(votre
  réponse)"; a ranking's items with the recipient's rank;
- Likert grids: the recipient's level of each statement outlined, and the
  statement labelled with it;
- the map: the recipient's region outlined;
- callouts: a card whose figure counts the recipient's answer outlined; else
  "Votre réponse : oui" on a line of its own, once per question.

**Privacy.** The peer groups are held to the disclosure rule of every deck
(deckgen.analysis.disclosure, docs/privacy.md), as a family: all the personal decks of a
batch together show every group that passes it, so a group is shown only with
at least *k* respondents besides two readers (the recipient, and one other pooling
answers), the rest of the sample outside the groups shown holds none or as many,
and a figure that would tell two members the others' answers (they number under
2 *k* and all answered alike, once the readers' own answers are set aside) is
blanked, with the figures that keep it from being worked out; whatever is left
out says so in the footnote, without the group's size. `tests/test_personal.py`
and `tests/test_privacy_attack.py` check it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from deckgen.analysis.results import Result
from deckgen.errors import SpecError, suggest, valid_list
from deckgen.indicator_kinds import declared


@dataclass(frozen=True)
class Recipient:
    key: str  # file-name slug
    id: str  # respondent id
    label: str


def recipients(loaded: Any, name: str | None = None) -> list[Recipient]:
    """Every respondent, keyed by id (or by the slug of their answer to `name`)."""
    from deckgen.render.images import slugify

    frame = loaded.survey.frame
    if name is not None:
        q = loaded.codebook.questions.get(name)
        if q is None or q.type not in ("text", "single"):
            valid = [
                k for k, v in loaded.codebook.questions.items() if v.type in ("text", "single")
            ]
            raise SpecError(
                f"--name: `{name}` is not a text or single-choice question of the codebook"
                f"{suggest(name, valid)}; valid: {valid_list(valid)}"
            )
    out: list[Recipient] = []
    keys: set[str] = set()
    for rid in frame.index:
        label = str(rid)
        if name is not None and isinstance(frame.at[rid, name], str) and frame.at[rid, name]:
            label = str(frame.at[rid, name])
        key = slugify(label, limit=80) if name is not None else _safe_id(str(rid))
        while key in keys:
            key = f"{key}-{len(keys)}"
        keys.add(key)
        out.append(Recipient(key, str(rid), label))
    return out


FEW = 12  # the most distinct answers of a column `alike` orders by


def alike(frame: Any, peers: str | None) -> Callable[[Recipient], int]:
    """A recipient's place in the order where neighbours' decks share the most slides
    (deckgen.workflows.batch.runs): by peer group, then by the answers to the columns
    of at most FEW distinct values, fewest first, since a slide differs from the same
    slide of another deck by the marks of the answers it shows. A column of many values
    (a number, a free text: different for nearly everyone) would keep alike recipients
    apart, so it is not looked at. Answers are compared as codes of equal values
    (pd.factorize): alike ones side by side is all the order is for. Worked out on the
    first call: a batch built in one process never asks."""
    import functools

    @functools.cache
    def places() -> dict[str, int]:
        return _places(frame, peers)

    return lambda recipient: places().get(recipient.id, len(frame))


def peer_group(frame: Any, peers: str) -> Callable[[Recipient], int]:
    """A recipient's peer group, as a code (equal answers, no answer included, equal
    codes): what the batch's runs are cut by (deckgen.workflows.batch.runs), since a
    group's first deck in a process draws the slides the group's decks share."""
    import pandas as pd

    codes, _ = pd.factorize(frame[peers], use_na_sentinel=True)
    group = dict(zip(map(str, frame.index), codes.tolist()))
    return lambda recipient: group.get(recipient.id, -2)


def _places(frame: Any, peers: str | None) -> dict[str, int]:
    import numpy as np
    import pandas as pd

    keys: list[tuple[int, Any]] = []
    for column in frame.columns:
        try:
            codes, values = pd.factorize(frame[column], use_na_sentinel=True)
        except (TypeError, ValueError):  # unhashable answers, a repeated column: not used
            continue
        if column == peers:
            keys.insert(0, (-1, codes))
        elif len(values) <= FEW:
            keys.append((len(values), codes))
    keys.sort(key=lambda k: k[0])  # stable: the peer group, then the fewest values first
    ranks = np.lexsort([codes for _, codes in reversed(keys)]) if keys else range(len(frame))
    return {str(frame.index[i]): n for n, i in enumerate(ranks)}


def _safe_id(rid: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9._-]+", "-", rid).strip("-.") or "respondent"


def for_recipient(loaded: Any, recipient: Recipient, peers: str | None) -> Any:
    """`loaded` for `recipient`'s deck: with `peers`, each chart that can show a
    breakdown gets the recipient's group beside the whole sample."""
    spec = copy.copy(loaded.spec)  # what changes is copied, the rest shared
    group = None
    if peers is not None:
        q = loaded.codebook.questions[peers]
        answer = loaded.survey.frame.at[recipient.id, peers]
        option = q.option(str(answer)) if isinstance(answer, str) else None
        if option is not None:
            group = (option.label, option.code)
    if group is not None and peers is not None:
        spec.slides = [_beside_peers(slide, peers, group) for slide in spec.slides]
    spec.deck = copy.copy(spec.deck)
    deck = spec.deck
    # the cover names the recipient and says how to read the deck, in one line
    from deckgen.locales import words

    w = words(deck.locale)
    key = w("personal_cover", name=recipient.label) + (
        w("personal_cover_peers", group=group[0]) if group is not None else ""
    )
    slides = []
    for slide in spec.slides:
        if slide.layout.lower() == "title":
            slide = copy.copy(slide)
            slide.subtitle = "\n".join(p for p in (slide.subtitle or deck.subtitle, key) if p)
        slides.append(slide)
    spec.slides = slides
    deck.subtitle = " — ".join(p for p in (deck.subtitle, recipient.label) if p)
    return replace(loaded, spec=spec, personal=(recipient.id, peers))


def _beside_peers(slide: Any, peers: str, group: tuple[str, str]) -> Any:
    """`slide` with each chart that can show a breakdown broken down by the
    recipient's group (a copy where something changes)."""
    from deckgen.workflows.segments import can_show_beside, show_beside

    charts = []
    for chart in slide.charts:
        # not a Likert grid: a block per statement and group is too heavy to read
        if can_show_beside(chart, peers) and not declared(chart.indicator.kind).levels:
            chart, ind = copy.copy(chart), copy.copy(chart.indicator)
            show_beside(ind, peers, group[0], [group[1]])
            chart.indicator = ind
        charts.append(chart)
    if all(new is old for new, old in zip(charts, slide.charts)):
        return slide
    slide = copy.copy(slide)
    slide.charts = charts
    return slide


# -- the recipient's own answers ------------------------------------------------------------


def own_answers(survey: Any, result: Result, indicator: Any, rid: str, w: Any) -> Result:
    """`result` with the recipient's answers marked: `own` per category ("x" for a
    chosen option, a Likert level's code, a rank), the categories labelled."""
    if result.question is None or rid not in survey.frame.index:
        return result
    q = survey.questions.get(result.question)
    if q is None:
        return result
    row = _row(survey, rid)
    own: list[str] = []
    for code in result.codes:
        code = code.split("|")[0]  # a Likert grid by segment: "statement|segment"
        if q.type == "multi":
            value = row.get(f"{q.id}__{code}")
            own.append("x" if value == 1 or value == "1" else "")
        elif q.type == "likert":
            value = row.get(f"{q.id}__{code}")
            own.append("" if _empty(value) else str(_whole(value)))
        elif q.type == "ranking":  # the recipient's own top N
            value = row.get(f"{q.id}__{code}")
            rank = None if _empty(value) else _whole(value)
            top = getattr(indicator, "top", 3)
            own.append(str(rank) if isinstance(rank, int) and rank <= top else "")
        elif q.type == "numeric":
            from deckgen.inputs.bands import band_of

            own.append("x" if band_of(row.get(q.id), q.bands) == code else "")
        else:
            own.append("x" if str(row.get(q.id)) == code else "")
    if not any(own):
        return result
    added = []  # what each mark adds to its category's label
    for mark in own:
        if not mark:
            added.append("")
        elif q.type == "likert":
            level = q.option(mark)
            added.append(f" ({w('own_level', level=level.label if level else mark)})")
        elif q.type == "ranking":
            added.append(f" ({w('own_rank', rank=w.ordinal(int(mark)))})")
        else:
            added.append(f" ({w('own_answer')})")
    if not result.declared.categorised:  # one figure (a share): its label stays as it is
        return replace(result, own=tuple(own))
    labels = tuple(category + words for category, words in zip(result.categories, added))
    return replace(result, categories=labels, own=tuple(own), own_words=tuple(added))


def asked(survey: Any, q: Any, rid: str) -> bool:
    """Whether the recipient was asked question `q` (its codebook `asked_if`): the
    condition evaluated once over every respondent (row by row: one row's value is
    that row's alone), then read for each recipient of the batch."""
    if q.asked_if is None:
        return True
    masks = _read(survey.frame).setdefault("asked", {})
    if q.id not in masks:
        masks[q.id] = q.asked_if.evaluate(survey.frame, survey.questions, survey.codes)
    return bool(masks[q.id].loc[rid])


def own_forms(survey: Any, indicator: Any, rid: str, w: Any) -> list[str]:
    """The recipient's answer to the question a callout's figure is about (its
    condition's, or its question's), as its card says it: "Votre réponse : oui",
    or, for several answers, "Vos réponses : a, b, c" followed by shorter forms
    ("Vos réponses : a, b +1 autre", …), longest first, for the card to take the
    first that fits its line. Empty when there is nothing to say."""
    if rid not in survey.frame.index:
        return []
    qid = _question_of(indicator)
    q = survey.questions.get(qid) if qid is not None else None
    if q is None:
        return []
    label = w.label(w("own_answer_label"))
    if not asked(survey, q, rid):  # never asked: not the same as no answer
        return [f"{label} {w('own_not_asked')}"]
    row = _row(survey, rid)
    if q.type == "multi":
        chosen = [o.label for o in q.options if row.get(f"{q.id}__{o.code}") in (1, "1")]
        if len(chosen) < 2:
            return [f"{label} {chosen[0] if chosen else w('own_none')}"]
        label = w.label(w("own_answers_label"))
        forms = [f"{label} {', '.join(chosen)}"]
        for kept in range(len(chosen) - 1, 0, -1):
            more = len(chosen) - kept
            others = w("own_more_one" if more == 1 else "own_more", n=more)
            forms.append(f"{label} {', '.join(chosen[:kept])} {others}")
        return forms
    value = row.get(q.id)
    if q.type == "single":
        option = q.option(str(value)) if not _empty(value) else None
        answer = option.label if option is not None else w("own_none")
    elif q.type == "numeric":
        unit = f" {q.unit}" if q.unit else ""
        answer = w.number(float(value)) + unit if not _empty(value) else w("own_none")
    else:
        return []
    return [f"{label} {answer}"]


def own_matches(
    survey: Any, indicator: Any, rid: str, option: str | None = None
) -> tuple[str, bool] | None:
    """(question, whether the recipient is counted) when a callout's figure is the
    share of one or more options of one question (`condition: {question: q, in:
    [...]}` or `has`/`has_any`, or a multi-answer question's `option:`): the card is
    then marked as counting the recipient instead of repeating the answer. None for
    any other figure."""
    from deckgen.inputs.conditions import Leaf

    if rid not in survey.frame.index:
        return None
    row = _row(survey, rid)
    if option is not None and declared(indicator.kind).multiple and indicator.question is not None:
        q = survey.questions.get(indicator.question)
        if q is None or q.type != "multi":
            return None
        return q.id, row.get(f"{q.id}__{option}") in (1, "1")
    cond = indicator.condition
    if not isinstance(cond, Leaf) or cond.test not in ("in", "has", "has_any") or not cond.values:
        return None
    q = survey.questions.get(cond.question)
    if q is None or q.type not in ("single", "multi"):
        return None
    codes = {str(v) for v in cond.values}
    if q.type == "single":
        value = row.get(q.id)
        chosen = not _empty(value) and str(value) in codes
    else:
        chosen = any(row.get(f"{q.id}__{code}") in (1, "1") for code in codes)
    return q.id, chosen


def own_lines(survey: Any, callouts: list[Any], rid: str, w: Any) -> list[tuple[list[str], bool]]:
    """What each callout of one slide says of the recipient, apart from its sentence:
    (the forms of its line, whether its figure counts the recipient's answer).

    A card whose figure counts the recipient's answer is marked (outlined, as a
    chart marks an answer) and says nothing more; the other cards of that question
    stay silent. Otherwise the recipient's answer to the question ("Votre réponse :
    oui") is said once per question, on a line of its own under its first card:
    three cards over one question's three options would otherwise repeat it three
    times, and a sentence ending in "…parmi lesquelles :" would read as if the
    line completed it."""
    matches = [own_matches(survey, c.indicator, rid, c.option) for c in callouts]
    answered = {m[0] for m in matches if m is not None and m[1]}
    said: set[str] = set()
    out: list[tuple[list[str], bool]] = []
    for callout, match in zip(callouts, matches):
        if match is not None and match[1]:
            out.append(([], True))
            continue
        qid = match[0] if match is not None else _question_of(callout.indicator)
        if qid is None or qid in answered or qid in said:
            out.append(([], False))
            continue
        said.add(qid)
        out.append((own_forms(survey, callout.indicator, rid, w), False))
    return out


_ROWS: dict[str, Any] = {}  # the last frame read, its rows read and its questions asked


def _read(frame: Any) -> dict[str, Any]:
    """What was read of `frame` (the last frame read: a batch reads one)."""
    if _ROWS.get("frame") is not frame:
        _ROWS.clear()
        _ROWS["frame"] = frame
    return _ROWS


def _row(survey: Any, rid: str) -> Any:
    """`survey.frame.loc[rid]`, read once per respondent: a deck asks for it once per
    chart and callout."""
    frame = survey.frame
    rows = _read(frame).setdefault("rows", {})
    if rid not in rows:
        if len(rows) >= 64:  # a batch goes respondent by respondent
            rows.clear()
        rows[rid] = frame.loc[rid]
    return rows[rid]


def _question_of(indicator: Any) -> str | None:
    if indicator.question is not None:
        return str(indicator.question)
    if indicator.condition is not None:
        return str(indicator.condition.questions()[0])
    return None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value == ""


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value
