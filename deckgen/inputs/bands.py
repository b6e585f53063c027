"""Numeric answers grouped into labelled bands (population, budget)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from deckgen.inputs.codebook import Band


def band_codes(values: pd.Series, bands: list[Band]) -> pd.Series:
    """Map each number to its band code (vectorised); empty cells go to the no-answer band,
    numbers no band takes to the `other` band (without one, loading refused them)."""
    import pandas as pd

    out = pd.Series(pd.NA, index=values.index, dtype="object")
    for band in bands:
        if band.no_answer:
            out = out.mask(values.isna(), band.code)
            continue
        if band.other:
            continue  # takes what is left, below
        mask = values.notna()
        if band.min is not None:
            mask &= values >= band.min
        if band.max is not None:
            mask &= values < band.max
        out = out.mask(mask & out.isna(), band.code)
    for band in bands:
        if band.other:
            out = out.mask(values.notna() & out.isna(), band.code)
    return out


def band_of(value: object, bands: list[Band]) -> str | None:
    """The band code of one number, as `band_codes` gives it in a column (one
    respondent's answer, without building a Series)."""
    import pandas as pd

    if pd.isna(value):
        return next((band.code for band in bands if band.no_answer), None)
    for band in bands:
        if band.no_answer or band.other:
            continue
        if (band.min is None or value >= band.min) and (band.max is None or value < band.max):  # type: ignore[operator]
            return band.code
    return next((band.code for band in bands if band.other), None)
