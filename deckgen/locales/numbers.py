"""Numbers as a report in the deck's locale prints them.

Survey reporting rounds half up: 15/24 = 62.5 % is published as 63 %, where
Python's round() would give 62 (banker's rounding). How a locale separates
decimals and thousands, and what follows a percent, is its catalogue's `RULES`
(French: a narrow no-break space between thousands and before the % sign).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from deckgen.locales.catalogue import rules, texts

NNBSP = "\u202f"  # narrow no-break space


def round_half_up(value: float, digits: int = 0) -> Decimal:
    """Round half away from zero, exactly, via the decimal text of `value`."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent_value(fraction: float, digits: int = 0) -> Decimal:
    """A fraction (0.625) as its rounded percent (63).

    The percent is the float's shortest decimal text shifted by two places, never
    `fraction * 100`: 23/40 is 0.575 exactly as text, but 0.575 * 100 is
    57.49999999999999 in binary and would round down to 57 instead of 58.
    """
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(fraction)).scaleb(2).quantize(quantum, rounding=ROUND_HALF_UP)


def largest_remainder(
    values: list[float | None], digits: int = 0, fixed: Collection[int] = ()
) -> list[float | None]:
    """Fractions of one whole rounded so that the percents shown add up to what the
    whole rounds to (100 % for a full distribution): each percent is rounded down,
    then the units left go to the largest remainders (Hamilton's method; on a tie,
    the larger value, then the earlier one). None stays None.

    [0.125, 0.125, 0.75] gives 13 + 13 + 75 = 101 % half up; here 13 + 12 + 75.

    The parts at the positions `fixed` (figures the deck also shows on their own)
    keep their half-up rounding, so that a figure reads the same everywhere; the
    others make up the difference (a unit taken back from the smallest remainders
    when the fixed ones took more than their share).
    """
    quantum = Decimal(1).scaleb(-digits)
    exact = {i: Decimal(repr(v)).scaleb(2) for i, v in enumerate(values) if v is not None}
    target = sum(exact.values(), Decimal(0)).quantize(quantum, rounding=ROUND_HALF_UP)
    pinned = {
        i: (exact[i] / quantum).to_integral_value(rounding=ROUND_HALF_UP)
        for i in fixed
        if i in exact
    }
    floors = {
        i: (x / quantum).to_integral_value(rounding=ROUND_FLOOR)
        for i, x in exact.items()
        if i not in pinned
    }
    left = int((target / quantum) - sum(floors.values(), Decimal(0)) - sum(pinned.values()))
    order = sorted(floors, key=lambda i: (-(exact[i] / quantum - floors[i]), -exact[i], i))
    for i in order[: max(left, 0)]:
        floors[i] += 1
    for i in [i for i in reversed(order) if floors[i] > 0][: max(-left, 0)]:
        floors[i] -= 1
    floors.update(pinned)
    return [
        float((floors[i] * quantum).scaleb(-2)) if i in floors else None for i in range(len(values))
    ]


def format_percent(fraction: float | None, locale: str = "fr", digits: int = 0) -> str:
    """0.9677 -> '97 %' (fr, narrow no-break space) or '97%' (en); None (an empty
    base) -> the locale's "not available": 'n.d.' (fr), 'n/a' (en)."""
    if fraction is None:
        return str(texts(locale)["not_available"])
    return _group(percent_value(fraction, digits), locale) + rules(locale)["percent"]


def format_number(value: float | int, locale: str = "fr", digits: int = 0) -> str:
    """31 -> '31'; 12500 -> '12 500' (fr) or '12,500' (en)."""
    return _group(round_half_up(float(value), digits), locale)


def _group(value: Decimal, locale: str) -> str:
    rule = rules(locale)
    return f"{value:,f}".translate({ord(","): rule["group"], ord("."): rule["decimal"]})


def percent_number_format(locale: str = "fr", digits: int = 0) -> str:
    """An Excel/PowerPoint number format that shows fractions as percents.

    Used for chart data labels and the cells of the embedded and exported
    workbooks, so the label a viewer draws agrees with format_percent (viewers
    round half away from zero too). The French space before `%` is written
    backslash-escaped (0, backslash, U+202F, %), never as a quoted literal (0"U+202F"%):
    PowerPoint-compatible engines stop scaling by 100 when `%` follows a quoted
    literal (0.9 printed "1 %"), and LibreOffice itself rewrites such formats to
    the escaped form when it saves (tests/test_number_formats.py states the rule).
    """
    decimals = "." + "0" * digits if digits else ""
    # what follows the number, each character but % backslash-escaped: 0\u202f% (fr)
    suffix = "".join(c if c == "%" else f"\\{c}" for c in rules(locale)["percent"])
    return f"0{decimals}{suffix}"


def number_number_format(decimals: int = 0) -> str:
    """The number format of a mean or a median on a chart: thousands grouped, and
    `decimals` decimals (the viewer sets the separators of its own locale)."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")
