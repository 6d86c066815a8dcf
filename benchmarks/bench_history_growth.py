"""Does a step cost the same in a long history as in a short one?

A touch, and the replay of one event, should cost the same at the 10,000th
event as at the 100th: nothing a record holds may be copied or rescanned on
every step. This grows one lead's history to 10,000 touches and measures

* the cost of one ``Lifecycle.touch`` (which checks the plan, the cadence
  and the pressure cap against every touch before it, and appends), averaged
  over a window of touches around 100, 1,000 and 10,000 touches;
* the cost per event of ``replay`` for the first 100, 1,000 and 10,000
  events of that history, and of ``History.events`` and iteration.

The figures are ratios against the cost at 100, in the same process: flat
means each ratio is close to 1 (the target is below 1.5 at 10,000); a
quadratic step shows up as a ratio near 100.
Run: python benchmarks/bench_history_growth.py [--size 10000] [--window 200]
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome

SIZES = (100, 1_000, 10_000)


def grow(size: int, window: int) -> tuple[dict[int, float], list[object]]:
    """Touch one lead ``size`` times; the mean seconds per touch around each of SIZES."""
    clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    life = Lifecycle(clock=clock, pressure_cap=None)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    # No stop rule and never an answer: the worst case for rules that count
    # unanswered touches since the last answer.
    plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(hours=1))
    life.agree_follow_up(history, plan, actor="x")
    costs: dict[int, float] = {}
    touched = 0
    for target in (s for s in SIZES if s <= size):
        while touched < target - window // 2:
            clock.advance(timedelta(hours=1))
            life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
            touched += 1
        spent = 0.0
        for _ in range(window):
            clock.advance(timedelta(hours=1))
            start = time.perf_counter()
            life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
            spent += time.perf_counter() - start
            touched += 1
        costs[target] = spent / window
    return costs, list(history.events)


def per_event(action: object, repeat: int = 5) -> float:
    """The best of ``repeat`` timings of ``action()``."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Measure and print the ratios against the cost at 100."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--window", type=int, default=200)
    args = parser.parse_args()
    touch_costs, events = grow(args.size + args.window, args.window)
    sizes = [s for s in SIZES if s <= args.size]
    print(f"{'events':>8} {'touch µs':>10} {'ratio':>6} {'replay µs/ev':>13} {'ratio':>6}")
    replay_costs = {}
    for size in sizes:
        prefix = events[:size]
        replay_costs[size] = per_event(lambda prefix=prefix: replay(prefix)) / size
    for size in sizes:
        touch, again = touch_costs[size], replay_costs[size]
        print(
            f"{size:>8} {touch * 1e6:>10.1f} {touch / touch_costs[sizes[0]]:>6.2f} "
            f"{again * 1e6:>13.2f} {again / replay_costs[sizes[0]]:>6.2f}"
        )


if __name__ == "__main__":
    main()
