"""A store joined to the app's transaction: the row's stage and its event commit, or neither."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from writers import START, open_store

from leadlife import Contact, DefaultFunnel, FixedClock, LeadId, Lifecycle, Source, StageRecorder
from leadlife.errors import StoreError, ValidationError
from leadlife.store import SQLiteStore


class LeadRow:
    """The app's model: a row with a stage, saved by the app."""

    def __init__(self, key: str, stage: str) -> None:
        self.key, self.stage = key, stage


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    """(kind, a function that opens an app connection, where the store is)."""
    if request.param == "sqlite":
        path = str(tmp_path / "app.sqlite")
        return "sqlite", (lambda: sqlite3.connect(path)), path
    import psycopg  # noqa: PLC0415

    conninfo = request.getfixturevalue("postgres_database")
    return "postgres", (lambda: psycopg.connect(conninfo)), conninfo


def joined(kind: str, connection):
    if kind == "sqlite":
        return SQLiteStore.joining(connection)
    from leadlife.store import PostgresStore  # noqa: PLC0415

    return PostgresStore.joining(connection)


def move(kind, connection, key: str, event: str) -> LeadRow:
    """In one transaction of the app: load the row, move it, save it; the event goes with it."""
    mark = "?" if kind == "sqlite" else "%s"
    cursor = connection.cursor()
    cursor.execute(f"SELECT stage FROM leads WHERE key = {mark}", (key,))  # noqa: S608 - a test
    row = LeadRow(key, cursor.fetchone()[0])
    recorder = StageRecorder(
        record_id=LeadId(key),
        clock=FixedClock(datetime(2026, 3, 3, 9, tzinfo=UTC)),
        sink=joined(kind, connection).sink(),
        actor="app",
    )
    DefaultFunnel(model=row, start_value=row.stage, listeners=[recorder]).send(event)
    cursor.execute(f"UPDATE leads SET stage = {mark} WHERE key = {mark}", (row.stage, key))  # noqa: S608
    return row


def set_up(kind, connect, where) -> None:
    store = open_store(kind, where)
    lead = Lifecycle(clock=FixedClock(START)).capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="app"
    )
    store.append(lead.record_id, lead.events, expected_version=0)  # the row's creation
    store.close()
    connection = connect()
    connection.cursor().execute("CREATE TABLE leads (key TEXT PRIMARY KEY, stage TEXT)")
    connection.cursor().execute("INSERT INTO leads VALUES ('L-1', 'suspect')")
    connection.commit()
    connection.close()


def stage_of(connect, key: str) -> str:
    connection = connect()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT stage FROM leads")
        return cursor.fetchone()[0]
    finally:
        connection.close()


def test_the_event_commits_with_the_row(database):
    kind, connect, where = database
    set_up(kind, connect, where)
    connection = connect()
    assert move(kind, connection, "L-1", "engage").stage == "lead"
    connection.commit()
    connection.close()
    assert stage_of(connect, "L-1") == "lead"
    store = open_store(kind, where)
    history = store.history(LeadId("L-1"), funnel=DefaultFunnel)
    assert (history.record.stage, history[-1].actor) == ("lead", "app")
    store.close()


def test_a_rolled_back_transaction_leaves_neither(database):
    kind, connect, where = database
    set_up(kind, connect, where)
    connection = connect()
    move(kind, connection, "L-1", "engage")
    connection.rollback()
    connection.close()
    assert stage_of(connect, "L-1") == "suspect"
    store = open_store(kind, where)
    assert store.version(LeadId("L-1")) == 1
    store.close()


def test_a_record_without_its_creation_event_is_not_moved(database):
    kind, connect, where = database
    set_up(kind, connect, where)
    connection = connect()
    connection.cursor().execute("INSERT INTO leads VALUES ('L-2', 'suspect')")
    with pytest.raises(StoreError, match="store its creation event first"):
        move(kind, connection, "L-2", "engage")
    connection.rollback()
    connection.close()


def test_only_a_connection_with_a_transaction_is_joined(database):
    kind, connect, _ = database
    with pytest.raises(ValidationError, match="connection"):
        joined(kind, "not a connection")
    if kind == "postgres":
        connection = connect()
        connection.autocommit = True
        with pytest.raises(ValidationError, match="not in autocommit mode"):
            joined(kind, connection)
        connection.close()


def test_a_joined_store_reads_what_its_transaction_wrote(database):
    kind, connect, where = database
    set_up(kind, connect, where)
    connection = connect()
    store = joined(kind, connection)
    move(kind, connection, "L-1", "engage")
    assert [change.version for change in store.changes()] == [1, 2]
    assert [history.record.stage for history in store.histories()] == ["lead"]
    store.close()  # leaves the app's connection open
    connection.commit()
    connection.close()


def test_joining_a_fresh_database_creates_the_tables_in_its_transaction(database):
    kind, connect, where = database
    connection = connect()
    store = joined(kind, connection)
    lead = Lifecycle(clock=FixedClock(START)).capture(
        id=LeadId("L-9"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="app"
    )
    store.append(lead.record_id, lead.events, expected_version=0)
    connection.commit()
    connection.close()
    reopened = open_store(kind, where)
    assert reopened.history(LeadId("L-9")).record == lead.record
    reopened.close()
