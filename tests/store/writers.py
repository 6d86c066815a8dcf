"""What a writer does, in a thread or another process: grow histories through the store.

A top-level module, so that processes started with ``spawn`` can import it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
from leadlife.errors import ConcurrencyError
from leadlife.store import EventStore, PostgresStore, SQLiteStore

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


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
