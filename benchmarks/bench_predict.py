"""Scoring a million leads with a calibrated predictive model.

A logistic model of a win (four features: company size, industry, channel,
campaign) is fitted on 50,000 closed journeys of a book with known truth and
calibrated (isotonic) on 20,000 more; then a million leads are scored, as
Arrow columns (what an event table's lead rows give). The baseline, timed in
the same process on ``--sample`` leads, scores one lead at a time in Python
(its features' weights looked up in dictionaries): what scoring costs without
the columnar path. The target is a million leads in 5 seconds.

Run: python benchmarks/bench_predict.py [--leads N] [--sample N] [--runs N]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
import pyarrow as pa

from leadlife.predict import Calibrated, Logistic

EFFECTS = {
    "size": {"micro": -1.0, "small": -0.4, "medium": 0.2, "large": 0.8, "enterprise": 1.2},
    "industry": {"a": 0.3, "b": -0.2, "c": 0.0, "d": 0.5, "e": -0.6, "f": 0.1},
    "channel": {"web": -0.3, "event": 0.2, "referral": 1.0, "list": -1.2},
}


def book(n: int, seed: int) -> tuple[dict[str, pa.Array], np.ndarray]:
    """``n`` leads' features (Arrow columns) and whether each was won."""
    rng = np.random.default_rng(seed)
    plain = {name: rng.choice(list(values), n) for name, values in EFFECTS.items()}
    plain["campaign"] = np.char.add(plain["channel"], rng.choice(["-q1", "-q2", "-q3"], n))
    logit = -0.8 + sum(np.vectorize(EFFECTS[k].get)(plain[k]) for k in EFFECTS)
    won = rng.random(n) < 0.55 / (1 + np.exp(-2.2 * logit))
    return {name: pa.array(values.tolist(), pa.string()) for name, values in plain.items()}, won


def main() -> None:
    """Fit, calibrate, score a million leads, time the one-at-a-time baseline on a sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    features = ["size", "industry", "channel", "campaign"]
    train, won = book(50_000, seed=1)
    held, held_won = book(20_000, seed=2)
    model = Calibrated.fit(Logistic.fit(train, won, features=features), held, held_won)
    leads, _ = book(args.leads, seed=3)
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        scores = model.predict(leads)
        times.append(time.perf_counter() - started)
    took = statistics.median(times)
    # The baseline: one lead at a time, its weights from dictionaries.
    inner = model.model
    tables = {
        name: dict(zip(inner.vocabulary.values[name], inner.weights[name], strict=True))
        for name in features
    }
    sample = {name: leads[name].slice(0, args.sample).to_pylist() for name in features}
    started = time.perf_counter()
    slow = []
    for row in range(args.sample):
        logit = inner.intercept + sum(tables[f].get(sample[f][row], 0.0) for f in features)
        slow.append(1 / (1 + math.exp(-logit)))
    base = time.perf_counter() - started
    raw = inner.predict({name: leads[name].slice(0, args.sample) for name in features})
    assert np.allclose(raw, slow), "the columnar scores differ from the one-at-a-time ones"
    rate, base_rate = args.leads / took, args.sample / base
    print(f"{args.leads:,} leads scored (calibrated logistic, {len(features)} features)")
    print(f"columnar       : {took:6.2f} s = {rate:,.0f} leads/s (target: 5 s)")
    print(f"baseline       : {base_rate:,.0f} leads/s, one at a time, on {args.sample:,}")
    print(f"ratio          : {rate / base_rate:.0f}x the baseline")
    print(f"mean score     : {scores.mean():.4f}")


if __name__ == "__main__":
    main()
