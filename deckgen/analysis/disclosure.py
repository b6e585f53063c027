"""The disclosure rule: what a deck may say about a group of respondents.

One rule for every deck the project sends (docs/privacy.md states it for a
data-protection officer). A *family* is the whole sample (or a chart's whole
base, which the public deck shows) and the groups of one question's answers:
the segments of a `by:` breakdown in the public deck, the decks of `build
--each`, the peer groups of `build --each-respondent --peers`. Whoever holds
every deck of a family can add and subtract its figures: what they can work out
is each shown group, and the *rest* (the whole minus every shown group: those
of the groups not shown, and those who gave no answer). Any reader may be a
member of any group, and `COALITION` readers (two) may pool their own answers
and set them aside. So, with k the theme's `privacy_threshold` and r = COALITION:

1. **Size** (primary suppression, the threshold rule): a group is shown only if
   it holds at least k + r respondents: k besides two readers who are members.
2. **Rest** (secondary, complementary suppression): the rest holds 0 or at least
   k + r respondents; while it does not, the smallest shown group is left out
   too. A group beside the whole is the case of one group: its complement must
   hold 0 or at least k + r.
3. **Shares alike** (group disclosure): a figure tells the others' answers when
   the members other than the readers all answered alike. A group's figure (the
   rest's too) with fewer than 2k + r members is withheld when its count is at most
   r from 0 or from its base; and a figure about fewer than k + r (an item asked
   of few) is withheld. What the whole already tells is not: readers who hold
   every answer of a category learn from the whole alone that no one else gave it
   (the whole at 0 % or 100 % tells it everyone).
4. **No withheld figure is worked out** (secondary suppression, audited): per
   category the parts (groups shown, the rest) add up to the whole; a single
   choice's categories (a Likert statement's levels) add up to each part's base.
   A figure rule 3 withholds -- a blank, or the rest's -- must be able to be one
   more or one less with every sum kept: along a cycle of withheld figures,
   alternately one more and one less (a rectangle of blanks, at the least).
   Readers stop a cycle by holding every answer on one side of a figure on it;
   the rule wants cycles that no r readers stop all at once (unless they hold
   every answer of a kind, which the whole tells them). Where the figures shown
   allow none, the fewest more are blanked that do (of as many, the smallest
   counts); a group whose figure nothing frees is left out of that figure.

Means and other magnitudes follow rules 1-2 and the size part of rule 3, and no
set of blanks with the rest holds a figure about fewer than k + r. The functions
here are pure (numbers in, decisions out): `tests/test_disclosure.py` checks them
at their boundaries; `tests/test_privacy_attack.py` attacks the decks without
using this module.
"""

from __future__ import annotations

import functools
import heapq
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from deckgen.analysis.results import Result, Series

COALITION = 2  # readers who may pool their own answers: each group is held to k besides them
SMALL = "small"  # the group holds fewer than k + COALITION respondents
REST = "rest"  # left out so that the rest of the family is not under k + COALITION
PINNED = (
    "pinned"  # left out of one figure: no blanking keeps a withheld figure from being worked out
)


@dataclass(frozen=True)
class Cell:
    """One figure about one group: how many respondents it counts (None for a
    magnitude such as a mean) out of how many it is about."""

    count: int | None
    base: int


@dataclass
class Decision:
    """What a family's figure (a chart, a callout) may show: the groups left out
    whole, with why (SMALL, REST or PINNED), and the cells blanked per shown group."""

    groups: dict[str, str] = field(default_factory=dict)
    cells: dict[str, set[str]] = field(default_factory=dict)


def hidden_groups(
    whole: int, groups: Mapping[str, int], k: int, *, readers: int = COALITION
) -> dict[str, str]:
    """Rules 1 and 2: the groups of a family (code -> respondents) to leave out,
    with why; `readers` who may be members and set their answers aside."""
    # an empty group too: in a chart with a filter, "n = 0" tells that none of its
    # members is in scope (a 0 % of the group)
    out = {g: SMALL for g, n in groups.items() if n - readers < k}
    shown = sorted((g for g in groups if g not in out), key=lambda g: groups[g])
    while shown:
        rest = whole - sum(groups[g] for g in shown)
        if rest <= 0 or rest - readers >= k:
            break
        out[shown.pop(0)] = REST  # the smallest: the least lost
    return out


def _reach(whole: Cell, told: bool, readers: int) -> tuple[int, int]:
    """How many of a category's answers (low), and of the other answers (high), readers
    may hold among them and still not hold every one of them. Readers who hold all of
    one side learn from the whole alone that no one else is on it: nothing the rule
    could keep from them. A whole the readers are not told: `readers` each side."""
    if not told or whole.count is None:
        return readers, readers
    return min(readers, whole.count - 1), min(readers, whole.base - whole.count - 1)


def _unsafe(
    cell: Cell, k: int, readers: int, low: int | None = None, high: int | None = None
) -> bool:
    """A figure that tells too much: about fewer than k besides the readers, or about
    fewer than 2k others who would all have answered alike once `readers` members set
    their answers aside (`low`, `high`: as `_reach`, `readers` by default)."""
    if cell.base <= 0:
        return False
    if cell.base - readers < k:
        return True
    if cell.count is None or cell.base - readers >= 2 * k:
        return False
    low = readers if low is None else low
    high = readers if high is None else high
    return cell.count <= low or cell.base - cell.count <= high


_FREE = ("free",)  # the node of figures in no row sum (several answers, unequal bases)
_REST = "\0rest"  # the rest, as a part of a family's table


@dataclass(frozen=True)
class _Figure:
    """A part's figure in one category of a family's table: an edge between the
    category's column sum and the part's row sum (or _FREE)."""

    part: str
    key: str
    count: int
    base: int
    row: tuple


def hidden_cells(
    whole: Cell,
    groups: Mapping[str, Cell],
    k: int,
    *,
    readers: int = COALITION,
    published: bool = True,
) -> set[str]:
    """Rules 3 and 4 on a family's figure of one category (the whole's and each shown
    group's): the groups whose figure is blanked, or left out of it (PINNED)."""
    cells, pinned = _settle(
        {"": whole}, {g: {"": c} for g, c in groups.items()}, k, readers, [], published
    )
    return set(cells) | set(pinned)


def decide(
    whole: Mapping[str, Cell],
    groups: Mapping[str, Mapping[str, Cell]],
    whole_base: int,
    group_bases: Mapping[str, int],
    k: int,
    *,
    readers: int = COALITION,
    wholes: Iterable[list[str]] = (),
    published: bool = True,
) -> Decision:
    """The whole rule on one figure of a family: `whole` and each group's cells
    (cell key -> Cell), the family's base and each group's. `wholes`: the cell keys
    that are parts of one whole in each group (a single choice's options, a Likert
    statement's levels): they add up to the group's base. `published`: the whole is a
    figure the public deck prints (not a group of its own breakdown, which the rule may
    have blanked there)."""
    left_out, cells = _decided(
        tuple(whole.items()),
        tuple((g, tuple(c.items())) for g, c in groups.items()),
        whole_base,
        tuple(group_bases.items()),
        k,
        readers,
        tuple(tuple(keys) for keys in wholes),
        published,
    )
    return Decision(dict(left_out), {g: set(keys) for g, keys in cells})


@functools.lru_cache(maxsize=1024)
def _decided(
    whole: tuple[tuple[str, Cell], ...],
    groups: tuple[tuple[str, tuple[tuple[str, Cell], ...]], ...],
    whole_base: int,
    group_bases: tuple[tuple[str, int], ...],
    k: int,
    readers: int,
    wholes: tuple[tuple[str, ...], ...],
    published: bool,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, frozenset[str]], ...]]:
    """`decide` on hashable figures, once per process for each family's figure (every
    personal deck of a batch decides the same peer breakdowns)."""
    left_out = hidden_groups(whole_base, dict(group_bases), k, readers=readers)
    shown = {g: dict(cells) for g, cells in groups if g not in left_out}
    cells, pinned = _settle(dict(whole), shown, k, readers, [list(w) for w in wholes], published)
    left_out.update({g: PINNED for g in pinned})
    return tuple(left_out.items()), tuple((g, frozenset(keys)) for g, keys in cells.items())


def _settle(
    whole: Mapping[str, Cell],
    shown: Mapping[str, Mapping[str, Cell]],
    k: int,
    readers: int,
    wholes: list[list[str]],
    published: bool,
) -> tuple[dict[str, set[str]], list[str]]:
    """Rules 3 and 4 on the groups shown: the cells blanked per group, and the groups
    left out because nothing frees a withheld figure of theirs (or the rest's), each
    left out in turn until none is."""
    told = {x: published or not _unsafe(w, k, readers) for x, w in whole.items()}
    reach = {x: _reach(w, told[x], readers) for x, w in whole.items()}
    # a category the whole tells of everyone (0 % or 100 %): every part's figure follows
    # from it; only figures about fewer than k + r are blanked there, and need no more
    alike = {
        x for x, w in whole.items() if told[x] and w.count is not None and w.count in (0, w.base)
    }

    def blanked(shown: Mapping[str, Mapping[str, Cell]]) -> tuple[dict[str, set[str]], str | None]:
        """The blanks, or (…, a group to leave out) when a withheld figure cannot be freed."""
        blanks: dict[str, set[str]] = {g: set() for g in shown}
        for g, cells in shown.items():
            for x, c in cells.items():
                if x in whole and _unsafe(c, k, readers, *reach[x]):  # where alike: size only
                    blanks[g].add(x)
        _mean_blanks(whole, shown, k, readers, blanks)
        figures = _table(whole, shown, wholes, alike)
        unknown = {(f.part, f.key) for f in figures if f.part == _REST or f.key in blanks[f.part]}
        with_groups = {f.key for f in figures if f.part != _REST}
        for u in figures:
            if (u.part, u.key) not in unknown or u.key in alike:
                continue
            if u.part == _REST and u.key not in with_groups:
                continue  # the rest is the whole there: the public deck's figure
            if not _unsafe(Cell(u.count, u.base), k, readers, *reach[u.key]):
                continue
            if _Protection(u, figures, unknown, readers, reach[u.key], False).way() is not None:
                continue  # the blanks and the rest already let it move
            way = _Protection(u, figures, unknown, readers, reach[u.key], True).way()
            if way is None:  # nothing frees it: its group, or the smallest beside the rest
                if u.part != _REST:
                    return blanks, u.part
                beside = [f for f in figures if f.key == u.key and f.part != _REST]
                return blanks, min(beside, key=lambda f: f.base).part
            for f in way:
                blanks[f.part].add(f.key)
                unknown.add((f.part, f.key))
        return blanks, None

    shown = dict(shown)
    pinned: list[str] = []
    while True:
        blanks, stuck = blanked(shown)
        if stuck is None:
            return {g: keys for g, keys in blanks.items() if keys}, pinned
        pinned.append(stuck)
        del shown[stuck]


def _mean_blanks(
    whole: Mapping[str, Cell],
    shown: Mapping[str, Mapping[str, Cell]],
    k: int,
    readers: int,
    blanks: dict[str, set[str]],
) -> None:
    """A magnitude's secondary blanks: the blanks and the rest of a category are one figure
    once the whole is known (their mean); while it is about fewer than k + r respondents,
    the smallest figure shown goes too."""
    for x, w in whole.items():
        if w.count is not None:
            continue
        figures = {g: cells[x] for g, cells in shown.items() if x in cells}
        left = sorted((g for g in figures if x not in blanks[g]), key=lambda g: figures[g].base)
        while left:
            hidden = w.base - sum(figures[g].base for g in left)
            if hidden <= 0 or hidden - readers >= k:
                break
            blanks[left.pop(0)].add(x)


def _table(
    whole: Mapping[str, Cell],
    shown: Mapping[str, Mapping[str, Cell]],
    wholes: list[list[str]],
    alike: set[str],
) -> list[_Figure]:
    """A family's counts as a table: every part's figure (groups shown, then the rest) of
    every category the whole does not tell of everyone, each in its column sum and in
    its part's row sum where its categories share out the part's base."""
    counted = [x for x, w in whole.items() if w.count is not None]
    parts: dict[str, dict[str, Cell]] = {
        g: {x: cells[x] for x in counted if x in cells and cells[x].count is not None}
        for g, cells in shown.items()
    }
    rest = {}
    for x in counted:
        here = [cells[x] for cells in parts.values() if x in cells]
        count = whole[x].count or 0
        rest[x] = Cell(
            count - sum(c.count or 0 for c in here), whole[x].base - sum(c.base for c in here)
        )
    parts[_REST] = rest
    rows: dict[tuple[str, str], tuple] = {}
    for p, cells in parts.items():
        for i, keys in enumerate(wholes):
            if _adds_up(cells, keys):
                rows.update({(p, x): ("row", p, i) for x in keys})
    return [
        _Figure(p, x, cells[x].count or 0, cells[x].base, rows.get((p, x), _FREE))
        for x in counted
        if x not in alike
        for p, cells in parts.items()
        if x in cells and cells[x].base > 0
    ]


def _adds_up(cells: Mapping[str, Cell], keys: list[str]) -> bool:
    """Whether a part's figures of `keys` share out its base (a row sum anyone knows)."""
    if not keys or any(x not in cells or cells[x].count is None for x in keys):
        return False
    bases = {cells[x].base for x in keys}
    return len(bases) == 1 and sum(cells[x].count or 0 for x in keys) == bases.pop() > 0


_Step = tuple[_Figure, bool]  # a figure on a cycle, and whether it is one more (else one less)
_TRIES = 64  # cycles looked for, per figure, before it is taken as one readers can pin


@dataclass(frozen=True)
class _Protection:
    """The search for a withheld figure `u`'s protection (rule 4): cycles through it, of
    figures alternately one more and one less with every sum kept, that no `readers`
    setting their answers aside stop all at once. `unknown`: the blanks and the rest's
    figures; `blanking`: figures shown may go on a cycle (to be blanked); `reach`: as
    `_reach`, for u's category."""

    u: _Figure
    figures: list[_Figure]
    unknown: set[tuple[str, str]]
    readers: int
    reach: tuple[int, int]
    blanking: bool

    def way(self) -> list[_Figure] | None:
        """The figures still shown on the cheapest such cycles (to blank), [] when the
        blanks and the rest suffice; None when nothing does."""
        best: list[_Figure] | None = None
        for stoppable_first in (False, True):
            family = self.cycles(stoppable_first)
            if family is None:
                continue
            shown = [f for way in family for f, _ in way if (f.part, f.key) not in self.unknown]
            shown = list(dict.fromkeys(shown))
            cost = (len(shown), sum(f.count for f in shown))
            if best is None or cost < (len(best), sum(f.count for f in best)):
                best = shown
        return best

    def cycles(self, stoppable_first: bool) -> list[list[_Step]] | None:
        """Cycles that no readers stop all at once, found one at a time: each new one
        avoids the steps that would stop all those found so far. None when no cycle
        avoids them: those readers pin u."""
        family: list[list[_Step]] = []
        stops: frozenset[_Step] = frozenset()
        for _ in range(_TRIES):
            ways = [way for up in (True, False) if (way := self.cycle(up, stops, stoppable_first))]
            if not ways:
                return None
            family.append(min(ways, key=lambda way: way[0])[1])
            found = self.stopping(family)
            if found is None:
                return family
            stops = found
        return None

    def limit(self, f: _Figure, up: bool) -> int:
        """The most answers of the side that would stop `f` moving which readers can hold
        and still be kept from u: in u's category, readers who hold every answer of a
        side are told u by the whole already."""
        if f.key != self.u.key:
            return self.readers
        return max(self.reach[1] if up else self.reach[0], 0)

    def cycle(
        self, up: bool, stops: frozenset[_Step], stoppable_first: bool
    ) -> tuple[tuple[int, ...], list[_Step]] | None:
        """The cheapest cycle moving u one way (`up`), none of its steps in `stops`: each
        figure one more from its category's column sum to its part's row sum, one less
        back. Its cost counts the figures to blank, those readers could stop (these first
        with `stoppable_first`) and their counts."""
        u = self.u

        def cost(f: _Figure, more: bool) -> tuple[int, int, int] | None:
            room = _room(f, more)
            if room < 1 or (f, more) in stops:
                return None
            blanks = int(f is not u and (f.part, f.key) not in self.unknown)
            stoppable = int(room <= self.limit(f, more))
            return (stoppable, blanks, f.count) if stoppable_first else (blanks, stoppable, f.count)

        first = cost(u, up)
        if first is None:
            return None
        arcs: dict[tuple, list[tuple[tuple, tuple[int, int, int], _Step]]] = defaultdict(list)
        for f in self.figures:
            if f is u or not (self.blanking or (f.part, f.key) in self.unknown):
                continue
            for more in (True, False):
                price = cost(f, more)
                if price is not None:
                    column = ("column", f.key)
                    # one more: from its column to its row; one less: back
                    src, dst = (column, f.row) if more else (f.row, column)
                    arcs[src].append((dst, price, (f, more)))
        column = ("column", u.key)
        src, dst = (u.row, column) if up else (column, u.row)  # the way back closes the cycle
        found = _cheapest(arcs, src, dst, first)
        return None if found is None else (found[0], [(u, up), *found[1]])

    def stopping(self, family: list[list[_Step]]) -> frozenset[_Step] | None:
        """Steps, one on each cycle of `family`, that at most `readers` can stop all at
        once by holding answers (and not every answer of a side of u's category)."""

        def search(i: int, chosen: frozenset[_Step]) -> frozenset[_Step] | None:
            while i < len(family) and chosen.intersection(family[i]):
                i += 1  # already stopped
            if i == len(family):
                return chosen
            for step in family[i]:
                more = chosen | {step}
                need = self.need(more)
                if need is not None and need <= self.readers:
                    found = search(i + 1, more)
                    if found is not None:
                        return found
            return None

        return search(0, frozenset())

    def need(self, steps: frozenset[_Step]) -> int | None:
        """The fewest readers who stop every step of `steps` by holding answers (to stop
        a figure moving, all the members of its part on the side it moves away from):
        members of two parts add up; in one part, the answers of one single choice each
        have their own members, while one member may answer several questions (or
        several options of one). None where the readers would hold every answer of a
        side of u's category: the whole tells them u already."""
        x = sum(f.count for f, up in steps if f.key == self.u.key and not up)
        others = sum(f.base - f.count for f, up in steps if f.key == self.u.key and up)
        if x > max(self.reach[0], 0) or others > max(self.reach[1], 0):
            return None
        rows: dict[str, dict[tuple, list[_Step]]] = defaultdict(lambda: defaultdict(list))
        for f, up in steps:
            rows[f.part][f.row if f.row != _FREE else ("option", f.key)].append((f, up))
        total = 0
        for here in rows.values():
            need = 0
            for row in here.values():
                less = {f for f, up in row if not up}
                more = {f for f, up in row if up}
                n = max(
                    sum(f.count for f in less), max((f.base - f.count for f in more), default=0)
                )
                if less & more:  # a figure stopped both ways: every member of its part
                    n = max(n, max(f.base for f in less & more))
                need = max(need, n)
            total += need
        return total


def _room(f: _Figure, up: bool) -> int:
    """How far a figure can move: the members of its part on the side it moves away from
    (those not counted, to be one more; those counted, to be one less)."""
    return f.base - f.count if up else f.count


def _cheapest(
    arcs: Mapping[tuple, list[tuple[tuple, tuple[int, int, int], _Step]]],
    source: tuple,
    target: tuple,
    start: tuple[int, ...],
) -> tuple[tuple[int, ...], list[_Step]] | None:
    """Dijkstra's cheapest path from `source` to `target`: its cost (from `start`), its
    steps."""
    order = itertools.count()
    best: dict[tuple, tuple[int, ...]] = {source: start}
    came: dict[tuple, tuple[tuple, _Step]] = {}
    heap: list[tuple[tuple[int, ...], int, tuple]] = [(start, next(order), source)]
    done: set[tuple] = set()
    while heap:
        cost, _, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node == target:
            path = []
            while node != source:
                node, step = came[node]
                path.append(step)
            return cost, path[::-1]
        for ahead, add, step in arcs.get(node, ()):
            total = tuple(a + b for a, b in zip(cost, add))
            if ahead not in done and (ahead not in best or total < best[ahead]):
                best[ahead] = total
                came[ahead] = (node, step)
                heapq.heappush(heap, (total, next(order), ahead))
    return None


# -- results: a family's figures in, what a deck may show out -------------------------------


def _magnitude(result: Result) -> bool:
    return bool(result.measure)


def result_cells(result: Result) -> dict[str, Cell]:
    """The figures of a result about one group (a chart or callout narrowed to a
    segment, or the whole), by cell key (series code, category code); not those it
    leaves empty (the public deck's breakdown, under the rule). A trend's earlier
    editions are published figures of the whole: only the current series."""
    series = result.series[-1:] if result.editions else result.series
    out: dict[str, Cell] = {}
    for s in series:
        bases = result.bases_of(s)
        for j, code in enumerate(result.codes):
            if j < len(s.values) and s.values[j] is None:
                continue
            count = None if _magnitude(result) else s.counts[j]
            base = bases[j] if j < len(bases) else result.base
            out[f"{s.code or s.name}|{code}"] = Cell(count, base)
    return out


def wholes_of(result: Result, family: bool = False) -> list[list[str]]:
    """The cell keys (as `result_cells`, or `breakdown_family` with `family`) that are
    parts of one whole: a single choice's options in each series, a Likert statement's
    levels. Shares of several answers, scores and magnitudes add up to nothing."""
    of_kind = result.declared
    if result.measure or not of_kind.parts_of_a_whole:
        return []
    if of_kind.levels and result.by and not result.groups:
        return []  # a score per statement and segment
    if of_kind.levels:  # levels are the series, statements the categories
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
    """The footnote's note for a group left out: too small, for the rest's sake, or so
    that no withheld figure is worked out."""
    return {REST: "rest", PINNED: "pinned"}.get(decision.groups[group], "group")


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
