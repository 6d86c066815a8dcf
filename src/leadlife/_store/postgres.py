"""The production store: PostgreSQL, through psycopg 3.

psycopg rather than SQLAlchemy Core: the store speaks a handful of fixed
statements to two databases, so a dialect of a few lines each does the job
without a second abstraction to install, and an app that uses SQLAlchemy
or Django still hands its own connection's DSN to the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import Any

from leadlife._core.journal.history import FunnelRules
from leadlife._core.support.errors import MissingExtraError, StoreError, ValidationError
from leadlife._core.support.public import publish
from leadlife._store import schema
from leadlife._store.base import EventStore
from leadlife._store.rows import BATCH

try:
    import psycopg
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(
        package="psycopg", extra="postgres", needed_by="leadlife.store.PostgresStore"
    ) from missing

_COPY = (
    "COPY leadlife_events (position, record_kind, record_id, version, event_type, at, document) "
    "FROM STDIN"
)

SETTING_UP = 7262013
"""The advisory lock two stores creating the tables at once take in turn."""


class PostgresStore(EventStore):
    """An event store in a PostgreSQL database, for production.

    Every append is one transaction that first locks the store's position
    row, so appends commit one after another, positions are gap-free and in
    commit order, and a consumer reading
    :meth:`~leadlife.store.EventStore.changes` never misses an
    event committed late. A writer that dies midway leaves nothing: its
    transaction rolls back.

    Args:
        conninfo: A libpq connection string or URI
            (``"postgresql://app@db/leads"``).

    Example:
        >>> from leadlife.store import PostgresStore
        >>> store = PostgresStore("postgresql://app@db/leads")  # doctest: +SKIP
        >>> store.append(lead.record_id, lead.events, expected_version=0)  # doctest: +SKIP
        1
    """

    _PLACEHOLDER = "%s"

    def __init__(self, conninfo: str, *, funnel: FunnelRules | None = None) -> None:
        """Connect, and create the tables if they are not there.

        ``funnel`` is the funnel every appended move must be a move of (see
        :class:`~leadlife.store.SQLiteStore`).

        Raises:
            StoreError: The server cannot be reached, or the tables were made
                by another schema version.
        """
        super().__init__(funnel)
        given: object = conninfo  # a caller without a type checker may pass anything
        if not isinstance(given, str) or not given.strip():
            raise ValidationError(
                owner="PostgresStore",
                field="conninfo",
                value=conninfo,
                expected="a libpq connection string such as 'postgresql://app@db/leads'",
            )
        self.conninfo = conninfo
        try:
            self._connection = psycopg.connect(conninfo)
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL at {where(conninfo)}: {error}") from error
        try:
            with self._transaction() as cursor:
                # Two stores creating the tables at once: one waits for the other.
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SETTING_UP,))
                schema.set_up(self._sql, cursor, "postgresql")
        except StoreError:  # tables of another version, or the server failed midway
            self._connection.close()
            raise

    @classmethod
    def joining(
        cls, connection: psycopg.Connection[Any], *, funnel: FunnelRules | None = None
    ) -> PostgresStore:
        """A store that works inside your transaction, on your psycopg connection.

        Its appends and reads run on ``connection`` and never commit or roll
        back: the events commit with your own changes, or vanish with them.
        Its write lock (the position row) is held until you commit, so keep
        the transaction short. The tables are created in your transaction if
        they are not there. ``funnel`` is as for the store.

        Raises:
            ValidationError: ``connection`` is not a psycopg connection, or is
                in autocommit mode (then there is no transaction to join).
        """
        return _Joined(connection, funnel)

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Any]:  # noqa: ARG002 - one kind here
        with (
            _as_store_error(),
            self._connection.transaction(),
            self._connection.cursor() as cursor,
        ):
            yield cursor

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        # Its own connection and a server-side cursor: rows arrive a batch at a time.
        with (
            _as_store_error(),
            psycopg.connect(self.conninfo) as connection,
            connection.transaction(),
            connection.cursor(name="leadlife_read") as cursor,
        ):
            cursor.itersize = BATCH
            yield cursor

    def _lock_writes(self, cursor: Any) -> int:
        # Held until commit: the next writer's statements see this one's events.
        cursor.execute("SELECT last FROM leadlife_position WHERE id = 1 FOR UPDATE")
        return int(cursor.fetchone()[0])

    def _positions_used(self, cursor: Any, last: int) -> None:
        cursor.execute("UPDATE leadlife_position SET last = %s WHERE id = 1", (last,))

    def _insert(self, cursor: Any, inserts: list[tuple[Any, ...]]) -> None:
        # COPY: the rows stream to the server in one statement, not a round trip each.
        with cursor.copy(_COPY) as copy:
            for row in inserts:
                copy.write_row(row)

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()

    def __repr__(self) -> str:
        return "<PostgresStore>"


class _Joined(PostgresStore):
    """:meth:`PostgresStore.joining`'s store: the caller's connection and transaction."""

    def __init__(
        self,
        connection: psycopg.Connection[Any],
        funnel: FunnelRules | None,
        *,
        adapted: bool = False,
    ) -> None:
        """``adapted``: ``connection`` is a DBAPI adapter of psycopg's (SQLAlchemy's asyncio)."""
        given: object = connection
        if not (adapted or isinstance(given, psycopg.Connection)) or connection.autocommit:
            raise ValidationError(
                owner="PostgresStore.joining",
                field="connection",
                value=connection,
                expected="a psycopg Connection not in autocommit mode",
            )
        EventStore.__init__(self, funnel)
        self.conninfo, self._connection = "(your transaction)", connection
        with self._transaction() as cursor:
            # The lock that makes creating the tables safe lasts as long as the caller's
            # transaction: take it only when there is something to create.
            if schema.found_version(self._sql, cursor, "postgresql") != schema.SCHEMA_VERSION:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SETTING_UP,))
                schema.set_up(self._sql, cursor, "postgresql")

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Any]:  # noqa: ARG002 - one kind
        # The caller's to commit or roll back.
        with _as_store_error(), self._connection.cursor() as cursor:
            yield cursor

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        # What the caller's transaction sees, its own writes included.
        with self._lock, _as_store_error(), self._connection.cursor() as cursor:
            yield cursor

    def close(self) -> None:
        """Leave the caller's connection open: it is theirs."""


class _Adapted(_Joined):
    """A joined store on SQLAlchemy's adapter of psycopg's asyncio connection, in ``run_sync``.

    The adapter speaks the DBAPI: its cursors are closed, not used as
    context managers, and it has no ``COPY``, so the rows go by ``executemany``.
    """

    @contextmanager
    def _transaction(self, *, write: bool = True) -> Iterator[Any]:  # noqa: ARG002 - one kind
        with _as_store_error(), closing(self._connection.cursor()) as cursor:
            yield cursor

    @contextmanager
    def _reader(self) -> Iterator[Any]:
        with self._lock, _as_store_error(), closing(self._connection.cursor()) as cursor:
            yield cursor

    def _insert(self, cursor: Any, inserts: list[tuple[Any, ...]]) -> None:
        EventStore._insert(self, cursor, inserts)  # noqa: SLF001 - the DBAPI's way, not COPY


def joining_adapter(connection: Any, funnel: FunnelRules | None = None) -> PostgresStore:
    """:meth:`PostgresStore.joining` on a DBAPI adapter of psycopg's asyncio connection.

    SQLAlchemy's asyncio sessions on ``postgresql+psycopg`` hand out an
    adapter of psycopg's ``AsyncConnection``, which speaks the DBAPI inside
    ``run_sync``: the same store, on it. Only for a connection known to be
    psycopg's (the caller checks the dialect).
    """
    return _Adapted(connection, funnel, adapted=True)


def where(conninfo: str) -> str:
    """The server and database a connection string names, never its password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error:
        return "(a connection string libpq cannot read)"
    shown = {key: parts[key] for key in ("host", "port", "dbname", "user") if key in parts}
    return " ".join(f"{key}={value}" for key, value in shown.items()) or "(the default server)"


@contextmanager
def _as_store_error() -> Iterator[None]:
    """The errors psycopg raises (a server gone, a statement refused) as the store's own."""
    try:
        yield
    except psycopg.Error as error:
        raise StoreError(f"PostgreSQL: {error}") from error


publish("leadlife.store", globals(), ["PostgresStore"])
