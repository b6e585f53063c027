"""Significance tests of breakdowns: is a segment's figure different from the rest
of the sample's (or from another segment's, or from an earlier edition's)?

Which test, and when none (docs/statistics.md says why):

- shares: the two-proportion z-test, pooled (statsmodels' `proportions_ztest`),
  when every expected count of the 2 x 2 table is at least MIN_EXPECTED (5);
  below that, Fisher's exact test (scipy's `fisher_exact`, two-sided) when the
  counts are whole respondents, else no test ("expected": weighted shares, or an
  earlier edition known by its rounded percentages). No test either where a
  compared share is 0 % or 100 % on a base under BOUNDARY_BASE (30): "extreme".
- means: Welch's t-test, unequal variances (scipy's `ttest_ind`; weighted,
  statsmodels' `ttest_ind` with `usevar="unequal"`).
- with a sampling design (the codebook's strata and clusters), shares and means
  alike: the design-based t-test of deckgen.analysis.design, where the tests above
  would run ("design"); the same cases get no test.

With weights, each group counts for its effective size (Kish: (sum w)^2 / sum w^2),
so that the design effect of the weights widens the test: the shares are the
weighted ones, the sample sizes (and the expected counts) the effective ones; for
means, the weights are scaled to add up to the effective size.

`adjusted` corrects the p-values of a family of tests for multiple comparisons
(Holm, or Benjamini-Hochberg: statsmodels' `multipletests`).

scipy and statsmodels are imported here only, and this module only when a spec
asks for a test: a deck without tests never loads them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

MIN_EXPECTED = 5  # the smallest expected count the z-test's normal approximation takes
BOUNDARY_BASE = 30  # a share of 0 % or 100 % on a smaller base is not tested

CORRECTIONS = {"holm": "holm", "bh": "fdr_bh"}  # the theme's name -> statsmodels'


def shares(
    p1: float,
    n1: float,
    p2: float,
    n2: float,
    whole: bool = True,
    design: Callable[[], float | None] | None = None,
) -> tuple[float | None, str]:
    """(p-value, the test: "z" or "fisher") of the share p1 (of n1) against p2 (of
    n2), or (None, why none ran): "empty" for an empty group; "extreme" for a share
    of 0 % or 100 % on a base under BOUNDARY_BASE; "expected" for an expected count
    under MIN_EXPECTED when the counts are not whole respondents (`whole`: False
    with weights, whose sizes are effective ones, and for published percentages).
    `design`: the p-value of the design-based test, run instead of the z-test."""
    if n1 <= 0 or n2 <= 0:
        return None, "empty"
    if any((p <= 0 or p >= 1) and n < BOUNDARY_BASE for p, n in ((p1, n1), (p2, n2))):
        return None, "extreme"
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    expected = min(n * share for n in (n1, n2) for share in (pooled, 1 - pooled))
    if expected >= MIN_EXPECTED:
        p = proportions(p1, n1, p2, n2) if design is None else design()
        how = "z" if design is None else "design"
        return (p, how) if p is not None else (None, "undefined")
    if not whole or design is not None:
        return None, "expected"
    return exact(round(p1 * n1), round(n1), round(p2 * n2), round(n2)), "fisher"


def exact(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test of k1 of n1 against k2 of n2."""
    from scipy.stats import fisher_exact

    return float(fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue)


def adjusted(pvalues: Sequence[float], method: str) -> list[float]:
    """`pvalues`, one family of tests, corrected for multiple comparisons by `method`
    ("holm", "bh"; "none" leaves them as they are)."""
    if method == "none" or len(pvalues) < 2:
        return [float(p) for p in pvalues]
    from statsmodels.stats.multitest import multipletests

    return [float(p) for p in multipletests(list(pvalues), method=CORRECTIONS[method])[1]]


def samples(
    a: Sequence[float],
    b: Sequence[float],
    wa: Sequence[float] | None = None,
    wb: Sequence[float] | None = None,
    design: Callable[[], float | None] | None = None,
) -> tuple[float | None, str]:
    """(p-value, the test) of Welch's test of `a` against `b` (or of `design`, the
    design-based test, when given), or (None, why none ran)."""
    if not len(a) or not len(b):
        return None, "empty"
    if design is not None:
        p = design() if len(a) > 1 and len(b) > 1 else None
        return (p, "design") if p is not None else (None, "undefined")
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
    w = w / w.max()  # at most 1, one of them 1: their squares neither vanish nor overflow
    return w * (w.sum() / (w * w).sum())
