"""One reporting currency: dated rates as data, the ECB's file, reports and forecasts converted."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import (
    Company,
    CompanySize,
    Contact,
    FixedClock,
    LeadId,
    Lifecycle,
    Money,
    OpportunityId,
    ProspectId,
    Source,
)
from leadlife.analytics import ExchangeRates, event_table, potential_value
from leadlife.errors import ImportFileError, ValidationError
from leadlife.prototype import forecast
from leadlife.screening import WinReason
from strategies import qualifying_evidence

D = Decimal
RATES = ExchangeRates(
    base="EUR",
    rates={
        date(2026, 3, 2): {"USD": D("1.10"), "GBP": D("0.85")},
        date(2026, 3, 9): {"USD": D("1.12"), "GBP": D("0.84")},
        date(2026, 3, 16): {"GBP": D("0.86")},  # no USD that day
    },
    source="test rates",
)


def test_a_rate_is_the_days_or_the_last_before_it_and_says_which():
    rate = RATES.rate("USD", "GBP", on=date(2026, 3, 10))
    assert (rate.value, rate.on) == (D("0.84") / D("1.12"), date(2026, 3, 9))
    assert RATES.rate("EUR", "GBP", on=date(2026, 3, 16)).on == date(2026, 3, 16)
    # USD has no rate on the 16th: the last day with both is the 9th.
    assert RATES.rate("GBP", "USD", on=date(2026, 3, 20)).on == date(2026, 3, 9)
    assert RATES.rate("USD", "USD", on=date(2020, 1, 1)).value == 1
    assert str(RATES.rate("EUR", "USD", on=date(2026, 3, 2))) == "1 EUR = 1.10 USD (2026-03-02)"
    amount, rate = RATES.convert(Money.of("110", "USD"), "EUR", on=date(2026, 3, 3))
    assert (amount, rate.on) == (Money(amount=D("100"), currency="EUR"), date(2026, 3, 2))


def test_no_rate_is_an_error_naming_the_currencies_and_the_day():
    with pytest.raises(ValidationError, match=r"USD->EUR.*on or before 2026-03-01"):
        RATES.rate("USD", "EUR", on=date(2026, 3, 1))
    with pytest.raises(ValidationError, match="JPY->EUR"):
        RATES.rate("JPY", "EUR", on=date(2026, 3, 20))
    with pytest.raises(ValidationError, match="a date"):
        RATES.rate("USD", "EUR", on=datetime(2026, 3, 3, tzinfo=UTC))
    with pytest.raises(ValidationError, match="there are none"):
        ExchangeRates(base="EUR", rates={}).rate("USD", "EUR", on=date(2026, 3, 3))


@pytest.mark.parametrize(
    ("rates", "expected"),
    [
        ({date(2026, 3, 2): {"USD": 1.1}}, "Decimal above zero"),
        ({date(2026, 3, 2): {"USD": D("0")}}, "Decimal above zero"),
        ({date(2026, 3, 2): {"usd": D("1.1")}}, "three-letter"),
        ({datetime(2026, 3, 2, tzinfo=UTC): {"USD": D("1.1")}}, "not a datetime"),
        ([("2026-03-02", "USD", "1.1")], "mapping of dates"),
    ],
)
def test_rates_are_refused_unless_they_are_decimal_days_and_codes(rates, expected):
    with pytest.raises(ValidationError, match=expected):
        ExchangeRates(base="EUR", rates=rates)
    with pytest.raises(ValidationError, match="three-letter"):
        ExchangeRates(base="euro", rates={})


def test_a_table_of_rows_reads_as_given_and_refuses_floats_and_twins():
    rates = ExchangeRates.from_table(
        [
            {"day": "2026-03-02", "currency": "USD", "rate": "1.10"},
            {"day": date(2026, 3, 2), "currency": "GBP", "rate": D("0.85")},
        ],
        base="EUR",
        source="finance",
    )
    assert rates.rates[date(2026, 3, 2)] == {"USD": D("1.10"), "GBP": D("0.85")}
    with pytest.raises(ValidationError, match="never a float"):
        ExchangeRates.from_table(
            [{"day": "2026-03-02", "currency": "USD", "rate": 1.1}], base="EUR"
        )
    with pytest.raises(ValidationError, match="one rate for USD"):
        ExchangeRates.from_table(
            [{"day": "2026-03-02", "currency": "USD", "rate": "1.1"}] * 2, base="EUR"
        )
    with pytest.raises(ValidationError, match="'day', 'currency' and 'rate'"):
        ExchangeRates.from_table([{"date": "2026-03-02"}], base="EUR")


HISTORY = (
    "Date,USD,JPY,CYP,GBP,\n"
    "2026-03-03,1.1012,160.1,N/A,0.8512,\n"
    "2026-03-02,1.1000,159.9,N/A,0.8500,\n"
)
DAILY = "Date, USD, JPY, GBP, \n02 March 2026, 1.1000, 159.9, 0.8500, \n"


def test_the_ecbs_files_read_both_ways():
    rates = ExchangeRates.read_ecb(io.StringIO(HISTORY))
    assert rates.base == "EUR"
    assert rates.days == (date(2026, 3, 2), date(2026, 3, 3))
    assert rates.rates[date(2026, 3, 3)] == {
        "USD": D("1.1012"),
        "JPY": D("160.1"),
        "GBP": D("0.8512"),
    }
    daily = ExchangeRates.read_ecb(io.StringIO(DAILY))
    assert daily.rates == {
        date(2026, 3, 2): {"USD": D("1.1000"), "JPY": D("159.9"), "GBP": D("0.8500")}
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Day,USD\n2026-03-02,1.1\n", "no 'Date' column"),
        ("Date,USD\nyesterday,1.1\n", "is not a date"),
        ("Date,USD\n2026-03-02,1.1\n2026-03-02,1.2\n", "comes twice"),
        ("Date,USD\n2026-03-02,-1\n", "rate above zero"),
        ("Date,USD\n2026-03-02,one\n", "rate above zero"),
        ("Date,USD\n2026-03-02,1.1,9,9\n", "cells"),
        ("", "empty"),
    ],
)
def test_a_file_that_is_not_the_ecbs_is_refused_by_line(text, expected):
    with pytest.raises(ImportFileError, match=expected):
        ExchangeRates.read_ecb(io.StringIO(text))


# -- Reports and forecasts in one currency.


def won_book():
    """Six journeys: deals won in EUR, USD and GBP on different days, two sizes of company."""
    clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    life = Lifecycle(clock=clock)
    histories = []
    deals = [("EUR", "1000"), ("USD", "1100"), ("GBP", "850"), ("USD", "2200"), ("USD", "56")]
    for number, (currency, amount) in enumerate(deals):
        size = (CompanySize.SMALL, CompanySize.LARGE)[number % 2]
        lead = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=f"P{number}"),
            company=Company(name=f"C{number}", size=size),
            source=Source(channel="web"),
            actor="form",
        )
        for event in ("engage", "mark_sales_ready", "accept"):
            life.send(lead, event, actor="sam")
        prospect = life.qualify(
            lead,
            prospect_id=ProspectId(f"P-{number}"),
            actor="sam",
            evidence=qualifying_evidence(clock.now()),
        )
        deal = life.open_opportunity(
            prospect,
            opportunity_id=OpportunityId(f"O-{number}"),
            name=f"Deal {number}",
            amount=Money.of(amount, currency),
            expected_close=None,
            win_probability=None,
            actor="sam",
        )
        for event in ("present", "propose"):
            life.send(deal, event, actor="sam")
        clock.advance(timedelta(days=3))
        if number < 4:
            life.win(deal, WinReason.PRICE, actor="sam")
        histories += [lead, prospect, deal]
    return histories


def test_potential_value_converts_each_won_deal_at_its_days_rate_on_every_engine(engine):
    table = event_table(won_book())
    values = potential_value(engine(table), currency="EUR", rates=RATES)
    # The oracle: each won deal, converted by hand at the rate of its win's day.
    small = [D("1000"), D("850") / D("0.84")]  # EUR on 3-05; GBP on 3-11, at 3-09's rate
    large = [D("1100") / D("1.10"), D("2200") / D("1.12")]  # USD on 3-08 (3-02's), 3-14 (3-09's)
    assert values.segments[("10-49",)] == (2, 2, (sum(small) / 2).quantize(D(1)))
    assert values.segments[("250-999",)] == (2, 2, (sum(large) / 2).quantize(D(1)))
    assert [(c.journey_id, str(c.amount), c.rate.on) for c in values.conversions] == [
        ("L-1", "1100.00 USD", date(2026, 3, 2)),
        ("L-2", "850.00 GBP", date(2026, 3, 9)),
        ("L-3", "2200.00 USD", date(2026, 3, 9)),
    ]
    plain = potential_value(engine(table), currency="EUR")
    assert plain.segments[("10-49",)] == (2, 2, D("1000"))  # the GBP deal: a win, not a size
    assert plain.conversions == ()


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["EUR", "USD", "GBP"]))
def test_rates_change_nothing_for_deals_already_in_the_currency(currency):
    table = event_table(won_book())
    identity = ExchangeRates(base=currency, rates={date(2026, 3, 1): {}})
    column = table["currency"]
    only = table.filter(pc.or_(pc.is_null(column), pc.equal(column, currency)))
    assert potential_value(only, currency=currency, rates=identity).segments == (
        potential_value(only, currency=currency).segments
    )


def test_a_forecast_brings_other_currencies_in_at_its_moments_rate():
    histories = won_book()
    table = event_table(histories)
    at = datetime(2026, 3, 20, tzinfo=UTC)
    without = forecast(table, at=at, periods=2, currency="EUR", runs=50)
    assert without.other_currency == 1  # the USD deal left open
    ahead = forecast(table, at=at, periods=2, currency="EUR", runs=50, rates=RATES)
    assert ahead.other_currency == 0
    # The open USD deal, at the last USD rate before the 20th (the won ones feed the mean deal).
    converted = next(c for c in ahead.conversions if c.journey_id == "L-4")
    assert (converted.journey_id, str(converted.converted), converted.rate.on) == (
        "L-4",
        "50.00 EUR",
        date(2026, 3, 9),
    )
    assert {c.journey_id for c in ahead.conversions} == {"L-1", "L-2", "L-3", "L-4"}
    with pytest.raises(ValidationError, match="ExchangeRates"):
        forecast(table, at=at, periods=2, currency="EUR", runs=50, rates={"USD": 1})
