"""Safe YAML loading that remembers where every value came from.

PyYAML's node marks give the line and column of each key and value; we keep
them in a dict keyed by the value's path (("slides", 6, "chart", "type")) so a
semantic error found long after parsing can still say `spec.yaml:42:11`.
Only the safe constructors are used: no Python object is ever built from YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from deckgen.errors import DeckgenError, Problem

PathKey = tuple[Any, ...]
# characters XML 1.0 (so PowerPoint) cannot hold; a text pasted from elsewhere may carry them
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _path_text(at: PathKey) -> str:
    from deckgen.inputs.model import path_text

    return path_text(at)


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

    def unprintable(
        self, context: Callable[[PathKey], str | None] = lambda _at: None
    ) -> list[Problem]:
        """A problem for each text (value or key) holding a character XML 1.0, so a
        slide, cannot hold (a control character pasted from elsewhere, U+FFFE)."""
        problems = []

        def walk(node: Any, at: PathKey) -> None:
            if isinstance(node, str):
                bad = UNPRINTABLE.search(node)
                if bad:
                    problems.append(
                        self.problem(
                            at,
                            f"{_path_text(at)}: the text contains the control character "
                            f"U+{ord(bad.group()):04X}, which a slide cannot show; remove it",
                            context=context(at),
                        )
                    )
            elif isinstance(node, dict):
                for key, value in node.items():
                    walk(key, at + (key,))
                    walk(value, at + (key,))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, at + (i,))

        walk(self.data, ())
        return problems

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
        if path.exists() and not path.is_dir() and not path.is_file():
            # /dev/zero or a pipe: reading would never end
            raise error(f"{shown}: not a regular file (a device or a pipe); give a YAML file")
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise error(
                f"{shown}: {path.stat().st_size / 1e6:,.0f} MB is not a spec, codebook or theme "
                f"(at most {MAX_BYTES // 1_000_000} MB)"
            )
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
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: say where, in lines
        line, column = _line_column(text, exc.position)
        raise error(
            Problem(
                f"invalid YAML: the character U+{exc.character:04X} cannot appear in a YAML "
                "file; remove it",
                file=file,
                line=line,
                column=column,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise error(Problem(f"invalid YAML: {exc}", file=file)) from None
    except RecursionError:
        raise error(Problem("invalid YAML: nested too deep", file=file)) from None
    located = Located(data=None, file=file)
    if node is None:
        return located
    constructor = yaml.SafeLoader("")
    try:
        located.data = _build(node, (), located, constructor, _Budget())
    except yaml.constructor.ConstructorError as exc:
        raise error(_marked(f"invalid YAML value: {exc.problem}", exc.problem_mark, file)) from None
    return located


MAX_BYTES = 20_000_000  # a spec, codebook or theme larger than this is not one
MAX_DEPTH = 100  # mappings and lists nested deeper than this are a mistake
MAX_VALUES = 2_000_000  # values once aliases are expanded ("billion laughs")


class _Budget:
    """What building the data may cost: the values read, aliases expanded."""

    def __init__(self) -> None:
        self.values = 0
        self.seen: set[int] = set()

    def spend(self, node: yaml.Node) -> None:
        self.values += 1
        self.seen.add(id(node))
        # an alias expands a node again: many more values than nodes written is a bomb
        expanded = self.values > 100_000 and self.values > 20 * len(self.seen)
        if self.values > MAX_VALUES or expanded:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "aliases (`*name`) expand to more values than a spec can have "
                f"({self.values:,} from {len(self.seen):,} written); use fewer aliases",
                node.start_mark,
            )


def _line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a reader error's position (a byte offset with
    libyaml's reader, a character index with PyYAML's)."""
    data: str | bytes = text.encode("utf-8") if _BASE is not yaml.SafeLoader else text
    before = data[:position]
    newline = b"\n" if isinstance(before, bytes) else "\n"
    last = before.rfind(newline)  # type: ignore[arg-type]
    line = before.count(newline) + 1  # type: ignore[arg-type]
    tail = before[last + 1 :]
    column = len(tail.decode("utf-8", "ignore") if isinstance(tail, bytes) else tail) + 1
    return line, column


def _marked(message: str, mark: yaml.Mark | None, file: str) -> Problem:
    """A problem at a PyYAML mark (0-based) as file:line:col (1-based)."""
    return Problem(
        message,
        file=file,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap"}


def _build(
    node: yaml.Node,
    path: PathKey,
    located: Located,
    constructor: yaml.SafeLoader,
    budget: _Budget,
) -> Any:
    budget.spend(node)
    if len(path) > MAX_DEPTH:
        raise yaml.constructor.ConstructorError(
            None, None, f"nested more than {MAX_DEPTH} levels deep", node.start_mark
        )
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
        # `<<: *defaults` merges another mapping: its keys may be given again here
        # (that is what a merge is for); a key written twice here is a mistake
        own = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        constructor.flatten_mapping(node)
        out: dict[Any, Any] = {}
        written: set[Any] = set()
        for key_node, value_node in node.value:
            key = _scalar(constructor, key_node)
            if isinstance(key, (list, dict)):
                key = str(key)
            if id(key_node) not in own:  # merged: the first mapping that has it wins
                if key in out:
                    continue
            elif key in written:  # YAML keeps the last silently: a pasted `expect:` would win
                first = located.key_positions[path + (key,)]
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key `{key}` (first at line {first[0]})",
                    key_node.start_mark,
                )
            else:
                written.add(key)
            located.key_positions[path + (key,)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = _build(value_node, path + (key,), located, constructor, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, path + (i,), located, constructor, budget)
            for i, child in enumerate(node.value)
        ]
    return _scalar(constructor, node)


def _scalar(constructor: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return constructor.construct_object(node, deep=True)
    except ValueError:  # a whole number of more digits than Python converts (4,300)
        raise yaml.constructor.ConstructorError(
            None, None, "a number too long to read (thousands of digits)", node.start_mark
        ) from None
