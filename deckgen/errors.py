"""User-facing errors.

Every error a user can cause is a `DeckgenError`: the CLI prints its message and
exits with code 2, without a traceback. Anything else is a bug (exit code 1).
An error knows where it happened (file, line, column, slide) when it can, so the
message always answers "what is wrong, where, and what would be valid".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """One thing wrong with an input, with its place."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    context: str | None = None  # e.g. 'slide 7 "Les moyens"' or 'row id=R12, column region'
    kind: str | None = None  # "spec error", "data error"...: when reported with others
    #: what the message says, as values, for a report that says it in another language
    #: (a published figure that moved: its callout's number, the figure, `expect:`)
    detail: tuple[Any, ...] = ()

    def location(self) -> str:
        parts = []
        if self.file:
            loc = self.file
            if self.line is not None:
                loc += f":{self.line}"
                if self.column is not None:
                    loc += f":{self.column}"
            parts.append(loc)
        if self.context:
            parts.append(self.context)
        return ": ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        return f"{self.kind}: {text}" if self.kind else text


class DeckgenError(Exception):
    """An error the user can fix. Carries one or more problems."""

    kind = "error"

    def __init__(self, problems: str | Problem | Iterable[Problem], **where: object) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems, **where)]  # type: ignore[arg-type]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(self.render())

    def render(self, limit: int = 20) -> str:
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            shown.append(f"... and {more} more problem(s)")
        return "\n".join(shown)


def collected(errors: Iterable[DeckgenError]) -> DeckgenError:
    """One error holding the problems of several: of their type when they share one,
    else a DeckgenError whose problems each say their kind ("spec error"…)."""
    errors = list(errors)
    types = {type(e) for e in errors}
    if len(types) == 1:
        return types.pop()([p for e in errors for p in e.problems])
    problems = []
    for e in errors:
        for p in e.problems:
            p.kind = p.kind or e.kind
            problems.append(p)
    return DeckgenError(problems)


class SpecError(DeckgenError):
    kind = "spec error"


class DataError(DeckgenError):
    kind = "data error"


class ThemeError(SpecError):
    """A theme file's mistake (a spec error, named after its file)."""

    kind = "theme error"


class EditionsError(SpecError):
    """An editions file's mistake (a spec error, named after its file)."""

    kind = "editions error"


class DeckError(DataError):
    """An edited deck `update` or `watch` cannot read as one deckgen built."""

    kind = "deck error"


class TemplateError(DeckgenError):
    kind = "template error"


class RenderError(DeckgenError):
    kind = "render error"


class OutputError(DeckgenError):
    kind = "output error"


class PluginError(DeckgenError):
    """An installed package's plug-in (an entry point of deckgen's groups) that does not
    load or does not declare what its group takes."""

    kind = "plug-in error"


@dataclass
class Warnings:
    """Collects non-fatal problems during a build (small bases, shrunk text)."""

    items: list[Problem] = field(default_factory=list)

    def add(self, message: str, **where: object) -> None:
        self.items.append(Problem(message, **where))  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.items)


def suggest(name: str, valid: Iterable[str]) -> str:
    """Return ' (did you mean `x`?)' for the nearest valid name, or ''."""
    name = str(name)
    if len(name) > 100:  # a pasted paragraph is no misspelt name (and costly to compare)
        return ""
    valid = [v for v in valid if len(v) <= 100][:5000]
    close = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def valid_list(valid: Iterable[str], limit: int = 12) -> str:
    """Format valid names for a message: '`a`, `b`, `c`'."""
    names = sorted(set(valid))
    shown = ", ".join(f"`{v}`" for v in names[:limit])
    if len(names) > limit:
        shown += f", ... ({len(names) - limit} more)"
    return shown


def quoted_title(title: str, limit: int = 60) -> str:
    """A title as a message names it: quoted, and cut past `limit` characters (a
    5,000-character title would bury the message)."""
    title = " ".join(title.split())
    if len(title) > limit:
        title = title[: limit - 1].rstrip() + "…"
    return f'"{title}"'
