"""A store given what it cannot use says so with its own errors, never a driver's or Python's."""

from __future__ import annotations

import pytest
from writers import START

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
from leadlife.errors import StoreError, ValidationError
from leadlife.store import PostgresStore, SQLiteStore


def lead():
    return Lifecycle(clock=FixedClock(START)).capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="t"
    )


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="cannot hold a leadlife store"):
        SQLiteStore(path)


def test_a_truncated_database_is_refused(tmp_path):
    path = tmp_path / "events.sqlite"
    with SQLiteStore(path) as store:
        history = lead()
        store.append(history.record_id, history.events, expected_version=0)
    (tmp_path / "events.sqlite-wal").unlink(missing_ok=True)
    path.write_bytes(path.read_bytes()[:1500])  # cut mid-page

    def read() -> None:
        with SQLiteStore(path) as store:
            store.events(history.record_id)

    with pytest.raises(StoreError):
        read()


def test_a_folder_and_a_missing_folder_are_named(tmp_path):
    with pytest.raises(StoreError, match="is a folder, not a database file"):
        SQLiteStore(tmp_path)
    with pytest.raises(StoreError, match=r"the folder .*nowhere does not exist"):
        SQLiteStore(tmp_path / "nowhere" / "events.sqlite")


def test_an_empty_file_is_an_empty_store(tmp_path):
    # SQLite reads a 0-byte file as an empty database: the store creates its tables there.
    path = tmp_path / "events.sqlite"
    path.touch()
    with SQLiteStore(path) as store:
        assert store.position == 0


def test_a_closed_store_says_so(tmp_path):
    store = SQLiteStore(tmp_path / "events.sqlite")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.version(LeadId("L-1"))


def test_a_nul_in_an_id_or_a_name_is_refused_before_any_store_sees_it():
    with pytest.raises(ValidationError, match="without NUL"):
        LeadId("L-\x001")
    with pytest.raises(ValidationError, match="without NUL"):
        Contact(name="Ada\x00")


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda store: store.version("L-1"), "record_id"),
        (lambda store: store.events(None), "record_id"),
        (lambda store: store.history(7), "record_id"),
        (lambda store: store.save("history"), "history"),
        (lambda store: store.append(LeadId("L-1"), 3, expected_version=0), "events"),
        (lambda store: store.changes(since="0"), "since"),
    ],
)
def test_arguments_of_the_wrong_kind_are_named(store, call, argument):
    with pytest.raises(ValidationError) as refused:
        list(call(store) or ())
    assert refused.value.field == argument


def test_a_postgres_error_names_the_server_never_the_password():
    with pytest.raises(StoreError) as refused:
        PostgresStore("postgresql://app:s3cret@127.0.0.1:1/leads")
    assert "s3cret" not in str(refused.value)
    assert "host=127.0.0.1 port=1 dbname=leads user=app" in str(refused.value)
