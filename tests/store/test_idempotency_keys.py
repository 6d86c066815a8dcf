"""An append made with an idempotency key is written once, however often, however at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from writers import open_store

from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock
from leadlife.errors import ConcurrencyError, ValidationError
from leadlife.store import KeyedAppend, SQLiteStore

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def captured(name: str, *, start: datetime = START):
    life = Lifecycle(clock=SteppingClock(start=start, step=timedelta(minutes=1)))
    lead = life.capture(
        id=LeadId(name), contact=Contact(name=name), source=Source(channel="web"), actor="web"
    )
    return life, lead


def test_a_retried_append_writes_once_and_answers_the_same(store):
    _, lead = captured("L-1")
    assert store.keyed("form-1") is None
    assert store.append(lead.record_id, lead.events, expected_version=0, key="form-1") == 1
    # The retry: the same request, its expected version read before the first try.
    _, again = captured("L-1", start=START + timedelta(seconds=3))
    assert store.append(again.record_id, again.events, expected_version=0, key="form-1") == 1
    assert store.version(lead.record_id) == 1
    assert store.events(lead.record_id) == list(lead.events)
    assert store.keyed("form-1") == KeyedAppend(key="form-1", record_id=LeadId("L-1"), version=1)


def test_a_new_key_is_a_new_append_checked_as_ever(store):
    life, lead = captured("L-1")
    store.append(lead.record_id, lead.events, expected_version=0, key="capture")
    life.send(lead, "engage", actor="ops")
    assert store.append(lead.record_id, lead.events[1:], expected_version=1, key="engage") == 2
    with pytest.raises(ConcurrencyError):  # without the key's protection: stale
        store.append(lead.record_id, lead.events[1:], expected_version=1, key="engage-2")
    assert store.keyed("engage-2") is None  # refused: nothing noted
    assert store.keyed("engage").version == 2


def test_a_key_used_for_another_record_is_refused_by_name(store):
    _, ada = captured("L-1")
    _, bo = captured("L-2")
    store.append(ada.record_id, ada.events, expected_version=0, key="k")
    with pytest.raises(ValidationError, match=r"append\.key: expected a key not used before"):
        store.append(bo.record_id, bo.events, expected_version=0, key="k")
    with pytest.raises(ValidationError, match=r"save\.key: .*\(it made lead L-1's version 1\)"):
        store.save(bo, key="k")
    assert store.version(bo.record_id) == 0


def test_a_saved_history_with_a_key_is_saved_once(store):
    life, lead = captured("L-1")
    assert store.save(lead, key="s-1") == 1
    life.send(lead, "engage", actor="ops")
    assert store.save(lead, key="s-2") == 2
    assert store.save(lead, key="s-2") == 2
    assert store.save(lead, key="s-1") == 1  # what the first save with that key reached
    assert store.version(lead.record_id) == 2


@pytest.mark.parametrize("key", ["", "   ", "a" * 201, "a\x00b", 7, b"k"])
def test_what_is_not_a_key_is_refused_before_anything_is_read(store, key):
    _, lead = captured("L-1")
    for call in (
        lambda: store.append(lead.record_id, lead.events, expected_version=0, key=key),
        lambda: store.save(lead, key=key),
        lambda: store.keyed(key),
    ):
        with pytest.raises(ValidationError, match=r"\.key: expected an idempotency key"):
            call()
    assert store.version(lead.record_id) == 0


@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "events.sqlite")
    return "postgres", request.getfixturevalue("postgres_database")


def test_copies_sent_at_the_same_moment_are_one_write(where):
    kind, location = where
    open_store(kind, location).close()
    copies = 6
    ready = threading.Barrier(copies)
    answers: list[int] = []

    def send(n: int) -> None:
        store = open_store(kind, location)
        try:
            _, lead = captured("L-1", start=START + timedelta(seconds=n))
            ready.wait()
            answers.append(store.append(lead.record_id, lead.events, expected_version=0, key="w"))
        finally:
            store.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [1] * copies
    store = open_store(kind, location)
    try:
        assert store.version(LeadId("L-1")) == 1
        assert store.position == 1
    finally:
        store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4)), min_size=1, max_size=20))
def test_any_run_of_retries_is_the_run_without_them(sends):
    """Each (lead, key) sent any number of times: the store holds each key's append once."""
    life = Lifecycle(clock=SteppingClock(start=START, step=timedelta(minutes=1)))
    with SQLiteStore(":memory:") as store:
        noted: dict[str, tuple[str, int]] = {}
        for index, (lead_number, key_number) in enumerate(sends):
            name, key = f"L-{lead_number}", f"key-{lead_number}-{key_number}"
            lead = life.capture(
                id=LeadId(name),
                contact=Contact(name=name),
                source=Source(channel="web"),
                actor="web",
            )
            stored = store.version(lead.record_id)
            events = list(lead.events) if stored == 0 else []
            if stored:
                lead = store.history(lead.record_id)
                life.assign(lead, owner=f"{key}#{index}", actor="ops")
                events = list(lead.events[stored:])
            answer = store.append(lead.record_id, events, expected_version=stored, key=key)
            if key in noted:
                assert (name, answer) == noted[key]
            else:
                assert answer == stored + len(events)
                noted[key] = (name, answer)
        assert store.position == len(noted)  # each new key one event: a capture or an owner
