"""What a command prints: tables for people, CSV or JSON for scripts (``--format``).

A command builds :class:`Shown` tables (the raw figures, and the same as a
person reads them) and hands them to :func:`emit`. People get rich tables,
figures aligned right; scripts get the raw values: CSV for one table (every
cell a spreadsheet would run as a formula escaped), JSON for any number.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

import attrs
import click
from rich.console import Console
from rich.table import Table

from leadlife._analytics.result import Report
from leadlife._core.support.display import numeric_columns
from leadlife._crm.files import write_rows

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("table", "csv", "json")
"""What ``--format`` takes."""


@attrs.frozen(kw_only=True)
class Shown:
    """One table a command prints: its title, what it means, its columns and rows."""

    name: str
    definition: str | None
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    """The raw values: what CSV and JSON write."""
    cells: tuple[tuple[str, ...], ...]
    """The same, as a person reads them: what the table shows."""

    @classmethod
    def of(cls, report: Report) -> Shown:
        """A report, shown."""
        return cls(
            name=report.name,
            definition=report.definition,
            columns=tuple(report.columns),
            rows=tuple(report.rows()),
            cells=tuple(tuple(row) for row in report.cells()),
        )


def format_option() -> Callable[[F], F]:
    """The ``--format`` option, the same on every command that prints tables."""
    return click.option(
        "--format",
        "shape",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="A table for people; CSV (one table) or JSON for scripts.",
    )


def emit(console: Console, shape: str, tables: Sequence[Shown], **about: Any) -> None:
    """Print ``tables`` in ``shape``; ``about`` (the file, its counts) goes into JSON's head.

    Raises:
        click.UsageError: CSV asked of more than one table.
    """
    if shape == "csv":
        if len(tables) != 1:
            raise click.UsageError(
                f"CSV holds one table and this prints {len(tables)} "
                f"({', '.join(table.name for table in tables)}): choose one with --report, "
                "or ask for --format json"
            )
        (table,) = tables
        rows = [dict(zip(table.columns, map(_text, row), strict=True)) for row in table.rows]
        click.echo(write_rows(rows, table.columns, None), nl=False)
    elif shape == "json":
        document = {
            **about,
            "tables": [
                {
                    "name": table.name,
                    "definition": table.definition,
                    "columns": list(table.columns),
                    "rows": [[_json(value) for value in row] for row in table.rows],
                }
                for table in tables
            ],
        }
        click.echo(json.dumps(document, ensure_ascii=False, allow_nan=False, indent=2))
    else:
        for table in tables:
            console.print(_rich(table))


def _rich(shown: Shown) -> Table:
    table = Table(title=shown.name, caption=shown.definition, caption_justify="left")
    rights = numeric_columns(shown.columns, shown.cells)
    for column, right in zip(shown.columns, rights, strict=True):
        table.add_column(column, justify="right" if right else "left")
    for row in shown.cells:
        table.add_row(*row)
    return table


def _json(value: Any) -> Any:
    """A raw value as JSON holds it: times and dates as ISO text, decimals as text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _text(value: Any) -> str:
    """A raw value as a CSV cell: empty for none."""
    if value is None:
        return ""
    written = _json(value)
    return written if isinstance(written, str) else str(written)
