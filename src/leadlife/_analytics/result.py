"""A report's result: a small table that says what it measured and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs
import narwhals.stable.v2 as nw
import pyarrow as pa

from leadlife._core.support import display
from leadlife._core.support.display import plural


@attrs.frozen(kw_only=True, repr=False)
class Report(display.ShownAsGrid):
    """The result of one report: a small frame, and what it measures.

    Attributes:
        name: The report's name (``"inventory"``, ``"conversion"``...).
        definition: What each number is, as the docs define it (see :doc:`/analytics`).
        frame: The figures, as a narwhals frame of the engine the events came in.
        keys: The columns that identify a row; the others are figures.
        backend: The engine the events came in, where the figures were
            collected in another (``"pyarrow"``, ``"duckdb"``, ``"pyspark"``):
            what :attr:`native` turns them back into; ``None`` otherwise.
        session: The Spark session the events came in, for a Spark result.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import event_schema, inventory
        >>> report = inventory(event_schema().empty_table(), at=datetime(2026, 3, 2, tzinfo=UTC))
        >>> report.rows()
        []
    """

    name: str
    definition: str
    frame: nw.DataFrame[Any]
    keys: tuple[str, ...]
    backend: Literal["pyarrow", "duckdb", "pyspark"] | None = None
    session: Any = attrs.field(default=None, eq=False)

    @property
    def native(self) -> Any:
        """The figures as a frame of the engine the events came in.

        A polars, pandas or Arrow frame for events in one of those; a DuckDB
        relation (on DuckDB's default connection) for a DuckDB relation; a
        Spark DataFrame (in the same session) for a Spark one. A
        :class:`~leadlife.analytics.Book`'s are in the engine it computes in.
        """
        if self.backend is None:
            return self.frame.to_native()
        if self.backend == "pyarrow":
            return self.frame.to_arrow()
        return self.frame.lazy(backend=self.backend, session=self.session).to_native()

    @property
    def columns(self) -> list[str]:
        """The column names, keys first."""
        return list(self.frame.columns)

    def to_arrow(self) -> pa.Table:
        """The figures as a ``pyarrow.Table``."""
        return self.frame.to_arrow()

    def rows(self) -> list[tuple[Any, ...]]:
        """The figures as plain Python tuples, in the report's order.

        The same events give the same rows on every engine: this is what the
        tests compare.
        """
        table = self.to_arrow().select(self.columns)  # pandas may add its index
        return [tuple(row.values()) for row in table.to_pylist()]

    def __repr__(self) -> str:
        return f"<Report {self.name}: {len(self.frame)} rows of {', '.join(self.columns)}>"

    _SHOWN = 50
    """How many rows a display shows."""

    def cells(self, limit: int | None = None) -> list[list[str]]:
        """The figures as a person reads them: rates as percentages, thousands separated.

        Example:
            >>> from leadlife.analytics import demo_events, tier_ratios
            >>> tier_ratios(demo_events()).cells()[1]
            ['lead', '4', '4', '80.0%']
        """
        rates = [is_rate(column) for column in self.columns]
        return [
            [cell(value, rate=rate) for value, rate in zip(row, rates, strict=True)]
            for row in self.rows()[:limit]
        ]

    def _grid(self) -> display.Grid:
        """Its figures (rates as percentages), and what they mean under them."""
        shown = self.cells(self._SHOWN)
        more = len(self.frame) - len(shown)
        note = self.definition + (f" ({plural(more, 'more row')} not shown)" if more else "")
        return self.name, self.columns, shown, note


def is_rate(column: str) -> bool:
    """Whether a report's column holds a rate (a share of one), shown as a percentage."""
    return (
        column == "of_previous"
        or column.startswith("won_by_")
        or not _RATE_WORDS.isdisjoint(column.split("_"))
    )


_RATE_WORDS = frozenset({"rate", "share", "probability"})


def cell(value: Any, *, rate: bool = False) -> str:
    """A figure as a report shows it: ``—`` for none, a rate as a percentage, minutes.

    Example:
        >>> cell(0.8, rate=True), cell(2 / 3), cell(4673.2), cell(12345), cell(None)
        ('80.0%', '0.6667', '4,673', '12,345', '—')
    """
    if value is None:
        return display.NONE
    if isinstance(value, float):
        if rate:
            return f"{value:.1%}"
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"  # noqa: PLR2004
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(value)


_COUNTS = frozenset({"journeys", "entered", "converted", "exits", "moves"})


def report(name: str, definition: str, frame: nw.DataFrame[Any], keys: tuple[str, ...]) -> Report:
    """A report of ``frame``, its rows in the order of ``keys`` (nulls last)."""
    # Counts are Int64 on every engine (pandas and DuckDB would say otherwise).
    counts = [name for name in frame.columns if name in _COUNTS]
    frame = frame.with_columns(nw.col(*counts).cast(nw.Int64)) if counts else frame
    ordered = frame.sort(*keys, nulls_last=True) if keys and len(frame) else frame
    return Report(name=name, definition=definition, frame=ordered, keys=keys)


def small_frame(columns: dict[str, list[Any]], like: nw.LazyFrame[Any]) -> nw.DataFrame[Any]:
    """A few rows computed in Python, as a frame of the engine ``like`` collects to."""
    implementation = like.implementation
    backend: Literal["polars", "pandas", "pyarrow"] = "pyarrow"
    if implementation.is_polars():
        backend = "polars"
    elif implementation.is_pandas():
        backend = "pandas"
    return nw.from_dict(columns, backend=backend)
