"""What does leadlife add on top of python-statemachine for one transition?

Both sides run the same funnel class through the same cycle, in the same
process, in interleaved rounds: the unguarded three-event cycle (nurture ->
sales_ready -> accepted -> nurture) or, with ``--guarded``, a cycle whose
every other move asks two guards (lead -> disqualified, with a screening and
a review date, -> lead by reopen):

* baseline: ``DefaultFunnel(model=row).send(event)``, the bare
  python-statemachine machine bound to a plain object;
* leadlife: ``Lifecycle.send(history, event, actor=...)``, which also checks
  the request, runs the same machine on its cursor, builds the validated
  ``StageChanged`` event, appends it to the history and derives the new
  record.

Timing on a shared or virtual machine is noisy, so the rounds are short and
many, and alternate between the two sides; each leadlife round is divided by
the baseline round run just before it, and the figure is the median of those
paired ratios. The target is at most 0.25: the lifecycle decides moves by
the funnel's compiled table, asking guards only where a move has them.
Run: python benchmarks/bench_transitions.py [--events N] [--rounds R] [--guarded]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from leadlife import Contact, DefaultFunnel, LeadId, Lifecycle, Source, SteppingClock
from leadlife.screening import Reason, Screening

START = datetime(2026, 1, 1, tzinfo=UTC)
CYCLE = ("reengage", "accept", "recycle")
GUARDED = ("disqualify", "reopen")
# What the guarded moves are given (the reopen's guards ask none, and ignore them).
GIVEN: dict[str, Any] = {
    "screening": Screening(reason=Reason.NO_BUDGET),
    "review_on": date(2027, 1, 1),
}


class Cycle:
    """The events each side sends, where they start, and what they are given."""

    def __init__(self, guarded: bool) -> None:
        """The guarded cycle or the unguarded one."""
        self.events = GUARDED if guarded else CYCLE
        self.start = "lead" if guarded else "nurture"
        self.given = GIVEN if guarded else {}


class Row:
    """The application's object the bare machine is bound to."""

    def __init__(self, stage: str) -> None:
        """Start where the cycle starts."""
        self.stage = stage


def bare(events: int, cycle: Cycle) -> float:
    """Seconds per transition of a bare python-statemachine send."""
    machine = DefaultFunnel(model=Row(cycle.start))
    send, names, given = machine.send, cycle.events, cycle.given
    start = time.perf_counter()
    for index in range(events):
        send(names[index % len(names)], at=START, **given)
    return (time.perf_counter() - start) / events


def through_leadlife(events: int, cycle: Cycle) -> float:
    """Seconds per transition through Lifecycle.send, history and all."""
    clock = SteppingClock(start=START, step=timedelta(seconds=1))
    life = Lifecycle(clock=clock)
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        stage=cycle.start,
        actor="bench",
    )
    send, names, given = life.send, cycle.events, cycle.given
    start = time.perf_counter()
    for index in range(events):
        send(history, names[index % len(names)], actor="bench", **given)
    elapsed = (time.perf_counter() - start) / events
    assert len(history) == events + 1
    return elapsed


def main() -> None:
    """Run both sides in interleaved rounds and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600, help="transitions per round")
    parser.add_argument("--rounds", type=int, default=60, help="interleaved rounds")
    parser.add_argument("--guarded", action="store_true", help="the cycle whose moves ask guards")
    args = parser.parse_args()
    cycle = Cycle(args.guarded)

    bare(300, cycle), through_leadlife(300, cycle)  # warm up both paths
    baseline, leadlife = [], []
    for _ in range(args.rounds):
        baseline.append(bare(args.events, cycle))
        leadlife.append(through_leadlife(args.events, cycle))
    ratios = sorted(ours / base for base, ours in zip(baseline, leadlife, strict=True))
    ratio = statistics.median(ratios)
    low, high = ratios[len(ratios) // 4], ratios[3 * len(ratios) // 4]
    for label, rounds in (("bare python-statemachine send", baseline), ("leadlife", leadlife)):
        print(f"{label:<30}: {statistics.median(rounds) * 1e6:7.1f} us (median round)")
    print(f"ratio leadlife / baseline     : {ratio:7.3f}  (median of {len(ratios)} paired rounds;")
    print(f"                                 middle half {low:.3f} to {high:.3f}; target <= 0.25)")


if __name__ == "__main__":
    main()
