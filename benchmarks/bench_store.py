"""The event store: appends and reads per second, on SQLite and on PostgreSQL.

A seeded book of leads (each captured, then engaged and reassigned a few
times) is appended history by history, in batches of a history's events
(what an app or an import does), then read back three ways: one history at a
time by id, every change in position order, and every history streamed; then
the same book (other records) is stored at once, ``save_many`` in one
transaction (``executemany`` on SQLite, ``COPY`` on PostgreSQL).
In the same process, the baseline is the same events written as JSON Lines
to a file and read back (``leadlife.dump`` / ``leadlife.load``): what the
store costs over keeping histories in a file.

PostgreSQL is started here as the tests start it (initdb to a temporary
directory, a loopback port), if its programs are installed.

Run: python benchmarks/bench_store.py [--leads N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from leadlife import Contact, History, LeadId, Lifecycle, Source, SteppingClock, dump, load
from leadlife.store import EventStore, PostgresStore, SQLiteStore


def book(leads: int, prefix: str = "L") -> list[History[Any]]:
    """``leads`` histories of about eight events each, the same every run."""
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=5))
    life = Lifecycle(clock=clock)
    histories = []
    for number in range(leads):
        history = life.capture(
            id=LeadId(f"{prefix}-{number}"),
            contact=Contact(name=f"Lead {number}"),
            source=Source(channel="web"),
            actor="import",
        )
        life.send(history, "engage", actor="import")
        for turn in range(3 + number % 5):
            life.assign(history, f"owner-{turn}", actor="import")
        histories.append(history)
    return histories


@contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL server's connection string, or ``None`` without PostgreSQL."""
    found = shutil.which("pg_ctl")
    if found is None:
        yield None
        return
    binaries = Path(found).resolve().parent
    folder = Path(tempfile.mkdtemp(prefix="leadlife-bench-pg-"))
    as_server = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run(*command: str) -> None:
        program = [*as_server, str(binaries / command[0]), *command[1:]]
        subprocess.run(program, check=True, capture_output=True)  # noqa: S603 - our own programs

    data = str(folder / "data")
    run("initdb", "-D", data, "-U", "postgres", "--auth=trust")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    run("pg_ctl", "-D", data, "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        yield f"host=127.0.0.1 port={port} user=postgres dbname=postgres"
    finally:
        run("pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(folder, ignore_errors=True)


def measure(label: str, events: int, work: Callable[[], object]) -> float:
    """Run ``work`` once; print and return events per second."""
    start = time.perf_counter()
    work()
    rate = events / (time.perf_counter() - start)
    print(f"  {label:<34} {rate:>10,.0f} events/s")
    return rate


def exercise(name: str, store: EventStore, histories: list[History[Any]], baseline: float) -> None:
    """Append the book, then read it back three ways."""
    events = sum(len(history) for history in histories)
    print(f"{name}:")
    appended = measure(
        "append (a history per transaction)",
        events,
        lambda: [store.append(h.record_id, h.events, expected_version=0) for h in histories],
    )
    measure(
        "read one history at a time", events, lambda: [store.events(h.record_id) for h in histories]
    )
    read = measure(
        "changes (every event, in order)", events, lambda: sum(1 for _ in store.changes())
    )
    measure("histories (streamed, replayed)", events, lambda: sum(1 for _ in store.histories()))
    # The same book again (other records), in one transaction: how a book is loaded.
    again = book(len(histories), prefix="B")
    together = measure("save_many (one transaction)", events, lambda: store.save_many(again))
    print(
        f"  append = {appended / baseline:.2f}x, save_many = {together / baseline:.2f}x, "
        f"changes = {read / baseline:.2f}x JSON Lines"
    )
    # A move per request: each event appended alone, after the stored history is read back
    # and replayed under the write lock (an append must continue what the store holds).
    fresh = book(len(histories) // 10, prefix="S")
    single_events = sum(len(history) - 1 for history in fresh)
    sink = store.sink()

    def grow() -> None:
        for history in fresh:
            store.append(history.record_id, history[:1], expected_version=0)
            for event in history[1:]:
                sink(event)

    single = measure("sink (one event per append)", single_events, grow)
    print(f"  sink = {single / baseline:.2f}x JSON Lines, {single / appended:.2f}x batch append")


def main() -> None:
    """Build the book, write it to JSON Lines (the baseline), then to each store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=5_000)
    args = parser.parse_args()
    histories = book(args.leads)
    events = sum(len(history) for history in histories)
    print(f"book: {len(histories):,} histories, {events:,} events")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.jsonl"

        def write() -> None:
            with path.open("w") as file:
                dump(histories, file)

        def read() -> None:
            with path.open() as file:
                for _ in load(file):
                    pass

        print("JSON Lines file (the baseline):")
        written = measure("dump", events, write)
        measure("load", events, read)
        with SQLiteStore(Path(folder) / "events.sqlite") as store:
            exercise("SQLite (a file, WAL)", store, histories, written)
    with postgres() as conninfo:
        if conninfo is None:
            print("PostgreSQL: not installed here, skipped")
            return
        with PostgresStore(conninfo) as store:
            exercise("PostgreSQL (loopback)", store, histories, written)


if __name__ == "__main__":
    main()
