"""The `table` chart kind: a crosstab as a native PowerPoint table, in the theme.

Rows are the categories (options, statements), columns the series (a
breakdown's total and segments, a Likert grid's levels), cells the
percentages; a last row gives each segment's base, or, when each row has its
own base (statements, multi-select options), a last column gives it. The font
shrinks (down to 8 pt) until the rows fit the place; a table longer than that
shows the rows that fit and one saying how many more, and the slide is warned.
"""

from __future__ import annotations

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.analysis.results import shown
from deckgen.render.colors import rgb
from deckgen.render.columns import MARGIN, column_widths
from deckgen.render.fit import cut_label
from deckgen.render.geometry import Rect, points
from deckgen.render.oxml import table_xml
from deckgen.render.plan import ChartPlan
from deckgen.render.text import needed_height
from deckgen.wording.phrases import table_rows

MIN_SIZE = 8


def table(shapes, rect: Rect, plan: ChartPlan, style):
    """The native table of `plan` in `rect`; what does not fit goes to `style.problems`."""
    words = style.words
    rows = _rows(plan, words)
    has_base_row = rows[-1][0] == words("table_base") and len(rows) > 2
    n_cols = len(rows[0])

    def heights(size: float, widths: list[int]) -> list[int]:
        return [
            max(
                points(
                    needed_height(
                        [cut_label(text)], width - 2 * MARGIN + points(14), size, 0, bold=r == 0
                    )
                )
                for text, width in zip(row, widths)
            )
            for r, row in enumerate(rows)
        ]

    size = style.theme.sizes.chart_label
    widths = column_widths(rows, rect.width, size)
    while size > MIN_SIZE and (widths is None or sum(heights(size, widths)) > rect.height):
        size -= 1
        widths = column_widths(rows, rect.width, size)
    if widths is None:  # even at the smallest size a word is wider than its column
        need = column_widths(rows, 10**12, size, spread=False) or [rect.width]
        style.problems.append(
            f"its table needs {sum(need) / 360000:.1f} cm of width for its longest words at "
            f"{MIN_SIZE} pt and has {rect.width / 360000:.1f} cm: give it more of the slide "
            "(a larger `weight:` than the charts beside it, a slide of its own, or `options:` "
            "with fewer columns)"
        )
        widths = [round(w * rect.width / sum(need)) for w in need]
        widths[-1] = rect.width - sum(widths[:-1])
    row_h = heights(size, widths)
    if sum(row_h) > rect.height:  # even at the smallest size: the rows that fit, then "… more"
        keep, used = 1, row_h[0] + row_h[-1] * has_base_row
        more_h = points(size * 1.2 + 8)
        body = rows[1 : len(rows) - has_base_row]
        while keep <= len(body) and used + row_h[keep] + more_h <= rect.height:
            used += row_h[keep]
            keep += 1
        left_out = len(body) - (keep - 1)
        more = [words("table_more", n=words.number(left_out))] + [""] * (n_cols - 1)
        tail = [rows[-1]] if has_base_row else []
        rows = [rows[0], *body[: keep - 1], more, *tail]
        row_h = [*row_h[:keep], more_h, *([row_h[-1]] if has_base_row else [])]
        style.problems.append(
            f"its table has {len(body)} rows, {left_out} more than fit even at {MIN_SIZE} pt: "
            "split it (`options:`) or give it a slide of its own"
        )
    height = min(sum(row_h), rect.height)
    top = rect.top + (rect.height - height) // 2  # a short table in the middle of its place
    frame = shapes.add_table(len(rows), n_cols, rect.left, top, sum(widths), height)
    tbl = frame.table
    _plain_style(tbl)
    for i, width in enumerate(widths):
        tbl.columns[i].width = Emu(width)
    for i, height in enumerate(row_h):
        tbl.rows[i].height = Emu(height)
    theme = style.theme
    last = len(rows) - 1
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            cell = tbl.cell(r, c)
            header = r == 0
            base = (
                has_base_row
                and r == last
                or (c == n_cols - 1 and rows[0][c] == words("table_base"))
            )
            fill = (
                theme.colors.primary
                if header
                else (theme.colors.light if r % 2 == 0 else theme.colors.background)
            )
            cell.fill.solid()
            cell.fill.fore_color.rgb = rgb(fill)
            cell.margin_left = cell.margin_right = MARGIN
            cell.margin_top = cell.margin_bottom = MARGIN // 2
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            tf = cell.text_frame
            tf.word_wrap = True
            paragraph = tf.paragraphs[0]
            paragraph.alignment = PP_ALIGN.LEFT if c == 0 else PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = cut_label(text)
            font = run.font
            font.size = Pt(size)
            font.name = theme.fonts.body
            font.bold = header
            font.italic = bool(base) and not header
            color = "FFFFFF" if header else (theme.colors.muted if base else theme.colors.text)
            if not header and c > 0 and _significant(text):  # a significant cell stands out
                font.bold = True
                up, down = theme.likert_palette(2)
                color = down if "▼" in text else up if "▲" in text else theme.colors.primary
            font.color.rgb = rgb(color)
    return frame


def _rows(plan: ChartPlan, words) -> list[list[str]]:
    """The table's cells as printed: a header row, a row per category, a base row."""
    rows = table_rows(shown(plan.result, "table"), words, getattr(plan.options, "digits", 0) or 0)
    return [[cut_label(text) for text in row] for row in rows]


def least_width(plan: ChartPlan, words, size: float) -> int:
    """The width (EMU) `plan`'s table needs at `size` pt for each column to hold its
    longest word (deckgen.render.columns.column_widths): what a row of charts gives a
    table beside them (deckgen.render.slides)."""
    return sum(column_widths(_rows(plan, words), 10**12, size, spread=False) or [0])


def _significant(text: str) -> bool:
    """A cell with a significance mark: ▲, ▼, or the letters of a pairwise test."""
    last = text.rsplit(" ", 1)[-1]
    return "▲" in text or "▼" in text or (last.isalpha() and last.isupper() and last != text)


def _plain_style(tbl) -> None:
    """No built-in banding or first-column emphasis: the theme's fills are explicit."""
    pr = table_xml(tbl).tblPr
    for flag in ("bandRow", "firstCol", "lastRow", "lastCol", "bandCol"):
        pr.set(flag, "0")
    pr.set("firstRow", "1")
    style_id = pr.find(qn("a:tableStyleId"))
    if style_id is not None:  # "No Style, No Grid": nothing from the viewer's defaults
        style_id.text = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"
