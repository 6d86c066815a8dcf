"""A HubSpot contacts export imported, against ``leadlife.load`` of the same book, per event.

A seeded export of N contacts is generated (create dates, the lifecycle
stages each reached with their "Became a ..." dates, some unqualified or
bad-timing lead statuses, and blank or malformed cells as real exports have
them) and written to a CSV file. Then, in one process, in interleaved rounds:

* ``read_hubspot`` of the file: every row parsed, checked and replayed into
  lead histories through the funnel;
* the baseline: ``leadlife.load`` of the same histories written as JSON Lines
  (``leadlife.dump``), every event structured and every history checked.

The figure is import events per second over load events per second (the
target is at least 0.25), and the time a million contacts would take at the
measured rate (the target is at most 60 s).

Run: python benchmarks/bench_crm_import.py [--contacts N] [--rounds R]
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import against_load

from leadlife.crm import BECAME, HUBSPOT_COLUMNS, read_hubspot

STAGES = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead")
START = datetime(2025, 1, 1, tzinfo=UTC)


def export(path: Path, contacts: int, seed: int = 7) -> None:
    """Write a seeded HubSpot contacts export of ``contacts`` rows."""
    rng = random.Random(seed)  # noqa: S311 - a seeded sample, not a secret
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=HUBSPOT_COLUMNS)
        writer.writeheader()
        for number in range(contacts):
            created = START + timedelta(minutes=rng.randrange(500_000))
            reached = rng.choices(range(len(STAGES)), weights=(2, 5, 3, 1))[0]
            row = {
                "Record ID": str(1000 + number),
                "First Name": rng.choice(("Ada", "Grace", "Alan", "")),
                "Last Name": rng.choice(("Lovelace", "Hopper", "Turing")),
                "Email": f"person{number}@example.com" if rng.random() < 0.9 else "",
                "Contact owner": rng.choice(("ana", "bo", "")),
                "Original Source": rng.choice(("ORGANIC_SEARCH", "PAID_SOCIAL", "OFFLINE")),
                "Lifecycle Stage": STAGES[reached],
                "Create Date": f"{created:%Y-%m-%d %H:%M}",
            }
            at = created
            for stage in STAGES[1 : reached + 1]:
                at += timedelta(hours=rng.randrange(1, 400))
                row[BECAME[stage]] = f"{at:%Y-%m-%d %H:%M}"
            status = rng.choices(("", "NEW", "UNQUALIFIED", "BAD_TIMING"), weights=(5, 3, 1, 1))
            row["Lead Status"] = status[0]
            row["Last Modified Date"] = f"{at + timedelta(days=3):%Y-%m-%d %H:%M}"
            writer.writerow(row)


def main() -> None:
    """Generate the file, import it, load the same book, print the figures."""
    against_load.run(
        __doc__,
        rows="contacts",
        default=20_000,
        name="read_hubspot",
        write=export,
        read=read_hubspot,
        target="(target <= 60 s)",
    )


if __name__ == "__main__":
    main()
