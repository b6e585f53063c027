"""The disclosure rule (deckgen.analysis.disclosure, docs/privacy.md), table-driven.

Every expected decision below is worked out by hand from the rule as docs/privacy.md
states it, at its boundaries, with k = 5 (the theme's default) and two readers pooling
their answers (r = 2): a group of k + r - 1 and k + r, a figure about 2k + r - 1 and
2k + r, counts r and r + 1 from 0 or from the base; again with k = 3 and with one
reader, so that nothing depends on 5 or 2. Then the rule against an exhaustive
attacker: small random surveys, every coalition of up to r respondents, every table of
counts the figures shown allow.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter

import numpy as np
import pytest

from deckgen.analysis.disclosure import (
    COALITION,
    PINNED,
    REST,
    SMALL,
    Cell,
    apply_to_breakdown,
    apply_to_group,
    decide,
    hidden_cells,
    hidden_groups,
    is_withheld,
)
from deckgen.analysis.results import Result, Series


def test_the_rule_holds_against_two_readers():
    assert COALITION == 2  # docs/privacy.md: any respondent, or two pooling their answers


# -- rules 1 and 2: which groups are shown --------------------------------------------------


@pytest.mark.parametrize(
    ("k", "whole", "groups", "readers", "expected"),
    [
        # size: k + r - 1 left out, k + r shown (its complement is large)
        (5, 31, {"a": 6}, 2, {"a": SMALL}),
        (5, 31, {"a": 7}, 2, {}),
        # the complement of a group beside the whole: k + r shown, k + r - 1 not
        (5, 31, {"a": 24}, 2, {}),
        (5, 31, {"a": 25}, 2, {"a": REST}),
        # one group in 31 has no service: "Oui (n = 30)" beside the whole would tell it
        (5, 31, {"oui": 30, "non": 1}, 2, {"non": SMALL, "oui": REST}),
        # every group shown and nobody else: the rest is empty, nothing to protect
        (5, 14, {"a": 7, "b": 7}, 2, {}),
        # the rest left by small groups takes the smallest shown group with it, no more
        (5, 31, {"a": 10, "b": 8, "c": 12, "d": 1}, 2, {"d": SMALL, "b": REST}),
        # an empty group is a figure too (in a filtered chart, a 0 % of the group)
        (5, 31, {"a": 0, "b": 31}, 2, {"a": SMALL}),
        # one reader: k + 1; none: k
        (5, 31, {"a": 5}, 1, {"a": SMALL}),
        (5, 31, {"a": 6}, 1, {}),
        (5, 31, {"a": 25}, 1, {}),
        (5, 31, {"a": 26}, 1, {"a": REST}),
        (5, 31, {"a": 4}, 0, {"a": SMALL}),
        (5, 31, {"a": 5}, 0, {}),
        # k = 3: the same boundaries, elsewhere
        (3, 20, {"a": 4}, 2, {"a": SMALL}),
        (3, 20, {"a": 5, "b": 15}, 2, {}),
        (3, 20, {"a": 16}, 2, {"a": REST}),
        (3, 20, {"a": 15}, 2, {}),
    ],
)
def test_hidden_groups(k, whole, groups, readers, expected):
    assert hidden_groups(whole, groups, k, readers=readers) == expected


def test_two_readers_by_default():
    assert hidden_groups(31, {"a": 6, "b": 7}, 5) == {"a": SMALL}


# -- rule 3: which figures are withheld ------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "readers", "count", "base", "hidden"),
    [
        # 2k + r - 1 = 11 members: two members set aside leave 9 others, under 2k; they
        # would learn the others' answers at 0, 1, 2 and 9, 10, 11 -- not at 3..8
        (5, 2, 0, 11, True),
        (5, 2, 2, 11, True),
        (5, 2, 3, 11, False),
        (5, 2, 8, 11, False),
        (5, 2, 9, 11, True),
        (5, 2, 11, 11, True),
        # 2k + r = 12 members: 10 others, a figure about 2k may be 0 % or 100 %
        (5, 2, 0, 12, False),
        (5, 2, 12, 12, False),
        # k + r - 1 members: no figure at all; k + r: only within r of 0 or the base
        (5, 2, 3, 6, True),
        (5, 2, 2, 7, True),
        (5, 2, 3, 7, False),
        (5, 2, 4, 7, False),
        (5, 2, 5, 7, True),
        # one reader: 2k + 1 = 11 members may be 0 %; 2k = 10 not at 1
        (5, 1, 0, 11, False),
        (5, 1, 1, 10, True),
        (5, 1, 2, 10, False),
        # k = 3: 2k + r = 8
        (3, 2, 2, 7, True),
        (3, 2, 3, 7, False),
        (3, 2, 0, 8, False),
        (3, 2, 2, 4, True),
    ],
)
def test_hidden_cells_of_one_group(k, readers, count, base, hidden):
    # a large second group keeps the rest empty and the whole far from 0 % and 100 %
    whole = Cell(count + 20, base + 40)
    groups = {"g": Cell(count, base), "big": Cell(20, 40)}
    assert ("g" in hidden_cells(whole, groups, k, readers=readers)) is hidden


@pytest.mark.parametrize(
    ("whole", "groups", "hidden"),
    [
        # the whole at 0 % or 100 %: the public deck says it of everyone
        (Cell(0, 31), {"g": Cell(0, 8)}, set()),
        (Cell(31, 31), {"g": Cell(8, 8)}, set()),
        # ... but a figure about fewer than k + r is still not printed (nothing more goes)
        (Cell(0, 31), {"g": Cell(0, 6), "h": Cell(0, 25)}, {"g"}),
        # the one answer of its kind is in g: its giver learns nothing from g's 1 of 8
        # that the whole's 1 of 31 did not say; the others of g are 1 of 7 to anyone else
        (Cell(1, 31), {"g": Cell(1, 8), "h": Cell(0, 23)}, set()),
        # both answers of their kind in g: two readers who gave them are told by the whole
        (Cell(2, 31), {"g": Cell(2, 8), "h": Cell(0, 23)}, set()),
        # three in the whole: two members of g who gave two of them would learn the third
        # is not in g (0 of 6): g is withheld, and h with it (g would be the whole less h)
        (Cell(3, 31), {"g": Cell(2, 8), "h": Cell(1, 23)}, {"g", "h"}),
        # one such answer in g, one in h: two members of g, the one who gave it among them,
        # would read 0 of 6 for the others, which the whole's 2 of 31 does not tell them
        (Cell(2, 31), {"g": Cell(1, 8), "h": Cell(1, 23)}, {"g", "h"}),
    ],
)
def test_what_the_whole_already_says_is_not_withheld(whole, groups, hidden):
    assert hidden_cells(whole, groups, 5) == hidden


@pytest.mark.parametrize(
    ("whole", "group", "hidden"),
    [
        # one group beside the whole: the rest (9) is the whole less it, 7 others besides
        # two readers, under 2k: its figure within 2 of 0 or of 9 withholds the group's
        (Cell(15, 31), Cell(10, 22), False),  # rest 5 of 9
        (Cell(13, 31), Cell(10, 22), False),  # rest 3 of 9
        (Cell(12, 31), Cell(10, 22), True),  # rest 2 of 9
        (Cell(12, 31), Cell(12, 22), True),  # rest 0 of 9
        (Cell(20, 31), Cell(12, 22), True),  # rest 8 of 9
        # rest of 11 (9 others besides two readers): 8 of 11 is 3 from its base: shown
        (Cell(20, 33), Cell(12, 22), False),
        # rest of 6 (under k + r): the group goes, whatever its share
        (Cell(15, 28), Cell(12, 22), True),
    ],
)
def test_the_rest_of_a_figure_is_held_to_the_same(whole, group, hidden):
    assert ("g" in hidden_cells(whole, {"g": group}, 5)) is hidden


def test_a_magnitude_is_held_to_the_size_rule_only():
    """A mean's figure has no 0 % or 100 %: only fewer than k + r (alone or in the rest)."""
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 7)}, 5) == set()
    # g is under k + r; then the whole minus h would be g's figure: h goes too
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 6), "h": Cell(None, 25)}, 5) == {"g", "h"}
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 25)}, 5) == {"g"}  # rest of 6
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 24)}, 5) == set()  # rest of 7


def test_decide_combines_groups_and_cells():
    whole = {"|x": Cell(20, 31), "|y": Cell(15, 31)}
    groups = {
        "oui": {"|x": Cell(12, 22), "|y": Cell(10, 22)},
        "non": {"|x": Cell(8, 9), "|y": Cell(5, 9)},
    }
    decision = decide(whole, groups, 31, {"oui": 22, "non": 9}, 5)
    assert decision.groups == {}
    # x: non is 8 of 9 (one less than its base): withheld; the whole minus oui would
    # give it, so oui's x goes too (8 could be 7: oui's 12 would be 13)
    assert decision.cells == {"non": {"|x"}, "oui": {"|x"}}


# -- rule 4: no withheld figure is worked out -------------------------------------------------


def test_a_blank_among_a_group_s_options_takes_a_rectangle_with_it():
    """G8's answer: Oui 4, Non 4, Nsp 0 of 8 (0: withheld). Oui and Non shown would give
    Nsp = 8 - 4 - 4; big's Nsp shown would give it as the whole less big. So Nsp may be
    one more only if, in one other category, g8's figure is one less and big's one more,
    and big's Nsp one less: a rectangle of blanks, Non's (4 and 11) rather than Oui's (4
    and 16), the smaller counts. With no `wholes` (several answers), the column alone."""
    whole = {"|oui": Cell(20, 40), "|non": Cell(15, 40), "|nsp": Cell(5, 40)}
    groups = {
        "g8": {"|oui": Cell(4, 8), "|non": Cell(4, 8), "|nsp": Cell(0, 8)},
        "big": {"|oui": Cell(16, 32), "|non": Cell(11, 32), "|nsp": Cell(5, 32)},
    }
    parts = [["|oui", "|non", "|nsp"]]
    alone = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5)
    together = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5, wholes=parts)
    assert alone.cells == {"g8": {"|nsp"}, "big": {"|nsp"}}
    assert together.cells == {"g8": {"|nsp", "|non"}, "big": {"|nsp", "|non"}}


def test_blanks_that_must_all_be_0_are_not_left_so():
    """Accueil / Très: 17 of 62; g5, g6 (under k + r), g8 and g9 (0 %) withheld. The
    groups shown then hold 14 between them: the blanks and the rest hold 3, none of
    them worked out."""
    whole = Cell(17, 62)
    groups = {
        "g5": Cell(0, 5), "g8": Cell(0, 8), "g9": Cell(0, 9),
        "g6": Cell(3, 6), "g7": Cell(4, 7), "g10": Cell(4, 10), "g11": Cell(6, 11),
    }  # fmt: skip
    hidden = hidden_cells(whole, groups, 5)
    assert hidden == {"g5", "g6", "g8", "g9"}
    left = whole.count - sum(groups[g].count for g in groups if g not in hidden)
    assert left == 3


def test_two_ways_a_blank_may_move_that_no_two_readers_stop_together():
    """One group beside the whole, 29 of 31 in the whole: the rest is 8 of 9 (one from
    its base, withheld), the group 21 of 22 is blanked for it. Either may be one more
    and the other one less: the member of the rest who did not answer so stops the
    rest going up, the one of the group the group going up; only both together stop
    both ways, and they hold every such answer of the whole (2 of 31): the whole tells
    them already. So the group's blank suffices."""
    decision = decide({"|x": Cell(29, 31)}, {"g": {"|x": Cell(21, 22)}}, 31, {"g": 22}, 5)
    assert decision.groups == {} and decision.cells == {"g": {"|x"}}


def test_a_figure_no_blank_keeps_from_being_worked_out_leaves_its_group_out():
    """A question asked of g's 11 and of one other respondent: the rest is that one alone,
    who reads g's figure as the whole less its own answer, blank or not. g is left out
    of that figure (PINNED), and the footnote says it without a size."""
    decision = decide({"|x": Cell(5, 12)}, {"g": {"|x": Cell(4, 11)}}, 62, {"g": 11}, 5)
    assert decision.groups == {"g": PINNED} and decision.cells == {}
    assert hidden_cells(Cell(5, 12), {"g": Cell(4, 11)}, 5) == {"g"}


def test_only_a_whole_the_rule_lets_through_exempts_and_never_a_group_under_k():
    """A 'whole' of 9 at 100 % (a segment's public group, itself blanked) says nothing
    the rule allows: its parts are judged as any figure. A whole sample at 100 % does
    say it of everyone, but a part of 1 is still a figure about fewer than k + r."""
    nine = {"g": Cell(2, 2), "h": Cell(7, 7)}
    assert hidden_cells(Cell(9, 9), nine, 5, published=False) == {"g", "h"}
    assert hidden_cells(Cell(9, 9), nine, 5) == {"g"}  # the public deck prints 9 of 9
    assert hidden_cells(Cell(31, 31), {"g": Cell(1, 1), "h": Cell(30, 30)}, 5) == {"g"}


def test_a_decision_is_the_same_each_time():
    whole = {"|oui": Cell(20, 40), "|non": Cell(15, 40), "|nsp": Cell(5, 40)}
    groups = {
        "g8": {"|oui": Cell(4, 8), "|non": Cell(4, 8), "|nsp": Cell(0, 8)},
        "big": {"|oui": Cell(16, 32), "|non": Cell(11, 32), "|nsp": Cell(5, 32)},
    }
    first = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5, wholes=[list(whole)])
    first.cells["g8"].add("|oui")  # a caller's change does not reach the next decision
    again = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5, wholes=[list(whole)])
    assert again.cells == {"g8": {"|nsp", "|non"}, "big": {"|nsp", "|non"}}


# -- applied to results -----------------------------------------------------------------------


def _breakdown() -> Result:
    def series(name, code, counts, base, total=False):
        return Series(
            name,
            tuple(c / base for c in counts),
            tuple(counts),
            code=code,
            base=base,
            bases=(base, base),
            total=total,
        )

    return Result(
        kind="distribution",
        question="q",
        question_text="Q",
        categories=("X", "Y"),
        codes=("x", "y"),
        series=(
            series("Ensemble (n = 31)", "", (20, 11), 31, total=True),
            series("Oui (n = 22)", "oui", (12, 10), 22),
            series("Non (n = 9)", "non", (8, 1), 9),
        ),
        bases=(31, 31),
        base=31,
        by="b",
        pairwise=((0, 1, 2, 0.01, 1), (1, 1, 2, 0.2, 1)),
    )


def test_a_blanked_figure_takes_its_test_and_names_the_group_without_its_size():
    result = _breakdown()
    decision = decide(
        {"|x": Cell(20, 31), "|y": Cell(11, 31)},
        {
            "oui": {"|x": Cell(12, 22), "|y": Cell(10, 22)},
            "non": {"|x": Cell(8, 9), "|y": Cell(1, 9)},
        },
        31,
        {"oui": 22, "non": 9},
        5,
    )
    out = apply_to_breakdown(result, decision, {"oui": "Oui", "non": "Non"})
    assert [s.values for s in out.series][1:] == [(None, None), (None, None)]
    assert out.series[0].values == result.series[0].values  # the whole: public
    assert out.pairwise == ()  # no test left on a blanked figure
    assert out.withheld == ("cells:Oui", "cells:Non")


def test_a_group_left_out_goes_with_its_tests():
    result = _breakdown()
    out = apply_to_breakdown(
        result,
        decide({}, {}, 31, {"oui": 22, "non": 6}, 5),
        {"oui": "Oui", "non": "Non"},
    )
    assert [s.code for s in out.series] == ["", "oui"]
    assert out.pairwise == ()
    assert out.withheld == ("group:Non",)


def test_a_segment_deck_figure_withheld_keeps_nothing_of_its_group():
    result = Result(
        kind="share",
        question="q",
        question_text="Q",
        categories=("Oui",),
        codes=("oui",),
        series=(Series("", (0.75,), (3,), bases=(4,), base=4),),
        bases=(4,),
        base=4,
    )
    decision = decide({"|oui": Cell(20, 31)}, {"s": {"|oui": Cell(3, 4)}}, 31, {"s": 4}, 5)
    out = apply_to_group(result, decision, "s", "Segment")
    assert is_withheld(out)
    assert out.base == 0 and out.bases == (0,)
    assert out.series[0].values == (None,) and out.series[0].counts == (0,)
    assert out.series[0].bases == (0,)


def test_a_likert_grid_by_segment_s_rows_are_its_cells():
    """The parts of a whole `wholes_of` gives are keys `result_cells` has, for a
    Likert grid by segment ("level|statement|group") as for a plain one."""
    from deckgen.analysis.disclosure import result_cells, wholes_of

    grid = Result(
        kind="likert",
        question="q",
        question_text="Q",
        categories=("A", "A"),
        codes=("s1|", "s1|g"),
        series=(
            Series("Oui", (0.5, 0.4), (5, 2), code="oui"),
            Series("Non", (0.5, 0.6), (5, 3), code="non"),
        ),  # fmt: skip
        bases=(10, 5),
        base=10,
        by="b",
        groups=("S1", "S1"),
    )
    keys = set(result_cells(grid))
    rows = wholes_of(grid)
    assert rows and all(set(row) <= keys for row in rows)
    assert ["oui|s1|g", "non|s1|g"] in rows


# -- the rule against an exhaustive attacker ---------------------------------------------------

CATEGORIES = ("a", "b", "c")


def _survey(seed: int, single: bool) -> list[tuple[str, tuple[str, ...]]]:
    """A small random survey: (group or "" for none, answers) per respondent; one to three
    groups of 3 to 11, each with its own leaning (rare categories, shares near 0 % and
    100 %), and none to nine respondents in no group. `single`: one answer each (else
    any of the options)."""
    rng = random.Random(seed)
    people: list[tuple[str, tuple[str, ...]]] = []
    for g in range(rng.choice([1, 2, 2, 3])):
        leaning = [rng.random() ** 3 + 0.01 for _ in CATEGORIES]
        for _ in range(rng.randint(3, 11)):
            if single:
                answer = (rng.choices(CATEGORIES, leaning)[0],)
            else:
                top = max(leaning)
                answer = tuple(c for c, w in zip(CATEGORIES, leaning) if rng.random() < w / top)
            people.append((f"g{g}", answer))
    for _ in range(rng.choice([0, 0, 1, 2, 3, 6, 9])):
        answer = (
            (rng.choice(CATEGORIES),)
            if single
            else tuple(c for c in CATEGORIES if rng.random() < 0.5)
        )
        people.append(("", answer))
    return people


def _decided(people, k: int, readers: int, single: bool):
    whole = {f"|{c}": Cell(sum(c in a for _, a in people), len(people)) for c in CATEGORIES}
    groups = {}
    for g in sorted({g for g, _ in people if g}):
        answers = [a for h, a in people if h == g]
        groups[g] = {f"|{c}": Cell(sum(c in a for a in answers), len(answers)) for c in CATEGORIES}
    bases = {g: cells["|a"].base for g, cells in groups.items()}
    wholes = [[f"|{c}" for c in CATEGORIES]] if single else []
    return decide(whole, groups, len(people), bases, k, readers=readers, wholes=wholes)


def _tables(truth, base, blank, single: bool) -> list[np.ndarray]:
    """Every table of counts (parts x categories, the rest last) that the figures shown
    allow: the shown cells as they are, each part's row adding up to its base (one answer
    each), each column to the whole's; per category when answers are several (a column
    each, the categories then independent)."""
    whole = truth.sum(axis=0)
    if not single:
        out = []
        for j in range(truth.shape[1]):
            free = [p for p in range(len(base) - 1) if blank[p, j]]
            column = []
            for values in itertools.product(*(range(base[p] + 1) for p in free)):
                col = truth[:, j].copy()
                col[free] = values
                col[-1] = whole[j] - col[:-1].sum()
                if 0 <= col[-1] <= base[-1]:
                    column.append(col)
            out.append(np.array(column))
        return out
    rows = []
    for p in range(len(base) - 1):
        free = [j for j in range(truth.shape[1]) if blank[p, j]]
        left = base[p] - truth[p, ~blank[p]].sum()
        options = []
        for values in itertools.product(range(left + 1), repeat=len(free)):
            if sum(values) == left:
                row = truth[p].copy()
                row[free] = values
                options.append(row)
        rows.append(options)
    tables = []
    for combo in itertools.product(*rows):
        groups = np.array(combo).reshape(len(base) - 1, truth.shape[1])
        rest = whole - groups.sum(axis=0)
        if (rest >= 0).all() and (rest <= base[-1]).all():
            tables.append(np.vstack([groups, rest]))
    return [np.array(tables)]


def exposed(people, decision, k: int, readers: int, single: bool) -> list[tuple]:
    """What any coalition of up to `readers` respondents works out exactly, setting its own
    answers aside, about a part (a group shown, the rest) or the whole less a group, that
    is about fewer than k, or under 2k all alike -- unless the whole, or the whole less
    the coalition, is itself all alike (the public deck says it). Brute force: every
    table the figures allow, every coalition (by kind: part and answers)."""
    shown = sorted({g for g, _ in people if g and g not in decision.groups})
    if not shown:
        return []  # the whole alone: the public deck's own figures
    parts = [*shown, ""]
    where = [parts.index(g) if g in shown else len(shown) for g, _ in people]
    truth = np.zeros((len(parts), len(CATEGORIES)), int)
    base = np.zeros(len(parts), int)
    for p, (_, answer) in zip(where, people):
        base[p] += 1
        truth[p] += [c in answer for c in CATEGORIES]
    blank = np.zeros_like(truth, bool)
    blank[-1] = True  # the rest: never printed
    for g, keys in decision.cells.items():
        for key in keys:
            blank[parts.index(g), CATEGORIES.index(key[1:])] = True
    tables = _tables(truth, base, blank, single)
    n, whole = len(people), truth.sum(axis=0)
    kinds = Counter((p, answer) for p, (_, answer) in zip(where, people))
    sets = [(parts[p] or "rest", [p]) for p in range(len(parts))]
    sets += [
        (f"whole - {parts[p]}", [q for q in range(len(parts)) if q != p]) for p in range(len(shown))
    ]
    found = []
    for size in range(1, readers + 1):
        for coalition in itertools.combinations_with_replacement(sorted(kinds), size):
            if any(kinds[kind] < times for kind, times in Counter(coalition).items()):
                continue
            members = np.zeros(len(parts), int)
            said = np.zeros_like(truth)
            for p, answer in coalition:
                members[p] += 1
                said[p] += [c in answer for c in CATEGORIES]
            for j, c in enumerate(CATEGORIES):
                told = whole[j] - said[:, j].sum(), n - members.sum()
                if whole[j] in (0, n) or told[0] in (0, told[1]):
                    continue
                t = tables[0] if single else tables[j]
                if single:
                    fits = ((t >= said) & (base[:, None] - t >= (members[:, None] - said))).all(
                        axis=(1, 2)
                    )
                    column = t[fits][:, :, j] - said[:, j]
                else:
                    fits = ((t >= said[:, j]) & (base - t >= members - said[:, j])).all(axis=1)
                    column = t[fits] - said[:, j]
                assert len(column)  # the true answers are among them
                for name, ps in sets:
                    values, others = column[:, ps].sum(axis=1), int((base - members)[ps].sum())
                    if others > 0 and values.min() == values.max():
                        count = int(values[0])
                        if others < k or (others < 2 * k and count in (0, others)):
                            found.append((name, c, count, others, coalition))
    return found


@pytest.mark.parametrize("readers", [1, 2])
@pytest.mark.parametrize("single", [True, False], ids=["one answer", "several answers"])
def test_no_coalition_works_out_a_figure_the_rule_withholds(single, readers):
    """k = 3 (groups of 5, figures about 8 with two readers): 250 surveys each, every
    coalition of up to `readers` against every table the decision's figures allow."""
    k = 3
    for seed in range(250):
        people = _survey(seed, single)
        decision = _decided(people, k, readers, single)
        found = exposed(people, decision, k, readers, single)
        assert not found, (seed, decision, found[:3])


def test_the_exhaustive_attacker_finds_what_primary_blanks_alone_leave():
    """The attacker is not blind: with only the figures withheld in themselves blanked
    (rule 3 as docs/privacy.md states it, worked out here from the counts), it works out
    some of them, or the rest's, in many of the same surveys."""
    k, readers, caught = 3, 2, 0
    for seed in range(250):
        people = _survey(seed, True)
        decision = _decided(people, k, readers, True)
        n = len(people)
        primary = {}
        for g in {g for g, _ in people if g} - set(decision.groups):
            answers = [a for h, a in people if h == g]
            for c in CATEGORIES:
                count, base = sum(c in a for a in answers), len(answers)
                w = sum(c in a for _, a in people)
                low, high = min(readers, w - 1), min(readers, n - w - 1)
                alike = count <= low or base - count <= high
                if base - readers < k or (base - readers < 2 * k and alike):
                    primary.setdefault(g, set()).add(f"|{c}")
        decision.cells = primary
        caught += bool(exposed(people, decision, k, readers, True))
    assert caught >= 50  # 74 of 250, with the rule as it stands
