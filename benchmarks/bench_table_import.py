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

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import against_load

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


def main() -> None:
    """Generate the file, import it, load the same book, print the figures."""
    against_load.run(
        __doc__,
        rows="deals",
        default=10_000,
        name="read_table",
        write=table,
        read=lambda path: read_table(path, MAPPING),
        target="",
    )


if __name__ == "__main__":
    main()
