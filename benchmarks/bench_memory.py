"""What a record costs in memory: bytes per Lead, over 100k distinct leads.

Each lead is distinct (its own id, name, e-mail, campaign, company and
time), as in a real book: no sub-object is shared by accident. Measured
with tracemalloc: everything allocated while the leads are built and kept,
divided by their number. The baseline, in the same process, is the same
facts as a plain dict per lead (what an app might keep instead). The target
is a typical Lead under 1 KiB.

Run: python benchmarks/bench_memory.py [--records N]
"""

from __future__ import annotations

import argparse
import gc
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from leadlife import Company, CompanySize, Contact, Lead, LeadId, Source

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
SIZES = list(CompanySize)


def lead(number: int) -> Lead:
    """A typical lead: a person with an e-mail, a company, a source with a campaign."""
    return Lead(
        id=LeadId(f"L-{number:07d}"),
        stage="suspect",
        contact=Contact(name=f"Person {number}", email=f"person{number}@example.com"),
        company=Company(name=f"Company {number}", size=SIZES[number % len(SIZES)]),
        source=Source(channel="web", campaign=f"campaign-{number % 50}"),
        created_at=START + timedelta(seconds=number),
    )


def as_dict(number: int) -> dict[str, Any]:
    """The same facts as a plain dict."""
    return {
        "id": f"L-{number:07d}",
        "stage": "suspect",
        "name": f"Person {number}",
        "email": f"person{number}@example.com",
        "company": f"Company {number}",
        "size": SIZES[number % len(SIZES)].value,
        "channel": "web",
        "campaign": f"campaign-{number % 50}",
        "created_at": START + timedelta(seconds=number),
    }


def bytes_each(make: Callable[[int], object], count: int) -> float:
    """Bytes allocated per object while ``count`` of them are built and kept."""
    make(0)  # warm: classes, caches, interned names
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [make(number) for number in range(count)]
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    list_cost = kept.__sizeof__()
    return (after - before - list_cost) / count


def main() -> None:
    """Measure both and print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args()
    leads = bytes_each(lead, args.records)
    dicts = bytes_each(as_dict, args.records)
    print(f"{args.records:,} distinct leads")
    print(f"Lead:       {leads:,.0f} bytes each (target < 1,024)")
    print(f"plain dict: {dicts:,.0f} bytes each (the baseline)")
    print(f"a Lead costs {leads / dicts:.2f}x the plain dict of the same facts")


if __name__ == "__main__":
    main()
