"""What a writer does, in a thread or another process: grow histories through the store.

A top-level module, so that processes started with ``spawn`` can import it.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from leadlife import Contact, FixedClock, History, LeadId, Lifecycle, Source
from leadlife.errors import ConcurrencyError, LeadlifeError
from leadlife.followup import Channel, FollowUpPlan
from leadlife.store import EventStore, PostgresStore, SQLiteStore

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
REVIEW = date(2026, 9, 1)


def open_store(kind: str, where: str) -> EventStore:
    return SQLiteStore(where) if kind == "sqlite" else PostgresStore(where)


def grow(store: EventStore, key: str, actor: str, *, times: int) -> int:
    """Add ``times`` owner changes to lead ``key`` (captured first if need be); conflicts met."""
    life = Lifecycle(clock=FixedClock(START + timedelta(days=1)))
    lead_id = LeadId(key)
    conflicts = 0
    done = 0
    while done < times:
        stored = store.version(lead_id)
        if stored == 0:
            capture = Lifecycle(clock=FixedClock(START)).capture(
                id=lead_id, contact=Contact(name=key), source=Source(channel="web"), actor=actor
            )
            events = list(capture.events)
        else:
            history = store.history(lead_id)
            before = len(history)
            owner = f"{actor}-{done}" if history.record.owner != f"{actor}-{done}" else actor
            life.assign(history, owner, actor=actor)
            events = list(history[before:])
        try:
            store.append(lead_id, events, expected_version=stored)
        except ConcurrencyError:
            conflicts += 1
            continue
        if stored:
            done += 1
    return conflicts


def writer(kind: str, where: str, keys: list[str], actor: str, times: int) -> int:
    """A process's work: grow each of ``keys`` ``times`` times; the conflicts it met."""
    store = open_store(kind, where)
    try:
        return sum(grow(store, key, actor, times=times) for key in keys)
    finally:
        store.close()


def flood(kind: str, where: str, batch: int) -> None:
    """Append batches of ``batch`` events to new leads, forever (until killed)."""
    store = open_store(kind, where)
    life = Lifecycle(clock=FixedClock(START))
    number = 0
    while True:
        number += 1
        history = life.capture(
            id=LeadId(f"F-{number}"),
            contact=Contact(name="x"),
            source=Source(channel="web"),
            actor="flood",
        )
        for index in range(batch - 1):
            life.assign(history, f"o{index}", actor="flood")
        store.append(history.record_id, history.events, expected_version=0)


PLAN = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=2))


def stale_step(life: Lifecycle, view: History[Any], rng: random.Random) -> None:
    """One random change made from ``view`` (which may be stale): a move, a plan, an end to one.

    Raises:
        LeadlifeError: The view itself refuses the change (the writer then tries another).
    """
    choice = rng.random()
    record = view.record
    if choice < 0.15:
        life.agree_follow_up(view, PLAN, actor="w")
    elif choice < 0.3 and record.follow_up is not None:
        life.stop_chase(view, actor="w", reason="no answer")
    elif choice < 0.4:
        life.assign(view, rng.choice(["ann", "bob"]), actor="w")
    else:
        event = rng.choice(life.allowed_events(record))
        life.send(view, event, actor="w", reason="asked", review_on=REVIEW)


def stale_writer(kind: str, where: str, key: str, seed: int, times: int) -> tuple[int, int]:
    """``times`` changes to lead ``key``, each made from a random prefix of its stored history.

    Half are appended through a recorder's sink (at the end, whatever the
    version), half at the version stored when the change was made. The store
    must refuse every change that does not continue what it holds. Returns
    (changes stored, changes refused as stale).
    """
    rng = random.Random(seed)  # noqa: S311 - a seeded walk, not a secret
    store = open_store(kind, where)
    # Every event at one instant: times never go back, so only staleness refuses.
    life = Lifecycle(clock=FixedClock(START + timedelta(days=1)), framework=None)
    lead_id = LeadId(key)
    stored = refused = 0
    try:
        for _ in range(times):
            events = store.events(lead_id)
            view: History[Any] = History(events[: rng.randint(1, len(events))])
            before = len(view)
            try:
                stale_step(life, view, rng)
            except LeadlifeError:
                continue
            new = list(view[before:])
            try:
                if rng.random() < 0.5:
                    for event in new:
                        store.sink()(event)
                else:
                    store.append(lead_id, new, expected_version=store.version(lead_id))
            except ConcurrencyError:
                refused += 1
            else:
                stored += 1
    finally:
        store.close()
    return stored, refused


def capture_once(kind: str, where: str, key: str) -> None:
    """Store lead ``key``'s capture."""
    store = open_store(kind, where)
    try:
        capture = Lifecycle(clock=FixedClock(START)).capture(
            id=LeadId(key), contact=Contact(name=key), source=Source(channel="web"), actor="w"
        )
        store.append(capture.record_id, capture.events, expected_version=0)
    finally:
        store.close()
