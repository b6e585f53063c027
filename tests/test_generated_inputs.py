"""Generated hostile inputs, class by class: survey files, weights, sampling designs and
editions files drawn by hypothesis. Each either loads, and then holds what the checks
promise (every answer a known code or empty, numbers in range, weights finite and
averaging 1, every stratum with two clusters, every published figure a percent), or
stops with deckgen's own error (`data error`, `editions error`) naming the file --
never another exception. tests/test_hostile.py holds the hand-written cases, run as
the CLI under memory and time limits; these run in the process, many at a time.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.analysis.editions import load_editions
from deckgen.analysis.survey import load_survey
from deckgen.errors import DataError, EditionsError

from .helpers import CODEBOOK

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same cases on every run: the suite stays deterministic
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CODES = ["oui", "non", "nsp"]
SMALL_CODEBOOK = """survey:
  respondent_id: id
  {extra}
questions:
  - {{id: avis, type: single, optional: true,
     options: [{{code: oui}}, {{code: non}}, {{code: nsp}}]}}
  - {{id: age, type: numeric, optional: true, min: 0, max: 120}}
"""

# what a cell of a survey file may hold: the valid, the empty, and the hostile
HOSTILE_TEXT = [
    "", " ", "oui ", "OUI", "non\x00", "\x0b", "\ufeffoui", "1e309", "-0", "nan", "NaN",
    "inf", "-inf", "0x10", "1_000", "3,5", "٣", "１２", "=1+1", '"oui"', "a" * 300,
    "9" * 400, "\u202e", "None", "null", "true",
]  # fmt: skip
cells = st.one_of(
    st.sampled_from(CODES),
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=12),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
numbers = st.one_of(
    st.integers(-5, 130).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(HOSTILE_TEXT),
)


def _write(folder: Path, rows: list[dict[str, str]], extra: str = "") -> Path:
    pd.DataFrame(rows).to_csv(folder / "responses.csv", index=False)
    (folder / "codebook.yaml").write_text(SMALL_CODEBOOK.format(extra=extra), encoding="utf-8")
    return folder / "codebook.yaml"


def _load(codebook: Path):
    """The survey, or None when deckgen refused it with its own error naming the file.
    Any other exception fails the test."""
    try:
        return load_survey(codebook)
    except DataError as error:
        assert str(codebook.parent) in str(error) or "responses.csv" in str(error), error
        return None


@SETTINGS
@given(
    st.lists(st.tuples(cells, numbers), min_size=1, max_size=12),
    st.lists(st.sampled_from(["1", "2", "2", "", " ", "\x00", "1.0"]), max_size=3),
)
def test_generated_survey_files(tmp_path_factory, answers, odd_ids):
    folder = tmp_path_factory.mktemp("survey")
    ids = [str(i + 1) for i in range(len(answers))]
    ids[: len(odd_ids)] = odd_ids[: len(ids)]
    rows = [{"id": i, "avis": a, "age": n} for i, (a, n) in zip(ids, answers)]
    survey = _load(_write(folder, rows))
    if survey is None:
        return
    frame = survey.frame
    assert frame.index.is_unique and not frame.index.isna().any()
    assert set(frame["avis"].dropna()) <= set(CODES)
    ages = pd.to_numeric(frame["age"], errors="coerce").dropna()
    assert ((ages >= 0) & (ages <= 120)).all() and np.isfinite(ages).all()
    # nothing silently dropped: every non-empty cell became a value
    given_avis = sum(1 for _, (a, _n) in zip(ids, answers) if str(a).strip() != "")
    assert frame["avis"].notna().sum() == given_avis


weights = st.one_of(
    st.floats(min_value=0, max_value=1e300, allow_subnormal=True).map(repr),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "-1", "1e-320", "1e308", "abc", "0", "1,5", "inf", "1e309", "nan"]),
)


@SETTINGS
@given(st.lists(weights, min_size=1, max_size=10), st.integers(-200, 200))
def test_generated_weights(tmp_path_factory, column, power):
    """Weights load finite, at least one positive, averaging 1 -- and scale-free: the
    same weights times 10**power give the same normalised weights."""
    folder = tmp_path_factory.mktemp("weights")
    rows = [{"id": str(i + 1), "avis": "oui", "age": "30", "w": w} for i, w in enumerate(column)]
    survey = _load(_write(folder, rows, "weight: w"))
    if survey is None:
        return
    w = survey.weights.to_numpy(float)
    assert np.isfinite(w).all() and (w >= 0).all() and (w > 0).any()
    assert w.mean() == pytest.approx(1.0, rel=1e-9)
    scaled = [repr(float(x) * 10.0**power) for x in column]
    if all(math.isfinite(float(x)) and (float(x) == 0 or float(x) >= 1e-290) for x in scaled):
        other = _load(_write(folder, [dict(r, w=s) for r, s in zip(rows, scaled)], "weight: w"))
        assert other is not None
        assert other.weights.to_numpy(float) == pytest.approx(w, rel=1e-9)


labels = st.one_of(st.sampled_from(["A", "B", "C", "", "\x00", "a" * 100]), st.text(max_size=4))


@SETTINGS
@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=14))
def test_generated_designs(tmp_path_factory, design):
    """Strata and clusters load only with every cell filled and two clusters or more in
    every stratum; a test then has positive degrees of freedom or none."""
    folder = tmp_path_factory.mktemp("design")
    rows = [
        {"id": str(i + 1), "avis": "oui", "age": "30", "s": s, "c": c}
        for i, (s, c) in enumerate(design)
    ]
    survey = _load(_write(folder, rows, "strata: s\n  clusters: c"))
    if survey is None:
        return
    d = survey.design
    assert (d.per_stratum() >= 2).all()
    assert d.degrees == d.clusters - d.strata >= d.strata


percents = st.one_of(
    st.floats(min_value=-50, max_value=200, allow_nan=False),
    st.sampled_from([0, 100, 100.5, 1e309, -0.0]),
    st.floats(allow_nan=True, allow_infinity=True),
)
TYPES = ["commune", "intercommunalite", "departement", "region", "metropole"]


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from([*TYPES, "communes", "Commune", "x"]), percents, min_size=1, max_size=5
    ),
    percents,
    st.sampled_from(["2018", "2022", "2018-13", "soon", "2020-02-30"]),
)
def test_generated_editions_files(tmp_path_factory, distribution, share, date):
    """An editions file loads only when each figure is a percent from 0 to 100, each
    category an option of its question, a single choice's categories add up to no more
    than 100 plus their rounding, and each edition is dated before the current one."""
    folder = tmp_path_factory.mktemp("editions")
    doc = {
        "current": {"id": "2021", "label": "2021", "date": "2021-06", "respondents": 31},
        "editions": [{"id": "e1", "label": "E1", "date": date, "respondents": 100}],
        "figures": [
            {"key": "types", "question": "type_collectivite",
             "distributions": {"e1": dict(distribution)}},
            {"key": "service", "matches": {"question": "service_participation", "in": ["oui"]},
             "shares": {"e1": share}},
        ],
    }  # fmt: skip
    path = folder / "editions.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    questions = load_survey(CODEBOOK).questions
    try:
        editions = load_editions(path, questions)
    except EditionsError as error:
        assert str(path) in str(error), error
        return
    (types, service) = editions.figures
    values = [*types.distributions["e1"].values(), service.shares["e1"]]
    assert all(math.isfinite(v) and 0 <= v <= 100 for v in values)
    assert sum(types.distributions["e1"].values()) <= 100 + 0.5 * len(distribution)
    assert set(types.distributions["e1"]) <= set(TYPES)
    assert editions.editions[0].when < editions.current.when
