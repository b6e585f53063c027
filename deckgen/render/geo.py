"""The French regions as geometry: boundaries, projection, outlines, colour classes.

No drawing library here: the native map (deckgen.render.regionmap, python-pptx)
and the map image (deckgen.render.images, matplotlib) both read these, so `deckgen
images` never imports python-pptx. Boundaries come from the packaged
resources/geo/regions.geojson (IGN ADMIN EXPRESS via france-geojson, Licence
Ouverte; see deckgen/resources/geo/README.md). Outlines are cached per
(boundaries file, scale): a deck with many maps projects them once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckgen.errors import RenderError, suggest, valid_list
from deckgen.packaged import regions_geojson
from deckgen.render.geometry import inches

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # ring 0 is the outer boundary, the others are holes

DEFAULT_REGIONS_PATH = regions_geojson()

#: Equirectangular projection at France's mid-latitude: x = lon * cos(46.5°).
_X_SCALE = math.cos(math.radians(46.5))
#: Consecutive points closer than this (after scaling) are dropped: invisible, but they
#: make the file heavier and PowerPoint slower to edit.
MIN_POINT_STEP = inches(0.02)
OVERSEAS = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
}


@dataclass(frozen=True)
class Region:
    """One region: INSEE code, name and projected polygons (north up, y grows down)."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]

    @property
    def outer_area(self) -> float:
        return sum(abs(signed_area(poly[0])) for poly in self.polygons)


@dataclass(frozen=True)
class Bin:
    """A colour class of the legend: counts from `low` to `high` inclusive."""

    low: int
    high: int
    color: str

    def contains(self, count: int) -> bool:
        return self.low <= count <= self.high


def signed_area(ring: Sequence[Point] | Sequence[tuple[int, int]]) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + [ring[0]], strict=True)
    )


def _project(ring: list[list[float]]) -> Ring:
    points_ = [(float(lon) * _X_SCALE, -float(lat)) for lon, lat, *_ in ring]
    if len(points_) > 1 and points_[0] == points_[-1]:
        points_.pop()  # GeoJSON repeats the first point; the freeform closes itself
    return tuple(points_)


def load_regions(path: str | Path = DEFAULT_REGIONS_PATH) -> list[Region]:
    """Read and project the regions GeoJSON (Polygon and MultiPolygon features).

    Cached per path: the file is ~225 KB and a deck may draw several maps.
    """
    return list(_load_regions_cached(str(Path(path).resolve())))


@lru_cache(maxsize=8)
def _load_regions_cached(path: str) -> tuple[Region, ...]:
    try:
        raw: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RenderError(f"regions map data not found: {path}") from None
    except (OSError, ValueError) as exc:
        raise RenderError(f"cannot read regions map data {path}: {exc}") from None
    regions = []
    try:
        for feature in raw["features"]:
            geometry, props = feature["geometry"], feature["properties"]
            if geometry["type"] == "Polygon":
                parts = [geometry["coordinates"]]
            elif geometry["type"] == "MultiPolygon":
                parts = geometry["coordinates"]
            else:
                continue
            polygons = tuple(
                tuple(ring for ring in (_project(r) for r in part) if len(ring) >= 3)
                for part in parts
            )
            regions.append(
                Region(str(props["code"]), str(props["nom"]), tuple(p for p in polygons if p))
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise RenderError(f"regions map data {path} is not the expected GeoJSON: {exc!r}") from None
    if not regions:
        raise RenderError(f"regions map data {path} has no Polygon features")
    return tuple(regions)


def compute_bins(max_count: int, scale: list[str]) -> list[Bin]:
    """Colour classes for counts 1..max_count, one per scale colour at most.

    Small maxima get one class per value (1, 2, 3); larger ones double
    (1, 2, 3-4, 5-8...) and the last class ends at the real maximum, so the
    legend never promises a "5+" that nobody reached. Past what doubling can
    cover, class bounds grow geometrically. With fewer classes than colours,
    colours are spread so the maximum always gets the darkest one.
    """
    if max_count <= 0:
        return []
    if not scale:
        raise RenderError("theme colors.map_scale is empty: the map needs at least one colour")
    n = len(scale)
    if max_count <= n:
        uppers = list(range(1, max_count + 1))
    elif max_count <= 2 ** (n - 1):
        uppers = [2**i for i in range(n - 1)] + [max_count]
    else:
        uppers = []
        for i in range(1, n):
            candidate = round(max_count ** (i / n))
            low_limit = uppers[-1] + 1 if uppers else 1
            candidate = max(candidate, low_limit)
            candidate = min(candidate, max_count - (n - i))
            uppers.append(candidate)
        uppers.append(max_count)
    k = len(uppers)
    colors = [scale[-1]] if k == 1 else [scale[round(i * (n - 1) / (k - 1))] for i in range(k)]
    bins, low = [], 1
    for upper, color in zip(uppers, colors, strict=True):
        bins.append(Bin(low, upper, color))
        low = upper + 1
    return bins


def check_counts(counts: Mapping[str, int], regions: list[Region]) -> dict[str, int]:
    known = {r.code: r.name for r in regions}
    clean: dict[str, int] = {}
    for key, value in counts.items():
        code = str(key).strip()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if code not in known:
            if code in OVERSEAS:
                why = f"{OVERSEAS[code]} is overseas and not on the metropolitan map"
            else:
                why = f"unknown INSEE region code{suggest(code, known)}"
            raise RenderError(
                f"regions map: cannot place region `{key}`: {why}; "
                f"valid codes: {valid_list(known, limit=20)}"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RenderError(
                f"regions map: count for region `{key}` must be a whole number >= 0, got {value!r}"
            )
        clean[code] = clean.get(code, 0) + value
    return clean


def simplify(ring: list[tuple[int, int]], step: int) -> list[tuple[int, int]]:
    """Drop points closer than `step` EMU to the last kept one (and to the start)."""
    kept = [ring[0]]
    step2 = step * step
    for x, y in ring[1:]:
        lx, ly = kept[-1]
        if (x - lx) ** 2 + (y - ly) ** 2 >= step2:
            kept.append((x, y))
    while len(kept) > 3:
        (x, y), (fx, fy) = kept[-1], kept[0]
        if (x - fx) ** 2 + (y - fy) ** 2 >= step2:
            break
        kept.pop()
    return kept


def centroid(ring: Ring) -> Point:
    area = signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + [ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * area), cy / (6 * area))


@dataclass(frozen=True)
class Outline:
    """One region drawn at one scale, in EMU from the map's top-left corner.

    `contours` are the simplified, oriented rings the freeform is made of (none:
    the region vanishes at this scale); `corner` is the top-left corner of their
    box (the freeform's offset); `anchor` is the centroid of its largest
    polygon, where a count label goes.
    """

    region: Region
    contours: tuple[tuple[tuple[int, int], ...], ...]
    corner: tuple[int, int] | None
    anchor: tuple[int, int] | None


@lru_cache(maxsize=8)
def geo_box(path: str) -> tuple[float, float, float, float]:
    """(left, top, width, height) of all the projected boundaries of `path`."""
    regions = _load_regions_cached(path)
    xs = [x for r in regions for poly in r.polygons for ring in poly for x, _ in ring]
    ys = [y for r in regions for poly in r.polygons for ring in poly for _, y in ring]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


@lru_cache(maxsize=32)
def outlines_at(path: str, scale: float, left: int = 0, top: int = 0) -> tuple[Outline, ...]:
    """Every region of `path` at `scale`, in drawing order (larger regions first).

    Points are in EMU from (`left`, `top`), the map's top-left corner, or from
    (0, 0): a map drawn at whole (left, top) adds those integers to every point,
    which changes no distance or area, so simplification and orientation are
    those of the absolute points and one set of outlines serves every position.
    """
    geo_left, geo_top, _, _ = geo_box(path)

    def to_emu(point: Point) -> tuple[int, int]:
        return left + round((point[0] - geo_left) * scale), top + round(
            (point[1] - geo_top) * scale
        )

    outlines = []
    # Larger regions first: enclaves and small neighbours are drawn on top.
    for region in sorted(_load_regions_cached(path), key=lambda r: -r.outer_area):
        contours: list[tuple[tuple[int, int], ...]] = []
        for polygon in region.polygons:
            for i, ring in enumerate(polygon):
                pts = simplify([to_emu(p) for p in ring], MIN_POINT_STEP)
                if len(pts) < 3 or abs(signed_area(pts)) < MIN_POINT_STEP**2:
                    if i == 0:
                        break  # outer ring vanished: skip the island with its holes
                    continue
                # Outer rings one way, holes the other: a hole then stays a hole
                # under both the even-odd and the non-zero fill rule.
                if (signed_area(pts) > 0) != (i == 0):
                    pts.reverse()
                contours.append(tuple(pts))
        corner = anchor = None
        if contours:
            corner = (
                min(x for contour in contours for x, _ in contour),
                min(y for contour in contours for _, y in contour),
            )
            largest = max(region.polygons, key=lambda poly: abs(signed_area(poly[0])))
            anchor = to_emu(centroid(largest[0]))
        outlines.append(Outline(region, tuple(contours), corner, anchor))
    return tuple(outlines)
