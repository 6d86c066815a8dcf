"""The book by account: people, buying group, engagement and deals, against a plain oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import (
    Contact,
    DecisionRole,
    DefaultFunnel,
    FixedClock,
    Lead,
    LeadId,
    Lifecycle,
    Member,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
)
from leadlife.accounts import BUYING_ROLES, Account, AccountEngagement, by_account
from leadlife.errors import ValidationError
from leadlife.followup import Channel, TouchOutcome
from leadlife.qualification import Method, Provenance
from leadlife.screening import WinReason
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
ROLES = DefaultFunnel.roles()
PROVENANCE = Provenance(recorded_by="sam", at=AT, method=Method.CALL)


def test_an_account_is_read_across_its_people_touches_and_deals():
    clock = FixedClock(AT)
    life = Lifecycle(clock=clock)
    ada = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", email="ada@acme.com", role=DecisionRole.CHAMPION),
        source=Source(channel="web"),
        actor="ops",
    )
    life.link_account(ada, Account(key="A", name="Acme"), actor="ops")
    life.touch(ada, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
    clock.advance(timedelta(days=3))
    life.touch(ada, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="sam")

    def deal(number, amount, stage):
        return life.start(
            Opportunity(
                id=OpportunityId(f"O-{number}"),
                prospect_id=ProspectId(f"P-{number}"),
                stage=stage,
                contact=Contact(name="Ada", email="ADA@acme.com"),  # the same person
                source=Source(channel="web"),
                account="A",
                name=f"Deal {number}",
                amount=amount,
                expected_close=date(2026, 6, 1),
                win_probability=0.5,
                created_at=AT - timedelta(days=10),
            ),
            actor="import",
        )

    deals = [
        deal(1, Money.of("5000", "EUR"), "proposal"),
        deal(2, Money.of("1000.50", "EUR"), "discovery"),
        deal(3, Money.of("700", "USD"), "proposal"),
        deal(4, None, "proposal"),
        deal(5, Money.of("900", "EUR"), "negotiation"),
    ]
    life.win(deals[4], WinReason.SERVICE, note="training", actor="sam")
    life.add_member(
        deals[0], "cfo", Contact(name="Grace", role=DecisionRole.DECISION_MAKER), actor="sam"
    )
    bo = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="ops"
    )
    report = by_account([ada, deals[0], bo])
    acme = report["A"]
    assert acme.records == (LeadId("L-1"), OpportunityId("O-1"))
    assert acme.people == ("Ada", "Grace")  # Ada once, however her address is written
    assert acme.roles == {DecisionRole.CHAMPION, DecisionRole.DECISION_MAKER}
    assert acme.missing == ()
    assert (acme.touches, acme.answered, acme.last_touch) == (2, 1, AT + timedelta(days=3))
    assert report.unlinked == (LeadId("L-2"),)
    with pytest.raises(KeyError):
        report["B"]
    whole = by_account([ada.record, *(history.record for history in deals[1:])])
    acme = whole["A"]
    assert acme.pipeline == (Money.of("1000.50", "EUR"), Money.of("700", "USD"))
    assert acme.unpriced == 1  # not known is not zero
    assert acme.won == (Money.of("900", "EUR"),)
    assert acme.open == 4  # the lead and three open deals
    row = whole.rows()[0]
    assert (row["pipeline"], row["won"], row["missing"]) == (
        "1000.50 EUR; 700.00 USD",
        "900.00 EUR",
        "decision_maker",
    )
    assert (row["records"], row["people"], row["roles"]) == (5, 1, "champion")


def test_a_converted_records_touches_are_counted_once_in_the_record_it_became():
    clock = FixedClock(AT)
    life = Lifecycle(clock=clock)
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="ops"
    )
    life.link_account(lead, Account(key="A", name="Acme"), actor="ops")
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="ops")
    prospect = life.qualify(
        lead, prospect_id=ProspectId("P-1"), actor="ops", evidence=qualifying_evidence(AT)
    )
    assert len(prospect.record.touches) == 1
    acme = by_account([lead, prospect])["A"]
    assert (acme.touches, acme.open, acme.people) == (1, 1, ("Ada",))


def test_the_report_refuses_what_is_not_a_record():
    with pytest.raises(ValidationError, match="records or histories"):
        by_account([object()])


people = st.builds(
    Contact,
    name=st.sampled_from(["Ada", "Bo", "Grace"]),
    email=st.sampled_from([None, "ada@acme.com", "bo@acme.com"]),
    role=st.sampled_from(DecisionRole),
)


@st.composite
def records(draw, number):
    common = {
        "stage": draw(st.sampled_from(ROLES.stages)),
        "account": draw(st.sampled_from([None, "A", "B"])),
        "contact": draw(people),
        "source": Source(channel="web"),
        "committee": [
            Member(key=f"m{index}", contact=draw(people), provenance=PROVENANCE)
            for index in range(draw(st.integers(0, 2)))
        ],
        "merged_into": draw(st.sampled_from([None, LeadId("L-0")])),
        "created_at": AT,
    }
    if draw(st.booleans()):
        to = draw(st.sampled_from([None, ProspectId("P-0")]))
        return Lead(id=LeadId(f"L-{number}"), converted_to=to, **common)
    return Opportunity(
        id=OpportunityId(f"O-{number}"),
        prospect_id=ProspectId("P-0"),
        name="Deal",
        amount=draw(st.sampled_from([None, Money.of("10", "EUR"), Money.of("2.5", "USD")])),
        expected_close=None,
        win_probability=None,
        **common,
    )


@st.composite
def books(draw):
    return [draw(records(number)) for number in range(draw(st.integers(0, 8)))]


@given(books())
def test_the_report_equals_a_plain_reading_of_the_book(book):
    report = by_account(book)
    linked = sorted({r.account for r in book if r.account is not None})
    assert [engagement.account for engagement in report.accounts] == linked
    assert report.unlinked == tuple(sorted((r.id for r in book if r.account is None), key=str))
    for key in linked:
        mine = [r for r in book if r.account == key]
        got = report[key]
        assert isinstance(got, AccountEngagement)
        assert sorted(map(str, got.records)) == sorted(str(r.id) for r in mine)
        people = [r.contact for r in mine] + [m.contact for r in mine for m in r.committee]
        roles = {c.role for c in people} - {DecisionRole.UNKNOWN}
        assert got.roles == roles
        assert got.missing == tuple(role for role in BUYING_ROLES if role not in roles)
        assert len(got.people) == len({c.email or c.name.lower() for c in people})
        ends = [r for r in mine if getattr(r, "converted_to", None) is None]
        still = [r for r in ends if r.merged_into is None and r.stage not in ROLES.closed]
        assert got.open == len(still)
        deals = [r for r in ends if isinstance(r, Opportunity) and r.merged_into is None]
        won: dict[str, Decimal] = {}
        pipeline: dict[str, Decimal] = {}
        for r in deals:
            sums = won if r.stage in ROLES.won else pipeline if r in still else None
            if sums is not None and r.amount is not None:
                sums[r.amount.currency] = sums.get(r.amount.currency, 0) + r.amount.amount
        assert {m.currency: m.amount for m in got.won} == won
        assert {m.currency: m.amount for m in got.pipeline} == pipeline
        assert got.unpriced == sum(1 for r in deals if r in still and r.amount is None)
