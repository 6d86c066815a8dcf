"""A report in the engine its events came in: a DuckDB relation for a DuckDB relation.

Reports compute on the events' own engine and collect their few rows; the
lazy engines (DuckDB, Spark) collect to Arrow, and an Arrow table is computed
through polars or DuckDB (Arrow has no window functions). So that ``report.native`` is a
frame of the caller's engine, each report function is wrapped here: its
result remembers the engine (and the Spark session) of the events it was
given, and turns its rows back into a frame of that engine when asked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Literal, ParamSpec

import attrs
import narwhals.stable.v2 as nw

from leadlife._analytics.result import Report
from leadlife._analytics.stays import Book

P = ParamSpec("P")


def in_their_engine(report_of: Callable[P, Report]) -> Callable[P, Report]:
    """``report_of``, its result's ``native`` in the engine of the events it was given."""

    @functools.wraps(report_of)
    def reported(*args: P.args, **kwargs: P.kwargs) -> Report:
        made = report_of(*args, **kwargs)
        given: tuple[Any, ...] = args
        events = given[0] if given else kwargs.get("events")
        backend, session = _their_engine(events)
        if backend is None:
            return made
        return attrs.evolve(made, backend=backend, session=session)

    return reported


def _their_engine(events: Any) -> tuple[Literal["pyarrow", "duckdb", "pyspark"] | None, Any]:
    """The engine of ``events`` (and Spark's session) where the figures must be turned back.

    ``None`` where they are collected in it already (polars, pandas).
    """
    frame: Any = events.events if isinstance(events, Book) else events
    try:
        implementation = nw.from_native(frame).implementation
    except TypeError:  # pragma: no cover - the report refused these events already
        return None, None
    if implementation.is_pyarrow():  # computed through polars or DuckDB: Arrow again
        return "pyarrow", None
    if implementation.is_duckdb():
        return "duckdb", None
    if implementation.is_pyspark():
        native = frame.to_native() if isinstance(frame, nw.LazyFrame) else frame
        return "pyspark", native.sparkSession
    return None, None
