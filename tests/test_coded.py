"""Text columns kept as codes (deckgen.inputs.coded) say what the frame's columns say.

The reference is pandas asked the same question of the frame's own column
(`get_indexer`, `notna`, `isin`, `map`), and the figures computed the way they
were before the codes were kept (a Survey without them).
"""

from __future__ import annotations

import dataclasses
import math

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
    k = int(rng.integers(0, 8))  # no distinct answer at all: every cell empty
    texts = np.array(
        [np.nan if rng.random() < 0.2 else pool[int(i)] for i in rng.integers(0, len(pool), k)],
        dtype=object,
    )
    width = (np.int8, np.int16, np.int32)[seed % 3]  # as many as the answers need
    return Coded(rng.integers(-1, k, int(rng.integers(0, 60))).astype(width), texts)


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


def test_a_text_column_changed_is_looked_at_again(data_copy):
    """The frame read is the survey's own: a text column replaced (a plug-in's, say)
    is read from the frame, not from codes of what it held; its cells cannot be
    written, pandas refuses."""
    from deckgen.analysis.survey import load_survey

    survey = load_survey(data_copy)
    name = "type_collectivite"
    everyone = Indicator.validate({"kind": "distribution", "question": name})
    communes = parse_condition({"question": name, "in": ["commune"]})
    assert compute(survey, everyone).series[0].counts[0] == 22
    with pytest.raises(ValueError, match="read-only"):
        survey.frame.loc[survey.frame.index[0], name] = "region"
    survey.frame[name] = "commune"  # a column of its own, elsewhere
    assert survey.codes(name) is None
    assert compute(survey, everyone).series[0].counts == (31, 0, 0, 0, 0)
    assert communes.evaluate(survey.frame, survey.questions, survey.codes).sum() == 31
    assert survey.codes("reseaux_sociaux") is not None  # the others: as read


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
    same result from the codes as from the frame's columns (a Survey without codes,
    whose indicators look at each row's text: pandas' get_indexer, notna, isin and
    map), to the last digit."""
    spec_name, segment, keep = CASES[name]
    survey = surveys[name]
    plain = dataclasses.replace(survey, coded=None)
    assert survey.codes(segment) is not None and plain.codes(segment) is None
    variants = _variants(_indicators(spec_name), segment, keep)
    indicators = [i for i in variants if not i.check(survey.questions)]  # a breakdown by
    assert len(indicators) >= 25  # itself, or by a question it cannot be broken down by: out
    for ind in indicators:
        assert repr(compute(survey, ind)) == repr(compute(plain, ind)), ind


@pytest.mark.parametrize(
    ("distinct", "width"),
    # the distinct answers, and the declared no-answer code, a text of its own (NaN)
    [(125, np.int8), (126, np.int16), (300, np.int16), (32_765, np.int16), (32_766, np.int32)],
)
def test_many_distinct_answers_keep_their_codes(tmp_path, distinct, width):
    """A free-text column of many distinct answers (beside a declared no-answer code
    and padded cells): its codes take a wider integer where a byte cannot hold them
    (a byte a row where it can), and still give the frame's column."""
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
    assert survey.codes("note").codes.dtype == width
    assert survey.codes("pid").codes.dtype == np.int8
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
    # by segment (three, and rows in none), and weighted: counted by hand, row by row
    segment = rng.integers(0, 4, 1001)
    by_hand = [[sum(1 for i in range(1001) if segment[i] == s and matrix[i, j]) for j in
                range(k)] for s in range(3)]  # fmt: skip
    assert _sums(matrix, segment, 3).tolist() == by_hand
    weights = rng.random(1001)
    weighted = _sums(matrix, None, 1, weights)[0]
    for j in range(k):
        assert weighted[j] == pytest.approx(math.fsum(weights[matrix[:, j]]), rel=1e-12)


def test_in_on_a_grid_is_refused_as_it_was(survey):
    """`in` applies to one column (a single-choice question); on a Likert grid `check`
    refuses it, and evaluated anyway it fails as it did without codes, not as a
    mask of one of the grid's statements."""
    grid = next(q for q in survey.questions.values() if q.type == "likert")
    condition = parse_condition({"question": grid.id, "in": [grid.options[0].code]})
    assert condition.check(survey.questions)
    for codes in (None, survey.codes):
        with pytest.raises(KeyError):
            condition.evaluate(survey.frame, survey.questions, codes)
