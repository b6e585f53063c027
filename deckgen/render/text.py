"""Text boxes with explicit geometry, **bold** runs and a fit check.

python-pptx cannot measure text, and PowerPoint's "shrink on overflow" only
applies when PowerPoint recomputes it. So we estimate the wrapped height from
the glyph widths of Arial-like fonts (deckgen.render.metrics, a little generous)
and shrink the font ourselves until it fits (deckgen.render.fit cuts what does
not fit even at the minimum size).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from lxml.etree import SubElement
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Pt

from deckgen.render.geometry import EMU_PER_POINT, Rect
from deckgen.render.metrics import BREAKS, SPACE, WIDTH_MARGIN, word_width
from deckgen.render.oxml import escaped, run_xml, xml_of
from deckgen.render.speedups import current

LINE_SPACING = 1.2
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def runs(text: str) -> list[tuple[str, bool]]:
    """'a **b** c' -> [('a ', False), ('b', True), (' c', False)]."""
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(1), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out or [("", False)]


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text)


def needed_height(
    paragraphs: list[str], width_emu: int, size_pt: float, spacing_pt: float = 0, bold: bool = False
) -> float:
    """Estimated height in points of paragraphs wrapped at width (**bold** runs, or
    all of it with `bold`, measured in the bold face)."""
    width_pt = max(width_emu / EMU_PER_POINT - 14, 1)  # minus default insets
    avail = width_pt / (size_pt * WIDTH_MARGIN)  # in ems
    lines = 0
    for p in paragraphs:
        lines += _lines(
            [(w, b or bold) for chunk, b in runs(p) for w in BREAKS.split(chunk) if w], avail
        )
    return lines * size_pt * LINE_SPACING + spacing_pt * max(len(paragraphs) - 1, 0) + 8


def _lines(words: list[tuple[str, bool]], avail: float) -> int:
    """Lines a greedy word wrap makes of `words` in `avail` ems; a word longer than
    a line breaks over as many as it needs."""
    n, line = 1, 0.0
    for word, bold in words:
        width = word_width(word, bold)
        if width > avail:
            if line:
                n += 1
            extra = math.ceil(width / avail) - 1
            n += extra
            line = width - extra * avail
        elif line and line + SPACE + width > avail:
            n += 1
            line = width
        else:
            line += (SPACE if line else 0) + width
    return n


def fit_size(
    paragraphs: list[str], rect: Rect, size: float, minimum: float = 9
) -> tuple[float, bool]:
    """The largest size <= `size` at which the text fits; (size, fits)."""
    height_pt = rect.height / EMU_PER_POINT
    s = size
    while s > minimum and needed_height(paragraphs, rect.width, s, s * 0.3) > height_pt:
        s -= 1
    return s, needed_height(paragraphs, rect.width, s, s * 0.3) <= height_pt


_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_ANCHOR = {"top": "t", "middle": "ctr", "bottom": "b"}
_API_ALIGN = {"left": PP_ALIGN.LEFT, "center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}
_API_ANCHOR = {"top": MSO_ANCHOR.TOP, "middle": MSO_ANCHOR.MIDDLE, "bottom": MSO_ANCHOR.BOTTOM}


def add_text(
    shapes,
    rect: Rect,
    paragraphs: Sequence[str | tuple[str, dict]],
    *,
    font: str,
    size: float,
    color: str,
    bold: bool = False,
    align: str = "left",
    anchor: str = "top",
    name: str | None = None,
    bullets: bool = False,
    inset: bool = True,
    caps: bool = False,
):
    """A text box at `rect`. Each paragraph is a string or (string, overrides).
    `inset` False: no inner margins; `caps`: shown in capitals (a font setting, so
    the text itself stays as written and an editor can turn it off).

    Written with python-pptx's text API; with the speed-ups on (deckgen.render.speedups),
    the same elements (a:pPr, a:r with a:rPr sz/b, a:solidFill, a:latin) are
    written straight into the box's XML, in a tenth of the time: the API looks
    up and reorders children on each of the four font settings of each run.
    """
    box = shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
    if name:
        box.name = name
    items = [(item, {}) if isinstance(item, str) else item for item in paragraphs]
    style = {
        "font": font, "size": size, "color": color, "bold": bold, "align": align,
        "inset": inset, "caps": caps,
    }  # fmt: skip
    if current() is None:
        _api_text(box, items, anchor, bullets, style)
    else:
        _xml_text(box, items, anchor, bullets, style)
    return box


def _api_text(box, items, anchor: str, bullets: bool, style: dict) -> None:
    tf = box.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = _API_ANCHOR[anchor]
    if not style["inset"]:
        tf.margin_left = tf.margin_top = tf.margin_right = tf.margin_bottom = 0
    for i, (text, over) in enumerate(items):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        p.alignment = _API_ALIGN[over.get("align", style["align"])]
        if over.get("space_before"):
            p.space_before = Pt(over["space_before"])
        prefix = "• " if over.get("bullet", bullets) else ""
        for chunk, is_bold in runs(prefix + text):
            r = p.add_run()
            r.text = chunk
            f = r.font
            f.name = style["font"]
            f.size = Pt(over.get("size", style["size"]))
            f.bold = bool(is_bold or over.get("bold", style["bold"]))
            if style["caps"]:
                run_xml(r).get_or_add_rPr().set("cap", "all")
            f.color.rgb = RGBColor.from_string(over.get("color", style["color"]))


def _xml_text(box, items, anchor: str, bullets: bool, style: dict) -> None:
    body = xml_of(box).txBody
    body_pr = body.find(qn("a:bodyPr"))
    body_pr.set("wrap", "square")
    body_pr.set("anchor", _ANCHOR[anchor])
    if not style["inset"]:  # in the order python-pptx's margin setters write them
        for side in ("lIns", "tIns", "rIns", "bIns"):
            body_pr.set(side, "0")
    for child in list(body_pr):
        body_pr.remove(child)
    SubElement(body_pr, qn("a:noAutofit"))
    if items:  # no paragraph at all: python-pptx's empty a:p stays
        for p in body.findall(qn("a:p")):
            body.remove(p)
    for text, over in items:
        p = SubElement(body, qn("a:p"))
        p_pr = SubElement(p, qn("a:pPr"), algn=_ALIGN[over.get("align", style["align"])])
        if over.get("space_before"):
            spacing = SubElement(SubElement(p_pr, qn("a:spcBef")), qn("a:spcPts"))
            spacing.set("val", str(int(Pt(over["space_before"]).centipoints)))
        prefix = "• " if over.get("bullet", bullets) else ""
        points = str(int(Pt(over.get("size", style["size"])).centipoints))
        rgb = RGBColor.from_string(over.get("color", style["color"]))
        bold = "1" if over.get("bold", style["bold"]) else "0"
        for chunk, is_bold in runs(prefix + text):
            r = SubElement(p, qn("a:r"))
            r_pr = SubElement(r, qn("a:rPr"), sz=points, b="1" if is_bold else bold)
            if style["caps"]:
                r_pr.set("cap", "all")
            SubElement(SubElement(r_pr, qn("a:solidFill")), qn("a:srgbClr"), val=str(rgb))
            SubElement(r_pr, qn("a:latin"), typeface=style["font"])
            # control characters escaped as run.text does ("_x0007_")
            SubElement(r, qn("a:t")).text = escaped(chunk)
