"""The agenda over a million leads: how long does one pass take on one core?

A book of 1,000,000 distinct lead records is built from a few hundred
templates spread over the default funnel's stages (with follow-up plans,
touches, screen-outs, recycles), as a working book looks on the day of a
daily run (yesterday's breaches already recorded, sales picking up hand-offs
within the day): about one lead in eight has something due. ``--busy`` makes a
stressed book where a quarter do. The agenda then runs once over all of them.
The target is under 2 seconds; the figure is the median of a few passes
(this machine's timings wander by a third from pass to pass), with the
garbage collector on, as an app runs it (``--no-gc`` for comparison). Every
record is distinct down to its sub-objects (contact, plan, touches,
breaches): nothing is shared that a book read from storage would not share. The baseline,
timed in the same process over the same list, is the least any pass can
cost: reading every record's stage.

Run: python benchmarks/bench_agenda.py [--leads N]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

import attrs

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Record, Source
from leadlife._core.support.trusted import evolve
from leadlife.agenda import Agenda
from leadlife.followup import Channel, FollowUpPlan, Touch, TouchOutcome
from leadlife.screening import Reason, Screening
from leadlife.sla import DEFAULT_LEVELS, Breach

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)
STAGES = [
    ("suspect", 20),
    ("lead", 20),
    ("sales_ready", 8),
    ("accepted", 5),
    ("nurture", 12),
    ("disqualified", 10),
    ("discovery", 5),
    ("proposal", 4),
    ("lost", 5),
    ("customer", 6),
    ("churned", 5),
]


def _since(rng: random.Random, stage: str, *, busy: bool) -> timedelta:
    """How long ago a record entered ``stage``, as a working book looks on a given day."""
    hours = {
        "sales_ready": 36 if busy else 8,  # sales picks these up within the day
        "accepted": 36 if busy else 6,
        "discovery": 24 * 40,
        "proposal": 24 * 40,
        "lost": 24 * 20 if busy else 24 * 3,
        "churned": 24 * 60,
    }.get(stage, 24 * 365)
    return timedelta(hours=rng.randint(1, hours))


def templates(count: int, *, busy: bool = False, seed: int = 7) -> list[Record]:
    """Valid records made through a lifecycle, varied in stage, time and follow-up."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    clock = FixedClock(NOW - timedelta(days=400))
    life = Lifecycle(clock=clock)
    base = life.capture(
        id=LeadId("T"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="bench"
    )
    life.send(base, "engage", actor="bench")
    every = timedelta(days=14)
    plan = FollowUpPlan(channel=Channel.EMAIL, every=every, give_up_after=timedelta(days=90))
    life.agree_follow_up(base, plan, actor="bench")
    made: list[Record] = []
    names = [stage for stage, weight in STAGES for _ in range(weight)]
    for _ in range(count):
        stage = rng.choice(names)
        since = NOW - _since(rng, stage, busy=busy)
        changes: dict[str, object] = {
            "stage": stage,
            "created_at": since,
            "stage_since": since,
            "updated_at": since,
            "follow_up": None,
            "touches": (),
            "recycled": rng.choice([0] * (30 if busy else 200) + [1, 2, 4]),
        }
        if stage in ("disqualified", "lost"):
            changes["review_on"] = (NOW + timedelta(days=rng.randint(-10, 170))).date()
            changes["screening"] = Screening(reason=rng.choice(list(Reason)[:6]))
        if stage in ("lead", "accepted", "proposal") and rng.random() < (0.5 if busy else 0.2):
            agreed = max(since, NOW - timedelta(days=rng.randint(1, 60)))
            touched = agreed + timedelta(hours=rng.randint(1, 24 * (20 if busy else 14)))
            if touched < NOW:
                touch = (
                    attrs.evolve(base.record.follow_up, since=agreed),
                    (
                        Touch(
                            at=touched,
                            channel=Channel.EMAIL,
                            outcome=rng.choice(list(TouchOutcome)),
                        ),
                    ),
                )
                changes["follow_up"], changes["touches"] = touch
                changes["updated_at"] = touched
        record = attrs.evolve(base.record, **changes)
        # A daily run: yesterday's run already recorded the breaches it found.
        breaches = []
        for level in DEFAULT_LEVELS:
            started = level.open_timer(record)
            if started is not None and level.due(started) < NOW - timedelta(days=1):
                breaches.append(
                    Breach(level=level.key, started_at=started, due_at=level.due(started))
                )
        made.append(attrs.evolve(record, breaches=breaches))
    return made


def book(size: int, *, busy: bool = False) -> list[Record]:
    """``size`` distinct records: their own ids, contacts, plans, touches and breaches.

    The shapes (stage, times, plans) come from a few hundred templates, but no
    sub-object is shared between records, as in a real book read from
    storage: every value the agenda reads is its record's own, so no cache is
    warm that a real book would leave cold.
    """
    shapes = templates(500, busy=busy)
    return [_distinct(shapes[i % len(shapes)], i) for i in range(size)]


def _distinct(shape: Record, number: int) -> Record:
    changes: dict[str, object] = {
        "id": LeadId(f"L-{number}"),
        "contact": Contact(name=f"Lead {number}", email=f"lead{number}@example.com"),
        "touches": type(shape.touches)(attrs.evolve(touch) for touch in shape.touches),
        "breaches": type(shape.breaches)(attrs.evolve(breach) for breach in shape.breaches),
    }
    if shape.follow_up is not None:
        changes["follow_up"] = attrs.evolve(
            shape.follow_up, plan=attrs.evolve(shape.follow_up.plan)
        )
    if shape.screening is not None:
        changes["screening"] = attrs.evolve(shape.screening)
    return evolve(shape, changes)


def main() -> None:
    """Build the book, run the baseline and the agenda, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--passes", type=int, default=5, help="timed passes (the median counts)")
    parser.add_argument(
        "--no-gc", action="store_true", help="time with the garbage collector off (default: on)"
    )
    parser.add_argument(
        "--busy",
        action="store_true",
        help="a stressed book: a quarter of the leads with something due (default: one in eight)",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    records = book(args.leads, busy=args.busy)
    print(f"built {len(records):,} records in {time.perf_counter() - started:.1f} s")
    due = Agenda()
    gc.collect()
    if args.no_gc:
        gc.disable()  # for comparison: the pass without the collector's sweeps
    try:
        started = time.perf_counter()
        stages = [record.stage for record in records]
        baseline = time.perf_counter() - started
        passes = []
        for _ in range(args.passes):
            started = time.perf_counter()
            actions = due(records, NOW)
            passes.append(time.perf_counter() - started)
            del actions
        actions = due(records, NOW)
    finally:
        gc.enable()
    elapsed = statistics.median(passes)
    kinds: dict[str, int] = {}
    for action in actions:
        kinds[action.kind.value] = kinds.get(action.kind.value, 0) + 1
    print(f"baseline (read every stage)   : {baseline:6.3f} s for {len(stages):,} records")
    print(
        f"agenda over {len(records):,} leads : {elapsed:6.3f} s median of {len(passes)} passes,"
        f" fastest {min(passes):.3f} s (target < 2 s)"
    )
    print(f"ratio agenda / baseline       : {elapsed / baseline:6.1f}")
    summary = ", ".join(f"{kind} {count:,}" for kind, count in sorted(kinds.items()))
    print(f"{len(actions):,} actions due ({len(actions) / len(records):.1%}): {summary}")


if __name__ == "__main__":
    main()
