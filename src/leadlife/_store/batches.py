"""Many appends, or many histories, in one transaction: how a book goes into a store.

The batch methods of :class:`~leadlife.store.EventStore`, in a class of their
own: one write lock, the records' versions read a chunk at a time, each append
checked as a single one is, every row in one statement (see ``bulk``).
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.values.ids import RecordId
from leadlife._store import bulk, keys
from leadlife._store.reads import Reads


class Batches(Reads):
    """The batch writes of an event store (see :class:`~leadlife.store.EventStore`)."""

    @abstractmethod
    def _lock_writes(self, cursor: Any) -> int:
        """Take the store's write lock, before anything is read; the last position stored."""

    @abstractmethod
    def _write(
        self,
        cursor: Any,
        last: int,
        stored: dict[tuple[str, str], int],
        batch: Sequence[bulk.Append],
    ) -> list[int]:
        """Check each append against the stored versions and histories; write them all."""

    def append_many(
        self,
        appends: Iterable[tuple[RecordId, Sequence[LifecycleEvent], int]],
        *,
        key: str | None = None,
    ) -> list[int]:
        """Several appends (``(record_id, events, expected_version)``) in one transaction.

        Each is checked as :meth:`append` checks one, under one write lock;
        the rows go to the database in one statement (``executemany`` on
        SQLite, ``COPY`` on PostgreSQL). Every append is written, or none: a
        stale version or a stale event anywhere in the batch writes nothing.
        ``key`` is an idempotency key for the whole batch, noted with its
        first append (:meth:`keyed` names that record and the version it
        reached): a batch that comes again with it writes nothing and returns
        the versions its records hold now.

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
            ...         id=LeadId(key),
            ...         contact=Contact(name="Ada"),
            ...         source=Source(channel="web"),
            ...         actor="x",
            ...     )
            ...     for key in ("L-1", "L-2")
            ... ]
            >>> _ = life.send(leads[1], "engage", actor="x")
            >>> with SQLiteStore(":memory:") as store:
            ...     store.append_many([(lead.record_id, lead.events, 0) for lead in leads])
            [1, 2]
        """
        batch = bulk.appends(appends)
        if key is not None:
            keys.checked("append_many", key)
        records = [append.record_id for append in batch]
        with self._lock, self._transaction() as cursor:
            last = self._lock_writes(cursor)
            stored = bulk.versions(cursor, self._sql, records)
            # The key names the batch by its first record (an empty batch writes nothing anyway).
            keyed = key if batch else None
            done = None
            if keyed is not None:
                done = keys.repeated("append_many", cursor, self._sql, keyed, records[0])
            if done is not None:
                return [stored.get(bulk.key(record), 0) for record in records]
            written = self._write(cursor, last, stored, batch)
            if keyed is not None:
                keys.note(cursor, self._sql, keyed, records[0], written[0])
            return written

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
        given, whole = bulk.wholes(histories, self._funnel)
        with self._lock, self._transaction() as cursor:
            last = self._lock_writes(cursor)
            stored = bulk.versions(cursor, self._sql, [append.record_id for append in whole])
            batch = [
                bulk.tail(
                    cursor, self._sql, history, append, stored.get(bulk.key(history.record_id), 0)
                )
                for history, append in zip(given, whole, strict=True)
            ]
            return self._write(cursor, last, stored, batch)
