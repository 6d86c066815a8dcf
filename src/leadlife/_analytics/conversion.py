"""Conversion between stages, both ways people mean it, and the 8-4-2-1 tier ratios."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Any, Literal

import narwhals.stable.v2 as nw

from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import check_stages, roles_of
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import left_inferred, stays, window, within
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel


class Basis(StrEnum):
    """What a conversion rate from stage A to stage B divides by what.

    Example:
        >>> from leadlife.analytics import Basis
        >>> Basis.COHORT.value
        'cohort'
    """

    COHORT = "cohort"
    """Of the journeys that entered A within the window, the share that ever entered B after."""
    PERIOD = "period"
    """Moves straight from A to B within the window, over entries into A within it (can pass 1)."""


COHORT = (
    "entered: journeys that entered from_stage within [since, until); converted: those of them "
    "that entered to_stage at or after their first entry to from_stage in the window, at any "
    "time since; rate = converted / entered"
)
PERIOD = (
    "entered: entries into from_stage within [since, until); converted: moves from from_stage "
    "straight to to_stage within it; rate = converted / entered (moves may come from entries "
    "before the window, so it can pass 1)"
)


@in_their_engine
def conversion(
    events: Any,
    *,
    stages: Sequence[str],
    since: datetime,
    until: datetime,
    basis: Basis = Basis.COHORT,
    funnel: type[Funnel] | None = None,
    inferred: Literal["count", "skip"] = "count",
) -> Report:
    """Conversion between consecutive ``stages`` (a path through the funnel), within a window.

    Args:
        events: An event table, in any engine narwhals reads.
        stages: The path: rates are given for each stage to the next.
        since: The window's start (inclusive).
        until: The window's end (exclusive).
        basis: Cohort-based or period-based (:class:`Basis`).
        funnel: The funnel the events went through (the default funnel if
            ``None``): a stage that is neither its nor in the events is refused.
        inferred: How an entry an import inferred counts (a stage walked
            through on the way to one the data dates, the lead a deals table
            implies: see :class:`~leadlife.LifecycleEvent`'s
            ``inferred``): ``"count"``, as reaching the
            stage (a deal won went through its stages, whether the data says
            or not); ``"skip"``, as not there (only what the data shows).

    Returns:
        Columns ``from_stage``, ``to_stage``, ``entered``, ``converted``,
        ``rate`` (``None`` when nothing entered), one row per step, in the
        path's order.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, conversion
        >>> events = demo_events()
        >>> march = conversion(
        ...     events,
        ...     stages=["suspect", "lead", "sales_ready"],
        ...     since=datetime(2026, 3, 1, tzinfo=UTC),
        ...     until=datetime(2026, 4, 1, tzinfo=UTC),
        ... )
        >>> march.rows()
        [('suspect', 'lead', 5, 4, 0.8), ('lead', 'sales_ready', 4, 3, 0.75)]
    """
    if len(stages) < 2 or len(set(stages)) != len(stages):  # noqa: PLR2004 - a step needs two
        raise ValidationError(
            owner="conversion", field="stages", value=stages, expected="two or more distinct stages"
        )
    if inferred not in ("count", "skip"):
        raise ValidationError(
            owner="conversion", field="inferred", value=inferred, expected="'count' or 'skip'"
        )
    start, end = window("conversion", since, until)
    steps = list(pairwise(stages))
    all_stays = stays(events)
    check_stages("conversion", stages, all_stays, funnel)
    if inferred == "skip":
        # An inferred entry is no entry; a move into one is no move.
        all_stays = all_stays.filter(~nw.col("inferred")).with_columns(
            nw.when(~left_inferred()).then(nw.col("next_stage")).alias("next_stage")
        )
    if Basis(basis) is Basis.COHORT:
        entered, converted = _cohort(all_stays, steps, start, end)
    else:
        entered, converted = _period(all_stays, steps, start, end)
    rows: dict[str, list[Any]] = {
        "step": [],
        "from_stage": [],
        "to_stage": [],
        "entered": [],
        "converted": [],
        "rate": [],
    }
    for index, (source, target) in enumerate(steps):
        ins, outs = entered.get(source, 0), converted.get(source, 0)
        rows["step"].append(index)
        rows["from_stage"].append(source)
        rows["to_stage"].append(target)
        rows["entered"].append(ins)
        rows["converted"].append(outs)
        rows["rate"].append(outs / ins if ins else None)
    frame = small_frame(rows, all_stays).drop("step")
    definition = COHORT if Basis(basis) is Basis.COHORT else PERIOD
    definition += (
        "; entries an import inferred count as entries"
        if inferred == "count"
        else "; entries an import inferred are left out (only what the data shows)"
    )
    return report(f"conversion ({Basis(basis).value})", definition, frame, ())


def _cohort(
    all_stays: nw.LazyFrame[Any], steps: list[tuple[str, str]], start: nw.Expr, end: nw.Expr
) -> tuple[dict[str, int], dict[str, int]]:
    sources = [source for source, _ in steps]
    next_of = nw.lit(None, dtype=nw.String)
    for source, target in reversed(steps):
        next_of = nw.when(nw.col("stage") == source).then(nw.lit(target)).otherwise(next_of)
    cohort = (
        all_stays.filter(within("entered_at", start, end) & nw.col("stage").is_in(sources))
        .group_by("journey_id", "stage")
        .agg(nw.col("entered_at").min().alias("first_at"))
        .with_columns(next_of.alias("target"))
    )
    reached = all_stays.select(
        "journey_id", nw.col("stage").alias("target"), nw.col("entered_at").alias("reached_at")
    )
    converted = (
        cohort.join(reached, on=["journey_id", "target"], how="inner")
        .filter(nw.col("reached_at") >= nw.col("first_at"))
        .unique(["journey_id", "stage"])
    )
    return _counts(cohort, "stage"), _counts(converted, "stage")


def _period(
    all_stays: nw.LazyFrame[Any], steps: list[tuple[str, str]], start: nw.Expr, end: nw.Expr
) -> tuple[dict[str, int], dict[str, int]]:
    sources = [source for source, _ in steps]
    entries = all_stays.filter(within("entered_at", start, end) & nw.col("stage").is_in(sources))
    step = nw.lit(value=False)
    for source, target in steps:
        step = step | ((nw.col("stage") == source) & (nw.col("next_stage") == target))
    moves = all_stays.filter(within("left_at", start, end) & step)
    return _counts(entries, "stage"), _counts(moves, "stage")


def _counts(frame: nw.LazyFrame[Any], key: str) -> dict[str, int]:
    counted = frame.group_by(key).agg(nw.len().alias("n")).collect()
    return {row[key]: int(row["n"]) for row in counted.to_arrow().to_pylist()}


TIERS = (
    "journeys: every journey that reached the tier or a later one (reached = entered any of "
    "its stages; the first tier counts every journey); per_last: journeys over the last "
    "tier's journeys (the 8-4-2-1 rule reads these); of_previous: over the previous tier's"
)


@in_their_engine
def tier_ratios(
    events: Any,
    *,
    tiers: Sequence[tuple[str, Sequence[str]]] | None = None,
    funnel: type[Funnel] | None = None,
) -> Report:
    """The 8-4-2-1 tier ratios (suspect : lead : prospect : customer; 8 : 4 : 2 : 1 in most teams).

    Args:
        events: An event table, in any engine narwhals reads.
        tiers: Each tier's name and stages, from the widest to the narrowest;
            the first tier's stages are ignored (every journey is in it).
            The funnel's own four tiers if ``None`` (:attr:`FunnelRoles.tiers
            <leadlife.FunnelRoles.tiers>`).
        funnel: The funnel the events went through; the default funnel if ``None``.

    Returns:
        Columns ``tier``, ``journeys``, ``per_last`` and ``of_previous``.

    Example:
        >>> from leadlife.analytics import demo_events, tier_ratios
        >>> for row in tier_ratios(demo_events()).rows():
        ...     print(row)
        ('suspect', 5, 5.0, None)
        ('lead', 4, 4.0, 0.8)
        ('prospect', 2, 2.0, 0.5)
        ('customer', 1, 1.0, 0.5)
    """
    if tiers is None:
        tiers = roles_of(funnel).tiers
    if len(tiers) < 2:  # noqa: PLR2004 - a ratio needs two
        raise ValidationError(
            owner="tier_ratios", field="tiers", value=tiers, expected="two or more tiers"
        )
    level = nw.lit(0)
    for index, (_, stages) in enumerate(tiers[1:], start=1):
        level = nw.when(nw.col("stage").is_in(list(stages))).then(nw.lit(index)).otherwise(level)
    all_stays = stays(events)
    reached = (
        all_stays.with_columns(level.alias("level"))
        .group_by("journey_id")
        .agg(nw.col("level").max())
        .group_by("level")
        .agg(nw.len().alias("n"))
        .collect()
    )
    at_level = {int(row["level"]): int(row["n"]) for row in reached.to_arrow().to_pylist()}
    counts = [sum(n for lvl, n in at_level.items() if lvl >= index) for index in range(len(tiers))]
    last = counts[-1]
    rows: dict[str, list[Any]] = {
        "tier": [name for name, _ in tiers],
        "journeys": counts,
        "per_last": [count / last if last else None for count in counts],
        "of_previous": [None]
        + [count / previous if previous else None for previous, count in pairwise(counts)],
    }
    frame = small_frame(rows, all_stays)
    return report("tier_ratios", TIERS, frame, ())
