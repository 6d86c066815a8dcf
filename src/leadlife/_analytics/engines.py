"""What one engine does differently: kept here, so the reports read the same on all.

Each report is one narwhals expression tree; where an engine lacks an
operation, the equivalent it has is chosen here, by the frame's
implementation, and the tests prove the results equal on every engine.
"""

from __future__ import annotations

import narwhals.stable.v2 as nw


def seconds_between(start: nw.Expr, end: nw.Expr, implementation: nw.Implementation) -> nw.Expr:
    """Whole seconds from ``start`` to ``end`` (truncated), as Int64.

    Spark has no duration type narwhals can take apart: its timestamps are
    read as seconds since the epoch (a double, exact to the microsecond for
    any date in this millennium), rounded to the microsecond so that a
    float's last bit never costs a whole second, then truncated like the
    other engines' ``total_seconds``.
    """
    if implementation.is_spark_like():
        micros = ((end.cast(nw.Float64) - start.cast(nw.Float64)) * 1_000_000).round(0)
        return micros.cast(nw.Int64) // 1_000_000
    return (end - start).dt.total_seconds().cast(nw.Int64)
