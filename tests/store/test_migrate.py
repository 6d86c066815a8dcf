"""The store's schema moves forward by a command, from every earlier version, and back.

``tests/data/store-schema-1.sqlite`` was written by leadlife at ecde5f8 (schema
version 1, the only earlier version): three leads, six events, whose
histories are ``store-schema-1.jsonl`` as that release dumped them.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from leadlife import LeadId, load
from leadlife._cli.commands import cli
from leadlife._store import schema
from leadlife.errors import StoreError, ValidationError
from leadlife.store import SCHEMA_VERSION, Migration, SQLiteStore, migrate

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture
def version_1(tmp_path) -> Path:
    """A copy of the store version 1 made (the golden file is never changed)."""
    path = tmp_path / "leads.sqlite"
    shutil.copyfile(DATA / "store-schema-1.sqlite", path)
    return path


def histories() -> list:
    with (DATA / "store-schema-1.jsonl").open() as lines:
        return list(load(lines))


def tables(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
        ).fetchall()
    return {name: " ".join(sql.split()) for name, sql in rows}


def version_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT value FROM leadlife_meta").fetchone()[0]


def test_version_one_as_kept_here_is_version_one_as_it_was_shipped(tmp_path, version_1):
    made = tmp_path / "made.sqlite"
    with sqlite3.connect(made) as connection:
        for statement in schema.plan("sqlite", None, 1):
            connection.execute(statement)
    assert tables(made) == tables(version_1)
    assert version_of(made) == version_of(version_1) == "1"


def test_a_store_refuses_older_tables_and_names_the_command(version_1):
    with pytest.raises(StoreError, match="version 1; this leadlife reads version 2") as caught:
        SQLiteStore(version_1)
    assert "leadlife store migrate" in str(caught.value)


def test_a_dry_run_says_what_would_run_and_changes_nothing(version_1):
    before = version_1.read_bytes()
    done = migrate(version_1, dry_run=True)
    assert done == Migration(found=1, to=2, statements=done.statements, applied=False)
    assert any("CREATE TABLE IF NOT EXISTS leadlife_keys" in sql for sql in done.statements)
    assert "dry run" in str(done)
    assert version_1.read_bytes() == before


def test_migrating_version_one_keeps_every_event_and_adds_the_keys(version_1):
    done = migrate(version_1)
    assert (done.found, done.to, done.applied) == (1, SCHEMA_VERSION, True)
    assert str(done) == "schema version 1 -> schema version 2: 2 statements"
    with SQLiteStore(version_1) as store:
        assert list(store.histories()) == histories()
        assert [change.position for change in store.changes()] == list(range(1, 7))
        ada = store.history(LeadId("L-1"))
        assert store.append(ada.record_id, [], expected_version=len(ada), key="k") == len(ada)
        assert store.keyed("k").version == len(ada)
    again = migrate(version_1)
    assert again.statements == ()
    assert str(again) == "the store is at schema version 2: nothing to do"


def test_a_store_made_new_and_one_migrated_hold_the_same_tables(tmp_path, version_1):
    SQLiteStore(tmp_path / "new.sqlite").close()
    migrate(version_1)
    assert tables(version_1) == tables(tmp_path / "new.sqlite")


def test_going_back_to_version_one_drops_the_keys_and_keeps_the_events(version_1):
    migrate(version_1)
    back = migrate(version_1, to=1)
    assert (back.found, back.to) == (2, 1)
    assert "leadlife_keys" not in tables(version_1)
    assert version_of(version_1) == "1"
    migrate(version_1)
    with SQLiteStore(version_1) as store:
        assert list(store.histories()) == histories()


def test_an_empty_database_gets_the_tables(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()
    done = migrate(path)
    assert done.found is None
    assert "no store -> schema version 2" in str(done)
    with SQLiteStore(path) as store:
        assert store.position == 0


def test_what_cannot_be_migrated_is_a_store_error(tmp_path, version_1):
    with pytest.raises(StoreError, match="no such database file"):
        migrate(tmp_path / "missing.sqlite")
    with pytest.raises(StoreError, match="no such database file"):
        migrate(tmp_path)
    (tmp_path / "notes.txt").write_text("not a database, but long enough to be read as one " * 40)
    with pytest.raises(StoreError, match="cannot be migrated"):
        migrate(tmp_path / "notes.txt")
    with sqlite3.connect(version_1) as connection:
        connection.execute("UPDATE leadlife_meta SET value = '9'")
    with pytest.raises(StoreError, match="newer than this leadlife knows"):
        migrate(version_1)
    with pytest.raises(StoreError, match="version 9, newer than this leadlife reads"):
        SQLiteStore(version_1)
    with sqlite3.connect(version_1) as connection:
        connection.execute("UPDATE leadlife_meta SET value = 'two'")
    with pytest.raises(StoreError, match="'two', not a version"):
        migrate(version_1)


@pytest.mark.parametrize("to", [0, 3, "2", True, 1.0])
def test_a_version_it_does_not_know_is_refused_by_name(version_1, to):
    with pytest.raises(ValidationError, match=r"migrate\.to: expected a schema version from 1 to"):
        migrate(version_1, to=to)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", ["", "  ", None, 3])
def test_a_target_that_is_none_is_refused_by_name(target):
    with pytest.raises(ValidationError, match=r"migrate\.target"):
        migrate(target)  # type: ignore[arg-type]


def test_the_command_migrates_and_says_so(version_1):
    runner = CliRunner()
    dry = runner.invoke(cli, ["store", "migrate", str(version_1), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[0].endswith("(dry run: nothing changed)")
    assert "CREATE TABLE IF NOT EXISTS leadlife_keys ( key TEXT NOT NULL PRIMARY KEY," in dry.output
    assert version_of(version_1) == "1"
    done = runner.invoke(cli, ["store", "migrate", str(version_1)])
    assert (done.exit_code, done.output) == (
        0,
        "schema version 1 -> schema version 2: 2 statements\n",
    )
    back = runner.invoke(cli, ["store", "migrate", str(version_1), "--to", "1"])
    assert back.output == "schema version 2 -> schema version 1: 2 statements\n"
    bad = runner.invoke(cli, ["store", "migrate", str(version_1), "--to", "7"])
    assert bad.exit_code == 2
    missing = runner.invoke(cli, ["store", "migrate", str(version_1.parent / "none.db")])
    assert missing.exit_code == 1
    assert missing.output.startswith("error: ")


def test_postgresql_moves_from_version_one_too(postgres_database):
    import psycopg  # noqa: PLC0415

    from leadlife.store import PostgresStore  # noqa: PLC0415

    with psycopg.connect(postgres_database) as connection:
        for statement in schema.plan("postgresql", None, 1):
            connection.execute(statement)
    with pytest.raises(StoreError, match="leadlife store migrate"):
        PostgresStore(postgres_database)
    assert migrate(postgres_database, dry_run=True).found == 1
    done = migrate(postgres_database)
    assert (done.found, done.to) == (1, 2)
    with PostgresStore(postgres_database) as store:
        lead = histories()[0]
        assert store.save(lead, key="first") == len(lead)
        assert store.save(lead, key="first") == len(lead)
        assert list(store.histories()) == [lead]
    assert migrate(postgres_database).statements == ()
    assert migrate(postgres_database, to=1).found == 2
    with psycopg.connect(postgres_database) as connection:
        assert connection.execute("SELECT to_regclass('leadlife_keys')").fetchone()[0] is None
    with pytest.raises(StoreError, match="cannot be migrated"):
        migrate(postgres_database.replace("dbname=", "dbname=missing_"))
