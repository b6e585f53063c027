"""Watch mode: rebuild the deck whenever one of its inputs changes.

`deckgen watch SPEC` builds once, then polls the modification times of the
spec, the survey data (codebook and responses), the theme and the template
(every 0.5 s: no new dependency, works on every file system). After each
rebuild it prints what changed in the figures ("slide 8 callout 1: 97 % → 94 %"),
so whoever edits the data sees the consequence at once. A failed rebuild prints
the error and leaves the last good deck in place (builds write atomically).

`deckgen watch SPEC --deck EDITED` keeps a deck the team has edited up to date
instead: each change of the inputs, or a new save of the edited deck, runs
`deckgen update` into EDITED-updated.pptx (or -o) and prints its change report
(what differs from the edited deck: deckgen.workflows.update).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from deckgen.errors import DeckgenError


class _Stop(Protocol):
    def is_set(self) -> bool: ...


Snapshot = dict[Path, tuple[int, int] | None]  # path -> (mtime_ns, size), None when missing


def watched_files(spec_path: str | Path) -> list[Path]:
    """The files a build reads (deckgen.api.inputs): spec, theme, codebook,
    responses, template, boundaries. A broken spec or codebook lists what it
    can; the spec itself always, so fixing it triggers the next build."""
    from deckgen.api import inputs

    return inputs(spec_path)


def snapshot(files: list[Path]) -> Snapshot:
    state: Snapshot = {}
    for path in files:
        try:
            st = os.stat(path)
            state[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            state[path] = None
    return state


def _key(row: dict[str, Any]) -> tuple:
    return (row["slide"], row["element"], row["label"], row["series"])


def _name(row: dict[str, Any]) -> str:
    """'slide 8 callout 1' or 'slide 10 chart 1 « YouTube »' (with the series of a Likert block)."""
    text = f"slide {row['slide']} {row['element']}"
    if str(row["element"]).startswith("chart"):
        label = f"{row['label']} / {row['series']}" if row["series"] else str(row["label"])
        text += f" « {label} »"
    return text


def figure_diff(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """Human lines for every figure that changed between two builds, in deck order."""
    old = {_key(r): r for r in before}
    new = {_key(r): r for r in after}
    lines = []
    for key, row in new.items():
        prev = old.get(key)
        if prev is None:
            lines.append(f"{_name(row)}: new, {row['value']}")
            continue
        parts = []
        if prev["value"] != row["value"]:
            parts.append(f"{prev['value']} → {row['value']}")
        if prev["base"] != row["base"]:
            parts.append(f"base {prev['base']} → {row['base']}")
        if parts:
            lines.append(f"{_name(row)}: " + ", ".join(parts))
    lines.extend(
        f"{_name(row)}: removed (was {row['value']})" for key, row in old.items() if key not in new
    )
    return lines


def _changed(before: Snapshot, after: Snapshot) -> list[Path]:
    return [p for p in after if before.get(p) != after[p]] + [p for p in before if p not in after]


def watch(
    spec: str | Path,
    out: str | Path | None = None,
    *,
    poll: float = 0.5,
    max_rebuilds: int | None = None,
    stop: _Stop | Callable[[], bool] | None = None,
    echo: Callable[[str], None] = print,
    deck: str | Path | None = None,
) -> int:
    """Build `spec`, then rebuild on every change of its inputs until stopped.
    With `deck` (a deck the team edited), update it into `out` instead (default
    DECK-updated.pptx), also when the deck itself is saved again.

    `stop` is a threading.Event (or any callable returning True to stop);
    `max_rebuilds` stops after that many rebuilds (the first build not counted).
    Returns the number of rebuilds. A failed build is reported through `echo`
    and never replaces the last good deck.
    """
    from deckgen.api import default_output, load

    edited = Path(deck) if deck is not None else None
    if edited is not None:
        target = Path(out) if out else edited.with_name(f"{edited.stem}-updated{edited.suffix}")
    else:
        target = Path(out) if out else default_output(spec)

    def stopped() -> bool:
        if stop is None:
            return False
        if hasattr(stop, "is_set"):
            return bool(stop.is_set())
        return bool(stop())

    def wait() -> None:
        if stop is not None and hasattr(stop, "wait"):
            stop.wait(poll)
        else:
            time.sleep(poll)

    def attempt() -> list[dict[str, Any]] | None:
        try:
            if edited is not None:
                return refresh()
            report = load(spec).build(target)
        except DeckgenError as exc:
            echo(f"build failed: {exc.kind}: {exc}")
            kept = f"; the last good deck is unchanged: {target}" if target.exists() else ""
            echo(f"waiting for a fix{kept}")
            return None
        rows = report.figures()
        echo(f"built {report.path} ({len(report.plan.slides)} slides, {len(rows)} figures)")
        for w in report.warnings.items:
            echo(f"warning: {w}")
        return rows

    def refresh() -> list[dict[str, Any]]:
        assert edited is not None
        update = load(spec).update(edited, target)
        for change in update.listed():  # the change report, in the deck's language
            echo(change.line())
        for line in update.closing(edited):
            echo(line)
        return []  # the change report says what moved, against the edited deck

    def inputs() -> list[Path]:
        found = watched_files(spec)
        if edited is not None and edited.resolve() != target.resolve():
            found.append(edited.resolve())  # the team saved their deck again
        return found

    files = inputs()
    state = snapshot(files)
    rows = attempt()
    echo("watching " + ", ".join(p.name for p in files) + " (Ctrl+C to stop)")
    rebuilds = 0
    while not stopped() and (max_rebuilds is None or rebuilds < max_rebuilds):
        wait()
        if stopped():
            break
        current = snapshot(files)
        changed = _changed(state, current)
        if not changed:
            continue
        time.sleep(min(poll, 0.1))  # let an editor finish writing the file
        state = snapshot(files)
        echo("changed: " + ", ".join(p.name for p in changed))
        new_rows = attempt()
        rebuilds += 1
        if new_rows is not None and edited is None:
            if rows is not None:
                diff = figure_diff(rows, new_rows)
                for line in diff:
                    echo(line)
                if not diff:
                    echo("no figure changed")
            rows = new_rows
        # the spec may now name other files (a new theme, other data); a file watched
        # before keeps the state it had before this build, so that a change written
        # while it ran (a fix typed right after the error) is still seen
        new_files = inputs()
        if new_files != files:
            now = snapshot(new_files)
            state = {p: state[p] if p in state else now[p] for p in new_files}
            files = new_files
    return rebuilds
