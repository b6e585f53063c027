"""Glyph widths of Arial-like fonts, to estimate where text wraps.

Widths in thousandths of an em of Helvetica and Helvetica Bold, from Adobe's
font metrics files (the AFM files matplotlib ships); Arial and Liberation Sans
(LibreOffice's stand-in for Arial) are metric-compatible with Helvetica, so a
line measured here is the line those fonts set. Accented letters take their base
letter's width; characters outside the tables count as wide as an "M" minus a
little (0.6 em), and East Asian wide characters as a full em.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from deckgen.render.geometry import EMU_PER_POINT

# characters 32 (space) to 126 (~)
# fmt: off
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    278, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
# fmt: on
# (regular, bold) of the punctuation and letters French and English text uses
_EXTRA = {
    "…": (1000, 1000),
    "’": (222, 278),
    "‘": (222, 278),
    "“": (333, 500),
    "”": (333, 500),
    "·": (278, 278),
    "«": (556, 556),
    "»": (556, 556),
    "–": (556, 556),
    "—": (1000, 1000),
    "•": (350, 350),
    "°": (400, 400),
    "œ": (944, 944),
    "Œ": (1000, 1000),
    "æ": (889, 889),
    "ß": (611, 611),
}
_SPACES = {"\u00a0": 278, "\u202f": 200, "\u2009": 200, "\u2007": 556}
_OTHER = 600


def _char_width(ch: str, bold: bool) -> int:
    table = _BOLD if bold else _REGULAR
    code = ord(ch)
    if 32 <= code < 127:
        return table[code - 32]
    if ch in _EXTRA:
        return _EXTRA[ch][bold]
    if ch in _SPACES:
        return _SPACES[ch]
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1000
    base = unicodedata.normalize("NFD", ch)[:1]
    if base and base != ch and 32 <= ord(base) < 127:
        return table[ord(base) - 32]
    return _OTHER


@lru_cache(maxsize=8192)
def word_width(word: str, bold: bool = False) -> float:
    """The width of `word` in ems."""
    return sum(_char_width(ch, bold) for ch in word) / 1000


SPACE = 0.278  # the width of a space, in ems, in both weights
# where a line may break: spaces, not the non-breaking ones ("n = 31", "97 %" stay whole)
BREAKS = re.compile(r"[ \t\n\r]+")
WIDTH_MARGIN = 1.05  # measured widths, a little generous: kerning, font substitution


def wrapped(text: str, width_emu: int, size_pt: float, bold: bool = False) -> list[str]:
    """`text` broken into lines at its spaces (never at a non-breaking one) so that each
    fits `width_emu` at `size_pt` (a word longer than that stays whole on its line)."""
    avail = width_emu / EMU_PER_POINT / (size_pt * WIDTH_MARGIN)  # in ems
    lines: list[str] = []
    for word in (w for w in BREAKS.split(text) if w):
        if lines and word_width(f"{lines[-1]} {word}", bold) <= avail:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [text]
