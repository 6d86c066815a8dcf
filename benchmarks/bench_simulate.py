"""Simulating a book: a million journeys through the default funnel, to an event table.

A behaviour close to a working book (most journeys engage, a fifth are
recycled to nurture and come back, deals are won, lost and reopened: about
seven events a journey) is simulated for ``--journeys`` journeys with one
seed, and the book turned into its event table (Arrow). The baseline, timed
in the same process on the first ``--sample`` journeys of the same book, is
what the table costs the other way: every journey made into leadlife
histories and read by ``analytics.event_table``. The target is a million
journeys in 10 seconds on one core.

With ``--chased``, leads and proposals are chased besides (a call every other
day until three go unanswered, or an e-mail a week for three weeks without an
answer): about as many touches again as moves.

Run: python benchmarks/bench_simulate.py [--journeys N] [--sample N] [--runs N] [--chased]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

import attrs

from leadlife.analytics import event_table
from leadlife.followup import Channel, FollowUpPlan, WhenStopped
from leadlife.prototype import Behaviour, Chase, Delay, Move, simulate


def days(median: float) -> Delay:
    """A log-normal stay of ``median`` days."""
    return Delay(median=timedelta(days=median), spread=0.6)


BEHAVIOUR = Behaviour(
    moves={
        "suspect": [
            Move(event="engage", chance=0.85, after=days(2)),
            Move(event="disqualify", chance=0.1, after=days(1), reasons={"no_need": 1}),
        ],
        "lead": [
            Move(event="mark_sales_ready", chance=0.7, after=days(5)),
            Move(event="recycle", chance=0.25, after=days(10)),
        ],
        "nurture": [Move(event="reengage", chance=0.6, after=days(30))],
        "sales_ready": [Move(event="accept", chance=0.9, after=days(1))],
        "accepted": [Move(event="qualify", chance=0.8, after=days(7))],
        "prospect": [Move(event="open_opportunity", chance=0.9, after=days(5))],
        "discovery": [Move(event="present", chance=0.8, after=days(10))],
        "presentation": [Move(event="propose", chance=0.8, after=days(7))],
        "proposal": [
            Move(event="win", chance=0.45, after=days(14)),
            Move(event="lose", chance=0.45, after=days(14), reasons={"chose_competitor": 1}),
        ],
        "lost": [Move(event="reopen", chance=0.2, after=days(60))],
    },
    sources={"web": 3, "event": 1, "referral": 1},
    owners=("sam", "kim", "ada"),
    arrivals_per_day=3_000,
)
START = datetime(2026, 1, 5, tzinfo=UTC)
CALLS = FollowUpPlan(channel=Channel.PHONE, every=timedelta(days=2), max_attempts=3)
MAILS = FollowUpPlan(
    channel=Channel.EMAIL,
    every=timedelta(days=7),
    give_up_after=timedelta(days=21),
    when_stopped=WhenStopped.CLOSE,
)
CHASED = attrs.evolve(
    BEHAVIOUR,
    chases={
        "lead": [Chase(plan=CALLS, answered=0.4, share=3), Chase(plan=MAILS, answered=0.5)],
        "proposal": [Chase(plan=MAILS, answered=0.6)],
    },
)


def main() -> None:
    """Simulate, build the table, time the baseline on a sample, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chased", action="store_true", help="chase leads and proposals")
    args = parser.parse_args()
    behaviour = CHASED if args.chased else BEHAVIOUR
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        book = simulate(behaviour, journeys=args.journeys, seed=7, start=START)
        table = book.events()
        times.append(time.perf_counter() - started)
    took = statistics.median(times)
    rows = table.num_rows
    sample = simulate(behaviour, journeys=args.sample, seed=7, start=START)
    started = time.perf_counter()
    slow = event_table(history for journey in sample.histories() for history in journey)
    base = time.perf_counter() - started
    assert slow.equals(sample.events()), "the table differs from the histories' table"
    rate, base_rate = rows / took, slow.num_rows / base
    print(f"{args.journeys:,} journeys, {rows:,} events ({rows / args.journeys:.1f} a journey)")
    print(f"simulate + event table : {took:6.2f} s = {rate:,.0f} events/s (target: 10 s)")
    print(f"baseline (histories)   : {base_rate:,.0f} events/s on {args.sample:,} journeys")
    print(f"ratio                  : {rate / base_rate:.0f}x the baseline")


if __name__ == "__main__":
    main()
