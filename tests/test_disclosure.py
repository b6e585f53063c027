"""The disclosure rule (deckgen.analysis.disclosure, docs/privacy.md), table-driven.

Every expected decision below is worked out by hand from the rule as
docs/privacy.md states it, at the boundaries k-1, k, 2k-1 and 2k, with k = 5
(the theme's default) and again with k = 3 so that nothing depends on 5.
"""

from __future__ import annotations

import pytest

from deckgen.analysis.disclosure import (
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

# -- rules 1 and 2: which groups are shown --------------------------------------------------


@pytest.mark.parametrize(
    ("k", "whole", "groups", "reader_in", "expected"),
    [
        # size: k-1 left out, k shown (its complement 26 is large)
        (5, 31, {"a": 4}, False, {"a": SMALL}),
        (5, 31, {"a": 5}, False, {}),
        # the complement of a group beside the whole: k shown, k-1 not
        (5, 31, {"a": 26}, False, {}),
        (5, 31, {"a": 27}, False, {"a": REST}),
        # one group in 31 has no service: "Oui (n = 30)" beside the whole would tell it
        (5, 31, {"oui": 30, "non": 1}, False, {"non": SMALL, "oui": REST}),
        # every group shown and nobody else: the rest is empty, nothing to protect
        (5, 10, {"a": 5, "b": 5}, False, {}),
        # the rest left by small groups takes the smallest shown group with it, no more
        (5, 31, {"a": 10, "b": 6, "c": 12, "d": 3}, False, {"d": SMALL, "b": REST}),
        # an empty group is a figure too (in a filtered chart, a 0 % of the group)
        (5, 31, {"a": 0, "b": 31}, False, {"a": SMALL}),
        # a personal deck: k others besides the reader, in the group and in the rest
        (5, 31, {"a": 5}, True, {"a": SMALL}),
        (5, 31, {"a": 6}, True, {}),
        (5, 31, {"a": 25}, True, {}),
        (5, 31, {"a": 26}, True, {"a": REST}),
        # k = 3: the same boundaries, elsewhere
        (3, 20, {"a": 2}, False, {"a": SMALL}),
        (3, 20, {"a": 3, "b": 17}, False, {}),
        (3, 20, {"a": 18}, False, {"a": REST}),
        (3, 20, {"a": 17}, False, {}),
    ],
)
def test_hidden_groups(k, whole, groups, reader_in, expected):
    assert hidden_groups(whole, groups, k, reader_in=reader_in) == expected


# -- rule 3: which figures are blanked ------------------------------------------------------

WHOLE = Cell(15, 31)  # a whole sample's figure that is not 0 % or 100 %


@pytest.mark.parametrize(
    ("k", "count", "base", "hidden"),
    [
        # 2k = 10 members: the 9 others are under 2k; a member would learn their answers
        # at 0, 1, 9 and 10, not at 2..8
        (5, 0, 10, True),
        (5, 1, 10, True),
        (5, 2, 10, False),
        (5, 8, 10, False),
        (5, 9, 10, True),
        (5, 10, 10, True),
        # 2k + 1 members: 10 others, a figure about 2k may be 0 % or 100 %
        (5, 0, 11, False),
        (5, 11, 11, False),
        (5, 1, 11, False),
        # k - 1 members: no figure at all; k members: only the extremes hidden
        (5, 2, 4, True),
        (5, 2, 5, False),
        (5, 4, 5, True),
        # k = 3: 2k = 6
        (3, 3, 6, False),
        (3, 5, 6, True),
        (3, 0, 7, False),
        (3, 1, 2, True),
    ],
)
def test_hidden_cells_of_one_group(k, count, base, hidden):
    # a large second group keeps the rest clear of the rule (whole minus both is 0)
    whole = Cell(count + 10, base + 20)
    groups = {"g": Cell(count, base), "big": Cell(10, 20)}
    assert ("g" in hidden_cells(whole, groups, k)) is hidden


def test_a_whole_at_0_or_100_percent_hides_nothing():
    """The public deck says it of everyone: every group's figure follows from it."""
    assert hidden_cells(Cell(0, 31), {"g": Cell(0, 6)}, 5) == set()
    assert hidden_cells(Cell(31, 31), {"g": Cell(6, 6)}, 5) == set()
    # not at 0 % or 100 %: g's 0 of 6 is blanked, and h with it (the whole minus h is g)
    assert hidden_cells(Cell(1, 31), {"g": Cell(0, 6), "h": Cell(1, 25)}, 5) == {"g", "h"}
    # whole minus h: g and the rest hold 0 of 16 together, so g's blank would be 0: h goes
    assert hidden_cells(Cell(1, 31), {"g": Cell(0, 6), "h": Cell(1, 15)}, 5) == {"g", "h"}
    # with 2 of 31 in the whole, g and the rest hold 1 of 16: g is 0 or 1, never pinned
    assert hidden_cells(Cell(2, 31), {"g": Cell(0, 6), "h": Cell(1, 15)}, 5) == {"g"}


@pytest.mark.parametrize(
    ("whole", "group", "hidden"),
    [
        # rest = 8 of 9 (one less than its base, 8 others under 2k): the group goes too
        (Cell(20, 31), Cell(12, 22), True),
        # rest = 5 of 9: a share strictly between for every member: nothing hidden
        (Cell(15, 31), Cell(10, 22), False),
        # rest = 0 of 9
        (Cell(12, 31), Cell(12, 22), True),
        # rest of 4 (under k): the group goes, whatever its share
        (Cell(15, 26), Cell(12, 22), True),
        # rest of 11: 0 % of 11 tells 10 others, which is allowed
        (Cell(12, 33), Cell(12, 22), False),
    ],
)
def test_the_rest_of_a_figure_is_held_to_the_same(whole, group, hidden):
    assert ("g" in hidden_cells(whole, {"g": group}, 5)) is hidden


def test_secondary_blanking_takes_the_smallest_figure():
    # c (3 of 9) is fine alone; a is 0 of 7 (hidden); the rest is then a + nobody = 0 of
    # 7, so one more goes: the smallest shown, c (9), not b (15)
    whole = Cell(3 + 8, 7 + 9 + 15)
    groups = {"a": Cell(0, 7), "b": Cell(8, 15), "c": Cell(3, 9)}
    assert hidden_cells(whole, groups, 5) == {"a", "c"}


def test_a_magnitude_is_held_to_the_size_rule_only():
    """A mean's figure has no 0 % or 100 %: only fewer than k (alone or in the rest)."""
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 5)}, 5) == set()
    # g is under k; then the whole minus h would be g's figure: h goes too
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 4), "h": Cell(None, 27)}, 5) == {"g", "h"}
    assert hidden_cells(Cell(None, 31), {"g": Cell(None, 27)}, 5) == {"g"}


def test_a_personal_deck_counts_the_reader_out():
    """In a personal deck the size rule counts the others: k members are too few."""
    # g: 4 others; then the whole minus h would be g's figure: h goes too
    assert hidden_cells(WHOLE, {"g": Cell(2, 5), "h": Cell(13, 26)}, 5, reader_in=True) == {
        "g",
        "h",
    }
    assert hidden_cells(WHOLE, {"g": Cell(2, 6), "h": Cell(13, 25)}, 5, reader_in=True) == set()


def test_decide_combines_groups_and_cells():
    whole = {"|x": Cell(20, 31), "|y": Cell(15, 31)}
    groups = {
        "oui": {"|x": Cell(12, 22), "|y": Cell(10, 22)},
        "non": {"|x": Cell(8, 9), "|y": Cell(5, 9)},
    }
    decision = decide(whole, groups, 31, {"oui": 22, "non": 9}, 5)
    assert decision.groups == {}
    # x: non is 8 of 9 (one less than its base, 8 others): blanked; the rest is then
    # non's figure, so oui's x goes too
    assert decision.cells == {"non": {"|x"}, "oui": {"|x"}}


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
        decide({}, {}, 31, {"oui": 22, "non": 4}, 5),
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


def test_a_blank_among_a_group_s_options_takes_another_with_it():
    """G8's answer: Oui 4, Non 4, Nsp 0 of 8 (others under 2k, 0: blanked). Oui and Non
    shown would give Nsp = 8 - 4 - 4 = 0: the smaller of them is blanked too (by hand:
    Nsp then lies in 0..4). With no `wholes` (several answers) nothing more goes."""
    whole = {"|oui": Cell(20, 40), "|non": Cell(15, 40), "|nsp": Cell(5, 40)}
    groups = {
        "g8": {"|oui": Cell(4, 8), "|non": Cell(4, 8), "|nsp": Cell(0, 8)},
        "big": {"|oui": Cell(16, 32), "|non": Cell(11, 32), "|nsp": Cell(5, 32)},
    }
    parts = [["|oui", "|non", "|nsp"]]
    alone = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5)
    together = decide(whole, groups, 40, {"g8": 8, "big": 32}, 5, wholes=parts)
    # across the groups: big's Nsp goes with g8's (whole minus big would give g8's)
    assert alone.cells == {"g8": {"|nsp"}, "big": {"|nsp"}}
    # g8: Nsp alone would be 8 - 4 - 4: Oui goes (Oui and Non tie at 4: the first); big:
    # Nsp alone would be 32 - 16 - 11, so its Oui goes, already blank in g8 (a rectangle
    # of blanks: no sum of rows or columns gives one of them)
    assert together.cells == {"g8": {"|nsp", "|oui"}, "big": {"|nsp", "|oui"}}


def test_blanks_that_must_all_be_0_are_pinned():
    """Accueil / Très: 17 of 62; the groups shown hold 17 between them, so the blanks and
    the rest (5 + 8 + 9 + 6 = 28) would all be 0: the smallest figure shown goes too."""
    whole = Cell(17, 62)
    groups = {
        "g5": Cell(0, 5), "g8": Cell(0, 8), "g9": Cell(0, 9),
        "g6": Cell(3, 6), "g7": Cell(4, 7), "g10": Cell(4, 10), "g11": Cell(6, 11),
    }  # fmt: skip
    hidden = hidden_cells(whole, groups, 5)
    assert {"g5", "g8", "g9"} <= hidden and "g6" in hidden  # g6: the smallest shown
    shown = [g for g in groups if g not in hidden]
    left = whole.count - sum(groups[g].count for g in shown)
    assert left > 0  # the blanks and the rest hold some: none of them pinned at 0


def test_a_blank_is_never_worked_out_even_at_a_value_that_tells_nothing():
    """g8's 4 of 8 was blanked for its row's sake (a safe value on its own): the whole
    minus big would still give it exactly, so big's figure goes too."""
    whole, groups = Cell(20, 40), {"g8": Cell(4, 8), "big": Cell(16, 32)}
    assert hidden_cells(whole, groups, 5) == set()
    assert hidden_cells(whole, groups, 5, already={"g8"}) == {"g8", "big"}


def test_only_a_whole_the_rule_lets_through_exempts_and_never_a_group_under_k():
    """A 'whole' of 9 at 100 % (a segment's public group, itself blanked) says nothing
    the rule allows: its parts are judged as any figure. A whole sample at 100 % does
    say it of everyone, but a part of 1 is still a figure about fewer than k."""
    nine = {"g": Cell(2, 2), "h": Cell(7, 7)}
    assert hidden_cells(Cell(9, 9), nine, 5, published=False) == {"g", "h"}
    assert hidden_cells(Cell(9, 9), nine, 5) == {"g"}  # the public deck prints 9 of 9
    assert hidden_cells(Cell(31, 31), {"g": Cell(1, 1), "h": Cell(30, 30)}, 5) == {"g"}


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
