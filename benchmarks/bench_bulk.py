"""Checking moves in bulk: events per second, against the same check a move at a time.

A seeded stream of journeys walks the default funnel's main path (engage,
mark_sales_ready, accept, qualify...; some stop early, some are refused a
guarded move), rows of different journeys interleaved as a book's events
are. In one process:

* the baseline: the compiled funnel's ``step``, one move at a time in a
  Python loop (itself some thousands of times faster than binding a
  python-statemachine instance per move);
* :func:`leadlife.bulk.check_moves` on the same columns.

Both must agree on every move. The figures are moves per second and the
ratio of the two; the issue's target for the bulk check is 5M moves/s on
one core.

Run: python benchmarks/bench_bulk.py [--journeys N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from leadlife import DefaultFunnel
from leadlife.bulk import check_moves
from leadlife.funnels import REFUSED, compile_funnel

PATH = ["engage", "mark_sales_ready", "accept", "qualify", "open_opportunity", "present"]


def stream(journeys: int, seed: int = 7) -> tuple[pa.Array, pa.Array, np.ndarray]:
    """Journey ids, events and guard masks, interleaved, for ``journeys`` journeys."""
    rng = np.random.default_rng(seed)
    table = compile_funnel(DefaultFunnel)
    steps = rng.integers(1, len(PATH) + 1, journeys)
    journey = np.repeat(np.arange(journeys), steps)
    position = np.arange(len(journey)) - np.repeat(np.cumsum(steps) - steps, steps)
    # Interleave: order by a random time per journey plus the position, as a book's events are.
    order = np.lexsort((position, rng.random(journeys)[journey]))
    journey, position = journey[order], position[order]
    events = np.array(PATH, dtype=object)[position]
    # Qualify needs is_qualified: most moves have it; some are refused without it.
    masks = np.where(rng.random(len(journey)) < 0.9, table.guard_bits["is_qualified"], 0)
    ids = np.char.add("L-", journey.astype(str)).astype(object)
    return pa.array(ids), pa.array(events), masks.astype(np.int64)


def one_at_a_time(ids: pa.Array, events: pa.Array, masks: np.ndarray) -> int:
    """The baseline: every move through the compiled funnel's step; the moves refused."""
    table = compile_funnel(DefaultFunnel)
    initial = table.stage_codes[DefaultFunnel.spec().initial.id]
    codes = table.event_codes
    state: dict[str, int] = {}
    refused = 0
    step = table.step
    for journey, event, mask in zip(
        ids.to_pylist(), events.to_pylist(), masks.tolist(), strict=True
    ):
        stage = state.get(journey, initial)
        target = step(stage, codes[event], mask)
        if target == REFUSED:
            refused += 1
        else:
            state[journey] = target
    return refused


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median time of ``runs`` runs of ``work``, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    """Generate the stream, time both, check they agree, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ids, events, masks = stream(args.journeys)
    moves = len(ids)
    base, refused = timed(lambda: one_at_a_time(ids, events, masks), max(1, args.runs // 2))
    bulk, result = timed(
        lambda: check_moves(DefaultFunnel, journeys=ids, events=events, guards=masks), args.runs
    )
    assert len(result.refused) == refused, "the bulk check and the baseline disagree"
    print(f"stream: {args.journeys:,} journeys, {moves:,} moves, {refused:,} refused")
    print(f"one at a time (compiled step): {base:.2f} s = {moves / base / 1e6:.2f}M moves/s")
    print(
        f"check_moves:                   {bulk:.2f} s = {moves / bulk / 1e6:.2f}M moves/s "
        f"= {base / bulk:.1f}x the baseline"
    )


if __name__ == "__main__":
    main()
