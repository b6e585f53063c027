"""The deck spec: a YAML file that says, slide by slide, what to show.

`load_spec()` reads the YAML with positions, validates it with pydantic, and
turns every problem into `file:line:col: slide N "title": message` with the
valid names and the nearest one. All problems are collected and raised once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem, SpecError, suggest, valid_list
from .indicator_spec import Indicator
from .theme import _check_hex
from .yamlpos import Located, load_yaml

CHART_TYPES = ("bar", "column", "stacked100", "pie", "doughnut", "ranking", "map")
LOCALES = ("fr", "en")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Chart(Strict):
    """A native chart (or the regions map) computed from one indicator."""

    type: Literal["bar", "column", "stacked100", "pie", "doughnut", "ranking", "map"] = Field(
        description="bar (horizontal), column, stacked100 (Likert), pie, doughnut, ranking (top-N bars), map (regions)."
    )
    indicator: Indicator = Field(description="What to compute (see `indicator:`).")
    title: str | None = Field(None, description="Chart title shown above it (defaults to none).")
    labels: bool = Field(True, description="Show data labels as percentages.")
    legend: Literal["auto", "none", "bottom", "right", "top"] = Field(
        "auto", description="Legend position; auto shows one where series or slices need it."
    )
    colors: list[str] | None = Field(None, description="Override the theme's series colours (hex).")

    @field_validator("colors")
    @classmethod
    def _hex_colors(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [_check_hex(v) for v in value]
    digits: int = Field(0, ge=0, le=2, description="Decimals in percentages.")
    alt_text: str | None = Field(None, description="Alternative text; generated from the values when absent.")
    weight: float = Field(1.0, gt=0, description="Relative width when several charts share a slide.")


class Callout(Strict):
    """A big number with its sentence, e.g. '97 %' + 'des collectivités ont un service dédié'."""

    indicator: Indicator = Field(description="What to compute (see `indicator:`).")
    text: str = Field(description="The sentence under the number; may use {value}, {count}, {base}; **bold** allowed.")
    option: str | None = Field(None, description="For a distribution/multi indicator: the option whose value is shown.")
    expect: float | None = Field(
        None, description="Published value (integer percent, or a count): the build fails if the data disagree."
    )
    alt_text: str | None = Field(None, description="Alternative text; generated from the value when absent.")


class TextBlock(Strict):
    heading: str | None = Field(None, description="A bold line above the bullets.")
    bullets: list[str] = Field(default_factory=list, description="Bullet points; **bold** allowed.")


class Slide(Strict):
    layout: str = Field(description="Template layout name: title, section, chart, callouts, closing (or your template's).")
    title: str = Field(description="Slide title (a real title placeholder).")
    subtitle: str | None = Field(None, description="Subtitle (title slide).")
    number: str | None = Field(None, description="Section number on a section slide.")
    text: list[str | TextBlock] = Field(default_factory=list, description="Paragraphs or {heading, bullets} blocks.")
    chart: Chart | None = Field(None, description="One chart (shorthand for charts: [ ... ]).")
    charts: list[Chart] = Field(default_factory=list)
    callouts: list[Callout] = Field(default_factory=list)
    remark: str | None = Field(None, description="A highlighted sentence at the bottom of the slide.")
    footnote: str | bool | None = Field(None, description="Text, or false for none; default: the bases, generated.")
    notes: str | None = Field(None, description="Speaker notes (added to the generated ones; see notes_mode).")
    notes_mode: Literal["extend", "replace"] = Field(
        "extend", description="extend: your notes then the generated ones; replace: yours only."
    )

    @model_validator(mode="after")
    def _one_chart_list(self) -> Slide:
        if self.chart is not None:
            if self.charts:
                raise ValueError("use either `chart` or `charts`, not both")
            self.charts = [self.chart]
            self.chart = None
        return self


class Deck(Strict):
    title: str = Field(description="Deck title (document properties, title slide).")
    subtitle: str | None = Field(None, description="Deck subtitle.")
    date: str | None = Field(None, description="Date shown on the title slide, as written.")
    organisation: str | None = Field(None, description="Publishing organisation.")
    source: str | None = Field(None, description="Data source, for notes and exports.")
    data: str = Field(description="Path to the survey codebook (codebook.yaml), relative to the spec.")
    responses: str | None = Field(None, description="Responses file (CSV/XLSX) if not the codebook's own.")
    theme: str | None = Field(None, description="Theme YAML, relative to the spec.")
    template: str | None = Field(None, description="PowerPoint template (.pptx) with named layouts.")
    locale: Literal["fr", "en"] = Field("fr", description="Number format: fr (97 %) or en (97%).")


class Spec(Strict):
    deck: Deck = Field(description="What the deck is and where its data, theme and template are.")
    slides: list[Slide] = Field(min_length=1, description="The slides, in order.")

    # set by load_spec
    _path: Path | None = None
    _located: Located | None = None

    @property
    def path(self) -> Path:
        assert self._path is not None
        return self._path

    @property
    def located(self) -> Located:
        assert self._located is not None
        return self._located

    def resolve(self, relative: str) -> Path:
        return (self.path.parent / relative).resolve()


def slide_context(raw: Any, index: int) -> str:
    title = raw.get("title") if isinstance(raw, dict) else None
    if isinstance(title, str):
        title = _UNPRINTABLE.sub("", title)
    return f'slide {index + 1} "{title}"' if title else f"slide {index + 1}"


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec (structure only; see check_spec for data)."""
    path = Path(path)
    doc = load_yaml(path, SpecError)
    if not isinstance(doc.data, dict):
        raise SpecError(doc.problem((), "a spec is a mapping with `deck:` and `slides:`"))
    unprintable = _unprintable(doc)
    try:
        spec = Spec.model_validate(doc.data)
    except ValidationError as exc:
        raise SpecError(unprintable + _problems(exc, doc)) from None
    if unprintable:
        raise SpecError(unprintable)
    spec._path = path
    spec._located = doc
    return spec


# Characters XML 1.0 (so PowerPoint) cannot hold; a text pasted from elsewhere may carry them.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _unprintable(doc: Located) -> list[Problem]:
    """A problem for each text holding a control character, with its place."""
    problems = []

    def walk(node: Any, at: tuple) -> None:
        if isinstance(node, str):
            bad = _UNPRINTABLE.search(node)
            if bad:
                context = slide_context(doc.data["slides"][at[1]], at[1]) if (
                    len(at) > 1 and at[0] == "slides" and isinstance(doc.data.get("slides"), list)) else None
                problems.append(doc.problem(at, f"{_path_text(at)}: the text contains the control character "
                                                f"U+{ord(bad.group()):04X}, which a slide cannot show; remove it",
                                            context=context))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, at + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, at + (i,))

    walk(doc.data, ())
    return problems


def _problems(exc: ValidationError, doc: Located) -> list[Problem]:
    problems = []
    seen = set()
    for err in exc.errors():
        loc = _clean_loc(err["loc"], doc.data)
        message, key = _message(err, loc, doc)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        context = slide_context(doc.data["slides"][loc[1]], loc[1]) if (
            len(loc) > 1 and loc[0] == "slides" and isinstance(loc[1], int)
            and isinstance(doc.data.get("slides"), list) and loc[1] < len(doc.data["slides"])
        ) else None
        problems.append(doc.problem(loc, f"{_path_text(loc)}: {message}", key=key, context=context))
    return problems


def _clean_loc(loc: tuple, data: Any) -> tuple:
    """Drop the union branch names pydantic adds into locations ('str', 'TextBlock'),
    but never a key the user wrote (an unknown key `Title` must be named as such)."""
    out: list = []
    node = data
    for p in loc:
        present = (isinstance(node, dict) and p in node) or (
            isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node))
        if present:
            node = node[p]
        elif isinstance(p, str) and (p[:1].isupper() or p in ("str", "bool")):
            continue
        else:
            node = None
        out.append(p)
    return tuple(out)


def _path_text(loc: tuple) -> str:
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top)"


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: Any = Spec
    for p in loc:
        if isinstance(p, int):
            continue
        fields = getattr(model, "model_fields", None)
        if not fields or p not in fields:
            return None
        ann = fields[p].annotation
        model = _unwrap(ann)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(ann: Any) -> Any:
    args = getattr(ann, "__args__", None)
    if args:
        for a in args:
            inner = _unwrap(a)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return ann


def _message(err: dict, loc: tuple, doc: Located) -> tuple[str, bool]:
    kind = err["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        parent = _model_at(loc[:-1])
        valid = list(parent.model_fields) if parent else []
        return f"unknown key `{key}`{suggest(key, valid)}; valid keys: {valid_list(valid)}", True
    if kind == "literal_error":
        got = err.get("input")
        expected = [str(v) for v in (err.get("ctx", {}).get("expected", "")).replace("'", "").split(" or ")]
        expected = [e for part in expected for e in part.split(", ")]
        what = {"type": "chart type", "kind": "indicator kind"}.get(str(loc[-1]), str(loc[-1]))
        return f"`{got}` is not a valid {what}{suggest(str(got), expected)}; valid: {valid_list(expected)}", False
    if kind == "missing":
        return f"missing required key `{loc[-1]}`", False
    if kind in ("string_type", "int_type", "float_type", "bool_type", "list_type", "dict_type", "model_type", "int_parsing", "float_parsing", "bool_parsing"):
        expected = _EXPECTED_NAMES[kind.split("_")[0]]
        got = err.get("input")
        return f"expected {expected}, got {_TYPE_NAMES.get(type(got).__name__, type(got).__name__)} `{got}`", False
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, "), False
    return err["msg"], False


_EXPECTED_NAMES = {
    "string": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
    "list": "a list", "dict": "a mapping", "model": "a mapping",
}
_TYPE_NAMES = {"str": "text", "int": "a number", "float": "a number", "bool": "true/false", "list": "a list",
               "dict": "a mapping", "NoneType": "nothing"}
