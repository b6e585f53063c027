"""Text columns kept as codes (deckgen.inputs.coded) say what the frame's columns say.

The reference is pandas asked the same question of the frame's own column
(`get_indexer`, `notna`, `isin`, `map`), and the figures computed the way they
were before the codes were kept (a Survey without them).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from deckgen.analysis.indicators import Indicator, compute
from deckgen.inputs.coded import Coded
from deckgen.inputs.conditions import parse_condition
from tests.conftest import ROOT

TEXT_TYPES = ("single", "likert", "text")


def _column(coded: Coded) -> pd.Series:
    """The column `coded` stands for, row by row: each code's text, NaN for -1."""
    texts = np.append(coded.texts, np.nan).astype(object)
    return pd.Series(texts[coded.codes.astype(np.intp)], dtype=object)


def _random_coded(seed: int) -> Coded:
    rng = np.random.default_rng(seed)
    pool = ["1", "2", "10", "oui", "non", "Non", "01", "a b", "é", ""]
    k = int(rng.integers(1, 8))
    texts = np.array(
        [np.nan if rng.random() < 0.2 else pool[int(i)] for i in rng.integers(0, len(pool), k)],
        dtype=object,
    )
    codes = rng.integers(-1, k, int(rng.integers(0, 60))).astype(np.int8)
    return Coded(codes, texts)


@pytest.mark.parametrize("seed", range(40))
def test_codes_answer_as_pandas_does_on_the_column(seed):
    coded = _random_coded(seed)
    column = _column(coded)
    rng = np.random.default_rng(1000 + seed)
    wanted = [str(v) for v in rng.choice(["1", "2", "oui", "Non", "x", "01"], 3, replace=False)]
    assert (
        coded.positions(wanted).tolist()
        == pd.Index(wanted, dtype=object).get_indexer(column).tolist()
    )
    assert coded.present().tolist() == column.notna().tolist()
    assert coded.isin(wanted).tolist() == column.isin(wanted).tolist()
    table = {code: 3 * i for i, code in enumerate(wanted)}
    assert coded.mapped(table, 99).tolist() == column.map(table).fillna(99).astype(int).tolist()


@pytest.fixture(scope="module")
def surveys(survey, gss_survey):
    from deckgen.workflows.pipeline import load

    ess = load(ROOT / "config" / "ess-2020-norway.yaml").survey
    return {"barometre": survey, "ess": ess, "gss": gss_survey}


@pytest.mark.parametrize("name", ["barometre", "ess", "gss"])
def test_every_text_column_is_kept_as_the_codes_of_what_the_frame_holds(surveys, name):
    survey = surveys[name]
    text_columns = {
        c for q in survey.questions.values() if q.type in TEXT_TYPES for c in q.columns()
    }
    assert text_columns  # every survey here has some
    kept = {c for c in survey.frame.columns if survey.codes(c) is not None}
    assert kept == text_columns
    for c in sorted(kept):
        coded = survey.codes(c)
        assert coded is not None and len(coded.codes) == len(survey.frame)
        column = _column(coded).set_axis(survey.frame.index).rename(c)
        pd.testing.assert_series_equal(column, survey.frame[c].astype(object))


def test_a_survey_given_another_frame_is_not_given_codes(survey):
    name = "type_collectivite"
    assert survey.codes(name) is not None
    other = dataclasses.replace(survey, frame=survey.frame.iloc[::-1])
    assert other.codes(name) is None
    same_rows = dataclasses.replace(survey, frame=survey.frame.copy())
    assert same_rows.codes(name) is None  # a copy may be changed: not the frame read


CONDITIONS = [
    {"question": "type_collectivite", "in": ["commune"]},
    {"question": "type_collectivite", "not_in": ["commune", "departement"]},
    {"question": "type_collectivite", "answered": True},
    {"question": "budget_participation", "answered": False},
    {"question": "reseaux_sociaux", "in": ["oui"]},
    {"question": "reseaux_sociaux", "not_in": ["oui"]},
    # asked of 9 respondents: 22 without an answer
    {"question": "consultation_presentiel", "not_in": ["oui"]},
    {"question": "consultation_presentiel", "answered": False},
    {"question": "consultation_presentiel", "answered": True},
    {
        "any": [
            {"question": "reseaux_sociaux", "in": ["non"]},
            {"not": {"question": "type_collectivite", "in": ["region"]}},
        ]
    },
    {"question": "population", "min": 10000, "max": 50000},
    {"question": "reseaux_sociaux_plateformes", "has_any": ["facebook", "youtube"]},
]


@pytest.mark.parametrize("raw", CONDITIONS, ids=lambda r: str(r)[:50])
def test_conditions_hold_for_the_same_respondents_from_the_codes(survey, raw):
    condition = parse_condition(raw)
    assert not condition.check(survey.questions)
    plain = condition.evaluate(survey.frame, survey.questions)
    coded = condition.evaluate(survey.frame, survey.questions, survey.codes)
    pd.testing.assert_series_equal(coded, plain)


def test_every_asked_if_holds_for_the_same_respondents_from_the_codes(surveys):
    seen = 0
    for survey in surveys.values():
        for q in survey.questions.values():
            found = [q.asked_if] + [o.asked_if for o in q.options]
            for condition in (c for c in found if c is not None):
                plain = condition.evaluate(survey.frame, survey.questions)
                coded = condition.evaluate(survey.frame, survey.questions, survey.codes)
                pd.testing.assert_series_equal(coded, plain)
                seen += 1
    assert seen >= 10


def _indicators(spec_name: str) -> list[Indicator]:
    from deckgen.inputs.spec import load_spec

    spec = load_spec(ROOT / "config" / spec_name)
    return [
        c.indicator
        for slide in spec.slides
        for c in [*slide.charts, *slide.callouts]
        if getattr(c, "indicator", None) is not None
    ]


def _variants(indicators: list[Indicator], segment: str, keep: dict) -> list[Indicator]:
    """Each indicator as the spec has it, filtered to some respondents, and broken
    down by `segment` where its kind takes a breakdown."""
    out = []
    for ind in indicators:
        data = ind.to_dict()
        out.append(ind)
        out.append(Indicator.validate({**data, "filter": keep}))
        if ind.kind in ("distribution", "multi", "likert", "share", "mean") and not ind.by:
            out.append(Indicator.validate({**data, "by": segment}))
    return out


CASES = {
    "barometre": (
        "barometre-2021.yaml",
        "type_collectivite",
        {"question": "type_collectivite", "not_in": ["region"]},
    ),
    "ess": (
        "ess-2020-norway.yaml",
        "region",
        {"question": "region", "in": ["Oslo og Viken", "Vestlandet"]},
    ),
    "gss": ("gss-2018-spending.yaml", "sex", {"question": "sex", "in": ["1"]}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_figures_are_those_computed_from_the_frames_columns(surveys, name):
    """Every indicator of the example decks, also filtered and broken down, gives the
    same result from the codes as from the frame's columns (a Survey without codes:
    the computation before they were kept), to the last digit."""
    spec_name, segment, keep = CASES[name]
    survey = surveys[name]
    plain = dataclasses.replace(survey, coded=None)
    assert survey.codes(segment) is not None and plain.codes(segment) is None
    variants = _variants(_indicators(spec_name), segment, keep)
    indicators = [i for i in variants if not i.check(survey.questions)]  # a breakdown by
    assert len(indicators) >= 25  # itself, or by a question it cannot be broken down by: out
    for ind in indicators:
        assert repr(compute(survey, ind)) == repr(compute(plain, ind)), ind


@pytest.mark.parametrize("distinct", [126, 127, 300, 32_766, 32_768])
def test_many_distinct_answers_keep_their_codes(tmp_path, distinct):
    """A free-text column of many distinct answers (beside a declared no-answer code
    and padded cells): its codes take a wider integer where a byte cannot hold them,
    and still give the frame's column."""
    from deckgen.analysis.survey import load_survey

    (tmp_path / "codebook.yaml").write_text(
        "questions:\n"
        "  - id: note\n    type: text\n    optional: true\n    missing: [9]\n"
        "  - id: pid\n    type: single\n    optional: true\n    missing: [9]\n"
        "    options: [{code: 1, label: Dem}, {code: 2, label: Rep}]\n",
        encoding="utf-8",
    )
    rows = ["id,note,pid"]
    for i in range(distinct + 3):
        note = "9" if i == 1 else "" if i == 2 else f" t{i % distinct} "
        rows.append(f"r{i},{note},{['1', ' 2', '9', ''][i % 4]}")
    (tmp_path / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    survey = load_survey(tmp_path / "codebook.yaml")
    for name in ("note", "pid"):
        coded = survey.codes(name)
        assert coded is not None
        column = _column(coded).set_axis(survey.frame.index).rename(name)
        pd.testing.assert_series_equal(column, survey.frame[name].astype(object))
    note = survey.frame["note"]
    assert note.iloc[0] == "t0" and note.iloc[1:3].isna().all()
    assert note.nunique() == distinct  # t0 .. t(distinct-1), some twice
    for raw in (
        {"question": "pid", "not_in": ["1"]},
        {"question": "note", "answered": False},
    ):
        condition = parse_condition(raw)
        pd.testing.assert_series_equal(
            condition.evaluate(survey.frame, survey.questions, survey.codes),
            condition.evaluate(survey.frame, survey.questions),
        )


@pytest.mark.parametrize("k", [0, 1, 2, 7, 16])
@pytest.mark.parametrize("order", ["C", "F"])
def test_counts_and_any_answer_of_a_tally_are_numpys(k, order):
    """The column counts and the rows holding a True of a respondents x k tally, worked
    a column at a time, against numpy's own sum and any."""
    from deckgen.analysis.indicators import _any_row, _counted, _sums

    rng = np.random.default_rng(k)
    matrix = np.asarray(rng.random((1001, k)) < 0.2, order=order)
    expected = matrix.sum(axis=0, keepdims=True)
    assert _counted(matrix).tolist() == expected.tolist()
    assert _sums(matrix, None, 1).tolist() == expected.tolist()
    assert _any_row(matrix).tolist() == matrix.any(axis=1).tolist()
    numbers = matrix.astype(np.int64) * 3  # a plug-in's tally of numbers
    assert _any_row(numbers).tolist() == matrix.any(axis=1).tolist()
    weights = rng.random(1001)
    assert (
        _sums(matrix, None, 1, weights).tolist()
        == (matrix * weights[:, None]).sum(axis=0, keepdims=True).tolist()
    )
