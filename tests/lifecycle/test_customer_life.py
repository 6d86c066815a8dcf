"""Customer life: churn is a screen-out with a reason and a win-back date; growth is a new deal."""

from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import (
    Contact,
    DealMotion,
    FixedClock,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    replay,
)
from leadlife.agenda import Agenda
from leadlife.errors import ConversionError, TransitionRefusedError
from leadlife.screening import ChurnReason, WinReason

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


@pytest.fixture
def customer(life):
    deal = life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage="negotiation",
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            name="Pilot",
            amount=Money.of("5000", "EUR"),
            expected_close=date(2026, 6, 1),
            win_probability=0.6,
            created_at=AT - DAY,
        ),
        actor="import",
    )
    life.win(deal, WinReason.VALUE, actor="sam")
    return deal


def test_a_churn_needs_a_reason_and_a_review_date(life, customer):
    with pytest.raises(TransitionRefusedError, match="has_screening"):
        life.send(customer, "churn", actor="cs")
    moved = life.churn(
        customer,
        reason=ChurnReason.SWITCHED_TO_COMPETITOR,
        note="went with Acme",
        review=date(2026, 9, 1),
        told=True,
        actor="cs",
    )
    record = customer.record
    assert (moved.to_stage, str(record.screening.reason), record.review_on) == (
        "churned",
        "switched_to_competitor",
        date(2026, 9, 1),
    )
    assert replay(list(customer)) == record


def test_the_win_back_is_due_on_the_review_date(life, customer):
    life.churn(customer, reason=ChurnReason.PRICE, review=date(2026, 9, 1), actor="cs")
    agenda = Agenda()
    before = datetime(2026, 8, 31, tzinfo=UTC)
    assert [a for a in agenda([customer.record], before) if a.source == "churned_to_win_back"] == []
    due = [
        (a.due_at, a.reason, a.event)
        for a in agenda([customer.record], datetime(2026, 9, 2, tzinfo=UTC))
        if a.source == "churned_to_win_back"
    ]
    assert due == [
        (
            datetime(2026, 9, 1, tzinfo=UTC),
            "churned on 2026-03-02 (price): time to win them back",
            "win_back",
        )
    ]


def test_growth_is_a_new_deal_linked_to_the_customer_it_grows(life, customer, clock):
    clock.advance(DAY)
    grown = life.open_growth(
        customer,
        opportunity_id=OpportunityId("O-2"),
        motion=DealMotion.UPSELL,
        name="Ten more seats",
        amount=Money.of("2000", "EUR"),
        expected_close=date(2026, 5, 1),
        win_probability=0.5,
        actor="am",
    )
    deal = grown.record
    assert (deal.stage, deal.motion, deal.grows, deal.prospect_id) == (
        "discovery",
        DealMotion.UPSELL,
        OpportunityId("O-1"),
        ProspectId("P-1"),
    )
    assert customer.record.stage == "customer"  # the old deal stays won
    assert grown.funnel is customer.funnel
    assert replay(list(grown)) == deal


def test_only_a_won_customer_is_grown_and_only_by_growth(life, customer):
    with pytest.raises(ConversionError, match="growth is an upsell, a cross-sell or a renewal"):
        life.open_growth(
            customer,
            opportunity_id=OpportunityId("O-2"),
            motion=DealMotion.NEW_BUSINESS,
            name="x",
            amount=Money.of("1", "EUR"),
            expected_close=date(2026, 5, 1),
            win_probability=0.5,
            actor="am",
        )
    open_deal = life.start(
        Opportunity(
            id=OpportunityId("O-3"),
            prospect_id=ProspectId("P-3"),
            stage="proposal",
            contact=Contact(name="Bo"),
            source=Source(channel="web"),
            name="Open",
            amount=Money.of("1", "EUR"),
            expected_close=date(2026, 6, 1),
            win_probability=0.5,
            created_at=AT,
        ),
        actor="import",
    )
    with pytest.raises(ConversionError, match="only a won deal's customer can be grown"):
        life.open_growth(
            open_deal,
            opportunity_id=OpportunityId("O-4"),
            motion=DealMotion.RENEWAL,
            name="x",
            amount=Money.of("1", "EUR"),
            expected_close=date(2026, 5, 1),
            win_probability=0.5,
            actor="am",
        )
