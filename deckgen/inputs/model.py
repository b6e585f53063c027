"""Typed, documented models of what users write in YAML (the spec, the theme).

A model is a class whose annotated attributes are its keys:

    class Chart(Model):
        type: Literal["bar", "pie"] = field(description="bar or pie.")
        digits: int = field(default=0, ge=0, le=2, description="Decimals in percentages.")

`Chart.validate(data)` returns an instance or raises ModelError listing every
problem at once, each with the path of the key it is about (so the caller can
say file:line:col) and a message for the user: an unknown key with the nearest
valid one, a missing key, a wrong type ("expected a number, got text
`beaucoup`"), a value out of range, what a field's own check says.
`json_schema(Model)` describes the same fields for editors, and
docs/spec-reference.md is generated from them (deckgen.inputs.specdoc).

Supported annotations: str, bool, int, float, Any, Literal[...], list[X],
dict[str, Any], another Model, and unions of these (X | None, str | TextBlock).
Values convert as a YAML writer expects: an int where a float is expected, a
float with no fraction where an int is, a quoted number ("2") where a number
is. Booleans are strict: only YAML's own `true` and `false` (a quoted "false"
or a 0 is refused: read as text or a number, it would be true or silently
false). Nothing else converts: a number is not text, true is not a number. In
a union, a member taking the value as it is wins over one that would convert it.

These models were pydantic ones. Importing pydantic and building the models
took about 100 ms of every `deckgen build` in a fresh process (a fifth of the
real deck's whole build), and each of its messages was rewritten for users
anyway; this module does what deckgen used, in a few milliseconds.
"""

from __future__ import annotations

import copy
import math
import sys
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar, Union

from typing_extensions import dataclass_transform

from deckgen.errors import DeckgenError, suggest, valid_list

if TYPE_CHECKING:
    from deckgen.inputs.yamlpos import Located

KeyPath = tuple  # of str (mapping keys) and int (list indexes)


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True)
class Field:
    """One key of a model: its default, limits, description and check."""

    default: Any = REQUIRED
    factory: Callable[[], Any] | None = None
    description: str | Callable[[], str] = ""
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    min_length: int | None = None
    # check(value) returns the value to keep or raises ValueError(message for the user);
    # it runs after the type is checked, or on the raw value with before=True
    check: Callable[[Any], Any] | None = None
    before: bool = False
    what: str = ""  # what a value names, for messages: "`donut` is not a valid chart type"
    # the valid values, asked when a value is checked (a registry that plug-ins extend)
    choices: Callable[[], Sequence[str]] | None = None
    name: str = ""
    annotation: Any = None

    @property
    def text(self) -> str:
        """The description (a callable description is asked now: it may list a registry)."""
        return self.description() if callable(self.description) else self.description

    @property
    def required(self) -> bool:
        return self.default is REQUIRED and self.factory is None

    def make_default(self) -> Any:
        if self.factory is not None:
            return self.factory()
        # a list or mapping written as a default is copied: instances never share one
        return (
            copy.deepcopy(self.default)
            if isinstance(self.default, (list, dict, set))
            else self.default
        )


def field(
    *,
    default: Any = REQUIRED,
    factory: Callable[[], Any] | None = None,
    description: str | Callable[[], str] = "",
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    min_length: int | None = None,
    check: Callable[[Any], Any] | None = None,
    before: bool = False,
    what: str = "",
    choices: Callable[[], Sequence[str]] | None = None,
) -> Any:
    """Declare a model key: `x: int = field(default=0, ge=0, description="...")`.

    `default` is a keyword, as type checkers read it (dataclass_transform)."""
    return Field(
        default, factory, description, ge, gt, le, min_length, check, before, what, choices
    )


class ModelError(ValueError):
    """Every problem of one validation: (key path, message, is the key itself at fault)."""

    def __init__(self, problems: list[tuple[KeyPath, str, bool]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path_text(p)}: {m}" for p, m, _ in problems))


M = TypeVar("M", bound="Model")


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
class Model:
    """Base of the models. Keyword construction validates like `validate`.

    A subclass's declarations are checked when it is defined: a default that its
    own type or limits refuse (`Literal["a", "b"]` with default "zzz", `ge=0`
    with default -5) is a TypeError naming the class and the key.
    """

    _fields_cache: ClassVar[dict[str, Field] | None] = None

    def __init__(self, **values: Any) -> None:
        problems: list[tuple[KeyPath, str, bool]] = []
        self._fill(values, (), problems)
        if problems:
            raise ModelError(problems)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _check_declarations(cls, strict=False)

    @classmethod
    def fields(cls) -> dict[str, Field]:
        """The keys, in declaration order (a base class's first)."""
        cached = cls.__dict__.get("_fields_cache")
        if cached is None:
            cached = _fields(cls, typing.get_type_hints(cls))
            cls._fields_cache = cached
            _check_declarations(cls, strict=True)
        return cached

    @classmethod
    def validate(cls: type[M], data: Any, at: KeyPath = ()) -> M:
        """An instance from `data` (a mapping), or ModelError with every problem."""
        problems: list[tuple[KeyPath, str, bool]] = []
        value = _convert(cls, data, at, problems)
        if problems:
            raise ModelError(problems)
        return typing.cast(M, value)

    def validated(self) -> None:
        """Checks across keys, once each key is valid; raise ValueError(message)."""

    def given(self, key: str) -> bool:
        """Whether `key` was written in the input (not a default)."""
        return key in self.__dict__.get("_given", ())

    def _fill(self, data: dict, at: KeyPath, problems: list) -> None:
        fields = self.fields()
        before = len(problems)
        self._given = frozenset(k for k in data if k in fields)
        for key in data:
            if key not in fields:
                problems.append(
                    (
                        at + (key,),
                        f"unknown key `{key}`{suggest(str(key), fields)}; "
                        f"valid keys: {valid_list(fields)}",
                        True,
                    )
                )
        for name, spec in fields.items():
            if name in data:
                value = _before(spec, data[name], at + (name,), problems)
                if value is not _INVALID:
                    value = _convert(spec.annotation, value, at + (name,), problems, spec)
            elif spec.required:
                problems.append((at + (name,), f"missing required key `{name}`", False))
                continue
            else:
                value = spec.make_default()
            setattr(self, name, value)
        if len(problems) == before:
            try:
                self.validated()
            except ValueError as exc:
                problems.append((at, str(exc), False))

    def to_dict(self) -> dict[str, Any]:
        """The values, as plain data (nested models as dicts)."""
        return {name: _plain(getattr(self, name)) for name in self.fields()}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.to_dict() == self.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value: not a dict key

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({shown})"


def _fields(cls: type, hints: dict[str, Any]) -> dict[str, Field]:
    found: dict[str, Field] = {}
    for klass in reversed(cls.__mro__):
        for name in klass.__dict__.get("__annotations__", {}):
            if name.startswith("_") or name in found or name not in hints:
                continue
            declared = getattr(cls, name, REQUIRED)
            spec = declared if isinstance(declared, Field) else Field(default=declared)
            found[name] = replace(spec, name=name, annotation=hints[name])
    return found


def _check_declarations(cls: type, strict: bool) -> None:
    """Each default fits its key's type, limits and choices, or a TypeError.

    At definition (`strict` False) a type naming a class defined further down
    cannot be read yet: those keys are checked when the model is first used.
    """
    module = sys.modules.get(cls.__module__)
    names = {**vars(typing), **(vars(module) if module else {}), cls.__name__: cls}
    hints: dict[str, Any] = {}
    for name, ann in cls.__dict__.get("__annotations__", {}).items():
        if name.startswith("_"):
            continue
        try:
            hints[name] = eval(ann, names) if isinstance(ann, str) else ann  # noqa: S307
        except NameError:
            if strict:
                raise
    for name, spec in _fields(cls, hints).items():
        if name not in cls.__dict__.get("__annotations__", {}) or spec.required:
            continue
        problems: list[tuple[KeyPath, str, bool]] = []
        value = _plain(spec.make_default())  # a model instance checked as the mapping it is
        if value is None and not _allows_none(spec.annotation):
            problems.append(((name,), "None is not of its type", False))
        elif value is not None:
            if spec.check is not None and spec.before:
                value = _before(spec, value, (name,), problems)
            if value is not _INVALID:
                _convert(spec.annotation, value, (name,), problems, spec)
        if problems:
            raise TypeError(
                f"{cls.__name__}.{name}: the default {spec.default!r} does not fit its own "
                f"declaration: {problems[0][1]}"
            )


def _allows_none(ann: Any) -> bool:
    return ann is Any or ann is None or (_is_union(ann) and _NONE in typing.get_args(ann))


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.to_dict()
    if hasattr(value, "to_data"):  # a parsed value that keeps what was written (a condition)
        return value.to_data()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# -- conversion ------------------------------------------------------------------

_INVALID: Any = object()
_NONE = type(None)
_EXPECTED = {
    str: "text",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
    list: "a list",
    dict: "a mapping",
}


def _is_union(ann: Any) -> bool:
    return typing.get_origin(ann) in (Union, types.UnionType)


def _is_model(ann: Any) -> bool:
    return isinstance(ann, type) and issubclass(ann, Model)


def _is_parsed(ann: Any) -> bool:
    """A class written as a mapping and read by its own `from_data` (a condition)."""
    return isinstance(ann, type) and hasattr(ann, "from_data") and not _is_model(ann)


def _base(ann: Any) -> Any:
    """list[str] -> list, dict[str, Any] -> dict, a Model -> dict (what YAML must give)."""
    if _is_model(ann) or _is_parsed(ann):
        return dict
    return typing.get_origin(ann) or ann


def _scalar(kind: Any, value: Any, lax: bool) -> tuple[bool, Any]:
    """(fits, value converted) for a scalar kind; `lax` allows the conversions
    of the module docstring, without it only the value as it is fits."""
    if kind is bool:
        # only YAML's own true and false: a quoted "false" is text, and text is true
        return isinstance(value, bool), value
    if isinstance(value, bool):
        return False, value  # true/false is never a number
    try:
        if kind is int:
            if isinstance(value, int):
                return True, value
            if lax and isinstance(value, float) and value.is_integer():
                return True, int(value)
            if lax and isinstance(value, str):
                return True, int(value.strip())
        elif kind is float:
            if isinstance(value, (int, float)):
                number = float(value)
            elif lax and isinstance(value, str):
                number = float(value.strip())
            else:
                return False, value
            return math.isfinite(number), number
    except (ValueError, OverflowError):
        pass
    return False, value


def _accepts(ann: Any, value: Any, lax: bool = True) -> bool:
    """Whether `value` is of the kind `ann` takes (its contents not checked)."""
    if typing.get_origin(ann) is Literal:
        return value in typing.get_args(ann)
    kind = _base(ann)
    if kind is Any:
        return True
    if kind in (bool, int, float):
        return _scalar(kind, value, lax)[0]
    return isinstance(value, kind)


def _expected(ann: Any) -> str:
    if typing.get_origin(ann) is Literal:
        return "one of " + valid_list(str(v) for v in typing.get_args(ann))
    return _EXPECTED.get(_base(ann), getattr(ann, "__name__", str(ann)))


def got(value: Any) -> str:
    """'text `beaucoup`', 'a number `3`': what the user wrote, for a message."""
    if value is None:
        return "nothing"
    names = {
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        list: "a list",
        dict: "a mapping",
    }
    return f"{names.get(type(value), type(value).__name__)} `{value}`"


def _before(spec: Field, value: Any, at: KeyPath, problems: list) -> Any:
    """A field's check on the raw value (before=True), once, before any conversion."""
    if spec.check is None or not spec.before:
        return value
    try:
        return spec.check(value)
    except ValueError as exc:
        problems.append((at, str(exc), False))
        return _INVALID


def _convert(ann: Any, value: Any, at: KeyPath, problems: list, spec: Field | None = None) -> Any:
    """`value` checked (and converted) against `ann`; problems appended, _INVALID if any."""
    if _is_union(ann):
        members = [m for m in typing.get_args(ann) if m is not _NONE]
        if value is None and len(members) < len(typing.get_args(ann)):
            return None
        fitting = [m for m in members if _accepts(m, value, lax=False)] or [
            m for m in members if _accepts(m, value, lax=True)
        ]
        if fitting or len(members) == 1:
            return _convert(fitting[0] if fitting else members[0], value, at, problems, spec)
        problems.append(
            (at, f"expected {' or '.join(_expected(m) for m in members)}, got {got(value)}", False)
        )
        return _INVALID
    if typing.get_origin(ann) is Literal:
        if value not in typing.get_args(ann):
            return _not_one_of(value, typing.get_args(ann), at, problems, spec)
        return _checked(value, at, problems, spec)
    if not _accepts(ann, value):
        endless = isinstance(value, float) and not math.isfinite(value)
        if _base(ann) in (int, float) and endless:
            problems.append((at, f"expected a finite number, got `{value}`", False))
        else:
            problems.append((at, f"expected {_expected(ann)}, got {got(value)}", False))
        return _INVALID
    kind = _base(ann)
    if _is_model(ann):
        instance = ann.__new__(ann)
        instance._fill(value, at, problems)
        return instance
    if _is_parsed(ann):
        try:
            value = ann.from_data(value)
        except ValueError as exc:
            problems.append((at, str(exc), False))
            return _INVALID
        return _checked(value, at, problems, spec)
    if kind is list:
        (item,) = typing.get_args(ann) or (Any,)
        # each item named as the field names its values ("not a valid kind of deck")
        named = Field(what=spec.what) if spec is not None and spec.what else None
        value = [_convert(item, v, at + (i,), problems, named) for i, v in enumerate(value)]
    elif kind is dict:
        args = typing.get_args(ann)
        if len(args) == 2 and args[1] is not Any:  # each value checked as declared
            value = {
                (str(k) if args[0] is str else k): _convert(args[1], v, at + (k,), problems)
                for k, v in value.items()
            }
        else:
            value = dict(value)
    elif kind in (bool, int, float):
        value = _scalar(kind, value, lax=True)[1]
    return _checked(value, at, problems, spec)


def _not_one_of(
    value: Any, choices: Sequence[Any], at: KeyPath, problems: list, spec: Field | None
) -> Any:
    """'`donut` is not a valid chart type (did you mean `doughnut`?); valid: …'."""
    names = [str(c) for c in choices]
    what = (spec.what if spec is not None else "") or (str(at[-1]) if at else "value")
    problems.append(
        (
            at,
            f"`{value}` is not a valid {what}{suggest(str(value), names)}; "
            f"valid: {valid_list(names)}",
            False,
        )
    )
    return _INVALID


def _checked(value: Any, at: KeyPath, problems: list, spec: Field | None) -> Any:
    """The field's choices, limits and own check."""
    if spec is None:
        return value
    if spec.choices is not None:
        choices = list(spec.choices())
        if value not in choices:
            return _not_one_of(value, choices, at, problems, spec)
    limits = [
        (spec.ge, lambda v, x: v >= x, "at least"),
        (spec.gt, lambda v, x: v > x, "more than"),
        (spec.le, lambda v, x: v <= x, "at most"),
    ]
    for limit, ok, words in limits:
        if limit is not None and not ok(value, limit):
            problems.append((at, f"must be {words} {_number(limit)}, got {_number(value)}", False))
            return _INVALID
    if spec.min_length is not None and len(value) < spec.min_length:
        plural = "s" if spec.min_length > 1 else ""
        problems.append(
            (at, f"needs at least {spec.min_length} item{plural}, got {len(value)}", False)
        )
        return _INVALID
    if spec.check is not None and not spec.before:
        try:
            value = spec.check(value)
        except ValueError as exc:
            problems.append((at, str(exc), False))
            return _INVALID
    return value


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def path_text(at: KeyPath) -> str:
    """('slides', 9, 'chart', 'weight') -> 'slides[9].chart.weight'."""
    out = ""
    for p in at:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(top)"


# -- JSON Schema -----------------------------------------------------------------


def json_schema(model: type[Model]) -> dict[str, Any]:
    """A JSON Schema (2020-12) of `model`, nested models under $defs."""
    defs: dict[str, dict] = {}

    def of(ann: Any) -> dict[str, Any]:
        if _is_union(ann):
            return {"anyOf": [of(m) for m in typing.get_args(ann)]}
        if typing.get_origin(ann) is Literal:
            choices = list(typing.get_args(ann))
            return (
                {"enum": choices, "type": "string"}
                if all(isinstance(c, str) for c in choices)
                else {"enum": choices}
            )
        if _is_model(ann):
            if ann.__name__ not in defs and ann is not model:
                defs[ann.__name__] = {}  # placeholder: a model may refer to itself
                defs[ann.__name__] = obj(ann)
            return {"$ref": "#" if ann is model else f"#/$defs/{ann.__name__}"}
        kind = _base(ann)
        if kind is list:
            (item,) = typing.get_args(ann) or (Any,)
            return {"type": "array", "items": of(item)}
        simple = {
            str: "string",
            bool: "boolean",
            int: "integer",
            float: "number",
            dict: "object",
            _NONE: "null",
        }
        return {"type": simple[kind]} if kind in simple else {}

    def obj(m: type[Model]) -> dict[str, Any]:
        properties, required = {}, []
        for name, spec in m.fields().items():
            prop = of(spec.annotation)
            for key, value in (
                ("minimum", spec.ge),
                ("exclusiveMinimum", spec.gt),
                ("maximum", spec.le),
                ("minItems", spec.min_length),
            ):
                if value is not None:
                    prop[key] = value
            if spec.choices is not None:
                prop["enum"] = list(spec.choices())
            if spec.text:
                prop["description"] = spec.text
            if spec.required:
                required.append(name)
            else:
                default = _plain(spec.make_default())
                if default is not None:
                    prop["default"] = default
            properties[name] = prop
        out: dict[str, Any] = {"title": m.__name__, "type": "object"}
        if m.__doc__:
            out["description"] = m.__doc__.strip().split("\n\n")[0].replace("\n", " ")
        out.update({"properties": properties, "required": required, "additionalProperties": False})
        return out

    top = {"$schema": "https://json-schema.org/draft/2020-12/schema", **obj(model)}
    if defs:
        top["$defs"] = dict(sorted(defs.items()))
    return top


def validated(
    doc: Located,
    model: type[M],
    error: type[DeckgenError],
    context: Callable[[KeyPath], str | None] = lambda _at: None,
) -> M:
    """`doc`'s data as `model`, or `error` listing every problem at once, each with its
    file:line:col: the keys and values that do not fit the model, and the texts a slide
    cannot show. The one way a YAML file becomes a model (theme, codebook, editions, spec);
    `context` names where a path is for a reader ("slide 3 ...")."""
    found = doc.unprintable(context)
    try:
        value = model.validate({} if doc.data is None else doc.data)
    except ModelError as exc:
        found += [
            doc.problem(at, f"{path_text(at)}: {message}", key=key, context=context(at))
            for at, message, key in exc.problems
        ]
        raise error(found) from None
    if found:
        raise error(found)
    return value
