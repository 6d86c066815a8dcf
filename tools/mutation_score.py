"""The mutation score per module, from a finished ``mutmut run``.

Reads the results mutmut keeps beside each mutated file
(``mutants/src/**/*.py.meta``) and prints, per module, the mutants killed,
survived and without tests, and the score: killed over killed plus survived
(mutants no test reaches count as survivors too, since no test would notice
them). Exits 1 if a module scores below the target.
Run: python tools/mutation_score.py [--target 85]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # failing tests, timeouts, the type checker
SURVIVED = {0, 5, 33}  # nobody noticed, or no test reached it


def main() -> int:
    """Print the table; return 1 when a module is below the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", type=float, default=85.0)
    parser.add_argument("--root", type=Path, default=Path("mutants/src"))
    args = parser.parse_args()
    rows = []
    for meta in sorted(args.root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text())["exit_code_by_key"].values()
        killed = sum(code in KILLED for code in codes)
        survived = sum(code in SURVIVED for code in codes)
        if killed + survived:
            module = str(meta.relative_to(args.root)).removesuffix(".meta")
            rows.append((module, killed, survived, 100 * killed / (killed + survived)))
    if not rows:
        print("no results: run mutmut first (bash tools/mutation.sh)")
        return 1
    print(f"{'module':<40} {'killed':>7} {'survived':>9} {'score':>7}")
    for module, killed, survived, score in rows:
        print(f"{module:<40} {killed:>7} {survived:>9} {score:>6.1f}%")
    total_killed = sum(row[1] for row in rows)
    total = total_killed + sum(row[2] for row in rows)
    overall = 100 * total_killed / total
    print(f"{'all':<40} {total_killed:>7} {total - total_killed:>9} {overall:>6.1f}%")
    below = [row[0] for row in rows if row[3] < args.target]
    if below:
        print(f"below {args.target:g}%: {', '.join(below)}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
