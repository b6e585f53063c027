"""Significance tests of breakdowns: is a segment's figure different from the rest
of the sample's (or from another segment's)?

- shares: the two-proportion z-test, pooled (statsmodels' `proportions_ztest`);
- means: Welch's t-test, unequal variances (scipy's `ttest_ind`; weighted,
  statsmodels' `ttest_ind` with `usevar="unequal"`).

With weights, each group counts for its effective size (Kish: (sum w)^2 / sum w^2),
so that the design effect of the weights widens the test: the shares are the
weighted ones, the sample sizes the effective ones; for means, the weights are
scaled to add up to the effective size.

scipy and statsmodels are imported here only, and this module only when a spec
asks for a test: a deck without tests never loads them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def shares(p1: float, n1: float, p2: float, n2: float) -> tuple[float | None, str]:
    """(p-value, the test) of the share p1 (of n1) against p2 (of n2), or (None, why
    none ran): "empty" for an empty group, "undefined" when the test is (both shares
    0 % or both 100 %). The sizes are effective ones with weights."""
    if n1 <= 0 or n2 <= 0:
        return None, "empty"
    p = proportions(p1, n1, p2, n2)
    return (p, "z") if p is not None else (None, "undefined")


def samples(
    a: Sequence[float],
    b: Sequence[float],
    wa: Sequence[float] | None = None,
    wb: Sequence[float] | None = None,
) -> tuple[float | None, str]:
    """(p-value, the test) of Welch's test of `a` against `b`, or (None, why none ran)."""
    if not len(a) or not len(b):
        return None, "empty"
    p = means(a, b, wa, wb)
    return (p, "t") if p is not None else (None, "undefined")


def proportions(p1: float, n1: float, p2: float, n2: float) -> float | None:
    """Two-sided p-value of the pooled z-test of p1 (of n1) against p2 (of n2); None
    when it cannot be computed (an empty group, or both shares 0 or both 1)."""
    if n1 <= 0 or n2 <= 0:
        return None
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    if pooled <= 0 or pooled >= 1:
        return None
    from statsmodels.stats.proportion import proportions_ztest

    _, p = proportions_ztest([p1 * n1, p2 * n2], [n1, n2])
    return float(p) if math.isfinite(p) else None


def means(
    a: Sequence[float],
    b: Sequence[float],
    wa: Sequence[float] | None = None,
    wb: Sequence[float] | None = None,
) -> float | None:
    """Two-sided p-value of Welch's t-test of the values `a` against `b` (weighted with
    `wa`, `wb`, scaled to each group's effective size); None under two values a side."""
    import numpy as np

    x, y = np.asarray(a, float), np.asarray(b, float)
    if len(x) < 2 or len(y) < 2:
        return None
    if wa is None or wb is None:
        from scipy.stats import ttest_ind

        p = ttest_ind(x, y, equal_var=False).pvalue
    else:
        from statsmodels.stats.weightstats import ttest_ind as weighted_ttest

        p = weighted_ttest(
            x, y, usevar="unequal", weights=(_effective_scale(wa), _effective_scale(wb))
        )[1]
    return float(p) if math.isfinite(p) else None


def _effective_scale(weights: Sequence[float]):
    """Weights scaled so that they add up to their effective size."""
    import numpy as np

    w = np.asarray(weights, float)
    return w * (w.sum() / (w * w).sum())
