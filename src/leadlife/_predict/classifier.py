"""leadlife's models as a scikit-learn classifier, for Pipelines, model selection, calibration.

:class:`WinClassifier` speaks scikit-learn's estimator protocol (``fit``,
``predict_proba``, ``predict``, ``get_params``, ``set_params``, the
classifier's tags) by duck typing, so ``import leadlife.predict`` needs no
scikit-learn: it is imported only when scikit-learn itself asks for the
tags. The features are categorical (a column of values each, as
:class:`~leadlife.predict.Logistic` and :class:`~leadlife.predict.NaiveBayes`
take them): a DataFrame's columns by name, an array's by position.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt

from leadlife._core.support.errors import ValidationError
from leadlife._predict.estimators import Logistic, Model, NaiveBayes

MODELS = ("logistic", "naive_bayes")
"""The models a :class:`WinClassifier` fits."""

_PARAMS = ("model", "l2", "alpha")


class WinClassifier:
    """A lead's chance of a win as a scikit-learn classifier, over categorical features.

    Args:
        model: ``"logistic"`` (:class:`~leadlife.predict.Logistic`) or
            ``"naive_bayes"`` (:class:`~leadlife.predict.NaiveBayes`).
        l2: The logistic model's penalty.
        alpha: Naive Bayes' smoothing.

    After :meth:`fit`: ``classes_`` (the two outcomes, sorted; the second is
    the win), ``n_features_in_``, ``feature_names_in_`` (for a DataFrame)
    and ``model_`` (the fitted leadlife model: ``explain``, ``to_dict``).

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import WinClassifier
        >>> X = np.array([["big"], ["big"], ["small"], ["small"]] * 5)
        >>> y = np.array([1, 1, 0, 1] * 5)
        >>> model = WinClassifier(l2=0.1).fit(X, y)
        >>> model.predict_proba(np.array([["big"], ["small"]]))[:, 1].round(2).tolist()
        [0.98, 0.52]
        >>> model.get_params()
        {'alpha': 1.0, 'l2': 0.1, 'model': 'logistic'}
    """

    _estimator_type = "classifier"  # scikit-learn before its tags

    def __init__(self, model: str = "logistic", *, l2: float = 1.0, alpha: float = 1.0) -> None:
        # scikit-learn's rule: the constructor keeps its arguments as given; fit checks them.
        self.model = model
        self.l2 = l2
        self.alpha = alpha

    def get_params(self, deep: bool = True) -> dict[str, Any]:  # noqa: ARG002 - scikit-learn's signature
        """The constructor's arguments, as scikit-learn clones and searches them."""
        return {name: getattr(self, name) for name in sorted(_PARAMS)}

    def set_params(self, **params: Any) -> WinClassifier:
        """Set constructor arguments (a grid search's step).

        Raises:
            ValidationError: A name that is not one of the constructor's.
        """
        for name, value in params.items():
            if name not in _PARAMS:
                raise ValidationError(
                    owner="WinClassifier",
                    field=name,
                    value=value,
                    expected=f"one of the parameters {', '.join(_PARAMS)}",
                )
            setattr(self, name, value)
        return self

    def __sklearn_tags__(self) -> Any:
        """What scikit-learn asks of an estimator: a classifier of categorical, text features."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags  # noqa: PLC0415

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True),
            classifier_tags=ClassifierTags(multi_class=False),
            input_tags=InputTags(categorical=True, string=True, allow_nan=True),
        )

    def fit(self, X: Any, y: Any) -> WinClassifier:  # noqa: N803 - scikit-learn's names
        """Fit to ``X`` (one row per closed journey, a column per feature) and outcomes ``y``.

        Raises:
            ValidationError: Not two outcomes, rows and outcomes of different
                lengths, or a model or parameter leadlife does not have.
        """
        if self.model not in MODELS:
            raise ValidationError(
                owner="WinClassifier", field="model", value=self.model, expected=f"one of {MODELS}"
            )
        columns, names = _columns(X)
        outcomes = np.asarray(y)
        if outcomes.ndim != 1 or len(outcomes) != _length(columns):
            raise ValidationError(
                owner="WinClassifier",
                field="y",
                value=outcomes.shape,
                expected=f"one outcome per row ({_length(columns)})",
            )
        classes = np.unique(outcomes)
        if len(classes) != 2:  # noqa: PLR2004 - a win or not
            raise ValidationError(
                owner="WinClassifier",
                field="y",
                value=classes.tolist(),
                expected="two outcomes (the second, in sorted order, is the win)",
            )
        won = outcomes == classes[1]
        features = list(columns)
        fitted: Model = (
            Logistic.fit(columns, won, features=features, l2=self.l2)
            if self.model == "logistic"
            else NaiveBayes.fit(columns, won, features=features, alpha=self.alpha)
        )
        self.model_ = fitted
        self.classes_ = classes
        self.n_features_in_ = len(features)
        if names is not None:
            self.feature_names_in_ = np.asarray(names, dtype=object)
        return self

    def predict_proba(self, X: Any) -> npt.NDArray[np.float64]:  # noqa: N803 - scikit-learn's names
        """Each row's chance of each outcome: ``[:, 1]`` is the chance of a win."""
        fitted = self._fitted()
        columns, _ = _columns(X, self.n_features_in_)
        won = fitted.predict(columns)
        return np.column_stack([1 - won, won])

    def predict(self, X: Any) -> npt.NDArray[Any]:  # noqa: N803 - scikit-learn's names
        """Each row's likelier outcome (a win from an even chance up)."""
        likelier = (self.predict_proba(X)[:, 1] >= 0.5).astype(int)  # noqa: PLR2004 - even
        chosen: npt.NDArray[Any] = np.asarray(self.classes_)[likelier]
        return chosen

    def _fitted(self) -> Model:
        fitted: Model | None = getattr(self, "model_", None)
        if fitted is None:
            try:
                from sklearn.exceptions import NotFittedError  # noqa: PLC0415
            except ImportError:  # pragma: no cover - scikit-learn's callers have it
                raise ValidationError(
                    owner="WinClassifier", field="model_", value=None, expected="a fitted model"
                ) from None
            msg = "This WinClassifier is not fitted yet: call fit first."
            raise NotFittedError(msg)
        return fitted

    def __repr__(self) -> str:
        return f"WinClassifier(model={self.model!r}, l2={self.l2!r}, alpha={self.alpha!r})"


def _columns(X: Any, expected: int | None = None) -> tuple[Mapping[str, Any], list[str] | None]:  # noqa: N803
    """``X`` as named columns: a DataFrame's names, an array's positions (``x0``, ``x1``...)."""
    try:
        frame = nw.from_native(X, eager_only=True)
    except TypeError:
        frame = None
    if frame is not None:
        names = [str(name) for name in frame.columns]
        columns: dict[str, Any] = {
            name: frame[original].to_arrow()
            for name, original in zip(names, frame.columns, strict=True)
        }
        found: tuple[Mapping[str, Any], list[str] | None] = (columns, names)
    else:
        array = np.asarray(X, dtype=object)
        if array.ndim != 2:  # noqa: PLR2004 - rows and columns
            raise ValidationError(
                owner="WinClassifier",
                field="X",
                value=array.shape,
                expected="a table: rows of features (a DataFrame, or a 2-D array)",
            )
        found = ({f"x{index}": array[:, index] for index in range(array.shape[1])}, None)
    if expected is not None and len(found[0]) != expected:
        raise ValidationError(
            owner="WinClassifier",
            field="X",
            value=len(found[0]),
            expected=f"the {expected} features it was fitted on",
        )
    return found


def _length(columns: Mapping[str, Any]) -> int:
    return len(next(iter(columns.values()))) if columns else 0
