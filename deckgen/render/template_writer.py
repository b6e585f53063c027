"""Writing deckgen's own templates (`make template`), deterministically.

`build_template` writes a 16:9 template with the five named layouts the
renderer asks for, from a Theme: same theme, same bytes, so the built file can
be committed and diffed. Two are built: the neutral default that ships inside
the package (`deckgen/resources/template.pptx`, used by a spec without
`template:`) and the seed deck's branded one (`layouts/deckgen-template.pptx`).
Only the build-time tools import this module.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu

from deckgen.errors import DeckgenError
from deckgen.inputs.theme import Theme, load_theme
from deckgen.render.geometry import Rect, inches
from deckgen.render.oxml import relationships, set_blob, xml_of
from deckgen.render.template import (
    CONTENT_PLACEHOLDER_IDX,
    LAYOUT_NAMES,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    open_template,
)

if TYPE_CHECKING:
    from pptx.presentation import Presentation as PresentationT

#: Fixed timestamp for core properties and zip entries, so two builds are byte-identical.
FIXED_DATETIME = dt.datetime(2021, 7, 1, 0, 0, 0)

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
        f"<a:p><a:r><a:rPr/><a:t>{escape(prompt)}</a:t></a:r></a:p>"
        "</p:txBody></p:sp>"
    )


def _bar(shape_id: int, rect: Rect, color: str) -> str:
    """The thin accent bar: a static rectangle, part of the brand, not editable per slide."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="Accent bar"/>'
        '<p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
        "</p:sp>"
    )


def _static_text(
    shape_id: int, name: str, rect: Rect, text: str, *, size: float, color: str, font: str
) -> str:
    """A static text box on a layout (footer): shows on every slide, never filled in."""
    run_props = _rpr(size=size, color=color, font=font, tag="a:rPr")
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
            "Title",
            'type="ctrTitle"',
            _box(0.8, 1.6, 11.733, 2.1),
            "Presentation title",
            size=hero,
            color=c.on_primary,
            font=f.heading,
            bold=True,
            anchor="b",
        ),
        _bar(3, _box(0.8, 3.92, 1.4, 0.08), c.accent),
        _placeholder(
            4,
            "Subtitle",
            'type="subTitle" idx="1"',
            _box(0.8, 4.25, 11.733, 1.2),
            "Subtitle",
            size=lead,
            color=c.on_primary,
            font=f.body,
        ),
        _placeholder(
            5,
            "Date and organisation",
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
            "Section number",
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
            "Section title",
            'type="title"',
            _box(0.8, 3.6, 11.733, 2.2),
            "Section title",
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
                "Title",
                'type="title"',
                _box(0.5, 0.3, 12.333, 0.85),
                "Slide title",
                size=s.title,
                color=c.primary,
                font=f.heading,
                bold=True,
                anchor="b",
            ),
            _bar(3, _box(0.5, 1.25, 0.9, 0.06), c.accent),
            _placeholder(
                4,
                "Content area",
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
                    "Footer",
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
            "Title",
            'type="title"',
            _box(0.8, 1.6, 11.733, 2.2),
            "Closing title",
            size=hero,
            color=c.on_primary,
            font=f.heading,
            bold=True,
            anchor="b",
        ),
        _bar(3, _box(0.8, 4.02, 1.4, 0.08), c.accent),
        _placeholder(
            4,
            "Next event",
            'type="body" idx="1"',
            _box(0.8, 4.35, 11.733, 2.2),
            "Next event",
            size=lead,
            color=c.on_primary,
            font=f.body,
        ),
    ]
    return [
        _layout_xml("title", "title", c.primary, title),
        _layout_xml("section", "secHead", c.primary, section),
        _layout_xml("chart", "obj", c.background, content("Chart area")),
        _layout_xml("callouts", "obj", c.background, content("Key figures area")),
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
            "Title",
            'type="title"',
            _box(0.5, 0.3, 12.333, 0.85),
            "Master title",
            size=s.title,
            color=c.text,
            font=f.heading,
            bold=True,
            anchor="b",
        )
        + _placeholder(
            3,
            "Text",
            'type="body" idx="1"',
            _box(0.5, 1.5, 12.333, 5.25),
            "Master text",
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
        f"<p:otherStyle><a:defPPr><a:defRPr/></a:defPPr>{other}</p:otherStyle>"
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


# --------------------------------------------------------------------------- public API


def build_template(
    theme: Theme,
    out_path: Path,
    *,
    title: str = "deckgen",
    organisation: str | None = None,
) -> Path:
    """Write our 16:9 template with the five named layouts; return its path.

    Starts from python-pptx's default template (so the package skeleton is one
    python-pptx and PowerPoint already agree on), keeps five layout parts and
    rewrites them, drops the rest with their relationships, and scrubs the
    default template's leftovers (thumbnail, printer settings, author, dates).
    `organisation` is shown as a small footer on the chart and callouts layouts
    (decks get theirs from the spec: deckgen's templates carry none).
    """
    from deckgen.files import write_atomic

    # atomic: a build or `deckgen watch` reading the template meanwhile never sees half a file
    return write_atomic(template_bytes(theme, title=title, organisation=organisation), out_path)


def template_bytes(
    theme: Theme, *, title: str = "deckgen", organisation: str | None = None
) -> bytes:
    """The bytes of the template `build_template` writes (same theme, same bytes)."""
    prs = Presentation()
    prs.slide_width = Emu(SLIDE_WIDTH)
    prs.slide_height = Emu(SLIDE_HEIGHT)
    sld_sz = xml_of(prs.part).find(qn("p:sldSz"))
    if sld_sz is not None and "type" in sld_sz.attrib:
        del sld_sz.attrib["type"]  # "screen4x3" would be a lie; no type means custom size

    master = prs.slide_masters[0]
    layouts = list(master.slide_layouts)
    for extra in layouts[len(LAYOUT_NAMES) :]:
        master.slide_layouts.remove(extra)  # drops the sldLayoutId, the rel and so the part
    for layout, xml in zip(layouts, _layouts(theme, organisation), strict=False):
        _replace_element_content(xml_of(layout), xml)

    csld_xml, styles_xml = _master_parts(theme)
    master_el = xml_of(master)
    master_el.replace(master_el.find(qn("p:cSld")), parse_xml(csld_xml))
    master_el.replace(master_el.find(qn("p:txStyles")), parse_xml(styles_xml))

    theme_part = master.part.part_related_by(RT.THEME)
    set_blob(theme_part, _apply_theme_part(theme_part.blob, theme))

    # -- leftovers of python-pptx's default template --
    package = prs.part.package
    for rId, rel in list(relationships(package).items()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rId)
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rId)
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            set_blob(part, _app_properties(part.blob, theme))

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
    from deckgen.files import normalize

    return normalize(buffer.getvalue())


def open_project_template(template: Path | None, theme: object) -> PresentationT:
    """The template of a build: the file named, or one made now from the theme (a spec
    with a theme and no template: its colours, fonts and sizes, at build time)."""
    if template is not None:
        return open_template(template)
    return Presentation(io.BytesIO(template_bytes(theme)))  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Write a deckgen template (.pptx) from a theme."""
    parser = argparse.ArgumentParser(
        prog="python -m deckgen.render.template_writer",
        description="Write a 16:9 PowerPoint template with the five layouts deckgen fills "
        "(title, section, chart, callouts, closing), in the colours, fonts and sizes of a theme. "
        "The same theme gives the same bytes.",
        epilog="Example: python -m deckgen.render.template_writer --theme config/theme.yaml "
        '--organisation "Ville de X" --out layouts/deckgen-template.pptx',
    )
    parser.add_argument(
        "--theme", type=Path, help="Theme YAML (default: deckgen's neutral built-in theme)."
    )
    parser.add_argument("--out", type=Path, required=True, help="The .pptx to write.")
    parser.add_argument(
        "--title", default="deckgen", help="Title in the template's document properties."
    )
    parser.add_argument(
        "--organisation", help="Footer text of the chart and callouts layouts (default: none)."
    )
    args = parser.parse_args(argv)
    try:
        theme = load_theme(args.theme) if args.theme else Theme()
        path = build_template(theme, args.out, title=args.title, organisation=args.organisation)
    except DeckgenError as exc:
        print(f"{exc.kind}: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
