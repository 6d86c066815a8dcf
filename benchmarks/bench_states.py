"""Every record as columns (record_states): events per second on a book of ten million events.

The book is bench_report.py's (1.5M journeys, about 11.9M events, seeded),
written to Parquet, or read from ``--book``. In one process:

* the baseline: a hand-written polars query taking each record's last row;
* ``record_states`` on polars (``scan_parquet``) and on DuckDB (``read_parquet``).

Both must give the same rows. The issue's target for replaying to columns
is 3M events/s.

Run: python benchmarks/bench_states.py [--book FILE] [--runs N]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
from bench_report import timed, write_book

from leadlife.analytics import STATE_COLUMNS, record_states


def hand_written(path: Path) -> pl.DataFrame:
    """Each record's last row, in polars, by hand."""
    return (
        pl.scan_parquet(path)
        .with_columns(
            pl.col("seq").max().over("journey_id", "record_id").alias("_last"),
            pl.len().over("journey_id", "record_id").alias("events"),
        )
        .filter(pl.col("seq") == pl.col("_last"))
        .select(*STATE_COLUMNS, pl.col("events").cast(pl.Int64), pl.col("at").alias("last_at"))
        .sort("journey_id", "record_id")
        .collect()
    )


def main() -> None:
    """Time the three, check they agree, print events per second and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path, help="A Parquet book (bench_report.py --keep).")
    parser.add_argument("--journeys", type=int, default=1_500_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.book or Path(folder) / "events.parquet"
        if args.book is None:
            write_book(path, args.journeys)
        events = pq.ParquetFile(path).metadata.num_rows
        base, expected = timed(lambda: hand_written(path), args.runs)
        on_polars, got = timed(lambda: record_states(pl.scan_parquet(path)), args.runs)
        connection = duckdb.connect()
        on_duckdb, relation = timed(
            lambda: record_states(connection.read_parquet(str(path))).to_arrow_table(),
            args.runs,
        )
        assert got.equals(expected), "record_states differs from the hand-written query"
        assert relation.num_rows == expected.height, "DuckDB gives another number of records"
        print(f"book: {events:,} events, {expected.height:,} records")
        timings = (
            ("hand-written polars", base),
            ("record_states, polars", on_polars),
            ("record_states, DuckDB", on_duckdb),
        )
        for name, took in timings:
            rate, ratio = events / took / 1e6, took / base
            print(f"{name:<24} {took:.2f} s = {rate:.1f}M events/s = {ratio:.2f}x the baseline")


if __name__ == "__main__":
    main()
