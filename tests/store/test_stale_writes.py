"""A stale write is never stored: every append continues the history the store holds.

An append whose version matches can still be stale: two requests that moved
the same row from the stage both had read, a recorder's sink (which appends
at the end, whatever the version), a writer that re-read the version but not
the record. The store replays what it holds and refuses what does not follow.
"""

from __future__ import annotations

import multiprocessing
import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from writers import START, capture_once, open_store, stale_step, stale_writer

from leadlife import (
    Contact,
    DefaultFunnel,
    FixedClock,
    History,
    LeadId,
    Lifecycle,
    Source,
    StageRecorder,
)
from leadlife.errors import (
    ConcurrencyError,
    ReplayError,
    StaleWriteError,
    StoreError,
    ValidationError,
)
from leadlife.events import StageChanged
from leadlife.store import SQLiteStore


class Row:
    """An app's row, bound to the funnel."""

    def __init__(self, stage: str) -> None:
        self.stage = stage


def captured(store, key: str = "L-1") -> History:
    history = Lifecycle(clock=FixedClock(START)).capture(
        id=LeadId(key), contact=Contact(name="Ada"), source=Source(channel="web"), actor="form"
    )
    store.append(history.record_id, history.events, expected_version=0)
    return history


def test_two_requests_moving_the_same_row_from_a_stale_stage(store):
    captured(store)
    clock = FixedClock(START + timedelta(hours=1))
    recorder = StageRecorder(record_id=LeadId("L-1"), clock=clock, sink=store.sink())
    first, second = Row("suspect"), Row("suspect")  # both requests read the row at suspect
    DefaultFunnel(model=first, listeners=[recorder]).send("engage", actor="a")
    with pytest.raises(StaleWriteError) as refused:
        DefaultFunnel(model=second, listeners=[recorder]).send("engage", actor="b")
    error = refused.value
    assert (error.index, error.stage, error.expected, error.actual) == (0, "lead", 2, 2)
    assert "leaves stage 'suspect' but the record is in 'lead'" in str(error)
    assert isinstance(error, ConcurrencyError)  # an app's retry loop catches both
    assert second.stage == "suspect"  # the row stays where it was
    history = store.history(LeadId("L-1"), funnel=DefaultFunnel)  # and the history replays
    assert [event.actor for event in history] == ["form", "a"]


def test_an_append_at_the_right_version_made_from_an_older_view_is_refused(store):
    history = captured(store)
    life = Lifecycle(clock=FixedClock(START + timedelta(hours=1)))
    stale = History(history.events)
    life.send(history, "engage", actor="a")
    store.save(history)
    life.assign(stale, "bob", actor="b")  # not a move: it continues any history
    store.append(history.record_id, stale[1:], expected_version=2)
    life.send(stale, "engage", actor="b")  # a move from the stage stale saw
    with pytest.raises(StaleWriteError, match="leaves stage 'suspect'"):
        store.append(history.record_id, stale[2:], expected_version=3)
    assert store.version(history.record_id) == 3


def test_an_end_to_a_follow_up_someone_else_ended_is_refused(store):
    from writers import PLAN  # noqa: PLC0415

    history = captured(store)
    life = Lifecycle(clock=FixedClock(START + timedelta(hours=1)))
    life.agree_follow_up(history, PLAN, actor="a")
    store.save(history)
    stale = History(history.events)
    life.stop_chase(history, actor="a", reason="no answer")
    store.save(history)
    life.stop_chase(stale, actor="b", reason="no answer")
    before = store.version(history.record_id)
    with pytest.raises(StaleWriteError, match="no follow-up") as refused:
        store.append(history.record_id, stale[2:], expected_version=before)
    assert refused.value.index == 0
    assert store.version(history.record_id) == before


def test_a_store_given_the_funnel_refuses_a_move_it_does_not_make(tmp_path):
    with SQLiteStore(tmp_path / "e.sqlite", funnel=DefaultFunnel) as store:
        assert store.funnel is DefaultFunnel
        history = captured(store)
        leap = StageChanged(
            record_id=history.record_id,
            at=START,
            actor="x",
            event="win",
            from_stage="suspect",
            to_stage="customer",
        )
        with pytest.raises(StaleWriteError, match="has no 'win' from 'suspect'"):
            store.append(history.record_id, [leap], expected_version=1)
    with SQLiteStore(tmp_path / "e.sqlite") as store:  # without the funnel, the stage follows
        assert store.append(history.record_id, [leap], expected_version=1) == 2
    with (
        SQLiteStore(tmp_path / "e.sqlite", funnel=DefaultFunnel) as store,
        pytest.raises(ReplayError, match="has no 'win' from 'suspect'"),
    ):
        store.history(history.record_id)  # read with the store's funnel


def test_the_stored_history_must_replay_before_anything_is_added_to_it(tmp_path):
    with SQLiteStore(tmp_path / "e.sqlite") as store:
        history = captured(store)
        other = captured(store, "L-2")
        more = Lifecycle(clock=FixedClock(START)).assign(History(history.events), "bob", actor="x")
        # Rows changed by hand: L-1's creation replaced by L-2's, then by no event at all.
        store._connection.execute(
            "UPDATE leadlife_events SET document = (SELECT document FROM leadlife_events "
            "WHERE record_id = 'L-2') WHERE record_id = 'L-1'"
        )
        with pytest.raises(StoreError, match="does not replay at event 0: it is an event of"):
            store.append(history.record_id, [more], expected_version=1)
        store._connection.execute("UPDATE leadlife_events SET document = '{}'")
        with pytest.raises(StoreError, match=r"stored event 0 of LeadId\(value='L-1'\) cannot"):
            store.append(history.record_id, [more], expected_version=1)
        with pytest.raises(StoreError, match="stored event at position 1 cannot be read"):
            list(store.changes())
        with pytest.raises(StoreError, match="stored event 0 of lead 'L-1' cannot be read"):
            list(store.histories())
        assert store.version(other.record_id) == 1


def test_a_new_history_starts_with_its_creation(store):
    history = captured(store)
    moved = Lifecycle(clock=FixedClock(START)).send(History(history.events), "engage", actor="x")
    stray = StageChanged(
        record_id=LeadId("L-2"),
        at=moved.at,
        actor="x",
        event="engage",
        from_stage="suspect",
        to_stage="lead",
    )
    with pytest.raises(StoreError, match="store its creation event first"):
        store.append(LeadId("L-2"), [stray], expected_version=0)
    with pytest.raises(StoreError, match="store its creation event first"):
        store.sink()(stray)
    assert store.version(LeadId("L-2")) == 0


def test_a_sink_refuses_what_is_not_an_event(store):
    with pytest.raises(ValidationError, match="a leadlife event"):
        store.sink()("engage")


def test_events_given_as_any_iterable_and_refused_as_a_string(store):
    history = captured(store, "L-9")
    life = Lifecycle(clock=FixedClock(START))
    life.assign(history, "bob", actor="x")
    assert store.append(history.record_id, iter(history[1:]), expected_version=1) == 2
    with pytest.raises(ValidationError, match="a sequence of events"):
        store.append(history.record_id, "events", expected_version=2)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 40))
def test_stale_views_never_leave_a_history_that_does_not_replay(seed, steps):
    """Changes made from random prefixes of the stored history: what is stored always replays."""
    rng = random.Random(seed)  # noqa: S311 - a seeded walk, not a secret
    with SQLiteStore(":memory:", funnel=DefaultFunnel) as store:
        captured(store)
        life = Lifecycle(clock=FixedClock(START + timedelta(days=1)), framework=None)
        for _ in range(steps):
            events = store.events(LeadId("L-1"))
            view: History = History(events[: rng.randint(1, len(events))])
            before = len(view)
            try:
                stale_step(life, view, rng)
            except (ValidationError, StoreError, ConcurrencyError):
                raise
            except Exception:  # noqa: BLE001, S112 - the view refused it: try another
                continue
            stored = store.version(LeadId("L-1"))
            try:
                store.append(LeadId("L-1"), view[before:], expected_version=stored)
            except StaleWriteError:
                # Refused only when the view was stale: a fresh view's change always continues.
                assert before < stored
            History(store.events(LeadId("L-1")), funnel=DefaultFunnel)  # replays, or raises


@pytest.fixture(params=["sqlite", "postgres"])
def where(request, tmp_path) -> tuple[str, str]:
    if request.param == "sqlite":
        return "sqlite", str(tmp_path / "events.sqlite")
    return "postgres", request.getfixturevalue("postgres_database")


WRITERS = 4
CHANGES = 30


def check_replays(kind: str, location: str, results: list[tuple[int, int]]) -> None:
    store = open_store(kind, location)
    try:
        history = store.history(LeadId("SHARED"), funnel=DefaultFunnel)
        stored = sum(done for done, _ in results)
        assert len(history) >= 1 + stored  # a change may be several events
        assert sum(refused for _, refused in results) > 0  # the views were stale, often
    finally:
        store.close()


def test_threads_with_stale_views(where):
    kind, location = where
    capture_once(kind, location, "SHARED")
    with ThreadPoolExecutor(WRITERS) as pool:
        results = list(
            pool.map(lambda n: stale_writer(kind, location, "SHARED", n, CHANGES), range(WRITERS))
        )
    check_replays(kind, location, results)


def test_processes_with_stale_views(where):
    kind, location = where
    capture_once(kind, location, "SHARED")
    context = multiprocessing.get_context("spawn")
    with context.Pool(WRITERS) as pool:
        results = pool.starmap(
            stale_writer, [(kind, location, "SHARED", 100 + n, CHANGES) for n in range(WRITERS)]
        )
    check_replays(kind, location, results)
