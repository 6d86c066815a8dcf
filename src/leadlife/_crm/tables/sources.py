"""A table's rows as text, whatever holds them: a CSV or Parquet file, or a dataframe.

The readers read cells as text, the way a CSV export holds them, so that one
path checks every value whatever the source (a time, an amount, a status
each parsed where its meaning is known). A dataframe's values are written
as text without loss: a time as ISO 8601 (its zone kept), a decimal as its
digits, a float by its shortest exact form (a whole one as an integer); a
missing value (null, NaN, NaT) is a blank cell.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from leadlife._core.support.errors import ImportFileError, MissingExtraError
from leadlife._crm.files import ENCODING, Table
from leadlife._crm.files import read_table as read_csv

TableSource = str | Path | IO[str] | IO[bytes] | Iterable[Mapping[str, Any]] | Any
"""What :func:`~leadlife.crm.read_table` reads: a CSV or Parquet file, an open CSV file,
rows already read, or a dataframe of any engine narwhals knows (pandas, polars, pyarrow...)."""


def table_of(
    source: TableSource, *, required: Sequence[str], label: str, encoding: str = ENCODING
) -> Table:
    """The rows of ``source`` as text, numbered as a spreadsheet shows them (header: row 1).

    Raises:
        ImportFileError: The file cannot be read, or lacks a column the mapping names.
        MissingExtraError: A Parquet file or a dataframe, without narwhals and pyarrow.
    """
    if isinstance(source, str | Path) and Path(source).suffix.lower() in (".parquet", ".pq"):
        return _frame_table(_parquet(Path(source)), required, label, str(source))
    if isinstance(source, str | Path) or hasattr(source, "read") or _rows(source):
        return read_csv(source, columns=required, required=required, file=label, encoding=encoding)
    return _frame_table(source, required, label, label)


def _rows(source: Any) -> bool:
    """Whether ``source`` is rows already read (a list of mappings), not a dataframe."""
    return isinstance(source, list | tuple) or (
        isinstance(source, Iterable) and not hasattr(source, "columns")
    )


def _extra(module: str, needed_by: str) -> Any:
    """``module`` of the analytics extra, imported when a file or a frame asks for it."""
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - the analytics extra brings them
        raise MissingExtraError(
            package=module.split(".", maxsplit=1)[0], extra="analytics", needed_by=needed_by
        ) from None


def _parquet(path: Path) -> Any:
    pq = _extra("pyarrow.parquet", "reading a Parquet file")
    try:
        return pq.read_table(path)
    except OSError as error:
        raise ImportFileError(file=str(path), problem=f"cannot be read: {error}") from None
    except Exception as error:  # noqa: BLE001 - Arrow's errors for a file that is not Parquet
        raise ImportFileError(file=str(path), problem=f"is not Parquet: {error}") from None


def _frame_table(frame: Any, required: Sequence[str], label: str, name: str) -> Table:
    nw = _extra("narwhals", "reading a dataframe")
    try:
        native = nw.from_native(frame)
    except TypeError:
        raise ImportFileError(
            file=name,
            problem=f"is {type(frame).__name__}: not a file, rows, or a dataframe narwhals knows",
        ) from None
    eager = native.collect() if isinstance(native, nw.LazyFrame) else native
    header = [str(column) for column in eager.columns]
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportFileError(
            file=name,
            line=1,
            problem=f"has no {', '.join(map(repr, missing))} column; found: "
            f"{', '.join(header) or 'nothing'}",
        )
    rows = tuple(
        (number, {str(column): as_text(value) for column, value in row.items()})
        for number, row in enumerate(eager.iter_rows(named=True), start=2)
    )
    return Table(file=label, rows=rows, misfits=())


def as_text(value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    """A dataframe's value as a CSV export writes it; blank when missing.

    Example:
        >>> from datetime import UTC, datetime
        >>> from decimal import Decimal
        >>> from leadlife._crm.tables.sources import as_text
        >>> as_text(datetime(2017, 1, 5, 9, 30, tzinfo=UTC)), as_text(Decimal("1054.10"))
        ('2017-01-05T09:30:00+00:00', '1054.10')
        >>> as_text(float("nan")), as_text(None), as_text(0.1), as_text(3160.0), as_text(True)
        ('', '', '0.1', '3160', 'true')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        # A float has no decimal places to keep: 3160.0 is the integer a column of
        # whole numbers holds once a missing value has made it float (pandas does).
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, datetime | date):
        text = value.isoformat()
        return "" if text == "NaT" else text  # pandas' missing time is a datetime too
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    return "" if text in ("NaT", "nan", "<NA>") else text
