"""The deck's look: colours, fonts and sizes from config/theme.yaml.

Rendering reads everything visual from a Theme, so a communications team can
rebrand a deck by editing YAML, not code.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import SpecError
from .model import Model, ModelError, field, path_text

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def _check_hex(value: str) -> str:
    value = str(value).lstrip("#")
    if not _HEX.match(value):
        raise ValueError(f"expected a colour as 6 hex digits like 1D3557, got {value!r}")
    return value.upper()


class Fonts(Model):
    heading: str = "Arial"
    body: str = "Arial"


def _colour(value: object) -> object:
    """A colour key's value (or list of them) as 6 upper-case hex digits.

    Checked on the raw YAML value: `primary: 123456` is read as a number.
    """
    if isinstance(value, list):
        return [_check_hex(v) for v in value]
    return _check_hex(str(value))


class Colors(Model):
    primary: str = field(default="1D3557", check=_colour, before=True)
    accent: str = field(default="E63946", check=_colour, before=True)
    text: str = field(default="2B2D42", check=_colour, before=True)
    muted: str = field(default="6C757D", check=_colour, before=True)
    background: str = field(default="FFFFFF", check=_colour, before=True)
    light: str = field(default="F1F4F8", check=_colour, before=True)
    on_primary: str = field(default="FFFFFF", check=_colour, before=True)
    series: list[str] = field(
        factory=lambda: ["1D3557", "457B9D", "E63946", "F4A261"],
        min_length=1,
        check=_colour,
        before=True,
    )
    likert: list[str] = field(
        factory=lambda: ["1B6F6A", "7BC4B8", "F4A98C", "C8414D"],
        min_length=1,
        check=_colour,
        before=True,
    )
    dont_know: str = field(default="BFC5CC", check=_colour, before=True)
    map_scale: list[str] = field(
        factory=lambda: ["CFE3EF", "7FB2D1", "3A7CA5", "1D3557"],
        min_length=1,
        check=_colour,
        before=True,
    )
    map_empty: str = field(default="EEF0F2", check=_colour, before=True)
    map_line: str = field(default="FFFFFF", check=_colour, before=True)


class Sizes(Model):
    title: float = field(default=28, ge=6, le=200)
    subtitle: float = field(default=16, ge=6, le=200)
    body: float = field(default=16, ge=6, le=200)
    callout_value: float = field(default=54, ge=6, le=200)
    callout_text: float = field(default=14, ge=6, le=200)
    chart_label: float = field(default=12, ge=6, le=200)
    chart_axis: float = field(default=12, ge=6, le=200)
    chart_legend: float = field(default=12, ge=6, le=200)
    footnote: float = field(default=10, ge=6, le=200)
    section_number: float = field(default=96, ge=6, le=200)
    section_title: float = field(default=36, ge=6, le=200)


class Theme(Model):
    name: str = "default"
    fonts: Fonts = field(factory=Fonts)
    colors: Colors = field(factory=Colors)
    sizes: Sizes = field(factory=Sizes)
    small_base_threshold: int = field(default=10, ge=0)


def load_theme(path: str | Path) -> Theme:
    """Read a theme file; a bad key or colour is a SpecError naming file:line and key."""
    from .yamlpos import load_yaml

    doc = load_yaml(Path(path), SpecError)
    unprintable = doc.unprintable()
    try:
        theme = Theme.validate(doc.data or {})
    except ModelError as exc:
        raise SpecError(
            unprintable
            + [
                doc.problem(at, f"{path_text(at)}: {message}", key=key)
                for at, message, key in exc.problems
            ]
        ) from None
    if unprintable:
        raise SpecError(unprintable)
    return theme
