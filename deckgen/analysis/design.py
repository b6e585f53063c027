"""A survey's sampling design, and the variance of a difference it implies.

A codebook may name, beside the weight, each respondent's stratum (`survey.strata`)
and cluster, the primary sampling unit (`survey.clusters`). A significance test then
uses the design's variance of the difference it tests, not the simple random
sample's: the Taylor-linearised (sandwich) variance with clusters drawn with
replacement within strata, as R's `survey` package (`svydesign(ids=~psu,
strata=~stratum, weights=~w)`), Stata's `svy` and samplics compute it by default
(Wolter 2007, ch. 6; Lohr 2010, sec. 9.1):

    d = m1 - m2, the weighted shares (or means) of two groups;
    u_i = w_i (g1_i (y_i - m1) / W1 - g2_i (y_i - m2) / W2), each respondent's
          share of d's linearised error (g1, g2: in group 1, in group 2);
    U_hc = the sum of u over cluster c of stratum h;
    var(d) = sum over h of n_h / (n_h - 1) * sum over c of (U_hc - mean_h U)^2,

n_h the clusters of stratum h. Respondents outside both groups (another segment,
out of scope, not asked) count as 0 in their cluster: the groups are domains of the
whole sample, so every cluster of the design counts, whatever the figure's filter.
The covariance of two groups drawn from the same clusters is in var(d), since u
holds both. The test is t = d / sqrt(var(d)) against Student's t with the design's
degrees of freedom, clusters minus strata.

numpy only here; scipy's t distribution is imported when a test runs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Design:
    """Each respondent's stratum and cluster as codes (`stratum`, `cluster`: one per
    row, in the order of the rows they were taken from), and for each cluster code its
    stratum (`of_cluster`). `rows(mask)` keeps some rows and every cluster."""

    stratum: np.ndarray  # per row: its stratum's code, 0 .. strata - 1
    cluster: np.ndarray  # per row: its cluster's code, 0 .. clusters - 1
    of_cluster: np.ndarray  # per cluster: its stratum's code
    labels: tuple[str, ...] = ()  # per stratum code: its label in the responses

    @classmethod
    def of(cls, strata: np.ndarray | None, clusters: np.ndarray | None, rows: int) -> Design:
        """The design of `rows` respondents from their strata and clusters (any hashable
        labels; None: one stratum, or each respondent its own cluster). A cluster label
        is read within its stratum, as R's `survey` does with `nest = TRUE`."""
        labels, s = ((), np.zeros(rows, np.int64)) if strata is None else _codes(strata)
        c = np.arange(rows, dtype=np.int64) if clusters is None else _codes(clusters)[1]
        pairs = s * (int(c.max(initial=0)) + 1) + c  # a cluster within its stratum
        unique, cluster = np.unique(pairs, return_inverse=True)
        of_cluster = np.zeros(len(unique), np.int64)
        of_cluster[cluster] = s
        return cls(s, cluster.astype(np.int64), of_cluster, labels)

    @property
    def strata(self) -> int:
        return int(self.of_cluster.max(initial=-1)) + 1

    @property
    def clusters(self) -> int:
        return len(self.of_cluster)

    def per_stratum(self) -> np.ndarray:
        """The number of clusters in each stratum."""
        return np.bincount(self.of_cluster, minlength=self.strata)

    def lonely(self) -> list[str]:
        """The strata (their labels) that hold a single cluster: no variance can be
        estimated within them."""
        return [
            self.labels[h] if self.labels else "" for h in np.flatnonzero(self.per_stratum() < 2)
        ]

    @property
    def degrees(self) -> int:
        """The design's degrees of freedom: clusters minus strata."""
        return self.clusters - self.strata

    def rows(self, mask: np.ndarray) -> Design:
        """The design of the rows where `mask` is true: every cluster and stratum kept
        (a figure's filter makes a domain, it does not change the design)."""
        return Design(self.stratum[mask], self.cluster[mask], self.of_cluster, self.labels)

    def variance(self, scores: np.ndarray) -> float:
        """The design's variance of a total whose rows contribute `scores`: cluster
        totals, their spread within each stratum, clusters drawn with replacement."""
        totals = np.bincount(self.cluster, weights=scores, minlength=self.clusters)
        n = self.per_stratum().astype(float)
        means = np.bincount(self.of_cluster, weights=totals, minlength=self.strata) / n
        spread = np.bincount(
            self.of_cluster, weights=(totals - means[self.of_cluster]) ** 2, minlength=self.strata
        )
        return float((n / (n - 1) * spread).sum())

    def difference(
        self, y: np.ndarray, weights: np.ndarray, first: np.ndarray, second: np.ndarray
    ) -> float | None:
        """Two-sided p-value of the design-based t-test of the weighted mean of `y` in
        the rows `first` against that in the rows `second` (a share: y is 0 or 1); None
        when it cannot be computed (an empty group, no variance)."""
        w1, w2 = weights * first, weights * second
        total1, total2 = float(w1.sum()), float(w2.sum())
        if total1 <= 0 or total2 <= 0 or self.degrees < 1:
            return None
        y = np.where(first | second, y, 0.0)
        m1, m2 = float((w1 * y).sum()) / total1, float((w2 * y).sum()) / total2
        scores = w1 * (y - m1) / total1 - w2 * (y - m2) / total2
        var = self.variance(scores)
        if not var > 0 or not math.isfinite(var):
            return None
        from scipy.stats import t as student

        return float(2 * student.sf(abs(m1 - m2) / math.sqrt(var), self.degrees))


def _codes(labels: np.ndarray) -> tuple[tuple[str, ...], np.ndarray]:
    """(the distinct labels, sorted; each row's 0-based code among them)."""
    unique, codes = np.unique(np.asarray(labels).astype(str), return_inverse=True)
    return tuple(str(u) for u in unique), codes.astype(np.int64)
