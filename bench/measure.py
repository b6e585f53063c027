"""Run one program in this fresh process and record its own peak memory.

    python bench/measure.py RESULT.json -m deckgen.cli build SPEC -o OUT -q
    python bench/measure.py RESULT.json bench/baseline.py VALUES.json OUT.pptx

bench/run.py starts one of these per measurement, so every figure comes from a
fresh interpreter (imports included) and each child's peak RSS is its own
(RUSAGE_CHILDREN in the parent would give the maximum over all children).
The program runs as `python -m MODULE ...` / `python SCRIPT ...` would run it;
RESULT.json gets {"maxrss_kb": peak resident set, "cpu_s": ...}, written by an
exit handler: a program that ends with os._exit after running exit handlers
(as `deckgen` does, to skip the interpreter's teardown) is measured too. The
exit code is the process's own; wall time is measured by the parent around the
whole process.
"""

import atexit
import os
import resource
import runpy
import sys


def main() -> None:
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        raise SystemExit(2)
    result, target, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    atexit.register(_record, result)
    code = 0
    try:
        if target == "-m":  # as `python -m MODULE`: the current folder first on sys.path
            module, args = rest[0], rest[1:]
            sys.argv = [module, *args]
            sys.path[0] = os.getcwd()
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:  # as `python SCRIPT`: the script's folder first on sys.path
            sys.argv = [target, *rest]
            sys.path[0] = os.path.dirname(os.path.abspath(target))
            runpy.run_path(target, run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - report it, and still record the figures
        import traceback

        traceback.print_exc()
        code = 1
    raise SystemExit(code)


def _record(result: str) -> None:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(result, "w", encoding="utf-8") as fh:
        cpu = usage.ru_utime + usage.ru_stime
        fh.write(f'{{"maxrss_kb": {usage.ru_maxrss}, "cpu_s": {cpu:.3f}}}\n')


if __name__ == "__main__":
    main()
