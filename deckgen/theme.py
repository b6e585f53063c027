"""The deck's look: colours, fonts and sizes from config/theme.yaml.

Rendering reads everything visual from a Theme, so a communications team can
rebrand a deck by editing YAML, not code.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import SpecError, suggest, valid_list

_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")


def _check_hex(value: str) -> str:
    value = str(value).lstrip("#")
    if not _HEX.match(value):
        raise ValueError(f"expected a colour as 6 hex digits like 1D3557, got {value!r}")
    return value.upper()


class Fonts(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heading: str = "Arial"
    body: str = "Arial"


class Colors(BaseModel):
    model_config = ConfigDict(extra="forbid")
    primary: str = "1D3557"
    accent: str = "E63946"
    text: str = "2B2D42"
    muted: str = "6C757D"
    background: str = "FFFFFF"
    light: str = "F1F4F8"
    on_primary: str = "FFFFFF"
    series: list[str] = Field(min_length=1, default_factory=lambda: ["1D3557", "457B9D", "E63946", "F4A261"])
    likert: list[str] = Field(min_length=1, default_factory=lambda: ["1B6F6A", "7BC4B8", "F4A98C", "C8414D"])
    dont_know: str = "BFC5CC"
    map_scale: list[str] = Field(min_length=1, default_factory=lambda: ["CFE3EF", "7FB2D1", "3A7CA5", "1D3557"])
    map_empty: str = "EEF0F2"
    map_line: str = "FFFFFF"

    @field_validator("*", mode="before")
    @classmethod
    def _hex(cls, value: object) -> object:
        if isinstance(value, list):
            return [_check_hex(v) for v in value]
        return _check_hex(str(value))


class Sizes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: float = Field(28, ge=6, le=200)
    subtitle: float = Field(16, ge=6, le=200)
    body: float = Field(16, ge=6, le=200)
    callout_value: float = Field(54, ge=6, le=200)
    callout_text: float = Field(14, ge=6, le=200)
    chart_label: float = Field(12, ge=6, le=200)
    chart_axis: float = Field(12, ge=6, le=200)
    chart_legend: float = Field(12, ge=6, le=200)
    footnote: float = Field(10, ge=6, le=200)
    section_number: float = Field(96, ge=6, le=200)
    section_title: float = Field(36, ge=6, le=200)


class Theme(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "default"
    fonts: Fonts = Field(default_factory=Fonts)
    colors: Colors = Field(default_factory=Colors)
    sizes: Sizes = Field(default_factory=Sizes)
    small_base_threshold: int = Field(10, ge=0)


def load_theme(path: str | Path) -> Theme:
    """Read a theme file; a bad key or colour is a SpecError naming file:line and key."""
    from .yamlpos import load_yaml

    doc = load_yaml(Path(path), SpecError)
    try:
        return Theme.model_validate(doc.data or {})
    except ValidationError as exc:
        raise SpecError([_problem(doc, err) for err in exc.errors()]) from None


def _problem(doc, err: dict):
    loc = tuple(err["loc"])
    where = ".".join(str(p) for p in loc)
    if err["type"] == "extra_forbidden":
        section = {"fonts": Fonts, "colors": Colors, "sizes": Sizes}.get(str(loc[0])) if len(loc) > 1 else Theme
        valid = list(section.model_fields) if section else []
        message = f"{where}: unknown key `{loc[-1]}`{suggest(str(loc[-1]), valid)}; valid keys: {valid_list(valid)}"
        return doc.problem(loc, message, key=True)
    return doc.problem(loc, f"{where}: {err['msg']}")
