"""Text boxes with explicit geometry, **bold** runs and a fit check.

python-pptx cannot measure text, and PowerPoint's "shrink on overflow" only
applies when PowerPoint recomputes it. So we estimate the wrapped height from an
average glyph width (0.52 em for Arial-like fonts, a little generous) and shrink
the font ourselves until it fits; if even the minimum size overflows, the
caller gets a warning to report.
"""

from __future__ import annotations

import math
import re

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from .geometry import EMU_PER_POINT, Rect

AVG_CHAR_EM = 0.52
LINE_SPACING = 1.2
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def runs(text: str) -> list[tuple[str, bool]]:
    """'a **b** c' -> [('a ', False), ('b', True), (' c', False)]."""
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append((text[pos:m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out or [("", False)]


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def needed_height(paragraphs: list[str], width_emu: int, size_pt: float, spacing_pt: float = 0) -> float:
    """Estimated height in points of paragraphs wrapped at width."""
    width_pt = max(width_emu / EMU_PER_POINT - 14, 1)  # minus default insets
    per_line = max(int(width_pt / (size_pt * AVG_CHAR_EM)), 1)
    lines = 0
    for p in paragraphs:
        words = plain(p).split() or [""]
        # greedy word wrap, so long words count as they really break
        line_len, n = 0, 1
        for w in words:
            add = len(w) + (1 if line_len else 0)
            if line_len + add > per_line and line_len:
                n += 1
                line_len = len(w)
            else:
                line_len += add
            n += max(0, math.ceil(len(w) / per_line) - 1)
        lines += n
    return lines * size_pt * LINE_SPACING + spacing_pt * max(len(paragraphs) - 1, 0) + 8


def fit_size(paragraphs: list[str], rect: Rect, size: float, minimum: float = 9) -> tuple[float, bool]:
    """The largest size <= `size` at which the text fits; (size, fits)."""
    height_pt = rect.height / EMU_PER_POINT
    s = size
    while s > minimum and needed_height(paragraphs, rect.width, s, s * 0.3) > height_pt:
        s -= 1
    return s, needed_height(paragraphs, rect.width, s, s * 0.3) <= height_pt


def add_text(
    shapes,
    rect: Rect,
    paragraphs: list[str | tuple[str, dict]],
    *,
    font: str,
    size: float,
    color: str,
    bold: bool = False,
    align: str = "left",
    anchor: str = "top",
    name: str | None = None,
    bullets: bool = False,
):
    """A text box at `rect`. Each paragraph is a string or (string, overrides)."""
    box = shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
    if name:
        box.name = name
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}[anchor]
    for i, item in enumerate(paragraphs):
        text, over = (item, {}) if isinstance(item, str) else item
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}[over.get("align", align)]
        if over.get("space_before"):
            p.space_before = Pt(over["space_before"])
        prefix = "• " if over.get("bullet", bullets) else ""
        for j, (chunk, is_bold) in enumerate(runs(prefix + text)):
            r = p.add_run()
            r.text = chunk
            f = r.font
            f.name = font
            f.size = Pt(over.get("size", size))
            f.bold = bool(is_bold or over.get("bold", bold))
            f.color.rgb = RGBColor.from_string(over.get("color", color))
            del j
    return box
