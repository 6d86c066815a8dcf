"""Monte Carlo forecasts: only what was known, the same for the same seed, and calibrated."""

from datetime import UTC, datetime, timedelta

import attrs
import numpy as np
import pyarrow.compute as pc
import pytest

from leadlife import DefaultFunnel
from leadlife.analytics import demo_events
from leadlife.charts import fan_chart
from leadlife.errors import ValidationError
from leadlife.prototype import QUANTILES, forecast, simulate
from simulated import BEHAVIOUR, START

# A book that arrives over five months, so that by day 150 every stage has
# stays that ended (a forecast learns from them) and journeys still open.
STEADY = attrs.evolve(BEHAVIOUR, arrivals_per_day=20)
AT = START + timedelta(days=150)
PERIOD = timedelta(days=14)


def until(events, at):
    """The book as it was at ``at``: its rows up to then."""
    return events.filter(pc.less_equal(events.column("at"), at))


def wins_after(events, at, periods):
    """The truth: per period after ``at``, the journeys open at ``at`` that were then won."""
    started, first_win = {}, {}
    for row in events.select(["journey_id", "to_stage", "at", "entered"]).to_pylist():
        if row["entered"]:
            started.setdefault(row["journey_id"], row["at"])
            if row["to_stage"] == "customer":
                first_win.setdefault(row["journey_id"], row["at"])
    counts = np.zeros(periods, int)
    for journey, won_at in first_win.items():
        if started[journey] <= AT < won_at:
            slot = int((won_at - at) / PERIOD)
            if slot < periods:
                counts[slot] += 1
    return counts


@pytest.mark.slow  # 24 books of 4,000 journeys
def test_the_p10_to_p90_band_holds_the_truth_about_eight_times_in_ten():
    # Backtest on simulated books whose future is known: forecast from day 150
    # with what was known then, and count how often the truth fell in the band.
    held = checked = 0
    for seed in range(24):
        events = simulate(STEADY, journeys=4_000, seed=seed, start=START).events()
        ahead = forecast(
            until(events, AT),
            at=AT,
            periods=4,
            period=PERIOD,
            runs=400,
            seed=seed,
            funnel=DefaultFunnel,
        )
        band = ahead.quantiles("wins")
        truth = wins_after(events, AT, 4)
        held += int(np.sum((band[:, 0] <= truth) & (truth <= band[:, 2])))
        checked += 4
    assert 0.65 <= held / checked <= 0.95  # 80% nominal; 96 checks, sd about 0.04


def test_only_what_was_known_at_the_moment_counts():
    events = simulate(STEADY, journeys=1_500, seed=3, start=START).events()
    full = forecast(events, at=AT, periods=3, period=PERIOD, runs=200, seed=1)
    known = forecast(until(events, AT), at=AT, periods=3, period=PERIOD, runs=200, seed=1)
    assert np.array_equal(full.wins, known.wins)
    assert np.array_equal(full.revenue, known.revenue)
    assert full.journeys == known.journeys > 0


def test_the_same_seed_gives_the_same_forecast():
    events = simulate(STEADY, journeys=800, seed=5, start=START).events()
    one, two = (
        forecast(events, at=AT, periods=2, period=PERIOD, runs=100, seed=seed) for seed in (9, 9)
    )
    assert np.array_equal(one.wins, two.wins)
    other = forecast(events, at=AT, periods=2, period=PERIOD, runs=100, seed=10)
    assert not np.array_equal(one.wins, other.wins)
    assert one.wins.shape == (100, 2)
    assert one.quantiles("revenue").shape == (2, len(QUANTILES))


def test_revenue_is_the_deals_amounts_in_one_currency():
    # Every deal the same size: each win brings exactly that, whether the journey
    # had opened its deal by the moment (its amount) or not (the mean won amount).
    even = attrs.evolve(STEADY, deal_spread=0)
    events = simulate(even, journeys=1_500, seed=2, start=START).events()
    ahead = forecast(events, at=AT, periods=4, period=PERIOD, runs=300, seed=2)
    assert ahead.currency == "EUR"
    assert ahead.other_currency == 0
    assert ahead.wins.sum() > 0
    assert np.array_equal(ahead.revenue, ahead.wins * 10_000.0)


def test_a_book_in_several_currencies_needs_one_named():
    at = datetime(2026, 3, 24, tzinfo=UTC)
    with pytest.raises(ValidationError) as caught:
        forecast(demo_events(), at=at, periods=2)
    assert caught.value.field == "currency"
    ahead = forecast(demo_events(), at=at, periods=2, currency="GBP")
    assert ahead.other_currency == 1
    assert "other currencies" in ahead._repr_markdown_()
    assert "revenue (GBP)" in ahead._repr_html_()
    printed = str(ahead).splitlines()  # print() shows the same table, a line a period
    assert printed[0].startswith("forecast from 2026-03-24: ")
    assert printed[1].split() == ["period", "wins", "revenue", "(GBP)"]
    assert len(printed) == 2 + 2


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"at": datetime(2026, 3, 20)}, "at"),
        ({"periods": 0}, "periods"),
        ({"period": timedelta(0)}, "period"),
        ({"runs": 0}, "runs"),
        ({"seed": -1}, "seed"),
        ({"won": ["champion"]}, "won"),
        ({"currency": " "}, "currency"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, field):
    given = {"at": datetime(2026, 3, 24, tzinfo=UTC), "periods": 2, "currency": "USD"} | kwargs
    with pytest.raises(ValidationError) as caught:
        forecast(demo_events(), **given)
    assert caught.value.field == field


def test_rows_give_each_period_s_quantiles():
    events = simulate(STEADY, journeys=600, seed=4, start=START).events()
    ahead = forecast(events, at=AT, periods=2, period=PERIOD, runs=50, seed=4)
    rows = ahead.rows()
    assert [row[0] for row in rows] == [AT, AT + PERIOD]
    assert all(len(row) == len(ahead.columns) for row in rows)
    for row in rows:
        assert row[1] <= row[2] <= row[3]
        assert row[4] <= row[5] <= row[6]
    with pytest.raises(ValidationError):
        ahead.quantiles("profit")


def test_the_fan_chart_draws_the_band_and_the_median():
    events = simulate(STEADY, journeys=600, seed=4, start=START).events()
    ahead = forecast(events, at=AT, periods=3, period=PERIOD, runs=50, seed=4)
    spec = fan_chart(ahead, "revenue").to_dict()
    area, line = spec["layer"]
    rows = spec["data"]["values"]  # shared by both layers
    band = ahead.quantiles("revenue")
    assert [row["p90"] for row in rows] == band[:, 2].tolist()
    assert line["encoding"]["y"]["field"] == "p50"
    assert "EUR" in area["encoding"]["y"]["title"]
    with pytest.raises(ValidationError, match="Forecast"):
        fan_chart(object())
