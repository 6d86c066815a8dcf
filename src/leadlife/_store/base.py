"""An append-only store of histories, on any SQL database: the contract and the shared SQL.

One table holds every event: its global position (gap-free, in commit
order, so a consumer that has read up to position ``p`` asks for what came
after ``p`` and misses nothing), the record it belongs to, its version
within the record's history (1, 2, 3...; unique, so two appends can never
both write version 4), and the event as leadlife's JSON document, exactly
as :func:`~leadlife.to_json` writes it. Nothing is ever updated or deleted.

Appends are optimistic: the caller says how many events of the record it
read (``expected_version``); inside one transaction the store takes the
write lock, compares, and either writes every event of the append or none.
The backends differ only in how they take that lock and number positions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from threading import Lock
from typing import Any, Self

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History, is_funnel
from leadlife._core.support import validation as check
from leadlife._core.support.errors import (
    ConcurrencyError,
    StoreError,
    ValidationError,
)
from leadlife._core.values.ids import RecordId
from leadlife._store import bulk, rows

_AN_ID = check.instance_of(RecordId, "a record id (LeadId, ProspectId, OpportunityId)")
_A_HISTORY = check.instance_of(History, "a History")
_A_VERSION = check.whole_number(0, "the number of events read, 0 or more")


def _key(record_id: RecordId) -> tuple[str, str]:
    """How the events table names a record: its kind and its id."""
    return record_id.kind.value, record_id.value


SCHEMA_VERSION = 1
"""The version of the store's tables; a store refuses tables of another version."""


@attrs.frozen(kw_only=True)
class StoredEvent:
    """An event as the store holds it.

    Attributes:
        position: Its place in the store's global sequence: 1, 2, 3..., gap-free, commit order.
        record_id: The record whose history it belongs to.
        version: Its place in that history: 1 for the creation event.
        event: The event.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="x",
        ... )
        >>> from leadlife.store import SQLiteStore
        >>> from leadlife.events import LeadCaptured
        >>> with SQLiteStore(":memory:") as store:
        ...     _ = store.append(lead.record_id, lead.events, expected_version=0)
        ...     (change,) = store.changes()
        >>> change.position, change.version, type(change.event) is LeadCaptured
        (1, 1, True)
    """

    position: int
    record_id: RecordId
    version: int
    event: LifecycleEvent


# The statements, with ``?`` for parameters; a backend whose driver spells them
# otherwise translates them once (see EventStore._sql).
VERSION = (
    "SELECT COALESCE(MAX(version), 0) FROM leadlife_events WHERE record_kind = ? AND record_id = ?"
)
INSERT = (
    "INSERT INTO leadlife_events (position, record_kind, record_id, version, event_type, at, "
    "document) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
EVENTS = (
    "SELECT document FROM leadlife_events WHERE record_kind = ? AND record_id = ? ORDER BY version"
)
CHANGES = (
    "SELECT position, record_kind, record_id, version, document FROM leadlife_events "
    "WHERE position > ? ORDER BY position"
)
EVERYTHING = (
    "SELECT record_kind, record_id, document FROM leadlife_events "
    "ORDER BY record_kind, record_id, version"
)
LAST_POSITION = "SELECT COALESCE(MAX(position), 0) FROM leadlife_events"
LAST_EVENT = (
    "SELECT version, document FROM leadlife_events WHERE record_kind = ? AND record_id = ? "
    "ORDER BY version DESC LIMIT 1"
)
SCHEMA_READ = "SELECT value FROM leadlife_meta WHERE key = ?"
SCHEMA_WRITE = "INSERT INTO leadlife_meta (key, value) VALUES (?, ?)"


def set_up(sql: Callable[[str], str], cursor: Any, statements: Sequence[str]) -> None:
    """Run the statements that create a store's tables; note or check the schema version.

    ``sql`` spells a statement's parameters as the driver does.

    Raises:
        StoreError: The tables were made by another version of leadlife.
    """
    for statement in statements:
        cursor.execute(statement)
    cursor.execute(sql(SCHEMA_READ), ("schema_version",))
    found = cursor.fetchone()
    if found is None:
        cursor.execute(sql(SCHEMA_WRITE), ("schema_version", str(SCHEMA_VERSION)))
    elif found[0] != str(SCHEMA_VERSION):
        raise StoreError(
            f"the store's tables are schema version {found[0]}; "
            f"this leadlife reads version {SCHEMA_VERSION}"
        )


class EventStore(ABC):
    """Histories kept append-only in a database, safe for concurrent writers.

    Use :class:`~leadlife.store.SQLiteStore` (embedded, the standard
    library) or :class:`~leadlife.store.PostgresStore` (production); both
    keep the same contract, checked by the same test suite.

    A store object may be shared by threads (its calls take turns on one
    connection); for writers that really run at once, give each its own
    store: the database keeps them apart.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="x",
        ... )
        >>> from leadlife.errors import ConcurrencyError
        >>> from leadlife.store import SQLiteStore
        >>> store = SQLiteStore(":memory:")
        >>> store.append(lead.record_id, lead.events, expected_version=0)
        1
        >>> try:  # a second writer that read nothing
        ...     store.append(lead.record_id, lead.events, expected_version=0)
        ... except ConcurrencyError as error:
        ...     print(error.expected, error.actual)
        0 1
        >>> store.close()
    """

    _PLACEHOLDER = "?"

    def __init__(self, funnel: FunnelRules | None = None) -> None:
        """Set up the lock that lets threads share the connection, and the funnel moves obey."""
        given: object = funnel
        if given is not None and not is_funnel(given):
            raise ValidationError(
                owner=type(self).__name__,
                field="funnel",
                value=funnel,
                expected="a Funnel class (DefaultFunnel, or one of yours) or None",
            )
        self._lock = Lock()
        self._funnel = funnel

    @property
    def funnel(self) -> FunnelRules | None:
        """The funnel every appended move is checked against, and histories are read with."""
        return self._funnel

    def _sql(self, statement: str) -> str:
        """``statement`` with its parameters as the driver spells them."""
        return statement.replace("?", self._PLACEHOLDER)

    # -- what each backend provides ------------------------------------------------------------

    @abstractmethod
    def _transaction(self, *, write: bool = True) -> AbstractContextManager[Any]:
        """A transaction on the store's connection (one that may write, or only reads); a cursor."""

    @abstractmethod
    def _reader(self) -> AbstractContextManager[Any]:
        """A cursor for a long read; on a connection of its own where it can, so writes go on."""

    @abstractmethod
    def _lock_writes(self, cursor: Any) -> int:
        """Take the store's write lock, before anything is read; the last position stored."""

    def _positions_used(self, cursor: Any, last: int) -> None:  # noqa: B027 - most need nothing
        """Note that positions up to ``last`` are used (the write lock is held)."""

    @abstractmethod
    def close(self) -> None:
        """Close the store's connection."""

    # -- the contract --------------------------------------------------------------------------

    def append(
        self, record_id: RecordId, events: Sequence[LifecycleEvent], *, expected_version: int
    ) -> int:
        """Append ``events`` to the record's history, if it still has ``expected_version`` events.

        Under the store's write lock, the append checks two things before it
        writes: that the stored history still has ``expected_version``
        events, and that ``events`` continue it, replayed onto the record the
        stored events make (the stage a move leaves is the stage the record
        stands in; a follow-up ended is one in force; times do not go back;
        and, for a store given a ``funnel``, every move is one the funnel
        makes). Either every event is written or none.

        Args:
            record_id: The record; every event must belong to it.
            events: The new events, oldest first (the history's tail).
            expected_version: How many of the record's events the caller read
                (0 for a new record).

        Returns:
            The history's new version (its number of events).

        Raises:
            ConcurrencyError: The store holds another number of events for
                the record: someone else appended first. Nothing was written.
            StaleWriteError: The events do not continue the stored history
                (a :class:`~leadlife.errors.ConcurrencyError` too): they were
                made from a stale view. Nothing was written.
            ValidationError: An event belongs to another record, or the
                arguments are not of the kinds named.
        """
        check.argument("append", "record_id", record_id, _AN_ID)
        check.argument("append", "expected_version", expected_version, _A_VERSION)
        return self._append(record_id, events, expected_version)

    def _append(
        self, record_id: RecordId, events: Sequence[LifecycleEvent], expected: int | None
    ) -> int:
        """Append, at ``expected`` events or (``None``) at the end of whatever is stored."""
        append = bulk.Append.of(record_id, events, expected)
        with self._lock, self._transaction() as cursor:
            # The lock first, then the version: read before it, the version could be stale
            # by the time this append writes.
            last = self._lock_writes(cursor)
            (written,) = self._write(cursor, last, self._stored(cursor, [record_id]), [append])
        return written

    def append_many(
        self, appends: Iterable[tuple[RecordId, Sequence[LifecycleEvent], int]]
    ) -> list[int]:
        """Several appends (``(record_id, events, expected_version)``) in one transaction.

        Each is checked as :meth:`append` checks one, under one write lock;
        the rows go to the database in one statement (``executemany`` on
        SQLite, ``COPY`` on PostgreSQL). Every append is written, or none: a
        stale version or a stale event anywhere in the batch writes nothing.

        Returns:
            Each record's new version, in the order given.

        Raises:
            ConcurrencyError: A record holds another number of events than its
                append expects (:class:`~leadlife.errors.StaleWriteError` if
                its events do not continue the stored history).
            ValidationError: An item is not ``(record_id, events,
                expected_version)``, an event belongs to another record, or
                a record is named twice.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.store import SQLiteStore
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> leads = [
            ...     life.capture(
            ...         id=LeadId(key), contact=Contact(name="Ada"), source=Source(), actor="x"
            ...     )
            ...     for key in ("L-1", "L-2")
            ... ]
            >>> _ = life.send(leads[1], "engage", actor="x")
            >>> with SQLiteStore(":memory:") as store:
            ...     store.append_many([(lead.record_id, lead.events, 0) for lead in leads])
            [1, 2]
        """
        batch: list[bulk.Append] = []
        for index, item in enumerate(rows.listed(appends, "append_many", "appends", "appends")):
            if not isinstance(item, tuple) or len(item) != 3:  # noqa: PLR2004 - the triple
                raise ValidationError(
                    owner="append_many",
                    field=f"appends[{index}]",
                    value=item,
                    expected="a (record_id, events, expected_version) tuple",
                )
            record_id, events, expected = item
            check.argument("append_many", f"appends[{index}].record_id", record_id, _AN_ID)
            version = f"appends[{index}].expected_version"
            check.argument("append_many", version, expected, _A_VERSION)
            batch.append(bulk.Append.of(record_id, events, expected))
        bulk.distinct(batch, "append_many", "appends")
        with self._lock, self._transaction() as cursor:
            last = self._lock_writes(cursor)
            stored = self._stored(cursor, [append.record_id for append in batch])
            return self._write(cursor, last, stored, batch)

    def save_many(self, histories: Iterable[History[Any]]) -> list[int]:
        """Store what each history holds that the store lacks, all in one transaction.

        :meth:`save` for many histories at once: the way to load a book. Each
        history is checked as :meth:`save` checks one; a history of a record
        the store does not hold is written as it is (it replays already,
        against its funnel, which is the store's or none), a grown one after
        what the store holds. Every history is written, or none.

        Returns:
            Each record's new version, in the order given.

        Raises:
            ConcurrencyError: The store holds events a history lacks, or others.
            ValidationError: Something given is not a History, or a record
                comes twice.
        """
        given = rows.listed(histories, "save_many", "histories", "histories")
        for index, history in enumerate(given):
            check.argument("save_many", f"histories[{index}]", history, _A_HISTORY)
        # Written as rows before the lock (a history the store holds part of, too: its
        # rows beyond that part are the ones kept).
        whole = [
            bulk.Append.of(
                history.record_id, history.events, None, checked=bulk.saving(history, self._funnel)
            )
            for history in given
        ]
        bulk.distinct(whole, "save_many", "histories")
        with self._lock, self._transaction() as cursor:
            last = self._lock_writes(cursor)
            stored = self._stored(cursor, [append.record_id for append in whole])
            batch = [
                self._tail(cursor, history, append, stored.get(_key(history.record_id), 0))
                for history, append in zip(given, whole, strict=True)
            ]
            return self._write(cursor, last, stored, batch)

    def _tail(
        self, cursor: Any, history: History[Any], whole: bulk.Append, stored: int
    ) -> bulk.Append:
        """What of ``history`` to write after the ``stored`` events (which it must hold)."""
        if not stored:
            return whole
        record_id = history.record_id
        cursor.execute(self._sql(LAST_EVENT), _key(record_id))
        document = cursor.fetchone()[1]
        last = rows.event(document, f"event {stored - 1} of {record_id!r}")
        if stored > len(history) or last != history[stored - 1]:
            cursor.execute(self._sql(EVENTS), _key(record_id))
            raise bulk.diverged(record_id, [kept for (kept,) in cursor.fetchall()], history)
        return attrs.evolve(
            whole,
            events=history[stored:],
            expected=stored,
            documents=whole.documents[stored:],
            checked=False,
        )

    def _stored(self, cursor: Any, records: Sequence[RecordId]) -> dict[tuple[str, str], int]:
        """How many events the store holds for each record (read under the write lock)."""
        if len(records) == 1:
            cursor.execute(self._sql(VERSION), _key(records[0]))
            return {_key(records[0]): int(cursor.fetchone()[0])}
        return bulk.versions(cursor, self._sql, records)

    def _write(
        self,
        cursor: Any,
        last: int,
        stored: dict[tuple[str, str], int],
        batch: Sequence[bulk.Append],
    ) -> list[int]:
        """Check each append against the stored versions and histories; write them all."""
        inserts: list[tuple[Any, ...]] = []
        written: list[int] = []
        position = last
        for append in batch:
            kind, key = _key(append.record_id)
            actual = stored.get((kind, key), 0)
            if append.expected is not None and actual != append.expected:
                raise ConcurrencyError(
                    record_id=append.record_id, expected=append.expected, actual=actual
                )
            if append.documents:
                if not (append.checked and actual == 0):
                    self._check_continues(cursor, append.record_id, actual, append.events)
                inserts += [
                    (position + offset + 1, kind, key, actual + offset + 1, *document)
                    for offset, document in enumerate(append.documents)
                ]
                position += len(append.documents)
            written.append(actual + len(append.documents))
        if inserts:
            self._insert(cursor, inserts)
            self._positions_used(cursor, position)
        return written

    def _insert(self, cursor: Any, inserts: list[tuple[Any, ...]]) -> None:
        """Write the rows, in one statement."""
        cursor.executemany(self._sql(INSERT), inserts)

    def _check_continues(
        self, cursor: Any, record_id: RecordId, stored: int, events: Sequence[LifecycleEvent]
    ) -> None:
        """Refuse ``events`` unless they continue the stored history (read under the lock)."""
        kept: list[str] = []
        if stored:
            cursor.execute(self._sql(EVENTS), (record_id.kind.value, record_id.value))
            kept = [document for (document,) in cursor.fetchall()]
        rows.check_continues(kept, record_id, events, self._funnel)

    def save(self, history: History[Any]) -> int:
        """Store the events of ``history`` the store does not hold yet; the new version.

        For a history read from this store and grown since: its first events
        must be the stored ones (their number is the expected version). It
        reads one stored event, the last, whatever the history's length.

        Raises:
            ConcurrencyError: The store holds events the history lacks (someone
                else appended since it was read); ``expected`` is how many of
                the stored events the history agrees with.
        """
        check.argument("save", "history", history, _A_HISTORY)
        record_id = history.record_id
        with self._lock, self._transaction(write=False) as cursor:
            cursor.execute(self._sql(LAST_EVENT), (record_id.kind.value, record_id.value))
            row = cursor.fetchone()
        stored = 0 if row is None else int(row[0])
        # The store only grows, and the history was read from it: if the history holds the
        # stored last event in its place, it holds every stored event before it too.
        last = None if row is None else rows.event(row[1], f"event {stored - 1} of {record_id!r}")
        if stored and (stored > len(history) or last != history[stored - 1]):
            events = self.events(record_id)  # the rare case: say how far they agree
            agreed = rows.agreeing(events, history)
            raise ConcurrencyError(record_id=record_id, expected=agreed, actual=len(events))
        return self.append(record_id, history[stored:], expected_version=stored)

    def sink(self) -> Callable[[LifecycleEvent], None]:
        """A :class:`~leadlife.StageRecorder` sink: each event appended to its record's history.

        The event goes at the end of the history the store holds, if it
        continues it: a move made from a stale row (two requests moved the
        same lead from the stage both had read) is refused with
        :class:`~leadlife.errors.StaleWriteError`, which stops the move (the
        recorder leaves the row where it was); reload the row and try again.
        With a store joined to your transaction (``SQLiteStore.joining``,
        ``PostgresStore.joining``), the event commits or rolls back with
        your row.

        Raises:
            StoreError: The store holds no history of the record: store its
                creation event first (when the row is created).
        """

        def append(event: LifecycleEvent) -> None:
            given: object = event
            if not isinstance(given, LifecycleEvent):
                raise ValidationError(
                    owner="sink", field="event", value=event, expected="a leadlife event"
                )
            self._append(event.record_id, [event], None)

        return append

    def version(self, record_id: RecordId) -> int:
        """How many events the store holds for the record (0: none)."""
        check.argument("version", "record_id", record_id, _AN_ID)
        with self._lock, self._transaction(write=False) as cursor:
            cursor.execute(self._sql(VERSION), (record_id.kind.value, record_id.value))
            return int(cursor.fetchone()[0])

    def events(self, record_id: RecordId) -> list[LifecycleEvent]:
        """The record's events, oldest first (empty if the store holds none)."""
        check.argument("events", "record_id", record_id, _AN_ID)
        with self._lock, self._transaction(write=False) as cursor:
            cursor.execute(self._sql(EVENTS), (record_id.kind.value, record_id.value))
            found = cursor.fetchall()
        return [
            rows.event(document, f"event {index} of {record_id!r}")
            for index, (document,) in enumerate(found)
        ]

    def history(self, record_id: RecordId, *, funnel: FunnelRules | None = None) -> History[Any]:
        """The record's history, replayed (and checked against ``funnel``, or the store's).

        Raises:
            StoreError: The store holds no events for the record.
        """
        events = self.events(record_id)
        if not events:
            raise StoreError(f"the store holds no history of {record_id!r}")
        return History(events, funnel=self._funnel if funnel is None else funnel)

    def changes(self, since: int = 0) -> Iterator[StoredEvent]:
        """Every event stored after position ``since``, in position order, streamed.

        A consumer that keeps the last position it handled and asks again
        from there sees every event once, in the order they were committed.
        """
        version_check = check.whole_number(0, "a position, 0 or more")
        check.argument("changes", "since", since, version_check)
        with self._reader() as cursor:
            cursor.execute(self._sql(CHANGES), (since,))
            for position, kind, key, version, document in rows.batches(cursor):
                where = f"event at position {position}"
                yield StoredEvent(
                    position=int(position),
                    record_id=rows.record_id(kind, key, where),
                    version=int(version),
                    event=rows.event(document, where),
                )

    def histories(self, *, funnel: FunnelRules | None = None) -> Iterator[History[Any]]:
        """Every history in the store, one at a time (memory holds one history, not the store).

        Each is checked against ``funnel``, or the store's.
        """
        funnel = self._funnel if funnel is None else funnel
        with self._reader() as cursor:
            cursor.execute(EVERYTHING)
            current: tuple[str, str] | None = None
            events: list[LifecycleEvent] = []
            for kind, key, document in rows.batches(cursor):
                if (kind, key) != current and events:
                    yield History(events, funnel=funnel)
                    events = []
                current = (kind, key)
                events.append(rows.event(document, f"event {len(events)} of {kind} {key!r}"))
            if events:
                yield History(events, funnel=funnel)

    @property
    def position(self) -> int:
        """The last position stored (0 for an empty store)."""
        with self._lock, self._transaction(write=False) as cursor:
            cursor.execute(LAST_POSITION)
            return int(cursor.fetchone()[0])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
