"""Rectangles in EMU (English Metric Units: 914 400 per inch, 12 700 per point).

Every shape deckgen adds gets an explicit position and size from a Rect, so
nothing depends on a viewer's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

EMU_PER_INCH = 914_400
EMU_PER_POINT = 12_700


@dataclass(frozen=True)
class Rect:
    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def inset(self, dx: int, dy: int | None = None) -> Rect:
        dy = dx if dy is None else dy
        return Rect(
            self.left + dx, self.top + dy, max(self.width - 2 * dx, 0), max(self.height - 2 * dy, 0)
        )

    def split_columns(self, weights: list[float], gap: int = 0) -> list[Rect]:
        """Split horizontally into columns proportional to `weights`, `gap` EMU apart."""
        usable = self.width - gap * (len(weights) - 1)
        total = sum(weights)
        out, x = [], self.left
        for i, w in enumerate(weights):
            width = round(usable * w / total) if i < len(weights) - 1 else self.right - x
            out.append(Rect(x, self.top, width, self.height))
            x += width + gap
        return out

    def split_rows(self, weights: list[float], gap: int = 0) -> list[Rect]:
        """Split vertically into rows proportional to `weights`, `gap` EMU apart."""
        usable = self.height - gap * (len(weights) - 1)
        total = sum(weights)
        out, y = [], self.top
        for i, w in enumerate(weights):
            height = round(usable * w / total) if i < len(weights) - 1 else self.bottom - y
            out.append(Rect(self.left, y, self.width, height))
            y += height + gap
        return out

    def contains(self, other: Rect) -> bool:
        return (
            other.left >= self.left
            and other.top >= self.top
            and other.right <= self.right
            and other.bottom <= self.bottom
        )


def inches(value: float) -> int:
    return round(value * EMU_PER_INCH)


def points(value: float) -> int:
    return round(value * EMU_PER_POINT)
