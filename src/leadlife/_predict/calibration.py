"""Calibration: a model's scores mapped to probabilities that hold (Platt's or isotonic).

A model can rank leads well and still say 80% where 60% of such leads win
(naive Bayes counts correlated features twice; a misspecified logistic bends).
Calibration learns, on journeys the model was not trained on, the map from
its scores to the rates that followed: Platt's a logistic curve of the score,
isotonic any increasing step function (pool-adjacent-violators).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

import attrs
import numpy as np

from leadlife._core.support.errors import ValidationError
from leadlife._predict.estimators import (
    CONVERGED,
    SCHEMA,
    Columns,
    Floats,
    Model,
    _outcomes,
    _sigmoid,
    numbers,
)

_EDGE = 1e-6  # an isotonic step at exactly 0 or 1 would claim a certainty


@attrs.frozen(kw_only=True)
class Calibrated:
    """A model whose scores are mapped to calibrated probabilities.

    Example:
        >>> from leadlife.predict import Calibrated, NaiveBayes
        >>> train = {"size": ["big", "big", "small", "small"] * 5}
        >>> won = [True, True, False, True] * 5
        >>> model = NaiveBayes.fit(train, won, features=["size"])
        >>> calibrated = Calibrated.fit(model, train, won, method="isotonic")
        >>> calibrated.predict({"size": ["big", "small"]}).round(2).tolist()
        [1.0, 0.5]
    """

    kind: ClassVar[str] = "Calibrated"
    model: Model
    method: Literal["isotonic", "platt"]
    knots: Floats = attrs.field(eq=False)  # isotonic: the upper score of each step; platt: (a, b)
    levels: Floats = attrs.field(eq=False)  # isotonic: each step's probability

    @classmethod
    def fit(
        cls,
        model: Model,
        columns: Columns,
        won: Any,
        *,
        method: Literal["isotonic", "platt"] = "isotonic",
    ) -> Calibrated:
        """Learn the map from ``model``'s scores to the outcomes of ``columns`` (held out)."""
        outcome = _outcomes(won).astype(np.float64)
        scores = model.log_odds(columns)
        if method == "platt":
            return cls(
                model=model, method=method, knots=_platt(scores, outcome), levels=np.zeros(0)
            )
        if method == "isotonic":
            knots, levels = _isotonic(scores, outcome)
            return cls(model=model, method=method, knots=knots, levels=levels)
        raise ValidationError(
            owner="Calibrated", field="method", value=method, expected="'isotonic' or 'platt'"
        )

    @property
    def features(self) -> tuple[str, ...]:
        """The model's features."""
        return self.model.features

    def predict(self, columns: Columns) -> Floats:
        """Each row's calibrated probability of a win."""
        scores = self.model.log_odds(columns)
        if self.method == "platt":
            a, b = self.knots
            return _sigmoid(a * scores + b)
        steps = np.searchsorted(self.knots, scores, side="left")
        return np.asarray(self.levels[np.minimum(steps, len(self.levels) - 1)], dtype=np.float64)

    def explain(self, facts: Mapping[str, str]) -> list[tuple[str, str, float]]:
        """The model's explanation: calibration is increasing, so the order of reasons holds."""
        return self.model.explain(facts)

    def to_dict(self) -> dict[str, Any]:
        """The calibrated model as a versioned JSON document, its model inside."""
        return {
            "schema": SCHEMA,
            "type": self.kind,
            "data": {
                "model": self.model.to_dict(),
                "method": self.method,
                "knots": self.knots.tolist(),
                "levels": self.levels.tolist(),
            },
        }

    @classmethod
    def from_data(cls, model: Model, data: Mapping[str, Any], path: str = "$.data") -> Calibrated:
        """The calibrated model of a document's data, around its (already read) model.

        Raises:
            ValueError: The data is not a calibration (its knots and levels
                finite numbers, as many of each).
        """
        method = data.get("method")
        if method not in ("isotonic", "platt"):
            raise ValueError(f"method {method!r} is not isotonic or platt @ {path}.method")
        knots = numbers(data.get("knots"), f"{path}.knots")
        levels = numbers(data.get("levels"), f"{path}.levels")
        if method == "platt" and (len(knots) != 2 or len(levels)):  # noqa: PLR2004 - (a, b)
            raise ValueError(f"a platt calibration is two knots (a, b) and no levels @ {path}")
        if method == "isotonic" and not (
            len(knots) == len(levels) > 0
            and bool(np.all(np.diff(knots) >= 0))
            and bool(np.all((levels >= 0) & (levels <= 1)))
        ):
            raise ValueError(
                "an isotonic calibration is as many knots, in order, as levels, each a "
                f"probability @ {path}"
            )
        return cls(model=model, method=method, knots=knots, levels=levels)


def _platt(scores: Floats, outcome: Floats) -> Floats:
    """``(a, b)`` of the logistic curve ``sigmoid(a * score + b)`` that fits the outcomes best."""
    a, b = 1.0, 0.0
    for _ in range(100):
        p = _sigmoid(a * scores + b)
        w = np.maximum(p * (1 - p), 1e-12)
        residual = outcome - p
        gradient = np.array([(residual * scores).sum(), residual.sum()])
        hessian = (
            np.array(
                [[(w * scores * scores).sum(), (w * scores).sum()], [(w * scores).sum(), w.sum()]]
            )
            + np.eye(2) * 1e-9
        )
        step = np.linalg.solve(hessian, gradient)
        a, b = a + step[0], b + step[1]
        if np.max(np.abs(step)) < CONVERGED:
            break
    return np.array([a, b])


def _isotonic(scores: Floats, outcome: Floats) -> tuple[Floats, Floats]:
    """Pool adjacent violators: the increasing step function of the score nearest the outcomes.

    Returns each step's highest score and its level; a score above the last
    step's takes the last level.
    """
    order = np.argsort(scores, kind="stable")
    x, y = scores[order], outcome[order]
    # Equal scores are one point: their mean outcome, their count as weight.
    distinct, first = np.unique(x, return_index=True)
    counts = np.diff(np.r_[first, len(x)])
    sums = np.add.reduceat(y, first)
    levels: list[float] = []
    weights: list[float] = []
    tops: list[float] = []
    for score, total, count in zip(distinct, sums, counts, strict=True):
        levels.append(total / count)
        weights.append(float(count))
        tops.append(float(score))
        while len(levels) > 1 and levels[-2] >= levels[-1]:
            weight = weights[-2] + weights[-1]
            level = (levels[-2] * weights[-2] + levels[-1] * weights[-1]) / weight
            levels[-2:], weights[-2:], tops[-2:] = [level], [weight], [tops[-1]]
    return np.asarray(tops), np.clip(np.asarray(levels), _EDGE, 1 - _EDGE)
