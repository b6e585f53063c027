"""Making every text fit its place, and checking that nothing collides.

The one fitting mechanism of the renderer. A text gets the room it needs up to
a limit; past it, it is shrunk down to a minimum size; past that, cut with an
ellipsis, as a last resort, and the caller is told so (a warning naming the
slide; an error with --strict). After a slide is laid out, `audit` checks
every shape deckgen placed: inside the slide, and not over another block.

Text extents are estimates (deckgen.render.text.needed_height: the glyph
widths of Arial-like fonts, a little generous), checked against where
LibreOffice really puts the words by tests/test_fitting.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from deckgen.errors import Warnings
from deckgen.render.geometry import EMU_PER_POINT, Rect
from deckgen.render.metrics import WIDTH_MARGIN, word_width, wrapped
from deckgen.render.oxml import shape_tree
from deckgen.render.text import LINE_SPACING, needed_height, plain

ELLIPSIS = "…"


@dataclass
class Fitted:
    """A text as it will be written: its paragraphs (cut or not) and its size."""

    paragraphs: list[str]
    size: float
    shrunk: bool = False
    cut: bool = False


def fits(paragraphs: list[str], rect: Rect, size: float, bold: bool = False) -> bool:
    height = needed_height(paragraphs, rect.width, size, size * 0.3, bold=bold)
    return height <= rect.height / EMU_PER_POINT


def longer_than(text: str, width: int, size: float, lines: int) -> bool:
    """Whether `text`, wrapped at `width` (EMU) at `size`, takes more than `lines` lines."""
    return needed_height([text], width, size) > lines * size * LINE_SPACING + 8


def fit_text(
    paragraphs: list[str], rect: Rect, size: float, minimum: float, bold: bool = False
) -> Fitted:
    """The largest size from `size` down to `minimum` at which the text fits `rect`;
    at `minimum`, the text cut with an ellipsis where it must be."""
    s = size
    while s > minimum and not fits(paragraphs, rect, s, bold):
        s = max(s - 1, minimum)
    if fits(paragraphs, rect, s, bold):
        return Fitted(list(paragraphs), s, shrunk=s < size)
    return Fitted(cut_to_fit(paragraphs, rect, s, bold), s, shrunk=s < size, cut=True)


def cut_to_fit(paragraphs: list[str], rect: Rect, size: float, bold: bool = False) -> list[str]:
    """As many paragraphs as fit at `size`, the last one cut with an ellipsis (its bold
    marks dropped): the paragraphs kept are the first ones, unchanged."""
    kept: list[str] = []
    for paragraph in paragraphs:
        if fits([*kept, paragraph], rect, size, bold):
            kept.append(paragraph)
            continue
        text = plain(paragraph)
        low, high = 0, len(text)
        while low < high:  # the most characters that fit, by bisection
            mid = (low + high + 1) // 2
            if fits([*kept, _shortened(text, mid)], rect, size, bold):
                low = mid
            else:
                high = mid - 1
        if low or not kept:
            kept.append(_shortened(text, low))
        else:  # not a word of it fits: the ellipsis ends the previous paragraph
            kept[-1] = _shortened(plain(kept[-1]), max(len(plain(kept[-1])) - 2, 0))
        break
    return kept


def _shortened(text: str, keep: int) -> str:
    if keep >= len(text):
        return text
    head = text[:keep].rstrip()
    # end on a word when a word ends near: "a long sent…" rather than "a long sen…"
    space = head.rfind(" ")
    if space > keep * 0.8:
        head = head[:space].rstrip(" ,;:")
    return head + ELLIPSIS


LABEL_LIMIT = 160  # characters of an axis label or legend entry (two long lines); past it, cut


def cut_label(text: str, limit: int = LABEL_LIMIT) -> str:
    """A label of at most `limit` characters (an axis label, a legend entry)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + ELLIPSIS


# A bar chart's category labels as the PowerPoint-compatible engine lays them out
# (measured on charts 6 in wide, 1 to 6 in tall, 3 to 14 categories, Arial 12 pt;
# LibreOffice gives the labels as much room as they need, so this engine decides):
# - a label may take AXIS_SHARE of the chart's width: one of 0.465 of an 888 pt
#   chart printed whole on one line, one of 0.517 cut; 0.43 and 0.49 of a 432 pt one;
# - past it, it wraps in the lines its row holds, then is cut with "…": a row is
#   PLOT_SHARE of the chart's height less PLOT_MARGIN points, over the categories,
#   and a line LABEL_LEADING font sizes. These constants predict no more lines than
#   the engine printed in any of 27 measured charts (fewer in 3).
AXIS_SHARE = 0.44
PLOT_SHARE = 0.8
PLOT_MARGIN = 36  # points
LABEL_LEADING = 1.17
AXIS_SHRINK = 2  # points a category axis may shrink by before its labels are shortened


def category_labels(
    labels: list[str],
    chart: Rect,
    size: float,
    smallest: float = 8,
    keep: list[str] | None = None,
) -> tuple[list[str], float, int]:
    """A bar chart's category labels as both clients print them whole: (the labels,
    their size, how many were shortened).

    A label wider than AXIS_SHARE of the chart wraps at its spaces when its row holds
    the lines (a row: the plot's height over the categories); else the PowerPoint-
    compatible engine cuts it with "…" where LibreOffice prints it whole. So the size
    comes down by up to AXIS_SHRINK points (not below `smallest`) until every label
    fits its row; a label that still does not is shortened here, at a word, with an
    ellipsis: the same label in every client (the alternative text keeps it whole).
    `keep`: per label, an ending that stays whole when the label is shortened (a
    personal deck's "(votre réponse)")."""
    width = int(chart.width * AXIS_SHARE)
    row = row_height(chart, len(labels))

    def lines(at: float) -> int:
        return max(int(row // (at * LABEL_LEADING)), 1)

    sizes = [size - step for step in range(AXIS_SHRINK + 1) if size - step >= smallest] or [size]
    for at in sizes:
        if all(len(wrapped(label, width, at)) <= lines(at) for label in labels):
            return list(labels), at, 0
    at = sizes[-1]
    ends = keep or [""] * len(labels)
    out = [_within(label, end, width, at, lines(at)) for label, end in zip(labels, ends)]
    return out, at, sum(a != b for a, b in zip(out, labels))


def row_height(chart: Rect, rows: int) -> float:
    """The points a bar chart's category row has for its label (`category_labels`);
    under one line of its size, clients name only every other category."""
    return (chart.height / EMU_PER_POINT * PLOT_SHARE - PLOT_MARGIN) / max(rows, 1)


def _within(label: str, end: str, width: int, size: float, lines: int) -> str:
    """`label` as its first words that fit `lines` lines of `width` at `size`, with an
    ellipsis when words were left out, and then its `end` whole."""
    if len(wrapped(label, width, size)) <= lines:
        return label
    words = label[: len(label) - len(end)].split(" ") if end else label.split(" ")
    while len(words) > 1:
        words.pop()
        head = " ".join(words).rstrip(" ,;:(") + ELLIPSIS + end
        if len(wrapped(head, width, size)) <= lines:
            return head
    return words[0] + ELLIPSIS + end


def _legend_entries(labels: list[str], size: float) -> tuple[list[float], float, float]:
    """Each entry's text width, the key's width and the line height, in points."""
    return [word_width(label) * size * 1.05 for label in labels], size * 2, size * 1.3


RIGHT_LEGEND = 0.5  # of a chart's height, what a legend beside the plot may fill


def legend_extent(labels: list[str], chart: Rect, position: str, size: float) -> float | None:
    """The points a legend takes from the plot, as LibreOffice lays it out (its width
    beside the plot, its height under or over it); None when it does not fit.

    Under the plot, entries sit in columns as wide as the widest, in rows taking at
    most 35 % of the height; beside it, in a column at most 40 % of the width,
    long entries wrapped in it, within RIGHT_LEGEND of the height: the PowerPoint-
    compatible engine sets lines 1.2 sizes apart and entries 0.6 more, and leaves out
    the entries past about half the chart's height (a 103 pt doughnut's legend at
    10 pt printed 2 of its 5 entries, where LibreOffice printed them in two columns)."""
    if not labels:
        return 0.0
    width, height = chart.width / EMU_PER_POINT, chart.height / EMU_PER_POINT
    widths, key, line_h = _legend_entries(labels, size)
    if position == "right":
        column = min(max(widths), width * 0.4 - key)
        if column < size * 6:  # not even a short word per line
            return None
        lines = sum(max(1, -(-w // column)) for w in widths)
        needed = lines * size * 1.2 + len(widths) * size * 0.6
        return column + key if needed <= height * RIGHT_LEGEND else None
    per_row = int((width - 10) // (max(widths) + key))
    if per_row < 1:
        return None
    extent = -(-len(labels) // per_row) * line_h + 6
    return extent if extent <= height * 0.35 else None


COLUMN_GAP = 0.8  # a clustered column chart's gap between categories, in bar widths


def column_labels_fit(
    width_emu: int, categories: int, series: int, labels: list[str], size: float
) -> bool:
    """Whether every figure of a clustered column chart `width_emu` wide fits over its
    own bar: `categories` groups of `series` bars side by side, each figure centred on
    its bar, so a figure wider than its bar runs into its neighbour's ("19 %14 %").

    The plot takes about 90 % of the chart's width (LibreOffice and PowerPoint leave
    a margin); a category's slot holds its bars and a gap of COLUMN_GAP bar widths.
    `labels`: the figures as printed, measured with the font's glyph widths."""
    if not labels or categories < 1 or series < 1:
        return True
    plot = width_emu / EMU_PER_POINT * 0.9
    bar = plot / categories / (series + COLUMN_GAP)
    widest = max(word_width(label) for label in labels) * size * WIDTH_MARGIN
    return widest <= bar


ROUND_PLOT = 0.95  # a pie's or doughnut's diameter, of the room its legend leaves it
ROUND_GAP = 6.0  # points between a round chart's plot, its legend and the chart's edge

Box = tuple[float, float, float, float]  # left, top, width, height: shares of the chart


def round_layout(
    labels: list[str], chart: Rect, legend: tuple[str, float] | None, size: float
) -> tuple[Box, Box | None]:
    """Where a pie or doughnut's circle and its legend go, as shares of the chart (the
    chart's c:manualLayout). Left to their own layout, the clients differ: the
    PowerPoint-compatible engine drew the circle smaller than LibreOffice and wrapped
    the legend in a narrower column, over 4 to 6 lines. `legend`: its side and the
    points legend_extent gave it. Beside the circle, the legend keeps that column,
    as tall as its entries each given the height of the longest (its lines as
    legend_extent wraps them), a tenth to spare: the engine sets the entries of a
    legend of set size that far apart, and leaves out those past its bottom (a box
    just as tall as the lines dropped "Autre" from seed slide 27). Under it, as many
    columns as legend_extent counts. The circle is ROUND_PLOT of what is left, in
    its middle."""
    width, height = chart.width / EMU_PER_POINT, chart.height / EMU_PER_POINT
    room_w, room_h, box = width, height, None
    if legend is not None and labels:
        side, extent = legend
        widths, key, _ = _legend_entries(labels, size)
        if side == "right":
            column = extent - key
            most = max(max(1, -(-w // column)) for w in widths)
            tall = min(len(widths) * (most * 1.2 + 0.6) * size * 1.1, height - 2 * ROUND_GAP)
            left = width - extent - ROUND_GAP
            box = (left, (height - tall) / 2, extent, tall)
            room_w = left - ROUND_GAP
        else:
            across = min(len(labels), int((width - 10) // (max(widths) + key)))
            wide = min(across * (max(widths) + key) + key, width)
            box = ((width - wide) / 2, height - extent - ROUND_GAP / 2, wide, extent)
            room_h = height - extent - ROUND_GAP
    diameter = max(min(room_w, room_h) * ROUND_PLOT, 1.0)
    plot = ((room_w - diameter) / 2, (room_h - diameter) / 2, diameter, diameter)

    def shares(b: Box) -> Box:
        return (b[0] / width, b[1] / height, b[2] / width, b[3] / height)

    return shares(plot), shares(box) if box is not None else None


def slice_label_fits(diameter: float, share: float, label: str, size: float, hole: float) -> bool:
    """Whether the figure `label` fits on a slice of `share` of a pie (`hole` 0) or a
    doughnut `diameter` points across (round_layout places it): a figure needs its
    width along the slice's middle arc, and its height across the ring."""
    radius = max(diameter / 2, 1.0)
    if radius * (1 - hole) < size * 1.2:  # a ring thinner than a line of text
        return False
    middle = radius * (1 + hole) / 2 if hole else radius * 0.6
    return 2 * math.pi * middle * share >= word_width(label, True) * size * 1.1


# -- checking a laid-out slide ----------------------------------------------------------


def _block(name: str) -> str:
    """Shapes that belong together and may overlap: a callout's card, value and text;
    the remark's bar and text; a map group stands alone."""
    if name.startswith("Callout "):
        return " ".join(name.split()[:2])
    if name.startswith("Remark"):
        return "Remark"
    return name


_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# where each kind of shape keeps its position: its shape properties' a:xfrm, a
# graphic frame's own p:xfrm, a group's group-shape properties
_XFRM = {
    f"{_P}sp": f"{_P}spPr/{_A}xfrm",
    f"{_P}pic": f"{_P}spPr/{_A}xfrm",
    f"{_P}cxnSp": f"{_P}spPr/{_A}xfrm",
    f"{_P}graphicFrame": f"{_P}xfrm",
    f"{_P}grpSp": f"{_P}grpSpPr/{_A}xfrm",
}

Placed = tuple[str, Rect, bool]  # a shape's name, its rectangle, whether a placeholder


def placed_shapes(slide, layout_rect) -> list[Placed]:
    """Every shape of `slide` with its rectangle, read from the XML; a placeholder
    without a position of its own takes its layout's, from `layout_rect(idx)`. A group
    without a key (a chart with its title) is looked into, each of its shapes placed
    through the group's transform, so that what collides is named as it is drawn (the
    chart, not its group); a keyed group (the regions map) is one shape."""
    out: list[Placed] = []
    _place(shape_tree(slide.shapes), layout_rect, None, out)
    return out


def _place(tree, layout_rect, frame, out: list[Placed]) -> None:
    """`tree`'s shapes into `out`; `frame`: a group's (off, ext, chOff, chExt), the map
    from its children's coordinates onto the slide (None: the slide's own)."""
    for element in tree.iterchildren():
        path = _XFRM.get(element.tag)
        if path is None:
            continue
        c_nv_pr = next(element.iter(f"{_P}cNvPr"), None)
        name = c_nv_pr.get("name", "") if c_nv_pr is not None else ""
        ph = next(element.iter(f"{_P}ph"), None)
        xfrm = element.find(path)
        off = xfrm.find(f"{_A}off") if xfrm is not None else None
        ext = xfrm.find(f"{_A}ext") if xfrm is not None else None
        if off is not None and ext is not None:
            rect = Rect(
                int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy"))
            )
            rect = _onto(rect, frame) if frame is not None else rect
        elif ph is not None:
            rect = layout_rect(int(ph.get("idx", "0")))
            if rect is None:  # nor does the layout give it one
                continue
        else:
            continue
        inner = _children_frame(xfrm) if element.tag == f"{_P}grpSp" else None
        if inner is not None and not name.endswith("]"):
            _place(element, layout_rect, (rect, inner), out)
            continue
        out.append((name, rect, ph is not None))


def _children_frame(xfrm) -> Rect | None:
    """The rectangle a group's children's coordinates span (its chOff, chExt)."""
    if xfrm is None:
        return None
    off, ext = xfrm.find(f"{_A}chOff"), xfrm.find(f"{_A}chExt")
    if off is None or ext is None:
        return None
    return Rect(int(off.get("x")), int(off.get("y")), int(ext.get("cx")), int(ext.get("cy")))


def _onto(rect: Rect, frame: tuple[Rect, Rect]) -> Rect:
    """`rect`, in a group's children's coordinates, on the slide: `frame` is the group's
    rectangle there and the rectangle its children's coordinates span."""
    group, inner = frame
    sx, sy = group.width / max(inner.width, 1), group.height / max(inner.height, 1)
    return Rect(
        round(group.left + (rect.left - inner.left) * sx),
        round(group.top + (rect.top - inner.top) * sy),
        round(rect.width * sx),
        round(rect.height * sy),
    )


def audit(placed: list[Placed], slide_width: int, slide_height: int) -> list[str]:
    """What collides on a slide: a shape past its edges, or two blocks over each other.

    The layout's placeholders (title, section number) count against what deckgen
    placed, not against each other: how a template arranges its own placeholders
    is its designer's choice."""
    problems = []
    bounds = Rect(0, 0, slide_width, slide_height)
    for name, rect, _ in placed:
        if not bounds.contains(rect):
            problems.append(f"{name} goes past the edge of the slide")
    for i, (name_a, a, ph_a) in enumerate(placed):
        for name_b, b, ph_b in placed[i + 1 :]:
            if ph_a and ph_b or _block(name_a) == _block(name_b):
                continue
            if _overlap(a, b):
                problems.append(f"{name_a} and {name_b} overlap")
    return problems


def _overlap(a: Rect, b: Rect) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


@dataclass
class SlideFitter:
    """Fits the texts of one slide, and says which had to be cut (naming the slide)."""

    warnings: Warnings
    context: str
    # a slide whose marks are drawn last (deckgen.render.marks.Marks), else None
    marks: Any = None

    def text(
        self,
        paragraphs: list[str],
        rect: Rect,
        size: float,
        minimum: float,
        what: str,
        bold: bool = False,
        cut: bool = True,
    ) -> Fitted:
        """`cut` False: a text never cut (a figure), kept whole at `minimum`."""
        fitted = fit_text(paragraphs, rect, size, minimum, bold)
        if fitted.cut and not cut:
            self.warnings.add(
                f"{what} too big for its place, even at {minimum:g} pt: "
                "fewer elements on the slide",
                context=self.context,
            )
            return Fitted(list(paragraphs), fitted.size, shrunk=fitted.shrunk)
        if fitted.cut:
            self.warnings.add(
                f"{what} too long for its place, even at {minimum:g} pt: "
                "cut with an ellipsis; shorten it",
                context=self.context,
            )
        return fitted

    def audit(self, slide, layout_rect, width: int, height: int) -> None:
        for problem in audit(placed_shapes(slide, layout_rect), width, height):
            self.warnings.add(problem, context=self.context)
