"""Benchmark deckgen against a plain python-pptx script, each build in a fresh process.

    python bench/run.py                      # real deck + 100, 400, 1,600 slides
    python bench/run.py --sizes 100,400 --repeat 3
    python bench/run.py --large --rows 1000000

Cases: the real deck (config/barometre-2021.yaml) and synthetic specs of N chart
slides (bench/make_spec.py). For each case and each repetition:
- deckgen: `python -m deckgen.cli build SPEC -o OUT -q` in a fresh process;
- baseline: `python bench/baseline.py VALUES.json OUT`, plain python-pptx building
  the same slides, charts, callouts and notes from values deckgen computed
  beforehand (so the baseline computes no indicator).
Each child runs under bench/measure.py, which records its own peak RSS; the wall
time is taken here around the whole child process (interpreter start and
imports included). The median wall time and the largest peak RSS of the
repetitions are reported, printed as a table and written to out/bench.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
REAL_SPEC = ROOT / "config" / "barometre-2021.yaml"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

TARGET_SPEEDUP = 4.0  # 1,600 slides: deckgen at least 4x faster than the baseline
TARGET_LINEAR = 1.5  # time per slide at 1,600 within 1.5x of that at 100
TARGET_SMALL = 1.3  # real deck: deckgen within 1.3x of the baseline
TARGET_MEMORY = 1.5  # 1,600 slides: deckgen's peak memory within 1.5x of the baseline's


def export_values(spec: Path, path: Path) -> dict:
    """Compute the deck's plan with deckgen and write what the baseline draws."""
    from deckgen.errors import Warnings
    from deckgen.workflows.pipeline import load, plan

    loaded = load(spec)
    deck, _ = plan(loaded, Warnings())
    slides = []
    for sp in deck.slides:
        slides.append(
            {
                "layout": sp.layout,
                "title": sp.title,
                "subtitle": sp.subtitle,
                "number": sp.section_number,
                "text": [
                    t if isinstance(t, str) else " ".join([t.heading or "", *t.bullets]).strip()
                    for t in sp.text
                ],
                "charts": [
                    {
                        "type": c.type,
                        "title": c.title,
                        "categories": list(c.result.categories),
                        "series": [
                            {
                                "name": s.name or c.result.question_text or "Valeur",
                                "values": [0.0 if v is None else float(v) for v in s.values],
                            }
                            for s in c.result.series
                        ],
                    }
                    for c in sp.charts
                ],
                "callouts": [
                    {"value": c.value_text, "text": c.text.replace("**", "")} for c in sp.callouts
                ],
                "remark": sp.remark,
                "footnote": sp.footnote,
                "notes": sp.notes,
            }
        )
    values = {"template": str(loaded.template), "slides": slides}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return {
        "slides": len(slides),
        "charts": sum(len(s["charts"]) for s in slides),
        "callouts": sum(len(s["callouts"]) for s in slides),
        "notes": sum(1 for s in slides if s["notes"]),
    }


def child_env() -> dict:
    """The children's environment: deckgen importable, bytecode cached as on any install.

    With PYTHONDONTWRITEBYTECODE set (as in some containers) every fresh process
    would recompile deckgen's sources, which an installed package never does; the
    children keep their bytecode under out/bench/pycache instead.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(ROOT / "out" / "bench" / "pycache")
    return env


def run_child(args: list[str], result: Path) -> dict:
    """Run `python bench/measure.py RESULT args...`; return wall s, peak MB, exit code."""
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(BENCH / "measure.py"), str(result), *args]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0 or not result.exists():
        raise SystemExit(
            f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}"
        )
    info = json.loads(result.read_text())
    return {"wall_s": wall, "peak_mb": info["maxrss_kb"] / 1024, "cpu_s": info["cpu_s"]}


def measure_case(name: str, spec: Path, work: Path, repeat: int) -> dict:
    values = work / f"{name}.values.json"
    counts = export_values(spec, values)
    runs: dict[str, list[dict]] = {"deckgen": [], "baseline": []}
    for _ in range(repeat):
        runs["deckgen"].append(
            run_child(
                [
                    "-m",
                    "deckgen.cli",
                    "build",
                    str(spec),
                    "-o",
                    str(work / f"{name}.deckgen.pptx"),
                    "-q",
                ],
                work / f"{name}.deckgen.rusage.json",
            )
        )
        runs["baseline"].append(
            run_child(
                [str(BENCH / "baseline.py"), str(values), str(work / f"{name}.baseline.pptx")],
                work / f"{name}.baseline.rusage.json",
            )
        )
    out = {
        "case": name,
        "spec": str(spec.relative_to(ROOT) if spec.is_relative_to(ROOT) else spec),
        **counts,
    }
    for tool, samples in runs.items():
        wall = statistics.median(r["wall_s"] for r in samples)
        out[tool] = {
            "wall_s": round(wall, 3),
            "s_per_slide": round(wall / counts["slides"], 5),
            "peak_mb": round(max(r["peak_mb"] for r in samples), 1),
            "cpu_s": round(statistics.median(r["cpu_s"] for r in samples), 3),
            "samples_wall_s": [round(r["wall_s"], 3) for r in samples],
        }
    out["speedup"] = round(out["baseline"]["wall_s"] / out["deckgen"]["wall_s"], 2)
    out["speedup_cpu"] = round(out["baseline"]["cpu_s"] / out["deckgen"]["cpu_s"], 2)
    return out


def targets(cases: list[dict]) -> list[dict]:
    by = {c["case"]: c for c in cases}
    out = []
    if "real" in by:
        ratio = by["real"]["deckgen"]["wall_s"] / by["real"]["baseline"]["wall_s"]
        out.append(
            {
                "target": f"real deck: deckgen within {TARGET_SMALL}x of baseline",
                "value": round(ratio, 2),
                "met": ratio <= TARGET_SMALL,
            }
        )
    if "1600" in by:
        speedup = by["1600"]["speedup"]
        out.append(
            {
                "target": f"1,600 slides: deckgen >= {TARGET_SPEEDUP}x faster than baseline",
                "value": speedup,
                "met": speedup >= TARGET_SPEEDUP,
            }
        )
        memory = by["1600"]["deckgen"]["peak_mb"] / by["1600"]["baseline"]["peak_mb"]
        out.append(
            {
                "target": f"1,600 slides: deckgen's peak memory within {TARGET_MEMORY}x "
                "of the baseline's",
                "value": round(memory, 2),
                "met": memory <= TARGET_MEMORY,
            }
        )
    sizes = sorted(int(k) for k in by if k.isdigit())
    if len(sizes) >= 2:
        small, big = by[str(sizes[0])], by[str(sizes[-1])]
        ratio = big["deckgen"]["s_per_slide"] / small["deckgen"]["s_per_slide"]
        out.append(
            {
                "target": f"s/slide at {sizes[-1]} within {TARGET_LINEAR}x "
                f"of s/slide at {sizes[0]}",
                "value": round(ratio, 2),
                "met": ratio <= TARGET_LINEAR,
            }
        )
    return out


def table(cases: list[dict]) -> str:
    head = (
        "case",
        "slides",
        "charts",
        "deckgen s",
        "s/slide",
        "cpu s",
        "peak MB",
        "baseline s",
        "s/slide",
        "cpu s",
        "peak MB",
        "speedup",
    )
    rows = [head]
    for c in cases:
        d, b = c["deckgen"], c["baseline"]
        rows.append(
            (
                c["case"],
                str(c["slides"]),
                str(c["charts"]),
                f"{d['wall_s']:.2f}",
                f"{d['s_per_slide']:.4f}",
                f"{d['cpu_s']:.2f}",
                f"{d['peak_mb']:.0f}",
                f"{b['wall_s']:.2f}",
                f"{b['s_per_slide']:.4f}",
                f"{b['cpu_s']:.2f}",
                f"{b['peak_mb']:.0f}",
                f"{c['speedup']:.2f}x",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "  ".join(
            cell.rjust(w) if i else cell.ljust(w) for i, (cell, w) in enumerate(zip(r, widths))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def sub_bench(what: str, script: str, args: list[str]) -> dict:
    """Run another bench/ script in its own process; return the figures it wrote."""
    print(f"measuring {what}…", file=sys.stderr, flush=True)
    result = ROOT / "out" / "bench" / f"{Path(script).stem}.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args, "--json", str(result)],
        cwd=ROOT,
        env=child_env(),
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench/{script} failed")
    return json.loads(result.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="100,400,1600",
        help="synthetic deck sizes, comma-separated (default 100,400,1600)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per case and tool; the median is reported"
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real deck")
    parser.add_argument("--large", action="store_true", help="also run bench/large_data.py")
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="respondents for --large (default 1,000,000)"
    )
    parser.add_argument(
        "--batch", action="store_true", help="also run bench/batch.py (batches of decks)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "out" / "bench.json",
        help="JSON report (default out/bench.json)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    load_start = os.getloadavg()[0]
    work = ROOT / "out" / "bench"
    work.mkdir(parents=True, exist_ok=True)

    from make_spec import write_spec

    cases = []
    plan = ([] if args.no_real else [("real", REAL_SPEC)]) + [
        (str(n), write_spec(n, work / f"spec-{n}.yaml")) for n in sizes
    ]
    # warm-up, not measured: bytecode compiled and cached, files in the OS cache
    warm = REAL_SPEC  # small, and draws every kind of chart and the map
    warm_values = work / "warmup.values.json"
    export_values(warm, warm_values)
    run_child(
        ["-m", "deckgen.cli", "build", str(warm), "-o", str(work / "warmup.deckgen.pptx"), "-q"],
        work / "warmup.json",
    )
    run_child(
        [str(BENCH / "baseline.py"), str(warm_values), str(work / "warmup.baseline.pptx")],
        work / "warmup.json",
    )
    for name, spec in plan:
        print(
            f"measuring {name} ({args.repeat}x deckgen, {args.repeat}x baseline)…",
            file=sys.stderr,
            flush=True,
        )
        cases.append(measure_case(name, spec, work, args.repeat))
    report = {
        "python": sys.executable,
        "python_version": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "repeat": args.repeat,
        # other work on the machine inflates wall times (cpu_s much less): say how busy it was
        "load_average_1min": {"start": load_start, "end": os.getloadavg()[0]},
        "cases": cases,
        "targets": targets(cases),
    }
    print(table(cases))
    for t in report["targets"]:
        print(f"{'MET   ' if t['met'] else 'NOT MET'} {t['target']}: {t['value']}")
    if args.large:
        report["large_data"] = sub_bench("large data", "large_data.py", ["--rows", str(args.rows)])
    if args.batch:
        report["batch"] = sub_bench("batches", "batch.py", ["--repeat", str(args.repeat)])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
