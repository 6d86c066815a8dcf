"""What ``import leadlife`` costs, against ``import statemachine`` in the same process.

Each round starts a fresh interpreter that imports python-statemachine (the
baseline: leadlife cannot import faster than the engine it is built on),
then leadlife, timing each; the figure is the median over the rounds of
leadlife's time over the baseline's (the target is at most 2.5). Both are
timed with their bytecode cached, as an installed wheel has it: the first
round writes the cache and is not counted. The second line says whether the
packages that only serializing (cattrs) or plugins (importlib.metadata)
need were imported: they should not be.

Run: python benchmarks/bench_import.py [--rounds R]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

PROBE = """
import json, sys, time
start = time.perf_counter()
import statemachine
middle = time.perf_counter()
import leadlife
end = time.perf_counter()
print(json.dumps({
    "statemachine": middle - start,
    "leadlife": end - middle,
    "deferred": [name for name in ("cattrs", "importlib.metadata") if name in sys.modules],
}))
"""


def probe() -> dict[str, object]:
    """One fresh interpreter's timings."""
    environment = {**os.environ}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed wheel has its bytecode
    done = subprocess.run(  # noqa: S603 - our own probe, in a fresh interpreter
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    """Run the rounds and print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="fresh interpreters")
    args = parser.parse_args()
    probe()  # writes the bytecode cache
    rounds = [probe() for _ in range(args.rounds)]
    ratios = sorted(float(r["leadlife"]) / float(r["statemachine"]) for r in rounds)  # type: ignore[arg-type]
    base = statistics.median(float(r["statemachine"]) for r in rounds)  # type: ignore[arg-type]
    ours = statistics.median(float(r["leadlife"]) for r in rounds)  # type: ignore[arg-type]
    print(f"import statemachine : {base * 1e3:6.1f} ms (median)")
    print(f"import leadlife     : {ours * 1e3:6.1f} ms (median, after statemachine)")
    print(
        f"ratio               : {statistics.median(ratios):6.2f}  (median of {len(ratios)} "
        f"rounds, middle half {ratios[len(ratios) // 4]:.2f} to "
        f"{ratios[3 * len(ratios) // 4]:.2f}; target <= 2.5)"
    )
    print(f"imported, not needed: {sorted({n for r in rounds for n in r['deferred']})}")  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
