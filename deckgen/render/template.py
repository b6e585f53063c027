"""The deck's PowerPoint template at build time: opening it, finding layouts and areas.

Rendering never positions titles or backgrounds itself: it picks a slide layout
by name (`title`, `section`, `chart`, `callouts`, `closing`) and fills its
placeholders. That way a communications team can hand us their corporate
template and get a deck in their own look, as long as it has layouts with those
names. deckgen's own templates are written by `deckgen.render.template_writer`.
"""

from __future__ import annotations

import io
import re
import weakref
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from deckgen.errors import TemplateError, suggest, valid_list
from deckgen.render.geometry import Rect, inches
from deckgen.render.oxml import xml_of

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import SlideLayout

#: The layout names the renderer asks for, in the order they appear in our template.
LAYOUT_NAMES: tuple[str, ...] = ("title", "section", "chart", "callouts", "closing")

#: 16:9 widescreen, the PowerPoint default since 2013 (13.333 in x 7.5 in).
SLIDE_WIDTH = 12_192_000
SLIDE_HEIGHT = 6_858_000

#: Placeholder idx of the content-area placeholder on `chart` and `callouts`.
CONTENT_PLACEHOLDER_IDX = 1

_MARGIN = inches(0.5)
_CONTENT_TYPE_PPTX_MAIN = (
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
_CONTENT_TYPE_POTX_MAIN = (
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
)

# Title-like placeholders never count as a content area.
_NON_CONTENT_TYPES = {
    PP_PLACEHOLDER.TITLE,
    PP_PLACEHOLDER.CENTER_TITLE,
    PP_PLACEHOLDER.VERTICAL_TITLE,
    PP_PLACEHOLDER.SUBTITLE,
    PP_PLACEHOLDER.DATE,
    PP_PLACEHOLDER.FOOTER,
    PP_PLACEHOLDER.SLIDE_NUMBER,
    PP_PLACEHOLDER.HEADER,
}
_TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE}

# open_template remembers where each presentation part came from (Presentation is
# unhashable), so find_layout can name the file.
_SOURCES: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()


def open_template(path: Path) -> PresentationT:
    """Open a .pptx (or .potx) template; any problem is a one-line TemplateError.

    A corporate template arrives from outside: a wrong path, a PDF renamed
    .pptx or a truncated download must read as "fix your file", never as a crash.
    """
    path = Path(path)
    if not path.exists():
        raise TemplateError(f"template not found: {path}")
    if not path.is_file():
        raise TemplateError(f"template is not a file: {path}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"cannot read template {path}: {exc.strerror or exc}") from None
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # an OLE2 container, not a zip
        raise TemplateError(
            f"template {path} is password-protected or an old binary .ppt: open it in "
            "PowerPoint and save it as a .pptx without a password"
        )
    try:
        prs = Presentation(io.BytesIO(_as_presentation_package(data)))
    except zipfile.BadZipFile:
        raise TemplateError(f"not a PowerPoint file (not a zip archive): {path}") from None
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"damaged PowerPoint file {path}: bad XML ({exc})") from None
    except KeyError as exc:
        raise TemplateError(f"damaged PowerPoint file {path}: missing part {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any parse failure of a user file is the file's fault
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        kinds = {"wordprocessingml": "a Word document", "spreadsheetml": "an Excel workbook"}
        other = next((name for mark, name in kinds.items() if mark in reason), None)
        if other is not None:  # a .docx or .xlsx renamed .pptx
            raise TemplateError(
                f"template {path} is {other} renamed .pptx, not a PowerPoint file: give a "
                ".pptx or .potx saved by PowerPoint or LibreOffice Impress"
            ) from None
        reason = re.sub(r"<_io\.\w+ object at 0x[0-9a-f]+>", "the file", reason)
        raise TemplateError(f"not a valid PowerPoint template {path}: {reason}") from None
    if not len(prs.slide_masters):
        raise TemplateError(f"template has no slide master: {path}")
    if len(prs.slides):
        # they would come first in every deck, before the spec's slides
        raise TemplateError(
            f"template {path} already holds {len(prs.slides)} slide(s): deckgen adds its own; "
            "delete them in PowerPoint (or save the template as .potx without slides)"
        )
    _SOURCES[prs.part] = str(path)
    return prs


def _as_presentation_package(data: bytes) -> bytes:
    """Let python-pptx open a .potx by relabelling its main part as a presentation.

    Corporate templates are often saved as .potx; python-pptx refuses that
    content type although the parts are the same.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        try:
            types = src.read("[Content_Types].xml")
        except KeyError:
            return data
        if _CONTENT_TYPE_POTX_MAIN.encode() not in types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                blob = src.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    blob = blob.replace(
                        _CONTENT_TYPE_POTX_MAIN.encode(), _CONTENT_TYPE_PPTX_MAIN.encode()
                    )
                dst.writestr(info, blob)
    return out.getvalue()


def titleless_layouts(prs: PresentationT) -> list[str]:
    """Names of the layouts that have no title placeholder (a slide title would be lost)."""
    out = []
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            types = {ph.placeholder_format.type for ph in layout.placeholders}
            if not types & _TITLE_TYPES:
                out.append(layout.name)
    return out


def layout_names(prs: PresentationT) -> list[str]:
    """Names of all layouts of all masters, in template order."""
    return [layout.name for master in prs.slide_masters for layout in master.slide_layouts]


def find_layout(prs: PresentationT, name: str, *, source: str | Path | None = None) -> SlideLayout:
    """Return the layout called `name` (case-insensitive) from any master.

    A missing layout is the most likely problem with a corporate template, so
    the error names the file, lists what the template does have and suggests
    the nearest name.
    """
    wanted = name.strip().casefold()
    for master in prs.slide_masters:
        for layout in master.slide_layouts:
            if layout.name.strip().casefold() == wanted:
                return layout
    names = layout_names(prs)
    where = source if source is not None else _SOURCES.get(prs.part)
    in_file = f"template {where}" if where else "the template"
    lowered = {n.casefold(): n for n in names}
    hint = suggest(name.casefold(), lowered)
    if hint:
        nearest = lowered[hint.split("`")[1]]
        hint = f" (did you mean `{nearest}`?)"
    available = valid_list(names) if names else "(none)"
    raise TemplateError(
        f"{in_file} has no slide layout named `{name}`{hint}; available layouts: {available}. "
        "Rename a layout in PowerPoint (View > Slide Master) or use deckgen's template."
    )


def placeholder_rect(ph: object) -> Rect | None:
    box = [getattr(ph, name, None) for name in ("left", "top", "width", "height")]
    if any(v is None for v in box):
        return None
    left, top, width, height = (int(v) for v in box)  # type: ignore[arg-type]
    if width <= 0 or height <= 0:
        return None
    return Rect(left, top, width, height)


def content_area(layout: SlideLayout) -> Rect:
    """The rectangle charts and callouts are drawn in, read from the layout.

    It spans the layout's content placeholders (body, object, chart, table...:
    a "Two Content" layout gives both columns), their positions inherited from
    the master when the layout does not say, and starts under the title.
    Without one, fall back to the slide under the title with 0.5 in margins,
    so a minimal corporate layout still works.
    """
    area: Rect | None = None
    title: Rect | None = None
    placeholders: Iterable[Any] = layout.placeholders
    for ph in placeholders:  # (python-pptx annotates this __iter__ as a plain function)
        ph_type = ph.placeholder_format.type
        rect = placeholder_rect(ph)
        if rect is None:
            continue
        if ph_type in _TITLE_TYPES:
            title = rect if title is None else title
            continue
        if ph_type in _NON_CONTENT_TYPES:
            continue
        area = rect if area is None else _union(area, rect)
    if area is not None:
        if title is not None and area.top < title.bottom < area.bottom:
            top = title.bottom + inches(0.25)
            area = Rect(area.left, top, area.width, max(area.bottom - top, 1))
        return area

    prs = layout.part.package.presentation_part.presentation
    width = int(prs.slide_width or SLIDE_WIDTH)
    height = int(prs.slide_height or SLIDE_HEIGHT)
    top = title.bottom + inches(0.25) if title is not None else inches(1.5)
    top = min(top, height // 2)
    return Rect(_MARGIN, top, max(width - 2 * _MARGIN, 1), max(height - _MARGIN - top, 1))


def _union(a: Rect, b: Rect) -> Rect:
    left, top = min(a.left, b.left), min(a.top, b.top)
    return Rect(left, top, max(a.right, b.right) - left, max(a.bottom, b.bottom) - top)


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"


# what a build asks of each layout's placeholders, read once per layout part
_LAYOUT_PLACEHOLDERS: weakref.WeakKeyDictionary[object, dict] = weakref.WeakKeyDictionary()


def layout_placeholder(layout: SlideLayout, idx: int) -> tuple[Rect | None, float | None]:
    """The rectangle (inherited from the master where the layout does not say) and
    the font size (`placeholder_font_size`) of the layout's placeholder `idx`: what
    a slide's placeholder shows, since it is cloned without a position of its own."""
    known = _LAYOUT_PLACEHOLDERS.setdefault(layout.part, {})
    if idx not in known:
        placeholders: Iterable[Any] = layout.placeholders
        ph = next((p for p in placeholders if p.placeholder_format.idx == idx), None)
        rect = placeholder_rect(ph) if ph is not None else None
        known[idx] = (rect, placeholder_font_size(layout, idx))
    return known[idx]


def placeholder_font_size(layout: SlideLayout, idx: int) -> float | None:
    """The font size (pt) the template gives the first level of placeholder `idx` of
    `layout`: its own list style, else the master's placeholder of the same type,
    else the master's title or body text style; None when no one says."""
    layout_placeholders: Iterable[Any] = layout.placeholders
    ph = next((p for p in layout_placeholders if p.placeholder_format.idx == idx), None)
    if ph is None:
        return None
    candidates = [xml_of(ph)]
    master = layout.slide_master
    ph_type = ph.placeholder_format.type
    master_placeholders: Iterable[Any] = master.placeholders
    for master_ph in master_placeholders:
        if master_ph.placeholder_format.type == ph_type:
            candidates.append(xml_of(master_ph))
            break
    styles = xml_of(master).find(f"{_P}txStyles")
    if styles is not None:
        name = "titleStyle" if ph_type in _TITLE_TYPES else "bodyStyle"
        candidates.append(styles.find(f"{_P}{name}"))
    for element in candidates:
        if element is None:
            continue
        for rpr in element.iter(f"{_A}defRPr"):
            level = rpr.getparent()
            if level is not None and level.tag == f"{_A}lvl1pPr" and rpr.get("sz", "").isdigit():
                return int(rpr.get("sz")) / 100
    return None
