"""Many decks from one spec: the batch runner.

The shared inputs (spec, theme, codebook, responses, template) are loaded once,
in the parent; the decks are built by worker processes forked after that, so
each starts with them in memory (`--jobs N`, default the number of CPUs; where
processes cannot be forked, on Windows or macOS' default, one at a time). One
deck's failure is recorded with its name and does not stop the others; each
deck is written atomically, so an interrupted batch leaves only whole decks.
With several processes, the decks are dealt in runs of neighbours (`runs`: as many as
runs of `RUN` decks would make, at least one per process) in the order `alike` gives
(a personal batch: recipients of the same peer group who answered alike side by
side), each run built by one process, so that the slides and zip entries it keeps for
one deck (deckgen.render.shared, a store per process) serve the next; a process that
is done takes the next run. A group's first deck in a run draws the slides the
group's decks share, so a personal batch's runs are cut by peer group (`group`): a
run that starts more groups gets fewer decks.
`--shard I/N` keeps a deterministic slice of the decks, so that N machines (a CI
job matrix, any scheduler) can share a batch: shard I takes the decks whose
position in key order is I-1 modulo N. `--shard auto[/N]` reads I (and N) from the
scheduler running the process (`auto_shard`: a Slurm job array, a Kubernetes
Indexed Job, a GitLab CI parallel job). A sharded batch writes its own summary
file beside its decks (`write_summary`), so shards never write the same file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
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


def parse_shard(text: str, environ: Mapping[str, str] | None = None) -> tuple[int, int]:
    """'2/5' -> (2, 5); 'auto' or 'auto/N': from the scheduler (`auto_shard`, reading
    `environ`, default the process's); ValueError with the reason otherwise."""
    head, slash, tail = text.partition("/")
    if head.strip().lower() == "auto":
        total = None
        if slash:
            try:
                total = int(tail)
            except ValueError:
                raise ValueError(f"--shard auto/N takes a number of shards, got `{text}`") from None
            if total < 1:
                raise ValueError(f"--shard {text}: N must be 1 or more")
        return auto_shard(os.environ if environ is None else environ, total)
    try:
        index, total = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"--shard takes I/N or auto[/N], e.g. 2/5, got `{text}`") from None
    if total < 1 or not 1 <= index <= total:
        raise ValueError(f"--shard {text}: I must be between 1 and N")
    return index, total


SCHEDULERS = (  # (name, the variable giving the index): what `--shard auto` reads
    ("a Slurm job array", "SLURM_ARRAY_TASK_ID"),
    ("a Kubernetes Indexed Job", "JOB_COMPLETION_INDEX"),
    ("a GitLab CI parallel job", "CI_NODE_INDEX"),
)


def auto_shard(env: Mapping[str, str], total: int | None = None) -> tuple[int, int]:
    """(I, N) of the scheduler this process runs under; `total`: N as given (`auto/N`).

    - Slurm job array: I = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + 1 (divided by
      SLURM_ARRAY_TASK_STEP when the array has a step), N = SLURM_ARRAY_TASK_COUNT
      unless given;
    - Kubernetes Indexed Job: I = JOB_COMPLETION_INDEX + 1 (it counts from 0); N must
      be given (the Job's `completions`), the pod is not told it;
    - GitLab CI `parallel:`: I = CI_NODE_INDEX, N = CI_NODE_TOTAL unless given.
    """
    found = [(name, var) for name, var in SCHEDULERS if env.get(var, "").strip()]
    if not found:
        names = "; ".join(f"{var} ({name})" for name, var in SCHEDULERS)
        raise ValueError(
            f"--shard auto: no scheduler's index in the environment ({names}); "
            "give the shard as I/N"
        )
    if len(found) > 1:
        both = " and ".join(var for _, var in found)
        raise ValueError(f"--shard auto: both {both} are set; give the shard as I/N")
    name, var = found[0]

    def number(key: str, default: int | None = None) -> int:
        raw = env.get(key, "").strip()
        if not raw and default is not None:
            return default
        try:
            return int(raw)
        except ValueError:
            got = f"`{raw}`" if raw else "not set"
            raise ValueError(
                f"--shard auto: {key} must be a whole number ({name}), {got}"
            ) from None

    if var == "SLURM_ARRAY_TASK_ID":
        offset = number(var) - number("SLURM_ARRAY_TASK_MIN")
        step = max(1, number("SLURM_ARRAY_TASK_STEP", 1))
        index = offset // step + 1 if offset % step == 0 else 0
        if total is None:
            total = number("SLURM_ARRAY_TASK_COUNT")
        count = "SLURM_ARRAY_TASK_COUNT"
    elif var == "JOB_COMPLETION_INDEX":
        if total is None:
            raise ValueError(
                "--shard auto: a Kubernetes Indexed Job does not tell its pods how many "
                "there are; give --shard auto/N, N the Job's `completions`"
            )
        index, count = number(var) + 1, "N"
    else:
        index = number(var)
        if total is None:
            total = number("CI_NODE_TOTAL")
        count = "CI_NODE_TOTAL"
    if total < 1 or not 1 <= index <= total:
        raise ValueError(
            f"--shard auto: {var} gives shard {index} of {total} ({name}; I must be between "
            f"1 and {count}: the array's indices must follow each other, e.g. 1-{total})"
        )
    return index, total


def write_summary(outcomes: Sequence[Outcome], folder: Path, part: tuple[int, int]) -> Path:
    """The summary of shard `part` = (I, N) in `folder`, a file of its own per shard
    (`summary-shard-I-of-N.csv`): each deck, whether it was built, its file, why not.
    Formula-safe and atomic as every table deckgen writes; a link in its place is
    replaced, never followed."""
    from deckgen.workflows.exports import write_table_csv

    rows = []
    for o in outcomes:
        status = "failed" if o.error else "skipped" if o.skipped else "built"
        rows.append([o.key, o.label, status, o.path.name if o.path else "", o.error or o.skipped])
    index, total = part
    path = Path(folder) / f"summary-shard-{index}-of-{total}.csv"
    header = ["key", "label", "status", "file", "reason"]
    return write_table_csv(header, rows, path, into_folder=True)


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


def _run_run(items: list[Any]) -> list[Outcome]:
    assert _WORK is not None
    return [_collected(_WORK, item) for item in items]


FULL = 16  # decks between two full collections: the rest look at the young only
_built = 0  # decks this process built


def _collected(work: Callable[[Any], Outcome], item: Any) -> Outcome:
    """`work(item)`, then its garbage collected: a deck leaves reference cycles
    (python-pptx's objects), and a one-shot `deckgen build` runs without the
    cycle collector, so a batch collects after each deck to keep memory flat.
    The shared inputs were frozen out of the collector's sight (`gc.freeze`), so
    this looks only at what the deck made: its young objects (generations 0 and
    1: all of a deck's when the collector is off, as in `deckgen build`), and
    every `FULL` decks the old ones too. Those are mostly what the batch keeps
    between decks (deckgen.render.shared): a full pass over them cost 11-27 ms a
    deck of the seed batch, for nothing to free."""
    import gc

    global _built
    try:
        return work(item)
    finally:
        _built += 1
        if _built % FULL == 0:
            gc.collect()
        else:
            gc.collect(1)


RUN = 16  # decks a process builds in one go (neighbours in `alike` order), about
# what a run pays again for each group it starts (its first deck draws the group's
# slides whole), in decks: the seed's personal batch, timed deck by deck in each of
# two processes, spent 0.15-0.25 s a deck, and 0.1-0.37 s more (0.2 s on average)
# on the first deck of each peer group after the first
GROUP = 1


def runs(
    order: Sequence[int], jobs: int, most: int = RUN, group: Sequence[Any] | None = None
) -> list[list[int]]:
    """`order` cut into runs of neighbours: at least one per process, and as many as
    runs of at most `most` need. Without `group`, as even as can be. With it (the group
    of each item of `order`; items of a group sit side by side), each run costs a deck
    per deck and `GROUP` more per group it starts, and the runs are cut so that the
    costliest costs the least: a process given the small groups is given fewer decks,
    and the largest group is shared out. (The greedy cut at the least cost that needs
    no more runs, found by bisection: optimal for runs of neighbours, the painter's
    partition.)"""
    n = len(order)
    if not n:
        return []
    count = max(jobs, -(-n // most))
    if group is None or count <= 1:
        cuts = [j * n // count for j in range(count + 1)]
        return [list(order[a:b]) for a, b in zip(cuts, cuts[1:]) if b > a]
    low, high = -(-n // count), n * (1 + GROUP)  # every highest cost there can be
    while low < high:
        middle = (low + high) // 2
        if len(_cut(group, middle)) <= count:
            high = middle
        else:
            low = middle + 1
    spans = _cut(group, low)
    while len(spans) < min(count, n):  # as many as that: the longest halved, no costlier
        a, b = longest = max(spans, key=lambda span: span[1] - span[0])
        at = spans.index(longest)
        spans[at : at + 1] = [(a, (a + b) // 2), ((a + b) // 2, b)]
    return [list(order[a:b]) for a, b in spans]


def _cut(group: Sequence[Any], cap: int) -> list[tuple[int, int]]:
    """Runs (start, end) of `group`'s items, each as long as it can be at a cost of at
    most `cap` (an item costs 1, and `GROUP` more when it starts its group in its run);
    an item that alone costs more than `cap` is a run of its own."""
    spans: list[tuple[int, int]] = []
    start, cost = 0, 0
    for i, g in enumerate(group):
        more = 1 + (GROUP if i == start or g != group[i - 1] else 0)
        if i > start and cost + more > cap:
            spans.append((start, i))
            start, cost = i, 1 + GROUP
        else:
            cost += more
    if group:
        spans.append((start, len(group)))
    return spans


def run(
    items: Sequence[Any],
    work: Callable[[Any], Outcome],
    jobs: int | None = None,
    progress: Callable[[str], None] | None = None,
    alike: Callable[[Any], Any] | None = None,
    before_fork: Callable[[], None] | None = None,
    group: Callable[[Any], Any] | None = None,
) -> list[Outcome]:
    """`work(item)` for every item, in `jobs` forked processes (1: here), in order;
    a process builds a run of neighbours in `alike` order (its items' sort key) at once,
    the runs cut by the cost of the groups they start (`group(item)`: an item's group,
    its neighbours in `alike` order; `runs`).
    `before_fork()` is called before the processes are forked (what each would load
    on its first item, loaded once and shared: pipeline.preload)."""
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

    if before_fork is not None and jobs > 1 and total > 1:
        before_fork()
    gc.collect()
    gc.freeze()  # the shared inputs: never scanned again, pages shared with the workers
    try:
        _run_all(items, work, jobs, done, tell, alike, group)
    finally:
        gc.unfreeze()  # a program that goes on after the batch collects them again
    return [d for d in done if d is not None]


def _run_all(
    items: Sequence[Any],
    work: Callable[[Any], Outcome],
    jobs: int,
    done: list[Outcome | None],
    tell: Callable[[int], None],
    alike: Callable[[Any], Any] | None = None,
    group: Callable[[Any], Any] | None = None,
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
    order: Sequence[int] = range(len(items))
    if alike is not None:
        order = sorted(order, key=lambda i: alike(items[i]))
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(items)), mp_context=context) as pool:
            futures = {}
            try:
                groups = None if group is None else [group(items[i]) for i in order]
                for run_ in runs(order, jobs, group=groups):
                    futures[pool.submit(_run_run, [items[i] for i in run_])] = run_
            except BrokenProcessPool:
                pass  # a worker died already: what was not built is tried again below
            for future in as_completed(futures):
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    continue  # a worker died: its run and the unfinished ones, below
                for i, outcome in zip(futures[future], outcomes):
                    done[i] = outcome
                finished += len(outcomes)
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
