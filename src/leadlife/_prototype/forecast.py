"""Monte Carlo forecast: the wins and revenue the open journeys of a book bring, period by period.

The model is the book's own, read as of the forecast's moment and nothing
after it. Each stage's stays, finished and still open, give its survival
curve (Kaplan-Meier: a stay still open counts as at risk for as long as it
has lasted, so long-stalled leads are not taken for quick movers). A journey
now ``age`` into its stage leaves when the curve, given it has lasted
``age``, says so, or never, where the curve stays above the draw (some stays
never end); it goes where the book's stays that lasted as long went. From
there the same, stage after stage, until a won stage, a stage nobody
leaves, or the end of the horizon. Many runs of that (vectorised: every run
and every journey a step at a time) give, per period, the spread of wins and
revenue: p10, p50, p90, not a single number.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.rates import A_RATES, Conversion, ExchangeRates
from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._prototype.as_of import read_as_of, valued
from leadlife._prototype.markov import Exits, stage_exits

_US = timedelta(microseconds=1)
QUANTILES = (0.1, 0.5, 0.9)
"""The quantiles a forecast gives: p10, p50 and p90."""


@attrs.frozen(kw_only=True, eq=False)
class Forecast(display.ShownAsGrid):
    """Wins and revenue per period from the open journeys, as quantiles over many runs.

    Attributes:
        at: The moment forecast from.
        starts: Each period's start.
        period: The periods' length.
        journeys: The open journeys forecast.
        runs: How many runs.
        wins: ``wins[run][period]``: the wins each run drew.
        revenue: ``revenue[run][period]``: their value, in ``currency``.
        currency: The revenue's currency (``None`` when the book has no amounts).
        other_currency: Open journeys whose deal is in another currency: their
            wins count, their revenue does not (none when ``rates`` converted them).
        conversions: The deals of other currencies converted into ``currency``,
            each with its rate and the rate's day (the moment's, or the last
            day before it with a rate), when the forecast was given rates.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.prototype import forecast
        >>> ahead = forecast(
        ...     demo_events(),
        ...     at=datetime(2026, 3, 24, tzinfo=UTC),
        ...     periods=2,
        ...     currency="USD",
        ...     runs=200,
        ... )
        >>> ahead.columns[:4], ahead.wins.shape
        (('period', 'wins_p10', 'wins_p50', 'wins_p90'), (200, 2))
    """

    at: datetime
    starts: tuple[datetime, ...]
    period: timedelta
    journeys: int
    runs: int
    wins: npt.NDArray[np.int64] = attrs.field(repr=False)
    revenue: npt.NDArray[np.float64] = attrs.field(repr=False)
    currency: str | None
    other_currency: int = 0
    conversions: tuple[Conversion, ...] = ()

    def quantiles(self, what: str = "wins") -> npt.NDArray[np.float64]:
        """``[period][q]``: the p10, p50 and p90 of ``"wins"`` or ``"revenue"`` per period.

        Raises:
            ValidationError: ``what`` is neither.
        """
        if what not in {"wins", "revenue"}:
            raise ValidationError(
                owner="Forecast.quantiles", field="what", value=what, expected="'wins' or 'revenue'"
            )
        drawn = self.wins if what == "wins" else self.revenue
        return np.quantile(drawn, QUANTILES, axis=0).T

    def rows(self) -> list[tuple[Any, ...]]:
        """One row a period: its start, wins p10/p50/p90, revenue p10/p50/p90."""
        wins, revenue = self.quantiles("wins"), self.quantiles("revenue")
        return [
            (start, *map(float, wins[index]), *map(float, revenue[index]))
            for index, start in enumerate(self.starts)
        ]

    columns = (
        "period",
        "wins_p10",
        "wins_p50",
        "wins_p90",
        "revenue_p10",
        "revenue_p50",
        "revenue_p90",
    )
    """The names of :meth:`rows`' columns."""

    def _grid(self) -> display.Grid:
        elsewhere = (
            f"; {self.other_currency} in other currencies count as wins only"
            if self.other_currency
            else ""
        )
        title = (
            f"forecast from {self.at:%Y-%m-%d}: {self.journeys} open journeys, {self.runs} runs "
            f"(p10 / p50 / p90){elsewhere}"
        )
        rows = [
            (
                f"{start:%Y-%m-%d}",
                " / ".join(f"{value:,.0f}" for value in row[1:4]),
                " / ".join(f"{value:,.0f}" for value in row[4:7]),
            )
            for start, row in zip(self.starts, self.rows(), strict=True)
        ]
        header = ("period", "wins", f"revenue ({self.currency or 'no amounts'})")
        return title, header, rows, None


def forecast(
    events: Any,
    *,
    at: datetime,
    periods: int,
    period: timedelta = timedelta(days=30),
    won: Iterable[str] | None = None,
    runs: int = 1000,
    seed: int = 0,
    currency: str | None = None,
    funnel: type[Funnel] | None = None,
    rates: ExchangeRates | None = None,
) -> Forecast:
    """Forecast the wins and revenue of the journeys open at ``at``, for ``periods`` periods.

    Only what the book knew at ``at`` is read: stays that ended after it
    count as open then, and journeys that arrived after it are not forecast.
    A journey's value is its deal's amount as of ``at`` (the latest amount
    row), else the mean amount of the deals won before ``at``.

    Args:
        events: An event table, in any engine narwhals reads.
        at: The moment to forecast from; timezone-aware.
        periods: How many periods ahead.
        period: Their length (30 days by default).
        won: The stages that count as won; the funnel's won stages if ``None``.
        runs: Monte Carlo runs (more: smoother quantiles, slower).
        seed: The seed: the same seed, the same forecast.
        currency: The revenue's currency (needed when the book's deals are in
            several; journeys whose deal is in another count as wins, not as
            revenue, and :attr:`Forecast.other_currency` says how many).
        funnel: The book's funnel, whose stages ``won`` may name though the
            book never reached them (without it, ``won`` must be stages the book has).
        rates: :class:`~leadlife.analytics.ExchangeRates` to bring deals of
            other currencies into ``currency`` at the rate of the moment's day
            (:attr:`Forecast.conversions` says which, at which rate of which day).

    Raises:
        ValidationError: An argument is out of range, ``won`` names a stage
            the book never had, or the deals are in several currencies and
            ``currency`` is not given.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.prototype import forecast
        >>> ahead = forecast(
        ...     demo_events(), at=datetime(2026, 3, 24, tzinfo=UTC), periods=3, currency="GBP"
        ... )
        >>> ahead.journeys, ahead.quantiles("wins").shape, ahead.other_currency
        (2, (3, 3), 1)
    """
    check.argument("forecast", "at", at, check.aware_datetime)
    check.argument("forecast", "periods", periods, check.whole_number(1, "an int >= 1"))
    check.argument("forecast", "period", period, check.positive_duration)
    check.argument("forecast", "runs", runs, check.whole_number(1, "an int >= 1"))
    check.argument("forecast", "seed", seed, check.whole_number(0, "an int >= 0"))
    if currency is not None:
        check.argument("forecast", "currency", currency, check.text)
    book = read_as_of(
        events, at, won=sorted(roles_of(funnel).won) if won is None else won, funnel=funnel
    )
    stage_of, durations = book.stage_of, book.durations
    model = [
        stage_exits(
            durations[stage_of == index],
            book.ended[stage_of == index],
            book.targets[stage_of == index],
        )
        for index in range(len(book.stages))
    ]
    open_rows = book.open_rows
    won_codes = book.won
    if rates is not None:
        check.argument("forecast", "rates", rates, A_RATES)
    values, unit, elsewhere, conversions = valued(events, book, currency=currency, rates=rates)
    horizon = periods * (period // _US)
    wins_at = _walk(
        model,
        stage=stage_of[open_rows],
        age=durations[open_rows],
        won=won_codes,
        horizon=horizon,
        runs=runs,
        rng=np.random.default_rng(seed),
    )
    # Wins and revenue per run and period.
    period_us = period // _US
    slot = np.where(wins_at >= 0, wins_at // period_us, periods)
    wins = np.zeros((runs, periods + 1), np.int64)
    revenue = np.zeros((runs, periods + 1))
    run_index = np.repeat(np.arange(runs), len(open_rows))
    np.add.at(wins, (run_index, slot.ravel()), 1)
    np.add.at(revenue, (run_index, slot.ravel()), np.tile(values, runs))
    return Forecast(
        at=at,
        starts=tuple(at + period * index for index in range(periods)),
        period=period,
        journeys=len(open_rows),
        runs=runs,
        wins=wins[:, :periods],
        revenue=revenue[:, :periods],
        currency=unit,
        other_currency=elsewhere,
        conversions=conversions,
    )


def _walk(
    model: list[Exits | None],
    *,
    stage: npt.NDArray[np.int64],
    age: npt.NDArray[np.int64],
    won: set[int],
    horizon: int,
    runs: int,
    rng: np.random.Generator,
) -> npt.NDArray[np.int64]:
    """``[run][journey]``: when each journey was won (microseconds after the moment), or -1."""
    count = len(stage)
    where = np.tile(stage, runs)
    since = np.tile(age, runs)  # how long it has been in its stage
    clock = np.zeros(runs * count, np.int64)  # time after the moment
    won_at = np.full(runs * count, -1, np.int64)
    alive = np.arange(runs * count)
    won_codes = np.array(sorted(won), np.int64)
    while len(alive):
        left_at = np.full(len(alive), -1, np.int64)
        goes = np.full(len(alive), -1, np.int64)
        for index in np.unique(where[alive]):
            stays = model[index]
            here = np.flatnonzero(where[alive] == index)
            if stays is None:
                continue  # nobody leaves this stage
            left_at[here], goes[here] = _leave(stays, since[alive[here]], rng)
        moving = left_at >= 0
        clock[alive] += np.where(moving, left_at - since[alive], 0)
        moving &= clock[alive] < horizon
        alive = alive[moving]
        where[alive] = goes[moving]
        since[alive] = 0
        done = np.isin(where[alive], won_codes)
        won_at[alive[done]] = clock[alive[done]]
        alive = alive[~done]
    return won_at.reshape(runs, count)


def _leave(
    stays: Exits, age: npt.NDArray[np.int64], rng: np.random.Generator
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """When stays now ``age`` old end (their total length; -1: never), and where they go."""
    # S(age): the survival at the last finishing time not after the age.
    before = np.searchsorted(stays.times, age, side="right") - 1
    lasted = np.where(before >= 0, stays.survival[np.maximum(before, 0)], 1.0)
    # The first finishing time whose survival falls to a draw under S(age).
    target = rng.random(len(age)) * lasted
    first = np.searchsorted(-stays.survival, -target, side="left")
    ends = first < len(stays.times)
    length = np.where(ends, stays.times[np.minimum(first, len(stays.times) - 1)], -1)
    length = np.where(ends, np.maximum(length, age), -1)
    # Where it goes: as a finished stay that lasted at least as long went.
    durations = stays.durations
    low = np.searchsorted(durations, np.maximum(age, 0), side="left")
    low = np.where(low >= len(durations), 0, low)
    pick = low + (rng.random(len(age)) * (len(durations) - low)).astype(np.int64)
    return length, stays.targets[pick]
