"""A lead's potential value: segments judged on their closed journeys, leads valued by them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl
import pytest

from leadlife import Company, CompanySize, Contact, Lead, LeadId, Source
from leadlife._funnel.table import table
from leadlife.agenda import ActionKind, DueAction
from leadlife.analytics import demo_events, potential_value
from leadlife.errors import ValidationError
from leadlife.funnels import DefaultFunnel
from leadlife.prototype import simulate
from simulated import BEHAVIOUR, START

SIZES = ["1-9", "10-49", "50-249"]


@pytest.fixture(scope="module")
def book():
    """A simulated book whose leads' company sizes are set by journey: journey n is SIZES[n % 3]."""
    simulated = simulate(BEHAVIOUR, journeys=1_500, seed=12, start=START)
    events = pl.from_arrow(simulated.events())
    number = pl.col("journey_id").str.slice(2).cast(pl.Int64)
    size = (
        pl.when(number % 3 == 0)
        .then(pl.lit(SIZES[0]))
        .when(number % 3 == 1)
        .then(pl.lit(SIZES[1]))
        .otherwise(pl.lit(SIZES[2]))
    )
    first = (pl.col("record_kind") == "lead") & (pl.col("seq") == 0)
    sized = events.with_columns(
        company_size=pl.when(first).then(size).otherwise(pl.col("company_size"))
    )
    return simulated, sized


def oracle(simulated):
    """Each size's closed journeys, wins and mean won deal, counted from the histories."""
    rules = table(DefaultFunnel)
    lost = rules.screened_out_stages | (rules.final_stages - rules.won_stages)
    counts = {}
    for number, journey in enumerate(simulated.histories()):
        won = any(
            getattr(event, "to_stage", None) in rules.won_stages
            for history in journey
            for event in history
        )
        if not (won or journey[-1].record.stage in lost):
            continue
        closed, wins, amounts = counts.get(SIZES[number % 3], (0, 0, []))
        counts[SIZES[number % 3]] = (
            closed + 1,
            wins + won,
            [*amounts, simulated.amount(number)] if won else amounts,
        )
    return {
        (size,): (closed, wins, (sum(a) / len(a)).quantize(Decimal(1)) if a else None)
        for size, (closed, wins, a) in counts.items()
    }


def lead(size):
    return Lead(
        id=LeadId(f"L-{size}"),
        stage="lead",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        company=Company(name="Acme", size=CompanySize(size)),
        created_at=START,
    )


def test_each_segment_is_counted_as_its_histories_say(book):
    simulated, events = book
    values = potential_value(events, currency="EUR")
    assert dict(values.segments) == oracle(simulated)
    closed = sum(journeys for journeys, _, _ in values.segments.values())
    wins = sum(won for _, won, _ in values.segments.values())
    assert values.book_rate == wins / closed


def test_a_lead_is_valued_by_its_segment_pulled_towards_the_book(book):
    _, events = book
    values = potential_value(events, currency="EUR", weight=10)
    journeys, won, deal = values.segments[("10-49",)]
    found = values.of(lead("10-49"))
    assert found.p_won == pytest.approx((won + 10 * values.book_rate) / (journeys + 10))
    assert found.p_low < found.p_won < found.p_high
    assert found.deal_size.amount == deal
    assert not found.from_book
    assert found.value.amount == pytest.approx(deal * Decimal(found.p_won), abs=Decimal("0.1"))
    assert found.value_low.amount < found.value.amount < found.value_high.amount
    # A segment the book never saw: the book's rate, as wide as ten journeys make it.
    unseen = values.of(lead("1000+"))
    assert (unseen.journeys, unseen.won, unseen.from_book) == (0, 0, True)
    assert unseen.p_won == pytest.approx(values.book_rate)
    assert unseen.deal_size.amount == values.book_deal
    assert "Potential value" in found._repr_html_()
    assert "10-49" in values._repr_markdown_()
    # The value shows on the lead's own display, beside what the lead says of itself.
    card = values.card(lead("10-49"))
    assert card.rows[:-1] == lead("10-49").card().rows
    field, text = card.rows[-1]
    assert field == "potential value"
    assert text.startswith(f"{found.value.amount:,.0f} EUR ({found.value_low.amount:,.0f}-")
    assert f"{found.p_won:.0%}" in text
    assert "book's mean deal" not in text
    assert "book's mean deal" in values.card(lead("1000+")).rows[-1][1]
    assert "<th style='text-align:left'>potential value</th>" in card._repr_html_()


def test_the_agenda_can_be_worked_by_value(book):
    _, events = book
    values = potential_value(events, currency="EUR")
    records = [lead(size) for size in SIZES]
    actions = [
        DueAction(
            kind=ActionKind.FLAG,
            record_id=record.id,
            due_at=START,
            reason="look",
            source="test",
        )
        for record in records
    ]
    ranked = values.rank(actions, records)
    worth = [values.of(r).value.amount for r in records]
    assert [a.record_id for a in ranked] == [
        records[i].id for i in sorted(range(3), key=lambda i: -worth[i])
    ]


def test_nothing_after_the_moment_is_read(book):
    _, events = book
    at = START + timedelta(days=10)
    cut = events.filter(pl.col("at") <= at)
    assert potential_value(events, currency="EUR", at=at) == potential_value(cut, currency="EUR")
    assert potential_value(events, currency="EUR", at=at) != potential_value(events, currency="EUR")


def test_the_same_on_every_engine(book):
    _, events = book
    assert potential_value(events.to_pandas(), currency="EUR") == potential_value(
        events, currency="EUR"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"by": ["owner"]}, "by"),
        ({"by": []}, "by"),
        ({"currency": "euro"}, "currency"),
        ({"level": 1}, "level"),
        ({"weight": 0}, "weight"),
        ({"at": datetime(2026, 1, 1)}, "at"),
    ],
)
def test_what_cannot_be_judged_is_refused_by_name(kwargs, field):
    with pytest.raises(ValidationError) as caught:
        potential_value(demo_events(), **{"currency": "GBP", **kwargs})
    assert caught.value.field == field


def test_a_book_that_won_nothing_in_the_currency_values_no_lead():
    values = potential_value(demo_events(), currency="JPY")
    assert values.book_deal is None
    with pytest.raises(ValidationError) as caught:
        values.of(lead("10-49"))
    assert caught.value.field == "currency"
    assert values.book_rate == 0.5
    assert datetime.now(UTC)  # the module's times are all aware
