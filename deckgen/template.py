"""The deck's PowerPoint template: building ours, opening a user's, finding layouts.

Rendering never positions titles or backgrounds itself: it picks a slide layout
by name (`title`, `section`, `chart`, `callouts`, `closing`) and fills its
placeholders. That way a communications team can hand us their corporate
template and get a deck in their own look, as long as it has layouts with those
names. `build_template` writes our own branded template from a Theme so the
project works out of the box; it is deterministic (same theme, same bytes) so
the built file can be committed and diffed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import weakref
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn

from .errors import DeckgenError, TemplateError, suggest, valid_list
from .render.geometry import Rect, inches
from .theme import Theme, load_theme

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT
    from pptx.slide import SlideLayout

#: The layout names the renderer asks for, in the order they appear in our template.
LAYOUT_NAMES: tuple[str, ...] = ("title", "section", "chart", "callouts", "closing")

#: 16:9 widescreen, the PowerPoint default since 2013 (13.333 in x 7.5 in).
SLIDE_WIDTH = 12_192_000
SLIDE_HEIGHT = 6_858_000

#: Fixed timestamp for core properties and zip entries, so two builds are byte-identical.
FIXED_DATETIME = dt.datetime(2021, 7, 1, 0, 0, 0)

#: Placeholder idx of the content-area placeholder on `chart` and `callouts`.
CONTENT_PLACEHOLDER_IDX = 1

_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_THEME_PATH = _ROOT / "config" / "theme.yaml"
DEFAULT_TEMPLATE_PATH = _ROOT / "layouts" / "deckgen-template.pptx"
DEFAULT_ORGANISATION = "Observatoire des civic tech et de la démocratie numérique"

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

# open_template remembers where each presentation part came from (Presentation is unhashable), so find_layout can name the file.
_SOURCES: weakref.WeakKeyDictionary[object, str] = weakref.WeakKeyDictionary()


# --------------------------------------------------------------------------- XML helpers


def _in(value: float) -> int:
    return inches(value)


def _box(left: float, top: float, width: float, height: float) -> Rect:
    """A Rect from inches, so the layout table below reads like a design spec."""
    return Rect(_in(left), _in(top), _in(width), _in(height))


def _xfrm(rect: Rect) -> str:
    return (
        f'<a:xfrm><a:off x="{rect.left}" y="{rect.top}"/>'
        f'<a:ext cx="{rect.width}" cy="{rect.height}"/></a:xfrm>'
    )


def _rpr(
    *,
    size: float | None = None,
    color: str | None = None,
    font: str | None = None,
    bold: bool | None = None,
    tag: str = "a:defRPr",
    extra: str = "",
) -> str:
    """Run properties; child order (fill before latin) follows the DrawingML schema."""
    attrs = extra
    if size is not None:
        attrs += f' sz="{round(size * 100)}"'
    if bold is not None:
        attrs += f' b="{1 if bold else 0}"'
    children = ""
    if color:
        children += f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
    if font:
        f = escape(font, {'"': "&quot;"})
        children += f'<a:latin typeface="{f}"/><a:ea typeface="{f}"/><a:cs typeface="{f}"/>'
    return f"<{tag}{attrs}>{children}</{tag}>" if children else f"<{tag}{attrs}/>"


def _placeholder(
    shape_id: int,
    name: str,
    ph: str,
    rect: Rect,
    prompt: str,
    *,
    size: float,
    color: str,
    font: str,
    bold: bool = False,
    align: str = "l",
    anchor: str = "t",
) -> str:
    """A layout placeholder with its own position, size and level-1 text style.

    Every placeholder carries an explicit `a:xfrm`: a layout that inherits
    positions from the master looks different in every viewer that guesses.
    """
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr><p:ph {ph}/></p:nvPr></p:nvSpPr>"
        f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        '<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" '
        f'rtlCol="0" anchor="{anchor}"><a:normAutofit/></a:bodyPr>'
        f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="{align}"><a:buNone/>'
        f"{_rpr(size=size, color=color, font=font, bold=bold)}</a:lvl1pPr></a:lstStyle>"
        f'<a:p><a:r><a:rPr lang="fr-FR"/><a:t>{escape(prompt)}</a:t></a:r></a:p>'
        "</p:txBody></p:sp>"
    )


def _bar(shape_id: int, rect: Rect, color: str) -> str:
    """The thin accent bar: a static rectangle, part of the brand, not editable per slide."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Barre d&apos;accent"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        "</p:sp>"
    )


def _static_text(
    shape_id: int, name: str, rect: Rect, text: str, *, size: float, color: str, font: str
) -> str:
    """A static text box on a layout (footer): shows on every slide, never filled in."""
    run_props = _rpr(size=size, color=color, font=font, tag="a:rPr", extra=' lang="fr-FR"')
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{escape(name)}"/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        '<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" rtlCol="0" '
        'anchor="ctr"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        f'<a:p><a:pPr algn="l"/><a:r>{run_props}'
        f"<a:t>{escape(text)}</a:t></a:r></a:p></p:txBody></p:sp>"
    )


def _background(color: str) -> str:
    return (
        f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'
        "<a:effectLst/></p:bgPr></p:bg>"
    )


_EMPTY_GROUP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
    '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


# --------------------------------------------------------------------------- layouts


def _layout_xml(name: str, layout_type: str, background: str, shapes: list[str]) -> str:
    show_master = ' showMasterSp="0"'
    return (
        f'<p:sldLayout {nsdecls("a", "r", "p")} type="{layout_type}" preserve="1"{show_master}>'
        f'<p:cSld name="{name}">{_background(background)}'
        f"<p:spTree>{_EMPTY_GROUP}{''.join(shapes)}</p:spTree></p:cSld>"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


def _layouts(theme: Theme, organisation: str | None) -> list[str]:
    """XML of the five layouts, in LAYOUT_NAMES order.

    Big-slide text sizes (title slide, closing) are derived from the theme's
    `section_title` so a rebrand that scales type keeps the hierarchy.
    """
    c, s, f = theme.colors, theme.sizes, theme.fonts
    hero = s.section_title + 8  # title of the title and closing slides
    lead = s.subtitle + 4  # subtitle and next-event text

    title = [
        _placeholder(
            2,
            "Titre",
            'type="ctrTitle"',
            _box(0.8, 1.6, 11.733, 2.1),
            "Titre de la présentation",
            size=hero,
            color=c.on_primary,
            font=f.heading,
            bold=True,
            anchor="b",
        ),
        _bar(3, _box(0.8, 3.92, 1.4, 0.08), c.accent),
        _placeholder(
            4,
            "Sous-titre",
            'type="subTitle" idx="1"',
            _box(0.8, 4.25, 11.733, 1.2),
            "Sous-titre",
            size=lead,
            color=c.on_primary,
            font=f.body,
        ),
        _placeholder(
            5,
            "Date et organisation",
            'type="body" sz="quarter" idx="10"',
            _box(0.8, 6.2, 11.733, 0.6),
            "Date · organisation",
            size=s.body,
            color=c.on_primary,
            font=f.body,
            anchor="b",
        ),
    ]
    section = [
        _placeholder(
            2,
            "Numéro de section",
            'type="body" idx="1"',
            _box(0.8, 0.8, 11.733, 2.6),
            "01",
            size=s.section_number,
            color=c.accent,
            font=f.heading,
            bold=True,
            anchor="b",
        ),
        _placeholder(
            3,
            "Titre de section",
            'type="title"',
            _box(0.8, 3.6, 11.733, 2.2),
            "Titre de la section",
            size=s.section_title,
            color=c.on_primary,
            font=f.heading,
            bold=True,
        ),
    ]

    def content(prompt: str) -> list[str]:
        shapes = [
            _placeholder(
                2,
                "Titre",
                'type="title"',
                _box(0.5, 0.3, 12.333, 0.85),
                "Titre de la diapositive",
                size=s.title,
                color=c.primary,
                font=f.heading,
                bold=True,
                anchor="b",
            ),
            _bar(3, _box(0.5, 1.25, 0.9, 0.06), c.accent),
            _placeholder(
                4,
                "Zone de contenu",
                f'type="body" idx="{CONTENT_PLACEHOLDER_IDX}"',
                _box(0.5, 1.5, 12.333, 5.25),
                prompt,
                size=s.body,
                color=c.text,
                font=f.body,
            ),
        ]
        if organisation:
            shapes.append(
                _static_text(
                    5,
                    "Pied de page",
                    _box(0.5, 6.95, 9.0, 0.3),
                    organisation,
                    size=s.footnote,
                    color=c.muted,
                    font=f.body,
                )
            )
        return shapes

    closing = [
        _placeholder(
            2,
            "Titre",
            'type="title"',
            _box(0.8, 1.6, 11.733, 2.2),
            "Merci !",
            size=hero,
            color=c.on_primary,
            font=f.heading,
            bold=True,
            anchor="b",
        ),
        _bar(3, _box(0.8, 4.02, 1.4, 0.08), c.accent),
        _placeholder(
            4,
            "Prochain rendez-vous",
            'type="body" idx="1"',
            _box(0.8, 4.35, 11.733, 2.2),
            "Prochain rendez-vous",
            size=lead,
            color=c.on_primary,
            font=f.body,
        ),
    ]
    return [
        _layout_xml("title", "title", c.primary, title),
        _layout_xml("section", "secHead", c.primary, section),
        _layout_xml("chart", "obj", c.background, content("Zone du graphique")),
        _layout_xml("callouts", "obj", c.background, content("Zone des chiffres clés")),
        _layout_xml("closing", "cust", c.primary, closing),
    ]


# --------------------------------------------------------------------------- master + theme


def _master_parts(theme: Theme) -> tuple[str, str]:
    """XML of the master's `p:cSld` and `p:txStyles` (theme fonts and text colour)."""
    c, s, f = theme.colors, theme.sizes, theme.fonts
    csld = (
        f"<p:cSld {nsdecls('a', 'r', 'p')}>{_background(c.background)}<p:spTree>{_EMPTY_GROUP}"
        + _placeholder(
            2,
            "Titre",
            'type="title"',
            _box(0.5, 0.3, 12.333, 0.85),
            "Titre du masque",
            size=s.title,
            color=c.text,
            font=f.heading,
            bold=True,
            anchor="b",
        )
        + _placeholder(
            3,
            "Texte",
            'type="body" idx="1"',
            _box(0.5, 1.5, 12.333, 5.25),
            "Texte du masque",
            size=s.body,
            color=c.text,
            font=f.body,
        )
        + "</p:spTree></p:cSld>"
    )
    levels = []
    for lvl in range(1, 10):
        indent = 0 if lvl == 1 else 228600
        mar = 0 if lvl == 1 else 228600 * lvl
        bullet = "<a:buNone/>" if lvl == 1 else '<a:buFont typeface="Arial"/><a:buChar char="•"/>'
        size = s.body if lvl == 1 else max(s.body - 2, s.footnote)
        levels.append(
            f'<a:lvl{lvl}pPr marL="{mar}" indent="{-indent}" algn="l" rtl="0">'
            f'<a:spcBef><a:spcPts val="{600 if lvl == 1 else 300}"/></a:spcBef>{bullet}'
            f"{_rpr(size=size, color=c.text, font=f.body)}</a:lvl{lvl}pPr>"
        )
    other = "".join(
        f'<a:lvl{lvl}pPr marL="{457200 * (lvl - 1)}" algn="l" rtl="0">'
        f"{_rpr(size=s.body, color=c.text, font=f.body)}</a:lvl{lvl}pPr>"
        for lvl in range(1, 10)
    )
    styles = (
        f"<p:txStyles {nsdecls('a', 'p')}>"
        '<p:titleStyle><a:lvl1pPr algn="l" rtl="0"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        '<a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        f"{_rpr(size=s.title, color=c.text, font=f.heading, bold=True)}</a:lvl1pPr></p:titleStyle>"
        f"<p:bodyStyle>{''.join(levels)}</p:bodyStyle>"
        f'<p:otherStyle><a:defPPr><a:defRPr lang="fr-FR"/></a:defPPr>{other}</p:otherStyle>'
        "</p:txStyles>"
    )
    return csld, styles


def _apply_theme_part(theme_xml: bytes, theme: Theme) -> bytes:
    """Put the brand colours and fonts in the Office theme part.

    Text boxes and charts that name no font or colour fall back to the theme
    part, so this keeps them on-brand; it also makes PowerPoint's colour picker
    offer the brand colours.
    """
    c = theme.colors
    root = etree.fromstring(theme_xml)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    root.set("name", theme.name)
    series = list(c.series) + [c.primary, c.accent, c.muted] * 2
    scheme = {
        "dk1": c.text,
        "lt1": c.background,
        "dk2": c.primary,
        "lt2": c.light,
        "accent1": series[0],
        "accent2": series[1],
        "accent3": series[2],
        "accent4": series[3],
        "accent5": series[4],
        "accent6": series[5],
        "hlink": c.primary,
        "folHlink": c.muted,
    }
    clr = root.find(f"{{{a}}}themeElements/{{{a}}}clrScheme")
    if clr is not None:
        clr.set("name", theme.name)
        for slot, value in scheme.items():
            holder = clr.find(f"{{{a}}}{slot}")
            if holder is None:
                continue
            for child in list(holder):
                holder.remove(child)
            etree.SubElement(holder, f"{{{a}}}srgbClr", val=value)
    fonts = root.find(f"{{{a}}}themeElements/{{{a}}}fontScheme")
    if fonts is not None:
        fonts.set("name", theme.name)
        for tag, face in (("majorFont", theme.fonts.heading), ("minorFont", theme.fonts.body)):
            latin = fonts.find(f"{{{a}}}{tag}/{{{a}}}latin")
            if latin is not None:
                latin.set("typeface", face)
    # python-pptx autoshapes reference theme fill style 3 and effect style 2: in the
    # default theme those are a gradient and a drop shadow (style 3 even a bevel).
    # A flat brand wants neither, so every style becomes a plain solid / no effect.
    fmt = root.find(f"{{{a}}}themeElements/{{{a}}}fmtScheme")
    if fmt is not None:
        for lst in ("fillStyleLst", "bgFillStyleLst"):
            holder = fmt.find(f"{{{a}}}{lst}")
            if holder is None:
                continue
            for child in list(holder):
                if child.tag != f"{{{a}}}solidFill":
                    flat = etree.Element(f"{{{a}}}solidFill")
                    etree.SubElement(flat, f"{{{a}}}schemeClr", val="phClr")
                    holder.replace(child, flat)
        for style in fmt.iterfind(f"{{{a}}}effectStyleLst/{{{a}}}effectStyle"):
            for child in list(style):
                style.remove(child)
            etree.SubElement(style, f"{{{a}}}effectLst")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace_element_content(target: etree._Element, xml: str) -> None:
    """Swap `target`'s attributes and children for those of `xml`, in place.

    In place because python-pptx caches proxy objects around the element.
    """
    new = parse_xml(xml)
    for child in list(target):
        target.remove(child)
    for key in list(target.attrib):
        del target.attrib[key]
    for key, value in new.attrib.items():
        target.set(key, value)
    for child in list(new):
        target.append(child)


def _app_properties(blob: bytes, theme: Theme) -> bytes:
    """Rewrite docProps/app.xml leftovers (4:3, 'Microsoft Macintosh PowerPoint')."""
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    vt = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
    root = etree.fromstring(blob)
    for tag, value in (
        ("Application", "deckgen"),
        ("PresentationFormat", "Widescreen"),
        ("TotalTime", "0"),
    ):
        el = root.find(f"{{{ns}}}{tag}")
        if el is not None:
            el.text = value
    for el in root.iterfind(f"{{{ns}}}TitlesOfParts/{{{vt}}}vector/{{{vt}}}lpstr"):
        el.text = theme.name
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _deterministic_zip(data: bytes) -> bytes:
    """Re-pack a saved package with fixed entry timestamps (zip stores the save time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATETIME.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- public API


def build_template(
    theme: Theme,
    out_path: Path,
    *,
    title: str = "Modèle deckgen",
    organisation: str | None = DEFAULT_ORGANISATION,
) -> Path:
    """Write our branded 16:9 template with the five named layouts; return its path.

    Starts from python-pptx's default template (so the package skeleton is one
    python-pptx and PowerPoint already agree on), keeps five layout parts and
    rewrites them, drops the rest with their relationships, and scrubs the
    default template's leftovers (thumbnail, printer settings, author, dates).
    `organisation` is shown as a small footer on the chart and callouts layouts.
    """
    out_path = Path(out_path)
    prs = Presentation()
    prs.slide_width = SLIDE_WIDTH
    prs.slide_height = SLIDE_HEIGHT
    sld_sz = prs.part._element.find(qn("p:sldSz"))
    if sld_sz is not None and "type" in sld_sz.attrib:
        del sld_sz.attrib["type"]  # "screen4x3" would be a lie; no type means custom size

    master = prs.slide_masters[0]
    layouts = list(master.slide_layouts)
    for extra in layouts[len(LAYOUT_NAMES) :]:
        master.slide_layouts.remove(extra)  # drops the sldLayoutId, the rel and so the part
    for layout, xml in zip(layouts, _layouts(theme, organisation), strict=False):
        _replace_element_content(layout._element, xml)

    csld_xml, styles_xml = _master_parts(theme)
    master_el = master._element
    master_el.replace(master_el.find(qn("p:cSld")), parse_xml(csld_xml))
    master_el.replace(master_el.find(qn("p:txStyles")), parse_xml(styles_xml))

    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = _apply_theme_part(theme_part.blob, theme)

    # -- leftovers of python-pptx's default template --
    package = prs.part.package
    for rId, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rId)
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rId)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = _app_properties(part.blob, theme)

    props = prs.core_properties
    props.title = title
    props.author = "deckgen"
    props.last_modified_by = "deckgen"
    props.revision = 1
    props.created = FIXED_DATETIME
    props.modified = FIXED_DATETIME
    props.comments = ""
    props.subject = ""
    props.keywords = ""
    props.category = ""

    buffer = io.BytesIO()
    prs.save(buffer)
    data = _deterministic_zip(buffer.getvalue())
    from .files import write_atomic

    # atomic: a build or `deckgen watch` reading the template meanwhile never sees half a file
    return write_atomic(data, out_path)


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
        raise TemplateError(f"not a valid PowerPoint template {path}: {reason}") from None
    if not len(prs.slide_masters):
        raise TemplateError(f"template has no slide master: {path}")
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


def _placeholder_rect(ph: object) -> Rect | None:
    left, top = getattr(ph, "left", None), getattr(ph, "top", None)
    width, height = getattr(ph, "width", None), getattr(ph, "height", None)
    if None in (left, top, width, height) or width <= 0 or height <= 0:
        return None
    return Rect(int(left), int(top), int(width), int(height))


def content_area(layout: SlideLayout) -> Rect:
    """The rectangle charts and callouts are drawn in, read from the layout.

    It is the largest non-title placeholder (body, object, chart, table...),
    its position inherited from the master when the layout does not say.
    Without one, fall back to the slide under the title with 0.5 in margins,
    so a minimal corporate layout still works.
    """
    best: Rect | None = None
    title: Rect | None = None
    for ph in layout.placeholders:
        ph_type = ph.placeholder_format.type
        rect = _placeholder_rect(ph)
        if rect is None:
            continue
        if ph_type in _TITLE_TYPES:
            title = rect if title is None else title
            continue
        if ph_type in _NON_CONTENT_TYPES:
            continue
        if best is None or rect.width * rect.height > best.width * best.height:
            best = rect
    if best is not None:
        return best

    prs = layout.part.package.presentation_part.presentation
    width = int(prs.slide_width or SLIDE_WIDTH)
    height = int(prs.slide_height or SLIDE_HEIGHT)
    top = title.bottom + inches(0.25) if title is not None else inches(1.5)
    top = min(top, height // 2)
    return Rect(_MARGIN, top, max(width - 2 * _MARGIN, 1), max(height - _MARGIN - top, 1))


def main(argv: Sequence[str] | None = None) -> int:
    """Rebuild layouts/deckgen-template.pptx from config/theme.yaml."""
    parser = argparse.ArgumentParser(prog="python -m deckgen.template", description=main.__doc__)
    parser.add_argument("--theme", type=Path, default=DEFAULT_THEME_PATH)
    parser.add_argument("--out", type=Path, default=DEFAULT_TEMPLATE_PATH)
    parser.add_argument("--title", default="Modèle deckgen")
    parser.add_argument("--organisation", default=DEFAULT_ORGANISATION)
    args = parser.parse_args(argv)
    try:
        theme = load_theme(args.theme)
        path = build_template(
            theme, args.out, title=args.title, organisation=args.organisation or None
        )
    except DeckgenError as exc:
        print(f"{exc.kind}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
