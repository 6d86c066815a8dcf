"""A report's result: a small table that says what it measured and how."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import attrs
import narwhals.stable.v2 as nw
import pyarrow as pa

from leadlife._core.support import display


@attrs.frozen(kw_only=True, repr=False)
class Report:
    """The result of one report: a small frame, and what it measures.

    Attributes:
        name: The report's name (``"inventory"``, ``"conversion"``...).
        definition: What each number is, as the docs define it (see :doc:`/analytics`).
        frame: The figures, as a narwhals frame of the engine the events came in.
        keys: The columns that identify a row; the others are figures.

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

    @property
    def native(self) -> Any:
        """The figures as a frame of the engine the events came in (polars, pandas, pyarrow...)."""
        return self.frame.to_native()

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
    """How many rows a notebook shows."""

    def _display(self) -> tuple[list[list[str]], str]:
        rows = self.rows()
        shown = [[cell(value) for value in row] for row in rows[: self._SHOWN]]
        more = len(rows) - len(shown)
        note = self.definition + (f" ({more} more rows not shown)" if more else "")
        return shown, note

    def _repr_html_(self) -> str:
        """The report in a notebook: its figures, and what they mean under them."""
        rows, note = self._display()
        return display.html_grid(f"{self.name}", self.columns, rows, note)

    def _repr_markdown_(self) -> str:
        """The report as Markdown: its figures, and what they mean under them."""
        rows, note = self._display()
        return display.markdown_grid(self.name, self.columns, rows) + f"\n\n_{note}_"


def cell(value: Any) -> str:
    """A figure as a report shows it: ``—`` for none, four significant digits, minutes."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
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
