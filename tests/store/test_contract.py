"""The event store's contract, the same on SQLite (file and memory) and on a real PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from writers import START, grow

import strategies as s
from leadlife import DefaultFunnel, LeadId, OpportunityId, replay
from leadlife.errors import ConcurrencyError, StoreError, ValidationError
from leadlife.store import SQLiteStore, StoredEvent


def captured(key: str = "L-1"):
    from leadlife import Contact, FixedClock, Lifecycle, Source  # noqa: PLC0415

    life = Lifecycle(clock=FixedClock(START))
    history = life.capture(
        id=LeadId(key), contact=Contact(name="Ada"), source=Source(channel="web"), actor="ops"
    )
    life.send(history, "engage", actor="ops")
    life.assign(history, "sam", actor="ops")
    return life, history


def test_an_append_is_read_back_exactly(store):
    _, history = captured()
    assert store.append(history.record_id, history.events, expected_version=0) == 3
    assert store.version(history.record_id) == 3
    assert store.events(history.record_id) == list(history.events)
    assert store.history(history.record_id, funnel=DefaultFunnel).record == history.record
    assert store.position == 3


def test_an_append_on_a_stale_version_writes_nothing(store):
    _, history = captured()
    store.append(history.record_id, history[:1], expected_version=0)
    with pytest.raises(ConcurrencyError) as raised:
        store.append(history.record_id, history[1:], expected_version=0)
    assert (raised.value.expected, raised.value.actual) == (0, 1)
    with pytest.raises(ConcurrencyError):
        store.append(history.record_id, history[1:], expected_version=2)
    assert store.version(history.record_id) == 1
    assert store.append(history.record_id, history[1:], expected_version=1) == 3


def test_save_stores_what_the_store_lacks_and_refuses_a_diverged_history(store):
    life, history = captured()
    assert store.save(history) == 3
    assert store.save(history) == 3  # nothing new
    life.assign(history, "bob", actor="ops")
    assert store.save(history) == 4
    life2, other = captured()  # the same record, grown elsewhere: its fourth event differs
    life2.assign(other, "eve", actor="x")
    life2.assign(other, "bob", actor="x")
    with pytest.raises(ConcurrencyError) as raised:
        store.save(other)
    assert (raised.value.expected, raised.value.actual) == (3, 4)
    _, short = captured()
    with pytest.raises(ConcurrencyError):
        store.save(short)  # the store holds more than it
    assert store.version(history.record_id) == 4


def test_changes_are_gap_free_in_commit_order(store):
    for key in ("L-1", "L-2", "L-3"):
        _, history = captured(key)
        store.append(history.record_id, history.events, expected_version=0)
    changes = list(store.changes())
    assert [change.position for change in changes] == list(range(1, 10))
    assert [(str(c.record_id), c.version) for c in changes][:4] == [
        ("L-1", 1),
        ("L-1", 2),
        ("L-1", 3),
        ("L-2", 1),
    ]
    assert isinstance(changes[0], StoredEvent)
    assert [change.position for change in store.changes(since=7)] == [8, 9]
    assert list(store.changes(since=9)) == []


def test_every_history_streams_out_and_replays(store):
    kept = {}
    for key in ("L-2", "L-1", "L-3"):
        _, history = captured(key)
        store.save(history)
        kept[key] = history.record
    read = {str(h.record_id): h.record for h in store.histories(funnel=DefaultFunnel)}
    assert read == kept


def test_what_is_not_there_or_not_right_is_refused(store):
    with pytest.raises(StoreError, match="no history of LeadId"):
        store.history(LeadId("nobody"))
    assert store.events(OpportunityId("O-1")) == []
    _, history = captured()
    with pytest.raises(ValidationError, match=r"events\[0\]: expected an event of LeadId"):
        store.append(LeadId("L-2"), history.events, expected_version=0)
    with pytest.raises(ValidationError, match="expected_version"):
        store.append(history.record_id, history.events, expected_version=-1)
    with pytest.raises(ValidationError, match="record_id"):
        store.append("L-1", history.events, expected_version=0)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="since"):
        list(store.changes(since=-1))
    assert store.append(history.record_id, [], expected_version=0) == 0
    assert store.position == 0


def test_writers_on_one_record_take_turns(open_store):
    first, second = open_store(), open_store()
    grow(first, "L-1", "a", times=2)
    grow(second, "L-1", "b", times=2)
    assert first.version(LeadId("L-1")) == 5
    assert [c.position for c in second.changes()] == [1, 2, 3, 4, 5]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.journeys())
def test_any_journey_round_trips_through_a_store(journey):
    with SQLiteStore(":memory:") as store:
        for history in journey:
            store.save(history)
        for history in journey:
            assert store.events(history.record_id) == list(history.events)
            assert store.history(history.record_id).record == replay(history.events)
