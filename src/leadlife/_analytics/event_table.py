"""The event table in Arrow: record batches, a table, a Parquet file, a frame of any engine."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import islice
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leadlife._analytics.columns import AMOUNT_TYPE, EVENT_COLUMNS
from leadlife._analytics.rows import Journeys, Row
from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import MAX_DECIMAL_PLACES, MAX_INTEGER_DIGITS

BATCH_SIZE = 65_536
"""Rows per record batch unless told otherwise."""

_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "int32": pa.int32(),
    "bool": pa.bool_(),
    "double": pa.float64(),
    "date32[day]": pa.date32(),
    "timestamp[us, tz=UTC]": pa.timestamp("us", tz="UTC"),
    AMOUNT_TYPE: pa.decimal128(MAX_INTEGER_DIGITS + MAX_DECIMAL_PLACES, MAX_DECIMAL_PLACES),
}


@cache
def event_schema() -> pa.Schema:
    """The event table's Arrow schema, from :data:`~leadlife.analytics.EVENT_COLUMNS`.

    Example:
        >>> from leadlife.analytics import event_schema
        >>> event_schema().field("at").type
        TimestampType(timestamp[us, tz=UTC])
    """
    return pa.schema(
        [pa.field(c.name, _TYPES[c.dtype], nullable=c.nullable) for c in EVENT_COLUMNS]
    )


def event_batches(
    histories: Iterable[Sequence[LifecycleEvent]],
    *,
    batch_size: int = BATCH_SIZE,
    attributes: Sequence[str] = (),
) -> Iterator[pa.RecordBatch]:
    """The event table of ``histories``, as Arrow record batches of ``batch_size`` rows.

    Histories are read one at a time (a generator reading them from storage
    keeps memory flat); each record's rows come together, in its history's
    order. See :doc:`/analytics` for the columns.

    Args:
        histories: Histories, or lists of events, of leads, prospects and
            opportunities, in any order.
        batch_size: Rows per batch (the last may have fewer).
        attributes: Custom attributes to add as columns after the table's own,
            each named as the attribute: the record's value as of the row
            (text as it is, other values as JSON; null when it has none).
            Every report's ``by`` reads them (the product of a deal, a
            custom field of an import).

    Example:
        >>> from leadlife._adapters.demo import run
        >>> from leadlife.analytics import event_batches
        >>> journeys, _ = run()
        >>> histories = [history for journey in journeys for history in journey]
        >>> [batch.num_rows for batch in event_batches(histories, batch_size=20)]
        [20, 20, 14]
    """
    check.argument("event_batches", "batch_size", batch_size, check.whole_number(1, "1 or more"))
    schema = schema_with(attributes)
    rows = Journeys(attributes).rows(histories)
    while batch := list(islice(rows, batch_size)):
        yield _batch(batch, schema)


def schema_with(attributes: Sequence[str]) -> pa.Schema:
    """The event table's schema, with a text column for each custom attribute asked for.

    Raises:
        ValidationError: An attribute is not text, is asked for twice, or is
            named as one of the table's own columns.
    """
    schema = event_schema()
    given: Any = attributes  # a caller without a type checker may pass anything
    names: list[Any] = [given] if isinstance(given, str) else list(given)
    for name in names:
        if not isinstance(name, str) or not name.strip() or name in schema.names:
            raise ValidationError(
                owner="event_table",
                field="attributes",
                value=name,
                expected="the name of a custom attribute, not one of the table's own columns",
            )
    if len(set(names)) != len(names):
        raise ValidationError(
            owner="event_table", field="attributes", value=names, expected="each name once"
        )
    return pa.schema([*schema, *(pa.field(name, pa.string()) for name in names)])


def event_table(
    histories: Iterable[Sequence[LifecycleEvent]], *, attributes: Sequence[str] = ()
) -> pa.Table:
    """The event table of ``histories``, as one ``pyarrow.Table``.

    ``attributes``: custom attributes to add as columns (see :func:`event_batches`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.analytics import event_table
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="form",
        ... )
        >>> _ = life.send(lead, "engage", actor="sam")
        >>> event_table([lead]).select(["record_id", "event_type", "to_stage"]).to_pylist()[1]
        {'record_id': 'L-1', 'event_type': 'StageChanged', 'to_stage': 'lead'}
    """
    schema = schema_with(attributes)
    batches = event_batches(histories, attributes=attributes)
    return pa.Table.from_batches(list(batches), schema=schema)


def write_parquet(
    histories: Iterable[Sequence[LifecycleEvent]],
    path: str | os.PathLike[str],
    *,
    batch_size: int = BATCH_SIZE,
    attributes: Sequence[str] = (),
) -> int:
    """Write the event table of ``histories`` to a Parquet file, batch by batch.

    The file holds everything the reports need: they read it without leadlife
    records (``polars.scan_parquet``, ``duckdb.read_parquet``, Spark...).
    ``attributes``: custom attributes to add as columns (see :func:`event_batches`).

    Returns:
        The number of rows written.

    Example:
        >>> import tempfile, pathlib
        >>> from leadlife._adapters.demo import run
        >>> from leadlife.analytics import write_parquet
        >>> journeys, _ = run()
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     write_parquet(
        ...         [h for j in journeys for h in j], pathlib.Path(folder) / "events.parquet"
        ...     )
        54
    """
    written = 0
    with pq.ParquetWriter(os.fspath(path), schema_with(attributes)) as writer:
        for batch in event_batches(histories, batch_size=batch_size, attributes=attributes):
            writer.write_batch(batch)
            written += batch.num_rows
    return written


def event_frame(histories: Iterable[Sequence[LifecycleEvent]], *, backend: str = "polars") -> Any:
    """The event table of ``histories`` as a frame of ``backend``: polars, pandas or pyarrow.

    The frame keeps the table's types: timezone-aware UTC timestamps, exact
    decimal amounts, nullable booleans.

    Example:
        >>> from leadlife._adapters.demo import run
        >>> from leadlife.analytics import event_frame
        >>> journeys, _ = run()
        >>> frame = event_frame([h for j in journeys for h in j], backend="polars")
        >>> frame.height, frame["journey_id"].n_unique()
        (54, 5)
    """
    table = event_table(histories)
    if backend == "pyarrow":
        return table
    if backend == "polars":
        import polars as pl  # noqa: PLC0415 - an optional engine, imported when asked for

        return pl.from_arrow(table)
    if backend == "pandas":
        import pandas as pd  # noqa: PLC0415 - an optional engine, imported when asked for

        return table.to_pandas(types_mapper=pd.ArrowDtype)
    raise ValidationError(
        owner="event_frame", field="backend", value=backend, expected="polars, pandas or pyarrow"
    )


def _batch(rows: list[Row], schema: pa.Schema) -> pa.RecordBatch:
    columns = list(zip(*rows, strict=True))
    return pa.RecordBatch.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)],
        schema=schema,
    )
