"""Choropleth of the 13 metropolitan French regions, as native freeform shapes.

A picture of a map cannot be recoloured or corrected by the person who
presents the deck; freeform shapes can. Each region is one freeform (islands
and enclaves as extra contours of the same shape) inside one group, with a
legend beside it, all inside the Rect the caller gives.

The geometry (boundaries, projection, simplified outlines, colour classes) is
deckgen.render.geo's, shared with the map image. With the speed-ups on
(deckgen.render.speedups), the shapes of a map are cloned from those python-pptx
wrote for an earlier map of the build, with only their id, name, position,
size and colours changed: the bytes python-pptx writes for the same calls.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.errors import RenderError
from deckgen.locales import Words
from deckgen.locales import words as _words
from deckgen.render import speedups
from deckgen.render.colors import readable_on, rgb
from deckgen.render.geo import (
    DEFAULT_REGIONS_PATH,
    Outline,
    Region,
    check_counts,
    compute_bins,
    geo_box,
    load_regions,
    outlines_at,
)
from deckgen.render.geometry import Rect, inches, points
from deckgen.render.oxml import xml_of
from deckgen.wording.phrases import bin_label

if TYPE_CHECKING:
    from pptx.shapes.group import GroupShape
    from pptx.shapes.shapetree import _BaseGroupShapes

    from deckgen.inputs.theme import Theme
    from deckgen.render.charts import ChartStyle
    from deckgen.render.plan import ChartPlan

# --------------------------------------------------------------------------- drawing helpers


def _text_width(text: str, size_pt: float) -> int:
    """Rough width of `text` in a sans font: 0.55 em per character, a little generous."""
    return points(len(text) * size_pt * 0.55)


def _style_text(
    frame: Any,
    text: str,
    *,
    font: str,
    size: float,
    color: str,
    bold: bool = False,
    align: PP_ALIGN = PP_ALIGN.LEFT,
    wrap: bool = False,
) -> None:
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
    run.font.color.rgb = rgb(color)


def _drop_theme_style(shape: Any) -> None:
    """Remove the shape's `p:style` (theme references) and switch effects off.

    python-pptx shapes point at the theme's effect style 2, a drop shadow in
    most Office themes; LibreOffice draws it even under an explicit empty
    `a:effectLst`. Fill and line are explicit, so the style has nothing left to give.
    """
    shape.shadow.inherit = False
    style = xml_of(shape).find(qn("p:style"))
    if style is not None:
        xml_of(shape).remove(style)


_LINE_WIDTH_PT = 0.75
_XFRM_HOLDERS = (qn("p:spPr"), qn("p:grpSpPr"))
_P_XFRM = qn("p:xfrm")


def _child_xfrm(child: Any) -> Any:
    """The first of `./p:spPr/a:xfrm | ./p:grpSpPr/a:xfrm | ./p:xfrm` in document order, or None."""
    for element in child:
        if element.tag == _P_XFRM:
            return element
        if element.tag in _XFRM_HOLDERS:
            xfrm = element.find(qn("a:xfrm"))
            if xfrm is not None:
                return xfrm
    return None


def fit_group_transform(group: GroupShape) -> Rect:
    """Set the group's off/ext and chOff/chExt to the exact box of its children.

    python-pptx leaves them at zero when freeforms are built inside a group;
    LibreOffice ignores that, but PowerPoint scales the children into a 0x0
    box and shows nothing. Returns the box.
    """
    boxes = []
    for child in xml_of(group).iter_shape_elms():
        xfrm = _child_xfrm(child)
        if xfrm is None:
            continue
        off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
        if off is None or ext is None:
            continue
        x, y = int(off.get("x")), int(off.get("y"))
        boxes.append((x, y, x + int(ext.get("cx")), y + int(ext.get("cy"))))
    if not boxes:
        raise RenderError("regions map: the group has no shapes to fit")
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    xfrm = xml_of(group).grpSpPr.get_or_add_xfrm()
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


# --------------------------------------------------------------------------- caches


_A_SOLIDFILL, _A_LN, _A_SRGBCLR = qn("a:solidFill"), qn("a:ln"), qn("a:srgbClr")


def _room(rect: Rect) -> str:
    """'3.20 x 1.10 in', or 'no room' when the space left is empty."""
    if rect.width <= 0 or rect.height <= 0:
        return "no room"
    return f"{rect.width / 914400:.2f} x {rect.height / 914400:.2f} in"


def _fill_colours(sp: Any) -> tuple[Any, Any] | None:
    """The `a:srgbClr` of a freeform's fill and of its outline, or None."""
    sppr = sp.find(qn("p:spPr"))
    fill, line = sppr.find(_A_SOLIDFILL), sppr.find(_A_LN)
    line_fill = line.find(_A_SOLIDFILL) if line is not None else None
    if fill is None or line_fill is None or len(fill) != 1 or len(line_fill) != 1:
        return None
    if fill[0].tag != _A_SRGBCLR or line_fill[0].tag != _A_SRGBCLR:
        return None
    return fill[0], line_fill[0]


def _is_emu(*values: Any) -> bool:
    return all(type(v) is int for v in values)


class _Drawing:
    """The group a map is drawn in, and, with the speed-ups on, its shape ids:
    shapes python-pptx wrote once are cloned for the next ones (deckgen.render.speedups)."""

    def __init__(self, group: GroupShape, w: Words) -> None:
        self.tree = group.shapes
        self.words = w
        self.session = speedups.current()
        self.ids = speedups.ShapeIds(xml_of(group)) if self.session is not None else None

    def prototype(self, store: str, key: Any, *emu: Any) -> Any:
        if self.session is None or not _is_emu(*emu):
            return None
        return self.session.prototype(store, key)

    def added(self, store: str, key: Any, shape: Any) -> None:
        if self.session is not None and self.ids is not None:
            self.ids.add(shape.shape_id)
            if key is not None:
                speedups.remember_shape(self.session, store, key, xml_of(shape))


def _add_text(
    drawing: _Drawing,
    left: int,
    top: int,
    width: int,
    height: int,
    name: str,
    text: str,
    **style: Any,
) -> None:
    """`tree.add_textbox` + name + `_style_text`, or the clone of one such text box."""
    key = ("text", text, *sorted(style.items()))
    prototype = drawing.prototype("map shapes", key, left, top, width, height)
    if prototype is not None:
        shape_id = drawing.ids.after_largest()  # type: ignore[union-attr]
        speedups.clone_shape(drawing.tree, prototype, shape_id, name, left, top, width, height)
        return
    box = drawing.tree.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    box.name = name
    _style_text(box.text_frame, text, **style)
    drawing.added("map shapes", key, box)


def _add_square(
    drawing: _Drawing,
    left: int,
    top: int,
    size: int,
    name: str,
    color: str,
    outline: str | None,
) -> None:
    """A legend square: filled, outlined in `outline` (0.5 pt) or not outlined."""
    key = ("square", color, outline)
    prototype = drawing.prototype("map shapes", key, left, top, size)
    if prototype is not None:
        shape_id = drawing.ids.after_largest()  # type: ignore[union-attr]
        speedups.clone_shape(drawing.tree, prototype, shape_id, name, left, top, size, size)
        return
    sq = drawing.tree.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(size), Emu(size))
    sq.name = name
    sq.fill.solid()
    sq.fill.fore_color.rgb = rgb(color)
    if outline is not None:
        sq.line.color.rgb = rgb(outline)  # a pale square needs an outline
        sq.line.width = Pt(0.5)
    else:
        sq.line.fill.background()
    _drop_theme_style(sq)
    drawing.added("map shapes", key, sq)


def _add_region(
    drawing: _Drawing,
    outline: Outline,
    key: tuple[str, float] | None,
    left: int,
    top: int,
    fill: str,
    line: str,
) -> None:
    """The freeform of one region, built by python-pptx or cloned from the last one built.

    The outline's points are from (`left`, `top`); `key` (boundaries file, scale)
    names its prototype, None: none (build it, keep nothing).
    """
    name = drawing.words("shape_region", code=outline.region.code, name=outline.region.name)
    shape_key = (*key, outline.region.code) if key is not None else None
    prototype = drawing.prototype("map regions", shape_key, left, top) if key else None
    if prototype is not None:
        x0, y0 = outline.corner  # type: ignore[misc]  # set whenever there are contours
        shape_id = drawing.ids.smallest_free()  # type: ignore[union-attr]
        sp = speedups.clone_shape(drawing.tree, prototype, shape_id, name, left + x0, top + y0)
        fill_clr, line_clr = _fill_colours(sp)  # type: ignore[misc]  # checked when remembered
        fill_clr.set("val", str(rgb(fill)))
        line_clr.set("val", str(rgb(line)))
        return
    contours = [[(left + x, top + y) for x, y in contour] for contour in outline.contours]
    builder = speedups.build_freeform(drawing.tree, *contours[0][0])
    builder.add_line_segments(contours[0][1:], close=True)
    for contour in contours[1:]:
        builder.move_to(*contour[0])
        builder.add_line_segments(contour[1:], close=True)
    shape = builder.convert_to_shape()
    shape.name = name
    shape.fill.solid()
    shape.fill.fore_color.rgb = rgb(fill)
    shape.line.color.rgb = rgb(line)
    shape.line.width = Pt(_LINE_WIDTH_PT)
    _drop_theme_style(shape)
    keep = shape_key is not None and _is_emu(left, top) and _fill_colours(xml_of(shape))
    drawing.added("map regions", shape_key if keep else None, shape)


# --------------------------------------------------------------------------- the map


def default_alt_text(
    counts: Mapping[str, int],
    regions: list[Region],
    legend_title: str,
    labels: Mapping[str, str] | None = None,
    w: Words | None = None,
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
    w = w or _words("fr")
    text = w("map_alt_titled", title=title) if title else w("map_alt")
    text += ", ".join(f"{name} {w.number(n)}" for name, n in present) or w("map_alt_nothing")
    if absent:
        text += w("map_alt_absent") + ", ".join(absent)
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
    unit: tuple[str, str] | None = None,
    show_counts: bool = False,
    geojson: str | Path = DEFAULT_REGIONS_PATH,
    words: Words | None = None,
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
    clean = check_counts(counts, regions)
    colors, sizes, fonts = theme.colors, theme.sizes, theme.fonts
    bins = compute_bins(max(clean.values(), default=0), list(colors.map_scale))
    has_empty = any(clean.get(r.code, 0) == 0 for r in regions)

    # ---- legend size, so the map gets what is left
    legend_size = sizes.chart_legend
    w = words or _words("fr")
    one, many = unit or (w("respondent"), w("respondents"))
    entries = [(colors.map_empty, w("map_none", one=one, many=many))] if has_empty else []
    entries = [(b.color, bin_label(b, one, many, w)) for b in bins] + entries
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
                f"regions map: {_room(rect)} left on the slide, too little for its legend of "
                f"{len(entries)} entries: give the map a slide with fewer elements"
            )
    gap = inches(0.3)

    # ---- map scale: fit the projected bounding box, keep the aspect ratio
    pad = points(1)  # half the outline width and some: strokes stay inside rect
    path = str(Path(geojson).resolve())
    geo_left, geo_top, geo_w, geo_h = geo_box(path)
    avail_w = rect.width - legend_w - gap - 2 * pad
    avail_h = rect.height - 2 * pad
    if avail_w <= inches(0.5) or avail_h <= inches(0.5):
        raise RenderError(
            f"regions map: {_room(rect)} left on the slide, too little for a map and its "
            "legend: give the map a slide with fewer elements"
        )
    scale = min(avail_w / geo_w, avail_h / geo_h)
    map_w, map_h = round(geo_w * scale), round(geo_h * scale)
    total_w = map_w + 2 * pad + gap + legend_w
    map_left = rect.left + pad + max(0, (rect.width - total_w) // 2)
    map_top = rect.top + pad + (avail_h - map_h) // 2

    group = shapes.add_group_shape()
    group.name = w("shape_map")
    drawing = _Drawing(group, w)

    # Outlines from the map's corner, shared by every map of that scale; from the
    # slide's, should the corner not be a whole number of EMU (not shared then).
    shared = _is_emu(map_left, map_top)
    dx, dy = (map_left, map_top) if shared else (0, 0)
    outlines = outlines_at(path, scale) if shared else outlines_at(path, scale, map_left, map_top)
    for outline in outlines:
        if not outline.contours:
            continue
        region = outline.region
        count = clean.get(region.code, 0)
        fill = next((b.color for b in bins if b.contains(count)), colors.map_empty)
        _add_region(
            drawing, outline, (path, scale) if shared else None, dx, dy, fill, colors.map_line
        )

        label = w.number(count) if show_counts and count > 0 else ""
        if label and outline.anchor is not None:
            cx, cy = dx + outline.anchor[0], dy + outline.anchor[1]
            size = sizes.chart_label
            box_w, box_h = _text_width(label, size) + points(4), points(size * 1.4)
            left = min(max(cx - box_w // 2, map_left), map_left + map_w - box_w)
            top = min(max(cy - box_h // 2, map_top), map_top + map_h - box_h)
            text_color = readable_on(fill, colors.on_primary, colors.text)
            _add_text(
                drawing,
                left,
                top,
                box_w,
                box_h,
                w("shape_region_label", code=region.code),
                label,
                font=fonts.body,
                size=size,
                color=text_color,
                bold=True,
                align=PP_ALIGN.CENTER,
            )

    # ---- legend, right of the map, centred on it vertically
    legend_left = map_left + map_w + pad + gap
    legend_top = rect.top + max(0, (rect.height - legend_h) // 2)
    if legend_title:
        _add_text(
            drawing,
            legend_left,
            legend_top,
            legend_w,
            title_h - title_gap,
            w("shape_legend_title"),
            legend_title,
            font=fonts.body,
            size=legend_size,
            color=colors.text,
            bold=True,
            wrap=True,
        )
    y = legend_top + title_h
    for color, text in entries:
        outline_color = colors.muted if color == colors.map_empty else None
        _add_square(
            drawing,
            legend_left,
            y + (row - square) // 2,
            square,
            w("shape_legend", text=text),
            color,
            outline_color,
        )
        text_left = legend_left + square + square_gap
        _add_text(
            drawing,
            text_left,
            y,
            legend_left + legend_w - text_left,
            row,
            w("shape_legend_text", text=text),
            text,
            font=fonts.body,
            size=legend_size,
            color=colors.text,
        )
        y += row

    fit_group_transform(group)
    parent = xml_of(group).getparent()
    if parent is not None and parent.tag == qn("p:grpSp"):
        # python-pptx resizes the groups holding this one after each shape it adds
        # in it; cloned shapes are added without: resize them once, now it is complete.
        parent.recalculate_extents()
    descr = alt_text if alt_text else default_alt_text(clean, regions, legend_title, labels, w)
    xml_of(group).nvGrpSpPr.cNvPr.set("descr", descr)
    return group


def region_map(shapes, rect: Rect, plan: ChartPlan, style: ChartStyle):
    """The `map` chart kind: the regions choropleth of a distribution over regions."""
    counts = {
        plan.region_codes[code]: n
        for code, n in zip(plan.result.codes, plan.result.series[0].counts)
        if code in plan.region_codes
    }
    labels = {
        plan.region_codes[c]: lab
        for c, lab in zip(plan.result.codes, plan.result.categories)
        if c in plan.region_codes
    }
    w = style.words
    group = add_region_map(
        shapes,
        rect,
        counts,
        style.theme,
        legend_title=w("map_legend_title"),
        labels=labels,
        alt_text=plan.alt_text,
        words=w,
    )
    own = {
        plan.region_codes[c]
        for c, mark in zip(plan.result.codes, plan.result.own)
        if mark and c in plan.region_codes
    }
    if own:  # a personal deck: the recipient's region outlined in the accent colour
        prefixes = tuple(w("shape_region", code=code, name="").rstrip() + " " for code in own)
        regions: Any = group.shapes  # freeforms (python-pptx types them as BaseShape)
        for shape in regions:
            if shape.name.startswith(prefixes):
                shape.line.color.rgb = rgb(style.theme.colors.accent)
                shape.line.width = Pt(2.5)
    return group
