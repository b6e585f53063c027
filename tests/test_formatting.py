from __future__ import annotations

import pytest

from deckgen.formatting import NNBSP, format_number, format_percent, percent_value
from deckgen.locales import words
from deckgen.wording import base_text


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
    assert format_percent(None) == "n/a"
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
