"""Load a generated book from JSON Lines into the event store, then replay every history from it.

A book of leads is generated (seeded), written as JSON Lines (what an export
or another system hands over), read back with ``leadlife.load`` and appended
to an SQLite store, history by history; then every history is streamed back
out of the store, replayed, checked against the funnel, and the funnel's
inventory counted. Each step prints its rate.

Run: python examples/load_a_book_into_the_store.py [--events N]
(CI runs the default, 20,000 events; ``--events 1000000`` is the million.)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from leadlife import (
    Contact,
    DefaultFunnel,
    History,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    dump,
    load,
)
from leadlife.store import SQLiteStore

PATH = ("engage", "mark_sales_ready", "accept")


def generate(events: int) -> Iterator[History[Any]]:
    """Histories of about eight events each, until ``events`` are made."""
    clock = SteppingClock(start=datetime(2026, 1, 5, 9, tzinfo=UTC), step=timedelta(minutes=7))
    life = Lifecycle(clock=clock)
    made = number = 0
    while made < events:
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=f"Lead {number}"),
            source=Source(channel=("web", "event", "referral")[number % 3]),
            actor="import",
        )
        for move in PATH[: number % 4]:
            life.send(history, move, actor="import")
        for turn in range(8 - len(history)):
            life.assign(history, f"owner-{(number + turn) % 5}", actor="import")
        made += len(history)
        number += 1
        yield history


def timed(label: str, count: int, start: float) -> None:
    took = time.perf_counter() - start
    print(f"{label:<38} {count:>9,} events in {took:6.2f} s = {count / took:>9,.0f} events/s")


def main() -> None:
    """Generate, write, load into the store, replay from it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book.jsonl"
        with book.open("w") as file:
            dump(generate(args.events), file)  # the lifecycle's work, not timed here
        with SQLiteStore(Path(folder) / "events.sqlite") as store:
            start = time.perf_counter()
            with book.open() as file:
                for history in load(file):
                    store.append(history.record_id, history.events, expected_version=0)
            events = store.position
            timed("JSON Lines -> store (load, append)", events, start)
            start = time.perf_counter()
            stages: Counter[str] = Counter()
            for history in store.histories(funnel=DefaultFunnel):
                stages[history.record.stage] += 1
            timed("store -> histories (read, replay)", events, start)
        print(
            "inventory:", ", ".join(f"{stage} {count}" for stage, count in sorted(stages.items()))
        )


if __name__ == "__main__":
    main()
