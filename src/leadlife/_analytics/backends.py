"""What one engine does differently: kept here, so the reports read the same on all.

Each report is one narwhals expression tree; where an engine lacks an
operation, the equivalent it has is chosen here, by the frame's
implementation, and the tests prove the results equal on every engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw


def seconds_between(start: nw.Expr, end: nw.Expr, implementation: nw.Implementation) -> nw.Expr:
    """Whole seconds from ``start`` to ``end`` (never before it), truncated, as Int64.

    Spark has no duration type narwhals can take apart: its timestamps are
    read as seconds since the epoch (a double, exact to the microsecond for
    any date in this millennium), rounded to the microsecond so that a
    float's last bit never costs a whole second, then truncated like the
    other engines' ``total_seconds``.
    """
    if implementation.is_spark_like():
        micros = ((end.cast(nw.Float64) - start.cast(nw.Float64)) * 1_000_000).round(0)
        return micros.cast(nw.Int64) // 1_000_000
    if implementation.is_duckdb():
        # DuckDB subtracts time-zone-aware timestamps through ICU's calendar, some thirty
        # times slower than reading each as microseconds since the epoch (its epoch_us) and
        # subtracting integers. narwhals' total_microseconds is DuckDB's epoch_us; on a
        # timestamp it gives exactly that count (the tests compare every engine's figures).
        micros = end.dt.total_microseconds() - start.dt.total_microseconds()
        return micros // 1_000_000
    return (end - start).dt.total_seconds().cast(nw.Int64)


def neighbours(entries: nw.LazyFrame[Any], group: str, order: Sequence[str]) -> nw.LazyFrame[Any]:
    """``entries`` with each one's next and previous in its ``group`` (in ``order``).

    Adds ``left_at`` (the next entry's ``entered_at``), ``left_inferred``
    (whether the next entry is inferred), ``next_stage`` and
    ``previous_stage``. SQL engines (DuckDB, Spark) run a window partitioned by
    the group, which is what they are built for. Polars and pandas are faster
    sorting once and shifting the whole column (a window over a million small
    groups costs them five times more), so for them the entries are collected,
    put in order, shifted, and a shift across two groups is blanked out.
    """
    implementation = entries.implementation
    if not (implementation.is_polars() or implementation.is_pandas_like()):
        return entries.with_columns(
            nw.col("entered_at").shift(-1).over(group, order_by=order).alias("left_at"),
            nw.col("inferred").shift(-1).over(group, order_by=order).alias("left_inferred"),
            nw.col("stage").shift(-1).over(group, order_by=order).alias("next_stage"),
            nw.col("stage").shift(1).over(group, order_by=order).alias("previous_stage"),
        )
    collected = entries.collect()
    # Sorting the keys alone and gathering every column once by the result costs a third
    # less memory than sorting the whole frame (which carries every column through the sort).
    keys = collected.select(group, *order).with_row_index("_row").sort(group, *order)
    ordered = collected[keys["_row"]]
    same_next = nw.col(group).shift(-1) == nw.col(group)
    same_previous = nw.col(group).shift(1) == nw.col(group)
    return ordered.with_columns(
        nw.when(same_next).then(nw.col("entered_at").shift(-1)).alias("left_at"),
        nw.when(same_next).then(nw.col("inferred").shift(-1)).alias("left_inferred"),
        nw.when(same_next).then(nw.col("stage").shift(-1)).alias("next_stage"),
        nw.when(same_previous).then(nw.col("stage").shift(1)).alias("previous_stage"),
    ).lazy()
