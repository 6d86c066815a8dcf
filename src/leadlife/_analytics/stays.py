"""Stays: each time a journey entered a stage, and when and where it went next.

Every report is built on this one derived table, written once against
narwhals: a journey is in one stage at a time, the stage of its latest
entry, so a stay runs from one entry to the journey's next entry. At the
same instant a lead comes before the prospect made from it, and that
prospect before its opportunity. A journey with a growth deal beside its won
one (two records at once) follows its latest entry, whichever record it was.
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from typing import Any, Literal

import narwhals.stable.v2 as nw

from leadlife._core import validation as check
from leadlife._core.errors import MissingExtraError, ValidationError

_ORDER = ["entered_at", "_kind_order", "seq"]


def lazy_events(events: Any) -> nw.LazyFrame[Any]:
    """Any event table narwhals reads, as a lazy frame of its own engine."""
    try:
        frame: nw.DataFrame[Any] | nw.LazyFrame[Any] = nw.from_native(events)
    except TypeError as error:
        raise ValidationError(
            owner="report",
            field="events",
            value=events,
            expected="an event table: a pyarrow Table, or a pandas, polars, DuckDB or Spark frame",
        ) from error
    missing = {"journey_id", "entered", "to_stage", "at"} - set(frame.columns)
    if missing:
        raise ValidationError(
            owner="report",
            field="events",
            value=sorted(frame.columns)[:8],
            expected=f"the event table's columns (missing {', '.join(sorted(missing))})",
        )
    if not isinstance(frame, nw.DataFrame):
        return frame
    if frame.implementation.is_pyarrow():
        # Arrow computes no window functions: a table is read through an engine that does.
        return frame.lazy(backend=_arrow_engine())
    return frame.lazy()


def _arrow_engine() -> Literal["polars", "duckdb"]:
    engines: tuple[Literal["polars", "duckdb"], ...] = ("polars", "duckdb")
    for engine in engines:
        if importlib.util.find_spec(engine) is not None:
            return engine
    raise MissingExtraError(
        package="polars", extra="analytics", needed_by="a report on an Arrow table"
    )


def stays(events: Any) -> nw.LazyFrame[Any]:
    """One row per stage entry: when the journey entered, when it left, and for where.

    Columns: ``journey_id``, ``stage``, ``entered_at``, ``left_at`` (null while
    it is still there), ``previous_stage``, ``next_stage``, ``journey_start``
    (its first entry), and from the entering row ``record_kind``,
    ``source_channel``, ``source_campaign``, ``owner``.
    """
    kind = nw.col("record_kind")
    entries = (
        lazy_events(events)
        .filter(nw.col("entered"))
        .select(
            "journey_id",
            nw.col("to_stage").alias("stage"),
            nw.col("at").alias("entered_at"),
            "record_kind",
            "seq",
            "source_channel",
            "source_campaign",
            "owner",
            nw.when(kind == "lead")
            .then(nw.lit(0))
            .when(kind == "prospect")
            .then(nw.lit(1))
            .otherwise(nw.lit(2))
            .alias("_kind_order"),
        )
    )
    return entries.with_columns(
        nw.col("entered_at").shift(-1).over("journey_id", order_by=_ORDER).alias("left_at"),
        nw.col("stage").shift(-1).over("journey_id", order_by=_ORDER).alias("next_stage"),
        nw.col("stage").shift(1).over("journey_id", order_by=_ORDER).alias("previous_stage"),
        nw.col("entered_at").min().over("journey_id").alias("journey_start"),
    )


def moment(name: str, value: datetime) -> nw.Expr:
    """A timezone-aware time as a literal the engines compare with the table's times."""
    check.argument("report", name, value, check.aware_datetime)
    # Untyped: DuckDB only takes a time zone that is its connection's (Etc/UTC, not UTC).
    return nw.lit(value.astimezone(UTC))


def window(name: str, since: datetime, until: datetime) -> tuple[nw.Expr, nw.Expr]:
    """``since`` and ``until`` as literals, ``since`` before ``until``."""
    start, end = moment("since", since), moment("until", until)
    if until <= since:
        raise ValidationError(
            owner=name, field="until", value=until, expected=f"a time after since ({since})"
        )
    return start, end


def within(column: str, since: nw.Expr, until: nw.Expr) -> nw.Expr:
    """``since <= column < until``."""
    return (nw.col(column) >= since) & (nw.col(column) < until)
