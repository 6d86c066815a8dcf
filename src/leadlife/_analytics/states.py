"""Every record as it stands, as columns: a book replayed in bulk, without building records.

Each row of the event table carries what an analyst filters on as it was
*after* that event: the stage, the owner, the source, the company's segment,
the deal's amount and odds. So a record as it stood at any time is its last
row at or before that time, and a whole book of them is one window over the
table, run by whatever engine holds it: no history is replayed in Python.
The tests check these columns against :func:`~leadlife.replay` of each
history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.stays import lazy_events, moment

STATE_COLUMNS = (
    "journey_id",
    "record_id",
    "record_kind",
    "stage",
    "owner",
    "source_channel",
    "source_campaign",
    "company_size",
    "industry",
    "region",
    "amount",
    "currency",
    "win_probability",
)
"""The columns of :func:`record_states`, then ``events`` and ``last_at``."""


RECORD = ("journey_id", "record_id")
"""What tells records apart in an event table: an id is only unique within its journey."""


def last_rows(frame: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """Each record's last row of ``frame``: the record as its last event there left it."""
    last = nw.col("seq").max().over(*RECORD)
    return frame.with_columns(last.alias("_last")).filter(nw.col("seq") == nw.col("_last"))


def record_states(events: Any, *, at: datetime | None = None) -> Any:
    """Every record as it stood at ``at`` (now, if ``None``): one row each, as columns.

    Args:
        events: An event table (or a :class:`~leadlife.analytics.Book`), in any
            engine narwhals reads.
        at: The moment: events after it are left out, and records created
            after it have no row.

    Returns:
        A frame of the events' own engine (polars, pandas, DuckDB, Spark;
        a polars frame for an Arrow table) with :data:`STATE_COLUMNS`,
        ``events`` (how many events the record had by then) and ``last_at``
        (when the last of them happened), ordered by journey and record.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, record_states
        >>> states = record_states(demo_events(), at=datetime(2026, 4, 1, tzinfo=UTC))
        >>> states.select("record_id", "stage", "events").head(3).rows()
        [('L-1', 'prospect', 7), ('O-1', 'growing', 9), ('P-1', 'discovery', 2)]
    """
    frame = lazy_events(events)
    if at is not None:
        frame = frame.filter(nw.col("at") <= moment("at", at))
    latest = (
        last_rows(frame.with_columns(nw.len().over(*RECORD).alias("events")))
        .select(*STATE_COLUMNS, nw.col("events").cast(nw.Int64), nw.col("at").alias("last_at"))
        .sort(*RECORD)
    )
    implementation = latest.implementation
    if implementation.is_spark_like() or implementation.is_duckdb():
        return latest.to_native()  # the engine's own lazy frame: it decides when to run
    native = latest.collect().to_native()
    if implementation.is_pandas_like():
        return native.reset_index(drop=True)  # rows numbered 0..n, not by their event rows
    return native
