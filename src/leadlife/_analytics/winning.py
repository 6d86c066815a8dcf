"""Time to win: how long journeys take to become customers, losses and open journeys counted.

A journey can end three ways by the report's moment: won (it entered a won
stage), ended without a win (its latest stage takes it out of the way to a
sale: lost, disqualified, do not contact...), or still open. Dropping the
open ones makes winning look faster than it is; treating the lost ones as
"not yet won" makes it look likelier. So the share won by each horizon is the
Aalen-Johansen estimate: losses compete with wins, open journeys are
censored at the report's moment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from leadlife._analytics.backends import seconds_between
from leadlife._analytics.closed_loop import source_of_journey
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import moment, stays
from leadlife._funnel.base import Funnel

HORIZONS = (30, 90, 180)
"""The horizons, in days, at which the share won is reported."""

TIME_TO_WIN = (
    "journeys: journeys started at or before `at`; won: those that entered a won stage by `at` "
    "(at their first such entry); lost: those whose latest stage by `at` is a screen-out or a "
    "final stage, without a win (nurture is not an end); median_days_won, mean_days_won: the "
    "median and the mean time to win of the won ones, in days from the journey's start; "
    "median_days_closed, mean_days_closed: the same of the closed ones (won or lost: the time "
    "to close that CRMs publish); won_by_30d, won_by_90d, won_by_180d: the share of journeys "
    "won within that many days of their start, by the Aalen-Johansen estimate (losses compete "
    "with wins, open journeys are censored at `at`)"
)

_DAY = 86_400


@in_their_engine
def time_to_win(
    events: Any, *, at: datetime, funnel: type[Funnel] | None = None, by: str | None = None
) -> Report:
    """How long journeys take to win, and the share won within 30, 90 and 180 days.

    Args:
        events: An event table (or a :class:`~leadlife.analytics.Book`), in any engine.
        at: Now: journeys not won nor lost by then are open, and censored there.
        funnel: The funnel whose stages say what is won and what is a way out;
            the default funnel if ``None``.
        by: ``"source_channel"`` or ``"source_campaign"`` for a row per
            source (how fast each source's leads buy), any other segment
            (``"owner"``, ``"industry"``...) or a custom attribute the event
            table was made with (a deal's ``"product"``: see
            :func:`~leadlife.analytics.event_table`); ``None`` for the whole book.

    Returns:
        One row (or one per source, its ``source`` first): ``journeys``,
        ``won``, ``lost``, ``median_days_won``, ``mean_days_won``,
        ``median_days_closed``, ``mean_days_closed``, ``won_by_30d``,
        ``won_by_90d``, ``won_by_180d``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, time_to_win
        >>> (row,) = time_to_win(demo_events(), at=datetime(2026, 12, 1, tzinfo=UTC)).rows()
        >>> row[:3], [round(days, 2) for days in row[3:7]], row[7:]
        ((5, 1, 1), [10.04, 10.04, 5.46, 5.46], (0.2, 0.2, 0.2))
    """
    roles = roles_of(funnel)
    # Nurture is not an end: a recycled journey may come back and win.
    won_stages, exit_stages = sorted(roles.won), sorted(roles.exits)
    now = moment("at", at)
    seen = stays(events).filter(nw.col("entered_at") <= now)
    # The latest stay by `at` is the one not left by then.
    still = nw.col("left_at").is_null() | (nw.col("left_at") > now)
    per_stay = seen.with_columns(
        nw.when(nw.col("stage").is_in(won_stages)).then(nw.col("entered_at")).alias("won_at"),
        nw.when(still & nw.col("stage").is_in(exit_stages))
        .then(nw.col("entered_at"))
        .alias("out_at"),
    )
    journeys = (
        per_stay.group_by("journey_id")
        .agg(
            nw.col("entered_at").min().alias("start"),
            nw.col("won_at").min(),
            nw.col("out_at").min(),
        )
        .pipe(_with_source, seen, by)
        # No nulls into a duration (pandas cannot cast a missing one): flags say which are real.
        .with_columns(
            (~nw.col("won_at").is_null()).alias("has_won"),
            (~nw.col("out_at").is_null()).alias("has_out"),
            nw.col("won_at").fill_null(nw.col("start")),
            nw.col("out_at").fill_null(nw.col("start")),
        )
        .with_columns(
            seconds_between(nw.col("start"), nw.col("won_at"), seen.implementation).alias("won"),
            seconds_between(nw.col("start"), nw.col("out_at"), seen.implementation).alias("out"),
            seconds_between(nw.col("start"), now, seen.implementation).alias("open"),
        )
        .select("won", "out", "open", "has_won", "has_out", "source")
        .collect()
        .to_arrow()
    )
    won = journeys.column("won").to_numpy().astype(np.int64)
    out = journeys.column("out").to_numpy().astype(np.int64)
    open_for = journeys.column("open").to_numpy().astype(np.int64)
    won_mask = journeys.column("has_won").to_numpy(zero_copy_only=False).astype(bool)
    out_mask = ~won_mask & journeys.column("has_out").to_numpy(zero_copy_only=False).astype(bool)
    sources = journeys.column("source").to_pylist()
    groups = [None] if by is None else sorted(set(sources), key=lambda s: (s is None, s or ""))
    columns: dict[str, list[Any]] = {} if by is None else {"source": []}
    for group in groups:
        mine = np.ones(len(won), bool) if by is None else np.array([s == group for s in sources])
        if by is not None:
            columns["source"].append(group)
        _measure(columns, won[mine], out[mine], open_for[mine], won_mask[mine], out_mask[mine])
    keys = () if by is None else ("source",)
    return report("time_to_win", TIME_TO_WIN, small_frame(columns, seen), keys)


def _with_source(
    journeys: nw.LazyFrame[Any], seen: nw.LazyFrame[Any], by: str | None
) -> nw.LazyFrame[Any]:
    """Each journey with its source (its lead's as captured; ``None`` when not asked for).

    Read from the same stays as the journeys (one engine connection, one relation).
    """
    if by is None:
        return journeys.with_columns(nw.lit(None, nw.String).alias("source"))
    return journeys.join(source_of_journey(seen, by), on="journey_id", how="left")


def _measure(  # noqa: PLR0917 - the arrays of one group of journeys, as they come
    columns: dict[str, list[Any]],
    won: np.ndarray,
    out: np.ndarray,
    open_for: np.ndarray,
    won_mask: np.ndarray,
    out_mask: np.ndarray,
) -> None:
    """One row's measures of a group of journeys, appended to ``columns``."""
    shares = won_within(
        np.where(won_mask, won, np.where(out_mask, out, open_for)).astype(np.int64),
        np.where(won_mask, 1, np.where(out_mask, 2, 0)),
        [days * _DAY for days in HORIZONS],
    )
    # A closed journey ended either way: its time to close is its time to win or to lose.
    closed = np.concatenate((won[won_mask], out[out_mask]))
    for name, value in (
        ("journeys", len(won)),
        ("won", int(won_mask.sum())),
        ("lost", int(out_mask.sum())),
        ("median_days_won", _days(np.median, won[won_mask])),
        ("mean_days_won", _days(np.mean, won[won_mask])),
        ("median_days_closed", _days(np.median, closed)),
        ("mean_days_closed", _days(np.mean, closed)),
    ):
        columns.setdefault(name, []).append(value)
    for days, share in zip(HORIZONS, shares, strict=True):
        columns.setdefault(f"won_by_{days}d", []).append(share)


def _days(average: Callable[[np.ndarray], Any], seconds: np.ndarray) -> float | None:
    """An average of durations in seconds, in days; ``None`` for none."""
    return float(average(seconds)) / _DAY if len(seconds) else None


def won_within(
    durations: np.ndarray, outcomes: np.ndarray, horizons: list[int]
) -> list[float | None]:
    """The Aalen-Johansen cumulative incidence of winning at each horizon.

    ``outcomes`` holds 1 for a win, 2 for a loss (the competing event) and 0
    for an open journey (censored) after ``durations``. ``None`` when there
    are no journeys.

    Example:
        >>> import numpy as np
        >>> from leadlife.analytics import won_within
        >>> # Four journeys: won after 1 and 3, lost after 2, still open after 4.
        >>> won_within(np.array([1, 2, 3, 4]), np.array([1, 2, 1, 0]), [2, 4])
        [0.25, 0.5]
    """
    if len(durations) == 0:
        return [None] * len(horizons)
    order = np.argsort(durations, kind="stable")
    durations, outcomes = durations[order], outcomes[order]
    first = np.flatnonzero(np.r_[True, durations[1:] != durations[:-1]])
    times = durations[first]
    wins = np.add.reduceat((outcomes == 1).astype(np.int64), first)
    ends = np.add.reduceat((outcomes != 0).astype(np.int64), first)
    leaving = np.add.reduceat(np.ones(len(durations), dtype=np.int64), first)
    at_risk = len(durations) - np.concatenate(([0], np.cumsum(leaving)[:-1]))
    # Surviving (neither won nor lost) just before each time, times the chance of a win then.
    surviving = np.cumprod(1 - ends / at_risk)
    before = np.concatenate(([1.0], surviving[:-1]))
    # A share: rounding in the sum can pass 1 by an ulp (every journey won at several times).
    incidence = np.minimum(np.cumsum(before * wins / at_risk), 1.0)
    found: list[float | None] = []
    for horizon in horizons:
        upto = np.searchsorted(times, horizon, side="right")
        found.append(float(incidence[upto - 1]) if upto else 0.0)
    return found
