"""Colours as the renderers use them: python-pptx RGB values, and readable text on a fill.

python-pptx is imported by `rgb` only: the contrast functions serve the plan (a
callout's colour) and the chart images too, which never load python-pptx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pptx.dml.color import RGBColor


def rgb(hex_color: str) -> RGBColor:
    """'1D3557' (or '#1D3557') as python-pptx's RGBColor."""
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_color.lstrip("#"))


def luminance(hex_color: str) -> float:
    """Relative luminance (WCAG 2): 0 for black, 1 for white."""

    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    value = hex_color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable_on(fill: str, light: str = "FFFFFF", dark: str = "000000") -> str:
    """Of `light` and `dark`, the text colour with more contrast on `fill`."""
    return light if contrast(light, fill) >= contrast(dark, fill) else dark


AA = 4.5  # WCAG 2 AA contrast for text


def label_colour(fill: str, light: str = "FFFFFF", dark: str = "000000") -> str:
    """The colour of a figure printed on `fill`: of `light` and `dark`, the one with more
    contrast when it meets WCAG AA (4.5:1); else black or white, whichever meets it
    (a mid-tone fill: neither the theme's text colour nor white reads on it)."""
    best = readable_on(fill, light, dark)
    if contrast(best, fill) >= AA:
        return best
    return max(("000000", "FFFFFF"), key=lambda c: contrast(c, fill))


# marks tried after the theme's, each far from the others: violet, orange, cyan, black
MARK_FALLBACKS = ("7B2CBF", "F77F00", "00B4D8", "000000")


def distinct_colour(used: set[str], preferred: str) -> str:
    """The first of `preferred` and a few distinct others that is far (in RGB) from
    every colour of `used`: a mark that no colour around it can be mistaken for."""

    def far(colour: str) -> bool:
        a = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
        for other in used:
            b = [int(other.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
            if sum((x - y) ** 2 for x, y in zip(a, b)) < 100**2:
                return False
        return True

    return next((c for c in (preferred, *MARK_FALLBACKS) if far(c)), preferred)
