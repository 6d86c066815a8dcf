"""The embedded store: SQLite, from the standard library, in WAL mode."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from leadlife._core.journal.history import FunnelRules
from leadlife._core.support.errors import StoreError, ValidationError
from leadlife._store import schema
from leadlife._store.base import EventStore
from leadlife._store.statements import LAST_POSITION

TOUCH = "UPDATE leadlife_meta SET value = value WHERE key = 'schema_version'"

BUSY_TIMEOUT_MS = 30_000
"""How long a writer waits for another process's write to finish before it gives up."""


class SQLiteStore(EventStore):
    """An event store in an SQLite file (or ``":memory:"``), safe for several processes.

    The file is put in WAL mode (readers never block the writer), and each
    append is one ``BEGIN IMMEDIATE`` transaction: writers in other
    processes or other store objects wait their turn (up to thirty
    seconds), so positions are handed out in commit order
    and no append is half written, even if its process dies midway.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.store import SQLiteStore
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> store = SQLiteStore(":memory:")
        >>> store.append(lead.record_id, lead.events, expected_version=0)
        1
        >>> _ = life.send(lead, "engage", actor="ops")
        >>> store.save(lead)
        2
        >>> store.history(LeadId("L-1")).record == lead.record
        True
        >>> store.close()
    """

    def __init__(self, path: str | Path, *, funnel: FunnelRules | None = None) -> None:
        """Open (and if need be create) the store at ``path``; ``":memory:"`` for a private one.

        Args:
            path: The database file, or ``":memory:"``.
            funnel: The funnel every appended move must be a move of (and
                histories are read with); without one, appends are checked
                against the stored history only.

        Raises:
            StoreError: The file is not an SQLite database, or its tables were
                made by another schema version.
        """
        super().__init__(funnel)
        given: object = path  # a caller without a type checker may pass anything
        if not isinstance(given, str | Path) or not str(given):
            raise ValidationError(
                owner="SQLiteStore", field="path", value=path, expected="a file path or ':memory:'"
            )
        self.path = str(path)
        self._memory = self.path == ":memory:"
        if not self._memory:
            where = Path(path)
            if where.is_dir():
                raise StoreError(f"{self.path} is a folder, not a database file")
            if not where.parent.is_dir():
                raise StoreError(f"{self.path}: the folder {where.parent} does not exist")
        try:
            self._connection = self._connect()
        except sqlite3.Error as error:
            raise StoreError(f"{self.path} cannot hold a leadlife store: {error}") from error
        try:
            with self._transaction() as cursor:
                schema.set_up(self._sql, cursor, "sqlite")
        except StoreError:
            self._connection.close()
            raise

    @classmethod
    def joining(
        cls, connection: sqlite3.Connection, *, funnel: FunnelRules | None = None
    ) -> SQLiteStore:
        """A store that works inside your transaction, on your connection.

        Its appends and reads run on ``connection`` and never begin, commit
        or roll back: the events commit with your own changes when you
        commit, and vanish with them when you roll back. Use it for the
        :meth:`~leadlife.store.EventStore.sink` of a
        :class:`~leadlife.StageRecorder`, so the row's stage and its event are
        one transaction. The tables are created in your transaction if they
        are not there. ``funnel`` is as for the store.

        Raises:
            ValidationError: ``connection`` is not an ``sqlite3.Connection``.
        """
        return _Joined(connection, funnel)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # transactions are ours: BEGIN IMMEDIATE ... COMMIT
            check_same_thread=False,  # threads share it by the store's lock
        )
        if not self._memory:
            connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses no commit
        return connection

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Any]:
        with _as_store_error(self.path):
            cursor = self._connection.cursor()
            # A writer takes the write lock at once; a reader reads a snapshot and blocks nobody.
            cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        if self._memory:  # a private database has one connection: read it under the lock
            with self._lock, _as_store_error(self.path):
                cursor = self._connection.cursor()
                cursor.execute("BEGIN")
                try:
                    yield cursor
                finally:
                    cursor.execute("COMMIT")
            return
        with _as_store_error(self.path), closing(self._connect()) as connection:
            cursor = connection.cursor()
            cursor.execute("BEGIN")  # one snapshot for the whole read
            yield cursor

    def _lock_writes(self, cursor: Any) -> int:
        # BEGIN IMMEDIATE took the database's write lock already.
        cursor.execute(LAST_POSITION)
        return int(cursor.fetchone()[0])

    def close(self) -> None:
        """Close the connection (the file stays)."""
        self._connection.close()

    def __repr__(self) -> str:
        return f"<SQLiteStore {self.path}>"


@contextmanager
def _as_store_error(path: str) -> Iterator[None]:
    """SQLite's errors (a file corrupted, locked too long, closed) as the store's own."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"{path}: {error}") from error


class _Joined(SQLiteStore):
    """:meth:`SQLiteStore.joining`'s store: the caller's connection and transaction."""

    def __init__(
        self, connection: sqlite3.Connection, funnel: FunnelRules | None, *, adapted: bool = False
    ) -> None:
        """``adapted``: ``connection`` is a DBAPI adapter of SQLite's (SQLAlchemy's aiosqlite)."""
        given: object = connection
        if not adapted and not isinstance(given, sqlite3.Connection):
            raise ValidationError(
                owner="SQLiteStore.joining",
                field="connection",
                value=connection,
                expected="an sqlite3.Connection (your session's DBAPI connection)",
            )
        EventStore.__init__(self, funnel)
        self.path, self._connection = "(your transaction)", connection
        with self._transaction() as cursor:
            schema.set_up(self._sql, cursor, "sqlite")

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Any]:  # noqa: ARG002 - one kind
        yield self._connection.cursor()  # the caller's to commit or roll back

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        with self._lock:  # what the caller's transaction sees, its own writes included
            yield self._connection.cursor()

    def _lock_writes(self, cursor: Any) -> int:
        # The caller's transaction may have only read so far: a write that changes nothing
        # takes the database's write lock before the version is read.
        cursor.execute(TOUCH)
        return super()._lock_writes(cursor)

    def close(self) -> None:
        """Leave the caller's connection open: it is theirs."""


def joining_adapter(connection: Any, funnel: FunnelRules | None = None) -> SQLiteStore:
    """:meth:`SQLiteStore.joining` on a DBAPI adapter of an SQLite connection.

    SQLAlchemy's asyncio sessions hand out an adapter of aiosqlite's
    connection, which speaks the DBAPI inside ``run_sync``: the same store,
    on it. Only for a connection known to be SQLite's (the caller checks the
    dialect).
    """
    return _Joined(connection, funnel, adapted=True)
