"""leadlife.sqlalchemy as an app uses it: rows moved in a session, events in its transaction.

On SQLite (a file), on PostgreSQL through psycopg (the real server the store tests
start), and on asyncio sessions over aiosqlite and psycopg. Two sessions that read the same row
cannot both move it: the store refuses a move from a stage the record has left, the
row's version a save of a row saved since; either way nothing of the move is stored.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import String, create_engine, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock, replay
from leadlife.errors import (
    StaleRowError,
    StaleWriteError,
    StoreError,
    TransitionRefusedError,
    ValidationError,
)
from leadlife.sqlalchemy import (
    AsyncMoves,
    FunnelRow,
    Moves,
    downgrade,
    store_metadata,
    store_on,
    upgrade,
)
from leadlife.store import SQLiteStore


class Base(DeclarativeBase):
    pass


class Lead(FunnelRow, Base):
    __tablename__ = "leads"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    note: Mapped[str | None] = mapped_column(String(200), nullable=True)


def clock() -> SteppingClock:
    return SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=5))


def captured(ticks: SteppingClock, key: str = "L-7"):
    return Lifecycle(clock=ticks).capture(
        id=LeadId(key), contact=Contact(name="Grace"), source=Source(channel="web"), actor="form"
    )


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        made = create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    else:
        conninfo = request.getfixturevalue("postgres_database")
        parts = dict(part.split("=", 1) for part in conninfo.split())
        made = create_engine(
            f"postgresql+psycopg://{parts['user']}@{parts['host']}:{parts['port']}/{parts['dbname']}"
        )
    Base.metadata.create_all(made)
    with made.begin() as connection:
        upgrade(Operations(MigrationContext.configure(connection)))
    yield made
    made.dispose()


def started(engine, ticks) -> None:
    with Session(engine) as session:
        Moves(session, clock=ticks).start(Lead(id="L-7"), captured(ticks))
        session.commit()


def test_a_move_commits_with_its_row_and_replays(engine):
    ticks = clock()
    started(engine, ticks)
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        moves = Moves(session, clock=ticks)
        moved = moves.send(row, "engage", actor="sam", reason="replied")
        moves.send(row, "mark_sales_ready", actor="scoring", payload={"score": 87})
        session.commit()
        assert (moved.from_stage, moved.to_stage) == ("suspect", "lead")
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        history = Moves(session, clock=ticks).history(row)
        assert (row.stage, row.row_version) == ("sales_ready", 3)
        assert history.record.stage == row.stage
        assert replay(history.events) == history.record


def test_a_rolled_back_move_leaves_neither_row_nor_event(engine):
    ticks = clock()
    started(engine, ticks)
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        Moves(session, clock=ticks).send(row, "engage", actor="sam")
        session.rollback()
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        assert (row.stage, len(Moves(session, clock=ticks).history(row))) == ("suspect", 1)


def test_two_sessions_with_the_same_row_cannot_both_move_it(engine):
    ticks = clock()
    started(engine, ticks)
    first, second = Session(engine), Session(engine)
    mine, theirs = first.get(Lead, "L-7"), second.get(Lead, "L-7")
    Moves(first, clock=ticks).send(mine, "engage", actor="sam")
    first.commit()
    # The second read the lead in suspect: the store holds it in lead now.
    with pytest.raises(StaleWriteError):
        Moves(second, clock=ticks).send(theirs, "engage", actor="kim")
    assert theirs.stage == "suspect"  # the recorder put the row back
    second.rollback()
    assert theirs.stage == "lead"  # and read again, it is where the first moved it
    first.close()
    second.close()
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        assert [e.actor for e in Moves(session, clock=ticks).history(row).events] == [
            "form",
            "sam",
        ]


def test_a_row_saved_since_it_was_read_refuses_the_move_by_its_version(engine):
    ticks = clock()
    started(engine, ticks)
    first, second = Session(engine), Session(engine)
    mine, theirs = first.get(Lead, "L-7"), second.get(Lead, "L-7")
    mine.note = "called back"  # another change of the row, not a move
    first.commit()
    # The store's history still leaves the lead in suspect: only the row's version knows.
    with pytest.raises(StaleRowError) as refused:
        Moves(second, clock=ticks).send(theirs, "engage", actor="kim")
    assert refused.value.version == 1
    assert refused.value.record_id == LeadId("L-7")
    second.rollback()
    first.close()
    second.close()
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        assert (row.stage, row.note, row.row_version) == ("suspect", "called back", 2)
        assert len(Moves(session, clock=ticks).history(row)) == 1  # the move's event is gone


def test_a_refused_move_changes_nothing(engine):
    ticks = clock()
    started(engine, ticks)
    with Session(engine) as session:
        row = session.get(Lead, "L-7")
        with pytest.raises(TransitionRefusedError):
            Moves(session, clock=ticks).send(row, "win", actor="sam")
        assert (row.stage, row.row_version) == ("suspect", 1)


def test_a_row_must_name_the_record_it_starts():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    ticks = clock()
    with Session(engine) as session, pytest.raises(ValidationError, match="the row of"):
        Moves(session, clock=ticks).start(Lead(id="L-8"), captured(ticks))


def test_the_alembic_migration_makes_the_tables_the_store_expects(tmp_path):
    path = tmp_path / "migrated.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        context = MigrationContext.configure(connection)
        upgrade(Operations(context))
        assert compare_metadata(context, store_metadata()) == []
    store = SQLiteStore(path)  # opens the migrated tables as its own
    history = captured(clock())
    assert store.append(history.record_id, history.events, expected_version=0) == 1
    store.close()
    with engine.begin() as connection:
        downgrade(Operations(MigrationContext.configure(connection)))
    with sqlite3.connect(path) as raw:
        tables = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    assert tables == []


def test_the_alembic_migration_moves_a_version_one_store_forward(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copyfile(Path(__file__).parent.parent / "data" / "store-schema-1.sqlite", path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        context = MigrationContext.configure(connection)
        upgrade(Operations(context))  # a later revision calls it again: version 1 -> 2
        assert compare_metadata(context, store_metadata()) == []
        upgrade(Operations(context))  # and once more: nothing to do
    engine.dispose()
    with SQLiteStore(path) as store:
        assert store.version(LeadId("L-1")) == 3


def test_the_migration_as_sql_for_postgresql():
    buffer: list[str] = []
    output = SimpleNamespace(write=buffer.append, flush=lambda: None)
    context = MigrationContext.configure(
        dialect_name="postgresql", opts={"as_sql": True, "output_buffer": output}
    )
    upgrade(Operations(context), from_version=0)
    script = "".join(buffer)
    assert "CREATE TABLE IF NOT EXISTS leadlife_position" in script
    assert "TIMESTAMPTZ" in script
    assert "CREATE TABLE IF NOT EXISTS leadlife_keys" in script
    assert "VALUES ('schema_version', '2')" in script
    buffer.clear()
    upgrade(Operations(context), from_version=1)  # a database the first revision made
    script = "".join(buffer)
    assert "leadlife_events" not in script
    assert "CREATE TABLE IF NOT EXISTS leadlife_keys" in script
    assert "SET value = '2' WHERE key = 'schema_version'" in script
    buffer.clear()
    upgrade(Operations(context), from_version=2)
    assert buffer == []
    with pytest.raises(ValidationError, match="when migrating offline"):
        upgrade(Operations(context))  # offline, nothing to read the version from
    with pytest.raises(ValidationError, match="from_version"):
        upgrade(Operations(context), from_version=-1)
    with pytest.raises(StoreError, match="newer than this leadlife"):
        upgrade(Operations(context), from_version=3)
    with pytest.raises(ValidationError, match="sqlite or postgresql"):
        upgrade(Operations(MigrationContext.configure(dialect_name="mysql", opts={"as_sql": True})))


def test_a_store_on_a_postgresql_database_matches_the_migrated_metadata(postgres_database):
    parts = dict(part.split("=", 1) for part in postgres_database.split())
    engine = create_engine(
        f"postgresql+psycopg://{parts['user']}@{parts['host']}:{parts['port']}/{parts['dbname']}"
    )
    with engine.begin() as connection:
        store_on(connection)  # the store makes its tables in the transaction
    with engine.begin() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, store_metadata(dialect="postgresql")) == []
    engine.dispose()


def test_store_on_refuses_a_database_it_does_not_run_on():
    connection = SimpleNamespace(
        dialect=SimpleNamespace(name="mysql", driver="mysqldb"),
        connection=SimpleNamespace(dbapi_connection=object()),
    )
    with pytest.raises(ValidationError, match="postgresql\\+psycopg"):
        store_on(connection)


@pytest.fixture(params=["sqlite", "postgres"])
def async_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'async.sqlite'}"
    parts = dict(
        part.split("=", 1) for part in request.getfixturevalue("postgres_database").split()
    )
    return f"postgresql+psycopg://{parts['user']}@{parts['host']}:{parts['port']}/{parts['dbname']}"


def test_an_asyncio_session_moves_rows_the_same_way(async_url):
    async def scenario() -> tuple[str, int, list[str]]:
        engine = create_async_engine(async_url)
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        sessions = async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
        ticks = clock()
        async with sessions() as session:
            await AsyncMoves(session, clock=ticks).start(Lead(id="L-7"), captured(ticks))
            await session.commit()
        async with sessions() as first, sessions() as second:
            mine = (await first.execute(select(Lead))).scalar_one()
            theirs = (await second.execute(select(Lead))).scalar_one()
            await AsyncMoves(first, clock=ticks).send(mine, "engage", actor="sam")
            await first.commit()
            with pytest.raises(StaleWriteError):
                await AsyncMoves(second, clock=ticks).send(theirs, "engage", actor="kim")
            await second.rollback()
        async with sessions() as session:
            row = (await session.execute(select(Lead))).scalar_one()
            history = await AsyncMoves(session, clock=ticks).history(row)
            feed = await session.run_sync(
                lambda sync: [change.version for change in store_on(sync.connection()).changes()]
            )
        await engine.dispose()
        assert feed == [1, 2]
        return row.stage, row.row_version, [event.actor for event in history.events]

    assert asyncio.run(scenario()) == ("lead", 2, ["form", "sam"])
