"""Column widths of a table from its text, measured with the glyph metrics of
deckgen.render.metrics (no python-pptx here: the chart images use it too)."""

from __future__ import annotations

from deckgen.render.geometry import points
from deckgen.render.metrics import BREAKS, WIDTH_MARGIN, word_width

MARGIN = points(4)  # each cell's inner margins
ROOM = 1.5  # a column at most this many times the width its text takes on one line


def column_widths(
    rows: list[list[str]], total: int, size: float, spread: bool = True
) -> list[int] | None:
    """Column widths (EMU) adding up to `total` at most, from the cells' text at `size` pt: each
    column at least as wide as its longest word (so that no word, and no "(n = 200)"
    held by its non-breaking spaces, breaks), the value columns alike; the width left is
    given first to the row labels, to set each on one line, then to the value columns in
    proportion to what each needs to set its header on one line. A table whose text
    takes little of `total` is narrower than it: each column at most `ROOM` times its
    one-line width, so that a label is never read across an empty half slide to its
    figure.
    None when the longest words alone are wider than `total`; `spread=False` gives the
    least widths themselves."""
    n = len(rows[0])

    def extent(text: str, bold: bool, whole: bool) -> float:
        pieces = [text] if whole else BREAKS.split(text)
        return max((word_width(piece, bold) for piece in pieces), default=0.0)

    def widths(whole: bool) -> list[int]:
        ems = [max(extent(row[c], r == 0, whole) for r, row in enumerate(rows)) for c in range(n)]
        if n > 1:  # the value columns alike: a crosstab reads down equal columns
            ems[1:] = [max(ems[1:])] * (n - 1)
        return [points(e * size * WIDTH_MARGIN) + 2 * MARGIN + points(2) for e in ems]

    least, most = widths(False), widths(True)
    if not spread:
        return least
    if sum(least) > total:
        return None
    if sum(most) * ROOM <= total:  # a narrow table: as wide as it reads, not as its place
        return [int(m * ROOM) for m in most]
    if sum(most) <= total:  # everything on one line: the width left in proportion
        out = [m + (total - sum(most)) * m // sum(most) for m in most]
    else:  # the row labels on one line first, then the headers share what is left
        out = list(least)
        out[0] = min(most[0], total - sum(least[1:]))
        slack, need = total - sum(out), [m - lo for m, lo in zip(most[1:], least[1:])]
        out[1:] = [lo + slack * d // max(sum(need), 1) for lo, d in zip(least[1:], need)]
    out[-1] = total - sum(out[:-1])
    return out
