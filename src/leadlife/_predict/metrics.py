"""How good a probability is: ranking (AUC, lift), accuracy (Brier, log loss), calibration."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

_EDGE = 1e-12  # log loss of a certainty that was wrong is infinite: clip just inside


def auc(p: Floats, won: Flags) -> float:
    """The chance a random win is scored above a random loss (ties count half): Mann-Whitney.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import auc
        >>> auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([False, False, True, True]))
        0.75
    """
    wins, losses = int(won.sum()), int((~won).sum())
    if not wins or not losses:
        return float("nan")
    order = np.argsort(p, kind="stable")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    # Tied scores share their mean rank.
    sorted_p = p[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_p)) + 1]
    ends = np.r_[starts[1:], len(p)]
    for start, end in zip(starts, ends, strict=True):
        if end - start > 1:
            ranks[order[start:end]] = (start + end + 1) / 2
    return float((ranks[won].sum() - wins * (wins + 1) / 2) / (wins * losses))


def brier(p: Floats, won: Flags) -> float:
    """The mean squared error of the probabilities: 0 is perfect, 0.25 a coin toss's.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import brier
        >>> brier(np.array([0.5, 0.5]), np.array([True, False]))
        0.25
    """
    return float(np.mean((p - won) ** 2))


def log_loss(p: Floats, won: Flags) -> float:
    """The mean negative log-likelihood of the outcomes.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import log_loss
        >>> round(log_loss(np.array([0.5, 0.5]), np.array([True, False])), 4)
        0.6931
    """
    q = np.clip(p, _EDGE, 1 - _EDGE)
    return float(-np.mean(np.where(won, np.log(q), np.log1p(-q))))


def lift(p: Floats, won: Flags, top: float = 0.1) -> float:
    """The win rate of the best-scored ``top`` share over the overall win rate.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import lift
        >>> lift(np.array([0.1, 0.4, 0.35, 0.8]), np.array([False, False, True, True]), top=0.25)
        2.0
    """
    count = max(1, round(len(p) * top))
    best = np.argsort(-p, kind="stable")[:count]
    overall = won.mean()
    return float(won[best].mean() / overall) if overall else float("nan")


def reliability(
    p: Floats, won: Flags, bins: int = 10
) -> list[tuple[float, float, int, float, float]]:
    """The reliability table: per bin of predicted probability, its range, count, mean and rate.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import reliability
        >>> reliability(np.array([0.2, 0.3, 0.9]), np.array([False, True, True]), bins=2)
        [(0.0, 0.5, 2, 0.25, 0.5), (0.5, 1.0, 1, 0.9, 1.0)]
    """
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, bins - 1)
    rows = []
    for index in range(bins):
        inside = which == index
        if inside.any():
            rows.append(
                (
                    float(edges[index]),
                    float(edges[index + 1]),
                    int(inside.sum()),
                    float(p[inside].mean()),
                    float(won[inside].mean()),
                )
            )
    return rows


def calibration_error(p: Floats, won: Flags, bins: int = 10) -> float:
    """The expected calibration error: the bins' gaps between predicted and observed, weighted.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import calibration_error
        >>> round(calibration_error(np.array([0.2, 0.3, 0.9]), np.array([False, True, True]), 2), 4)
        0.2
    """
    table = reliability(p, won, bins)
    return float(sum(count * abs(mean - rate) for _, _, count, mean, rate in table) / len(p))
