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

from abc import abstractmethod
from collections.abc import Callable, Sequence
from threading import Lock
from typing import Any, Self

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History, is_funnel
from leadlife._core.support import validation as check
from leadlife._core.support.errors import (
    ConcurrencyError,
    ValidationError,
)
from leadlife._core.values.ids import RecordId
from leadlife._store import bulk, keys, rows
from leadlife._store.batches import Batches
from leadlife._store.statements import EVENTS, INSERT, LAST_EVENT


class EventStore(Batches):
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

    # -- what each backend provides ------------------------------------------------------------

    @abstractmethod
    def _lock_writes(self, cursor: Any) -> int:
        """Take the store's write lock, before anything is read; the last position stored."""

    def _positions_used(self, cursor: Any, last: int) -> None:
        """Note that positions up to ``last`` are used (the write lock is held)."""

    @abstractmethod
    def close(self) -> None:
        """Close the store's connection."""

    # -- the contract --------------------------------------------------------------------------

    def append(
        self,
        record_id: RecordId,
        events: Sequence[LifecycleEvent],
        *,
        expected_version: int,
        key: str | None = None,
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
            key: An idempotency key (a form submission's id, a webhook delivery's):
                the store notes it with the append, in the same transaction, and
                an append that comes again with a key it has noted writes
                nothing and returns the version the first one reached, whatever
                its ``expected_version`` and ``events`` (a retry carries the
                version read before the first try). :meth:`keyed` tells whether
                a key was used.

        Returns:
            The history's new version (its number of events).

        Raises:
            ConcurrencyError: The store holds another number of events for
                the record: someone else appended first. Nothing was written.
            StaleWriteError: The events do not continue the stored history
                (a :class:`~leadlife.errors.ConcurrencyError` too): they were
                made from a stale view. Nothing was written.
            ValidationError: An event belongs to another record, the key was
                used for another record's append, or the arguments are not of
                the kinds named.
        """
        check.argument("append", "record_id", record_id, rows.AN_ID)
        check.argument("append", "expected_version", expected_version, rows.A_VERSION)
        if key is not None:
            keys.checked("append", key)
        return self._append(record_id, events, expected_version, key)

    def _append(
        self,
        record_id: RecordId,
        events: Sequence[LifecycleEvent],
        expected: int | None,
        key: str | None = None,
    ) -> int:
        """Append, at ``expected`` events or (``None``) at the end of whatever is stored."""
        append = bulk.Append.of(record_id, events, expected)
        with self._lock, self._transaction() as cursor:
            # The lock first, then the version (and the key): read before it, either could be
            # stale by the time this append writes.
            last = self._lock_writes(cursor)
            if key is not None:
                done = keys.repeated("append", cursor, self._sql, key, record_id)
                if done is not None:
                    return done
            stored = bulk.versions(cursor, self._sql, [record_id])
            (written,) = self._write(cursor, last, stored, [append])
            if key is not None:
                keys.note(cursor, self._sql, key, record_id, written)
        return written

    def _write(
        self,
        cursor: Any,
        last: int,
        stored: dict[tuple[str, str], int],
        batch: Sequence[bulk.Append],
    ) -> list[int]:
        """Check each append against the stored versions and histories; write them all."""
        plan = bulk.Plan.of(
            batch,
            stored,
            last,
            lambda record_id, actual, events: self._check_continues(
                cursor, record_id, actual, events
            ),
        )
        if plan.inserts:
            self._insert(cursor, plan.inserts)
            self._positions_used(cursor, plan.position)
        return plan.written

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

    def save(self, history: History[Any], *, key: str | None = None) -> int:
        """Store the events of ``history`` the store does not hold yet; the new version.

        For a history read from this store and grown since: its first events
        must be the stored ones (their number is the expected version). It
        reads one stored event, the last, whatever the history's length.
        ``key`` is an idempotency key, as for :meth:`append`: a save that
        comes again with it writes nothing and returns what the first reached.

        Raises:
            ConcurrencyError: The store holds events the history lacks (someone
                else appended since it was read); ``expected`` is how many of
                the stored events the history agrees with.
        """
        check.argument("save", "history", history, rows.A_HISTORY)
        record_id = history.record_id
        if key is not None:
            keys.checked("save", key)
            with self._lock, self._transaction(write=False) as cursor:
                done = keys.repeated("save", cursor, self._sql, key, record_id)
            if done is not None:
                return done
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
        return self.append(record_id, history[stored:], expected_version=stored, key=key)

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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
