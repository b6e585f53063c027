"""Safe YAML loading that remembers where every value came from.

PyYAML's node marks give the line and column of each key and value; we keep
them in a dict keyed by the value's path (("slides", 6, "chart", "type")) so a
semantic error found long after parsing can still say `spec.yaml:42:11`.
Only the safe constructors are used: no Python object is ever built from YAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DeckgenError, Problem

PathKey = tuple[Any, ...]
# libyaml's parser (shipped in PyYAML's wheels) is ten times faster and keeps the marks
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"


class _Loader(_BASE):  # type: ignore[misc,valid-type]
    """Safe loading with YAML 1.2's booleans: `true` and `false` only.

    YAML 1.1 (PyYAML's default) also reads yes, no, on, off, y, n as booleans,
    so an answer code `no` or a country code `NO` would become false. Here they
    stay text, and only true/false (unquoted, any case) are booleans.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_LOADER = _Loader


@dataclass
class Located:
    """Plain data loaded from YAML plus the position of each path in it."""

    data: Any
    file: str
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)  # 1-based line, col
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: PathKey, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of `path`, or of its nearest ancestor that we know."""
        table = self.key_positions if key else self.positions
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            if not key and path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def problem(
        self, path: PathKey, message: str, key: bool = False, context: str | None = None
    ) -> Problem:
        line, col = self.where(path, key=key)
        return Problem(message, file=self.file, line=line, column=col, context=context)


def load_yaml(
    path: str | Path, error: type[DeckgenError] = DeckgenError, display: str | None = None
) -> Located:
    """Load a YAML file safely, keeping positions. Errors name file:line:col."""
    path = Path(path)
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"file not found: {shown}") from None
    except IsADirectoryError:
        raise error(f"expected a YAML file, found a directory: {shown}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise error(f"cannot read {shown}: {exc.strerror}") from None
    return load_yaml_text(text, shown, error)


def load_yaml_text(text: str, file: str, error: type[DeckgenError] = DeckgenError) -> Located:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        reason = exc.problem or exc.context or "invalid YAML"
        raise error(
            _marked(f"invalid YAML: {reason}", exc.problem_mark or exc.context_mark, file)
        ) from None
    except yaml.YAMLError as exc:
        raise error(Problem(f"invalid YAML: {exc}", file=file)) from None
    located = Located(data=None, file=file)
    if node is None:
        return located
    constructor = yaml.SafeLoader("")
    try:
        located.data = _build(node, (), located, constructor)
    except yaml.constructor.ConstructorError as exc:
        raise error(_marked(f"invalid YAML value: {exc.problem}", exc.problem_mark, file)) from None
    return located


def _marked(message: str, mark: yaml.Mark | None, file: str) -> Problem:
    """A problem at a PyYAML mark (0-based) as file:line:col (1-based)."""
    return Problem(
        message,
        file=file,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}


def _build(node: yaml.Node, path: PathKey, located: Located, constructor: yaml.SafeLoader) -> Any:
    located.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        # we build collections ourselves, so refuse a tag the safe loader would refuse
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"could not determine a constructor for the tag {node.tag!r}",
            node.start_mark,
        )
    if isinstance(node, yaml.MappingNode):
        constructor.flatten_mapping(node)  # resolves `<<:` merge keys
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                key = str(key)
            if key in out:  # YAML keeps the last silently: a pasted `expect:` would win unseen
                first = located.key_positions[path + (key,)]
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key `{key}` (first at line {first[0]})",
                    key_node.start_mark,
                )
            located.key_positions[path + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = _build(value_node, path + (key,), located, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, path + (i,), located, constructor) for i, child in enumerate(node.value)
        ]
    return constructor.construct_object(node, deep=True)
