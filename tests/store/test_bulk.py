"""Books stored in one transaction: save_many and append_many, on SQLite and a real PostgreSQL.

Each keeps the contract of one append (the expected version, events that
continue the stored history, a store's funnel) for every record of the
batch, and writes every record or none.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from writers import START

import strategies as s
from leadlife import (
    Contact,
    DefaultFunnel,
    FixedClock,
    History,
    LeadId,
    Lifecycle,
    Source,
)
from leadlife._store.bulk import CHUNK
from leadlife.errors import ConcurrencyError, StaleWriteError, ValidationError
from leadlife.events import StageChanged
from leadlife.store import SQLiteStore


def book(count: int, start: int = 1) -> tuple[Lifecycle, list[History]]:
    life = Lifecycle(clock=FixedClock(START))
    histories = []
    for number in range(start, start + count):
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            actor="ops",
        )
        for turn in range(number % 3):
            life.assign(history, f"owner-{number}-{turn}", actor="ops")
        histories.append(history)
    return life, histories


def test_a_book_saved_at_once_reads_back_as_saved_one_by_one(open_store):
    _, histories = book(5)
    together, apart = open_store(), SQLiteStore(":memory:")
    assert together.save_many(histories) == [len(history) for history in histories]
    for history in histories:
        apart.save(history)
    assert [(c.position, c.record_id, c.version, c.event) for c in together.changes()] == [
        (c.position, c.record_id, c.version, c.event) for c in apart.changes()
    ]
    assert together.save_many(histories) == [len(history) for history in histories]  # nothing new
    assert together.position == sum(len(history) for history in histories)


def test_save_many_writes_what_the_store_lacks_across_many_version_reads(open_store):
    # More records than one statement reads the versions of; some stored in part already.
    life, histories = book(CHUNK + 20)
    store = open_store()
    store.save_many(histories[::7])
    for history in histories[::7]:
        life.assign(history, "later", actor="ops")
    assert store.save_many(histories) == [len(history) for history in histories]
    for history in histories[::97]:
        assert store.events(history.record_id) == list(history.events)
    positions = [change.position for change in store.changes()]
    assert positions == list(range(1, len(positions) + 1))


def test_one_diverged_history_and_the_batch_writes_nothing(open_store):
    life, histories = book(4)
    store = open_store()
    life.assign(histories[2], "bob", actor="ops")
    store.save(histories[2])  # L-3: captured, then bob
    other_life, (other,) = book(1, start=3)  # the same record, grown elsewhere
    other_life.assign(other, "eve", actor="x")
    with pytest.raises(ConcurrencyError) as raised:
        store.save_many([histories[0], other, histories[1]])
    assert (raised.value.record_id, raised.value.expected, raised.value.actual) == (
        LeadId("L-3"),
        1,
        2,
    )
    short = History(histories[2].events[:1])
    with pytest.raises(ConcurrencyError):
        store.save_many([histories[0], short])  # the store holds more than it
    assert store.position == len(histories[2])
    assert store.version(LeadId("L-1")) == 0


def test_append_many_checks_each_append_and_writes_all_or_none(open_store):
    _, histories = book(3)
    store = open_store()
    first, second, third = histories
    assert store.append_many([(first.record_id, first.events, 0)]) == [len(first)]
    with pytest.raises(ConcurrencyError) as raised:
        store.append_many(
            [(second.record_id, second.events, 0), (first.record_id, first.events, 0)]
        )
    assert (raised.value.expected, raised.value.actual) == (0, len(first))
    leap = StageChanged(
        record_id=third.record_id,
        at=START,
        actor="x",
        event="win",
        from_stage="lead",  # it stands in suspect
        to_stage="customer",
    )
    with pytest.raises(StaleWriteError, match="'lead'") as stale:
        store.append_many(
            [(second.record_id, second.events, 0), (third.record_id, [*third.events, leap], 0)]
        )
    assert stale.value.index == len(third)
    assert store.position == len(first)
    assert store.append_many(
        [(second.record_id, second.events, 0), (third.record_id, third.events, 0)]
    ) == [len(second), len(third)]
    assert store.append_many([]) == []


def test_a_batch_that_is_not_one_is_refused_by_name(store):
    _, (first, second) = book(2)
    once = r"append_many.appends\[1\]: expected each record once"
    with pytest.raises(ValidationError, match=once):
        store.append_many([(first.record_id, first.events, 0), (first.record_id, [], 1)])
    with pytest.raises(ValidationError, match=r"appends\[0\]: expected a \(record_id, events"):
        store.append_many([(first.record_id, first.events)])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"appends\[0\].expected_version: expected the"):
        store.append_many([(first.record_id, first.events, -1)])
    with pytest.raises(ValidationError, match=r"appends\[0\].record_id: expected a record id"):
        store.append_many([("L-1", first.events, 0)])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"events\[0\]: expected an event of LeadId"):
        store.append_many([(second.record_id, first.events, 0)])
    with pytest.raises(ValidationError, match=r"append_many\.appends: expected a sequence of"):
        store.append_many(None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"save_many.histories\[1\]: expected a History"):
        store.save_many([first, first.events])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"save_many.histories\[1\]: expected each record"):
        store.save_many([first, first])
    with pytest.raises(ValidationError, match=r"save_many\.histories: expected a sequence of hist"):
        store.save_many("L-1")  # type: ignore[arg-type]
    assert store.position == 0


def test_a_store_with_a_funnel_checks_a_history_made_without_one(tmp_path):
    _, (history,) = book(1)
    leap = StageChanged(
        record_id=history.record_id,
        at=START,
        actor="x",
        event="win",
        from_stage="suspect",
        to_stage="customer",
    )
    loose = History([*history.events, leap])  # no funnel: the stage follows
    with SQLiteStore(tmp_path / "e.sqlite", funnel=DefaultFunnel) as store:
        with pytest.raises(StaleWriteError, match="has no 'win' from 'suspect'"):
            store.save_many([loose])
        assert store.position == 0
        bound = History(history.events, funnel=DefaultFunnel)
        assert store.save_many([bound]) == [len(bound)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s.journeys())
def test_any_journeys_saved_at_once_are_what_saving_them_one_by_one_stores(journey):
    with SQLiteStore(":memory:") as together, SQLiteStore(":memory:") as apart:
        together.save_many(journey)
        for history in journey:
            apart.save(history)
        assert [(c.record_id, c.version, c.event) for c in together.changes()] == [
            (c.record_id, c.version, c.event) for c in apart.changes()
        ]
