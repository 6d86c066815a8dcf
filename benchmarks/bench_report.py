"""The funnel report over a book of ten million events, against a hand-written polars query.

A book of about 1.5M journeys and 10M events is generated (seeded, so the
same every run) straight into the event table's columns and written to
Parquet: journeys walk the default funnel's main path (suspect, lead,
sales-ready, accepted, prospect, discovery, proposal, customer), dropping out
at each step, with log-normal times per stage and touches in between. Then,
in one process:

* the baseline: a hand-written polars query (lazy, over the Parquet file)
  computing the inventory at a moment, cohort conversion along the path, and
  the stays grouped by stage, duration and ended (what time in stage reads);
* leadlife's reports computing the same numbers through narwhals, on polars
  (``scan_parquet``) and on DuckDB (``read_parquet``).

The figures are the ratio of each to the baseline (the target is 1.2 or
less) and the peak resident memory of the process (the target is 1.5 GB or
less). The report's numbers are checked equal to the baseline's.

Run: python benchmarks/bench_report.py [--journeys N] [--keep FILE]
     python benchmarks/bench_report.py --book FILE --alone {baseline,polars,duckdb}

The second form times one of the three alone in its process, on a book kept
by the first, for its own peak memory.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from leadlife.analytics import Book, conversion, event_schema, inventory, time_in_stage

PATH = [
    "suspect",
    "lead",
    "sales_ready",
    "accepted",
    "prospect",
    "discovery",
    "proposal",
    "customer",
]
KEEP = [0.7, 0.6, 0.8, 0.7, 0.8, 0.6, 0.5]  # the chance of the next step, at each step
KIND = ["lead"] * 4 + ["prospect"] + ["opportunity"] * 3
START = datetime(2025, 1, 1, tzinfo=UTC)
AT = datetime(2026, 1, 1, tzinfo=UTC)
SINCE, UNTIL = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 9, 1, tzinfo=UTC)
TOUCHES_PER_STAGE = 1.6
START_US = int(START.timestamp()) * 1_000_000


def write_book(path: Path, journeys: int, seed: int = 7, chunk: int = 100_000) -> int:
    """Write a synthetic book to ``path``, a chunk of journeys at a time; the rows written."""
    rng = np.random.default_rng(seed)
    rows = 0
    with pq.ParquetWriter(path, event_schema()) as writer:
        for first in range(0, journeys, chunk):
            table = generate(first, min(chunk, journeys - first), rng)
            writer.write_table(table)
            rows += table.num_rows
    return rows


def generate(first: int, journeys: int, rng: np.random.Generator) -> pa.Table:
    """Journeys ``first``.. of a synthetic book: entries along the path, and touches between."""
    # How far each journey gets: keep going with the chance KEEP[i] at each step.
    steps = np.ones(journeys, dtype=np.int64)
    alive = np.ones(journeys, dtype=bool)
    for chance in KEEP:
        alive &= rng.random(journeys) < chance
        steps += alive
    journey = np.repeat(np.arange(first, first + journeys), steps)
    position = np.arange(steps.sum()) - np.repeat(np.cumsum(steps) - steps, steps)
    captured = START_US + rng.integers(0, 365 * 86_400, journeys) * 1_000_000
    waited = rng.lognormal(mean=11.5, sigma=1.0, size=len(journey)) * 1_000_000
    waited[position == 0] = 0
    # Cumulative waits within each journey.
    offsets = np.cumsum(waited)
    first = np.repeat(offsets[np.cumsum(steps) - steps], steps)
    since_capture = offsets - first
    entered_at = np.repeat(captured, steps) + since_capture.astype(np.int64)
    # Touches: a few per stay, spread inside it.
    touches = rng.poisson(TOUCHES_PER_STAGE, len(journey))
    touch_of = np.repeat(np.arange(len(journey)), touches)
    touch_at = entered_at[touch_of] + (rng.random(len(touch_of)) * 3_600e6).astype(np.int64)
    rows = len(journey) + len(touch_of)
    stage_index = np.concatenate([position, position[touch_of]])
    order = np.lexsort(
        (
            np.concatenate([np.zeros(len(journey)), np.ones(len(touch_of))]),
            np.concatenate([entered_at, touch_at]),
            np.concatenate([journey, journey[touch_of]]),
        )
    )
    journey_all = np.concatenate([journey, journey[touch_of]])[order]
    at = np.concatenate([entered_at, touch_at])[order]
    stage_index = stage_index[order]
    is_entry = np.concatenate([np.ones(len(journey), bool), np.zeros(len(touch_of), bool)])[order]
    names = np.array(PATH, dtype=object)
    kinds = np.array(KIND, dtype=object)
    ids = np.char.add("L-", journey_all.astype(str)).astype(object)
    seq = np.arange(rows) - np.repeat(
        np.flatnonzero(np.r_[True, journey_all[1:] != journey_all[:-1]]),
        np.diff(np.r_[np.flatnonzero(np.r_[True, journey_all[1:] != journey_all[:-1]]), rows]),
    )
    event_type = np.where(
        is_entry, np.where(stage_index == 0, "LeadCaptured", "StageChanged"), "Touched"
    ).astype(object)
    to_stage = np.where(is_entry, names[stage_index], None)
    columns: dict[str, Any] = {
        "journey_id": ids,
        "record_id": ids,
        "record_kind": kinds[stage_index],
        "seq": seq.astype(np.int32),
        "event_type": event_type,
        "event": None,
        "from_stage": np.where(
            is_entry & (stage_index > 0), names[np.maximum(stage_index - 1, 0)], None
        ),
        "to_stage": to_stage,
        "stage": names[stage_index],
        "entered": is_entry,
        "at": pa.array(at, pa.timestamp("us", tz="UTC")),
        "actor": np.full(rows, "sam", dtype=object),
        "owner": None,
        "reason": None,
        "reason_code": None,
        "review_on": None,
        "told": None,
        "mutual": None,
        "recycles": np.zeros(rows, bool),
        "converted_to": None,
        "source_channel": np.array(["web", "event", "referral", "list"], dtype=object)[
            journey_all % 4
        ],
        "source_campaign": None,
        "company_size": None,
        "industry": None,
        "region": None,
        "amount": None,
        "currency": None,
        "win_probability": None,
        "touch_channel": np.where(is_entry, None, "phone"),
        "touch_outcome": np.where(is_entry, None, "replied"),
        "objection": None,
        "tactic": None,
        "competitor": None,
        "breach_level": None,
    }
    arrays = []
    for field in event_schema():
        value = columns[field.name]
        if value is None:
            arrays.append(pa.nulls(rows, field.type))
        elif isinstance(value, pa.Array):
            arrays.append(value)
        else:
            arrays.append(pa.array(value, field.type))
    return pa.Table.from_arrays(arrays, schema=event_schema())


def hand_written(path: Path) -> list[Any]:
    """The same numbers, in polars, written by hand for this table."""
    events = pl.scan_parquet(path)
    kind_order = pl.col("record_kind").replace_strict(
        {"lead": 0, "prospect": 1, "opportunity": 2}, return_dtype=pl.Int8
    )
    stays = (
        events.filter(pl.col("entered"))
        .select(
            "journey_id",
            pl.col("to_stage").alias("stage"),
            pl.col("at").alias("entered_at"),
            kind_order.alias("k"),
            "seq",
        )
        .sort("journey_id", "entered_at", "k", "seq")
        .with_columns(
            pl.col("entered_at").shift(-1).over("journey_id").alias("left_at"),
        )
    )
    at = pl.lit(AT)
    held = (
        stays.filter(
            (pl.col("entered_at") <= at) & (pl.col("left_at").is_null() | (pl.col("left_at") > at))
        )
        .group_by("stage")
        .agg(pl.len().alias("journeys"))
        .sort("stage")
    )
    since, until = pl.lit(SINCE), pl.lit(UNTIL)
    firsts = (
        stays.filter(
            (pl.col("entered_at") >= since)
            & (pl.col("entered_at") < until)
            & pl.col("stage").is_in(PATH[:-1])
        )
        .group_by("journey_id", "stage")
        .agg(pl.col("entered_at").min().alias("first_at"))
        .with_columns(
            pl.col("stage")
            .replace_strict(dict(pairwise(PATH)), return_dtype=pl.String)
            .alias("target")
        )
    )
    reached = stays.select(
        "journey_id", pl.col("stage").alias("target"), pl.col("entered_at").alias("reached_at")
    )
    converted = (
        firsts.join(reached, on=["journey_id", "target"])
        .filter(pl.col("reached_at") >= pl.col("first_at"))
        .unique(["journey_id", "stage"])
        .group_by("stage")
        .agg(pl.len().alias("converted"))
    )
    cohort = firsts.group_by("stage").agg(pl.len().alias("entered"))
    ended = pl.col("left_at").is_not_null() & (pl.col("left_at") <= at)
    durations = (
        stays.filter(pl.col("entered_at") <= at)
        .with_columns(
            (pl.when(ended).then(pl.col("left_at")).otherwise(at) - pl.col("entered_at"))
            .dt.total_seconds()
            .alias("seconds"),
            ended.alias("ended"),
        )
        .group_by("stage", "seconds", "ended")
        .agg(pl.len())
    )
    return pl.collect_all([held, cohort, converted, durations])


def ours(events: Any) -> list[Any]:
    """The same numbers from leadlife's reports, on whatever engine ``events`` is in.

    The reports share one :class:`~leadlife.analytics.Book` (the stays worked
    out once), as the hand-written query shares its plan with ``collect_all``.
    """
    book = Book.of(events)
    return [
        inventory(book, at=AT),
        conversion(book, stages=PATH, since=SINCE, until=UNTIL),
        time_in_stage(book, at=AT),
    ]


def timed(work: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """The median time of ``runs`` runs of ``work``, and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def check(reports: list[Any], baseline: list[Any]) -> None:
    """The reports' inventory and conversion are the hand-written query's."""
    held = [tuple(row) for row in baseline[0].iter_rows()]
    assert reports[0].rows() == held, "the inventory differs from the hand-written query's"
    entered = dict(baseline[1].iter_rows())
    converted = dict(baseline[2].iter_rows())
    expected = [(a, b, entered.get(a, 0), converted.get(a, 0)) for a, b in pairwise(PATH)]
    assert [row[:4] for row in reports[1].rows()] == expected, "conversion differs"


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def alone(path: Path, which: str, runs: int) -> None:
    """One of the three in this process, for its own peak memory."""
    work: dict[str, Callable[[], Any]] = {
        "baseline": lambda: hand_written(path),
        "polars": lambda: ours(pl.scan_parquet(path)),
        "duckdb": lambda: ours(duckdb.connect().read_parquet(str(path))),
    }
    before = peak_mb()
    took, _ = timed(work[which], runs)
    print(f"{which} alone: {took:.2f} s, peak memory {peak_mb():,.0f} MB ({before:,.0f} MB before)")


def main() -> None:
    """Generate the book, time each, check they agree, print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Write the Parquet file here and keep it.")
    parser.add_argument("--book", type=Path, help="Read this Parquet book instead of writing one.")
    parser.add_argument(
        "--alone",
        choices=["baseline", "polars", "duckdb"],
        help="Run only this one (with --book), to measure its own peak memory.",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.book or args.keep or Path(folder) / "events.parquet"
        if args.book is None:
            start = time.perf_counter()
            rows = write_book(path, args.journeys)
            made = time.perf_counter() - start
            print(f"book: {args.journeys:,} journeys, {rows:,} events, written in {made:.1f} s")
        else:
            print(f"book: {pq.ParquetFile(path).metadata.num_rows:,} events read from {path}")
        if args.alone:
            alone(path, args.alone, args.runs)
            return
        base, _ = timed(lambda: hand_written(path), args.runs)
        on_polars, reports = timed(lambda: ours(pl.scan_parquet(path)), args.runs)
        connection = duckdb.connect()
        on_duckdb, duck_reports = timed(lambda: ours(connection.read_parquet(str(path))), args.runs)
        assert [r.rows() for r in reports] == [r.rows() for r in duck_reports], "engines disagree"
        check(reports, hand_written(path))
        print(f"hand-written polars query: {base:.2f} s (the baseline)")
        print(
            f"leadlife on polars:        {on_polars:.2f} s = {on_polars / base:.2f}x the baseline"
        )
        print(
            f"leadlife on DuckDB:        {on_duckdb:.2f} s = {on_duckdb / base:.2f}x the baseline"
        )
        print(f"peak memory of the three together: {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
