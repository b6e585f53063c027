"""Every sentence deckgen writes about the figures, in the deck's locale.

Footnotes ("Base : 31 collectivités ; plusieurs réponses possibles"), speaker
notes, alternative texts, descriptions of filters and of who was asked, the
texts a computed result carries (`localise`) and the image footnotes: all of
them are made here from the catalogue of the deck's locale (deckgen.locales),
so the renderers and the indicators never spell a word.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from deckgen.analysis.disclosure import COALITION, is_withheld
from deckgen.analysis.results import Result
from deckgen.chart_kinds import draws_regions
from deckgen.inputs.conditions import describe
from deckgen.locales import Words
from deckgen.locales.numbers import percent_value

if TYPE_CHECKING:  # pragma: no cover
    from deckgen.inputs.codebook import Codebook, Question
    from deckgen.inputs.conditions import Condition
    from deckgen.inputs.theme import Theme
    from deckgen.render.plan import SlidePlan


# -- what a condition says -----------------------------------------------------------


def who_text(condition: Condition, questions: dict[str, Question], w: Words) -> str:
    """Whom `condition` keeps, as a clause that follows a count of them: 'ayant
    répondu « Commune » ou « Région » à « Type de collectivité »' (fr), 'who answered
    “Commune” to “Type de collectivité”' (en), 'die auf „…“ mit „Commune“ geantwortet
    haben' (de). Each test has its words, and its negation too (a `not` is carried
    down to the tests, De Morgan's way), each saying exactly whom the mask keeps:
    a negated test keeps those who did not answer, and says so."""
    return _who(condition, questions, w, negated=False)[0]


def _who(
    condition: Condition, questions: dict[str, Question], w: Words, negated: bool
) -> tuple[str, str]:
    """The clause, and the word that joins its parts ("" for one test's clause)."""
    from deckgen.inputs.conditions import Combine

    if not isinstance(condition, Combine):
        return _leaf(condition, questions, w, negated)
    if condition.op == "not":
        return _who(condition.parts[0], questions, w, not negated)
    how = "and" if (condition.op == "all") != negated else "or"
    return _joined([_who(p, questions, w, negated) for p in condition.parts], how, w)


def _leaf(
    condition: Condition, questions: dict[str, Question], w: Words, negated: bool
) -> tuple[str, str]:
    from deckgen.inputs.conditions import Leaf, value_labels

    assert isinstance(condition, Leaf)
    q = questions.get(condition.question)
    text = w.quote(q.text if q else condition.question)
    if condition.test == "answered":
        kept = condition.answered != negated
        return w("who_answered" if kept else "who_not_answered", question=text), ""
    silent = (w("who_not_answered", question=text), "")  # a negated test keeps them too
    if condition.test in ("min", "max"):
        low, high = condition.low, condition.high
        if not negated:
            if low is not None and high is not None:
                return w("who_between", question=text, low=_num(low, w), high=_num(high, w)), ""
            if low is not None:
                return w("who_at_least", question=text, low=_num(low, w)), ""
            return w("who_under", question=text, high=_num(high or 0, w)), ""
        outside = []
        if low is not None:
            outside.append((w("who_under", question=text, high=_num(low, w)), ""))
        if high is not None:
            outside.append((w("who_at_least", question=text, low=_num(high, w)), ""))
        return _joined([*outside, silent], "or", w)
    labels = [w.quote(label) for label in value_labels(condition, q)]
    both = condition.test == "has_all"
    options = w.join(labels, "and" if both else "or")
    if condition.test in ("has", "has_any", "has_all"):
        key = "who_ticked" if not negated else "who_not_ticked_all" if both else "who_not_ticked"
        return w(key, question=text, options=options), ""
    if q is not None and q.type == "numeric":  # `in`/`not_in` of bands: of those who answered
        band = (w("who_band", question=text, options=options), "")
        other = (w("who_not_band", question=text, options=options), "")
        if (condition.test == "in") != negated:
            return band if not negated else _joined([band, silent], "or", w)
        return other if not negated else _joined([other, silent], "or", w)
    if condition.test == "not_in":  # answered, something else
        if not negated:
            return w("who_other", question=text, options=options), ""
        answered = (w("who_answered_with", question=text, options=options), "")
        return _joined([answered, silent], "or", w)
    key = "who_not_answered_with" if negated else "who_answered_with"
    return w(key, question=text, options=options), ""


def _joined(clauses: list[tuple[str, str]], how: str, w: Words) -> tuple[str, str]:
    """Clauses joined by 'et'/'ou' (the locale's); a clause joining its own parts with
    the other word is bracketed, so 'A et (B ou C)' never reads as '(A et B) ou C'."""
    if len(clauses) == 1:
        return clauses[0]
    return w.join([f"({c})" if inner not in ("", how) else c for c, inner in clauses], how), how


def _num(value: float, w: Words) -> str:
    """A bound as the locale writes numbers, with the decimals it was written with."""
    digits = 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 6)
    return w.number(value, digits)


# -- what a computed result says about itself ---------------------------------------------


def localise(result: Result, indicator: Any, codebook: Codebook, w: Words) -> Result:
    """`result` with the texts deckgen writes about it: who is in scope, what a
    scalar's category is called, the series of a top-N ranking, who each item
    of a multi-select was asked of, the noun for respondents."""
    from deckgen.inputs.conditions import parse_condition

    questions = codebook.questions
    changes: dict[str, Any] = {
        "respondents": codebook.respondents or w("respondents"),
        "reconstructed": codebook.reconstruction,
    }
    if indicator.filter is not None:
        changes["filter_text"] = who_text(parse_condition(indicator.filter), questions, w)
    if result.measure and not indicator.label:  # "Moyenne", "Médiane", "25e centile"
        q = round((indicator.q or 0.5) * 100)
        changes["categories"] = (w(f"measure_{result.measure}", p=w.ordinal(q)),)
    of_kind = result.declared
    if of_kind.named_by_condition and not indicator.label:
        changes["categories"] = (describe(parse_condition(indicator.condition), questions, w),)
    if of_kind.respondents and not result.question_text:
        changes["question_text"] = w("respondents_title")
    if of_kind.series_word:  # "Top 3"
        word = of_kind.series_word
        changes["series"] = tuple(replace(s, name=w(word, n=indicator.top)) for s in result.series)
    if result.item_bases:
        q = questions.get(result.question or "")
        items = []
        for label, n, who, code in result.item_bases:
            option = q.option(code) if q is not None else None
            if not who and option is not None and option.asked_if is not None:
                unit = changes["respondents"]  # 'base {n} collectivités ayant répondu …'
                who = w("item_base_who", unit=unit, who=who_text(option.asked_if, questions, w))
            items.append((label, n, who, code))
        changes["item_bases"] = tuple(items)
    if result.by:  # each segment named with its base: "Communes (n = 22)"
        if result.groups:  # a Likert grid by segment: the bars are the segments
            changes["categories"] = tuple(
                w("segment", label=c or w("total"), n=w.number(b))
                for c, b in zip(result.categories, result.bases)
            )
        else:
            changes["series"] = tuple(
                replace(s, name=w("segment", label=s.name or w("total"), n=w.number(s.base or 0)))
                for s in changes.get("series", result.series)
            )
    return replace(result, **changes)


# -- footnotes --------------------------------------------------------------------


def base_text(n: int, unit: str, w: Words) -> str:
    """'Base : 31 collectivités' (fr, with the French space before the colon)."""
    return w("base", n=w.number(n), unit=unit)


def item_base_text(item: str, n: int, label: str, w: Words) -> str:
    """'Conseils de quartier : s'appliquent seulement aux 22 communes' (a codebook
    base label with {n}), else 'Conseils de quartier : base 22 (who)'."""
    if "{n}" in label:
        return w("item_base_label", item=item, label=label.replace("{n}", w.number(n)))
    return w("item_base", item=item, n=w.number(n)) + (f" ({label})" if label else "")


def result_base(r: Result, w: Words, threshold: int = 0, brief: bool = False) -> str:
    """The base of one result: 'Base : 24 collectivités (who) ; item bases ; several answers';
    a grid whose items have bases of their own gives their range ('Base : 2 078 à 2 326
    répondants selon l'item'), never a base that belongs to no item. A weighted result
    tested, or with a segment under `threshold` by its weights alone, gives its
    effective base too ('Base : 1 407 répondants (base effective 652)'). `brief`: without
    the items' own bases, details the speaker notes keep."""
    explained = {code for *_, code in r.item_bases}  # items asked of some: said below
    own = [b for code, b in zip(r.codes, r.bases) if code not in explained and b]
    if own and min(own) != max(own):
        low, high = w.number(min(own)), w.number(max(own))
        text = w("base_range", low=low, high=high, unit=r.respondents)
    else:
        text = base_text(own[0] if own and not r.editions else r.base, r.respondents, w)
    if r.filter_text:  # 'Base : 22 collectivités ayant répondu « Commune » à « … »'
        key = "filtered_range" if own and min(own) != max(own) else "filtered"
        text = w(key, base=text, unit=r.respondents, who=r.filter_text)
    if r.weighted and (r.test or small_segments(r, threshold, flagged=True)):
        text += _effective_text(r, w)  # a weighted figure tested or flagged: its precision
    for item, n, label, _code in () if brief else r.item_bases:
        text += w("sep") + item_base_text(item, n, label, w)
    if r.multiple:
        text += w("sep") + w("several")
    if r.by and not r.editions:  # a trend says its editions instead
        text += w("sep") + w("by", question=w.quote(r.by_text))
    if r.weighted:
        text += w("sep") + w("weighted")
    return text


def _effective_text(r: Result, w: Words) -> str:
    """' (effective 652)': the effective base (Kish) of a weighted result's whole, or
    the range of its categories' ('(effective 640 to 652)')."""
    whole = next((s for s in r.series if s.total), None) if r.by else r.series[0]
    sizes = [e for e in (whole.effective if whole is not None else ()) if e > 0]
    sizes = sizes or ([r.effective_base] if r.effective_base > 0 else [])
    if not sizes:
        return ""
    low, high = round(min(sizes)), round(max(sizes))
    if low == high:
        return " " + w("effective_base", n=w.number(low))
    return " " + w("effective_range", low=w.number(low), high=w.number(high))


def significance_text(r: Result, level: float, w: Words, brief: bool = False) -> str:
    """What the tests of a breakdown did: the markers' meaning (or that nothing tested
    was significant), the test and level, effective bases, and what was not tested
    and why. "No significant difference" is said only of figures that were tested.
    `brief`: without what was not tested and why (per segment: the notes keep it)."""
    if r.editions:
        return _trend_text(r, level, w, brief)
    if not r.test:
        return ""
    untested = untested_text(r, w)
    if not _ran(r):  # nothing was tested: nothing to claim, only why
        return w("sig_untested_brief") if brief and untested else untested
    values = {"level": w.percent(level), "test": _tests_used(r, w), "correction": _correction(r, w)}
    if _significant(r):
        text = w("sig_pairwise" if r.compared == "pairwise" else "sig_rest", **values)
    else:
        text = w("sig_none_tested" if untested else "sig_none", **values)
    if r.weighted and r.test != "design":  # a design's test has the design's variances
        text += ", " + w("sig_effective")
    return text + (w("sep") + untested if untested and not brief else "")


def _trend_text(r: Result, level: float, w: Words, brief: bool = False) -> str:
    """A trend's footnote: the earlier editions and their bases, then what the test of
    the change since the last one found, or why there was none. `brief`: without the
    editions' approximate bases and gaps, nor what was not tested (the notes keep
    them); a break in the series stays."""
    text = w("editions_published")
    labels = {edition_id: label for edition_id, label, *_ in r.editions}
    for _, label, n, exact, about in r.editions:
        if not exact and not brief:
            text += w("sep") + w("editions_about", label=label, about=about or w.number(n))
    for edition_id, what in r.breaks:
        text += w("sep") + w("editions_break", edition=labels[edition_id], text=what)
    for s, (_, label, *_rest) in zip(() if brief else r.series, r.editions):  # its gaps
        missing = [c for c, v in zip(r.categories, s.values) if v is None]
        if missing:
            na = w("not_available")
            text += w("sep") + w("editions_missing", na=na, edition=label, names=", ".join(missing))
    previous = r.editions[-1][1]
    if not r.test:
        return text + w("sep") + w("sig_untested_edition", edition=previous)
    untested = untested_text(r, w)
    if _ran(r):
        values = {
            "edition": previous,
            "level": w.percent(level),
            "test": _tests_used(r, w),
            "correction": _correction(r, w),
        }
        found = _significant(r)
        key = "sig_previous" if found else "sig_previous_none"
        text += w("sep") + w(key + ("_tested" if untested and not found else ""), **values)
    return text + (w("sep") + untested if untested and not brief else "")


def _significant(r: Result) -> bool:
    """Whether a figure of `r` is marked significant: ▲▼, or a pairwise letter (a
    trend's marks also hold its change in points, which is no test's)."""
    from deckgen.analysis.results import DOWN, UP

    if r.compared == "pairwise":
        return any(m for s in r.series for m in s.marks)
    return any(UP in m or DOWN in m for s in r.series for m in s.marks)


def _ran(r: Result) -> bool:
    """Whether any test of `r` ran (after `results.marked`'s rules)."""
    from deckgen.analysis.results import TESTS, pair_tests

    if r.compared == "pairwise":
        hows = pair_tests(r)
        return any(p is not None and how in TESTS for (*_, p, _), how in zip(r.pairwise, hows))
    return any(t in TESTS for s in r.series for t in s.tested)


def _tests_used(r: Result, w: Words) -> str:
    """The names of the tests that ran, as the catalogue says them."""
    from deckgen.analysis.results import TESTS, pair_tests

    if r.compared == "pairwise":
        used = {how for (*_, p, _), how in zip(r.pairwise, pair_tests(r)) if p is not None}
    else:
        used = {t for s in r.series for t in s.tested}
    return w.join([w(f"test_{t}") for t in TESTS if t in used]) or w(f"test_{r.test}")


def _correction(r: Result, w: Words) -> str:
    """'correction de Holm pour 8 comparaisons', or that there was none."""
    if r.correction in ("", "none"):
        return w("corr_none")
    n = f"{w.number(r.family)} {w.plural(r.family, w('comparison'), w('comparisons'))}"
    return w(f"corr_{r.correction}", n=n)


def untested(r: Result) -> list[tuple[str, list[str]]]:
    """What no test was run on, by reason (in `results.UNTESTED`'s order): a segment
    whose every figure went untested for one reason by its name; else a category
    whose every other segment's figure went untested for one reason by its name
    (and in a trend, whose figures are those of one edition), none of them empty;
    else each figure ("category — segment"). Pairwise, a pair not tested for a
    reason of its own by its letters ("A/C"). Empty (or withheld) figures are not
    named, nor what they would have been."""
    from deckgen.analysis.results import UNTESTED, pair_tests

    found: dict[str, list[str]] = {}

    def add(why: str, name: str) -> None:
        names = found.setdefault(why, [])
        if name not in names:
            names.append(name)

    several = len(r.categories) > 1
    rest = []  # the segments not named as a whole
    for s in r.series:
        if s.total or not s.tested:
            continue
        shown = [t for t in s.tested if t != "empty"]
        reasons = [t for t in shown if t in UNTESTED]
        whole = reasons and len(reasons) == len(shown) and len(set(reasons)) == 1
        if whole and (r.compared != "previous" or not several):  # a trend names categories
            add(reasons[0], s.name)
            continue
        rest.append(s)
    for j, category in enumerate(r.categories):
        whys = {s.tested[j] for s in rest}  # an empty figure keeps its category's name out
        if len(whys) == 1 and whys <= set(UNTESTED) and (several or len(rest) > 1):
            add(whys.pop(), category)  # every segment's figure, for one reason
            continue
        for s in rest:
            if s.tested[j] in UNTESTED:
                add(s.tested[j], f"{category} — {s.name}" if several else s.name)
    if r.compared == "pairwise":
        letters = [chr(ord("A") + i) for i, s in enumerate(x for x in r.series if not x.total)]
        first = next((k for k, s in enumerate(r.series) if not s.total), 0)
        for (j, a, b, _p, _sign), how in zip(r.pairwise, pair_tests(r)):
            if how in UNTESTED and how != "small":  # a small segment is named itself
                pair = f"{letters[a - first]}/{letters[b - first]}"
                add(how, f"{r.categories[j]} — {pair}" if several else pair)
    return [(why, found[why]) for why in UNTESTED if why in found]


def untested_text(r: Result, w: Words) -> str:
    """'pas de test pour Autres (n = 9) : base inférieure à 10 ; …', or ""."""
    from deckgen.analysis.significance import BOUNDARY_BASE, MIN_EXPECTED

    parts = []
    for why, names in untested(r):
        effective = "_effective" if r.weighted else ""
        if why == "small":
            reason = w("why_small" + effective, n=w.number(r.min_base))
        elif why == "rest_small":
            rest = r.editions[-1][1] if r.editions else w("rest_of_sample")
            reason = w("why_rest_small" + effective, n=w.number(r.min_base), rest=rest)
        elif why == "extreme":
            reason = w(
                "why_extreme" + effective,
                zero=w.percent(0.0),
                hundred=w.percent(1.0),
                n=w.number(BOUNDARY_BASE),
            )
        elif why == "expected":
            reason = w("why_expected", n=w.number(MIN_EXPECTED))
        elif why in ("unpublished", "break"):
            reason = w(f"why_{why}", edition=r.editions[-1][1] if r.editions else "")
        else:
            reason = w(f"why_{why}")
        parts.append(w("sig_untested", names=", ".join(names), reason=reason))
    return w("sep").join(parts)


def with_changes(r: Result, w: Words) -> Result:
    """A trend as the deck shows it: each edition named with its base ('2018 (n ≈ 70)'),
    the current figures with their change in points since the last earlier edition
    ('+44 pts', then ▲▼ when the test found it significant)."""
    from dataclasses import replace

    named = []
    for s, edition in zip(r.series, (*r.editions, None)):
        if edition is None:  # the current edition, from the rows
            named.append(replace(s, name=w("edition_base", label=s.name, n=w.number(s.base or 0))))
        else:
            _, label, n, exact, _ = edition
            key = "edition_base" if exact else "edition_about"
            named.append(replace(s, name=w(key, label=label, n=w.number(n))))
    current, previous = named[-1], named[-2]
    marks = []
    for k, (now, before) in enumerate(zip(current.values, previous.values)):
        mark = current.marks[k] if k < len(current.marks) else ""
        if now is None or before is None:
            marks.append(mark)
            continue
        points = int(percent_value(now) - percent_value(before))
        sign = "+" if points > 0 else "\u2212" if points < 0 else "±"
        change = w("change", n=f"{sign}{abs(points)}")
        marks.append(f"{change} {mark}".strip())
    named[-1] = replace(current, marks=tuple(marks))
    return replace(r, series=tuple(named))


def privacy_text(r: Result, k: int, w: Words, personal: bool = False) -> str:
    """What the disclosure rule (deckgen.analysis.disclosure) left out of a chart, and why:
    a group is shown with k besides the readers who may pool their answers (n = k + them)."""
    keys = {
        "group": "privacy_group_others" if personal else "privacy_group",
        "rest": "privacy_rest",
        "pinned": "privacy_pinned",
        "cells": "privacy_cells",
        "all": "privacy_all",
    }
    out = ""
    for note in r.withheld:
        what, _, group = note.partition(":")
        out += w("sep") + w(keys[what], group=group, n=k + COALITION)
    return out


def _size(r: Result) -> float:
    """A result's base as a threshold reads it: its effective base with weights."""
    return r.effective_base if r.weighted and r.effective_base > 0 else float(r.base)


def small_base(base: float, threshold: int, w: Words, weighted: bool = False) -> str:
    if base >= threshold:
        return ""
    return w("sep") + w("small_base_effective" if weighted else "small_base")


def small_segments(r: Result, threshold: int, flagged: bool = False) -> list[str]:
    """The segments of a breakdown under the small-base threshold, as they are named:
    with weights, by their effective base (Kish), whatever their respondents.
    `flagged`: whether a segment was flagged by its weights alone (small effective
    base, enough respondents)."""
    if not r.by:
        return []
    if r.groups:  # a Likert grid by segment: each bar has its own base
        return list(dict.fromkeys(c for c, b in zip(r.categories, r.bases) if 0 < b < threshold))
    out = []
    for s in r.series:
        n = s.base or 0
        size = min(s.effective) if r.weighted and s.effective else float(n)
        small = 0 < size < threshold
        if small and (not flagged or (r.weighted and threshold <= n)):
            out.append(s.name)
    return out


def small_segments_text(r: Result, threshold: int, w: Words) -> str:
    names = small_segments(r, threshold)
    key = "small_segments_effective" if r.weighted else "small_segments"
    return w("sep") + w(key, names=", ".join(names)) if names else ""


def footnote(
    setting: Any,
    sp: SlidePlan,
    unit: str,
    theme: Theme,
    w: Words,
    personal: bool = False,
    brief: bool = False,
) -> str | None:
    """'Base : 31 collectivités répondantes' by default, from the results on the slide
    (`personal`: a personal deck's). `brief`: what must stay on the
    slide (bases, the test and its correction, the weighting, a forced 100 %, a break
    in a trend, what was withheld), without the details per item, per segment or per
    edition (what was not tested and why, an item's own base, an edition's approximate
    base or gaps): the renderer draws it where the whole would take more than two
    lines, the whole going to the notes."""
    if setting is False:
        return None
    if isinstance(setting, str):
        return setting
    threshold = theme.small_base_threshold
    # each part: (what it is about -- chart titles, callout figures; None: the slide's
    # base, which needs no name -- and what it says); parts that say the same are one
    entries: list[tuple[list[str] | None, str]] = []
    places = [chart_place(i, w) for i in range(len(sp.charts))]
    for c, place in zip(sp.charts, places):
        about = [c.title or place] if len(sp.charts) > 1 else None
        if is_withheld(c.result):  # nothing of it shown: no base either, only why
            entries.append(
                (about, privacy_text(c.result, theme.privacy_threshold, w)[len(w("sep")) :])
            )
            continue
        tests = significance_text(c.result, theme.significance_level, w, brief)
        entries.append(
            (
                about,
                result_base(c.result, w, threshold, brief)
                + small_base(_size(c.result), threshold, w, c.result.weighted)
                + small_segments_text(c.result, threshold, w)
                + (w("sep") + w("forced_100", hundred=w.percent(1.0)) if c.result.forced else "")
                + (w("sep") + tests if tests else "")
                + privacy_text(c.result, theme.privacy_threshold, w, personal),
            )
        )
    if any(c.result.own for c in sp.charts) or any(c.own_match for c in sp.callouts):
        entries.append((None, w("own_note")))
    # callouts: each distinct base once (a count of respondents has no base to state),
    # named by its figures where another base stands beside it
    stated = [c for c in sp.callouts if not c.is_count and not c.withheld]
    bases = dict.fromkeys((c.base, c.weighted, c.who) for c in stated)
    for base, weighted, who in bases:
        figures = [
            w.quote(c.value_text)
            for c in stated
            if (c.base, c.weighted, c.who) == (base, weighted, who)
        ]
        bare = base_text(base, unit, w)
        if who:  # 'Base : 22 collectivités ayant répondu « Commune » à « … »'
            bare = w("filtered", base=bare, unit=unit, who=who)
        bare += w("sep") + w("weighted") if weighted else ""
        # a chart's part that states this base already ("Base : 9 … ; …", "Base: 9 …; …":
        # the locale's separator, or a note in brackets) takes the figures into what it
        # is about (the slide's base, unnamed, needs nothing more); the same count of
        # others (a filter's words after it) is another base
        k = next(
            (
                i
                for i, (_, t) in enumerate(entries)
                if t == bare or t.startswith((bare + " (", bare + w("sep")))
            ),
            -1,
        )
        if k >= 0:
            about = entries[k][0]
            entries[k] = (None if about is None else [*about, *figures], entries[k][1])
            continue
        entries.append(
            (
                figures if sp.charts or len(bases) > 1 else None,
                bare + small_base(base, threshold, w),
            )
        )
    merged: dict[str, list[str] | None] = {}
    for about, text in entries:
        if text not in merged:
            merged[text] = about
        else:  # the same words: one part, about both (unnamed if either was)
            before = merged[text]
            merged[text] = None if before is None or about is None else [*before, *about]
    for text, about in merged.items():  # every chart, by its place alone: the slide's base
        if about is not None and len(places) > 1 and sorted(about) == sorted(places):
            merged[text] = None
    quoted = {w.quote(c.value_text) for c in stated}  # figures after the charts' titles
    parts = [
        (
            w(
                "footnote_chart",
                title=_listing(sorted(dict.fromkeys(about), key=quoted.__contains__), w),
            )
            if about
            else ""
        )
        + text
        for text, about in merged.items()
    ]
    for callout in sp.callouts:  # a withheld figure's reason, unless a chart's part says it
        why = callout.withheld
        if why and not any(_says(part, why, w) for part in parts):
            parts.append(why)
    return " · ".join(dict.fromkeys(parts)) or None


def _says(part: str, sentence: str, w: Words) -> bool:
    """Whether a footnote's `part` says `sentence`: is it, or one of its clauses."""
    sep = w("sep")
    return part == sentence or part.endswith(sep + sentence) or sep + sentence + sep in part


def chart_place(i: int, w: Words) -> str:
    """How a footnote names the `i`-th chart of a slide when it has no title: its
    number in reading order ('Graphique 2', as the notes number it), true however the
    slide sets them (side by side, or stacked where side by side they would be too
    narrow: render.slides._charts)."""
    return w("chart_number", n=i + 1)


def _listing(items: list[str], w: Words) -> str:
    """'a, b et c' (fr), 'a, b and c' (en)."""
    return (
        items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {w.texts['and']} " + items[-1]
    )


def chart_footnote(
    r: Result, w: Words, source: str | None = None, level: float | None = None
) -> str:
    """Under a chart image: its base (+ what its tests did, at `level`, as the slide's
    footnote says it: an image with marks explains them; + illustrative, + source)."""
    text = result_base(r, w)
    tests = significance_text(r, level, w) if level is not None else ""
    if tests:
        text += w("sep") + tests
    if r.status == "illustrative":
        text += " · " + w("illustrative_stamp")
    if source:
        text += f" · {w.label(w('source'))} {source}"
    return text


# -- alternative texts and the figures in reading order ------------------------------------


def value_text(r: Result, value: float | None, w: Words, digits: int = 0) -> str:
    """A figure as every place shows it: '97 %', '2 348', or a mean with its unit
    ('3,7 jours', with the indicator's decimals)."""
    if r.measure:
        if value is None:
            return w.percent(None)  # n.d. / n/a
        text = w.number(value, r.decimals)
        return f"{text} {r.unit}" if r.unit else text
    if r.is_count:
        return w.number(value or 0)
    return w.percent(value, digits)


def figures_text(chart_type: str, r: Result, w: Words, digits: int = 0) -> str:
    """The figures of a chart in reading order: 'Facebook 100 %, YouTube 75 %, …'.

    A map lists the regions with respondents and their counts; a Likert block
    lists, per statement, every level ('Statement : Tout à fait 30 %, … ; …').
    """
    if draws_regions(chart_type):
        return ", ".join(
            f"{c} {w.number(n)}" for c, n in zip(r.categories, r.series[0].counts) if n
        )
    if len(r.series) > 1 or r.by:
        return w("sep").join(series_parts(r, w, digits))
    return ", ".join(
        f"{c} {value_text(r, v, w, digits)}" for c, v in zip(r.categories, r.series[0].values)
    )


def series_parts(r: Result, w: Words, digits: int = 0) -> list[str]:
    """'Statement : Tout à fait 30 %, Plutôt oui 50 %, …', one per category, each
    series named: a Likert grid's levels, or a breakdown's segments."""
    parts = []
    for k, cat in enumerate(r.categories):
        if r.groups:  # a Likert grid by segment: "Statement — Segment (n = 22)"
            cat = f"{r.groups[k]} — {cat}"
        levels = ", ".join(
            f"{s.name} {value_text(r, s.values[k], w, digits)}{_mark(s, k)}" for s in r.series
        )
        parts.append(f"{cat}{w('colon')}{levels}")
    return parts


def _mark(s: Any, k: int) -> str:
    """' ▲' after a figure significantly higher (a test's marks), else nothing."""
    return f" {s.marks[k]}" if k < len(s.marks) and s.marks[k] else ""


def alt_text(chart_type: str, title: str | None, r: Result, w: Words, digits: int = 0) -> str:
    """'Réseaux sociaux utilisés, base 24 collectivités : Facebook 100 %, …' in reading order."""
    head = title or r.question_text
    # "Quels outils ?, base 31" reads badly: after a question mark, a dash
    sep = " —" if head.rstrip().endswith(("?", "!", "…", ":")) else ","
    base = w("alt_base", n=w.number(r.base), unit=r.respondents)
    if r.filter_text:  # whom the figures are about, as the footnote says
        base = w("filtered", base=base, unit=r.respondents, who=r.filter_text)
    figures = figures_text(chart_type, r, w, digits)
    if draws_regions(chart_type):
        return f"{head}{sep} {base}{w('colon')}{figures}{w('per_region', unit=r.respondents)}"
    if len(r.series) > 1 or r.by:
        return f"{head}{sep} {base}. {figures}"
    return f"{head}{sep} {base}{w('colon')}{figures}"


# -- tables ----------------------------------------------------------------------------


def table_rows(result: Result, words: Words, digits: int = 0) -> list[list[str]]:
    """The table's text, a list per row: header, one row per category, then the base
    row (a breakdown), or a base column when the rows have bases of their own."""
    series = result.series
    base_row = bool(result.by) and all(s.base is not None for s in series)
    header = ["", *(s.name or words("value") for s in series)]
    if not base_row:
        header.append(words("table_base"))
    rows = [header]
    for k, category in enumerate(result.categories):
        label = f"{result.groups[k]} — {category}" if result.groups else category
        cells = [label]
        for s in series:
            cells.append(value_text(result, s.values[k], words, digits) + _mark(s, k))
        if not base_row:
            cells.append(words.number(result.bases[k]))
        rows.append(cells)
    if base_row:
        rows.append([words("table_base"), *(words.number(s.base or 0) for s in series)])
    return rows


# -- the regions map's legend -----------------------------------------------------------


def bin_label(b: Any, one: str, many: str, w: Words) -> str:
    """A colour class of the map's legend: '1 répondant', '2 répondants', '3 à 4 répondants'."""
    if b.low == b.high:
        return f"{w.number(b.low)} {w.plural(b.low, one, many)}"
    return w("map_bin_range", low=w.number(b.low), high=w.number(b.high), many=many)


# -- speaker notes ------------------------------------------------------------------


def _published_part(r: Result) -> list[str]:
    """The labels of the figures of `r` that were published, when not all were."""
    return [c for c, code in zip(r.categories, r.codes) if code in r.published_codes]


def notes(
    own: str | None,
    mode: str,
    sp: SlidePlan,
    callouts: list[tuple[Any, Result, int, bool | str]],  # (callout plan, result, base, published)
    w: Words,
    level: float = 0.95,  # of the significance tests, as the footnote states it
    k: int = 5,  # the privacy threshold, as the footnote states it
    personal: bool = False,
) -> str:
    """Speaker notes: question wording, base, key figures, published or illustrative.

    One paragraph per chart ('Question : … / Base : 24 collectivités. / Chiffres : …
    / Données publiées.'), then one per callout (`callouts`: the plan, its result,
    the base of its figure, whether it is a published figure). The slide's own
    notes come first (mode extend) or alone (mode replace).
    """
    blocks = []
    worded: set[str] = set()  # the questions the notes have worded: each once
    for i, c in enumerate(sp.charts):
        r = c.result
        digits = int(getattr(c.options, "digits", 0) or 0)
        lines = []
        if c.title and c.title != r.question_text:
            number = f" {i + 1}" if len(sp.charts) > 1 else ""
            lines.append(f"{w.label(w('note_chart') + number)} {c.title}")
        if r.question_text:
            several = f" ({w('several')})" if r.multiple else ""
            lines.append(f"{w.label(w('note_question'))} {r.question_text}{several}")
            worded.add(r.question_text)
        if is_withheld(r):  # nothing of it shown, no base either: only why
            lines.append(privacy_text(r, k, w)[len(w("sep")) :] + ".")
            blocks.append("\n".join(lines))
            continue
        base = f"{w.label(w('note_base'))} {w.number(r.base)} {r.respondents}"
        if r.filter_text:  # whom the figures are about, as the footnote says
            base = w("filtered", base=base, unit=r.respondents, who=r.filter_text)
        for item, n, label, _code in r.item_bases:
            base += w("sep") + item_base_text(item, n, label, w)
        if r.by and not r.editions:
            base += w("sep") + w("by", question=w.quote(r.by_text))
        if r.weighted:
            base += w("sep") + w("weighted")
        lines.append(base + ".")
        if len(r.series) > 1 or r.by:  # one line per category, or the paragraph is unreadable
            lines.append(
                w.label(w("note_figures")) + "".join(f"\n– {t}" for t in series_parts(r, w, digits))
            )
        else:
            per_region = w("per_region", unit=r.respondents) if draws_regions(c.type) else ""
            figures = figures_text(c.type, r, w, digits)
            lines.append(f"{w.label(w('note_figures'))} {figures}{per_region}.")
        if r.withheld:
            lines.append(privacy_text(r, k, w, personal)[len(w("sep")) :] + ".")
        if r.test or r.editions:
            lines.append(significance_text(r, level, w) + ".")
        some = [] if r.published or r.by else _published_part(r)
        if some:  # only these figures of the chart were published: named
            lines.append(w("note_published_some", names=", ".join(some)))
        if r.status != "survey":  # a survey's own figures need no warning
            lines.append(w(f"note_{r.status}" + ("_rest" if some else "")))
        blocks.append("\n".join(lines))
    for cp, r, figure_base, published in callouts:
        if cp.withheld:
            blocks.append(f"{w.label(w('note_key'))} {cp.text.replace('**', '')}: {cp.withheld}.")
            continue
        status = "published" if published is True else r.status
        sentence = f"{cp.value_text} {cp.text}".replace("**", "").rstrip(" :")
        shown_base = w.number(figure_base)
        if isinstance(published, str):  # `expect:` the data no longer give
            basis = w(
                "note_callout_base",
                n=shown_base,
                unit=r.respondents,
                status=w("note_callout_moved", expect=published),
            )
        elif status == "survey":
            basis = w("note_callout_base_survey", n=shown_base, unit=r.respondents)
        else:
            basis = w(
                "note_callout_base",
                n=shown_base,
                unit=r.respondents,
                status=w(f"note_callout_{status}"),
            )
        line = f"{w.label(w('note_key'))} {sentence} {basis}."
        if r.question_text and r.question_text not in worded:
            line += f"\n{w.label(w('note_question'))} {r.question_text}"
            worded.add(r.question_text)
        blocks.append(line)
    text = "\n\n".join(blocks)
    if own:
        text = own.strip() if mode == "replace" else (own.strip() + ("\n\n" + text if text else ""))
    return text
