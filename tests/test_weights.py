"""Weights shown and robust: normalised before use (scale-free), the effective base
stated where a weighted figure is tested or flagged, thresholds on effective bases,
extreme weights named, and exports with the weighted count beside the weighted
percentage and the unweighted base.

Reference values come from the responses file itself (pandas, by hand): the
European Social Survey 10, Norway, 1,411 respondents, analysis weight `anweight`;
Kish's effective size (Σw)² / Σw² (Kish 1965).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import deckgen
from deckgen.errors import Warnings
from deckgen.workflows.exports import figure_rows

from .helpers import ROOT

ESS = ROOT / "config" / "ess-2020-norway.yaml"
ESS_DATA = ROOT / "data" / "ess-2020-norway"


def _ess(tmp_path, change=None):
    """The ESS deck's plan, its warnings and its figure rows, over a copy of the data
    whose rows `change` may edit (a pandas frame, read as text)."""
    data = tmp_path / "data"
    shutil.copytree(ESS_DATA, data)
    if change is not None:
        rows = pd.read_csv(data / "responses.csv", dtype=str, keep_default_na=False)
        change(rows)
        rows.to_csv(data / "responses.csv", index=False)
    spec = tmp_path / "ess.yaml"
    text = ESS.read_text(encoding="utf-8").replace("../data/ess-2020-norway/", f"{data}/")
    spec.write_text(text.replace("theme: theme.yaml", f"theme: {ROOT / 'config' / 'theme.yaml'}"))
    warnings = Warnings()
    plan, computed = deckgen.load(spec).plan(warnings)
    return plan, [w.message for w in warnings.items], figure_rows(computed, "en")


def _scaled(factor: float):
    def change(rows: pd.DataFrame) -> None:
        rows["anweight"] = [repr(float(v) * factor) for v in rows["anweight"]]

    return change


def _shown(plan, rows) -> tuple:
    """What a reader sees: every footnote, note and callout, every figure's value,
    marks, test, counts and bases."""
    texts = [(sp.footnote, sp.notes, [c.value_text for c in sp.callouts]) for sp in plan.slides]
    keys = ("value", "significance", "test", "count", "base", "weighted_count", "effective_base")
    return texts, [tuple(r[k] for k in keys) for r in rows]


def test_weights_are_scale_free(tmp_path):
    """Weights times 1e-200 or 1e200 are the same weights: the same figures, markers and
    footnotes (before normalising, 1e-200's squares vanish: every effective base 0,
    every test gone; 1e200's overflow)."""
    plain = _shown(*_ess(tmp_path / "plain")[::2])
    assert any("▲" in m or "▼" in m for _, rows in [plain] for m in (r[1] for r in rows))
    for factor in (1e-200, 1e200):
        plan, _, rows = _ess(tmp_path / f"{factor:g}", _scaled(factor))
        assert _shown(plan, rows) == plain, factor


def test_the_effective_base_is_stated_where_a_weighted_figure_is_tested(tmp_path):
    """Slide 4 tests the share joining the EU by age: its base is the 1,411 who
    answered, and their weights' effective size, by hand from the file, is
    (Σw)² / Σw² = 653.45 (design effect 2.16)."""
    raw = pd.read_csv(ESS_DATA / "responses.csv")
    w = raw.loc[raw["eu_vote"].notna(), "anweight"]
    assert len(w) == 1411
    assert round(w.sum() ** 2 / (w**2).sum(), 2) == 653.45
    assert round(len(w) / (w.sum() ** 2 / (w**2).sum()), 2) == 2.16
    plan, _, _ = _ess(tmp_path)
    assert plan.slides[3].footnote.startswith("Base: 1,411 respondents (effective 653); by")
    # untested, unweighted slides say no effective base
    assert "effective" not in plan.slides[4].footnote.split(";")[0]


def test_exports_give_the_weighted_count_beside_the_weighted_percentage(tmp_path):
    """Slide 2's callout: 932 of the 1,407 who answered (refusals excluded) would remain
    outside, 66 % unweighted; weighted, 70 %. The weights normalised to average 1 over
    the 1,411 respondents (by hand, pandas): the remainers weigh 985.3 of 1,407's
    1,407.3 -- the 70 % -- and the row says so beside the 932 and the 1,407."""
    raw = pd.read_csv(ESS_DATA / "responses.csv")
    w = raw["anweight"] / raw["anweight"].mean()
    answered = raw["eu_vote"].notna() & (raw["eu_vote"] != "Refuse to Answer")
    remain = raw["eu_vote"] == "Remain Outside"
    assert (int(remain.sum()), int(answered.sum())) == (932, 1407)
    weighted_count = round(float(w[remain].sum()), 1)
    share = float(w[remain].sum() / w[answered].sum())
    assert round(share * 100) == 70 and round(932 / 1407 * 100) == 66
    _, _, rows = _ess(tmp_path)
    (row,) = [r for r in rows if r["slide"] == 2 and r["element"] == "callout 1"]
    assert (row["value"], row["count"], row["base"]) == ("70%", 932, 1407)
    assert row["weighted_count"] == pytest.approx(weighted_count, abs=0.05)
    assert row["weighted_count"] == pytest.approx(share * float(w[answered].sum()), abs=0.05)


def test_an_extreme_weight_is_named(tmp_path):
    """One weight of 1e300: that respondent is the whole weighted sample ("Join the EU
    100 %"); the build says who, and the design effect it makes."""

    def heavy(rows: pd.DataFrame) -> None:
        rows.loc[rows["idno"] == "50019", "anweight"] = "1e300"

    plan, warnings, rows = _ess(tmp_path, heavy)
    named = [m for m in warnings if m.startswith("weights: respondent(s) 50019 ")]
    assert named and "carry more than 5% of a figure's weighted base (up to 100%" in named[0]
    assert any(m.startswith("weights: a design effect of ") for m in warnings)
    # unweighted figures are no one's: the same deck with its weights untouched says nothing
    _, calm, _ = _ess(tmp_path / "calm")
    assert not [m for m in calm if m.startswith("weights:")]


def test_a_segment_small_by_its_weights_is_not_tested_and_is_flagged(tmp_path):
    """Slide 7, the mean left-right placement by region: 88 respondents of Nord-Norge
    placed themselves (pandas). One of them weighing 1 and the others 0.0001 (the rest
    of Norway as it is) leaves them an effective base of (1 + 87 x 0.0001)² /
    (1 + 87 x 0.0001²) = 1.02 (by hand): too small to test (under 10, by its effective
    base) and flagged as small, though 88 respondents are well over 10."""
    raw = pd.read_csv(ESS_DATA / "responses.csv")
    north = raw.index[(raw["region"] == "Nord-Norge") & raw["lrscale"].notna()]
    assert len(north) == 88
    assert round((1 + 87e-4) ** 2 / (1 + 87e-8), 2) == 1.02

    def skewed(rows: pd.DataFrame) -> None:
        rows.loc[rows["region"] == "Nord-Norge", "anweight"] = "0.0001"
        rows.loc[north[0], "anweight"] = "1"

    plan, _, _ = _ess(tmp_path, skewed)
    footnote = plan.slides[6].footnote
    assert "no test for Nord-Norge (n\u00a0=\u00a088): effective base under 10" in footnote
    assert "Nord-Norge (n\u00a0=\u00a088)" in footnote.split("small effective bases: ")[1]
    assert "(effective " in footnote.split(";")[0]
