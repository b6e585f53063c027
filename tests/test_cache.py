"""Cached indicator results: a rebuild with unchanged data skips pandas, and is never stale."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
from pptx import Presentation

from .test_spec import spec_copy  # noqa: F401  (fixture)

PROBE = textwrap.dedent("""
    import sys
    from deckgen.pipeline import build
    build(sys.argv[1], sys.argv[2])
    print("pandas" in sys.modules)
""")


def _build(spec: Path, out: Path, cache: Path) -> bool:
    """Build in a fresh process; return whether it imported pandas."""
    env = {"PATH": "/usr/bin:/bin", "DECKGEN_CACHE_DIR": str(cache), "HOME": str(cache)}
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec), str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip() == "True"


def _youtube(deck: Path) -> float:
    prs = Presentation(str(deck))
    slide = next(
        s for s in prs.slides if s.shapes.title.text == "Les réseaux sociaux pour la participation"
    )
    chart = next(s for s in slide.shapes if s.has_chart).chart
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
    from deckgen.cache import FORMAT

    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == FORMAT
    assert (tmp_path / "a.pptx").read_bytes() == (tmp_path / "b.pptx").read_bytes()


def test_no_cache_switch(spec_copy, tmp_path, monkeypatch):  # noqa: F811
    from deckgen.cache import cache_dir

    monkeypatch.setenv("DECKGEN_NO_CACHE", "1")
    assert cache_dir() is None


def test_results_are_not_cached_when_the_data_change_during_the_build(tmp_path):
    from deckgen.cache import ResultCache, survey_key
    from deckgen.results import Result, Series

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


def test_the_key_covers_deckgen_s_computing_code(monkeypatch, tmp_path):
    from deckgen import cache

    data = tmp_path / "responses.csv"
    data.write_text("id\nR1\n", encoding="utf-8")
    before = cache.survey_key(data)
    monkeypatch.setattr(cache, "_code_digest", lambda: b"an edited indicators.py")
    assert cache.survey_key(data) != before
    assert "indicators.py" in cache._COMPUTING and "survey.py" in cache._COMPUTING
