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
import functools
import json
import zlib
from typing import Any

from deckgen.render.identity import key_of
from deckgen.render.oxml import chart_xml, plain_part, relationships, xml_of

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
    return list(_compiled(path)(element))


@functools.lru_cache(maxsize=256)
def _compiled(path: str) -> Any:
    """`path` compiled once (a deck's records evaluate a few paths thousands of times)."""
    from lxml import etree

    return etree.XPath(path, namespaces=NS)


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


def records(slide: Any, notes: str | None = None) -> dict[str, dict[str, Any]]:
    """Every keyed element of `slide`: {"slide#element": record}; the notes too
    (`notes`: their text as read before their part became bytes)."""
    out: dict[str, dict[str, Any]] = {}
    for shape in keyed_shapes(slide.shapes):
        key = key_of(shape.name)
        if key is not None:
            out["#".join(key)] = record(shape)
    _notes_record(out, slide, slide_key(slide), notes)
    return out


def marked_records(
    slide: Any,
    kept: dict[str, dict[str, Any]],
    owner: str | None,
    charts: list[Any],
    notes: str | None = None,
) -> dict[str, dict[str, Any]]:
    """`records(slide)` of a slide whose other elements were recorded before its marks
    were drawn (`kept`, `owner`: deckgen.render.marks): `charts`, which the marks
    changed, and the notes, read again."""
    out = dict(kept)
    for shape in charts:
        key = key_of(shape.name)
        if key is not None:
            out["#".join(key)] = record(shape)
    _notes_record(out, slide, owner, notes)
    return out


def _notes_record(out: dict, slide: Any, owner: str | None, notes: str | None) -> None:
    if owner is not None and slide.has_notes_slide:
        text = notes if notes is not None else notes_text(slide)
        out[f"{owner}#notes"] = {"kind": "notes", "text": text}


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
            fill = xml_of(child).find(f".//{{{_A}}}solidFill/{{{_A}}}srgbClr")
            if fill is not None:  # LibreOffice writes hex in lower case
                fills[child.name] = str(fill.get("val")).upper()
            if child.has_text_frame and child.text_frame.text:
                texts[child.name] = child.text_frame.text
        return {"kind": "map", "fills": fills, "texts": texts, "alt": alt}
    text = shape.text_frame.text if shape.has_text_frame else ""
    return {"kind": "text", "text": text, "alt": alt}


def axis_maximum(chart: Any) -> float | None:
    """The maximum of a chart's value axis, when it has one set."""
    found = xpath(chart_xml(chart), ".//c:valAx/c:scaling/c:max/@val")
    try:
        return float(found[0]) if found else None
    except ValueError:
        return None


def alt_text(shape: Any) -> str:
    found = xpath(xml_of(shape), "./*[1]/p:cNvPr/@descr")
    return str(found[0]) if found else ""


def chart_series(chart: Any) -> list[dict[str, Any]]:
    """Each series of `chart` in document order: name, categories, values (None: no
    point), as the chart's own caches hold them (what every viewer draws)."""
    out = []
    for ser in chart_xml(chart).iter(f"{{{_C}}}ser"):
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
            root = etree.fromstring(part.blob, parser=safe_parser())
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
        plain_part(part, xml)  # a loaded XmlPart or a plain Part: bytes from now on


class Damaged(ValueError):
    """A manifest that is there but cannot be trusted: not readable, larger than any
    deck's, or not of the shape deckgen writes (altered by hand or by a tool)."""


#: the most a manifest may inflate to: a 1,600-slide deck's is a few megabytes
MAX_INFLATED = 64 << 20
#: what a record of each kind holds, and the types of its fields
_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "chart": {"series": (list,), "alt": (str,), "axis": (int, float, type(None))},
    "table": {"cells": (list,), "alt": (str,)},
    "map": {"fills": (dict,), "texts": (dict,), "alt": (str,)},
    "text": {"text": (str,), "alt": (str,)},
    "notes": {"text": (str,)},
}


def read(prs: Any) -> dict[str, Any] | None:
    """The manifest deckgen wrote into `prs`, or None (not a deck deckgen built, or by
    a version before the manifest); Damaged where one is there but cannot be trusted."""
    from lxml import etree

    part = _custom_part(prs)
    if part is None:
        return None
    try:
        root = etree.fromstring(part.blob, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise Damaged(f"its custom document properties are not readable XML: {exc}") from None
    chunks = sorted(
        (_number(str(p.get("name"))), "".join(p.itertext()))
        for p in root
        if str(p.get("name", "")).startswith(PREFIX)
    )  # by number: .1000 comes after .999
    if not chunks:
        return None
    try:
        data = _unpacked("".join(text for _, text in chunks))
    except Damaged:
        raise
    except (ValueError, binascii.Error, zlib.error) as exc:
        raise Damaged(f"its properties {PREFIX}* do not decode ({exc})") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise Damaged(f"it is not a version {VERSION} manifest")
    problem = _shape_problem(data)
    if problem:
        raise Damaged(problem)
    return data


def safe_parser() -> Any:
    """An XML parser that reads no entity, no DTD and nothing from the network."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False)  # fmt: skip


def _shape_problem(data: dict[str, Any]) -> str:
    """What, in a decoded manifest, is not as deckgen writes it ("" when all is)."""

    def record_problem(key: str, record: Any) -> str:
        if not isinstance(key, str) or key_of(f"x [{key}]") is None:
            return f"{key!r} is not an element's key"
        if not isinstance(record, dict) or record.get("kind") not in _FIELDS:
            return f"the record of {key} has no known kind"
        for name, types in _FIELDS[record["kind"]].items():
            if name in record and not isinstance(record[name], types):
                return f"the record of {key} has a {name} of the wrong type"
        for series in record.get("series", []):
            if not (
                isinstance(series, dict)
                and isinstance(series.get("name"), str)
                and isinstance(series.get("categories"), list)
                and isinstance(series.get("values"), list)
                and all(v is None or isinstance(v, (int, float)) for v in series["values"])
            ):
                return f"a series of {key} is not as deckgen writes it"
        return ""

    elements = data.get("elements", {})
    if not isinstance(elements, dict):
        return "its elements are not a table"
    for key, record in elements.items():
        problem = record_problem(key, record)
        if problem:
            return problem
    copies = data.get("copies", {})
    if not isinstance(copies, dict):
        return "its copies are not a table"
    for key, own in copies.items():
        if not isinstance(own, dict) or not all(str(n).isdigit() for n in own):
            return f"the copies of {key!r} are not numbered"
        for record in own.values():
            problem = record_problem(key, record)
            if problem:
                return problem
    slides = data.get("slides", [])
    if not isinstance(slides, list) or not all(
        isinstance(entry, list) and all(isinstance(x, str) for x in entry) for entry in slides
    ):
        return "its slides are not a list of keys and titles"
    reported = data.get("reported", [])
    if not isinstance(reported, list) or not all(isinstance(x, str) for x in reported):
        return "its reported conflicts are not a list"
    return ""


def _number(name: str) -> int:
    tail = name[len(PREFIX) :]
    return int(tail) if tail.isdigit() else -1


def _packed(manifest: dict[str, Any]) -> str:
    """The manifest as compressed JSON in base64: ASCII, a sixth of its size."""
    raw = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return base64.b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii")


def _unpacked(text: str) -> Any:
    """The manifest's JSON, inflated to MAX_INFLATED at most (Damaged past it)."""
    packed = base64.b64decode(text.encode("ascii"), validate=True)
    inflate = zlib.decompressobj()
    raw = inflate.decompress(packed, MAX_INFLATED)
    if inflate.unconsumed_tail:
        raise Damaged(f"it inflates past {MAX_INFLATED >> 20} MB, more than any deck's manifest")
    return json.loads(raw)


def _custom_part(prs: Any) -> Any:
    package = prs.part.package
    for rel in relationships(package).values():
        if rel.reltype == _RT_CUSTOM and not rel.is_external:
            return rel.target_part
    return None
