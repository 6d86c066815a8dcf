"""The event table as a process-mining event log (pm4py's column names).

Process-mining tools read a log as cases, activities and timestamps. For a
funnel the case is the journey and the activity is the stage it entered, so
a tool's directly-follows graph is the funnel's moves as they happened.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.stays import kind_order

CASE, ACTIVITY, TIMESTAMP = "case:concept:name", "concept:name", "time:timestamp"
"""The column names pm4py (and the XES standard) give the case, the activity and the time."""


def process_log(events: Any) -> Any:
    """The stage entries of an event table, as a process-mining log, in the frame's own engine.

    One row per entry into a stage (the table's ``entered`` rows), ordered by
    journey and time; at the same instant a lead comes before the prospect
    made from it, and that prospect before its opportunity. Every column of
    the table is kept beside pm4py's three:

    * ``case:concept:name``: the journey (``journey_id``);
    * ``concept:name``: the stage entered (``to_stage``);
    * ``time:timestamp``: when (``at``, UTC).

    Args:
        events: An event table in any frame narwhals reads (pandas, polars
            eager or lazy, pyarrow, DuckDB, PySpark).

    Returns:
        A frame of the same engine.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.analytics import event_table, process_log
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="form",
        ... )
        >>> _ = life.send(lead, "engage", actor="sam")
        >>> process_log(event_table([lead]))["concept:name"].to_pylist()
        ['suspect', 'lead']
    """
    frame = nw.from_native(events)
    log = (
        frame.filter(nw.col("entered"))
        .with_columns(
            nw.col("journey_id").alias(CASE),
            nw.col("to_stage").alias(ACTIVITY),
            nw.col("at").alias(TIMESTAMP),
            kind_order().alias("_kind_order"),
        )
        .sort(CASE, TIMESTAMP, "_kind_order", "seq")
        .drop("_kind_order")
    )
    return nw.to_native(log)
