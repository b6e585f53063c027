"""deckgen.inputs.model, the typed models of the spec and theme: what it accepts, what
it converts, what it reports (every problem at once, with its key path) and the
JSON Schema it gives editors."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from deckgen.chart_kinds import names as chart_kind_names
from deckgen.inputs.indicator_spec import Indicator
from deckgen.inputs.model import Model, ModelError, field, json_schema
from deckgen.inputs.spec import Spec


class Block(Model):
    """A block."""

    heading: str | None = field(default=None, description="Heading.")
    bullets: list[str] = field(factory=list)


class Item(Model):
    """An item: one line of docs.

    More docs."""

    kind: Literal["a", "b"] = field(description="The kind.")
    size: float = field(default=1.0, gt=0, le=10)
    count: int = field(default=0, ge=0)
    on: bool = True
    parts: list[str | Block] = field(factory=list, min_length=0)
    extra: dict[str, Any] | None = None
    note: str | bool | None = None

    def validated(self) -> None:
        if self.kind == "b" and self.count == 0:
            raise ValueError("a `b` needs a count")


def problems(data) -> list[tuple]:
    with pytest.raises(ModelError) as info:
        Item.validate(data)
    return [(path, message) for path, message, _ in info.value.problems]


def test_defaults_conversions_and_nested_models():
    item = Item.validate(
        {"kind": "a", "size": 3, "count": 2.0, "parts": ["x", {"heading": "h", "bullets": ["y"]}]}
    )
    assert (item.kind, item.size, item.count, item.on, item.extra, item.note) == (
        "a",
        3.0,
        2,
        True,
        None,
        None,
    )
    assert isinstance(item.size, float) and isinstance(item.count, int)
    assert (
        item.parts[0] == "x" and isinstance(item.parts[1], Block) and item.parts[1].bullets == ["y"]
    )
    assert (
        Item.validate({"kind": "a"}).parts == []
        and Item.validate({"kind": "a"}).parts is not Item.validate({"kind": "a"}).parts
    )


def test_every_problem_at_once_with_its_key_path():
    assert problems(
        {"kind": "c", "size": 0, "count": -1, "on": "oui", "parts": [3], "colour": 1, "note": 2}
    ) == [
        (
            ("colour",),
            "unknown key `colour`; valid keys: `count`, `extra`, `kind`, `note`, `on`, `parts`, "
            "`size`",
        ),
        (("kind",), "`c` is not a valid kind; valid: `a`, `b`"),
        (("size",), "must be more than 0, got 0"),
        (("count",), "must be at least 0, got -1"),
        (("on",), "expected true or false, got text `oui`"),
        (("parts", 0), "expected text or a mapping, got a number `3`"),
        (("note",), "expected text or true or false, got a number `2`"),
    ]


def test_nearest_key_and_missing_key():
    assert problems({"knd": "a"}) == [
        (
            ("knd",),
            "unknown key `knd` (did you mean `kind`?); valid keys: `count`, `extra`, `kind`, "
            "`note`, `on`, `parts`, `size`",
        ),
        (("kind",), "missing required key `kind`"),
    ]


def test_conversions_a_yaml_writer_expects_and_no_others():
    item = Item.validate({"kind": "a", "size": "2.5", "count": "3", "on": False, "note": False})
    assert (item.size, item.count, item.on, item.note) == (2.5, 3, False, False)
    assert Item.validate({"kind": "a", "note": "0"}).note == "0"  # text fits as it is
    # booleans are strict: a quoted "false" is text (true in a condition), 0 a number
    for text in ("false", "no", "off", "yes"):
        assert problems({"kind": "a", "on": text}) == [
            (("on",), f"expected true or false, got text `{text}`")
        ]
    assert problems({"kind": "a", "on": 1}) == [
        (("on",), "expected true or false, got a number `1`")
    ]
    assert problems({"kind": "a", "note": 0}) == [
        (("note",), "expected text or true or false, got a number `0`")
    ]
    assert problems({"kind": "a", "count": True}) == [
        (("count",), "expected a whole number, got true/false `True`")
    ]
    assert problems({"kind": "a", "count": 1.5}) == [
        (("count",), "expected a whole number, got a number `1.5`")
    ]
    assert problems({"kind": "a", "size": "beaucoup"}) == [
        (("size",), "expected a number, got text `beaucoup`")
    ]
    assert problems({"kind": "a", "size": "nan"}) == [
        (("size",), "expected a number, got text `nan`")
    ]
    assert problems({"kind": "a", "size": 10**400}) == [
        (("size",), f"expected a number, got a number `{10**400}`")
    ]
    assert problems({"kind": "a", "on": 2}) == [
        (("on",), "expected true or false, got a number `2`")
    ]
    assert problems({"kind": "a", "size": 11}) == [(("size",), "must be at most 10, got 11")]
    assert problems({"kind": "a", "parts": [3]}) == [
        (("parts", 0), "expected text or a mapping, got a number `3`")
    ]
    assert problems([1]) == [((), "expected a mapping, got a list `[1]`")]


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ('x: Literal["a", "b"] = field(default="zzz")', "`zzz` is not a valid x; valid: `a`, `b`"),
        ("y: int = field(default=-5, ge=0)", "must be at least 0, got -5"),
        ('z: bool = "false"', "expected true or false, got text `false`"),
        ("w: int = None", "None is not of its type"),
    ],
)
def test_a_declaration_that_contradicts_itself_is_refused_when_defined(declaration, message):
    source = f"class Wrong(Model):\n    {declaration}\n"
    with pytest.raises(TypeError) as caught:
        exec(source, {"Model": Model, "field": field, "Literal": Literal})
    assert str(caught.value).startswith(f"Wrong.{declaration.split(':')[0]}: the default ")
    assert str(caught.value).endswith(message)


def test_defaults_are_never_shared():
    class Listed(Model):
        names: list[str] = []

    a, b = Listed(), Listed()
    a.names.append("x")
    assert b.names == [] and Listed.validate({}).names == []


def test_a_check_on_the_raw_value_runs_once():
    calls = []

    class Coloured(Model):
        colour: str | None = field(
            default=None, check=lambda v: calls.append(v) or str(v).upper(), before=True
        )

    assert Coloured.validate({"colour": "abc"}).colour == "ABC" and calls == ["abc"]


def test_cross_key_check_runs_once_the_keys_are_valid():
    assert problems({"kind": "b"}) == [((), "a `b` needs a count")]
    assert problems({"kind": "b", "size": -1}) == [
        (("size",), "must be more than 0, got -1")
    ]  # not both


def test_keyword_construction_validates():
    assert Indicator(kind="multi", question="q").question == "q"
    with pytest.raises(
        ModelError,
        match="kind: `mutli` is not a valid indicator kind \\(did you mean `multi`\\?\\)",
    ):
        Indicator(kind="mutli", question="q")


def test_to_dict_round_trips():
    ind = Indicator(kind="share", condition={"question": "q", "in": ["a"]}, filter=None, below=1)
    assert Indicator.validate(ind.to_dict()) == ind
    assert ind.to_dict()["below"] == 1.0 and ind != Indicator(kind="share")


def test_json_schema():
    schema = json_schema(Item)
    assert schema["title"] == "Item" and schema["description"] == "An item: one line of docs."
    assert schema["required"] == ["kind"] and schema["additionalProperties"] is False
    props = schema["properties"]
    assert props["kind"] == {"enum": ["a", "b"], "type": "string", "description": "The kind."}
    assert props["size"] == {"type": "number", "exclusiveMinimum": 0, "maximum": 10, "default": 1.0}
    assert props["count"] == {"type": "integer", "minimum": 0, "default": 0}
    assert props["parts"]["items"] == {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/Block"}]}
    assert props["note"] == {"anyOf": [{"type": "string"}, {"type": "boolean"}, {"type": "null"}]}
    assert schema["$defs"]["Block"]["properties"]["bullets"] == {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
    }


def test_spec_schema_lists_every_chart_type_and_requires_deck_and_slides():
    schema = json_schema(Spec)
    assert schema["required"] == ["deck", "slides"]
    assert schema["properties"]["slides"] == {
        "type": "array",
        "items": {"$ref": "#/$defs/Slide"},
        "minItems": 1,
        "description": "The slides, in order.",
    }
    assert schema["$defs"]["Chart"]["properties"]["type"]["enum"] == chart_kind_names()
    assert set(schema["$defs"]) == {
        "Callout",
        "Chart",
        "Deck",
        "EditionsRef",
        "Indicator",
        "Slide",
        "TextBlock",
    }


def test_an_indicator_with_a_date_in_a_condition_has_a_result_key():
    """YAML reads `in: [2021-07-01]` as a date; the key of the result keys it by its text."""
    import datetime
    import json

    from deckgen.workflows.pipeline import indicator_key

    ind = Indicator(
        kind="share", condition={"question": "vague", "in": [datetime.date(2021, 7, 1)]}
    )
    assert json.loads(indicator_key(ind))["condition"] == {
        "question": "vague",
        "in": ["2021-07-01"],
    }
