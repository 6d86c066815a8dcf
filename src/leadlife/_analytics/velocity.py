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
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.backends import seconds_between
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import moment, observed, stays

QUANTILES = (0.5, 0.75, 0.9)
"""The time-in-stage quantiles reported: the median, p75 and p90."""

_QUANTILE_COLUMNS = ("median_hours", "p75_hours", "p90_hours")

_SECONDS_BITS = 48
"""Bits a stay's duration in seconds takes in a sort key: about nine million years."""

TIME_IN_STAGE = (
    "stays: entries into the stage at or before `at` whose times the data shows; ended: of "
    "those, the ones that left by `at` (the others are censored at `at`); median_hours, "
    "p75_hours, p90_hours: the Kaplan-Meier estimate of the time by which half, 75% and 90% of "
    "stays have ended, in hours (null when the estimate never falls that low: too many stays "
    "still open); inferred: stays left out because an import inferred their entry or exit "
    "(a stage walked through, a move the data does not date)"
)


@in_their_engine
def time_in_stage(events: Any, *, at: datetime) -> Report:
    """Time in stage per stage (median, p75, p90), open stays censored at ``at``.

    Args:
        events: An event table, in any engine narwhals reads.
        at: Now: stays still open are known to have lasted at least until then.

    A stay begun or ended by an inferred move (an import walked through the
    stage, or the data does not date the move: see
    :class:`~leadlife.LifecycleEvent`'s ``inferred``) is no
    time anyone spent there: it is left out, and counted in ``inferred``.

    Returns:
        Columns ``stage``, ``stays``, ``ended``, ``median_hours``, ``p75_hours``,
        ``p90_hours``, ``inferred``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, time_in_stage
        >>> events = demo_events()
        >>> time_in_stage(events, at=datetime(2026, 12, 1, tzinfo=UTC)).rows()[0]
        ('accepted', 3, 3, 26.0, 598.0, 598.0, 0)
    """
    now = moment("at", at)
    all_stays = stays(events)
    ended = ~nw.col("left_at").is_null() & (nw.col("left_at") <= now)
    until = nw.when(ended).then(nw.col("left_at")).otherwise(now)
    seen = all_stays.filter(nw.col("entered_at") <= now)
    grouped = (
        seen.filter(observed())
        .with_columns(
            seconds_between(nw.col("entered_at"), until, all_stays.implementation).alias("seconds"),
            ended.alias("ended"),
        )
        .group_by("stage", "seconds", "ended")
        .agg(nw.len().alias("n"))
        .collect()
    )
    inferred = {
        row["stage"]: int(row["n"])
        for row in seen.filter(~observed())
        .group_by("stage")
        .agg(nw.len().alias("n"))
        .collect()
        .to_arrow()
        .to_pylist()
    }
    rows: dict[str, tuple[Any, ...]] = {}
    for stage, seconds, done, counts in _by_stage(grouped.to_arrow()):
        quantiles = _quantiles(seconds, done, counts, QUANTILES)
        hours = tuple(None if found is None else found / 3600 for found in quantiles)
        ended_here = int(counts[done].sum())
        rows[stage] = (stage, int(counts.sum()), ended_here, *hours, inferred.pop(stage, 0))
    for stage, count in inferred.items():  # every stay of the stage inferred: none observed
        rows[stage] = (stage, 0, 0, *(None,) * len(QUANTILES), count)
    names = ("stage", "stays", "ended", *_QUANTILE_COLUMNS, "inferred")
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for row in (rows[stage] for stage in sorted(rows)):
        for name, value in zip(names, row, strict=True):
            columns[name].append(value)
    return report("time_in_stage", TIME_IN_STAGE, small_frame(columns, all_stays), ("stage",))


def _by_stage(table: pa.Table) -> Iterator[tuple[str, np.ndarray, np.ndarray, np.ndarray]]:
    """Each stage's (durations, ended, counts) from ``table``, sorted by stage and duration."""
    stages = pc.dictionary_encode(table.column("stage")).combine_chunks()
    if not len(stages):
        return
    # Sorted here, not by the engine: numpy sorts a few million integers in a fraction of
    # the time DuckDB takes to sort them beside a text column.
    names = stages.dictionary.to_pylist()
    rank = np.argsort(np.argsort(np.array(names, dtype=object)))  # each code's place by name
    codes = rank[stages.indices.to_numpy(zero_copy_only=False)]
    seconds = table.column("seconds").to_numpy().astype(np.int64)
    # One integer key (the stage's place above the duration, never negative here) sorts
    # several times faster than a two-key lexsort.
    order = np.argsort((codes.astype(np.int64) << _SECONDS_BITS) | seconds)
    codes, seconds = codes[order], seconds[order]
    done = table.column("ended").to_numpy(zero_copy_only=False).astype(bool)[order]
    counts = table.column("n").to_numpy().astype(np.int64)[order]
    by_rank = sorted(names)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    ends = [*starts[1:], len(codes)]
    for start, end in zip(starts, ends, strict=True):
        yield by_rank[codes[start]], seconds[start:end], done[start:end], counts[start:end]


def _quantiles(
    seconds: np.ndarray, done: np.ndarray, counts: np.ndarray, quantiles: tuple[float, ...]
) -> list[int | None]:
    """:func:`kaplan_meier_quantiles`, vectorised: the same products in the same order."""
    # ``seconds`` is sorted: each distinct duration starts where the value changes.
    first = np.flatnonzero(np.r_[True, seconds[1:] != seconds[:-1]])
    times = seconds[first]
    ended = np.add.reduceat(np.where(done, counts, 0), first)
    left = np.add.reduceat(counts, first)
    at_risk = counts.sum() - np.concatenate(([0], np.cumsum(left)[:-1]))
    factors = np.where(ended > 0, 1 - ended / np.maximum(at_risk, 1), 1.0)
    surviving = np.cumprod(factors)
    found: list[int | None] = []
    for quantile in quantiles:
        reached = np.flatnonzero((surviving <= 1 - quantile + 1e-12) & (ended > 0))
        found.append(int(times[reached[0]]) if len(reached) else None)
    return found


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
