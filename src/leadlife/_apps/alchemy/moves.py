"""Moves of an app's rows through the funnel, their events in the session's own transaction.

A request reads a row, moves it, commits: with :class:`Moves` the move's
event is appended to the event store on the session's connection, in its
transaction, and the row is saved at once (its version checked). So the
row's stage, its version and its event commit together or not at all, and
two requests that read the same row cannot both move it: the second is
refused, by the store (the row's stage is not where the stored history
left it) or by the row's version (:class:`~leadlife.sqlalchemy.FunnelRow`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Connection, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from leadlife._core.journal.events import StageChanged
from leadlife._core.journal.history import History
from leadlife._core.support.clock import Clock
from leadlife._core.support.errors import StaleRowError, ValidationError
from leadlife._core.values.ids import LeadId, RecordId
from leadlife._funnel.base import Funnel
from leadlife._funnel.recorder import StageRecorder
from leadlife._store.base import EventStore
from leadlife._store.sqlite import SQLiteStore, joining_adapter

if TYPE_CHECKING:  # asyncio's module needs greenlet: only an asyncio app has it, and needs it
    from sqlalchemy.ext.asyncio import AsyncSession

RecordIdOf = Callable[[Any], RecordId]
"""How a row names its record: the lead (or prospect, or deal) whose history it keeps."""


def store_on(connection: Connection, *, funnel: type[Funnel] | None = None) -> EventStore:
    """The event store on an SQLAlchemy connection, inside its transaction.

    Its appends run on ``connection`` and never commit: they commit or roll
    back with the connection's transaction (a session's:
    ``session.connection()``). SQLite (the standard driver, or aiosqlite
    inside an asyncio session's ``run_sync``) and PostgreSQL through psycopg
    (synchronous, or asyncio inside ``run_sync``).

    Raises:
        ValidationError: Another database or driver.

    Example:
        >>> from sqlalchemy import create_engine
        >>> from leadlife.sqlalchemy import store_on
        >>> with create_engine("sqlite://").connect() as connection:
        ...     store_on(connection).position
        0
    """
    dialect = connection.dialect
    dbapi: object = connection.connection.dbapi_connection
    if dialect.name == "sqlite":
        if isinstance(dbapi, sqlite3.Connection):
            return SQLiteStore.joining(dbapi, funnel=funnel)
        return joining_adapter(dbapi, funnel)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        from leadlife._store import postgres  # noqa: PLC0415 - the postgres extra

        if dialect.is_async:  # inside run_sync: psycopg's AsyncConnection, adapted
            return postgres.joining_adapter(dbapi, funnel)
        return postgres.PostgresStore.joining(cast(Any, dbapi), funnel=funnel)
    raise ValidationError(
        owner="store_on",
        field="connection",
        value=f"{dialect.name}+{dialect.driver}",
        expected=(
            "SQLite (sqlite, aiosqlite) or PostgreSQL through psycopg (postgresql+psycopg, "
            "synchronous or asyncio)"
        ),
    )


class Moves:
    """The moves of one session's rows, each event in the session's transaction.

    Args:
        session: The request's session.
        clock: When each move happens (a :class:`~leadlife.SystemClock` in an
            app, a fixed one in tests).
        funnel: The funnel that moves the rows (the default funnel unless given).
        record_id: The record a row keeps the stage of (by default a lead
            named by the row's primary key).

    Example:
        >>> from datetime import UTC, datetime
        >>> from sqlalchemy import String, create_engine
        >>> from sqlalchemy.orm import DeclarativeBase, Session, mapped_column
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.sqlalchemy import FunnelRow, Moves
        >>> class Base(DeclarativeBase):
        ...     pass
        >>> class Lead(FunnelRow, Base):
        ...     __tablename__ = "leads"
        ...     id = mapped_column(String, primary_key=True)
        >>> engine = create_engine("sqlite://")
        >>> Base.metadata.create_all(engine)
        >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
        >>> captured = Lifecycle(clock=clock).capture(
        ...     id=LeadId("L-7"),
        ...     contact=Contact(name="Grace"),
        ...     source=Source(channel="web"),
        ...     actor="form",
        ... )
        >>> with Session(engine) as session:
        ...     moves = Moves(session, clock=clock)
        ...     row = Lead(id="L-7")
        ...     moves.start(row, captured)
        ...     _ = moves.send(row, "engage", actor="sam")
        ...     session.commit()
        ...     row.stage, row.row_version, len(moves.history(row))
        ('lead', 2, 2)
    """

    def __init__(
        self,
        session: Session,
        *,
        clock: Clock,
        funnel: type[Funnel] | None = None,
        record_id: RecordIdOf | None = None,
    ) -> None:
        if funnel is None:
            from leadlife._policies.default_funnel import DefaultFunnel  # noqa: PLC0415 - a policy

            funnel = DefaultFunnel
        self.session = session
        self.clock = clock
        self.funnel = funnel
        self.record_id: RecordIdOf = _by_primary_key if record_id is None else record_id

    def store(self) -> EventStore:
        """The event store on the session's connection, in its transaction."""
        return store_on(self.session.connection(), funnel=self.funnel)

    def start(self, row: Any, history: History[Any]) -> None:
        """Keep a new record's history, and put ``row`` in its stage: a row captured.

        The history's events (its capture, and whatever followed) are stored
        as the record's first, and the row is added to the session and saved.

        Raises:
            ValidationError: The row names another record than the history's.
            ConcurrencyError: The store holds a history of the record already.
        """
        if self.record_id(row) != history.record_id:
            raise ValidationError(
                owner="Moves.start",
                field="row",
                value=self.record_id(row),
                expected=f"the row of {history.record_id!r}, the history's record",
            )
        self.store().append(history.record_id, history.events, expected_version=0)
        row.stage = history.record.stage
        self.session.add(row)
        self._save(row)

    def send(
        self, row: Any, event: str, *, actor: str, reason: str | None = None, **given: Any
    ) -> StageChanged:
        """Move ``row`` by ``event``; its event is stored and the row saved, in the transaction.

        ``given`` goes to the funnel's guards as :meth:`Lifecycle.send
        <leadlife.Lifecycle.send>`'s arguments do (``review_on``,
        ``screening``, ``payload``...). A move refused as stale is stored
        nowhere once the transaction rolls back: roll back, read the row
        again, then decide.

        Returns:
            The move's event, stored.

        Raises:
            TransitionRefusedError: The funnel refused the move (nothing changed).
            StaleWriteError: The row's stage is not where the stored history
                left the record: another request moved it since.
            StaleRowError: Another transaction saved the row since it was read.
        """
        store = self.store()
        kept: list[StageChanged] = []
        sink = store.sink()

        def append(moved: StageChanged) -> None:
            sink(moved)
            kept.append(moved)

        recorder = StageRecorder(record_id=self.record_id, clock=self.clock, sink=append)
        bound = self.funnel(model=row, start_value=row.stage, listeners=[recorder])
        bound.send(event, actor=actor, reason=reason, **given)
        self._save(row)
        return kept[-1]

    def history(self, row: Any) -> History[Any]:
        """The history of ``row``'s record, as the transaction sees it."""
        return self.store().history(self.record_id(row))

    def _save(self, row: Any) -> None:
        # Read before the save: a failed save leaves the session unable to load anything.
        record_id, version = self.record_id(row), getattr(row, "row_version", None)
        try:
            self.session.flush()
        except StaleDataError as error:
            raise StaleRowError(record_id=record_id, version=version, problem=str(error)) from error


class AsyncMoves:
    """:class:`Moves` for an ``AsyncSession``: the same moves, awaited.

    Each call runs the synchronous one inside the session's ``run_sync``,
    where SQLAlchemy drives the asyncio driver (aiosqlite, or psycopg's asyncio
    connection on PostgreSQL) for it: the event
    is stored in the session's transaction, as :class:`Moves` stores it.

    Example:
        >>> import asyncio
        >>> from datetime import UTC, datetime
        >>> from sqlalchemy import String
        >>> from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
        >>> from sqlalchemy.orm import DeclarativeBase, mapped_column
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.sqlalchemy import AsyncMoves, FunnelRow
        >>> class Base(DeclarativeBase):
        ...     pass
        >>> class Lead(FunnelRow, Base):
        ...     __tablename__ = "leads"
        ...     id = mapped_column(String, primary_key=True)
        >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
        >>> captured = Lifecycle(clock=clock).capture(
        ...     id=LeadId("L-7"),
        ...     contact=Contact(name="Grace"),
        ...     source=Source(channel="web"),
        ...     actor="form",
        ... )
        >>> async def engage() -> str:
        ...     engine = create_async_engine("sqlite+aiosqlite://")
        ...     async with engine.begin() as connection:
        ...         await connection.run_sync(Base.metadata.create_all)
        ...     async with AsyncSession(engine) as session:
        ...         moves = AsyncMoves(session, clock=clock)
        ...         row = Lead(id="L-7")
        ...         await moves.start(row, captured)
        ...         moved = await moves.send(row, "engage", actor="sam")
        ...         await session.commit()
        ...     await engine.dispose()
        ...     return moved.to_stage
        >>> asyncio.run(engage())
        'lead'
    """

    def __init__(
        self,
        session: AsyncSession,
        *,
        clock: Clock,
        funnel: type[Funnel] | None = None,
        record_id: RecordIdOf | None = None,
    ) -> None:
        self.session = session
        self._terms: Mapping[str, Any] = {"clock": clock, "funnel": funnel, "record_id": record_id}

    def _moves(self, session: Session) -> Moves:
        return Moves(session, **self._terms)

    async def start(self, row: Any, history: History[Any]) -> None:
        """As :meth:`Moves.start`."""
        await self.session.run_sync(lambda session: self._moves(session).start(row, history))

    async def send(
        self, row: Any, event: str, *, actor: str, reason: str | None = None, **given: Any
    ) -> StageChanged:
        """As :meth:`Moves.send`."""

        def send(session: Session) -> StageChanged:
            return self._moves(session).send(row, event, actor=actor, reason=reason, **given)

        return await self.session.run_sync(send)

    async def history(self, row: Any) -> History[Any]:
        """As :meth:`Moves.history`."""
        return await self.session.run_sync(lambda session: self._moves(session).history(row))


def _by_primary_key(row: Any) -> RecordId:
    """A lead named by the row's primary key (one column's)."""
    key = inspect(row).mapper.primary_key
    if len(key) != 1:
        raise ValidationError(
            owner="Moves",
            field="record_id",
            value=type(row).__name__,
            expected="a function naming each row's record: the row's key has several columns",
        )
    value = getattr(row, inspect(row).mapper.get_property_by_column(key[0]).key)
    return LeadId(str(value))
