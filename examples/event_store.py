"""Keep histories in an event store: append, grow, conflicts, and a consumer that follows along.

An app keeps its leads' histories in SQLite here (a file in a temporary
folder); with PostgreSQL it is the same code with ``PostgresStore(dsn)``.
The demo's book (five journeys, their leads, prospects and deals) is
stored, one history grown by two writers at once, the conflict reported and
resolved by reading again, and a consumer reads every change once, in order.

Run: python examples/event_store.py
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

from leadlife import DefaultFunnel, FixedClock, Lifecycle, load
from leadlife.errors import ConcurrencyError
from leadlife.store import SQLiteStore

BOOK = Path(__file__).parent / "data" / "book.jsonl"

with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "leads.db") as store:
    # 1. Store a book: each history once, as new records (expected version 0).
    with BOOK.open() as file:
        histories = list(load(file))
    for history in histories:
        store.append(history.record_id, history.events, expected_version=0)
    print(f"stored {len(histories)} histories, {store.position} events")

    # 2. Two writers read the same lead, both change it; the second is told, reads again.
    lead_id = next(h.record_id for h in histories if h.record.stage == "sales_ready")
    life = Lifecycle(clock=FixedClock(datetime(2026, 12, 1, 9, tzinfo=UTC)))
    first = store.history(lead_id, funnel=DefaultFunnel)
    second = store.history(lead_id, funnel=DefaultFunnel)
    life.assign(first, "ada", actor="first writer")
    store.save(first)
    life.assign(second, "bob", actor="second writer")
    try:
        store.save(second)
    except ConcurrencyError as error:
        print(f"second writer: {error}")
        second = store.history(lead_id, funnel=DefaultFunnel)  # read again, then decide
        life.assign(second, "bob", actor="second writer")
        store.save(second)
    print(
        f"{lead_id}: owner {store.history(lead_id).record.owner}, {store.version(lead_id)} events"
    )

    # 3. A consumer remembers the last position it handled and asks for what came after.
    handled = 0
    for change in store.changes(since=handled):
        handled = change.position
    print(f"the consumer has handled every change, up to position {handled}")

    # 4. Every history, streamed and checked against the funnel, into the book-level tools.
    replayed = sum(1 for _ in store.histories(funnel=DefaultFunnel))
    print(f"{replayed} histories replayed from the store")
