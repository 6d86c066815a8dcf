"""The floor of a columnar agenda: what reading the book's columns and building the actions cost.

Issue 22 asks for the agenda under two seconds on the busy book of a million
leads. Today's agenda asks each check of a record's stage in Python. A
columnar agenda would read, once, the columns the built-in checks need from
every record, decide over those columns with numpy, and build in Python only
the actions that are due. This measures the two parts that design cannot
avoid, beside today's agenda over the same book, in one process (medians of
a few passes): if they cost well under today's, the design can reach the
goal. It is not an implementation: nothing is decided over the columns.

Run: python benchmarks/bench_agenda_floor.py [--leads N] [--passes P]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from bench_agenda import NOW, book

from leadlife._core.values.actions import quick
from leadlife.agenda import Agenda


def main() -> None:
    """Time today's agenda, the column reads and the due actions' building."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=500_000)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    records = book(args.leads, busy=True)
    agenda = Agenda()
    found = agenda(records, NOW)

    def columns() -> None:
        # The fields the built-in checks read, each record once, each into its column.
        kept: tuple[list[object], ...] = tuple([] for _ in range(9))
        a0, a1, a2, a3, a4, a5, a6, a7, a8 = (column.append for column in kept)
        for record in records:
            touches = record.touches
            a0(record.stage)
            a1(record.stage_since)
            a2(record.consent.do_not_contact)
            a3(record.converted_to)
            a4(record.merged_into)
            a5(touches[-1] if touches else None)
            a6(record.follow_up)
            a7(record.screening)
            a8(record.breaches)

    def actions() -> None:
        for action in found:
            quick(
                kind=action.kind,
                record_id=action.record_id,
                due_at=action.due_at,
                reason=action.reason,
                source=action.source,
                facts={"started_at": action.due_at.isoformat(), "limit_hours": 8.0},
                started_at=action.started_at,
            )

    timed: dict[str, Callable[[], object]] = {
        "today's agenda": lambda: agenda(records, NOW),
        "read 9 columns": columns,
        "build the due actions": actions,
    }
    medians = {}
    for name, run in timed.items():
        times = []
        for _ in range(args.passes):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
        print(f"{name:<24} {medians[name]:7.3f} s")
    floor = medians["read 9 columns"] + medians["build the due actions"]
    today = medians["today's agenda"]
    print(f"{len(found):,} actions due of {args.leads:,} leads")
    print(f"columnar floor / today   {floor / today:7.2f}")


if __name__ == "__main__":
    main()
