"""Peak memory and time of every hand-written hostile input (tests/test_hostile.py) and
of every hostile deck given to `deckgen update` (tests/test_update_hostile.py).

    python bench/hostile.py [RESULT.md]

Each case edits a fresh copy of the project, then runs the real command once in a
fresh interpreter through bench/measure.py (its own peak RSS, its CPU time), with no
limit set: what the case costs, not whether it stays under the test's limits
(500 MB of address space, 5 s of CPU). Prints a Markdown table, largest memory
first, and the largest memory and time of all; docs/benchmark.md keeps a run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers import project_copy  # noqa: E402
from tests.test_hostile import CASES  # noqa: E402


def measure(case) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project_copy(root)
        case.edit(root)
        return _run(case.name, root, case.args)


def measure_decks() -> list[dict]:
    """The seed deck built once; each hostile deck made from it, then updated."""
    import deckgen
    from tests.test_update_hostile import CASES as DECKS
    from tests.test_update_hostile import _cases

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        spec = project_copy(root)
        deck = deckgen.load(spec).build(root / "deck.pptx").path
        made = _cases(deck)
        rows = []
        for name in DECKS:
            hostile = made[name][0](root / "hostile.pptx")
            args = ["update", str(spec), "--deck", str(hostile), "-o", str(root / "o.pptx"), "-q"]
            rows.append(_run(f"update: {name}", root, args))
        return rows


def _run(name: str, root: Path, args: list[str]) -> dict:
    result = root / "result.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DECKGEN_CACHE_DIR": str(root / "cache")}
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), str(result), "-m", "deckgen",
         *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    wall = time.perf_counter() - start
    out = json.loads(result.read_text()) if result.exists() else {}
    return {
        "case": name,
        "exit": proc.returncode,
        "mb": out.get("maxrss_kb", 0) / 1024,
        "cpu": out.get("cpu_s", float("nan")),
        "wall": wall,
    }


def main() -> None:
    rows = [measure(case) for case in CASES] + measure_decks()
    rows.sort(key=lambda r: -r["mb"])
    lines = [
        f"{len(rows)} hostile inputs (tests/test_hostile.py, tests/test_update_hostile.py), "
        "each in a fresh interpreter:",
        "",
        "| case | exit | peak MB | CPU s | wall s |",
        "|---|---|---|---|---|",
        *(
            f"| {r['case']} | {r['exit']} | {r['mb']:.0f} | {r['cpu']:.2f} | {r['wall']:.2f} |"
            for r in rows
        ),
        "",
        f"Largest: {max(r['mb'] for r in rows):.0f} MB ({rows[0]['case']}); "
        f"longest: {max(r['cpu'] for r in rows):.2f} s of CPU, "
        f"{max(r['wall'] for r in rows):.2f} s of wall time.",
    ]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
