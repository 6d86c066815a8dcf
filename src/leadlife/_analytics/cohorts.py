"""Cohorts: journeys grouped by when, where from or by whom they were captured, down the funnel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.closed_loop import source_of_journey
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import check_stages
from leadlife._analytics.result import Report, report
from leadlife._analytics.segments import check_by
from leadlife._analytics.stays import stays
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel

COHORTS = ("capture_month", "source_channel", "source_campaign", "owner")
"""What journeys are grouped by most often: the month, source or owner of their capture;
besides, any segment or custom attribute of the table (see :data:`SEGMENTS`)."""

COHORT = (
    "journeys: journeys in the cohort (grouped by their capture: its month in UTC as YYYY-MM, "
    "its source, its owner); reached: those that ever entered the stage; share = reached / journeys"
)


@in_their_engine
def cohorts(
    events: Any,
    *,
    by: str = "capture_month",
    stages: Sequence[str],
    funnel: type[Funnel] | None = None,
) -> Report:
    """How far each cohort of journeys got: for each stage, how many of them ever reached it.

    Args:
        events: An event table (or a :class:`~leadlife.analytics.Book`), in any engine.
        by: ``"capture_month"`` (the month the journey began), or a segment
            (``"source_channel"``, ``"owner"``, ``"industry"``...) or custom
            attribute of the table (a deal's ``"product"``): the journey's value
            as its earliest row with one holds.
        stages: The stages to follow, in order.
        funnel: The funnel the events went through (the default funnel if
            ``None``): a stage that is neither its nor in the events is refused.

    Returns:
        Columns ``cohort``, ``stage``, ``journeys``, ``reached``, ``share``; cohorts in
        order, stages in the order given (a stage no journey reached is left out).

    Example:
        >>> from leadlife.analytics import cohorts, demo_events
        >>> cohorts(demo_events(), stages=["lead", "customer"]).rows()
        [('2026-03', 'lead', 5, 4, 0.8), ('2026-03', 'customer', 5, 1, 0.2)]
    """
    if not stages:
        raise ValidationError(
            owner="cohorts", field="stages", value=stages, expected="a stage or more"
        )
    all_stays = stays(events)
    if by != "capture_month":
        check_by("cohorts", by, all_stays.collect_schema().names(), also=("capture_month",))
    check_stages("cohorts", stages, all_stays, funnel)
    if by == "capture_month":
        captured = all_stays.filter((nw.col("record_kind") == "lead") & (nw.col("seq") == 0))
        # A month as text ("2026-03"): every engine formats a UTC time the same way.
        month = nw.col("entered_at").dt.to_string("%Y-%m")
        members = captured.select("journey_id", month.alias("cohort"))
    else:
        members = source_of_journey(all_stays, by).select(
            "journey_id", nw.col("source").alias("cohort")
        )
    sizes = members.group_by("cohort").agg(nw.len().alias("journeys"))
    entries = all_stays.filter(nw.col("stage").is_in(list(stages)))
    reached = (
        entries.select("journey_id", "stage")
        .unique(["journey_id", "stage"])
        .join(members, on="journey_id", how="inner")
        .group_by("cohort", "stage")
        .agg(nw.len().alias("reached"))
    )
    # Every cohort against every stage somebody reached: a cohort that reached none shows 0.
    grid = sizes.join(entries.select("stage").unique(["stage"]), how="cross")
    position = nw.lit(len(stages))
    for index, stage in reversed(list(enumerate(stages))):
        position = nw.when(nw.col("stage") == stage).then(nw.lit(index)).otherwise(position)
    frame = (
        grid.join(reached, on=["cohort", "stage"], how="left")
        .with_columns(nw.col("reached").fill_null(0), position.alias("_order"))
        .sort("cohort", "_order", nulls_last=True)
        .select(
            "cohort",
            "stage",
            nw.col("journeys").cast(nw.Int64),
            nw.col("reached").cast(nw.Int64),
            (nw.col("reached") / nw.col("journeys")).alias("share"),
        )
        .collect()
    )
    return report("cohorts", COHORT, frame, ())
