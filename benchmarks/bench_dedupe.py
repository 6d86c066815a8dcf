"""Finding the duplicates of a million contacts, and how right it is.

A book of ``--contacts`` contacts, 10% of them copies of others (the ways
people arrive twice: another capital, a ``+tag``, a personal address, the
phone written otherwise, a typo, "Last, First", the legal form), with the
truth known. Times :func:`~leadlife.duplicates.find_duplicates` and counts
precision and recall over the true pairs. The baseline, timed in the same
process, compares every pair of ``--sample`` contacts (the same name
comparison, no blocks): what the whole book would cost without blocking,
extrapolated by the number of pairs. The target is a million contacts in 60
seconds.

Run: python benchmarks/bench_dedupe.py [--contacts N] [--sample N]
"""

from __future__ import annotations

import argparse
import time
from itertools import combinations

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cdist

from leadlife.duplicates import find_duplicates, name_key, planted_book


def main() -> None:
    """Plant, find, score; time the all-pairs baseline on a sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5_000)
    args = parser.parse_args()
    book, truth = planted_book(args.contacts, duplicates=0.1, seed=7)
    started = time.perf_counter()
    found = find_duplicates(book)
    took = time.perf_counter() - started
    true_pairs = {pair for group in truth for pair in combinations(group, 2)}
    got = found.pairs()
    right = len(got & true_pairs)
    names = [name_key(name) for name in book["name"][: args.sample]]
    started = time.perf_counter()
    cdist(names, names, scorer=ratio, workers=-1)
    sample_took = time.perf_counter() - started
    all_pairs = args.contacts * (args.contacts - 1) / 2
    baseline = sample_took * all_pairs / (args.sample * args.sample)
    print(f"contacts            {args.contacts:,} ({len(true_pairs):,} true pairs planted)")
    print(f"find_duplicates     {took:.1f} s ({args.contacts / took:,.0f} contacts/s)")
    print(f"precision           {right / len(got):.4f} ({len(got) - right} of {len(got):,} wrong)")
    print(f"recall              {right / len(true_pairs):.4f} ({len(true_pairs) - right} missed)")
    print(
        f"all pairs, no blocks {baseline / 3600:,.1f} hours by extrapolation from "
        f"{args.sample:,} contacts in the same process: {baseline / took:,.0f}x"
    )


if __name__ == "__main__":
    main()
