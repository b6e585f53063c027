"""Many decks from one spec: the batch runner.

The shared inputs (spec, theme, codebook, responses, template) are loaded once,
in the parent; the decks are built by worker processes forked after that, so
each starts with them in memory (`--jobs N`, default the number of CPUs; where
processes cannot be forked, on Windows or macOS' default, one at a time). One
deck's failure is recorded with its name and does not stop the others; each
deck is written atomically, so an interrupted batch leaves only whole decks.
`--shard I/N` keeps a deterministic slice of the decks, so that N machines (a CI
job matrix, any scheduler) can share a batch: shard I takes the decks whose
position in key order is I-1 modulo N.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Outcome:
    """What became of one deck of a batch."""

    key: str
    label: str
    path: Path | None = None
    error: str = ""  # it failed: why
    skipped: str = ""  # it was not built: why
    warnings: list[str] = field(default_factory=list)


def parse_shard(text: str) -> tuple[int, int]:
    """'2/5' -> (2, 5); ValueError with the reason otherwise."""
    try:
        index, total = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes I/N, e.g. 2/5, got `{text}`") from None
    if total < 1 or not 1 <= index <= total:
        raise ValueError(f"--shard {text}: I must be between 1 and N")
    return index, total


def shard(items: Sequence[Any], key: Callable[[Any], str], part: tuple[int, int] | None) -> list:
    """The items of shard `part` = (I, N): every N-th in key order, from the I-th."""
    ordered = sorted(items, key=key)
    if part is None:
        return ordered
    index, total = part
    return ordered[index - 1 :: total]


_WORK: Callable[[Any], Outcome] | None = None  # the work of the batch, for forked workers


def _run_one(item: Any) -> Outcome:
    assert _WORK is not None
    return _collected(_WORK, item)


def _collected(work: Callable[[Any], Outcome], item: Any) -> Outcome:
    """`work(item)`, then its garbage collected: a deck leaves reference cycles
    (python-pptx's objects), and a one-shot `deckgen build` runs without the
    cycle collector, so a batch collects after each deck to keep memory flat.
    The shared inputs were frozen out of the collector's sight (`gc.freeze`), so
    this looks only at what the deck made."""
    import gc

    try:
        return work(item)
    finally:
        gc.collect()


def run(
    items: Sequence[Any],
    work: Callable[[Any], Outcome],
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """`work(item)` for every item, in `jobs` forked processes (1: here), in order."""
    say = progress or (lambda _msg: None)
    jobs = max(1, jobs or os.cpu_count() or 1)
    total = len(items)
    started = time.perf_counter()
    done: list[Outcome | None] = [None] * total

    def tell(finished: int) -> None:
        spent = time.perf_counter() - started
        left = spent / finished * (total - finished) if finished else 0
        say(f"{finished}/{total} decks, about {left:.0f} s left")

    import gc

    gc.collect()
    gc.freeze()  # the shared inputs: never scanned again, pages shared with the workers
    try:
        _run_all(items, work, jobs, done, tell)
    finally:
        gc.unfreeze()  # a program that goes on after the batch collects them again
    return [d for d in done if d is not None]


def _run_all(
    items: Sequence[Any],
    work: Callable[[Any], Outcome],
    jobs: int,
    done: list[Outcome | None],
    tell: Callable[[int], None],
) -> None:
    global _WORK
    import multiprocessing

    if jobs == 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for i, item in enumerate(items):
            done[i] = _collected(work, item)
            tell(i + 1)
        return
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    _WORK = work  # the forked workers inherit it, with everything already loaded
    context = multiprocessing.get_context("fork")
    finished = 0
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
            futures = {pool.submit(_run_one, item): i for i, item in enumerate(items)}
            for future in as_completed(futures):
                try:
                    done[futures[future]] = future.result()
                except BrokenProcessPool:
                    continue  # a worker died: its deck and the unfinished ones, below
                finished += 1
                tell(finished)
        # a worker killed (out of memory, a signal) broke the pool: each deck not built
        # is tried again alone, in a process of its own; the one that dies again fails
        for i, item in enumerate(items):
            if done[i] is not None:
                continue
            with ProcessPoolExecutor(max_workers=1, mp_context=context) as alone:
                try:
                    done[i] = alone.submit(_run_one, item).result()
                except BrokenProcessPool:
                    outcome = Outcome(str(getattr(item, "key", i)), str(getattr(item, "label", i)))
                    outcome.error = (
                        "the process building this deck died twice (killed, or out of "
                        "memory); the batch went on without it"
                    )
                    done[i] = outcome
            finished += 1
            tell(finished)
    finally:
        _WORK = None
