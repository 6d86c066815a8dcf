"""What every store reads: a record's events and history, the change feed, every history.

The read side of :class:`~leadlife.store.EventStore`, in a class of its own:
the backends give the connection (a transaction, a long reader, the lock
threads take turns on), these read through it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager
from threading import Lock
from typing import Any

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import StoreError
from leadlife._core.values.ids import RecordId
from leadlife._store import keys, rows
from leadlife._store.statements import CHANGES, EVENTS, EVERYTHING, LAST_POSITION, VERSION


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


class Reads(ABC):
    """The reads of an event store (see :class:`~leadlife.store.EventStore`)."""

    _PLACEHOLDER = "?"
    _lock: Lock
    _funnel: FunnelRules | None

    def _sql(self, statement: str) -> str:
        """``statement`` with its parameters as the driver spells them."""
        return statement.replace("?", self._PLACEHOLDER)

    @abstractmethod
    def _transaction(self, *, write: bool = True) -> AbstractContextManager[Any]:
        """A transaction on the store's connection (one that may write, or only reads); a cursor."""

    @abstractmethod
    def _reader(self) -> AbstractContextManager[Any]:
        """A cursor for a long read; on a connection of its own where it can, so writes go on."""

    def version(self, record_id: RecordId) -> int:
        """How many events the store holds for the record (0: none)."""
        check.argument("version", "record_id", record_id, rows.AN_ID)
        with self._lock, self._transaction(write=False) as cursor:
            cursor.execute(self._sql(VERSION), (record_id.kind.value, record_id.value))
            return int(cursor.fetchone()[0])

    def keyed(self, key: str) -> keys.KeyedAppend | None:
        """The append the store made with idempotency ``key`` (see :meth:`append`); ``None``: none.

        Raises:
            ValidationError: ``key`` is not a key (text of 1 to 200 characters, not blank).
        """
        keys.checked("keyed", key)
        with self._lock, self._transaction(write=False) as cursor:
            return keys.find(cursor, self._sql, key)

    def events(self, record_id: RecordId) -> list[LifecycleEvent]:
        """The record's events, oldest first (empty if the store holds none)."""
        check.argument("events", "record_id", record_id, rows.AN_ID)
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
