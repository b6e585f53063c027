"""Large data: does deckgen keep up with pandas on a million respondents?

    python bench/large_data.py --rows 1000000 [--json out/bench/large.json]

Writes out/large/responses-<rows>.csv: respondents drawn at random (with
replacement, fixed seed) from the 31 rows of data/barometre-2021/responses.csv,
each with a new id, so every row is consistent with the codebook (asked_if
rules, rankings) and the file passes deckgen's validation. Then measures, in
this process:
- read: plain `pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])`;
- arrow read: plain `pyarrow.csv.read_csv(path)` (where pyarrow is installed), and
  `pyarrow.parquet.read_table` of the same rows written as Parquet;
- load: deckgen's `load_survey` (reading plus every check of the data): with the
  reader it chooses (Arrow's where pyarrow is installed), with pandas' reader
  (`DECKGEN_PANDAS_CSV=1`), and from the Parquet file; the peak memory of each in a
  fresh process, against the size of the Arrow table of the CSV;
- indicators: every indicator of the real deck (config/barometre-2021.yaml)
  computed through `build.plan` (texts, footnotes, notes), without rendering;
  the published `expect:` figures are not enforced (resampling moves them);
- breakdowns: every single-choice question broken down by the type of
  collectivité, each segment tested against the rest (z-tests), computed after
  loading (scipy and statsmodels imported on the way, as a spec asking for
  tests would).
The targets are indicators, and breakdowns, each under 2x the read time; with
pyarrow, load_survey within 2x the Arrow read of the CSV and 1.2x of the Parquet
read, the indicators within 0.5x the Arrow read.

With pyarrow, the reads and loads these targets compare are timed in --repeat
rounds (default 3), each round the Arrow read of the CSV, load_survey of the CSV,
the Parquet read and load_survey of the Parquet file, one after the other; the
medians are compared, and every time is kept (`rounds`, with the CPU time each
spent in the kernel: `rounds_system_cpu`). A single Parquet read of
300,000 rows took from 0.2 to 5.5 s on one machine (the slow ones in the kernel:
7 s of system time on two threads), which one timing each could not tell from the
load.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CODEBOOK = ROOT / "data" / "barometre-2021" / "codebook.yaml"
SOURCE = ROOT / "data" / "barometre-2021" / "responses.csv"
SPEC = ROOT / "config" / "barometre-2021.yaml"
TARGET = 2.0


def generate(rows: int, path: Path, seed: int = 2021, chunk: int = 200_000) -> Path:
    """Resample the real respondents with new ids; no Python loop per respondent."""
    lines = SOURCE.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], lines[1:]
    # everything after the id column, one per source respondent
    rests = np.array([line.split(",", 1)[1] for line in body], dtype=object)
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    width = max(7, len(str(rows)))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(header + "\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.char.add(
                "R", np.char.zfill(np.arange(start + 1, start + n + 1).astype(str), width)
            )
            picked = rests[rng.integers(0, len(rests), size=n)]
            fh.write(
                "\n".join(np.char.add(np.char.add(ids, ","), picked.astype(str)).tolist()) + "\n"
            )
    return path


REPEAT = 3


def timed(fn, *args, **kwargs):
    gc.collect()
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, time.perf_counter() - start


def measure(rows: int, path: Path | None = None, repeat: int = REPEAT) -> dict:
    from deckgen.analysis.survey import check_responses, load_survey, read_table
    from deckgen.errors import Warnings
    from deckgen.inputs.spec import load_spec
    from deckgen.inputs.theme import load_theme
    from deckgen.workflows.pipeline import Loaded, check, plan

    path = path or ROOT / "out" / "large" / f"responses-{rows}.csv"
    if not path.exists() or sum(1 for _ in path.open("rb")) != rows + 1:
        _, gen = timed(generate, rows, path)
        print(
            f"generated {path} ({rows:,} respondents, {path.stat().st_size / 1e6:.0f} MB) in "
            f"{gen:.1f} s",
            file=sys.stderr,
        )

    raw, t_read = timed(pd.read_csv, path, dtype=str, keep_default_na=False, na_values=[""])
    assert len(raw) == rows
    del raw
    arrow = arrow_figures(path, repeat) if _has_arrow() else {}

    survey, t_load = timed(load_survey, CODEBOOK, path)
    if arrow:  # the median of the rounds, beside the Arrow reads it is compared with
        t_load = arrow["load_survey_median_s"]
    # the two halves of load_survey, for the record
    table, t_read_table = timed(read_table, path)
    _, t_check = timed(check_responses, table, survey.codebook, str(path))
    del table

    spec = load_spec(SPEC)
    theme = load_theme(spec.resolve(spec.deck.theme))
    # the survey just loaded, and no result cache: every indicator is computed on the big table
    os.environ["DECKGEN_NO_CACHE"] = "1"
    loaded = Loaded(
        spec,
        theme,
        survey.codebook,
        spec.resolve(spec.deck.template),
        responses=path,
        _survey=survey,
    )
    check(loaded)
    (deck, computed), t_plan = timed(plan, loaded, Warnings(), strict_expect=False)
    n_indicators = sum(len(s.charts) + len(s.callouts) for s in deck.slides)
    base = next(r for _, _, r in computed if r.kind == "count").count
    assert base == rows, (base, rows)

    from deckgen.analysis.indicators import compute
    from deckgen.inputs.indicator_spec import Indicator

    segment = "type_collectivite"
    singles = [q.id for q in survey.questions.values() if q.type == "single" and q.id != segment]

    def breakdowns() -> list:
        return [
            compute(
                survey,
                Indicator.validate(
                    {"kind": "distribution", "question": q, "by": segment, "test": "rest"}
                ),
            )  # fmt: skip
            for q in singles
        ]

    tested, t_breakdowns = timed(breakdowns)
    assert all(r.test == "z" and len(r.series) == 5 for r in tested)

    out = {
        "rows": rows,
        "csv_mb": round(path.stat().st_size / 1e6, 1),
        "read_csv_s": round(t_read, 3),
        "load_survey_s": round(t_load, 3),
        "load_survey_read_s": round(t_read_table, 3),
        "load_survey_checks_s": round(t_check, 3),
        "indicators": n_indicators,
        "indicators_s": round(t_plan, 3),
        "indicators_over_read": round(t_plan / t_read, 3),
        "load_over_read": round(t_load / t_read, 3),
        "breakdowns": len(singles),
        "breakdowns_s": round(t_breakdowns, 3),
        "breakdowns_over_read": round(t_breakdowns / t_read, 3),
    }
    out.update(arrow)
    if arrow:
        out["load_over_arrow_read"] = round(t_load / arrow["arrow_read_s"], 3)
        out["indicators_over_arrow_read"] = round(t_plan / arrow["arrow_read_s"], 3)
        out["arrow_targets"] = [
            {
                "target": "load_survey within 2x the Arrow read of the CSV",
                "value": out["load_over_arrow_read"],
                "met": out["load_over_arrow_read"] <= 2.0,
            },
            {
                "target": "load_survey of the Parquet file within 1.2x its Arrow read",
                "value": arrow["parquet_load_over_read"],
                "met": arrow["parquet_load_over_read"] <= 1.2,
            },
            {
                "target": "the indicators within 0.5x the Arrow read of the CSV",
                "value": out["indicators_over_arrow_read"],
                "met": out["indicators_over_arrow_read"] <= 0.5,
            },
        ]
    out["target"] = {
        "target": f"indicators under {TARGET}x the read time",
        "value": out["indicators_over_read"],
        "met": out["indicators_over_read"] < TARGET,
    }
    out["breakdowns_target"] = {
        "target": f"breakdowns with tests under {TARGET}x the read time",
        "value": out["breakdowns_over_read"],
        "met": out["breakdowns_over_read"] < TARGET,
    }
    return out


def _has_arrow() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


def arrow_figures(path: Path, repeat: int = REPEAT) -> dict:
    """The Arrow reads (CSV, and the rows as Parquet) and load_survey of each, the
    medians of `repeat` interleaved rounds; load_survey with pandas' reader; the peak
    memory of each load in a fresh process."""
    import statistics

    import pyarrow.csv as arrow_csv
    import pyarrow.parquet as pq

    from deckgen.analysis.survey import load_survey

    table, _ = timed(arrow_csv.read_csv, path)
    table_mb = table.nbytes / 1e6
    parquet = path.with_suffix(".parquet")
    if not parquet.exists():  # empty cells as nulls, as a survey tool would write them
        options = arrow_csv.ConvertOptions(strings_can_be_null=True)
        pq.write_table(arrow_csv.read_csv(path, convert_options=options), parquet)
    del table
    steps = {
        "arrow_read": lambda: arrow_csv.read_csv(path),
        "load_survey": lambda: load_survey(CODEBOOK, path),
        "parquet_read": lambda: pq.read_table(parquet),
        "parquet_load": lambda: load_survey(CODEBOOK, parquet),
    }
    rounds: dict[str, list[float]] = {name: [] for name in steps}
    kernel: dict[str, list[float]] = {name: [] for name in steps}  # system CPU time
    for _ in range(repeat):
        for name, step in steps.items():
            before = os.times().system
            _, seconds = timed(step)
            rounds[name].append(round(seconds, 3))
            kernel[name].append(round(os.times().system - before, 3))
    median = {name: statistics.median(times) for name, times in rounds.items()}
    os.environ["DECKGEN_PANDAS_CSV"] = "1"
    try:
        _, t_pandas_load = timed(load_survey, CODEBOOK, path)
    finally:
        del os.environ["DECKGEN_PANDAS_CSV"]
    return {
        "rounds": rounds,
        "rounds_system_cpu": kernel,
        "arrow_read_s": round(median["arrow_read"], 3),
        "load_survey_median_s": round(median["load_survey"], 3),
        "arrow_table_mb": round(table_mb, 1),
        "load_survey_pandas_reader_s": round(t_pandas_load, 3),
        "parquet_mb": round(parquet.stat().st_size / 1e6, 1),
        "parquet_read_s": round(median["parquet_read"], 3),
        "parquet_load_s": round(median["parquet_load"], 3),
        "parquet_load_over_read": round(median["parquet_load"] / median["parquet_read"], 3),
        "peak_mb": {
            "load_survey (Arrow reader)": peak_mb(path, {}),
            "load_survey (pandas' reader)": peak_mb(path, {"DECKGEN_PANDAS_CSV": "1"}),
            "load_survey (Parquet)": peak_mb(parquet, {}),
        },
    }


def peak_mb(path: Path, env: dict[str, str]) -> float:
    """Peak resident memory of a fresh interpreter loading `path`, less what it held
    once its imports were done (the memory the load itself took). Read from VmHWM:
    ru_maxrss would keep the peak of this process, which the child was forked from."""
    import subprocess

    code = (
        "import sys\n"
        "from deckgen.analysis.survey import load_survey\n"
        "import pyarrow.csv, pyarrow.parquet\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "before = hwm()\n"
        "load_survey(sys.argv[1], sys.argv[2])\n"
        "print((hwm() - before) / 1024)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(CODEBOOK), str(path)],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return round(float(run.stdout.strip()), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--csv", type=Path, help="use (or write) this CSV instead of out/large/responses-<rows>.csv"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help="rounds of the Arrow reads and loads"
    )
    args = parser.parse_args(argv)
    out = measure(args.rows, args.csv, max(1, args.repeat))
    print(f"{out['rows']:,} respondents, {out['csv_mb']} MB of CSV")
    print(f"  pd.read_csv (dtype=str)         {out['read_csv_s']:8.2f} s")
    print(
        f"  deckgen load_survey             {out['load_survey_s']:8.2f} s  "
        f"({out['load_over_read']:.2f}x read;"
        f" read {out['load_survey_read_s']:.2f} s + checks {out['load_survey_checks_s']:.2f} s)"
    )
    print(
        f"  {out['indicators']} indicators (build.plan) {out['indicators_s']:8.2f} s  "
        f"({out['indicators_over_read']:.2f}x read)"
    )
    print(
        f"  {out['breakdowns']} breakdowns with tests   {out['breakdowns_s']:8.2f} s  "
        f"({out['breakdowns_over_read']:.2f}x read)"
    )
    if "arrow_read_s" in out:
        print(f"  pyarrow.csv.read_csv            {out['arrow_read_s']:8.2f} s  "
              f"(table {out['arrow_table_mb']} MB)")  # fmt: skip
        print(f"  load_survey, pandas' reader     {out['load_survey_pandas_reader_s']:8.2f} s")
        print(
            f"  pyarrow.parquet.read_table      {out['parquet_read_s']:8.2f} s; load_survey "
            f"{out['parquet_load_s']:.2f} s ({out['parquet_load_over_read']:.2f}x)"
        )
        for name, times in out["rounds"].items():
            kernel = out["rounds_system_cpu"][name]
            print(
                f"  {name} in each round: {', '.join(f'{t:.2f}' for t in times)} s "
                f"(in the kernel: {', '.join(f'{t:.2f}' for t in kernel)} s of CPU)"
            )
        for what, mb in out["peak_mb"].items():
            print(f"  peak memory, {what}: {mb:.0f} MB")
    for t in (out["target"], out["breakdowns_target"], *out.get("arrow_targets", [])):
        print(f"{'MET   ' if t['met'] else 'NOT MET'} {t['target']}: {t['value']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
