"""Where the journeys are (inventory) and how they move (flow)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.result import Report, report
from leadlife._analytics.stays import moment, stays, window, within
from leadlife._core.support.errors import ValidationError

GROUPS = ("source_channel", "source_campaign", "owner", "record_kind")
"""What a stage count can be split by: the entering row's source, owner or record kind."""

INVENTORY = (
    "journeys in each stage at `at`: entered it at or before `at` and not yet left "
    "(each journey is in the stage of its latest entry)"
)
FLOW = (
    "entries into (in) and exits from (out) each stage within [since, until), by where they "
    "came from or went; an in-flow from nowhere is a new journey"
)


@in_their_engine
def inventory(events: Any, *, at: datetime, by: Sequence[str] = ()) -> Report:
    """How many journeys are in each stage at ``at`` (the balance).

    Args:
        events: An event table, in any engine narwhals reads.
        at: The moment counted.
        by: Split the counts by these columns (:data:`GROUPS`): the source, the
            owner or the record kind of the row that entered the stage.

    Returns:
        Columns ``*by``, ``stage``, ``journeys``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, inventory
        >>> events = demo_events()
        >>> inventory(events, at=datetime(2026, 4, 1, tzinfo=UTC)).rows()
        [('accepted', 1), ('disqualified', 1), ('do_not_contact', 1), ('growing', 1), ('lost', 1)]
    """
    for column in by:
        if column not in GROUPS:
            raise ValidationError(
                owner="inventory", field="by", value=column, expected=f"one of {', '.join(GROUPS)}"
            )
    now = moment("at", at)
    keys = (*by, "stage")
    held = stays(events).filter(
        (nw.col("entered_at") <= now) & (nw.col("left_at").is_null() | (nw.col("left_at") > now))
    )
    frame = held.group_by(*keys).agg(nw.len().alias("journeys")).collect()
    return report("inventory", INVENTORY, frame, keys)


@in_their_engine
def inventory_over(events: Any, *, at: Sequence[datetime]) -> Report:
    """The inventory at each of the moments ``at`` (period ends, say): how the balance changed.

    Returns:
        Columns ``as_of``, ``stage``, ``journeys``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, inventory_over
        >>> events = demo_events()
        >>> months = [datetime(2026, month, 1, tzinfo=UTC) for month in (4, 7)]
        >>> [(row[0].month, row[1], row[2]) for row in inventory_over(events, at=months).rows()][:2]
        [(4, 'accepted', 1), (4, 'disqualified', 1)]
    """
    if not at:
        raise ValidationError(
            owner="inventory_over", field="at", value=at, expected="at least one moment"
        )
    frame = nw.concat(
        [
            inventory(events, at=when)
            .frame.with_columns(moment("at", when).alias("as_of"))
            .select("as_of", "stage", "journeys")
            for when in at
        ]
    )
    return report("inventory_over", INVENTORY, frame, ("as_of", "stage"))


@in_their_engine
def flow(events: Any, *, since: datetime, until: datetime) -> Report:
    """In-flow and out-flow of every stage within ``[since, until)``, by where from and where to.

    Returns:
        Columns ``stage``, ``direction`` (``"in"`` or ``"out"``), ``other_stage``
        (where they came from or went; null for a new journey), ``journeys``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, flow
        >>> events = demo_events()
        >>> march = flow(
        ...     events,
        ...     since=datetime(2026, 3, 1, tzinfo=UTC),
        ...     until=datetime(2026, 4, 1, tzinfo=UTC),
        ... )
        >>> march.rows()[:2]
        [('accepted', 'in', 'sales_ready', 3), ('accepted', 'out', 'prospect', 2)]
    """
    start, end = window("flow", since, until)
    all_stays = stays(events)
    # An entry is the journey coming in from the stage before; leaving, going to the next.
    inflow = _side(all_stays.filter(within("entered_at", start, end)), "in", "previous_stage")
    outflow = _side(all_stays.filter(within("left_at", start, end)), "out", "next_stage")
    frame = nw.concat([inflow, outflow]).collect()
    return report("flow", FLOW, frame, ("stage", "direction", "other_stage"))


def _side(moved: nw.LazyFrame[Any], direction: str, other: str) -> nw.LazyFrame[Any]:
    """``moved`` stays counted by stage and ``other`` stage, as one direction of the flow."""
    return (
        moved.group_by("stage", other)
        .agg(nw.len().alias("journeys"))
        .select(
            "stage",
            nw.lit(direction).alias("direction"),
            nw.col(other).alias("other_stage"),
            nw.col("journeys").cast(nw.Int64),
        )
    )


@in_their_engine
def flow_over(events: Any, *, at: Sequence[datetime]) -> Report:
    """Flow in each period between consecutive moments ``at`` (month starts, say).

    The same numbers as :func:`flow` over ``[at[0], at[1])``, ``[at[1], at[2])``...,
    each row marked with its period's start.

    Returns:
        Columns ``period``, ``stage``, ``direction``, ``other_stage``, ``journeys``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, flow_over
        >>> months = [datetime(2026, month, 1, tzinfo=UTC) for month in (3, 4, 5)]
        >>> [
        ...     (row[0].month, row[1], row[2], row[4])
        ...     for row in flow_over(demo_events(), at=months).rows()
        ... ][:2]
        [(3, 'accepted', 'in', 3), (3, 'accepted', 'out', 2)]
    """
    if len(at) < 2:  # noqa: PLR2004 - a period needs two ends
        raise ValidationError(
            owner="flow_over", field="at", value=at, expected="two or more moments, in order"
        )
    frames = [
        flow(events, since=start, until=end)
        .frame.with_columns(moment("at", start).alias("period"))
        .select("period", "stage", "direction", "other_stage", "journeys")
        for start, end in pairwise(at)
    ]
    keys = ("period", "stage", "direction", "other_stage")
    return report("flow_over", FLOW, nw.concat(frames), keys)
