"""A book kept in Parquet that reads back into the same histories: every field, versioned.

The event table (:func:`~leadlife.analytics.write_parquet`) is for reports:
columns the engines read, and the facts the reports need, nothing more. An
archive is for keeping: one row an event, in its record's order, with the
columns a query filters on (the record, the event's version in its history,
its type, its time, who did it) and the event itself, every field, as the
history document writes it (``data``). The file says what it is and the
schema it was written in (its Parquet metadata), so a leadlife that cannot
read it says so.

Reading it back is reading a book: each event as strictly as any document,
each history checked as it replays, the row columns checked against the
events they stand beside (a row's record, version, type and time must be
its event's), and a record's rows together, versions 1, 2, 3...: a row lost,
repeated or out of place is an error naming it, never a history with a hole.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from leadlife._adapters.documents import SCHEMA_VERSION, event_from_text, event_to_text
from leadlife._analytics.event_table import BATCH_SIZE
from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History
from leadlife._core.support.errors import (
    ImportFileError,
    LeadlifeError,
    SchemaVersionError,
)

ARCHIVE_FORMAT = 1
"""The version of the archive's layout (its columns); its events carry the document schema."""

_FORMAT_KEY = b"leadlife.archive"
_SCHEMA_KEY = b"leadlife.schema"


def archive_schema() -> pa.Schema:
    """The archive's Arrow schema, with the metadata that says what the file is.

    Example:
        >>> from leadlife.analytics import archive_schema
        >>> archive_schema().names
        ['record_kind', 'record_id', 'version', 'event_type', 'at', 'actor', 'data']
    """
    return pa.schema(
        [
            pa.field("record_kind", pa.string(), nullable=False),
            pa.field("record_id", pa.string(), nullable=False),
            pa.field("version", pa.int32(), nullable=False),
            pa.field("event_type", pa.string(), nullable=False),
            pa.field("at", pa.timestamp("us", tz="UTC"), nullable=False),
            pa.field("actor", pa.string(), nullable=False),
            pa.field("data", pa.large_string(), nullable=False),
        ],
        metadata={
            _FORMAT_KEY: str(ARCHIVE_FORMAT).encode(),
            _SCHEMA_KEY: str(SCHEMA_VERSION).encode(),
        },
    )


def write_archive(
    histories: Iterable[Sequence[LifecycleEvent]], path: str | os.PathLike[str]
) -> int:
    """Keep ``histories`` in a Parquet archive at ``path``: every event, every field.

    Histories are read one at a time (a generator reading them from a store
    keeps memory flat), each record's events together, in order. Read the
    archive back with :func:`read_archive`.

    Returns:
        The number of events written.

    Example:
        >>> import tempfile, pathlib
        >>> from leadlife._adapters.demo import run
        >>> from leadlife.analytics import read_archive, write_archive
        >>> journeys, _ = run()
        >>> book = [history for journey in journeys for history in journey]
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder) / "book.parquet"
        ...     written = write_archive(book, path)
        ...     again = list(read_archive(path))
        >>> written, [list(h.events) for h in again] == [list(h.events) for h in book]
        (54, True)
    """
    schema = archive_schema()
    written = 0
    columns: dict[str, list[Any]] = {name: [] for name in schema.names}
    with pq.ParquetWriter(os.fspath(path), schema) as writer:
        for history in histories:
            for version, event in enumerate(history, start=1):
                record = event.record_id
                columns["record_kind"].append(record.kind.value)
                columns["record_id"].append(record.value)
                columns["version"].append(version)
                columns["event_type"].append(type(event).__name__)
                columns["at"].append(event.at.astimezone(UTC))
                columns["actor"].append(event.actor)
                columns["data"].append(event_to_text(event))
                written += 1
            if len(columns["data"]) >= BATCH_SIZE:
                writer.write_batch(pa.record_batch(columns, schema=schema))
                columns = {name: [] for name in schema.names}
        if columns["data"]:
            writer.write_batch(pa.record_batch(columns, schema=schema))
    return written


def read_archive(
    path: str | os.PathLike[str], *, funnel: FunnelRules | None = None
) -> Iterator[History[Any]]:
    """The histories a :func:`write_archive` archive holds, one at a time, checked.

    Each history replays (against ``funnel`` when given), exactly as it was
    written; memory holds one history and a batch of rows.

    Raises:
        ImportFileError: The file is not a leadlife archive (not Parquet, or
            without the archive's columns or metadata), or a row is lost,
            repeated, out of place or does not match its event.
        SchemaVersionError: The archive was written in a layout or a document
            schema this leadlife does not read.
        StructureError: A row's event is not a valid event (the error names the row).
        ReplayError: A history does not replay.

    Example:
        >>> import tempfile, pathlib
        >>> from leadlife._adapters.demo import run
        >>> from leadlife.analytics import read_archive, write_archive
        >>> journeys, _ = run()
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder) / "book.parquet"
        ...     _ = write_archive(journeys[0], path)
        ...     [history.record.stage for history in read_archive(path)]
        ['prospect', 'discovery', 'growing']
    """
    where = os.fspath(path)
    file = _opened(where)
    _check_layout(where, file.schema_arrow)
    current: tuple[str, str] | None = None
    events: list[LifecycleEvent] = []
    number = 0
    for batch in file.iter_batches(batch_size=BATCH_SIZE):
        rows = batch.to_pydict()
        for kind, key, version, event_type, at, actor, data in zip(
            rows["record_kind"],
            rows["record_id"],
            rows["version"],
            rows["event_type"],
            rows["at"],
            rows["actor"],
            rows["data"],
            strict=True,
        ):
            number += 1
            if (kind, key) != current:
                if events:
                    yield _history(where, current, events, funnel)
                current, events = (kind, key), []
            if version != len(events) + 1:
                raise _row(
                    where,
                    number,
                    f"holds version {version} of {kind} {key!r}; expected "
                    f"version {len(events) + 1} (a row lost, repeated or out of place)",
                )
            event = _event(where, number, data)
            if (
                (event.record_id.kind.value, event.record_id.value) != (kind, key)
                or type(event).__name__ != event_type
                or event.at != at
                or event.actor != actor
            ):
                raise _row(where, number, "its columns do not match its event")
            events.append(event)
    if events:
        yield _history(where, current, events, funnel)


def _opened(where: str) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(where)
    except (OSError, pa.ArrowException) as error:
        raise ImportFileError(
            file=where, problem=f"it is not a Parquet file leadlife can read ({error})"
        ) from None


def _check_layout(where: str, schema: pa.Schema) -> None:
    metadata = schema.metadata or {}
    if _FORMAT_KEY not in metadata:
        raise ImportFileError(
            file=where,
            problem="it is not a leadlife archive (no 'leadlife.archive' in its metadata): "
            "write one with leadlife.analytics.write_archive",
        )
    for key, supported in ((_FORMAT_KEY, (ARCHIVE_FORMAT,)), (_SCHEMA_KEY, (SCHEMA_VERSION,))):
        found = metadata.get(key, b"").decode(errors="replace")
        if not found.isdigit() or int(found) not in supported:
            raise SchemaVersionError(found=found, supported=supported)
    expected = archive_schema()
    for field in expected:
        if schema.get_field_index(field.name) < 0 or schema.field(field.name).type != field.type:
            raise ImportFileError(
                file=where,
                problem=f"its column {field.name!r} is missing or is not {field.type}",
            )


def _event(where: str, number: int, data: str) -> LifecycleEvent:
    try:
        return event_from_text(data)
    except LeadlifeError as error:
        error.add_note(f"in row {number} of the archive {where}")
        raise


def _history(
    where: str,
    record: tuple[str, str] | None,
    events: list[LifecycleEvent],
    funnel: FunnelRules | None,
) -> History[Any]:
    try:
        return History(events, funnel=funnel)
    except LeadlifeError as error:
        error.add_note(f"the history of {record} in the archive {where}")
        raise


def _row(where: str, number: int, problem: str) -> ImportFileError:
    return ImportFileError(file=where, line=number, problem=f"row {number} {problem}")
