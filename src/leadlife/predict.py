"""Predictive lead scores, calibrated and backtested (see :doc:`/scoring`).

Trained on a book's closed journeys (:func:`closed_journeys`: the lead's
facts as captured and, with their activities, their engagement before the
moment scored: never the outcome leaking back): naive Bayes per feature
value with smoothing (:class:`NaiveBayes`, the baseline CRMs use) and a
logistic model (:class:`Logistic`, fitted exactly by Newton's method),
calibrated on held-out journeys (:class:`Calibrated`: isotonic or Platt),
explained lead by lead, judged by :func:`backtest` (AUC, Brier score, log
loss, lift in the top decile, calibration error) and written as versioned
JSON (:func:`load_model`). Needs the ``analytics`` extra.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import numpy as np  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(package="numpy", extra="analytics", needed_by=__name__) from missing

from leadlife._core.support.public import publish
from leadlife._predict.backtest import (
    FEATURES,
    METRICS,
    Backtest,
    Examples,
    backtest,
    closed_journeys,
    micros,
)
from leadlife._predict.calibration import Calibrated
from leadlife._predict.classifier import MODELS, WinClassifier
from leadlife._predict.engagement import ACTIVITY_COLUMNS, BANDS, activity_facts, band
from leadlife._predict.estimators import Logistic, Model, NaiveBayes, Vocabulary, load_model
from leadlife._predict.metrics import (
    auc,
    brier,
    calibration_error,
    lift,
    log_loss,
    reliability,
)

__all__ = [
    "ACTIVITY_COLUMNS",
    "BANDS",
    "FEATURES",
    "METRICS",
    "MODELS",
    "Backtest",
    "Calibrated",
    "Examples",
    "Logistic",
    "Model",
    "NaiveBayes",
    "Vocabulary",
    "WinClassifier",
    "activity_facts",
    "auc",
    "backtest",
    "band",
    "brier",
    "calibration_error",
    "closed_journeys",
    "lift",
    "load_model",
    "log_loss",
    "micros",
    "reliability",
]

publish(__name__, globals(), __all__)
