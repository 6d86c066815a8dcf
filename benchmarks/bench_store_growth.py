"""Does a batch cost the same in a large store as in a small one?

``save_many`` (and ``append_many``) read the stored version of every record
in the batch before writing. That read must search the store's index record
by record: a batch of new records should go in as fast into a store holding
a few events as into one holding hundreds of thousands. This fills an SQLite
store (a file) with books of distinct leads, about eight events each, and
times ``save_many`` of a batch of 3,000 further leads at each size.

The figures are events a second and the ratio against the smallest store, in
the same process: flat means each ratio is close to 1.
Run: python benchmarks/bench_store_growth.py [--held 21000,210000] [--batch 3000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench_store import book

from leadlife.store import SQLiteStore


def main() -> None:
    """Fill stores to each size; time a batch into each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held", default="21000,210000", help="events held, comma-separated")
    parser.add_argument("--batch", type=int, default=3000, help="leads in each timed batch")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates = []
    with tempfile.TemporaryDirectory() as folder:
        for held in (int(each) for each in args.held.split(",")):
            store = SQLiteStore(Path(folder) / f"held-{held}.sqlite")
            store.save_many(book(held // 7, prefix="H"))
            times = []
            events = 0
            for round_ in range(args.rounds):
                batch = book(args.batch, prefix=f"N{round_}-")
                events = sum(len(history) for history in batch)
                started = time.perf_counter()
                store.save_many(batch)
                times.append(time.perf_counter() - started)
            store.close()
            rate = events / statistics.median(times)
            rates.append(rate)
            print(
                f"store holding {store_size(held):>9}: save_many {rate:>9,.0f} events/s "
                f"({rate / rates[0]:.2f}x the smallest)"
            )


def store_size(held: int) -> str:
    """The size, as a count of events."""
    return f"{held // 7 * 7:,} events"


if __name__ == "__main__":
    main()
