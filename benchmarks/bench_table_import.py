"""A plain table imported through a mapping, against ``leadlife.load`` of the same book, per event.

A seeded sales-pipeline table of N deals is generated in the columns of
``docs/data/pipeline.csv`` (agent, product, account, stage, engage and close
dates, value) and written to a CSV file. Then, in one process, in
interleaved rounds:

* ``read_table`` of the file through ``docs/data/pipeline.toml``: every row
  parsed and checked, each deal's lead implied, every journey replayed
  through the funnel, the moves the table does not show marked inferred;
* the baseline: ``leadlife.load`` of the same histories written as JSON Lines.

The figure is import events per second over load events per second (issue
22's target for imports: at least 0.25), and the time a million deals would
take at the measured rate.

Run: python benchmarks/bench_table_import.py [--deals N] [--rounds R]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from leadlife import dump, load
from leadlife.crm import read_table

MAPPING = Path(__file__).parents[1] / "docs" / "data" / "pipeline.toml"
AGENTS = ("Moses Frase", "Darcel Schlecht", "Zane Levy", "Anna Snelling", "James Ascencio")
PRODUCTS = (("GTX Basic", 550), ("GTX Pro", 4821), ("MG Special", 55), ("MG Advanced", 3393))


def table(path: Path, deals: int, seed: int = 7) -> None:
    """Write a seeded pipeline table of ``deals`` rows."""
    rng = random.Random(seed)  # noqa: S311 - a seeded sample, not a secret
    columns = ("opportunity_id", "sales_agent", "product", "account", "deal_stage")
    columns += ("engage_date", "close_date", "close_value")
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(columns)
        for number in range(deals):
            stage = rng.choices(("Won", "Lost", "Engaging", "Prospecting"), (48, 30, 15, 7))[0]
            product, price = rng.choice(PRODUCTS)
            engaged = date(2016, 10, 20) + timedelta(days=rng.randrange(400))
            closed = engaged + timedelta(days=rng.randrange(1, 140))
            ends = stage in ("Won", "Lost")
            writer.writerow(
                (
                    f"D{number:07d}",
                    rng.choice(AGENTS),
                    product,
                    f"Account {rng.randrange(85)}",
                    stage,
                    "" if stage == "Prospecting" else engaged.isoformat(),
                    closed.isoformat() if ends else "",
                    (price if stage == "Won" else 0) if ends else "",
                )
            )


def rounds(path: Path, book: Path, count: int) -> tuple[list[float], list[float], int]:
    """Seconds of each import and each load, interleaved; the events imported."""
    imports, loads, events = [], [], 0
    for _ in range(count):
        start = time.perf_counter()
        imported = read_table(path, MAPPING)
        imports.append(time.perf_counter() - start)
        events = sum(len(history) for history in imported.histories)
        start = time.perf_counter()
        with book.open(encoding="utf-8") as file:
            loaded = list(load(file))
        loads.append(time.perf_counter() - start)
        assert sum(len(history) for history in loaded) == events
    return imports, loads, events


def main() -> None:
    """Generate the table, import it, load the same book, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000, help="rows in the table")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, book = Path(folder) / "pipeline.csv", Path(folder) / "book.jsonl"
        table(path, args.deals)
        imported = read_table(path, MAPPING)
        with book.open("w", encoding="utf-8") as file:
            dump(imported.histories, file)
        imports, loads, events = rounds(path, book, args.rounds)
    took, base = statistics.median(imports), statistics.median(loads)
    print(f"deals {args.deals:,}: {events:,} events, {len(imported.refused)} rows refused")
    print(f"read_table     {events / took:>10,.0f} events/s  ({took:.2f} s)")
    print(f"leadlife.load  {events / base:>10,.0f} events/s  ({base:.2f} s, the baseline)")
    print(f"import / load  {base / took:>10.2f}x  (issue 22's target for imports: >= 0.25)")
    print(f"1M deals       {took / args.deals * 1e6:>10.1f} s at this rate")


if __name__ == "__main__":
    main()
