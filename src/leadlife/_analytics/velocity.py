"""How long journeys stay in each stage, with the ones still there counted honestly.

A stay that has not ended yet is not a short stay: dropping it would make the
stage look faster than it is, and counting it as ended now would too. Each
open stay is *censored* at the report's moment (we know it lasted at least
that long), and the time in stage is read off the Kaplan-Meier estimate of
the share of stays still going after each duration. The engine groups the
stays by stage and duration; the estimate runs on those counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.engines import seconds_between
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import moment, stays

QUANTILES = (0.5, 0.75, 0.9)
"""The time-in-stage quantiles reported: the median, p75 and p90."""

_QUANTILE_COLUMNS = ("median_hours", "p75_hours", "p90_hours")

TIME_IN_STAGE = (
    "stays: entries into the stage at or before `at`; ended: of those, the ones that left by "
    "`at` (the others are censored at `at`); median_hours, p75_hours, p90_hours: the "
    "Kaplan-Meier estimate of the time by which half, 75% and 90% of stays have ended, in "
    "hours (null when the estimate never falls that low: too many stays still open)"
)


def time_in_stage(events: Any, *, at: datetime) -> Report:
    """Time in stage per stage (median, p75, p90), open stays censored at ``at``.

    Args:
        events: An event table, in any engine narwhals reads.
        at: Now: stays still open are known to have lasted at least until then.

    Returns:
        Columns ``stage``, ``stays``, ``ended``, ``median_hours``, ``p75_hours``, ``p90_hours``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, time_in_stage
        >>> events = demo_events()
        >>> time_in_stage(events, at=datetime(2026, 12, 1, tzinfo=UTC)).rows()[0]
        ('accepted', 3, 3, 26.0, 672.0, 672.0)
    """
    now = moment("at", at)
    all_stays = stays(events)
    ended = ~nw.col("left_at").is_null() & (nw.col("left_at") <= now)
    until = nw.when(ended).then(nw.col("left_at")).otherwise(now)
    grouped = (
        all_stays.filter(nw.col("entered_at") <= now)
        .with_columns(
            seconds_between(nw.col("entered_at"), until, all_stays.implementation).alias("seconds"),
            ended.alias("ended"),
        )
        .group_by("stage", "seconds", "ended")
        .agg(nw.len().alias("n"))
        .collect()
    )
    by_stage: dict[str, list[tuple[int, bool, int]]] = defaultdict(list)
    for row in grouped.to_arrow().to_pylist():
        by_stage[row["stage"]].append((int(row["seconds"]), bool(row["ended"]), int(row["n"])))
    columns: dict[str, list[Any]] = {
        "stage": [],
        "stays": [],
        "ended": [],
        "median_hours": [],
        "p75_hours": [],
        "p90_hours": [],
    }
    for stage in sorted(by_stage):
        counts = by_stage[stage]
        quantiles = kaplan_meier_quantiles(counts, QUANTILES)
        columns["stage"].append(stage)
        columns["stays"].append(sum(n for _, _, n in counts))
        columns["ended"].append(sum(n for _, done, n in counts if done))
        for name, seconds in zip(
            ("median_hours", "p75_hours", "p90_hours"), quantiles, strict=True
        ):
            columns[name].append(None if seconds is None else seconds / 3600)
    return report("time_in_stage", TIME_IN_STAGE, small_frame(columns, all_stays), ("stage",))


def kaplan_meier_quantiles(
    counts: list[tuple[int, bool, int]], quantiles: tuple[float, ...]
) -> list[int | None]:
    """The durations by which each quantile of stays has ended, by Kaplan-Meier.

    Args:
        counts: ``(duration, ended, how many)``: stays that ended after that
            long, or were still open (censored) after that long.
        quantiles: Shares of stays, each between 0 and 1.

    Returns:
        For each quantile, the smallest duration at which the estimated share
        still going falls to ``1 - quantile`` or below; ``None`` if it never does.

    Example:
        >>> from leadlife.analytics import kaplan_meier_quantiles
        >>> # Four stays ended after 1, 2, 3 and 4 hours: the median is 2 hours.
        >>> kaplan_meier_quantiles([(1, True, 1), (2, True, 1), (3, True, 1), (4, True, 1)], (0.5,))
        [2]
        >>> # One of them is still open after 1 hour: the estimate moves up.
        >>> kaplan_meier_quantiles(
        ...     [(1, False, 1), (2, True, 1), (3, True, 1), (4, True, 1)], (0.5,)
        ... )
        [3]
    """
    ended: dict[int, int] = defaultdict(int)
    censored: dict[int, int] = defaultdict(int)
    for duration, done, n in counts:
        (ended if done else censored)[duration] += n
    at_risk = sum(ended.values()) + sum(censored.values())
    surviving = 1.0
    found: list[int | None] = [None] * len(quantiles)
    for duration in sorted(set(ended) | set(censored)):
        if ended[duration] and at_risk:
            surviving *= 1 - ended[duration] / at_risk
            for index, quantile in enumerate(quantiles):
                # A tolerance for the float product: 1 - 2/4 must count as 0.5.
                if found[index] is None and surviving <= 1 - quantile + 1e-12:
                    found[index] = duration
        at_risk -= ended[duration] + censored[duration]
    return found
