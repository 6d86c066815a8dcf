"""How sure a rate is: the Beta-Binomial posterior of ``k`` successes in ``n``, and its interval.

A source that brought 3 leads and 3 customers is not "100%": with a uniform
prior, its win rate is somewhere between 47% and 99% (90% credible), and its
best estimate is 80%. The posterior of a rate after ``k`` of ``n`` under a
``Beta(a, b)`` prior is ``Beta(a + k, b + n - k)``; its quantiles need the
regularized incomplete beta function, computed here (a continued fraction,
as in Numerical Recipes) so that the analytics extra needs no SciPy.
"""

from __future__ import annotations

import math

PRIOR = (1.0, 1.0)
"""The prior of a rate: ``Beta(1, 1)``, uniform: every rate equally likely before any lead."""

_EPSILON = 1e-14
_TINY = 1e-300


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    fraction = d
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            fraction *= c * d
        if abs(c * d - 1.0) < _EPSILON:
            break
    return fraction


def beta_cdf(x: float, a: float, b: float) -> float:
    """``P(X <= x)`` for ``X ~ Beta(a, b)``: the regularized incomplete beta function."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast on the side of the mean; use the symmetry on the other.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(x, a, b) / a
    return 1.0 - front * _continued_fraction(1.0 - x, b, a) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The ``p`` quantile of ``Beta(a, b)``, by bisection on :func:`beta_cdf` (to 1e-10)."""
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if beta_cdf(middle, a, b) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def credible(
    successes: int, trials: int, *, level: float = 0.9, prior: tuple[float, float] = PRIOR
) -> tuple[float, float, float]:
    """The posterior mean of a rate after ``successes`` in ``trials``, and its credible interval.

    The interval is the central one holding ``level`` of the posterior.
    """
    a, b = prior[0] + successes, prior[1] + trials - successes
    tail = (1 - level) / 2
    return a / (a + b), beta_quantile(tail, a, b), beta_quantile(1 - tail, a, b)
