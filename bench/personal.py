"""Personal decks from one plan: a personal deck against a build of the public deck.

    python bench/personal.py [--repeat 3] [--communes 35000] [--no-scale] [--json FILE]

Every command runs in a fresh process under bench/measure.py (bench/run.py's
children: wall time around the whole process, interpreter start included), the
indicator cache warm on every side (one untimed run of each first). In each
round, interleaved:

- public: `deckgen build config/barometre-2021.yaml` (the public deck);
- shared, --jobs 1 and --jobs 2: the 31 seed personal decks,
  `--each-respondent --peers type_collectivite`, the batch sharing its slides and
  zip entries (deckgen.render.shared);
- alone, --jobs 1: the same decks with DECKGEN_NO_SHARED=1 (every slide rendered),
  as before the shared path.

The shared and alone decks are compared byte for byte after every round. Per deck is
the batch's wall time over its decks (loading included), divided by the public
build of the same round; medians over the rounds are reported.

Scale: personal decks over the seed rows resampled to --communes respondents
(bench/large_data.generate; the resampled respondents repeat the 31 seed
respondents' answers, so their decks share more slides than real respondents'
would), two slices with --jobs 2 (`--shard 1/1000` and `--shard 1/100`) give the
time per additional deck, projected to every respondent on one machine and on N
machines with `--shard I/N`.

Parallel at scale: the 350-deck slice (`--shard 1/100`) with --jobs 1 and --jobs
2, interleaved, `--repeat` rounds: what two processes gain once the batch's loading
and each process's first drawings weigh less than in the 31 seed decks.

Targets (issue 26): per deck at --jobs 1 at most 0.1x a build of the public deck;
--jobs 2 at least 1.7x faster than --jobs 1 (the seed's 31 decks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import (  # noqa: E402
    COMMUNES,
    ROOT,
    SPEC,
    TARGET_PARALLEL,
    aligned,
    deckgen,
    resampled_spec,
    scale_case,
    scale_line,
    write_json,
)
from run import run_child  # noqa: E402

WORK = ROOT / "out" / "bench" / "personal"
PERSONAL = ["--each-respondent", "--peers", "type_collectivite"]
TARGET_PER_DECK = 0.1


def build(out: Path, *options: str, shared: bool = True) -> dict:
    """One `deckgen build` in a fresh process: wall s, cpu s, peak MB, decks written."""
    batch = bool(options)
    if batch and out.exists():
        for old in out.glob("*.pptx"):
            old.unlink()
    args = ["-m", "deckgen.cli", "build", str(SPEC), "-o", str(out), "-q", *options]
    saved = os.environ.pop("DECKGEN_NO_SHARED", None)
    if not shared:
        os.environ["DECKGEN_NO_SHARED"] = "1"
    try:
        sample = run_child(args, WORK / "child.json")
    finally:
        os.environ.pop("DECKGEN_NO_SHARED", None)
        if saved is not None:
            os.environ["DECKGEN_NO_SHARED"] = saved
    sample["decks"] = len(list(out.glob("*.pptx"))) if batch else 1
    return sample


def same_decks(a: Path, b: Path) -> int:
    """How many decks of `a` differ from `b`'s (every file compared byte for byte)."""
    names = sorted(p.name for p in a.glob("*.pptx"))
    if names != sorted(p.name for p in b.glob("*.pptx")):
        return len(names) or 1
    return sum((a / n).read_bytes() != (b / n).read_bytes() for n in names)


def measure(repeat: int) -> dict:
    cases = {
        "public": lambda: build(WORK / "public.pptx"),
        "shared jobs 1": lambda: build(WORK / "shared1", *PERSONAL, "--jobs", "1"),
        "shared jobs 2": lambda: build(WORK / "shared2", *PERSONAL, "--jobs", "2"),
        "alone jobs 1": lambda: build(WORK / "alone1", *PERSONAL, "--jobs", "1", shared=False),
    }
    for case in cases.values():  # warm-up: result cache, bytecode, file cache
        case()
    runs: dict[str, list[dict]] = {name: [] for name in cases}
    differ = 0
    for _ in range(repeat):
        for name, case in cases.items():
            runs[name].append(case())
        differ += same_decks(WORK / "shared1", WORK / "alone1")
        differ += same_decks(WORK / "shared2", WORK / "alone1")
    out: dict = {"rounds": repeat, "decks_differing": differ}
    for name, samples in runs.items():
        decks = samples[0]["decks"]
        wall = statistics.median(s["wall_s"] for s in samples)
        out[name] = {
            "decks": decks,
            "wall_s": round(wall, 3),
            "per_deck_s": round(wall / decks, 4),
            "cpu_s": round(statistics.median(s["cpu_s"] for s in samples), 3),
            "peak_mb": round(max(s["peak_mb"] for s in samples), 1),
            "samples": [round(s["wall_s"], 3) for s in samples],
        }
    public = out["public"]["wall_s"]
    for name in ("shared jobs 1", "shared jobs 2", "alone jobs 1"):
        out[name]["per_deck_vs_public"] = round(out[name]["per_deck_s"] / public, 3)
    # per round, then the median: the two builds of a round ran under the same load
    out["per_deck_vs_public_rounds"] = [
        round(s["wall_s"] / s["decks"] / p["wall_s"], 3)
        for s, p in zip(runs["shared jobs 1"], runs["public"])
    ]
    out["parallel_speedup"] = round(
        out["shared jobs 1"]["wall_s"] / out["shared jobs 2"]["wall_s"], 2
    )
    out["shared_speedup"] = round(out["alone jobs 1"]["wall_s"] / out["shared jobs 1"]["wall_s"], 2)
    return out


def parallel_at_scale(spec: Path, repeat: int, jobs: int = 2, parts: int = 100) -> dict:
    """The `--shard 1/parts` slice of the resampled batch (350 decks of 35,000) with
    --jobs 1 and --jobs `jobs` (2, as the target's), in turns (which goes first
    alternating from round to round), `repeat` rounds: how much faster two processes
    build a batch whose loading and first drawings weigh less than the 31 seed decks'.
    The two builds' decks are compared byte for byte."""
    options = [*PERSONAL, "--shard", f"1/{parts}"]
    walls: dict[int, list[float]] = {1: [], jobs: []}
    differ = 0
    for round_ in range(repeat):
        for n in (1, jobs) if round_ % 2 == 0 else (jobs, 1):
            sample = deckgen(spec, WORK / f"scale-jobs{n}", *options, "--jobs", str(n))
            walls[n].append(sample["wall_s"])
        differ += same_decks(WORK / f"scale-jobs{jobs}", WORK / "scale-jobs1")
    serial, parallel = (statistics.median(walls[n]) for n in (1, jobs))
    return {
        "decks": sample["decks"],
        "jobs": jobs,
        "jobs1_wall_s": round(serial, 3),
        "jobs_wall_s": round(parallel, 3),
        "samples": {f"jobs {j}": [round(w, 3) for w in ws] for j, ws in walls.items()},
        "speedup": round(serial / parallel, 2),
        "decks_differing": differ,
    }


def table(result: dict) -> str:
    rows = [("case", "decks", "wall s", "s/deck", "cpu s", "peak MB", "s/deck ÷ public")]
    for name in ("public", "alone jobs 1", "shared jobs 1", "shared jobs 2"):
        r = result[name]
        ratio = f"{r['per_deck_vs_public']:.2f}×" if "per_deck_vs_public" in r else ""
        rows.append(
            (
                name,
                str(r["decks"]),
                f"{r['wall_s']:.2f}",
                f"{r['per_deck_s']:.3f}",
                f"{r['cpu_s']:.2f}",
                f"{r['peak_mb']:.0f}",
                ratio,
            )
        )
    return aligned(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds; medians reported")
    parser.add_argument("--communes", type=int, default=COMMUNES, help="respondents to project")
    parser.add_argument("--no-scale", action="store_true", help="skip the scale projection")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    cpus = os.cpu_count() or 1
    load = [round(v, 2) for v in os.getloadavg()]
    result = measure(args.repeat)
    report: dict = {
        "machine": f"{os.uname().sysname} {os.uname().machine}, {cpus} CPUs",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "personal": result,
    }
    print(table(result))
    print(f"rounds: {args.repeat}; per deck ÷ public, each round: "
          f"{result['per_deck_vs_public_rounds']}")  # fmt: skip
    print(f"decks differing between shared and alone: {result['decks_differing']}")
    print(f"shared ÷ alone at --jobs 1: {result['shared_speedup']:.2f}× faster")
    per_deck = result["shared jobs 1"]["per_deck_vs_public"]
    targets = [
        (f"per deck at --jobs 1 <= {TARGET_PER_DECK}x the public build", per_deck,
         per_deck <= TARGET_PER_DECK),
        (f"--jobs 2 >= {TARGET_PARALLEL}x faster than --jobs 1", result["parallel_speedup"],
         result["parallel_speedup"] >= TARGET_PARALLEL),
    ]  # fmt: skip
    for text, value, met in targets:
        print(f"{'MET    ' if met else 'NOT MET'} {text}: {value}")
    report["targets"] = [{"target": t, "value": v, "met": m} for t, v, m in targets]
    if not args.no_scale:
        resampled = resampled_spec(args.communes)
        scale = scale_case(resampled, args.communes, cpus, 1)
        report["scale"] = scale
        print(scale_line(scale, args.communes, cpus))
        if cpus > 1:
            wide = parallel_at_scale(resampled, args.repeat)
            report["parallel_at_scale"] = wide
            print(
                f"{wide['decks']} resampled decks (--shard 1/100): --jobs 1 "
                f"{wide['jobs1_wall_s']:.2f} s, --jobs 2 {wide['jobs_wall_s']:.2f} s: "
                f"{wide['speedup']:.2f}x faster (the seed's 31: "
                f"{result['parallel_speedup']:.2f}x); decks differing: "
                f"{wide['decks_differing']}"
            )
    load_end = [round(v, 2) for v in os.getloadavg()]
    report["load_average"] = {"start": load, "end": load_end}
    print(f"load average (1, 5, 15 min): start {load}, end {load_end}")
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
