"""Slides from plans: placeholders filled, content arranged in the layout's area.

Content layouts (anything but title/section/closing) get their charts, map,
callouts, text and remark arranged inside the layout's content area by a small
grid: nothing overlaps and nothing leaves the slide, whatever the template.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pptx.oxml.ns import qn
from pptx.util import Pt

from deckgen.analysis.results import shown
from deckgen.errors import Warnings, quoted_title
from deckgen.inputs.theme import Theme
from deckgen.locales.numbers import number_number_format
from deckgen.render import marks, shared, speedups
from deckgen.render.charts import ChartStyle, add_chart
from deckgen.render.colors import AA, contrast, distinct_colour, rgb
from deckgen.render.fit import LABEL_LIMIT, Fitted, SlideFitter, cut_label, longer_than
from deckgen.render.geometry import EMU_PER_POINT, Rect, inches, points
from deckgen.render.identity import element_key, named
from deckgen.render.oxml import chart_xml, shape_tree, xml_of
from deckgen.render.plan import CalloutPlan, ChartPlan, DeckPlan, SlidePlan
from deckgen.render.template import content_area, find_layout, layout_placeholder
from deckgen.render.text import add_text, fit_size, needed_height

GAP = inches(0.25)
FOOTNOTE_H = inches(0.4)
REMARK_H = inches(0.6)
CHART_TITLE_H = inches(0.4)
MIN_CHART_W = inches(2.0)  # narrower, a chart's legend and labels run into each other


def render_deck(
    prs,
    plan: DeckPlan,
    theme: Theme,
    warnings: Warnings,
    template_name: str = "",
    records: dict | None = None,
) -> None:
    """Every slide of `plan` into `prs`, with the deck's footer and logo; each slide
    is checked after layout (deckgen.render.fit.audit), what collides a warning.
    `records` gets what each keyed element holds (deckgen.render.manifest)."""
    store = shared.current() if speedups.current() is not None else None
    for slide_plan in plan.slides:
        key = shared.slide_key(slide_plan, plan, template_name) if store is not None else None
        if key is None:
            render_slide(prs, slide_plan, plan, theme, warnings, template_name, records)
        else:  # a batch's deck: a slide another deck rendered already is added as it was
            assert store is not None
            layout = find_layout(prs, slide_plan.layout, source=template_name or None)
            if not shared.replay(store, key, prs, layout, warnings, records):
                before = len(warnings.items)
                own: dict | None = {} if records is not None else None
                slide, unmarked = _marked_only(
                    store, prs, layout, slide_plan, plan, theme, warnings, own, template_name
                )
                if slide is None:
                    slide = render_slide(
                        prs, slide_plan, plan, theme, warnings, template_name, own,
                        drawn=_keeping(store, unmarked, warnings),
                    )  # fmt: skip
                if records is not None and own is not None:
                    records.update(own)
                shared.keep(store, key, slide, warnings.items[before:], own)
        # the slide's objects are garbage now: let the speed-ups release them
        speedups.between_slides()


def _marked_only(store, prs, layout, slide_plan, plan, theme, warnings, records, template_name):
    """(`slide_plan` from the slide another deck drew without its marks, its parts read
    back and the marks drawn (phase 2 alone: deckgen.render.marks), None), or (None,
    the key to keep it unmarked under once drawn; None: never kept). Kept under the
    key of the stripped plan, and of the sizes its labels fit at where those of the
    recipient it was drawn for fit at others."""
    if not marks.deferrable(slide_plan):
        return None, None
    key = shared.unmarked_key(slide_plan, plan, template_name)
    kept = store.unmarked(key) if key is not None else None
    if key is None or kept is None:
        return None, key
    fitted = marks.sizes(list(kept.marks), slide_plan)
    if fitted != tuple(d.size for d in kept.marks):
        key += b"@" + repr(fitted).encode()
        kept = store.unmarked(key)
        if kept is None:
            return None, key
    slide = shared.redraw(store, kept, prs, layout)
    fitter = SlideFitter(warnings, slide_plan.label)
    fitter.marks = marks.Marks(len(warnings.items), items=list(kept.marks), recorded=kept.recorded)
    warnings.items.extend(kept.slide.warnings)
    finish_slide(slide, slide_plan, plan, theme, fitter, kept.moved, records, template_name)
    return slide, None


def _keeping(store, key: bytes | None, warnings):
    """What `render_slide` calls between a slide's two phases: keep it unmarked under
    `key`."""
    if key is None:
        return None
    before = len(warnings.items)

    def keep(slide, drawn: marks.Marks, moved: str) -> None:
        if key in store.slides:
            return
        from deckgen.render.manifest import records, slide_key

        recorded = (records(slide), slide_key(slide))  # its elements but the marked charts'
        shared.keep_unmarked(store, key, slide, drawn, warnings.items[before:], moved, recorded)

    return keep


def render_slide(
    prs,
    slide_plan,
    plan: DeckPlan,
    theme: Theme,
    warnings: Warnings,
    template_name: str = "",
    records: dict | None = None,
    drawn: Any = None,
):
    """One slide of `plan`, appended to `prs`; returns it (serialised already when
    the speed-ups are on: deckgen.render.speedups.finished). A slide with marks of a
    personal deck is drawn in two phases (deckgen.render.marks); `drawn(slide, marks,
    moved)` is called between them (the batch's store keeps the unmarked slide)."""
    slide, fitter, moved = draw_slide(prs, slide_plan, plan, theme, warnings, template_name)
    if drawn is not None and fitter.marks is not None:
        drawn(slide, fitter.marks, moved)
    finish_slide(slide, slide_plan, plan, theme, fitter, moved, records, template_name)
    return slide


def draw_slide(
    prs, slide_plan, plan: DeckPlan, theme: Theme, warnings: Warnings, template_name: str = ""
) -> tuple[Any, SlideFitter, str]:
    """`slide_plan` drawn into a new slide of `prs`, but for what `finish_slide` adds:
    (the slide, its fitter, the whole footnote where the slide shows it briefly)."""
    layout = find_layout(prs, slide_plan.layout, source=template_name or None)
    slide = prs.slides.add_slide(layout)
    fitter = SlideFitter(warnings, slide_plan.label)
    if marks.deferrable(slide_plan):
        fitter.marks = marks.Marks(len(warnings.items), slide_plan.charts)
    kind = slide_plan.layout.lower()
    moved = ""  # a footnote too long for the slide, whole, for the notes
    if kind == "title":
        _title_slide(slide, slide_plan, plan, theme, fitter)
    elif kind == "section":
        _section_slide(slide, slide_plan, theme, fitter)
    elif kind == "closing":
        _closing_slide(slide, slide_plan, theme, fitter)
    else:
        moved = _content_slide(slide, layout, slide_plan, theme, plan.locale, fitter)
        if plan.footer:
            _footer(slide, prs, layout, plan.footer, theme, fitter)
    if plan.logo is not None:
        _logo(slide, prs, plan.logo)
    _title_first(slide)
    fitter.audit(
        slide,
        lambda idx, layout=layout: layout_placeholder(layout, idx)[0],
        int(prs.slide_width),
        int(prs.slide_height),
    )
    return slide, fitter, moved


def finish_slide(
    slide,
    slide_plan,
    plan: DeckPlan,
    theme: Theme,
    fitter: SlideFitter,
    moved: str,
    records: dict | None = None,
    template_name: str = "",
) -> None:
    """The rest of a slide `draw_slide` drew (or the store gave back unmarked): the
    recipient's marks (`draw_marks`), the notes (in a batch, written as bytes from
    paragraphs written once: shared.notes), its records; then serialised."""
    drawn = fitter.marks
    if drawn is not None:
        draw_marks(slide, slide_plan, drawn, theme, fitter)
    notes = slide_plan.notes
    if moved:  # the whole footnote, where the slide shows it briefly
        from deckgen.locales import words

        said = words(plan.locale)
        whole = f"{said.label(said('note_footnote'))} {moved}"
        notes = f"{notes}\n\n{whole}" if notes else whole
    store = shared.current() if speedups.current() is not None else None
    read = None  # the notes' text as read back, where their part is bytes already
    if notes and store is not None:
        read = shared.notes(store, slide, notes, template_name)
    elif notes:
        slide.notes_slide.notes_text_frame.text = notes
    if records is not None:
        from deckgen.render.manifest import marked_records
        from deckgen.render.manifest import records as records_of

        if drawn is not None and drawn.recorded is not None:  # the others read in phase 1
            kept, owner = drawn.recorded
            records.update(marked_records(slide, kept, owner, drawn.frames, read))
        else:
            records.update(records_of(slide, read))
    speedups.finished(slide)  # serialised now: memory stays flat over a long deck


def draw_marks(slide, sp: SlidePlan, drawn: marks.Marks, theme: Theme, fitter: SlideFitter) -> None:
    """Phase 2 of a slide drawn in two (deckgen.render.marks): each chart drawn unmarked
    gets the recipient's marks, its alternative text and, where a slide drawn in one go
    would have said them, the warnings its labels give; then the callout cards take the
    charts' mark colour (`_one_mark`)."""
    from deckgen.errors import Problem
    from deckgen.render.charts import draw_marks as mark_chart

    frames = {str(s.chart_part.partname): s for s in _flat(slide.shapes) if s.has_chart}
    added = 0
    for d in drawn.items:
        plan = sp.charts[d.index]
        result = d.shown(plan.result)
        assert d.fit is not None
        labels, _, problems = d.fit(result)
        frame = frames[d.partname]
        drawn.frames.append(frame)
        mark_chart(frame, result, d.style, labels, d.fill, d.series, d.mark)
        _alt(frame, plan.alt_text)
        said = _long_labels(plan) + [f"{d.name}: {problem}" for problem in problems]
        at = drawn.start + d.at + added
        fitter.warnings.items[at:at] = [Problem(m, context=fitter.context) for m in said]
        added += len(said)
    if _cards_marked(sp):
        _one_mark(slide.shapes, theme)


# -- placeholders ----------------------------------------------------------------


def _placeholders(slide):
    """(title placeholder, other placeholders in idx order)."""
    title, others = None, []
    for ph in slide.placeholders:
        if ph.placeholder_format.type is not None and ph.placeholder_format.idx == 0:
            title = ph
        else:
            others.append(ph)
    others.sort(key=lambda p: p.placeholder_format.idx)
    return title, others


def _title_first(slide) -> None:
    """Move the title placeholder to the front of the shape tree.

    Screen readers and PowerPoint's reading order follow the shape tree; a
    layout may list its title after other placeholders (the section number).
    """
    title = slide.shapes.title
    if title is None:
        return
    tree = shape_tree(slide.shapes)
    first = next(iter(tree.iter_shape_elms()), None)
    if first is not None and first is not xml_of(title):
        first.addprevious(xml_of(title))


def _put(slide, ph, paragraphs: list[str], fallback: float, fitter: SlideFitter, what: str):
    """Paragraphs into a placeholder, in the template's size when they fit its box,
    else shrunk (down to half) and, past that, cut."""
    paragraphs = [line for p in paragraphs for line in p.split("\n")]
    rect, size = layout_placeholder(slide.slide_layout, ph.placeholder_format.idx)
    size = size or fallback
    if rect is None:
        fitted = Fitted(paragraphs, size)
    else:
        bold = ph.placeholder_format.idx == 0  # titles are set in bold
        fitted = fitter.text(paragraphs, rect, size, max(10, size / 2), what, bold=bold)
    tf = ph.text_frame
    tf.text = fitted.paragraphs[0]
    for line in fitted.paragraphs[1:]:
        tf.add_paragraph().text = line
    if fitted.shrunk:  # an explicit size only where the template's does not fit
        for paragraph in tf.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(fitted.size)


def _drop_unused(slide, used: set[int]) -> None:
    """Remove placeholders left empty: an empty one shows 'Click to add text'."""
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx not in used:
            xml_of(ph).getparent().remove(xml_of(ph))


def _fill(
    slide, title: str, bodies: list[tuple[list[str], str]], theme: Theme, fitter: SlideFitter
) -> None:
    """Title into the title placeholder, each body (its paragraphs, and what it is
    for messages) into the next placeholder in idx order; placeholders left without
    text are removed."""
    placeholder, others = _placeholders(slide)
    used = set()
    if placeholder is not None:
        _put(slide, placeholder, [title], theme.sizes.title, fitter, "title")
        used.add(0)
    for ph, (paragraphs, what) in zip(others, bodies):
        if not any(paragraphs):
            continue
        _put(slide, ph, paragraphs, theme.sizes.body, fitter, what)
        used.add(ph.placeholder_format.idx)
    _drop_unused(slide, used)


def _plain_text(sp: SlidePlan) -> list[str]:
    return [t for t in sp.text if isinstance(t, str)]


def _title_slide(slide, sp: SlidePlan, deck: DeckPlan, theme: Theme, fitter: SlideFitter) -> None:
    """Title, subtitle, and the slide's text -- else the deck's date and organisation."""
    line = "\n".join(_plain_text(sp)) or " · ".join(
        part for part in (deck.date, deck.organisation) if part
    )
    subtitle = sp.subtitle or deck.subtitle or ""
    _fill(slide, sp.title, [([subtitle], "subtitle"), ([line], "text")], theme, fitter)


FOOTER_H = inches(0.3)
LOGO_H = inches(0.4)
LOGO_MAX_W = inches(3)
_MARGIN = inches(0.5)


def _footer(slide, prs, layout, text: str, theme: Theme, fitter: SlideFitter) -> None:
    """The deck's footer (organisation) at the foot of a content slide, in the layout's
    footer placeholder's place when it has one, else under the content area."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    height = int(prs.slide_height)
    rect = Rect(_MARGIN, height - inches(0.55), inches(9.0), FOOTER_H)
    for ph in layout.placeholders:
        if ph.placeholder_format.type == PP_PLACEHOLDER.FOOTER and ph.width and ph.height:
            rect = Rect(int(ph.left), int(ph.top), int(ph.width), int(ph.height))
    fitted = fitter.text([text], rect, theme.sizes.footnote, 7, "footer")
    add_text(
        slide.shapes,
        rect,
        fitted.paragraphs,
        font=theme.fonts.body,
        size=fitted.size,
        color=theme.colors.muted,
        anchor="middle",
        name="Footer",
        inset=False,
    )


def _logo(slide, prs, path) -> None:
    """The deck's logo, bottom right of the slide, its proportions kept: 0.4 in high,
    or 3 in wide when it is wider than that (it would run into the footer)."""
    picture = slide.shapes.add_picture(str(path), 0, 0, height=LOGO_H)
    if picture.width > LOGO_MAX_W:
        picture.height = round(picture.height * LOGO_MAX_W / picture.width)
        picture.width = LOGO_MAX_W
    picture.left = int(prs.slide_width) - _MARGIN - int(picture.width)
    picture.top = int(prs.slide_height) - inches(0.5) - int(picture.height) // 2
    picture.name = "Logo"
    _decorative(picture)


def _section_slide(slide, sp: SlidePlan, theme: Theme, fitter: SlideFitter) -> None:
    _fill(slide, sp.title, [([sp.section_number or ""], "section number")], theme, fitter)


def _closing_slide(slide, sp: SlidePlan, theme: Theme, fitter: SlideFitter) -> None:
    _fill(slide, sp.title, [(_plain_text(sp), "text")], theme, fitter)


# -- content ---------------------------------------------------------------------


def _content_slide(
    slide, layout, sp: SlidePlan, theme: Theme, locale: str, fitter: SlideFitter
) -> str:
    """Fill a content slide. Shapes are added in reading order (the order of the
    slide's shape tree is the order a screen reader follows): title, text,
    charts and callouts top-to-bottom then left-to-right, remark, footnote.
    A footnote longer than two lines at its size gives way to its brief form (what
    must stay: wording.phrases.footnote); returned then, the whole, for the notes."""
    title, _ = _placeholders(slide)
    if title is not None:
        _put(slide, title, [sp.title], theme.sizes.title, fitter, "title")
    area = content_area(layout)
    _drop_unused(slide, {0})
    shapes = slide.shapes

    foot = band = None
    shown, moved = sp.footnote, ""
    if shown and sp.footnote_brief and longer_than(shown, area.width, theme.sizes.footnote, 2):
        shown, moved = sp.footnote_brief, shown
    if shown:  # as tall as the footnote needs, up to a quarter of the area
        need = points(needed_height([shown], area.width, theme.sizes.footnote))
        area, foot = _cut_bottom(
            area, min(max(FOOTNOTE_H, need), max(FOOTNOTE_H, area.height // 4))
        )
    if sp.remark:
        area, band = _cut_bottom(area, _remark_height(sp.remark, area, theme), gap=GAP // 2)
    _content_blocks(shapes, area, sp, theme, locale, fitter)
    if _cards_marked(sp) and fitter.marks is None:
        _one_mark(shapes, theme)  # else with the marks (draw_marks)
    if band is not None:
        _remark(shapes, band, sp, theme, fitter)
    if foot is not None and shown:
        fitted = fitter.text([shown], foot, theme.sizes.footnote, 7, "footnote")
        add_text(
            shapes,
            foot,
            fitted.paragraphs,
            font=theme.fonts.body,
            size=fitted.size,
            color=theme.colors.muted,
            anchor="bottom",
            name=named("Footnote", element_key(sp.key, "footnote")),
        )
    return moved


def _remark_height(remark: str, area: Rect, theme: Theme) -> int:
    """The remark band: REMARK_H, where the remark fits down to 11 pt; else as tall
    as it needs at 11 pt, up to a fifth of the area."""
    width = area.width - points(12)
    if fit_size([remark], Rect(0, 0, width, REMARK_H), theme.sizes.body, minimum=11)[1]:
        return REMARK_H
    need = points(needed_height([remark], width, 11, 11 * 0.3))
    return min(need, max(REMARK_H, area.height // 5))


def _content_blocks(
    shapes, area: Rect, sp: SlidePlan, theme: Theme, locale: str, fitter: SlideFitter
) -> None:
    blocks = _text_paragraphs(sp.text)
    n_charts, n_callouts = len(sp.charts), len(sp.callouts)
    if blocks:
        if n_charts or n_callouts:
            text_rect, area = area.split_columns([0.42, 0.58], gap=GAP)
        else:
            text_rect = area
        _text_block(shapes, text_rect, blocks, theme, fitter)
        if not (n_charts or n_callouts):
            return

    if n_callouts and n_charts:
        if n_callouts <= 3:  # charts on the left, callouts in a column on the right
            share = 0.34 if n_callouts < 3 else 0.4  # three stacked cards need wider ones
            chart_area, callout_area = area.split_columns([1 - share, share], gap=GAP)
            _charts(shapes, chart_area, sp, theme, locale, fitter)
            _callouts(
                shapes,
                callout_area.split_rows([1] * n_callouts, gap=GAP // 2),
                sp.callouts,
                theme,
                fitter,
            )
        else:  # a row of callouts above the charts
            callout_area, chart_area = area.split_rows([0.36, 0.64], gap=GAP)
            _callouts(
                shapes,
                callout_area.split_columns([1] * n_callouts, gap=GAP // 2),
                sp.callouts,
                theme,
                fitter,
            )
            _charts(shapes, chart_area, sp, theme, locale, fitter)
    elif n_callouts:
        rows = 1 if n_callouts <= 5 else 2
        per_row = -(-n_callouts // rows)
        cells = []
        for row in area.split_rows([1] * rows, gap=GAP):
            cells.extend(row.split_columns([1] * per_row, gap=GAP))
        _callouts(shapes, cells[:n_callouts], sp.callouts, theme, fitter)
    elif n_charts:
        _charts(shapes, area, sp, theme, locale, fitter)


def _cut_bottom(area: Rect, height: int, gap: int = 0) -> tuple[Rect, Rect]:
    top = Rect(area.left, area.top, area.width, area.height - height - gap)
    bottom = Rect(area.left, area.bottom - height, area.width, height)
    return top, bottom


def _text_paragraphs(text: list) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for item in text:
        if isinstance(item, str):
            out.append((item, {"space_before": 6 if out else 0}))
        else:
            if item.heading:
                out.append((item.heading, {"bold": True, "space_before": 14 if out else 0}))
            out.extend((b, {"bullet": True, "space_before": 2}) for b in item.bullets)
    return out


def _text_block(shapes, rect: Rect, paragraphs, theme: Theme, fitter: SlideFitter) -> None:
    fitted = fitter.text([p for p, _ in paragraphs], rect, theme.sizes.body, 11, "text")
    # the paragraphs kept are the first ones, the last perhaps cut: each keeps its style
    add_text(
        shapes,
        rect,
        [(p, {**o, "size": fitted.size}) for p, (_, o) in zip(fitted.paragraphs, paragraphs)],
        font=theme.fonts.body,
        size=fitted.size,
        color=theme.colors.text,
        name="Text",
    )


def _remark(shapes, band: Rect, sp: SlidePlan, theme: Theme, fitter: SlideFitter) -> None:
    bar = shapes.add_shape(1, band.left, band.top, points(4), band.height)  # 1 = rectangle
    bar.name = "Remark bar"
    bar.fill.solid()
    bar.fill.fore_color.rgb = rgb(theme.colors.accent)
    bar.line.fill.background()
    _decorative(bar)
    text_rect = Rect(band.left + points(12), band.top, band.width - points(12), band.height)
    fitted = fitter.text([sp.remark or ""], text_rect, theme.sizes.body, 11, "remark")
    add_text(
        shapes,
        text_rect,
        fitted.paragraphs,
        font=theme.fonts.body,
        size=fitted.size,
        color=theme.colors.primary,
        anchor="middle",
        name="Remark",
        bold=False,
    )


def _callouts(
    shapes,
    cells: list[Rect],
    callouts: list[CalloutPlan],
    theme: Theme,
    fitter: SlideFitter,
) -> None:
    value_size = theme.sizes.callout_value
    if len(cells) > 3 and cells[0].width < inches(2.6):
        value_size = min(value_size, 44)
    # stacked cards: the number may not take more than ~40 % of a card
    value_size = min(value_size, cells[0].height / EMU_PER_POINT * 0.4) if cells else value_size
    value_h = int(points(value_size) * 1.35)

    # a personal deck: the recipient's line, a text of its own at the card's foot, in
    # the colour that marks their answers; at most two lines, a long list shortened
    own_size = max(theme.sizes.callout_text - 2, 10)
    inner_w = (cells[0].width if cells else 0) - 2 * inches(0.12)
    lines = [own_line(c, inner_w, own_size) for c in callouts]
    mark = own_mark(theme, [c.color for c in callouts])

    def needed(cell: Rect, c: CalloutPlan, own_h: int) -> int:
        inner_w = cell.width - 2 * inches(0.12)
        text_size, _ = fit_size(
            [c.text],
            Rect(0, 0, inner_w, cell.height - value_h - own_h),
            theme.sizes.callout_text,
            minimum=10,
        )
        return (
            value_h
            + points(needed_height([c.text], inner_w, text_size) + 6)
            + own_h
            + 2 * inches(0.15)
        )

    # every card of a group hugs the longest content and sits centred in its cell:
    # a full-height card with two lines at the top reads as an empty box, and
    # cards of different heights side by side look accidental
    card_h = min(
        min(cell.height for cell in cells),
        max(needed(cell, c, h) for cell, c, (_, h) in zip(cells, callouts, lines)),
    )
    for i, (cell, c, (own, own_h)) in enumerate(zip(cells, callouts, lines)):
        card_rect = Rect(cell.left, cell.top + (cell.height - card_h) // 2, cell.width, card_h)
        card = shapes.add_shape(1, card_rect.left, card_rect.top, card_rect.width, card_rect.height)
        card.name = f"Callout {i + 1} card"
        card.fill.solid()
        card.fill.fore_color.rgb = rgb(theme.colors.light)
        card.line.fill.background()
        card.shadow.inherit = False
        _decorative(card)
        if c.own_match:  # its figure counts the recipient: marked as a chart marks an answer
            card.line.color.rgb = rgb(mark)
            card.line.width = Pt(2.25)
        inner = card_rect.inset(inches(0.12))
        head_h = min(value_h, inner.height // 2)
        own_h = min(own_h, (inner.height - head_h) // 2)
        value_rect = Rect(inner.left, inner.top, inner.width, head_h)
        text_rect = Rect(inner.left, inner.top + head_h, inner.width, inner.height - head_h - own_h)
        value = fitter.text(
            [c.value_text],
            value_rect,
            value_size,
            min(20, value_size),
            f"callout {i + 1} figure",
            bold=True,
            cut=False,  # a figure is never cut: "9…" would be a wrong one
        )
        box = add_text(
            shapes,
            value_rect,
            value.paragraphs,
            font=theme.fonts.heading,
            size=value.size,
            color=c.color or callout_colour(theme),  # the spec's, its option's, the theme's
            bold=True,
            align="center",
            anchor="bottom",
            name=named(f"Callout {i + 1} value", f"{c.key}-value" if c.key else ""),
        )
        _alt(box, c.alt_text)
        sentence = fitter.text(
            [c.text], text_rect, theme.sizes.callout_text, 10, f"callout {i + 1} sentence"
        )
        add_text(
            shapes,
            text_rect,
            sentence.paragraphs,
            font=theme.fonts.body,
            size=sentence.size,
            color=theme.colors.text,
            align="center",
            name=named(f"Callout {i + 1} text", f"{c.key}-text" if c.key else ""),
        )
        if own:
            own_rect = Rect(inner.left, text_rect.bottom, inner.width, own_h)
            line = fitter.text([own], own_rect, own_size, 9, f"callout {i + 1} answer", bold=True)
            add_text(
                shapes,
                own_rect,
                line.paragraphs,
                font=theme.fonts.body,
                size=line.size,
                color=mark if contrast(mark, theme.colors.light) >= AA else theme.colors.text,
                bold=True,
                align="center",
                anchor="bottom",
                name=f"Callout {i + 1} own answer",
            )


def _cards_marked(sp: SlidePlan) -> bool:
    """Whether the slide's cards take its charts' mark colour (`_one_mark`)."""
    return bool(sp.charts) and any(c.own_match or c.own for c in sp.callouts)


def _one_mark(shapes, theme: Theme) -> None:
    """One mark per slide: the cards that count the recipient, and the recipient's
    line, take the colour the slide's first marked chart picked for its answers (one
    no colour of that chart uses, charts.own_colour), when it stands out on a card
    as well (the line in the text colour where the mark is too light to read)."""
    from pptx.enum.dml import MSO_FILL

    marks = [
        str(colour)
        for shape in _flat(shapes)
        if shape.has_chart
        for colour in chart_xml(shape.chart).xpath(
            ".//c:dPt/c:spPr/a:ln/a:solidFill/a:srgbClr/@val"
        )
    ]
    card = {theme.colors.light, callout_colour(theme)}
    mark = next((m for m in marks if distinct_colour(card, m) == m), None)
    if mark is None:
        return
    text = mark if contrast(mark, theme.colors.light) >= AA else theme.colors.text
    for shape in shapes:
        if shape.name.endswith(" card") and shape.line.fill.type == MSO_FILL.SOLID:
            shape.line.color.rgb = rgb(mark)
        elif shape.name.endswith(" own answer"):
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.color.rgb = rgb(text)


def _flat(shapes):
    """The shapes of a slide, those inside groups (a chart with its title) too."""
    for shape in shapes:
        if shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from _flat(shape.shapes)
        else:
            yield shape


def own_line(c: CalloutPlan, width: int, size: float) -> tuple[str, int]:
    """The recipient's line of a card `width` wide and the height it takes: the
    longest of its forms that holds in two lines at `size` ("Vos réponses : a, b
    +2 autres" rather than five lines of answers); ("", 0) when it has none."""
    if not c.own:
        return "", 0
    two_lines = 2 * size * 1.2 + 8  # needed_height of two lines, in points
    forms = [c.own, *c.own_short]
    form = next(
        (f for f in forms if needed_height([f], width, size, bold=True) <= two_lines), forms[-1]
    )
    return form, points(min(needed_height([form], width, size, bold=True), two_lines) + 4)


def callout_colour(theme: Theme) -> str:
    """A callout figure's colour when neither the spec nor its option gives one."""
    return theme.colors.callout or theme.colors.accent


def own_mark(theme: Theme, figures: list[str] | None = None) -> str:
    """The colour of a card's mark: the theme's, unless a card's own colours (its
    background, its figure's) are too close to it (charts pick theirs against their
    series, charts.own_colour)."""
    used = {theme.colors.light, callout_colour(theme), *(f for f in figures or [] if f)}
    return distinct_colour(used, theme.colors.own)


def _charts(
    shapes, area: Rect, sp: SlidePlan, theme: Theme, locale: str, fitter: SlideFitter
) -> None:
    """The slide's charts side by side, in rows when side by side they would be
    narrower than MIN_CHART_W (every row's cells as wide as the first row's)."""
    n = len(sp.charts)
    columns = n
    while columns > 1 and (area.width - GAP * (columns - 1)) // columns < MIN_CHART_W:
        columns -= 1
    rows = -(-n // columns)
    columns = -(-n // rows)  # balanced: 7 charts as 4 + 3, not 5 + 2
    cell_w = (area.width - GAP * (columns - 1)) // columns
    for r, row in enumerate(area.split_rows([1] * rows, gap=GAP)):
        plans = sp.charts[r * columns : (r + 1) * columns]
        if rows > 1:  # a short last row keeps the first row's cell width, centred
            width = cell_w * len(plans) + GAP * (len(plans) - 1)
            row = Rect(row.left + (row.width - width) // 2, row.top, width, row.height)
        _chart_row(shapes, row, plans, theme, locale, fitter, first=r * columns)


def _chart_row(
    shapes,
    area: Rect,
    plans: list[ChartPlan],
    theme: Theme,
    locale: str,
    fitter: SlideFitter,
    first: int = 0,
) -> None:
    cells = _row_cells(area, plans, theme, locale)
    size = theme.sizes.chart_axis + 1
    # one title band for all charts of the row, as tall as the longest title
    # wraps (so a three-line title never runs into its chart), the charts aligned
    # below; at most 30 % of the row, a longer title shrunk then cut
    caps = theme.chart_title_caps  # capitals as a font setting: an editor can undo it
    heights = [
        points(needed_height([_shown(p.title, caps)], c.width, size, bold=True))
        for c, p in zip(cells, plans)
        if p.title
    ]
    band = min(max([CHART_TITLE_H, *heights]), max(CHART_TITLE_H, area.height * 3 // 10))
    band = band if heights else 0
    for i, (cell, plan) in enumerate(zip(cells, plans), start=first):
        heading = None
        if band:
            head, cell = _cut_top(cell, band)
            if plan.title:
                title = fitter.text(
                    [_shown(plan.title, caps)], head, size, 8, f"chart {i + 1} title", bold=True
                )
                text = plan.title
                if title.cut:  # the cut measured in capitals, the text kept as written
                    text = plan.title[: len(title.paragraphs[0]) - 1].rstrip() + "…"
                heading = add_text(
                    shapes,
                    head,
                    [text],
                    font=theme.fonts.heading,
                    size=title.size,
                    color=theme.colors.primary,
                    bold=True,
                    name=cut_label(f"Chart title: {plan.title}"),
                    caps=caps,
                )
        drawn = _one_chart(shapes, cell, plan, theme, locale, fitter)
        if heading is not None and getattr(drawn, "has_table", False) and len(plans) == 1:
            heading.top += drawn.top - cell.top  # a short table, centred: its title on it
        if heading is not None and drawn is not None:
            _with_title(shapes, heading, drawn, i)


def _row_cells(area: Rect, plans: list[ChartPlan], theme: Theme, locale: str) -> list[Rect]:
    """A row's cells, in proportion to its charts' `weight`; but a table beside charts
    gets at least what its longest words need at the theme's label size (measured from
    its content: deckgen.render.tables.least_width), taken from the charts beside it in
    proportion to their shares, each keeping at least half of its own. A table that
    still lacks room shrinks its text, or the build warns (deckgen.render.tables)."""
    from deckgen.chart_kinds import chart_kind

    weights = [float(p.options.weight) for p in plans]
    kinds = [chart_kind(p.type) for p in plans]
    least = {  # the kinds that need a width for their words (a table): what they need
        i: need
        for i, (p, k) in enumerate(zip(plans, kinds))
        if k is not None and (need := k.least()) is not None and p.result.base
    }
    tables = list(least)
    charts = [i for i in range(len(plans)) if i not in tables]
    if not tables or not charts:
        return area.split_columns(weights, gap=GAP)
    from deckgen.locales import words

    usable = area.width - GAP * (len(plans) - 1)
    shares = [usable * w / sum(weights) for w in weights]
    said = words(locale)
    size = theme.sizes.chart_label
    short = {i: max(least[i](plans[i], said, size) - shares[i], 0.0) for i in tables}
    wanted = sum(short.values())
    if not wanted:
        return area.split_columns(weights, gap=GAP)
    spare = sum(shares[i] for i in charts)
    given = min(wanted, spare / 2)
    for i in tables:
        shares[i] += short[i] * given / wanted
    for i in charts:
        shares[i] -= shares[i] * given / spare
    return area.split_columns(shares, gap=GAP)


def _with_title(shapes, heading, drawn, i: int) -> None:
    """The chart and its title in one group, so that moving the chart moves its title.
    The group carries no key: `update` looks into it for the chart's
    (manifest.keyed_shapes), as into any group the team makes."""
    group = shapes.add_group_shape([heading, drawn])
    group.name = f"Chart {i + 1} with its title"


def _shown(title: str, caps: bool) -> str:
    """A chart title as it shows: in capitals when the theme sets them."""
    return title.upper() if caps else title


def _cut_top(area: Rect, height: int) -> tuple[Rect, Rect]:
    return Rect(area.left, area.top, area.width, height), Rect(
        area.left, area.top + height, area.width, area.height - height
    )


def _one_chart(shapes, rect: Rect, plan: ChartPlan, theme: Theme, locale: str, fitter: SlideFitter):
    """Draw `plan` in `rect`; return the shape drawn (None: a text saying it is empty)."""
    from deckgen.chart_kinds import chart_kind

    deferral = None
    if fitter.marks is not None and marks.defers(plan) and plan.result.base:
        # drawn unmarked, marked last (draw_marks): what is drawn now is the same for
        # every recipient whose marked labels fit at the same size
        deferral = fitter.marks.defer(plan, len(fitter.warnings.items))
        plan = replace(plan, result=marks.strip(plan.result), alt_text="")
    o = plan.options
    kind = chart_kind(plan.type)
    style = ChartStyle(
        theme,
        locale,
        labels=o.labels,
        legend=o.legend,
        colors=o.colors,
        digits=o.digits,
        # a breakdown's segments (several series) need their key
        legend_default=(kind.legend if kind is not None else False)
        or len(shown(plan.result, plan.type).series) > 1,
        # a mean or a median: a number in its unit, not a percent
        number_format=number_number_format(plan.result.decimals) if plan.result.measure else None,
        scale=plan.scale,
    )
    style.deferral = deferral
    if plan.result.base == 0:  # a segment deck whose segment is not in scope, or withheld
        withheld = any(note.startswith("all:") for note in plan.result.withheld)
        add_text(
            shapes,
            rect,
            [style.words("privacy_withheld" if withheld else "empty_segment")],
            font=theme.fonts.body,
            size=theme.sizes.body,
            color=theme.colors.muted,
            align="center",
            anchor="middle",
            name=named(
                cut_label(f"Chart: {plan.title or plan.result.question_text} (empty)"), plan.key
            ),
        )
        return None
    if deferral is None:  # else said with the marks, from the marked labels
        for message in _long_labels(plan):
            fitter.warnings.add(message, context=fitter.context)
    shape = add_chart(shapes, rect, plan, style)
    what = "Table" if getattr(shape, "has_table", False) else "Chart"
    name = cut_label(f"{what}: {plan.title or plan.result.question_text}")
    if deferral is not None:
        deferral.name, deferral.style = name, style
        deferral.partname = str(shape.chart_part.partname)
    for problem in style.problems:
        fitter.warnings.add(f"{name}: {problem}", context=fitter.context)
    if getattr(shape, "has_chart", False) or getattr(shape, "has_table", False):
        shape.name = named(name, plan.key)
        _alt(shape, plan.alt_text)
    elif shape is not None and plan.key:  # the regions map: a group
        shape.name = named(shape.name, plan.key)
    return shape


def _long_labels(plan: ChartPlan) -> list[str]:
    """What a build says of `plan`'s labels longer than a chart prints them."""
    long = [
        label
        for label in [*plan.result.categories, *(s.name or "" for s in plan.result.series)]
        if len(label) > LABEL_LIMIT
    ]
    if not long:
        return []
    return [
        f"{len(long)} chart label(s) longer than {LABEL_LIMIT} characters, cut with "
        f"an ellipsis (first: {quoted_title(long[0])}): shorten them in the codebook"
    ]


def _alt(shape, text: str) -> None:
    """Alternative text: the `descr` of the shape's non-visual properties."""
    if not text:
        return
    el = xml_of(shape)
    cnv = el.find(".//" + qn("p:cNvPr"))
    if cnv is not None:
        cnv.set("descr", text)


_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def _decorative(shape) -> None:
    """Mark a purely visual shape (a card, a bar) as decorative, as PowerPoint's
    "Mark as decorative" does: screen readers then skip it instead of announcing
    "rectangle"."""
    cnv = xml_of(shape).find(".//" + qn("p:cNvPr"))
    if cnv is None or cnv.find(qn("a:extLst")) is not None:
        return
    ext_lst = cnv.makeelement(qn("a:extLst"), {})
    ext = ext_lst.makeelement(qn("a:ext"), {"uri": _DECORATIVE_EXT})
    mark = ext.makeelement(
        f"{{{_DECORATIVE_NS}}}decorative", {"val": "1"}, nsmap={"adec": _DECORATIVE_NS}
    )
    ext.append(mark)
    ext_lst.append(ext)
    cnv.append(ext_lst)
