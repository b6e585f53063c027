"""The manifest: what deckgen last wrote into a deck, kept in the deck itself.

`deckgen update` compares three things for each element (deckgen.render.identity):
what deckgen wrote last time (this manifest), what the edited deck holds now,
and what a fresh build gives. The manifest lives in the deck's custom document
properties (`docProps/custom.xml`), which LibreOffice and PowerPoint-compatible
tools keep (docs/refresh.md), as JSON cut into properties of at most
`CHUNK` characters (`deckgen.manifest.001`, `.002`…: Office shows and edits a
text property of up to 255 characters), compressed (zlib, then base64). The
team's own custom properties are kept.

Records, by element:
- chart: its series, each with its name, categories and values, as cached in
  the chart XML, and its alternative text;
- table: its cells' texts; map: its regions' fill colours and its texts;
- text (callout value, callout sentence, footnote): its text;
- notes: the speaker notes deckgen wrote.

Where the deck holds copies of an element (a duplicated slide, a chart pasted
twice), `copies` keeps, by key and by copy (1 for the first copy after the
original), what deckgen last wrote into a copy whose record differs from the
original's (a copy the team retyped while the others were updated).
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from deckgen.render.identity import key_of

CHUNK = 240
PREFIX = "deckgen.manifest."
VERSION = 1
_RT_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CT_CUSTOM = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": _A, "c": _C, "p": _P}


def xpath(element: Any, path: str) -> list[Any]:
    """`path` on any element (python-pptx's or plain lxml), with a:, c: and p:."""
    from lxml import etree

    return list(etree.XPath(path, namespaces=NS)(element))


# -- what a slide holds ----------------------------------------------------------------


def keyed_shapes(shapes: Any) -> Any:
    """The shapes of a shape collection that carry a key, also inside groups the
    team made (a keyed group, the map, is one element: not looked into)."""
    for shape in shapes:
        if key_of(shape.name) is not None:
            yield shape
        elif shape.shape_type == 6:  # a group of the team's
            yield from keyed_shapes(shape.shapes)


def slide_key(slide: Any) -> str | None:
    """The key of the spec slide `slide` shows: the one most of its keyed shapes name."""
    keys = [key_of(s.name)[0] for s in keyed_shapes(slide.shapes)]  # type: ignore[index]
    return max(sorted(set(keys)), key=keys.count) if keys else None


def records(slide: Any) -> dict[str, dict[str, Any]]:
    """Every keyed element of `slide`: {"slide#element": record}; the notes too."""
    out: dict[str, dict[str, Any]] = {}
    for shape in keyed_shapes(slide.shapes):
        key = key_of(shape.name)
        if key is not None:
            out["#".join(key)] = record(shape)
    owner = slide_key(slide)
    if owner is not None and slide.has_notes_slide:
        out[f"{owner}#notes"] = {"kind": "notes", "text": notes_text(slide)}
    return out


def notes_text(slide: Any) -> str:
    frame = slide.notes_slide.notes_text_frame
    return frame.text if frame is not None else ""


def record(shape: Any) -> dict[str, Any]:
    """What deckgen compares of one element."""
    alt = alt_text(shape)
    if getattr(shape, "has_chart", False):
        record: dict[str, Any] = {"kind": "chart", "series": chart_series(shape.chart), "alt": alt}
        top = axis_maximum(shape.chart)
        if top is not None:  # the value axis' maximum deckgen set (`update` follows it)
            record["axis"] = top
        return record
    if getattr(shape, "has_table", False):
        rows = [[cell.text for cell in row.cells] for row in shape.table.rows]
        return {"kind": "table", "cells": rows, "alt": alt}
    if shape.shape_type == 6:  # a group: the regions map
        fills, texts = {}, {}
        for child in shape.shapes:
            fill = child._element.find(f".//{{{_A}}}solidFill/{{{_A}}}srgbClr")
            if fill is not None:  # LibreOffice writes hex in lower case
                fills[child.name] = str(fill.get("val")).upper()
            if child.has_text_frame and child.text_frame.text:
                texts[child.name] = child.text_frame.text
        return {"kind": "map", "fills": fills, "texts": texts, "alt": alt}
    text = shape.text_frame.text if shape.has_text_frame else ""
    return {"kind": "text", "text": text, "alt": alt}


def axis_maximum(chart: Any) -> float | None:
    """The maximum of a chart's value axis, when it has one set."""
    found = xpath(chart._chartSpace, ".//c:valAx/c:scaling/c:max/@val")
    try:
        return float(found[0]) if found else None
    except ValueError:
        return None


def alt_text(shape: Any) -> str:
    found = xpath(shape._element, "./*[1]/p:cNvPr/@descr")
    return str(found[0]) if found else ""


def chart_series(chart: Any) -> list[dict[str, Any]]:
    """Each series of `chart` in document order: name, categories, values (None: no
    point), as the chart's own caches hold them (what every viewer draws)."""
    out = []
    for ser in chart._chartSpace.iter(f"{{{_C}}}ser"):
        name = "".join(xpath(ser, "./c:tx//c:v/text()"))
        cats = _points(ser, "c:cat")
        vals = _points(ser, "c:val")
        values: list[float | None] = []
        for v in vals:
            try:
                values.append(None if v is None else float(v))
            except ValueError:
                values.append(None)
        out.append({"name": name, "categories": cats, "values": values})
    return out


def _points(ser: Any, tag: str) -> list[Any]:
    caches = xpath(ser, f"./{tag}//c:strCache | ./{tag}//c:numCache")
    if not caches:
        return []
    cache = caches[0]
    count = xpath(cache, "./c:ptCount/@val")
    n = int(count[0]) if count else 0
    points: list[Any] = [None] * n
    for pt in xpath(cache, "./c:pt"):
        idx = int(pt.get("idx"))
        v = xpath(pt, "./c:v/text()")
        if 0 <= idx < n:
            points[idx] = v[0] if v else ""
    return points


# -- reading and writing it ------------------------------------------------------------


def write(prs: Any, manifest: dict[str, Any]) -> None:
    """Put `manifest` into `prs`'s custom properties (replacing an earlier one,
    keeping every other property). The properties are edited as one XML tree and
    serialised once: a property copied out and back would carry its own namespace
    declarations, which PowerPoint-compatible readers refuse ("Unknown attribute
    xmlns")."""
    from lxml import etree
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI

    text = _packed(manifest)
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
    package = prs.part.package
    part = _custom_part(prs)
    root = None
    if part is not None:
        try:
            root = etree.fromstring(part.blob)
        except etree.XMLSyntaxError:
            root = None  # unreadable: written afresh
    if root is None or root.tag != f"{{{_NS}}}Properties":
        root = etree.Element(f"{{{_NS}}}Properties", nsmap={None: _NS, "vt": _VT})
    for prop in list(root):
        if str(prop.get("name", "")).startswith(PREFIX):
            root.remove(prop)
    for n, chunk in enumerate(chunks):
        prop = etree.SubElement(root, f"{{{_NS}}}property")
        prop.set("fmtid", _FMTID)
        prop.set("name", f"{PREFIX}{n + 1:03d}")
        etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = chunk
    for pid, prop in enumerate(root, 2):  # ids from 2, in order, as Office numbers them
        prop.set("pid", str(pid))
    xml = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + etree.tostring(
        root, encoding="unicode"
    ).encode("utf-8")  # the declaration as Office writes it
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), _CT_CUSTOM, package, xml)
        package.relate_to(part, _RT_CUSTOM)
    else:
        part.__class__ = Part  # a loaded XmlPart or a plain Part: bytes from now on
        part.__dict__.pop("_element", None)
        part._blob = xml


def read(prs: Any) -> dict[str, Any] | None:
    """The manifest deckgen wrote into `prs`, or None (not a deck deckgen built,
    or its manifest unreadable)."""
    from lxml import etree

    part = _custom_part(prs)
    if part is None:
        return None
    try:
        root = etree.fromstring(part.blob)
    except etree.XMLSyntaxError:
        return None
    chunks = sorted(
        (_number(str(p.get("name"))), "".join(p.itertext()))
        for p in root
        if str(p.get("name", "")).startswith(PREFIX)
    )  # by number: .1000 comes after .999
    if not chunks:
        return None
    try:
        data = _unpacked("".join(text for _, text in chunks))
    except (ValueError, binascii.Error, zlib.error):
        return None
    return data if isinstance(data, dict) and data.get("version") == VERSION else None


def _number(name: str) -> int:
    tail = name[len(PREFIX) :]
    return int(tail) if tail.isdigit() else -1


def _packed(manifest: dict[str, Any]) -> str:
    """The manifest as compressed JSON in base64: ASCII, a sixth of its size."""
    raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return base64.b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii")


def _unpacked(text: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(text.encode("ascii"), validate=True)))


def _custom_part(prs: Any) -> Any:
    package = prs.part.package
    for rel in package._rels.values():
        if rel.reltype == _RT_CUSTOM and not rel.is_external:
            return rel.target_part
    return None
