"""A registry of named declarations (chart kinds, indicator kinds), in order of
registration, and the plug-ins installed packages declare for it.

A package adds to deckgen through entry points (`importlib.metadata`), one group per
extension: `deckgen.chart_kinds` (a `ChartKind`), `deckgen.indicator_kinds` (an
`IndicatorKind`), `deckgen.readers` (a reader function, named by the file extension
it reads) and `deckgen.locales` (a catalogue module, named by its locale code). They
are loaded on first use of their registry, in the order of their names, never at
import: `deckgen --help` reads no plug-in. ARCHITECTURE.md lists the public import
paths a plug-in may use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from deckgen.errors import PluginError


class Named(Protocol):
    @property
    def name(self) -> str: ...


T = TypeVar("T", bound=Named)


@functools.cache
def _entry_points() -> Any:
    from importlib.metadata import entry_points

    return entry_points()  # every installed package's, read once


def plugged(group: str, accepts: Callable[[Any], bool], what: str) -> list[tuple[str, Any]]:
    """(name, loaded object) of each entry point of `group`, in name order. A plug-in
    that fails to import, or gives something `accepts` refuses, is a PluginError
    naming its package and what the group takes (`what`)."""
    found = []
    for point in sorted(_entry_points().select(group=group), key=lambda p: p.name):
        package = point.dist.name if point.dist is not None else "an installed package"
        where = f"{package}'s `{point.name} = {point.value}` ({group})"
        try:
            loaded = point.load()
        except Exception as exc:  # its code, not ours: say whose
            raise PluginError(
                f"plug-in {where} failed to load: {type(exc).__name__}: {exc}"
            ) from exc
        if not accepts(loaded):
            raise PluginError(f"plug-in {where} is not {what}")
        found.append((point.name, loaded))
    return found


def declared(group: str) -> list[str]:
    """The "module:attribute" of each entry point of `group`, nothing imported (the result
    cache's key reads a plug-in reader's source without importing pandas)."""
    return sorted(point.value for point in _entry_points().select(group=group))


class Registry(Generic[T]):
    """Declarations by name: the first ones are deckgen's, plug-ins add theirs (the entry
    points of `group`, loaded on first use; `kind`: the class they must be)."""

    def __init__(self, group: str | None = None, kind: type | None = None) -> None:
        self._items: dict[str, T] = {}
        self._group = group
        self._kind = kind
        self._loaded = group is None

    def _load(self) -> None:
        if self._loaded or self._group is None:
            return
        self._loaded = True  # first: a plug-in reading the registry as it loads sees it
        before = dict(self._items)
        try:
            self._plug_in()
        except PluginError:
            # none of the group's plug-ins, and the same error at the next use: a long
            # `watch` never goes on building without a plug-in that failed once
            self._items, self._loaded = before, False
            raise

    def _plug_in(self) -> None:
        assert self._group is not None
        kind = self._kind
        what = f"a {kind.__name__}" if kind is not None else "a declaration"
        for _, item in plugged(self._group, lambda x: kind is None or isinstance(x, kind), what):
            if item.name in self._items:
                raise PluginError(
                    f"plug-in {item.name!r} ({self._group}): deckgen already has a kind of "
                    "that name; choose another"
                )
            self._items[item.name] = item

    def register(self, item: T) -> T:
        self._items[item.name] = item
        return item

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)

    def get(self, name: str) -> T | None:
        self._load()
        return self._items.get(name)

    def names(self) -> list[str]:
        self._load()
        return list(self._items)

    def values(self) -> list[T]:
        self._load()
        return list(self._items.values())
