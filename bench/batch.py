"""Batches of decks: one per respondent or per segment, against separate builds.

    python bench/batch.py [--repeat 3] [--communes 35000] [--json out/bench/batch.json]

Every command runs in a fresh process under bench/measure.py, as in bench/run.py
(wall time around the whole process, interpreter start included; peak memory of
the process itself: with --jobs above 1 the workers are its children and not
counted, their own peaks are about the --jobs 1 figure).

- personal: the 31 personal decks of the seed data,
  `deckgen build config/barometre-2021.yaml --each-respondent --peers type_collectivite`,
  with --jobs 1 and --jobs = the number of CPUs;
- segments: one deck per type of collectivité. In the seed data only the
  communes clear the privacy threshold (the other types have 1 to 4
  collectivités), so this case uses the seed rows resampled to --communes
  respondents (bench/large_data.generate), where all five types are built;
  five decks on two processes take three rounds, so --jobs 2 cannot be more
  than 5/3 = 1.67x faster there: the same data by region (11 decks built, two
  regions under the privacy threshold) shows a batch with more segments;
- separate: the same decks, each built by its own `deckgen build ... --shard I/N`
  process with N = the number of decks (one deck per process: a cold build);
- scale: personal decks over the resampled data, one per French commune
  (about 35,000): two slices (`--shard 1/1000` and `--shard 1/100`, with
  --jobs = CPUs) give the time per additional deck, from which the whole batch
  on this machine, and on K machines sharing it with --shard, is projected.

Targets (the batch issue): per deck at --jobs 1 at most 0.35x a separate build;
on 2 CPUs, --jobs 2 at least 1.7x faster than --jobs 1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from large_data import generate  # noqa: E402
from run import run_child  # noqa: E402

SPEC = ROOT / "config" / "barometre-2021.yaml"
CODEBOOK = ROOT / "data" / "barometre-2021" / "codebook.yaml"
WORK = ROOT / "out" / "bench" / "batch"
TARGET_PER_DECK = 0.35
TARGET_PARALLEL = 1.7
COMMUNES = 35_000


def resampled_spec(rows: int) -> Path:
    """The seed spec over `rows` resampled respondents, without its `expect:`
    figures (resampling moves them); every path absolute."""
    folder = WORK / f"resampled-{rows}"
    responses = generate(rows, folder / "responses.csv")
    codebook = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    codebook["survey"]["responses"] = str(responses)
    (folder / "codebook.yaml").write_text(
        yaml.safe_dump(codebook, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    spec = _without_expect(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
    deck = spec["deck"]
    deck["data"] = str(folder / "codebook.yaml")
    for key in ("theme", "template"):
        deck[key] = str((SPEC.parent / deck[key]).resolve())
    path = folder / "barometre-resampled.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _without_expect(node: object) -> object:
    if isinstance(node, dict):
        return {k: _without_expect(v) for k, v in node.items() if k != "expect"}
    if isinstance(node, list):
        return [_without_expect(v) for v in node]
    return node


def deckgen(spec: Path, out: Path, *options: str) -> dict:
    """One `deckgen build` in a fresh process: wall s, cpu s, peak MB, decks written."""
    args = ["-m", "deckgen.cli", "build", str(spec), "-o", str(out), "-q", *options]
    if out.exists():
        for old in out.glob("*.pptx"):
            old.unlink()
    sample = run_child(args, WORK / "child.json")
    sample["decks"] = len(list(out.glob("*.pptx")))
    return sample


def batch_case(name: str, spec: Path, each: list[str], repeat: int, cpus: int) -> dict:
    """--jobs 1, --jobs CPUs and separate builds of the same decks, `repeat` times each
    (interleaved); medians of wall and CPU time, largest peak memory."""
    out = WORK / name
    decks = deckgen(spec, out / "warm", *each, "--jobs", str(cpus))["decks"]  # warm-up
    runs: dict[str, list[dict]] = {"jobs 1": [], f"jobs {cpus}": [], "separate": []}
    for _ in range(repeat):
        runs["jobs 1"].append(deckgen(spec, out / "jobs1", *each, "--jobs", "1"))
        runs[f"jobs {cpus}"].append(deckgen(spec, out / "jobsn", *each, "--jobs", str(cpus)))
        started = time.perf_counter()
        singles = [
            deckgen(spec, out / "separate", *each, "--shard", f"{i}/{decks}", "--jobs", "1")
            for i in range(1, decks + 1)
        ]
        runs["separate"].append(
            {
                "wall_s": time.perf_counter() - started,
                "cpu_s": sum(s["cpu_s"] for s in singles),
                "peak_mb": max(s["peak_mb"] for s in singles),
                "decks": sum(s["decks"] for s in singles),
                "one_wall_s": statistics.median(s["wall_s"] for s in singles),
            }
        )
    result: dict = {"case": name, "decks": decks, "options": each}
    for label, samples in runs.items():
        if any(s["decks"] != decks for s in samples):
            raise SystemExit(f"{name} {label}: expected {decks} decks, got {samples}")
        wall = statistics.median(s["wall_s"] for s in samples)
        result[label] = {
            "wall_s": round(wall, 3),
            "per_deck_s": round(wall / decks, 4),
            "cpu_s": round(statistics.median(s["cpu_s"] for s in samples), 3),
            "peak_mb": round(max(s["peak_mb"] for s in samples), 1),
            "samples": [round(s["wall_s"], 3) for s in samples],
        }
    one = statistics.median(s["one_wall_s"] for s in runs["separate"])
    result["separate"]["one_deck_s"] = round(one, 3)
    result["per_deck_vs_separate"] = round(result["jobs 1"]["per_deck_s"] / one, 3)
    result["parallel_speedup"] = round(
        result["jobs 1"]["wall_s"] / result[f"jobs {cpus}"]["wall_s"], 2
    )
    return result


def scale_case(spec: Path, communes: int, cpus: int, repeat: int) -> dict:
    """Personal decks over `communes` respondents: two slices give the marginal time
    per deck; projected to all of them on one machine and split by --shard."""
    each = ["--each-respondent", "--peers", "type_collectivite", "--jobs", str(cpus)]
    out = WORK / "scale"
    slices = {}
    for parts in (1000, 100):
        samples = [
            deckgen(spec, out / f"1of{parts}", *each, "--shard", f"1/{parts}")
            for _ in range(repeat)
        ]
        slices[parts] = {
            "decks": samples[0]["decks"],
            "wall_s": round(statistics.median(s["wall_s"] for s in samples), 3),
            "peak_mb": round(max(s["peak_mb"] for s in samples), 1),
        }
    small, big = slices[1000], slices[100]
    per_deck = (big["wall_s"] - small["wall_s"]) / (big["decks"] - small["decks"])
    fixed = max(0.0, small["wall_s"] - per_deck * small["decks"])
    whole = fixed + per_deck * communes
    return {
        "respondents": communes,
        "slices": {f"1/{k}": v for k, v in slices.items()},
        "per_deck_s": round(per_deck, 4),
        "start_s": round(fixed, 2),
        "projected_s": {
            f"{k} machine{'s' if k > 1 else ''}": round(fixed + per_deck * -(-communes // k), 1)
            for k in (1, 4, 16)
        },
        "projected_hours_one_machine": round(whole / 3600, 2),
    }


def table(cases: list[dict], cpus: int) -> str:
    rows = [
        (
            "case",
            "decks",
            "jobs 1 s",
            "s/deck",
            f"jobs {cpus} s",
            "s/deck",
            "separate s",
            "one deck s",
            "jobs 1 / separate",
            f"jobs {cpus} speed-up",
        ),  # fmt: skip
    ]
    for c in cases:
        n = c[f"jobs {cpus}"]
        rows.append(
            (
                c["case"],
                str(c["decks"]),
                f"{c['jobs 1']['wall_s']:.2f}",
                f"{c['jobs 1']['per_deck_s']:.3f}",
                f"{n['wall_s']:.2f}",
                f"{n['per_deck_s']:.3f}",
                f"{c['separate']['wall_s']:.2f}",
                f"{c['separate']['one_deck_s']:.3f}",
                f"{c['per_deck_vs_separate']:.2f}×",
                f"{c['parallel_speedup']:.2f}×",
            )
        )
    return aligned(rows)


def scale_line(scale: dict, communes: int, cpus: int) -> str:
    """The projection of `scale_case`, in a line."""
    return (
        f"scale: {communes:,} personal decks at {scale['per_deck_s']:.3f} s a deck "
        f"(--jobs {cpus}) after {scale['start_s']:.1f} s of loading: "
        + ", ".join(f"{k} {v / 3600:.2f} h" for k, v in scale["projected_s"].items())
    )


def write_json(path: Path | None, report: dict) -> None:
    """`report` as JSON into `path` (None: nowhere)."""
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def aligned(rows: list[tuple[str, ...]]) -> str:
    """Rows of text as columns, right-aligned, the first row a header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; medians reported")
    parser.add_argument(
        "--communes",
        type=int,
        default=COMMUNES,
        help=f"respondents of the resampled data (default {COMMUNES:,}, about one per commune)",
    )
    parser.add_argument("--no-scale", action="store_true", help="skip the scale projection")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    cpus = os.cpu_count() or 1
    WORK.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()[0]
    print("preparing the resampled data…", file=sys.stderr, flush=True)
    resampled = resampled_spec(args.communes)
    cases = []
    print("measuring personal decks…", file=sys.stderr, flush=True)
    personal = ["--each-respondent", "--peers", "type_collectivite"]
    cases.append(batch_case("personal (seed, 31)", SPEC, personal, args.repeat, cpus))
    print("measuring segment decks…", file=sys.stderr, flush=True)
    segments = ["--each", "type_collectivite"]
    name = f"segments by type ({args.communes:,} rows)"
    cases.append(batch_case(name, resampled, segments, args.repeat, cpus))
    regions = ["--each", "region"]  # more segments: the fixed costs shared by more decks
    name = f"segments by region ({args.communes:,} rows)"
    cases.append(batch_case(name, resampled, regions, args.repeat, cpus))
    report: dict = {
        "machine": f"{os.uname().sysname} {os.uname().machine}, {cpus} CPUs",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "repeat": args.repeat,
        "cases": cases,
    }
    print(table(cases, cpus))
    targets = []
    for c in cases:
        targets.append(
            (
                f"{c['case']}: per deck at --jobs 1 <= {TARGET_PER_DECK}x a separate build",
                c["per_deck_vs_separate"],
                c["per_deck_vs_separate"] <= TARGET_PER_DECK,
            )
        )
        if cpus == 2:
            targets.append(
                (
                    f"{c['case']}: --jobs 2 >= {TARGET_PARALLEL}x faster than --jobs 1",
                    c["parallel_speedup"],
                    c["parallel_speedup"] >= TARGET_PARALLEL,
                )
            )
    report["targets"] = [{"target": t, "value": v, "met": m} for t, v, m in targets]
    for t, v, m in targets:
        print(f"{'MET   ' if m else 'NOT MET'} {t}: {v}")
    if not args.no_scale:
        print("measuring the scale projection…", file=sys.stderr, flush=True)
        scale = scale_case(resampled, args.communes, cpus, args.repeat)
        report["scale"] = scale
        print(scale_line(scale, args.communes, cpus))
    report["load_average_1min"] = {"start": load_start, "end": os.getloadavg()[0]}
    write_json(args.json, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
