"""Choropleth of the 13 metropolitan French regions, as native freeform shapes.

A picture of a map cannot be recoloured or corrected by the person who
presents the deck; freeform shapes can. Each region is one freeform (islands
and enclaves as extra contours of the same shape) inside one group, with a
legend beside it, all inside the Rect the caller gives.

Boundaries come from data/geo/regions.geojson (IGN ADMIN EXPRESS via
france-geojson, Licence Ouverte; see data/geo/README.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from ..errors import RenderError, suggest, valid_list
from ..formatting import format_number
from .geometry import Rect, inches, points

if TYPE_CHECKING:
    from pptx.shapes.group import GroupShape
    from pptx.shapes.shapetree import _BaseGroupShapes

    from ..theme import Theme

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]  # ring 0 is the outer boundary, the others are holes

DEFAULT_REGIONS_PATH = Path(__file__).resolve().parents[2] / "data" / "geo" / "regions.geojson"

#: Equirectangular projection at France's mid-latitude: x = lon * cos(46.5°).
_X_SCALE = math.cos(math.radians(46.5))
#: Consecutive points closer than this (after scaling) are dropped: invisible, but they
#: make the file heavier and PowerPoint slower to edit.
MIN_POINT_STEP = inches(0.02)
_LINE_WIDTH_PT = 0.75
_OVERSEAS = {"01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion",
             "06": "Mayotte"}


@dataclass(frozen=True)
class Region:
    """One region: INSEE code, name and projected polygons (north up, y grows down)."""

    code: str
    name: str
    polygons: tuple[Polygon, ...]

    @property
    def outer_area(self) -> float:
        return sum(abs(_signed_area(poly[0])) for poly in self.polygons)


@dataclass(frozen=True)
class Bin:
    """A colour class of the legend: counts from `low` to `high` inclusive."""

    low: int
    high: int
    color: str

    def contains(self, count: int) -> bool:
        return self.low <= count <= self.high


# --------------------------------------------------------------------------- data


def _signed_area(ring: Ring | list[Point]) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + [ring[0]], strict=True)
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


# --------------------------------------------------------------------------- bins


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


def bin_label(b: Bin, unit: tuple[str, str] = ("répondant", "répondants")) -> str:
    """'1 répondant', '2 répondants', '3 à 4 répondants'."""
    if b.low == b.high:
        return f"{format_number(b.low)} {unit[0] if b.low <= 1 else unit[1]}"
    return f"{format_number(b.low)} à {format_number(b.high)} {unit[1]}"


def _check_counts(counts: Mapping[str, int], regions: list[Region]) -> dict[str, int]:
    known = {r.code: r.name for r in regions}
    clean: dict[str, int] = {}
    for key, value in counts.items():
        code = str(key).strip()
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        if code not in known:
            if code in _OVERSEAS:
                why = f"{_OVERSEAS[code]} is overseas and not on the metropolitan map"
            else:
                why = f"unknown INSEE region code{suggest(code, known)}"
            raise RenderError(
                f"regions map: cannot place region `{key}`: {why}; "
                f"valid codes: {valid_list(known, limit=20)}"
            )
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RenderError(f"regions map: count for region `{key}` must be a whole number >= 0, got {value!r}")
        clean[code] = clean.get(code, 0) + value
    return clean


# --------------------------------------------------------------------------- drawing helpers


def _simplify(ring: list[tuple[int, int]], step: int) -> list[tuple[int, int]]:
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


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color)


def _luminance(hex_color: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_color[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _text_width(text: str, size_pt: float) -> int:
    """Rough width of `text` in a sans font: 0.55 em per character, a little generous."""
    return points(len(text) * size_pt * 0.55)


def _centroid(ring: Ring) -> Point:
    area = _signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return (sum(xs) / len(xs), sum(ys) / len(ys))
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, list(ring[1:]) + [ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (6 * area), cy / (6 * area))


def _style_text(frame: Any, text: str, *, font: str, size: float, color: str,
                bold: bool = False, align: PP_ALIGN = PP_ALIGN.LEFT, wrap: bool = False) -> None:
    frame.word_wrap = wrap
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)


def _drop_theme_style(shape: Any) -> None:
    """Remove the shape's `p:style` (theme references) and switch effects off.

    python-pptx shapes point at the theme's effect style 2, a drop shadow in
    most Office themes; LibreOffice draws it even under an explicit empty
    `a:effectLst`. Fill and line are explicit, so the style has nothing left to give.
    """
    shape.shadow.inherit = False
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def fit_group_transform(group: GroupShape) -> Rect:
    """Set the group's off/ext and chOff/chExt to the exact box of its children.

    python-pptx leaves them at zero when freeforms are built inside a group;
    LibreOffice ignores that, but PowerPoint scales the children into a 0x0
    box and shows nothing. Returns the box.
    """
    boxes = []
    for child in group._element.iter_shape_elms():
        xfrm = child.xpath("./p:spPr/a:xfrm | ./p:grpSpPr/a:xfrm | ./p:xfrm")
        if not xfrm:
            continue
        off, ext = xfrm[0].find(qn("a:off")), xfrm[0].find(qn("a:ext"))
        if off is None or ext is None:
            continue
        x, y = int(off.get("x")), int(off.get("y"))
        boxes.append((x, y, x + int(ext.get("cx")), y + int(ext.get("cy"))))
    if not boxes:
        raise RenderError("regions map: the group has no shapes to fit")
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    xfrm = group._element.grpSpPr.get_or_add_xfrm()
    for tag, attrs in (
        ("a:off", {"x": left, "y": top}),
        ("a:ext", {"cx": right - left, "cy": bottom - top}),
        ("a:chOff", {"x": left, "y": top}),
        ("a:chExt", {"cx": right - left, "cy": bottom - top}),
    ):
        el = xfrm.find(qn(tag))
        if el is None:
            el = xfrm.makeelement(qn(tag), {})
            xfrm.append(el)
        for key, value in attrs.items():
            el.set(key, str(int(value)))
    # schema order inside a:xfrm is off, ext, chOff, chExt
    for tag in ("a:off", "a:ext", "a:chOff", "a:chExt"):
        xfrm.append(xfrm.find(qn(tag)))
    return Rect(left, top, right - left, bottom - top)


# --------------------------------------------------------------------------- the map


def default_alt_text(
    counts: Mapping[str, int],
    regions: list[Region],
    legend_title: str,
    labels: Mapping[str, str] | None = None,
) -> str:
    """'Carte des régions, <title> : Île-de-France 6, ... Non représentées : Corse, ...'.

    Region names come from `labels` (the survey's wording) when given.
    """
    names = {r.code: (labels or {}).get(r.code) or r.name for r in regions}
    present = sorted(
        ((names[c], n) for c, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0])
    )
    absent = sorted(names[c] for c in names if counts.get(c, 0) <= 0)
    title = legend_title.strip().rstrip(":").strip()
    text = f"Carte des régions, {title} : " if title else "Carte des régions : "
    text += ", ".join(f"{name} {format_number(n)}" for name, n in present) or "aucune région"
    if absent:
        text += ". Non représentées : " + ", ".join(absent)
    return text + "."


def add_region_map(
    shapes: _BaseGroupShapes,
    rect: Rect,
    counts: Mapping[str, int],
    theme: Theme,
    *,
    legend_title: str,
    labels: Mapping[str, str] | None = None,
    alt_text: str | None = None,
    unit: tuple[str, str] = ("répondant", "répondants"),
    show_counts: bool = False,
    geojson: str | Path = DEFAULT_REGIONS_PATH,
) -> GroupShape:
    """Draw the regions choropleth and its legend inside `rect`; return the group.

    `counts` maps INSEE region codes to respondents (missing or 0: not
    represented, drawn in `map_empty`). `labels` maps codes to the region
    names the survey uses (for the generated alt text; shapes keep the official
    name). `alt_text` becomes the group's description for screen readers;
    without it one is written from the counts. `unit` is the legend's noun
    (singular, plural); `show_counts` writes each represented region's count on it.
    """
    regions = load_regions(geojson)
    clean = _check_counts(counts, regions)
    colors, sizes, fonts = theme.colors, theme.sizes, theme.fonts
    bins = compute_bins(max(clean.values(), default=0), list(colors.map_scale))
    has_empty = any(clean.get(r.code, 0) == 0 for r in regions)

    # ---- legend size, so the map gets what is left
    legend_size = sizes.chart_legend
    entries = [(colors.map_empty, "Aucun " + unit[0])] if has_empty else []
    entries = [(b.color, bin_label(b, unit)) for b in bins] + entries
    square = points(legend_size * 1.1)
    square_gap = points(legend_size * 0.6)
    row = max(inches(0.3), points(legend_size * 1.9))
    text_w = max((_text_width(label, legend_size) for _, label in entries), default=0)
    legend_w = square + square_gap + text_w
    title_w = _text_width(legend_title, legend_size)
    legend_w = max(legend_w, min(title_w, inches(2.6)), inches(1.4))
    legend_w = min(legend_w, int(rect.width * 0.45))
    legend_title = legend_title.strip()
    # word wrap breaks between words, so allow some slack over the raw width ratio
    title_lines = math.ceil(title_w * 1.15 / max(legend_w, 1)) if legend_title else 0
    title_gap = points(legend_size * 0.6) if legend_title else 0
    title_h = points(legend_size * 1.25 * title_lines) + title_gap
    legend_h = title_h + row * len(entries)
    if legend_h > rect.height:  # a short area: tighten the rows rather than overflow
        row = max(points(legend_size * 1.2), (rect.height - title_h) // max(len(entries), 1))
        legend_h = title_h + row * len(entries)
        if legend_h > rect.height:
            raise RenderError(
                f"regions map: area {rect.height / 914400:.2f} in high is too short for the legend"
            )
    gap = inches(0.3)

    # ---- map scale: fit the projected bounding box, keep the aspect ratio
    pad = points(1)  # half the outline width and some: strokes stay inside rect
    xs = [x for r in regions for poly in r.polygons for ring in poly for x, _ in ring]
    ys = [y for r in regions for poly in r.polygons for ring in poly for _, y in ring]
    geo_left, geo_top = min(xs), min(ys)
    geo_w, geo_h = max(xs) - geo_left, max(ys) - geo_top
    avail_w = rect.width - legend_w - gap - 2 * pad
    avail_h = rect.height - 2 * pad
    if avail_w <= inches(0.5) or avail_h <= inches(0.5):
        raise RenderError(
            f"regions map: area {rect.width / 914400:.2f} x {rect.height / 914400:.2f} in "
            "is too small for a map and its legend"
        )
    scale = min(avail_w / geo_w, avail_h / geo_h)
    map_w, map_h = round(geo_w * scale), round(geo_h * scale)
    total_w = map_w + 2 * pad + gap + legend_w
    map_left = rect.left + pad + max(0, (rect.width - total_w) // 2)
    map_top = rect.top + pad + (avail_h - map_h) // 2

    def to_emu(point: Point) -> tuple[int, int]:
        return (
            map_left + round((point[0] - geo_left) * scale),
            map_top + round((point[1] - geo_top) * scale),
        )

    group = shapes.add_group_shape()
    group.name = "Carte des régions"
    tree = group.shapes

    # Larger regions first: enclaves and small neighbours are drawn on top.
    for region in sorted(regions, key=lambda r: -r.outer_area):
        count = clean.get(region.code, 0)
        fill = next((b.color for b in bins if b.contains(count)), colors.map_empty)
        contours: list[list[tuple[int, int]]] = []
        for polygon in region.polygons:
            for i, ring in enumerate(polygon):
                pts = _simplify([to_emu(p) for p in ring], MIN_POINT_STEP)
                if len(pts) < 3 or abs(_signed_area(pts)) < MIN_POINT_STEP**2:
                    if i == 0:
                        break  # outer ring vanished: skip the island with its holes
                    continue
                # Outer rings one way, holes the other: a hole then stays a hole
                # under both the even-odd and the non-zero fill rule.
                if (_signed_area(pts) > 0) != (i == 0):
                    pts.reverse()
                contours.append(pts)
        if not contours:
            continue
        builder = tree.build_freeform(*contours[0][0], scale=1.0)
        builder.add_line_segments(contours[0][1:], close=True)
        for contour in contours[1:]:
            builder.move_to(*contour[0])
            builder.add_line_segments(contour[1:], close=True)
        shape = builder.convert_to_shape()
        shape.name = f"Région {region.code} {region.name}"
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
        shape.line.color.rgb = _rgb(colors.map_line)
        shape.line.width = Pt(_LINE_WIDTH_PT)
        _drop_theme_style(shape)

        label = format_number(count) if show_counts and count > 0 else ""
        if label:
            largest = max(region.polygons, key=lambda poly: abs(_signed_area(poly[0])))
            cx, cy = to_emu(_centroid(largest[0]))
            size = sizes.chart_label
            w, h = _text_width(label, size) + points(4), points(size * 1.4)
            left = min(max(cx - w // 2, map_left), map_left + map_w - w)
            top = min(max(cy - h // 2, map_top), map_top + map_h - h)
            box = tree.add_textbox(Emu(left), Emu(top), Emu(w), Emu(h))
            box.name = f"Étiquette {region.code}"
            text_color = colors.on_primary if _luminance(fill) < 0.3 else colors.text
            _style_text(box.text_frame, label, font=fonts.body, size=size, color=text_color,
                        bold=True, align=PP_ALIGN.CENTER)

    # ---- legend, right of the map, centred on it vertically
    legend_left = map_left + map_w + pad + gap
    legend_top = rect.top + max(0, (rect.height - legend_h) // 2)
    if legend_title:
        title_box = tree.add_textbox(Emu(legend_left), Emu(legend_top), Emu(legend_w),
                                     Emu(title_h - title_gap))
        title_box.name = "Légende titre"
        _style_text(title_box.text_frame, legend_title, font=fonts.body, size=legend_size,
                    color=colors.text, bold=True, wrap=True)
    y = legend_top + title_h
    for color, text in entries:
        sq = tree.add_shape(MSO_SHAPE.RECTANGLE, Emu(legend_left), Emu(y + (row - square) // 2),
                            Emu(square), Emu(square))
        sq.name = f"Légende {text}"
        sq.fill.solid()
        sq.fill.fore_color.rgb = _rgb(color)
        if color == colors.map_empty:
            sq.line.color.rgb = _rgb(colors.muted)  # a pale square needs an outline
            sq.line.width = Pt(0.5)
        else:
            sq.line.fill.background()
        _drop_theme_style(sq)
        text_left = legend_left + square + square_gap
        box = tree.add_textbox(Emu(text_left), Emu(y), Emu(legend_left + legend_w - text_left),
                               Emu(row))
        box.name = f"Légende texte {text}"
        _style_text(box.text_frame, text, font=fonts.body, size=legend_size, color=colors.text)
        y += row

    fit_group_transform(group)
    descr = alt_text if alt_text else default_alt_text(clean, regions, legend_title, labels)
    group._element.nvGrpSpPr.cNvPr.set("descr", descr)
    return group
