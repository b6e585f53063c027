"""The disclosure rule: what a deck may say about a group of respondents.

One rule for every deck the project sends (docs/privacy.md states it for a
data-protection officer). A *family* is the whole sample (or a chart's whole
base, which the public deck shows) and the groups of one question's answers:
the segments of a `by:` breakdown in the public deck, the decks of `build
--each`, the peer groups of `build --each-respondent --peers`. Whoever holds
every deck of a family can add and subtract its figures: what they can work out
is each shown group, and the *rest* (the whole minus every shown group: those
of the groups not shown, and those who gave no answer). So, with k the theme's
`privacy_threshold`:

1. **Size** (primary suppression, the threshold rule): a group is shown only if
   it holds at least k respondents -- at least k *besides the reader* in a
   personal deck, whose recipient is a member.
2. **Rest** (secondary, complementary suppression): the rest holds 0 or at least
   k respondents (k besides a reader in personal decks); while it does not, the
   smallest shown group is left out too. A group beside the whole is the case of
   one group: its complement must hold 0 or at least k.
3. **0 % and 100 %** (group disclosure): a figure tells every member's answer
   when the members other than the one reading it all answered alike. Any reader
   may be a member and knows their own answer, so a group's figure is blanked
   when its other members number fewer than 2k and the count is 0, 1, one less
   than the base, or the base (the others' share would be 0 % or 100 % for some
   member). The rest is held to the same, with secondary blanking of the
   smallest shown cell until it passes. Where the whole's own figure is 0 % or
   100 %, the public deck already says it of everyone: nothing to hide.

Means and other magnitudes follow rules 1-2 and the per-cell size rule; rule 3
is about shares. The functions here are pure (numbers in, decisions out):
`tests/test_disclosure.py` checks them at k-1, k, 2k-1 and 2k;
`tests/test_privacy_attack.py` attacks the decks without using this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from deckgen.analysis.results import Result, Series

SMALL = "small"  # the group holds fewer than k respondents (besides the reader)
REST = "rest"  # left out so that the rest of the family is not under k


@dataclass(frozen=True)
class Cell:
    """One figure about one group: how many respondents it counts (None for a
    magnitude such as a mean) out of how many it is about."""

    count: int | None
    base: int


@dataclass
class Decision:
    """What a family's figure (a chart, a callout) may show: the groups left out
    whole, with why (SMALL or REST), and the cells blanked per shown group."""

    groups: dict[str, str] = field(default_factory=dict)
    cells: dict[str, set[str]] = field(default_factory=dict)

    def hides(self, group: str, cell: str | None = None) -> bool:
        if group in self.groups:
            return True
        return cell is not None and cell in self.cells.get(group, set())


def hidden_groups(
    whole: int, groups: Mapping[str, int], k: int, *, reader_in: bool = False
) -> dict[str, str]:
    """Rules 1 and 2: the groups of a family (code -> respondents) to leave out,
    with why. `reader_in`: each deck is read by a member (personal decks)."""
    margin = 1 if reader_in else 0
    # an empty group too: in a chart with a filter, "n = 0" tells that none of its
    # members is in scope (a 0 % of the group)
    out = {g: SMALL for g, n in groups.items() if n - margin < k}
    shown = sorted((g for g in groups if g not in out), key=lambda g: groups[g])
    while shown:
        rest = whole - sum(groups[g] for g in shown)
        if rest <= 0 or rest - margin >= k:
            break
        out[shown.pop(0)] = REST  # the smallest: the least lost
    return out


def _unsafe(cell: Cell, k: int, margin: int) -> bool:
    """A figure that tells too much: about fewer than k (besides the reader), or
    about fewer than 2k others who would all have answered alike for some member."""
    if cell.base <= 0:
        return False
    if cell.base - margin < k:
        return True
    if cell.count is None or cell.base - 1 >= 2 * k:
        return False
    return cell.count in (0, 1, cell.base - 1, cell.base)


def hidden_cells(
    whole: Cell,
    groups: Mapping[str, Cell],
    k: int,
    *,
    reader_in: bool = False,
    already: set[str] | frozenset[str] = frozenset(),
    published: bool = True,
) -> set[str]:
    """Rule 3 (and the size rule per figure) on one figure of a family: which shown
    groups' cells to blank (`already`: blanked for another reason). `groups` holds
    only the groups shown. The blanks and the rest add up to what the whole minus the
    figures shown leaves: while that pins one of them to a value that tells too much
    (the rest alone, or every blank at 0 %), the smallest figure shown goes too.
    `published`: the whole is a figure the public deck prints (not a group of its own
    breakdown, which the rule may have blanked there)."""
    margin = 1 if reader_in else 0
    small = {g for g, c in groups.items() if c.base > 0 and c.base - margin < k}
    extreme = whole.count is not None and whole.base > 0 and whole.count in (0, whole.base)
    if extreme and (published or not _unsafe(whole, k, margin)):
        # the whole says it of everyone (the public deck's figure, or one the rule lets
        # through): every group's follows from it; only figures about fewer than k go
        return small | (set(already) & set(groups))
    out = {g for g, c in groups.items() if g in already or _unsafe(c, k, margin)}
    shown = sorted((g for g in groups if g not in out), key=lambda g: groups[g].base)
    while shown and _pinned(whole, groups, out, shown, k, margin):
        out.add(shown.pop(0))
    return out


def _pinned(
    whole: Cell, groups: Mapping[str, Cell], hidden: set[str], shown: list[str], k: int, margin: int
) -> bool:
    """Whether the whole minus the figures shown pins the rest, or one blank, to a value
    that tells too much: each unknown part lies between max(0, left - the others'
    bases) and min(its base, left)."""
    left_base = whole.base - sum(groups[g].base for g in shown)
    rest_base = left_base - sum(groups[g].base for g in hidden)
    if whole.count is None:  # a magnitude: what is left is one figure about all of it
        nonempty = [b for b in (*(groups[g].base for g in hidden), rest_base) if b > 0]
        return _unsafe(Cell(None, left_base), k, margin) or (
            len(nonempty) == 1 and _unsafe(Cell(None, nonempty[0]), k, margin)
        )
    left = whole.count - sum(groups[g].count or 0 for g in shown)
    parts = [*((groups[g].base, True) for g in hidden), (rest_base, False)]
    for base, blank in parts:
        if base <= 0:
            continue
        low, high = max(0, left - (left_base - base)), min(base, left)
        # a blank is never worked out to one value; the rest, only to one that tells
        if low == high and (blank or _unsafe(Cell(low, base), k, margin)):
            return True
    return False


def decide(
    whole: Mapping[str, Cell],
    groups: Mapping[str, Mapping[str, Cell]],
    whole_base: int,
    group_bases: Mapping[str, int],
    k: int,
    *,
    reader_in: bool = False,
    wholes: list[list[str]] | tuple = (),
    published: bool = True,
) -> Decision:
    """The whole rule on one figure of a family: `whole` and each group's cells
    (cell key -> Cell), the family's base and each group's. `wholes`: the cell keys
    that are parts of one whole in each group (a single choice's options, a Likert
    statement's levels): they add up to the group's base, so a blank among them is
    held to the same check along the group as across the groups."""
    decision = Decision(hidden_groups(whole_base, group_bases, k, reader_in=reader_in))
    shown_groups = {g: cells for g, cells in groups.items() if g not in decision.groups}
    margin = 1 if reader_in else 0
    for _ in range(len(whole) * max(len(shown_groups), 1) + 1):  # each pass blanks one more
        changed = False
        for key, total in whole.items():
            column = {g: cells[key] for g, cells in shown_groups.items() if key in cells}
            before = {g for g in column if key in decision.cells.get(g, set())}
            blanks = hidden_cells(
                total, column, k, reader_in=reader_in, already=before, published=published
            )
            for g in blanks - before:
                decision.cells.setdefault(g, set()).add(key)
                changed = True
        for g, cells in shown_groups.items():
            for keys in wholes:
                extra = _along(cells, [x for x in keys if x in cells], decision, g, k, margin)
                if extra is not None:
                    decision.cells.setdefault(g, set()).add(extra)
                    changed = True
        if not changed:
            break
    return decision


def _along(
    cells: Mapping[str, Cell], keys: list[str], decision: Decision, g: str, k: int, margin: int
) -> str | None:
    """A group's parts of one whole: when its figures shown pin a blank among them (one
    blank alone, or blanks that must all be 0), the smallest other figure to blank: a
    blank is never worked out to one value."""
    hidden = [x for x in keys if x in decision.cells.get(g, set())]
    shown = [x for x in keys if x not in hidden]
    if not hidden or not shown or any(cells[x].count is None for x in keys):
        return None
    base = max(cells[x].base for x in keys)
    left = base - sum(cells[x].count or 0 for x in shown)
    if len(hidden) > 1 and left > 0:  # never one value for any of them
        return None
    # the figure that unpins them at least cost: one already blank in another group (the
    # blanks then form a rectangle, which no sum gives away), with a count, the smallest
    elsewhere = {x for h, blanks in decision.cells.items() if h != g for x in blanks}
    counted = [x for x in shown if (cells[x].count or 0) > 0] or shown
    return min(counted, key=lambda x: (x not in elsewhere, cells[x].count or 0, keys.index(x)))


# -- results: a family's figures in, what a deck may show out -------------------------------


def _magnitude(result: Result) -> bool:
    return bool(result.measure)


def result_cells(result: Result) -> dict[str, Cell]:
    """The figures of a result about one group (a chart or callout narrowed to a
    segment, or the whole), by cell key (series code, category code). A trend's
    earlier editions are published figures of the whole: only the current series."""
    series = result.series[-1:] if result.editions else result.series
    out: dict[str, Cell] = {}
    for s in series:
        bases = result.bases_of(s)
        for j, code in enumerate(result.codes):
            count = None if _magnitude(result) else s.counts[j]
            base = bases[j] if j < len(bases) else result.base
            out[f"{s.code or s.name}|{code}"] = Cell(count, base)
    return out


def wholes_of(result: Result, family: bool = False) -> list[list[str]]:
    """The cell keys (as `result_cells`, or `breakdown_family` with `family`) that are
    parts of one whole: a single choice's options in each series, a Likert statement's
    levels. Shares of several answers, scores and magnitudes add up to nothing."""
    if result.measure or result.kind not in ("distribution", "likert"):
        return []
    if result.kind == "likert" and result.by and not result.groups:
        return []  # a score per statement and segment
    if result.kind == "likert":  # levels are the series, statements the categories
        if family and result.groups:  # breakdown_family's keys: "level|statement"
            statements = list(dict.fromkeys(code.partition("|")[0] for code in result.codes))
            return [[f"{s.code}|{st}" for s in result.series] for st in statements]
        # result_cells' keys: "level|category" (a grid by segment: "level|statement|group")
        return [[f"{s.code or s.name}|{code}" for s in result.series] for code in result.codes]
    if family:
        return [[f"|{code}" for code in result.codes]]
    return [[f"{s.code or s.name}|{code}" for code in result.codes] for s in result.series]


def breakdown_family(
    result: Result,
) -> tuple[dict[str, Cell], dict[str, dict[str, Cell]], dict[str, int]]:
    """A breakdown with its total (`total: true`): the whole's cells, each group's
    cells, each group's base. A Likert grid by segment has a row per statement and
    group ("statement|group"), its levels as series."""
    whole: dict[str, Cell] = {}
    groups: dict[str, dict[str, Cell]] = {}
    bases: dict[str, int] = {}
    if result.groups:
        for j, code in enumerate(result.codes):
            statement, _, group = code.partition("|")
            target = whole if not group else groups.setdefault(group, {})
            for s in result.series:
                target[f"{s.code}|{statement}"] = Cell(s.counts[j], result.bases[j])
            if group:
                bases[group] = max(bases.get(group, 0), result.bases[j])
        return whole, groups, bases
    for s in result.series:
        cells = {
            f"|{code}": Cell(
                None if _magnitude(result) else s.counts[j],
                b[j] if j < len(b := result.bases_of(s)) else result.base,
            )
            for j, code in enumerate(result.codes)
        }
        if s.total:
            whole = cells
        else:
            groups[s.code] = cells
            bases[s.code] = s.base or 0
    return whole, groups, bases


def apply_to_breakdown(result: Result, decision: Decision, labels: Mapping[str, str]) -> Result:
    """`result` (a breakdown, with or without its total) with the groups the
    decision leaves out removed and its blanked cells emptied, each named in
    `withheld` ("group:<label>", "cells:<label>", by `labels`, never with its size)
    for the footnote."""
    if result.groups:
        return _apply_to_rows(result, decision, labels)
    kept: list[Series] = []
    index: dict[int, int] = {}
    notes: list[str] = []
    for i, s in enumerate(result.series):
        if not s.total and s.code in decision.groups:
            notes.append(f"{_why(decision, s.code)}:{labels.get(s.code, s.code)}")
            continue
        blank = decision.cells.get(s.code, set()) if not s.total else set()
        if any(f"|{code}" in blank for code in result.codes):
            s = _blanked(s, [f"|{code}" in blank for code in result.codes])
            notes.append(f"cells:{labels.get(s.code, s.code)}")
        index[i] = len(kept)
        kept.append(s)
    if not notes:
        return result
    blank_at = {
        (index[i], j)
        for i, s in enumerate(result.series)
        if i in index
        for j, v in enumerate(kept[index[i]].values)
        if v is None and s.values[j] is not None
    }
    pairwise = tuple(
        (j, index[a], index[b], p, sign)
        for j, a, b, p, sign in result.pairwise
        if a in index
        and b in index
        and (index[a], j) not in blank_at
        and (index[b], j) not in blank_at
    )
    return replace(
        result,
        series=tuple(kept),
        pairwise=pairwise,
        withheld=tuple(dict.fromkeys([*result.withheld, *notes])),
    )


def _why(decision: Decision, group: str) -> str:
    """The footnote's note for a group left out: too small, or for the rest's sake."""
    return "rest" if decision.groups[group] == REST else "group"


def _blanked(s: Series, blank: list[bool]) -> Series:
    """`s` with the flagged values emptied, and their tests and marks with them."""

    def cut(values: tuple, empty: object) -> tuple:
        return tuple(empty if b else v for v, b in zip(values, blank)) if values else values

    return replace(
        s,
        values=cut(s.values, None),
        counts=cut(s.counts, 0),  # nothing of it left to print: its count neither
        p=cut(s.p, None),
        higher=cut(s.higher, 0),
        marks=cut(s.marks, ""),
        tested=cut(s.tested, "empty"),  # no figure: neither tested nor named (statistics.md)
        rest=cut(s.rest, 0.0),
        adjusted=cut(s.adjusted, None),
    )


def _apply_to_rows(result: Result, decision: Decision, labels: Mapping[str, str]) -> Result:
    """The decision on a Likert grid by segment: a group's rows removed, or the
    levels of a statement blanked in a group's row."""
    keep: list[int] = []
    notes: list[str] = []
    for j, code in enumerate(result.codes):
        group = code.partition("|")[2]
        if group and group in decision.groups:
            notes.append(f"{_why(decision, group)}:{labels.get(group, group)}")
            continue
        keep.append(j)
    series = []
    for s in result.series:
        blank = []
        for j in keep:
            statement, _, group = result.codes[j].partition("|")
            hidden = bool(group) and f"{s.code}|{statement}" in decision.cells.get(group, set())
            blank.append(hidden)
            if hidden:
                notes.append(f"cells:{labels.get(group, group)}")
        picked = replace(
            s,
            values=tuple(s.values[j] for j in keep),
            counts=tuple(s.counts[j] for j in keep),
            marks=tuple(s.marks[j] for j in keep) if s.marks else (),
        )
        series.append(_blanked(picked, blank))
    if not notes:
        return result
    return replace(
        result,
        categories=tuple(result.categories[j] for j in keep),
        codes=tuple(result.codes[j] for j in keep),
        groups=tuple(result.groups[j] for j in keep),
        bases=tuple(result.bases[j] for j in keep),
        series=tuple(series),
        withheld=tuple(dict.fromkeys([*result.withheld, *notes])),
    )


def apply_to_group(result: Result, decision: Decision, group: str, name: str) -> Result:
    """A result about one group (a segment deck's chart or callout): emptied whole
    when the group is left out of this figure, else its blanked cells emptied."""
    if group in decision.groups:
        return withheld_whole(result, name)
    blank = decision.cells.get(group, set())
    if not blank:
        return result
    last = len(result.series) - 1
    series = tuple(
        _blanked(s, [f"{s.code or s.name}|{code}" in blank for code in result.codes])
        if not result.editions or i == last
        else s
        for i, s in enumerate(result.series)
    )
    return replace(result, series=series, withheld=(*result.withheld, f"cells:{name}"))


def withheld_whole(result: Result, name: str) -> Result:
    """`result` with nothing of its group left: no figure, no count, no base (the
    slide says it is withheld, and why). A trend keeps its earlier editions' figures,
    which are the whole sample's."""

    def empty(s: Series) -> Series:
        zeros = tuple(0 for _ in s.values)
        return replace(
            s, values=tuple(None for _ in s.values), counts=zeros, base=0 if s.base else s.base,
            bases=zeros if s.bases else (), effective=(), p=(), higher=(), marks=(),
            tested=(), rest=(), adjusted=(),
        )  # fmt: skip

    series = (
        (*result.series[:-1], empty(result.series[-1])) if result.editions
        else tuple(empty(s) for s in result.series)
    )  # fmt: skip
    return replace(
        result,
        series=series,
        base=0,
        bases=tuple(0 for _ in result.bases),
        item_bases=(),
        pairwise=(),
        withheld=(*result.withheld, f"all:{name}"),
    )


def is_withheld(result: Result) -> bool:
    """Whether the disclosure rule left nothing of a result (see withheld_whole)."""
    return any(note.startswith("all:") for note in result.withheld)
