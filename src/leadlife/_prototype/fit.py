"""A behaviour read from a real book, so that "simulate more of what we have" is one call.

Each stage's moves are the funnel events its stays ended with, each with its
chance (its share of the stays that ended, times the share that ends at
all: the stage's Kaplan-Meier curve levels off at the stays that never end)
and its stay (log-normal: the median and the spread of the log of the
stays that ended that way). Screen-outs carry the reasons they were given,
in their shares. Arrivals, sources, owners, deal sizes, the probability a
deal opens with and the review delay are read the same way. A move that
leaves a record where it was (a stage to itself) is not a stay's end, and
is not read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.stays import lazy_events, stays
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import Money
from leadlife._funnel.base import Funnel
from leadlife._funnel.table import table
from leadlife._prototype.behaviour import Behaviour, Delay, Move
from leadlife._prototype.markov import markov_chain

_US = timedelta(microseconds=1)
_DAY_US = timedelta(days=1) // _US


def fit_behaviour(events: Any, *, funnel: type[Funnel] | None = None) -> Behaviour:
    """The behaviour a book shows: what :func:`simulate` needs to make more of it.

    Args:
        events: An event table, in any engine narwhals reads.
        funnel: The book's funnel (the default funnel unless given): moves are
            named by its events, and only moves it makes are kept.

    Raises:
        ValidationError: The book has no journey to read.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move, fit_behaviour, simulate
        >>> book = simulate(
        ...     Behaviour(
        ...         moves={
        ...             "suspect": [
        ...                 Move(event="engage", chance=0.6, after=Delay(median=timedelta(days=2)))
        ...             ]
        ...         }
        ...     ),
        ...     journeys=2000,
        ...     seed=1,
        ...     start=datetime(2026, 1, 5, tzinfo=UTC),
        ... ).events()
        >>> (move,) = fit_behaviour(book).moves["suspect"]
        >>> move.event, round(move.chance, 2), round(move.after.median / timedelta(days=1), 1)
        ('engage', 0.59, 2.0)
    """
    from leadlife._policies.default_funnel import DefaultFunnel  # noqa: PLC0415 - the default

    chosen = DefaultFunnel if funnel is None else funnel
    rules = table(chosen)
    frame = lazy_events(events)
    created = _rows(
        frame.filter(nw.col("event_type") == "LeadCaptured").select(
            "journey_id", "at", "source_channel", "owner"
        )
    )
    if not created.num_rows:
        raise ValidationError(
            owner="fit_behaviour",
            field="events",
            value=f"{created.num_rows} journeys",
            expected="a book with captured leads to read",
        )
    ended = _ended_moves(frame)
    chain = markov_chain(events)
    moves: dict[str, list[Move]] = {}
    by_move: dict[tuple[str, str], list[int]] = defaultdict(list)
    reasons: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    reviews: list[int] = []
    for row in ended.to_pylist():
        source, target = row["stage"], row["next_stage"]
        event = _event(rules, source, target)
        if event is None:
            continue  # not a move this funnel makes
        by_move[source, event].append(row["stayed"])
        if row["reason_code"] is not None:
            reasons[source, event][row["reason_code"]] += 1
        if row["review_on"] is not None:
            reviews.append((row["review_on"] - row["left_at"].date()).days)
    for (source, event), durations in sorted(by_move.items()):
        exits = chain._exits[chain.stages.index(source)] if chain._exits else None  # noqa: SLF001 - the chain's own reading
        finished = sum(len(d) for (s, _), d in by_move.items() if s == source)
        leaves = 1.0 - (exits.stalls if exits is not None else 0.0)
        moves.setdefault(source, []).append(
            Move(
                event=event,
                chance=min(1.0, leaves * len(durations) / finished),
                after=_delay(durations),
                reasons=dict(reasons[source, event]) or None,
                to=_target(rules, source, event),
            )
        )
    return Behaviour(
        moves=moves,
        arrivals_per_day=_rate(created),
        sources=dict(Counter(created.column("source_channel").to_pylist())),
        owners=tuple(sorted({o for o in created.column("owner").to_pylist() if o})) or ("sam",),
        review_after=timedelta(days=float(np.median(reviews))) if reviews else timedelta(days=90),
        **_deals(frame),
    )


def _rows(frame: nw.LazyFrame[Any]) -> pa.Table:
    return frame.collect().to_arrow()


def _ended_moves(frame: nw.LazyFrame[Any]) -> pa.Table:
    """Every stay that ended, with its length and the reason and review its move gave."""
    ended = stays(frame).filter(~nw.col("next_stage").is_null() & ~nw.col("left_at").is_null())
    moved = frame.filter(nw.col("event_type") == "StageChanged").select(
        "journey_id",
        nw.col("from_stage").alias("stage"),
        nw.col("at").alias("left_at"),
        "reason_code",
        "review_on",
    )
    joined = ended.join(moved, on=["journey_id", "stage", "left_at"], how="left").select(
        "stage",
        "next_stage",
        "left_at",
        (nw.col("left_at") - nw.col("entered_at")).dt.total_microseconds().alias("stayed"),
        "reason_code",
        "review_on",
    )
    return _rows(joined)


def _event(rules: Any, source: str, target: str) -> str | None:
    """The funnel event that moves ``source`` to ``target`` (the first, if several do)."""
    for event in rules.allowed.get(source, ()):
        if target in rules.targets[source, event]:
            return str(event)
    return None


def _target(rules: Any, source: str, event: str) -> str | None:
    """``None`` where the event leads to one stage; else the one read (the first)."""
    reached = rules.targets[source, event]
    return None if len(reached) == 1 else str(min(reached))


def _delay(durations: list[int]) -> Delay:
    """A log-normal stay: the median, and the spread of the logs (0 for a single stay)."""
    days = np.maximum(np.array(durations, dtype=np.float64), 1.0) / _DAY_US
    spread = float(np.std(np.log(days))) if len(days) > 1 else 0.0
    median = timedelta(days=float(np.median(days)))
    return Delay(median=median, spread=min(spread, 5.0))


def _rate(created: pa.Table) -> float:
    times = pc.cast(created.column("at"), pa.timestamp("us", tz="UTC")).cast(pa.int64())
    first, last = pc.min(times).as_py(), pc.max(times).as_py()
    span = max((last - first) / _DAY_US, 1.0)
    return float(created.num_rows / span)


def _deals(frame: nw.LazyFrame[Any]) -> dict[str, Any]:
    """The deal size, its spread and the opening probability, from the deals opened."""
    opened = _rows(
        frame.filter(nw.col("event_type") == "OpportunityOpened").select(
            "amount", "currency", "win_probability"
        )
    )
    if not opened.num_rows:
        return {}
    currency, _ = Counter(opened.column("currency").to_pylist()).most_common(1)[0]
    amounts = np.array(
        [
            float(amount)
            for amount, unit in zip(
                opened.column("amount").to_pylist(),
                opened.column("currency").to_pylist(),
                strict=True,
            )
            if unit == currency and amount is not None and amount > 0
        ]
    )
    chances = [p for p in opened.column("win_probability").to_pylist() if p is not None]
    median = Decimal(round(float(np.median(amounts)))) if len(amounts) else Decimal(10_000)
    return {
        "deal_size": Money(amount=median, currency=currency),
        "deal_spread": min(float(np.std(np.log(amounts))), 5.0) if len(amounts) > 1 else 0.0,
        "win_probability": float(np.median(chances)) if chances else 0.3,
    }
