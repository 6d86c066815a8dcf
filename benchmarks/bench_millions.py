"""Books of millions, every figure in one run: validation, replay, load, dump, memory.

Each figure is set beside its target and beside a baseline measured in the
same process, in interleaved rounds (each round the baseline, then leadlife,
right after it; the figure is the median of the rounds' ratios), since this
machine's speed varies by a factor of two from one hour to the next and only
the ratios travel:

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
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
from bench_bulk import one_at_a_time, stream
from bench_memory import as_dict, bytes_each, lead
from bench_report import write_book
from bench_states import hand_written

from leadlife import DefaultFunnel, History, dump, load, replay, replay_book
from leadlife.analytics import read_archive, record_states, write_archive
from leadlife.bulk import check_moves

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
from load_a_book_into_the_store import generate


class Paired:
    """Interleaved rounds of a baseline and of leadlife: medians, and the median paired ratio."""

    def __init__(self, baseline: Callable[[], Any], ours: Callable[[], Any], runs: int) -> None:
        """Run ``runs`` rounds, each the baseline then leadlife's, right after each other."""
        bases, took, ratios = [], [], []
        self.base_result: Any = None
        self.result: Any = None
        for _ in range(runs):
            start = time.perf_counter()
            self.base_result = baseline()
            middle = time.perf_counter()
            self.result = ours()
            end = time.perf_counter()
            bases.append(middle - start)
            took.append(end - middle)
            ratios.append((middle - start) / (end - middle))
        self.base, self.took = statistics.median(bases), statistics.median(took)
        self.ratio = statistics.median(ratios)


def line(what: str, count: int, pair: Paired, *, target: float, unit: str) -> None:
    """One figure: the rate, its target, and the median paired ratio to the baseline."""
    rate = count / pair.took
    met = "met" if rate >= target else "NOT met"
    print(
        f"{what:<20} {rate:>10,.0f} {unit}/s  target {target:>9,.0f} ({met:>7})  "
        f"{pair.ratio:5.2f}x the baseline"
    )


def archive(histories: list[History[Any]], count: int, runs: int) -> None:
    """The Parquet archive, both ways, against pyarrow alone on the same rows."""
    with tempfile.TemporaryDirectory() as folder:
        kept = Path(folder) / "book.parquet"
        # The baseline: the same rows written and read by pyarrow alone, no leadlife object.
        write_archive(histories, kept)
        table = pq.read_table(kept)
        plain = Path(folder) / "plain.parquet"
        written = Paired(
            lambda: pq.write_table(table, plain), lambda: write_archive(histories, kept), runs
        )
        line("archive (write)", count, written, target=5e5, unit="events")
        read = Paired(
            lambda: pq.read_table(plain).to_pylist(), lambda: list(read_archive(kept)), runs
        )
        assert read.result == histories, "what was archived is not what was read back"
        line("archive (read)", count, read, target=5e5, unit="events")


def main() -> None:
    """Measure everything, check each result against its baseline's, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="events in the JSON book")
    parser.add_argument("--journeys", type=int, default=300_000, help="journeys in the streams")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    runs = args.runs

    ids, events, masks = stream(args.journeys)
    checked = Paired(
        lambda: one_at_a_time(ids, events, masks),
        lambda: check_moves(DefaultFunnel, journeys=ids, events=events, guards=masks),
        runs,
    )
    assert len(checked.result.refused) == checked.base_result, "the bulk check disagrees"
    line("validation", len(ids), checked, target=5e6, unit="moves")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "events.parquet"
        rows = write_book(path, args.journeys)
        states = Paired(
            lambda: hand_written(path), lambda: record_states(pl.scan_parquet(path)), runs
        )
        assert states.result.equals(states.base_result), "record_states differs from the query"
        line("replay to columns", rows, states, target=3e6, unit="events")

    histories: list[History[Any]] = list(generate(args.events))
    book = [event for history in histories for event in history.events]
    count = len(book)
    gc.collect()
    replayed = Paired(
        lambda: [replay(history.events) for history in histories], lambda: replay_book(book), runs
    )
    assert list(replayed.result.values()) == replayed.base_result, "replay_book differs"
    line("replay to records", count, replayed, target=1e6, unit="events")

    text = io.StringIO()
    dump(histories, text)
    lines = text.getvalue().splitlines()
    loaded = Paired(lambda: [json.loads(each) for each in lines], lambda: list(load(lines)), runs)
    documents = loaded.base_result
    assert loaded.result == histories, "what was loaded is not what was dumped"
    line("load (JSON Lines)", count, loaded, target=3e5, unit="events")

    def write_plain() -> None:
        out = io.StringIO()
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False))
            out.write("\n")

    dumped = Paired(write_plain, lambda: dump(histories, io.StringIO()), runs)
    line("dump (JSON Lines)", count, dumped, target=5e5, unit="events")

    archive(histories, count, runs)

    leads, dicts = bytes_each(lead, 100_000), bytes_each(as_dict, 100_000)
    met = "met" if leads < 1024 else "NOT met"
    print(
        f"{'memory':<20} {leads:>10,.0f} bytes/Lead   target < 1,024 ({met:>7})  "
        f"{leads / dicts:5.2f}x a plain dict"
    )


if __name__ == "__main__":
    main()
