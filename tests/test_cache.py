"""Cached indicator results: a rebuild with unchanged data skips pandas, and is never stale."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
from pptx import Presentation

from .helpers import flat
from .test_spec import spec_copy  # noqa: F401  (fixture)

PROBE = textwrap.dedent("""
    import sys
    from deckgen.workflows.pipeline import build
    import deckgen
    build(sys.argv[1], sys.argv[2])
    print("pandas" in sys.modules, deckgen.__file__)
""")


def _build(spec: Path, out: Path, cache: Path, *env_entries: str) -> bool:
    """Build in a fresh process; return whether it imported pandas. `env_entries`
    ("NAME=value") are added to its environment (PYTHONPATH: a copy of deckgen)."""
    env = {"PATH": "/usr/bin:/bin", "DECKGEN_CACHE_DIR": str(cache), "HOME": str(cache)}
    env.update(entry.split("=", 1) for entry in env_entries)
    # `python -c` looks in its working folder first: the copy's, when there is one
    cwd = env.get("PYTHONPATH") or Path(__file__).resolve().parents[1]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    loaded, imported = proc.stdout.split()
    if "PYTHONPATH" in env:  # the copy ran, not the installed package
        assert Path(imported).is_relative_to(env["PYTHONPATH"]), imported
    return loaded == "True"


def _youtube(deck: Path) -> float:
    prs = Presentation(str(deck))
    slide = next(
        s for s in prs.slides if s.shapes.title.text == "Les réseaux sociaux pour la participation"
    )
    chart = next(s for s in flat(slide.shapes) if s.has_chart).chart
    return dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))["YouTube"]


def test_second_build_uses_the_cache_without_pandas_and_gives_the_same_bytes(spec_copy, tmp_path):  # noqa: F811
    cache = tmp_path / "cache"
    first, second = tmp_path / "a.pptx", tmp_path / "b.pptx"
    assert _build(spec_copy, first, cache) is True  # nothing cached yet: the data are read
    assert len(list(cache.glob("results-*.json"))) == 1
    assert _build(spec_copy, second, cache) is False
    assert first.read_bytes() == second.read_bytes()


def test_changed_data_is_never_served_from_the_cache(spec_copy, tmp_path):  # noqa: F811
    cache = tmp_path / "cache"
    before = tmp_path / "before.pptx"
    _build(spec_copy, before, cache)
    assert round(_youtube(before) * 24) == 18

    csv = spec_copy.parents[1] / "data" / "barometre-2021" / "responses.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    users = frame.index[frame["reseaux_sociaux_plateformes__youtube"] == "1"]
    frame.loc[users[0], "reseaux_sociaux_plateformes__youtube"] = "0"
    frame.to_csv(csv, index=False)

    after = tmp_path / "after.pptx"
    assert _build(spec_copy, after, cache) is True  # new bytes, new key: computed again
    assert round(_youtube(after) * 24) == 17
    assert len(list(cache.glob("results-*.json"))) == 2


def test_a_corrupt_cache_file_is_only_a_miss(spec_copy, tmp_path):  # noqa: F811
    cache = tmp_path / "cache"
    _build(spec_copy, tmp_path / "a.pptx", cache)
    (entry,) = cache.glob("results-*.json")
    entry.write_text("{not json", encoding="utf-8")
    assert _build(spec_copy, tmp_path / "b.pptx", cache) is True
    from deckgen.analysis.cache import FORMAT

    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == FORMAT
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()


def test_no_cache_switch(spec_copy, tmp_path, monkeypatch):  # noqa: F811
    """DECKGEN_NO_CACHE=1: no cache folder, and the data files are not hashed for a key
    no cache will use (0.5 s for a million rows); with the cache on, they are."""
    import deckgen
    from deckgen.analysis.cache import cache_dir
    from deckgen.workflows import pipeline

    hashed = []
    real = pipeline.survey_key
    monkeypatch.setattr(pipeline, "survey_key", lambda *f: hashed.append(f) or real(*f))
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    deckgen.load(spec_copy).plan()
    assert len(hashed) == 1
    monkeypatch.setenv("DECKGEN_NO_CACHE", "1")
    assert cache_dir() is None
    deckgen.load(spec_copy).plan()
    assert len(hashed) == 1


def test_results_are_not_cached_when_the_data_change_during_the_build(tmp_path):
    from deckgen.analysis.cache import ResultCache, survey_key
    from deckgen.analysis.results import Result, Series

    data = tmp_path / "responses.csv"
    data.write_text("id,q\nR1,oui\n", encoding="utf-8")
    cache = ResultCache(survey_key(data), folder=tmp_path / "cache", files=(data,))
    result = Result(
        "count", None, "", ("",), ("count",), (Series("", (1.0,), (1,)),), (1,), 1, is_count=True
    )
    cache.put("k", result)
    data.write_text("id,q\nR1,non\n", encoding="utf-8")  # edited while the build ran
    cache.save()
    assert not (tmp_path / "cache").exists()

    fresh = ResultCache(survey_key(data), folder=tmp_path / "cache", files=(data,))
    fresh.put("k", result)
    fresh.save()
    assert ResultCache(survey_key(data), folder=tmp_path / "cache").get("k") == result


def _package_copy(dest: Path) -> Path:
    """A copy of the deckgen package (no bytecode); returns its folder."""
    import shutil

    import deckgen

    source = Path(deckgen.__file__).resolve().parent
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_a_change_to_any_module_of_deckgen_changes_the_key(monkeypatch, tmp_path):
    """The key reads deckgen's files themselves: in a copy of the package, editing any
    one module -- the tests of significance.py, the readers, a renderer -- gives a new
    key, and putting it back gives the old one."""
    from deckgen.analysis import cache

    package = _package_copy(tmp_path / "deckgen")
    monkeypatch.setattr(cache, "_PACKAGE", package)
    data = tmp_path / "responses.csv"
    data.write_text("id\nR1\n", encoding="utf-8")
    before = cache.survey_key(data)
    modules = sorted(package.rglob("*.py"))
    names = {m.relative_to(package).as_posix() for m in modules}
    assert {
        "analysis/significance.py",
        "inputs/readers.py",
        "analysis/indicators.py",
        "render/charts.py",
    } <= names
    keys = set()
    for module in modules:
        text = module.read_bytes()
        module.write_bytes(text + b"\n# edited\n")
        keys.add(cache.survey_key(data))
        module.write_bytes(text)
    assert before not in keys and len(keys) == len(modules)  # one new key per edit
    assert cache.survey_key(data) == before
    (package / "render" / "new_kind.py").write_text("X = 1\n", encoding="utf-8")
    assert cache.survey_key(data) != before  # a new module too


def test_a_plug_in_s_compute_function_is_in_the_key(monkeypatch, tmp_path):
    """An indicator kind registered from outside deckgen: its module's source is read
    too, whether the kind names it as "module:function" or gives the function."""
    import importlib
    import sys

    from deckgen import indicator_kinds
    from deckgen.analysis import cache

    plugin = tmp_path / "a_survey_plugin.py"
    plugin.write_text("def share_empty(survey, indicator):\n    return 0\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    data = tmp_path / "responses.csv"
    data.write_text("id\nR1\n", encoding="utf-8")
    plain = cache.survey_key(data)
    for compute in ("a_survey_plugin:share_empty", None):
        if compute is None:  # the function itself
            compute = importlib.import_module("a_survey_plugin").share_empty
        indicator_kinds.register(indicator_kinds.IndicatorKind("empty_share", "", compute))
        try:
            assert plugin.resolve() in cache.code_files()
            registered = cache.survey_key(data)
            assert registered != plain
            plugin.write_text(plugin.read_text() + "# edited\n", encoding="utf-8")
            assert cache.survey_key(data) != registered
        finally:
            indicator_kinds.unregister("empty_share")
    sys.modules.pop("a_survey_plugin", None)
    assert cache.survey_key(data) == plain


def test_an_edited_test_module_is_a_cache_miss(tmp_path):
    """A build with a warm cache, then the same build after significance.py changed: the
    results are computed again (pandas is loaded), never served from the cache. The
    builds run a copy of the package, in processes of their own."""
    from .helpers import communes_spec

    package = _package_copy(tmp_path / "pkg" / "deckgen")
    spec = communes_spec(tmp_path, "        test: rest\n")
    cache = tmp_path / "cache"
    path = f"PYTHONPATH={tmp_path / 'pkg'}"
    assert _build(spec, tmp_path / "a.pptx", cache, path) is True  # cold
    assert _build(spec, tmp_path / "b.pptx", cache, path) is False  # warm: no pandas
    module = package / "analysis" / "significance.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert _build(spec, tmp_path / "c.pptx", cache, path) is True  # a miss
    assert _build(spec, tmp_path / "d.pptx", cache, path) is False
    assert len(list(cache.glob("results-*.json"))) == 2


def test_a_result_is_read_from_the_cache_once_and_a_new_one_replaces_it(tmp_path):
    """`ResultCache.get` reads a cached result once (a batch's decks each ask for it)
    and gives back what the file holds; a result put again under its key is what the
    next `get` gives, never the one read before."""
    from dataclasses import replace

    from deckgen.analysis.cache import ResultCache
    from deckgen.analysis.results import Result, Series, result_from_dict, result_to_dict

    ensemble = Series("Ensemble", (0.25, 0.75), (1, 3))
    first = Result("distribution", "q", "Q ?", ("a", "b"), ("1", "2"), (ensemble,), (4, 4), 4)
    cache = ResultCache("k" * 32, folder=tmp_path)
    assert cache.get("x") is None
    cache.put("x", first)
    read = cache.get("x")
    assert read == result_from_dict(result_to_dict(first)) and cache.get("x") is read
    cache.put("x", replace(first, base=5))
    assert cache.get("x").base == 5
