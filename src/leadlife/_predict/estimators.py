"""Predictive models of a win: naive Bayes (the baseline CRMs use), logistic, and calibration.

Features are categorical facts of a lead as it was captured (its company's
size band, industry, region, its source): a value never seen in training is
a value of its own, "unseen", that moves nothing. Every model scores a whole
table at once, column by column (a value's code is found by Arrow's hash
lookup, its weight by numpy indexing), explains one lead by its features'
contributions to the log-odds, and travels as a versioned JSON document.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._core.support.errors import StructureError, ValidationError

if TYPE_CHECKING:
    from leadlife._predict.calibration import Calibrated

Floats = npt.NDArray[np.float64]
Columns = Mapping[str, Any]  # feature -> a column of values (Arrow, numpy or a list)

SCHEMA = 1
"""The version of the documents models are written as."""
CONVERGED = 1e-10
"""Newton's method stops when no weight moves more than this."""


def _column(columns: Columns, name: str) -> pa.Array:
    if name not in columns:
        raise ValidationError(
            owner="predict", field="features", value=sorted(columns), expected=f"a column {name!r}"
        )
    given = columns[name]
    if isinstance(given, pa.ChunkedArray):
        given = given.combine_chunks()
    if not isinstance(given, pa.Array):
        given = pa.array(np.asarray(given, dtype=object), pa.string())
    return pc.fill_null(given.cast(pa.string()), "unknown")


@attrs.frozen(kw_only=True)
class Vocabulary:
    """Each feature's values seen in training, in order: a value's code is its place.

    Example:
        >>> from leadlife.predict import Vocabulary
        >>> vocabulary = Vocabulary.of({"size": ["small", "big", "small"]}, ["size"])
        >>> vocabulary.values, vocabulary.codes({"size": ["big", "huge"]}, "size").tolist()
        ({'size': ('big', 'small')}, [0, -1])
    """

    values: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, columns: Columns, features: Sequence[str]) -> Vocabulary:
        """The values each feature takes in ``columns``, sorted."""
        return cls(
            values={
                name: tuple(sorted(str(v) for v in pc.unique(_column(columns, name)).to_pylist()))
                for name in features
            }
        )

    def codes(self, columns: Columns, name: str) -> npt.NDArray[np.int64]:
        """The code of each row's value of ``name``; ``-1`` for a value never seen in training."""
        found = pc.index_in(_column(columns, name), value_set=pa.array(self.values[name]))
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _outcomes(won: Any) -> npt.NDArray[np.bool_]:
    return np.asarray(won, dtype=bool)


@attrs.frozen(kw_only=True)
class Model:
    """What every model does: score a table, explain one lead, travel as a document.

    Example:
        >>> from leadlife.predict import Logistic, Model
        >>> model = Logistic.fit({"size": ["big", "small"]}, [True, False], features=["size"])
        >>> isinstance(model, Model), model.features
        (True, ('size',))
    """

    kind: ClassVar[str]
    features: tuple[str, ...]
    vocabulary: Vocabulary
    intercept: float
    # Per feature, one weight per value (unseen values weigh 0); arrays, compared by the fit.
    weights: Mapping[str, Floats] = attrs.field(eq=False)

    def log_odds(self, columns: Columns) -> Floats:
        """Each row's log-odds of a win."""
        total = np.full(_rows(columns, self.features), self.intercept)
        for name in self.features:
            codes = self.vocabulary.codes(columns, name)
            table = np.r_[self.weights[name], 0.0]  # code -1 takes the last: unseen, 0
            total += table[codes]
        return total

    def predict(self, columns: Columns) -> Floats:
        """Each row's probability of a win."""
        return _sigmoid(self.log_odds(columns))

    def explain(self, facts: Mapping[str, str]) -> list[tuple[str, str, float]]:
        """One lead's features, values and contributions to the log-odds, the largest first."""
        parts = []
        for name in self.features:
            value = str(facts.get(name) or "unknown")
            codes = self.vocabulary.codes({name: [value]}, name)
            weight = float(self.weights[name][codes[0]]) if codes[0] >= 0 else 0.0
            parts.append((name, value, weight))
        return sorted(parts, key=lambda part: (-abs(part[2]), part[0]))

    def to_dict(self) -> dict[str, Any]:
        """The model as a versioned JSON document (no pickle): :func:`load_model` reads it."""
        return {
            "schema": SCHEMA,
            "type": self.kind,
            "data": {
                "features": list(self.features),
                "intercept": self.intercept,
                "values": {name: list(self.vocabulary.values[name]) for name in self.features},
                "weights": {name: self.weights[name].tolist() for name in self.features},
            },
        }


def _rows(columns: Columns, features: Sequence[str]) -> int:
    return len(_column(columns, features[0])) if features else 0


def _sigmoid(x: Floats) -> Floats:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def _check_features(features: Sequence[object]) -> tuple[str, ...]:
    chosen = tuple(features)
    if not chosen or not all(isinstance(name, str) and name for name in chosen):
        raise ValidationError(
            owner="predict", field="features", value=list(chosen), expected="one or more names"
        )
    return chosen  # type: ignore[return-value]  # all checked to be str


@attrs.frozen(kw_only=True)
class NaiveBayes(Model):
    """Odoo's method: a feature value's win and loss frequencies, smoothed, assumed independent.

    The log-odds of a win is the prior log-odds plus, for each feature, the
    log of how much more often its value came with wins than with losses
    (add-``alpha`` smoothing, so a value seen once is not a certainty).

    Example:
        >>> from leadlife.predict import NaiveBayes
        >>> model = NaiveBayes.fit(
        ...     {"size": ["big", "big", "small", "small"]},
        ...     [True, True, False, True],
        ...     features=["size"],
        ... )
        >>> model.predict({"size": ["big", "small", "new"]}).round(2).tolist()
        [0.8, 0.57, 0.67]
    """

    kind: ClassVar[str] = "NaiveBayes"

    @classmethod
    def fit(
        cls, columns: Columns, won: Any, *, features: Sequence[str], alpha: float = 1.0
    ) -> NaiveBayes:
        """Count each value's wins and losses in ``columns`` (one row per closed journey)."""
        chosen = _check_features(features)
        outcome = _outcomes(won)
        vocabulary = Vocabulary.of(columns, chosen)
        wins, losses = int(outcome.sum()), int((~outcome).sum())
        weights = {}
        for name in chosen:
            codes = vocabulary.codes(columns, name)
            size = len(vocabulary.values[name])
            won_counts = np.bincount(codes[outcome], minlength=size)
            lost_counts = np.bincount(codes[~outcome], minlength=size)
            # Smoothed over the values seen and one more: the unseen.
            p_won = (won_counts + alpha) / (wins + alpha * (size + 1))
            p_lost = (lost_counts + alpha) / (losses + alpha * (size + 1))
            weights[name] = np.log(p_won) - np.log(p_lost)
        prior = math.log((wins + alpha) / (losses + alpha))
        return cls(features=chosen, vocabulary=vocabulary, intercept=prior, weights=weights)


@attrs.frozen(kw_only=True)
class Logistic(Model):
    """Logistic regression on the features' values (one-hot), fitted by Newton's method.

    An L2 penalty (``l2``) on the weights, not the intercept, keeps a rare
    value's weight from running away; the fit is exact (iteratively
    reweighted least squares to convergence), so it needs no scikit-learn.

    Example:
        >>> from leadlife.predict import Logistic
        >>> model = Logistic.fit(
        ...     {"size": ["big"] * 8 + ["small"] * 8},
        ...     [True] * 6 + [False] * 2 + [True] * 2 + [False] * 6,
        ...     features=["size"],
        ...     l2=0.1,
        ... )
        >>> model.predict({"size": ["big", "small"]}).round(2).tolist()
        [0.74, 0.26]
    """

    kind: ClassVar[str] = "Logistic"

    @classmethod
    def fit(
        cls,
        columns: Columns,
        won: Any,
        *,
        features: Sequence[str],
        l2: float = 1.0,
        iterations: int = 50,
    ) -> Logistic:
        """Fit the weights to ``columns`` (one row per closed journey) and their outcomes."""
        chosen = _check_features(features)
        outcome = _outcomes(won).astype(np.float64)
        if outcome.min(initial=1) == outcome.max(initial=0):
            raise ValidationError(
                owner="Logistic",
                field="won",
                value=f"{int(outcome.sum())} wins of {len(outcome)}",
                expected="wins and losses both: a model of a win learns from both",
            )
        vocabulary = Vocabulary.of(columns, chosen)
        offsets = np.cumsum([0] + [len(vocabulary.values[name]) for name in chosen])
        width = int(offsets[-1]) + 1  # the intercept last
        rows = len(outcome)
        codes = (
            np.stack(
                [vocabulary.codes(columns, name) + offsets[i] for i, name in enumerate(chosen)],
                axis=1,
            )
            if chosen
            else np.zeros((rows, 0), np.int64)
        )
        beta = np.zeros(width)
        penalty = np.full(width, l2)
        penalty[-1] = 0.0
        for _ in range(iterations):
            eta = beta[codes].sum(axis=1) + beta[-1]
            p = _sigmoid(eta)
            w = p * (1 - p)
            residual = outcome - p
            gradient = np.bincount(
                codes.ravel(), weights=np.repeat(residual, len(chosen)), minlength=width
            ).astype(np.float64)
            gradient[-1] = residual.sum()
            gradient -= penalty * beta
            hessian = _hessian(codes, w, width) + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
            beta += step
            if np.max(np.abs(step)) < CONVERGED:
                break
        weights = {name: beta[offsets[i] : offsets[i + 1]].copy() for i, name in enumerate(chosen)}
        return cls(
            features=chosen, vocabulary=vocabulary, intercept=float(beta[-1]), weights=weights
        )


def _hessian(codes: npt.NDArray[np.int64], w: Floats, width: int) -> Floats:
    """``X' W X`` for the one-hot design ``codes`` plus the intercept, counted pair by pair.

    The design is never built: each pair of features adds ``w`` to the cells
    of the pairs of values rows hold (one ``bincount`` over flat cell numbers).
    """
    intercept = width - 1
    with_intercept = np.concatenate([codes, np.full((len(w), 1), intercept)], axis=1)
    flat = np.zeros(width * width)
    for a in range(with_intercept.shape[1]):
        for b in range(with_intercept.shape[1]):
            cells = with_intercept[:, a] * width + with_intercept[:, b]
            flat += np.bincount(cells, weights=w, minlength=width * width)
    return flat.reshape(width, width)


_KINDS: dict[str, type[Model]] = {"NaiveBayes": NaiveBayes, "Logistic": Logistic}


def load_model(document: Mapping[str, Any]) -> Model | Calibrated:
    """Read a model written by its ``to_dict`` (a :class:`Calibrated` one too).

    The document is checked, not trusted: every weight a finite number (not
    ``null``, not a bool, not ``Infinity``, not a number beyond a float),
    every feature and value a string, one weight per value, a calibrated
    model around a plain one.

    Raises:
        StructureError: The document is not a model this leadlife reads; the
            error says where (``$.data.weights['size'][1]``).

    Example:
        >>> import json
        >>> from leadlife.predict import NaiveBayes, load_model
        >>> model = NaiveBayes.fit({"size": ["big", "small"]}, [True, False], features=["size"])
        >>> text = json.dumps(model.to_dict())
        >>> load_model(json.loads(text)).predict({"size": ["big"]}).round(2).tolist()
        [0.67]
    """
    try:
        return _read(document, "$")
    except _Bad as bad:
        raise StructureError(target="predictive model", errors=[f"{bad} @ {bad.path}"]) from None
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError) as error:
        problem = f"missing {error}" if isinstance(error, KeyError) else str(error)
        raise StructureError(target="predictive model", errors=[f"{problem} @ $"]) from None


class _Bad(ValueError):  # noqa: N818 - internal, turned into a StructureError
    """A part of a model document that is not what a model holds, and where it is."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(problem)
        self.path = path


def _mapping(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Bad(path, f"expected an object, got {type(value).__name__}")
    return value


def _texts(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _Bad(path, "expected a list of strings")
    return tuple(value)


def _number(value: object, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad(path, f"expected a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise _Bad(path, "expected a number a float holds, got one too large") from None
    if not math.isfinite(number):
        raise _Bad(path, f"expected a finite number, got {value!r}")
    return number


def numbers(value: object, path: str) -> Floats:
    """A list of finite numbers, as an array; anything else is refused, saying where."""
    if not isinstance(value, list | tuple):
        raise _Bad(path, "expected a list of numbers")
    return np.array([_number(v, f"{path}[{i}]") for i, v in enumerate(value)], dtype=np.float64)


def _read(document: object, path: str) -> Model | Calibrated:
    from leadlife._predict.calibration import Calibrated  # noqa: PLC0415 - it wraps these

    document = _mapping(document, path)
    if document.get("schema") != SCHEMA:
        raise _Bad(f"{path}.schema", f"schema {document.get('schema')!r}; this reads {SCHEMA}")
    kind, data = document.get("type"), _mapping(document.get("data"), f"{path}.data")
    if kind == "Calibrated":
        inner = _mapping(data.get("model"), f"{path}.data.model")
        if inner.get("type") == "Calibrated":  # refused before reading: no nesting at all
            raise _Bad(
                f"{path}.data.model", "a calibrated model wraps a model, not a calibrated one"
            )
        model = _read(inner, f"{path}.data.model")
        if not isinstance(model, Model):  # pragma: no cover - refused just above
            raise _Bad(f"{path}.data.model", "a calibrated model wraps a model")
        return Calibrated.from_data(model, data, f"{path}.data")
    if kind not in _KINDS:
        raise _Bad(f"{path}.type", f"{kind!r} is not one of {', '.join(sorted(_KINDS))}")
    cls = _KINDS[kind]
    features = _texts(data.get("features"), f"{path}.data.features")
    values = _mapping(data.get("values"), f"{path}.data.values")
    found = _mapping(data.get("weights"), f"{path}.data.weights")
    vocabulary = Vocabulary(
        values={
            name: _texts(values.get(name), f"{path}.data.values[{name!r}]") for name in features
        }
    )
    weights = {
        name: numbers(found.get(name), f"{path}.data.weights[{name!r}]") for name in features
    }
    for name in features:
        if len(weights[name]) != len(vocabulary.values[name]):
            raise _Bad(
                f"{path}.data.weights[{name!r}]",
                f"{len(weights[name])} weights for {len(vocabulary.values[name])} values",
            )
    intercept = _number(data.get("intercept"), f"{path}.data.intercept")
    return cls(
        features=features,
        vocabulary=vocabulary,
        intercept=intercept,
        weights=weights,
    )
