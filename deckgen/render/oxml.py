"""The one door to python-pptx's private parts.

python-pptx's public API has no word for some of what deckgen writes: a shape's
XML (alternative texts, names, decorative marks), a chart's XML (number formats,
tick-label spacing), a data label's own element, a package's relationships, a
part's bytes. Every such access goes through this module (and the speed-ups,
`render/speedups.py`, which patch python-pptx itself); `tests/test_adapter.py`
fails on a private access anywhere else.

They are verified on the python-pptx versions in `VERIFIED_PPTX` (pyproject pins
that range). On another version an access that still exists works as before, and
one that is gone is a clear error naming the version to install, never an
AttributeError from deep inside a build.
"""

from __future__ import annotations

from typing import Any

from deckgen.errors import RenderError
from deckgen.render.speedups import VERIFIED_PPTX, pptx_version


def _private(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except AttributeError as exc:
        raise RenderError(
            f"python-pptx {pptx_version()} has no `{type(obj).__name__}.{name}`, which deckgen "
            f"uses; deckgen is verified with python-pptx {', '.join(VERIFIED_PPTX)}: "
            f"pip install 'python-pptx=={VERIFIED_PPTX[-1]}'"
        ) from exc


def xml_of(obj: Any) -> Any:
    """The lxml element behind a shape, slide, series, axis, point or property set."""
    return _private(obj, "_element")


def chart_xml(chart: Any) -> Any:
    """A chart's `c:chartSpace` element."""
    return _private(chart, "_chartSpace")


def shape_tree(shapes: Any) -> Any:
    """A slide's `p:spTree` element (its shapes, in drawing order)."""
    return _private(shapes, "_spTree")


def slide_ids(slides: Any) -> Any:
    """The presentation's `p:sldIdLst` element (the slides, in order)."""
    return _private(slides, "_sldIdLst")


def paragraph_xml(paragraph: Any) -> Any:
    """A paragraph's `a:p` element."""
    return _private(paragraph, "_p")


def run_xml(run: Any) -> Any:
    """A run's `a:r` element."""
    return _private(run, "_r")


def text_body(frame: Any) -> Any:
    """A text frame's `p:txBody` element."""
    return _private(frame, "_txBody")


def table_xml(table: Any) -> Any:
    """A table's `a:tbl` element."""
    return _private(table, "_tbl")


def parent_of(obj: Any) -> Any:
    """The proxy object a python-pptx object was made from (a shape's shapes)."""
    return _private(obj, "_parent")


def data_label_xml(data_label: Any) -> Any:
    """A point's own `c:dLbl` element, added when it has none."""
    return _private(data_label, "_get_or_add_dLbl")()


def relationships(source: Any) -> Any:
    """A package's or part's relationships, by id."""
    return _private(source, "_rels")


def set_blob(part: Any, blob: bytes) -> None:
    """A part's bytes, replaced (a theme, the app properties, the manifest)."""
    _private(part, "_blob")
    part._blob = blob


def plain_part(part: Any, blob: bytes) -> None:
    """A loaded part (an XmlPart or a plain Part) made a plain one holding `blob`,
    written as it is (python-pptx would otherwise serialise its parsed XML)."""
    from pptx.opc.package import Part

    _private(part, "_blob")
    part.__class__ = Part
    part.__dict__.pop("_element", None)
    part._blob = blob


def load_xml(slide_part: Any, blob: bytes) -> Any:
    """A new slide's part given the XML `blob` (a slide kept by deckgen.render.shared),
    parsed as python-pptx parses a package's; returns its slide object, made anew."""
    from pptx.oxml import parse_xml

    _private(slide_part, "_element")
    slide_part._element = parse_xml(blob)
    slide_part.__dict__.pop("slide", None)  # the lazy property's slide of the old XML
    return slide_part.slide


def loaded_part(partname: Any, content_type: str, package: Any, blob: bytes) -> Any:
    """A part of `package` made from its bytes as python-pptx makes one when it reads a
    package (a chart part parsed, a workbook kept as bytes)."""
    from pptx.opc.package import PartFactory

    return PartFactory(partname, content_type, package, blob)


def escaped(text: str) -> str:
    """`text` with the control characters XML cannot hold escaped, as python-pptx
    escapes a run's text (`_x0007_`)."""
    from pptx.oxml.text import CT_RegularTextRun

    return str(_private(CT_RegularTextRun, "_escape_ctrl_chars")(text))
