"""WinClassifier in scikit-learn's hands: a Pipeline, model selection, calibration, the same fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.base import clone, is_classifier
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import NotFittedError
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from leadlife.errors import ValidationError
from leadlife.predict import Logistic, NaiveBayes, WinClassifier, auc


@pytest.fixture(scope="module")
def leads():
    rng = np.random.default_rng(5)
    n = 3_000
    size = rng.choice(["small", "medium", "large"], n)
    channel = rng.choice(["web", "event", "referral"], n)
    logit = -1 + (size == "large") * 1.5 + (channel == "referral") * 1.2 - (size == "small")
    won = rng.random(n) < 1 / (1 + np.exp(-logit))
    frame = pd.DataFrame({"size": size, "channel": channel})
    return frame, np.where(won, "won", "lost")


def test_it_fits_as_leadlifes_own_model_does(leads):
    frame, outcome = leads
    model = WinClassifier(l2=0.5).fit(frame, outcome)
    own = Logistic.fit(
        {name: frame[name].to_numpy() for name in frame},
        outcome == "won",
        features=["size", "channel"],
        l2=0.5,
    )
    assert list(model.classes_) == ["lost", "won"]  # the second, sorted, is the win
    assert list(model.feature_names_in_) == ["size", "channel"]
    p = model.predict_proba(frame)
    assert p.shape == (len(frame), 2)
    assert np.allclose(p.sum(axis=1), 1)
    assert np.allclose(p[:, 1], own.predict({name: frame[name].to_numpy() for name in frame}))
    # leadlife's AUC is scikit-learn's.
    assert auc(p[:, 1], outcome == "won") == pytest.approx(roc_auc_score(outcome, p[:, 1]))
    assert set(model.predict(frame)) <= {"lost", "won"}
    bayes = WinClassifier("naive_bayes", alpha=2.0).fit(frame, outcome)
    assert isinstance(bayes.model_, NaiveBayes)
    # Any table: polars and plain arrays (by position) give the same chances.
    assert np.allclose(
        WinClassifier(l2=0.5)
        .fit(pl.from_pandas(frame), outcome)
        .predict_proba(pl.from_pandas(frame))[:, 1],
        p[:, 1],
    )
    assert np.allclose(
        WinClassifier(l2=0.5).fit(frame.to_numpy(), outcome).predict_proba(frame.to_numpy())[:, 1],
        p[:, 1],
    )


def test_scikit_learn_takes_it_in_a_pipeline_a_search_and_a_calibration(leads):
    frame, outcome = leads
    assert is_classifier(WinClassifier())
    pipeline = Pipeline(
        [
            ("lower", FunctionTransformer(lambda x: x.apply(lambda c: c.str.lower()))),
            ("model", WinClassifier()),
        ]
    )
    scores = cross_val_score(pipeline, frame, outcome, cv=3, scoring="roc_auc")
    assert len(scores) == 3
    assert scores.min() > 0.6
    search = GridSearchCV(
        WinClassifier(),
        {"model": ["logistic", "naive_bayes"], "l2": [0.1, 10.0]},
        cv=3,
        scoring="roc_auc",
    ).fit(frame, outcome)
    assert search.best_params_["model"] in {"logistic", "naive_bayes"}
    calibrated = CalibratedClassifierCV(WinClassifier("naive_bayes"), cv=3).fit(frame, outcome)
    assert calibrated.predict_proba(frame).shape == (len(frame), 2)
    copy = clone(WinClassifier("naive_bayes", alpha=3.0))
    assert copy.get_params() == {"alpha": 3.0, "l2": 1.0, "model": "naive_bayes"}
    assert not hasattr(copy, "model_")


def test_it_refuses_what_it_cannot_fit(leads):
    frame, outcome = leads
    with pytest.raises(NotFittedError):
        WinClassifier().predict_proba(frame)
    with pytest.raises(ValidationError, match="two outcomes"):
        WinClassifier().fit(frame, ["won"] * len(frame))
    with pytest.raises(ValidationError, match="one outcome per row"):
        WinClassifier().fit(frame, outcome[:-1])
    with pytest.raises(ValidationError, match="one of"):
        WinClassifier("forest").fit(frame, outcome)
    with pytest.raises(ValidationError, match="one of the parameters"):
        WinClassifier().set_params(depth=3)
    with pytest.raises(ValidationError, match="a table"):
        WinClassifier().fit(np.array(["a", "b"]), ["won", "lost"])
    fitted = WinClassifier().fit(frame, outcome)
    with pytest.raises(ValidationError, match="the 2 features it was fitted on"):
        fitted.predict_proba(frame[["size"]])
    assert repr(fitted) == "WinClassifier(model='logistic', l2=1.0, alpha=1.0)"
