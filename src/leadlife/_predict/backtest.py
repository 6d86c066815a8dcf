"""Training examples from a book, and the backtest by time: train before a moment, judge after.

An example is a closed journey (won, or ended lost or screened out), its
features the facts of its lead *as captured*, when it would have been
scored: nothing a later event changed, and never the outcome, leaks back.
Trained on what was known at a moment and judged on the journeys that came
after it, a model is measured the way it will be used.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast, overload

import attrs
import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.stays import lazy_events, moment, outcomes
from leadlife._core.support import validation as check
from leadlife._core.support.display import Grid, ShownAsGrid
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._predict import metrics
from leadlife._predict.calibration import Calibrated
from leadlife._predict.engagement import activity_columns, chosen_kinds
from leadlife._predict.estimators import Logistic, NaiveBayes

FEATURES = ("company_size", "industry", "region", "source_channel", "source_campaign")
"""The facts of a lead as captured that a model may learn from, by default all of them."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True, eq=False)
class Examples:
    """Closed journeys as training examples: features, outcome, and when each was scored.

    Attributes:
        columns: Each feature's values, one per journey (``"unknown"`` for a
            fact nobody knew).
        won: Whether each journey was won.
        scored_at: When each journey's lead was scored (microseconds since
            1970, UTC): its capture, or as long after it as the examples say.
        assumed_lost: Whether each journey's loss is assumed, not recorded
            (open longer than :func:`closed_journeys`' ``lost_after``).

    Example:
        >>> from leadlife.predict import Examples
        >>> examples = Examples.of({"size": ["big", "small"]}, won=[True, False], scored_at=[1, 2])
        >>> len(examples), examples.before(2).won.tolist()
        (2, [True])
    """

    columns: Mapping[str, pa.Array]
    won: npt.NDArray[np.bool_]
    scored_at: npt.NDArray[np.int64]
    assumed_lost: npt.NDArray[np.bool_] = attrs.field()

    @assumed_lost.default
    def _none_assumed(self) -> npt.NDArray[np.bool_]:
        return np.zeros(len(self.won), dtype=bool)

    @classmethod
    def of(cls, columns: Mapping[str, Any], *, won: Any, scored_at: Any) -> Examples:
        """Examples from plain columns (lists, numpy or Arrow arrays) of equal length."""
        arrays = {
            name: values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
            for name, values in columns.items()
        }
        outcome = np.asarray(won, dtype=bool)
        times = np.asarray(scored_at, dtype=np.int64)
        if any(len(values) != len(outcome) for values in arrays.values()) or len(times) != len(
            outcome
        ):
            raise ValidationError(
                owner="Examples",
                field="columns",
                value={name: len(values) for name, values in arrays.items()},
                expected=f"columns of {len(outcome)} values, one per outcome",
            )
        return cls(columns=arrays, won=outcome, scored_at=times)

    def __len__(self) -> int:
        """How many examples."""
        return len(self.won)

    def where(self, keep: npt.NDArray[np.bool_]) -> Examples:
        """The examples ``keep`` marks."""
        mask = pa.array(keep)
        return Examples(
            columns={name: values.filter(mask) for name, values in self.columns.items()},
            won=self.won[keep],
            scored_at=self.scored_at[keep],
            assumed_lost=self.assumed_lost[keep],
        )

    def before(self, at: int) -> Examples:
        """The examples scored before ``at`` (microseconds since 1970)."""
        return self.where(self.scored_at < at)

    def since(self, at: int) -> Examples:
        """The examples scored at ``at`` or later."""
        return self.where(self.scored_at >= at)


def closed_journeys(
    events: Any,
    *,
    features: Sequence[str] = FEATURES,
    at: datetime | None = None,
    funnel: type[Funnel] | None = None,
    activities: Any = None,
    kinds: Sequence[str] | None = None,
    scored_after: timedelta = timedelta(0),
    lost_after: timedelta | None = None,
) -> Examples:
    """A book's closed journeys as examples: their leads' facts as captured, and whether won.

    Each journey is scored at its lead's capture, or ``scored_after`` it:
    a model that scores leads a fortnight in learns from what a fortnight
    showed. With ``activities``, each kind's count of the lead's activities
    *before* that moment is a feature too (banded, see :func:`band`);
    journeys that closed before the moment are left out, as they were
    decided before they could be scored.

    Args:
        events: An event table, in any engine narwhals reads.
        features: The lead's columns to learn from (see :data:`FEATURES`).
        at: Read the book as it stood then: only journeys closed by then,
            only what was recorded by then.
        funnel: The funnel whose stages say won and lost; the default funnel
            if ``None``.
        activities: The leads' activities, a table of the columns
            :data:`ACTIVITY_COLUMNS` (``record_id`` is the lead's id), in
            any engine narwhals reads.
        kinds: The kinds of activity to count (each a feature named after
            its kind); every :class:`~leadlife.scoring.ActivityKind` if
            ``None``.
        scored_after: How long after the lead's capture it is scored.
        lost_after: For a book that records only wins: a journey still open
            this long after its capture (by ``at``, or the book's last event)
            counts as lost then, and :attr:`Examples.assumed_lost` says which
            ones were. ``None``: only recorded losses count.

    Example:
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.predict import closed_journeys
        >>> examples = closed_journeys(demo_events(weeks=2), features=["source_channel"])
        >>> len(examples), int(examples.won.sum())
        (4, 2)
    """
    chosen = tuple(features)
    if not chosen or any(name not in FEATURES for name in chosen):
        raise ValidationError(
            owner="closed_journeys",
            field="features",
            value=list(chosen),
            expected=f"one or more of {', '.join(FEATURES)}",
        )
    given: object = scored_after
    if not isinstance(given, timedelta) or scored_after < timedelta(0):
        raise ValidationError(
            owner="closed_journeys",
            field="scored_after",
            value=scored_after,
            expected="a timedelta, zero or more",
        )
    if activities is None and kinds is not None:
        raise ValidationError(
            owner="closed_journeys",
            field="kinds",
            value=list(kinds),
            expected="activities to count them in (kinds without activities count nothing)",
        )
    given_lost: object = lost_after
    if given_lost is not None and (
        not isinstance(given_lost, timedelta) or given_lost <= timedelta(0)
    ):
        raise ValidationError(
            owner="closed_journeys",
            field="lost_after",
            value=lost_after,
            expected="a timedelta above zero, or None (only recorded losses)",
        )
    counted = None if activities is None else chosen_kinds("closed_journeys", kinds)
    frame = lazy_events(events)
    if at is not None:
        check.argument("closed_journeys", "at", at, check.aware_datetime)
        frame = frame.filter(nw.col("at") <= moment("at", at))
    leads = frame.filter((nw.col("record_kind") == "lead") & (nw.col("seq") == 0)).select(
        "journey_id",
        "record_id",
        nw.col("at").alias("scored_at"),
        *(nw.col(name).cast(nw.String).fill_null("unknown") for name in chosen),
    )
    closed = (
        leads.join(outcomes(frame, funnel), on="journey_id", how="left")
        .sort("scored_at", "journey_id")
        .collect()
        .to_arrow()
    )
    captured = _micros_of(closed["scored_at"])
    ended = _micros_of(closed["closed_at"].fill_null(closed["scored_at"]))
    recorded = pc.is_valid(closed["closed_at"]).to_numpy(zero_copy_only=False).astype(bool)
    assumed = np.zeros(len(recorded), dtype=bool)
    end = None
    if lost_after is not None:
        end = at if at is not None else frame.select(nw.col("at").max()).collect().item()
    if lost_after is not None and end is not None:  # an empty book has no end
        # Open that long by the book's end (or `at`): lost then, for scoring's sake.
        waited = captured + lost_after // _MICROSECOND
        assumed = ~recorded & (waited <= micros(end))
        ended = np.where(assumed, waited, ended)
    scored_at = captured + scored_after // _MICROSECOND
    # A journey decided before it could be scored teaches nothing about scoring it.
    keep = (recorded | assumed) & (ended >= scored_at)
    closed, scored_at, assumed = closed.filter(pa.array(keep)), scored_at[keep], assumed[keep]
    columns = {name: closed[name].combine_chunks() for name in chosen}
    if counted is not None:
        record_ids = closed["record_id"].combine_chunks()
        columns |= activity_columns(record_ids, scored_at, activities, counted)
    return Examples(
        columns=columns,
        won=np.asarray(closed["won"].fill_null(pa.scalar(value=False)).to_numpy(), dtype=bool),
        scored_at=scored_at,
        assumed_lost=assumed,
    )


def _micros_of(times: pa.ChunkedArray) -> npt.NDArray[np.int64]:
    """Arrow times as microseconds since 1970, UTC."""
    cast_times = pc.cast(times, pa.timestamp("us", tz="UTC")).cast(pa.int64())
    return np.asarray(cast_times.to_numpy(), dtype=np.int64)


METRICS = ("auc", "brier", "log_loss", "lift_top_decile", "calibration_error")
"""What a backtest measures, for each model."""


@attrs.frozen(kw_only=True)
class Backtest(ShownAsGrid):
    """Models trained before a moment, judged on the journeys scored after it.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import METRICS, Examples, backtest
        >>> won = np.arange(400) % 3 == 0
        >>> result = backtest(
        ...     Examples.of(
        ...         {"size": np.where(won, "large", "small")}, won=won, scored_at=np.arange(400)
        ...     ),
        ...     at=300,
        ... )
        >>> [name for name, *_ in result.rows()][:2], len(METRICS)
        (['naive_bayes', 'naive_bayes_calibrated'], 5)

    Attributes:
        at: The moment (microseconds since 1970, UTC).
        trained: Examples the models were fitted on.
        calibrated: Examples the calibrations were fitted on (the latest
            before the moment, held out from fitting).
        tested: Examples judged.
        base_rate: The win rate of the tested examples.
        scores: For each model, each of :data:`METRICS`.
        reliability: For each model, its reliability table (bin from, bin
            to, count, mean predicted, observed rate).
        models: The fitted models, by name.
        predictions: Each model's probabilities for the tested examples.
        outcomes: Whether each tested example was won.
    """

    at: int
    trained: int
    calibrated: int
    tested: int
    base_rate: float
    scores: Mapping[str, Mapping[str, float]]
    reliability: Mapping[str, list[tuple[float, float, int, float, float]]]
    models: Mapping[str, Any] = attrs.field(repr=False)
    predictions: Mapping[str, npt.NDArray[np.float64]] = attrs.field(repr=False, eq=False)
    outcomes: npt.NDArray[np.bool_] = attrs.field(repr=False, eq=False)

    def rows(self) -> list[tuple[Any, ...]]:
        """One row per model: its name, then :data:`METRICS` in order."""
        return [(name, *(values[m] for m in METRICS)) for name, values in self.scores.items()]

    def _grid(self) -> Grid:
        title = (
            f"Backtest: trained on {self.trained} journeys (+{self.calibrated} to calibrate), "
            f"tested on {self.tested} (win rate {self.base_rate:.1%})"
        )
        rows = [(name, *(f"{value:.4f}" for value in values)) for name, *values in self.rows()]
        return title, ("model", *METRICS), rows, None


def backtest(
    examples: Examples,
    *,
    at: int,
    features: Sequence[str] | None = None,
    calibrate: float = 0.3,
    l2: float = 1.0,
    alpha: float = 1.0,
) -> Backtest:
    """Train before ``at``, judge after: naive Bayes, logistic, and both calibrated.

    The examples scored before ``at`` train the models, the latest
    ``calibrate`` share of them held out to fit the calibrations (isotonic);
    the examples scored at or after ``at`` judge all of them. With
    ``calibrate=0`` nothing is held out: the two models are fitted on every
    example before ``at`` and none is calibrated (held-out examples cost a
    model that is not calibrated some of its accuracy).

    Args:
        examples: The examples (:func:`closed_journeys`, or your own).
        at: The moment (microseconds since 1970, UTC; see :func:`micros`).
        features: The features to use; all of the examples' by default.
        calibrate: The share of the training examples held out to calibrate;
            ``0`` for none (and no calibrated models).
        l2: The logistic model's penalty.
        alpha: Naive Bayes' smoothing.

    Raises:
        ValidationError: Too few examples on either side of the moment, or
            ``calibrate`` is not a share.

    Example:
        >>> import numpy as np
        >>> from leadlife.predict import Examples, backtest
        >>> rng = np.random.default_rng(1)
        >>> size = rng.choice(["small", "large"], 2_000)
        >>> won = rng.random(2_000) < np.where(size == "large", 0.6, 0.2)
        >>> result = backtest(
        ...     Examples.of({"size": size}, won=won, scored_at=np.arange(2_000)), at=1_500
        ... )
        >>> round(result.scores["logistic"]["auc"], 2), result.tested
        (0.68, 500)
    """
    given: object = calibrate  # a caller without a type checker may pass anything
    if isinstance(given, bool) or not (isinstance(given, int | float) and 0 <= given < 1):
        raise ValidationError(
            owner="backtest",
            field="calibrate",
            value=calibrate,
            expected="a share from 0 (nothing held out, no calibration) up to, not including, 1",
        )
    chosen = tuple(examples.columns) if features is None else tuple(features)
    before, after = examples.before(at), examples.since(at)
    cut = int(len(before) * (1 - calibrate))
    order = np.argsort(before.scored_at, kind="stable")
    fit_mask = np.zeros(len(before), bool)
    fit_mask[order[:cut]] = True
    fitting, holding = before.where(fit_mask), before.where(~fit_mask)
    parts = [("trained", fitting), ("calibrated", holding), ("tested", after)]
    for name, part in parts if calibrate else [parts[0], parts[2]]:
        if len(part) < 2 or part.won.all() or not part.won.any():  # noqa: PLR2004 - two outcomes
            raise ValidationError(
                owner="backtest",
                field="at",
                value=at,
                expected=f"wins and losses among the examples {name} (it has {len(part)})",
            )
    bayes = NaiveBayes.fit(fitting.columns, fitting.won, features=chosen, alpha=alpha)
    logistic = Logistic.fit(fitting.columns, fitting.won, features=chosen, l2=l2)
    models: dict[str, Any] = {"naive_bayes": bayes}
    if calibrate:
        models["naive_bayes_calibrated"] = Calibrated.fit(bayes, holding.columns, holding.won)
    models["logistic"] = logistic
    if calibrate:
        models["logistic_calibrated"] = Calibrated.fit(logistic, holding.columns, holding.won)
    scores, tables, predictions = {}, {}, {}
    for name, model in models.items():
        p = predictions[name] = model.predict(after.columns)
        scores[name] = {
            "auc": metrics.auc(p, after.won),
            "brier": metrics.brier(p, after.won),
            "log_loss": metrics.log_loss(p, after.won),
            "lift_top_decile": metrics.lift(p, after.won),
            "calibration_error": metrics.calibration_error(p, after.won),
        }
        tables[name] = metrics.reliability(p, after.won)
    return Backtest(
        at=at,
        trained=len(fitting),
        calibrated=len(holding),
        tested=len(after),
        base_rate=float(after.won.mean()),
        scores=scores,
        reliability=tables,
        models=models,
        predictions=predictions,
        outcomes=after.won,
    )


@overload
def micros(at: datetime) -> int: ...
@overload
def micros(at: Any) -> npt.NDArray[np.int64]: ...
def micros(at: object) -> int | npt.NDArray[np.int64]:
    """A timezone-aware moment as microseconds since 1970 (what examples are timed in).

    Or a whole column of them: a list of aware times, or a polars, pandas or
    Arrow column of times with a time zone, as an ``int64`` array (what
    :meth:`Examples.of`'s ``scored_at`` takes).

    Raises:
        ValidationError: A time is naive (a column without a time zone too:
            it says nothing of when), or missing.

    Example:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> from leadlife.predict import micros
        >>> micros(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
        1000000
        >>> micros(pl.Series([datetime(1970, 1, 1, 0, 0, 2, tzinfo=UTC)])).tolist()
        [2000000]
    """
    if isinstance(at, datetime):
        check.argument("micros", "at", at, check.aware_datetime)
        return (at - _EPOCH) // timedelta(microseconds=1)
    if isinstance(at, list | tuple):
        for index, each in enumerate(at):
            check.argument("micros", f"at[{index}]", each, check.aware_datetime)
        return np.array([(each - _EPOCH) // _MICROSECOND for each in at], dtype=np.int64)
    return _column_micros(at)


_MICROSECOND = timedelta(microseconds=1)


def _column_micros(at: object) -> npt.NDArray[np.int64]:
    """A column of aware times (polars, pandas, Arrow), as microseconds since 1970."""
    expected = (
        "a timezone-aware time, or a column of them (a list, or a polars, pandas or Arrow column)"
    )
    try:
        column = nw.from_native(cast("Any", at), series_only=True)
    except TypeError:
        raise ValidationError(owner="micros", field="at", value=at, expected=expected) from None
    dtype = column.dtype
    if not isinstance(dtype, nw.Datetime) or dtype.time_zone is None:
        raise ValidationError(
            owner="micros",
            field="at",
            value=str(dtype),
            expected="times with a time zone (naive times say nothing of when)",
        )
    if missing := column.null_count():
        first = int(column.is_null().arg_true()[0])
        raise ValidationError(
            owner="micros",
            field=f"at[{first}]",
            value=None,
            expected=f"a time in every row ({missing} missing)",
        )
    found: npt.NDArray[np.int64] = np.asarray(column.dt.timestamp("us").to_numpy(), np.int64)
    return found
