"""A book as a moment knew it: its stays, which had ended, how long each lasted, and its values.

The forecast and the pipeline value read the book this way, and nothing
after the moment: a stay that ended later was still open then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import narwhals.stable.v2 as nw
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.rates import Conversion, ExchangeRates
from leadlife._analytics.states import record_states
from leadlife._analytics.stays import lazy_events, moment, stays
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import Money
from leadlife._funnel.base import Funnel

_US = timedelta(microseconds=1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@attrs.frozen(kw_only=True, eq=False)
class AsOf:
    """A book's stays as the moment knew them: which had ended, how long each lasted, where to.

    Attributes:
        at: The moment.
        stages: Stage names; a stage's code is its index.
        won: The codes of the won stages.
        journey_ids: Each stay's journey.
        stage_of: Each stay's stage code.
        durations: How long each stay lasted (until the moment, if still open), in µs.
        ended: Whether it had ended by the moment.
        targets: Where an ended stay went (a stage code; -1 otherwise).
        open_rows: The stays still open at the moment of the journeys not won
            by then: one per open journey.
    """

    at: datetime
    stages: tuple[str, ...]
    won: set[int]
    journey_ids: list[str]
    stage_of: npt.NDArray[np.int64]
    durations: npt.NDArray[np.int64]
    ended: npt.NDArray[np.bool_]
    targets: npt.NDArray[np.int64]
    open_rows: npt.NDArray[np.int64]

    @property
    def journeys(self) -> list[str]:
        """The open journeys, one per open row."""
        return [self.journey_ids[row] for row in self.open_rows]


def read_as_of(
    events: Any, at: datetime, *, won: Iterable[str], funnel: type[Funnel] | None = None
) -> AsOf:
    """The stays of ``events`` as ``at`` knew them (nothing after it is read).

    Raises:
        ValidationError: ``won`` names no stage of the book (or of ``funnel``).
    """
    known = (
        stays(events)
        .filter(nw.col("entered_at") <= moment("at", at))
        .select("journey_id", "stage", "entered_at", "left_at", "next_stage")
        .collect()
        .to_arrow()
    )
    at_us = (at - _EPOCH) // _US
    entered = _micros(known.column("entered_at"))
    left = _micros(known.column("left_at"), missing=at_us + 1)
    ended = left <= at_us
    durations = np.where(ended, left, at_us) - entered
    # Every stage the book ever had (a won stage may come only after the
    # moment) or its funnel names: the states of the model, and what ``won`` may name.
    ever = lazy_events(events).select("to_stage").unique().collect().to_arrow().column(0)
    # In the funnel's order, then any stage of the book it lacks: a funnel's stages renamed
    # give the same states in the same order (and a seeded forecast the same draws).
    declared = roles_of(funnel).stages
    seen = (
        set(known.column("stage").to_pylist())
        | _stages(known, ended)
        | {stage for stage in ever.to_pylist() if stage is not None}
    )
    names = [*declared, *sorted(seen - set(declared))]
    code = {stage: index for index, stage in enumerate(names)}
    won_codes = _won(won, code)
    stage_of = np.array([code[stage] for stage in known.column("stage").to_pylist()], np.int64)
    next_names = known.column("next_stage").to_pylist()
    targets = np.array(
        [code.get(name, -1) if done else -1 for name, done in zip(next_names, ended, strict=True)],
        np.int64,
    )
    # The journeys open at the moment: their latest stay has not ended, and they
    # have not been won (a customer's later stages are another question).
    journey_ids = known.column("journey_id").to_pylist()
    in_won = np.isin(stage_of, list(won_codes))
    won_journeys = {
        journey for journey, won_row in zip(journey_ids, in_won, strict=True) if won_row
    }
    open_rows = np.flatnonzero(
        ~ended & ~np.array([journey in won_journeys for journey in journey_ids], dtype=bool)
    )
    return AsOf(
        at=at,
        stages=tuple(names),
        won=won_codes,
        journey_ids=journey_ids,
        stage_of=stage_of,
        durations=durations,
        ended=ended,
        targets=targets,
        open_rows=open_rows,
    )


def _micros(column: pa.ChunkedArray, missing: int = 0) -> npt.NDArray[np.int64]:
    as_int = pc.cast(column, pa.timestamp("us", tz="UTC")).cast(pa.int64())
    return np.asarray(pc.fill_null(as_int, missing).to_numpy(zero_copy_only=False), np.int64)


def _stages(known: pa.Table, ended: npt.NDArray[np.bool_]) -> set[str]:
    names = known.column("next_stage").to_pylist()
    return {name for name, done in zip(names, ended, strict=True) if done and name is not None}


def _won(won: Iterable[str], code: dict[str, int]) -> set[int]:
    named = [won] if isinstance(won, str) else list(won)
    if not named or any(stage not in code for stage in named):
        raise ValidationError(
            owner="forecast",
            field="won",
            value=named,
            expected=f"stages the book has ({', '.join(code)})",
        )
    return {code[stage] for stage in named}


def valued(
    events: Any, book: AsOf, *, currency: str | None, rates: ExchangeRates | None = None
) -> tuple[npt.NDArray[np.float64], str | None, int, tuple[Conversion, ...]]:
    """Each open journey's value in one currency, the currency, how many are in another.

    And the conversions made, when ``rates`` are given.

    A journey's value is its deal's amount as of the moment, else the mean
    amount of the deals won by then (in the currency); a deal in another
    currency counts as a win but not as revenue (how many is said, not hidden),
    unless ``rates`` convert it, at the rate of the moment's day (or the last
    day before with one).

    Raises:
        ValidationError: The deals are in several currencies and ``currency``
            is None, or a currency has no rate on or before the moment's day.
    """
    at, journeys = book.at, book.journeys
    states = nw.from_native(record_states(events, at=at))
    if isinstance(states, nw.LazyFrame):
        states = states.collect()
    rows = states.select("journey_id", "amount", "currency").to_arrow()
    amounts: dict[str, tuple[Decimal, str]] = {}
    for journey, amount, unit in zip(
        *(rows.column(name).to_pylist() for name in ("journey_id", "amount", "currency")),
        strict=True,
    ):
        if amount is not None:
            amounts[journey] = (Decimal(str(amount)), unit)
    found = sorted({unit for _, unit in amounts.values()})
    if currency is None and len(found) > 1:
        raise ValidationError(
            owner="forecast",
            field="currency",
            value=None,
            expected=f"one of the book's currencies ({', '.join(found)}): its deals are in several",
        )
    chosen = currency if currency is not None else (found[0] if found else None)
    conversions = () if rates is None or chosen is None else _convert(amounts, chosen, rates, at)
    # Journeys that had reached a won stage by the moment.
    won_journeys = {
        journey
        for journey, stage in zip(book.journey_ids, book.stage_of, strict=True)
        if stage in book.won
    }
    won_amounts = [
        float(amounts[journey][0])
        for journey in won_journeys
        if journey in amounts and amounts[journey][1] == chosen
    ]
    fallback = float(np.mean(won_amounts)) if won_amounts else 0.0
    values = []
    elsewhere = 0
    for journey in journeys:
        held = amounts.get(journey)
        if held is None:
            values.append(fallback)
        elif held[1] != chosen:
            elsewhere += 1
            values.append(0.0)
        else:
            values.append(float(held[0]))
    return np.array(values, np.float64), chosen, elsewhere, tuple(conversions)


def _convert(
    amounts: dict[str, tuple[Decimal, str]], chosen: str, rates: ExchangeRates, at: datetime
) -> tuple[Conversion, ...]:
    """Bring amounts of other currencies into ``chosen`` at the rate of ``at``'s day, in place."""
    conversions = []
    for journey, (amount, unit) in sorted(amounts.items()):
        if unit != chosen:
            given = Money(amount=amount, currency=unit)
            converted, rate = rates.convert(given, chosen, on=at.date())
            amounts[journey] = (converted.amount, chosen)
            conversions.append(
                Conversion(journey_id=journey, amount=given, converted=converted, rate=rate)
            )
    return tuple(conversions)
