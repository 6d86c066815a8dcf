"""An import of a generated file, timed against ``leadlife.load`` of the same book, per event.

Shared by the import benchmarks (``bench_crm_import.py``, ``bench_table_import.py``):
the file is written, imported once and its histories dumped as JSON Lines (the
baseline's book); then the import and ``leadlife.load`` of that book run in
interleaved rounds of one process, and the medians are printed side by side.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from leadlife import dump, load


def rounds(
    read: Callable[[Path], Any], path: Path, book: Path, count: int
) -> tuple[list[float], list[float], int]:
    """Seconds of each import and each load, interleaved; the events imported."""
    imports, loads, events = [], [], 0
    for _ in range(count):
        start = time.perf_counter()
        imported = read(path)
        imports.append(time.perf_counter() - start)
        events = sum(len(history) for history in imported.histories)
        start = time.perf_counter()
        with book.open(encoding="utf-8") as file:
            loaded = list(load(file))
        loads.append(time.perf_counter() - start)
        assert sum(len(history) for history in loaded) == events
    return imports, loads, events


def run(
    doc: str,
    *,
    rows: str,
    default: int,
    name: str,
    write: Callable[[Path, int], None],
    read: Callable[[Path], Any],
    target: str,
) -> None:
    """Parse ``--ROWS N --rounds R``; write the file, import it, load the same book; print."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(f"--{rows}", type=int, default=default, help="rows in the file")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    args = parser.parse_args()
    count = getattr(args, rows)
    with tempfile.TemporaryDirectory() as folder:
        path, book = Path(folder) / "export.csv", Path(folder) / "book.jsonl"
        write(path, count)
        imported = read(path)
        with book.open("w", encoding="utf-8") as file:
            dump(imported.histories, file)
        imports, loads, events = rounds(read, path, book, args.rounds)
    took, base = statistics.median(imports), statistics.median(loads)
    print(f"{rows} {count:,}: {events:,} events, {len(imported.refused)} rows refused")
    print(f"{name:<14} {events / took:>10,.0f} events/s  ({took:.2f} s)")
    print(f"leadlife.load  {events / base:>10,.0f} events/s  ({base:.2f} s, the baseline)")
    print(f"import / load  {base / took:>10.2f}x  (target >= 0.25)")
    print(f"1M {rows:<11} {took / count * 1e6:>10.1f} s at this rate  {target}")
