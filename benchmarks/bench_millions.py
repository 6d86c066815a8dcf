"""Books of millions, every figure in one run: validation, replay, load, dump, memory.

Each figure is set beside its target and beside a baseline measured in the
same process (this machine's speed varies by a factor of two from one hour
to the next, so only the ratios travel):

* validation: ``bulk.check_moves`` on a stream of moves, against the
  compiled funnel's ``step`` a move at a time (bench_bulk.py's stream);
* replay to columns: ``analytics.record_states`` on polars, against a
  hand-written polars query (bench_states.py's book, smaller);
* replay to records: ``replay_book`` on the events of a generated book
  (load_a_book_into_the_store.py's), against ``replay`` history by history;
* load and dump: ``leadlife.load`` / ``leadlife.dump`` of the same book as
  JSON Lines, against the standard library's ``json`` parsing and writing
  the same text (the floor: no validation, no objects);
* the Parquet archive: ``write_archive`` / ``read_archive`` of the same book,
  against pyarrow writing and reading the same rows alone (no leadlife object);
* memory: bytes per ``Lead`` (bench_memory.py), against a plain dict of the
  same facts.

Run: python benchmarks/bench_millions.py [--events N] [--journeys N] [--runs N]
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from bench_bulk import one_at_a_time, stream
from bench_memory import as_dict, bytes_each, lead
from bench_report import timed, write_book
from bench_states import hand_written

from leadlife import DefaultFunnel, History, dump, load, replay, replay_book
from leadlife.analytics import read_archive, record_states, write_archive
from leadlife.bulk import check_moves

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from load_a_book_into_the_store import generate


def line(what: str, count: int, took: float, base: float, *, target: float, unit: str) -> None:
    """One figure: the rate, its target, and the ratio to the baseline's time."""
    rate = count / took
    met = "met" if rate >= target else "NOT met"
    print(
        f"{what:<20} {rate:>10,.0f} {unit}/s  target {target:>9,.0f} ({met:>7})  "
        f"{base / took:5.2f}x the baseline"
    )


def archive(histories: list[History[Any]], count: int, runs: int) -> None:
    """The Parquet archive, both ways, against pyarrow alone on the same rows."""
    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "book.parquet"
        # The baseline: the same rows written and read by pyarrow alone, no leadlife object.
        write_archive(histories, kept)
        table = pq.read_table(kept)
        plain = Path(folder) / "plain.parquet"
        base, _ = timed(lambda: pq.write_table(table, plain), runs)
        took, _ = timed(lambda: write_archive(histories, kept), runs)
        line("archive (write)", count, took, base, target=5e5, unit="events")
        base, _ = timed(lambda: pq.read_table(plain).to_pylist(), runs)
        took, again = timed(lambda: list(read_archive(kept)), runs)
        assert again == histories, "what was archived is not what was read back"
        line("archive (read)", count, took, base, target=5e5, unit="events")


def main() -> None:
    """Measure everything, check each result against its baseline's, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="events in the JSON book")
    parser.add_argument("--journeys", type=int, default=300_000, help="journeys in the streams")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = args.runs

    ids, events, masks = stream(args.journeys)
    base, refused = timed(lambda: one_at_a_time(ids, events, masks), runs)
    took, checked = timed(
        lambda: check_moves(DefaultFunnel, journeys=ids, events=events, guards=masks), runs
    )
    assert len(checked.refused) == refused, "the bulk check and the baseline disagree"
    line("validation", len(ids), took, base, target=5e6, unit="moves")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        rows = write_book(path, args.journeys)
        base, expected = timed(lambda: hand_written(path), runs)
        took, got = timed(lambda: record_states(pl.scan_parquet(path)), runs)
        assert got.equals(expected), "record_states differs from the hand-written query"
        line("replay to columns", rows, took, base, target=3e6, unit="events")

    histories: list[History[Any]] = list(generate(args.events))
    book = [event for history in histories for event in history.events]
    count = len(book)
    gc.collect()
    base, records = timed(lambda: [replay(history.events) for history in histories], runs)
    took, replayed = timed(lambda: replay_book(book), runs)
    assert list(replayed.values()) == records, "replay_book differs from replay"
    line("replay to records", count, took, base, target=1e6, unit="events")

    text = io.StringIO()
    dump(histories, text)
    lines = text.getvalue().splitlines()
    base, documents = timed(lambda: [json.loads(each) for each in lines], runs)
    took, loaded = timed(lambda: list(load(lines)), runs)
    assert loaded == histories, "what was loaded is not what was dumped"
    line("load (JSON Lines)", count, took, base, target=3e5, unit="events")

    def write_plain() -> None:
        out = io.StringIO()
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False))
            out.write("\n")

    base, _ = timed(write_plain, runs)
    took, _ = timed(lambda: dump(histories, io.StringIO()), runs)
    line("dump (JSON Lines)", count, took, base, target=5e5, unit="events")

    archive(histories, count, runs)

    leads, dicts = bytes_each(lead, 100_000), bytes_each(as_dict, 100_000)
    met = "met" if leads < 1024 else "NOT met"
    print(
        f"{'memory':<20} {leads:>10,.0f} bytes/Lead   target < 1,024 ({met:>7})  "
        f"{leads / dicts:5.2f}x a plain dict"
    )


if __name__ == "__main__":
    main()
