"""Numbers as a French (or English) report prints them.

Survey reporting rounds half up: 15/24 = 62.5 % is published as 63 %, where
Python's round() would give 62 (banker's rounding). French typography puts a
narrow no-break space (U+202F) between the number and the % sign and between
thousands groups.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NNBSP = "\u202f"  # narrow no-break space
LOCALES = ("fr", "en")


def round_half_up(value: float, digits: int = 0) -> Decimal:
    """Round half away from zero, exactly, via the decimal text of `value`."""
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)


def percent_value(fraction: float, digits: int = 0) -> Decimal:
    """A fraction (0.625) as its rounded percent (63).

    The fraction is computed as count/base, so 15/24 must land on exactly 62.5:
    we rebuild the percent from the float's shortest repr, which is exact for
    counts over small bases (15/24*100 == 62.5).
    """
    return round_half_up(fraction * 100, digits)


def format_percent(fraction: float | None, locale: str = "fr", digits: int = 0) -> str:
    """0.9677 -> '97 %' (fr, narrow no-break space) or '97%' (en); None -> 'n/a'."""
    if fraction is None:
        return "n/a"
    value = percent_value(fraction, digits)
    text = _group(value, locale)
    return f"{text}{NNBSP}%" if locale == "fr" else f"{text}%"


def format_number(value: float | int, locale: str = "fr", digits: int = 0) -> str:
    """31 -> '31'; 12500 -> '12 500' (fr) or '12,500' (en)."""
    return _group(round_half_up(float(value), digits), locale)


def _group(value: Decimal, locale: str) -> str:
    text = f"{value:,f}"
    if locale == "fr":
        text = text.replace(",", NNBSP).replace(".", ",")
    return text


def percent_number_format(locale: str = "fr", digits: int = 0) -> str:
    """An Excel/PowerPoint number format that shows fractions as percents.

    Used for chart data labels, so the label PowerPoint draws agrees with ours.
    PowerPoint itself rounds half away from zero, like format_percent.
    """
    decimals = "." + "0" * digits if digits else ""
    if locale == "fr":
        return f'0{decimals}"{NNBSP}"%'
    return f"0{decimals}%"


def base_text(n: int, unit: str = "répondants", locale: str = "fr") -> str:
    """'Base : 31 répondants' (fr, with the French space before the colon)."""
    if locale == "fr":
        return f"Base{NNBSP}: {format_number(n, locale)} {unit}"
    return f"Base: {format_number(n, locale)} {unit}"
