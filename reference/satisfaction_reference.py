"""Satisfaction figures computed independently of Mandate's Swift code, from docs/FEEDBACK.md
("Figures"): for the ratings of a unit (and of the units directly below it) over a period, the
share of scores 4 and 5 with its Wilson score interval at 95 %, the mean score and n; under the
minimum n (30) only n; an interval wider than 0.20 marks the figure uncertain.

The normal quantile comes from Python's statistics.NormalDist, the arithmetic from numpy.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

MINIMUM = 30
UNCERTAIN_WIDTH = 0.20
Z = NormalDist().inv_cdf(0.975)


def wilson(successes: int, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denominator
    half = Z * np.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def figure(scores: list[int], minimum: int = MINIMUM) -> dict:
    """The figure of a list of scores (1–5), as GET /api/v1/units/{code}/satisfaction gives it."""
    values = np.asarray(scores, dtype=float)
    n = int(values.size)
    shown = n >= minimum and n > 0
    if not shown:
        return {"n": n, "shown": False}
    satisfied = int(np.count_nonzero(values >= 4))
    low, high = wilson(satisfied, n)
    return {
        "n": n, "shown": True, "satisfied": satisfied, "share": satisfied / n, "low": low, "high": high,
        "mean": float(values.mean()), "uncertain": bool(high - low > UNCERTAIN_WIDTH),
    }
