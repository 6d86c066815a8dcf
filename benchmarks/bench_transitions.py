"""What does leadlife add on top of python-statemachine for one transition?

Both sides run the same funnel class through the same three-event cycle
(nurture -> sales_ready -> accepted -> nurture), in the same process, in
interleaved rounds:

* baseline: ``DefaultFunnel(model=row).send(event)``, the bare
  python-statemachine machine bound to a plain object;
* leadlife: ``Lifecycle.send(history, event, actor=...)``, which also checks
  the request, runs the same machine on its cursor, builds the validated
  ``StageChanged`` event, appends it to the history and derives the new
  record.

Timing on a shared or virtual machine is noisy, so the rounds are short and
many, and alternate between the two sides; each leadlife round is divided by
the baseline round run just before it, and the figure is the median of those
paired ratios. The target is at most 1.30.
Run: python benchmarks/bench_transitions.py [--events N] [--rounds R]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from leadlife import Contact, DefaultFunnel, LeadId, Lifecycle, Source, SteppingClock

CYCLE = ("reengage", "accept", "recycle")


class Row:
    """The application's object the bare machine is bound to."""

    def __init__(self) -> None:
        """Start in nurture, where the cycle starts."""
        self.stage = "nurture"


def bare(events: int) -> float:
    """Seconds per transition of a bare python-statemachine send."""
    machine = DefaultFunnel(model=Row())
    send = machine.send
    start = time.perf_counter()
    for index in range(events):
        send(CYCLE[index % 3])
    return (time.perf_counter() - start) / events


def through_leadlife(events: int) -> float:
    """Seconds per transition through Lifecycle.send, history and all."""
    clock = SteppingClock(start=datetime(2026, 1, 1, tzinfo=UTC), step=timedelta(seconds=1))
    life = Lifecycle(clock=clock)
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        stage="nurture",
        actor="bench",
    )
    send = life.send
    start = time.perf_counter()
    for index in range(events):
        send(history, CYCLE[index % 3], actor="bench")
    elapsed = (time.perf_counter() - start) / events
    assert len(history) == events + 1
    return elapsed


def main() -> None:
    """Run both sides in interleaved rounds and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600, help="transitions per round")
    parser.add_argument("--rounds", type=int, default=60, help="interleaved rounds")
    args = parser.parse_args()

    bare(300), through_leadlife(300)  # warm up both paths
    baseline, leadlife = [], []
    for _ in range(args.rounds):
        baseline.append(bare(args.events))
        leadlife.append(through_leadlife(args.events))
    ratios = sorted(ours / base for base, ours in zip(baseline, leadlife, strict=True))
    ratio = statistics.median(ratios)
    low, high = ratios[len(ratios) // 4], ratios[3 * len(ratios) // 4]
    for label, rounds in (("bare python-statemachine send", baseline), ("leadlife", leadlife)):
        print(f"{label:<30}: {statistics.median(rounds) * 1e6:7.1f} us (median round)")
    print(f"ratio leadlife / baseline     : {ratio:7.3f}  (median of {len(ratios)} paired rounds;")
    print(f"                                 middle half {low:.3f} to {high:.3f}; target <= 1.30)")


if __name__ == "__main__":
    main()
