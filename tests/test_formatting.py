from __future__ import annotations

import pytest

from deckgen.locales import words
from deckgen.locales.numbers import NNBSP, format_number, format_percent, percent_value
from deckgen.wording.phrases import base_text


@pytest.mark.parametrize(
    ("count", "base", "shown"),
    [
        (15, 24, 63),
        (3, 24, 13),
        (23, 40, 58),
        (29, 200, 15),
        (7, 200, 4),
        (30, 31, 97),
        (18, 29, 62),
        (4, 9, 44),
        (1, 8, 13),
        (5, 8, 63),
        (0, 29, 0),
        (29, 29, 100),
    ],
)
def test_half_up(count, base, shown):
    assert percent_value(count / base) == shown


def test_python_round_would_be_wrong_here():
    assert round(62.5) == 62  # banker's rounding: why we do not use round()
    assert percent_value(15 / 24) == 63


def test_french_and_english():
    assert format_percent(30 / 31) == f"97{NNBSP}%"
    assert format_percent(30 / 31, "en") == "97%"
    assert format_percent(None) == "n.d."  # non disponible: no English in a French deck
    assert format_percent(None, "en") == "n/a"
    assert format_percent(1 / 3, digits=1) == f"33,3{NNBSP}%"
    assert format_number(12500) == f"12{NNBSP}500"
    assert format_number(12500, "en") == "12,500"
    assert base_text(31, "collectivités", words("fr")) == f"Base{NNBSP}: 31 collectivités"


def test_every_half_over_small_bases_rounds_up():
    from fractions import Fraction

    for base in range(1, 1001):
        for count in range(base + 1):
            exact = Fraction(count * 100, base)
            expected = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
            assert percent_value(count / base) == expected, (count, base)


# -- largest remainders: the parts of one whole add up ---------------------------------


@pytest.mark.parametrize(
    ("values", "digits", "shown"),
    [
        ([0.125, 0.125, 0.75], 0, [13, 12, 75]),  # half up: 13 + 13 + 75 = 101
        ([1 / 3, 1 / 3, 1 / 3], 0, [34, 33, 33]),  # half up: 99
        ([0.985, 0.015], 0, [99, 1]),  # half up: "Clinton 99 %, Dole 2 %"; a tie: the larger
        ([2 / 3, 1 / 3], 1, [66.7, 33.3]),
        ([None, 0.3, 0.7], 0, [None, 30, 70]),  # an empty category stays empty
        ([1 / 7] * 7, 0, [15, 15, 14, 14, 14, 14, 14]),  # ties: the earlier ones
    ],
)
def test_largest_remainders_add_up_to_the_whole(values, digits, shown):
    from deckgen.locales.numbers import largest_remainder

    rounded = largest_remainder(values, digits)
    assert [None if v is None else float(percent_value(v, digits)) for v in rounded] == shown
    assert sum(v for v in shown if v is not None) == 100
    # each differs from its exact percent by less than one unit of the last digit
    for exact, r in zip(values, rounded):
        if exact is not None:
            assert abs(exact * 100 - r * 100) < 10**-digits


def test_largest_remainders_of_a_partial_whole_add_up_to_its_rounded_sum():
    from deckgen.locales.numbers import largest_remainder

    rounded = largest_remainder([0.125, 0.125, 0.125], 0)  # three parts of 37.5 %
    assert sum(percent_value(v) for v in rounded) == 38
