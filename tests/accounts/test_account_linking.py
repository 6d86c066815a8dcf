"""Linking records to accounts, carried through conversions; a person joining an open deal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import (
    Company,
    Consent,
    ConsentStatus,
    Contact,
    DecisionRole,
    FixedClock,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    from_json,
    replay,
    to_json,
)
from leadlife.accounts import Account, AccountIndex
from leadlife.agenda import Agenda
from leadlife.errors import HistoryError, ValidationError
from leadlife.events import AccountLinked, JoinedDeal, MemberAdded
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
BANK = Account(key="001A", name="U.S. Bank", domains={"usbank.com"})
ACME = Account(key="002B", name="Acme", domains={"acme.com"})
INDEX = AccountIndex([BANK, ACME])


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


def capture(life, number, email, company=None):
    return life.capture(
        id=LeadId(f"L-{number}"),
        contact=Contact(name=f"Person {number}", email=email, role=DecisionRole.CHAMPION),
        company=None if company is None else Company(name=company),
        source=Source(channel="web"),
        actor="ops",
    )


def deal(life, account=None):
    return life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-9"),
            stage="proposal",
            contact=Contact(name="Grace", role=DecisionRole.DECISION_MAKER),
            source=Source(channel="referral"),
            account=account,
            name="Pilot",
            amount=Money.of("5000", "EUR"),
            expected_close=date(2026, 6, 1),
            win_probability=0.5,
            created_at=AT - timedelta(days=30),
        ),
        actor="import",
    )


def test_a_match_is_recorded_with_its_basis_and_replays(life):
    lead = capture(life, 1, "ada@usbank.com", "US Bank")
    event = life.link_account(lead, INDEX.match(lead.record), actor="ops", reason="at intake")
    assert isinstance(event, AccountLinked)
    assert (event.account, event.basis) == ("001A", ("domain usbank.com", "name 'us bank'"))
    assert lead.record.account == "001A"
    assert ("account", "001A") in lead.record.card().rows
    assert replay(lead.events) == lead.record
    assert from_json(to_json(lead), type(lead)).record == lead.record


def test_an_account_chosen_by_hand_says_who_chose_it_and_none_unlinks(life):
    lead = capture(life, 1, "ada@gmail.com")
    assert life.link_account(lead, ACME, actor="sam").basis == ("chosen by sam",)
    moved = life.link_account(lead, BANK, actor="sam", reason="moved to the bank")
    assert lead.record.account == "001A"
    assert moved.reason == "moved to the bank"
    life.link_account(lead, None, actor="sam")
    assert lead.record.account is None
    assert [type(e).__name__ for e in lead.events].count("AccountLinked") == 3


def test_no_match_and_a_repeated_link_are_refused_and_nothing_is_written(life):
    lead = capture(life, 1, "ada@usbank.com", "Acme")
    undecided = INDEX.match(lead.record)
    with pytest.raises(ValidationError, match=r"choose one of 001A, 002B"):
        life.link_account(lead, undecided, actor="ops")
    nobody = INDEX.match_facts(contact=None, company=Company(name="Initech"))
    with pytest.raises(
        ValidationError,
        match=r"names one, or None, got \"no account: no account has name 'initech'\"",
    ):
        life.link_account(lead, nobody, actor="ops")
    with pytest.raises(ValidationError, match="AccountMatch"):
        life.link_account(lead, "001A", actor="ops")
    assert len(lead) == 1
    life.link_account(lead, BANK, actor="ops")
    with pytest.raises(HistoryError, match="account is already '001A'"):
        life.link_account(lead, BANK, actor="ops")
    with pytest.raises(HistoryError, match="account is already None"):
        life.link_account(capture(life, 2, "bo@acme.com"), None, actor="ops")


def test_the_link_is_carried_into_the_prospect_and_the_deal(life):
    lead = capture(life, 1, "ada@usbank.com")
    life.link_account(lead, BANK, actor="ops")
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="ops")
    prospect = life.qualify(
        lead, prospect_id=ProspectId("P-1"), actor="ops", evidence=qualifying_evidence(AT)
    )
    opened = life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-2"),
        name="Bank pilot",
        amount=None,
        expected_close=None,
        win_probability=None,
        actor="ops",
    )
    assert prospect.record.account == opened.record.account == "001A"
    assert replay(opened.events) == opened.record


def test_a_lead_joins_an_open_deal_as_a_member_with_its_own_consent(life):
    opened = deal(life, account="001A")
    lead = capture(life, 1, "ada@usbank.com")
    life.link_account(lead, BANK, actor="ops")
    life.record_consent(lead, Consent(status=ConsentStatus.GRANTED), actor="form")
    joined = life.join_deal(lead, opened, key="ada", actor="sam", reason="same project")
    assert isinstance(joined, JoinedDeal)
    assert (joined.deal, joined.member) == (OpportunityId("O-1"), "ada")
    assert lead.record.merged_into == OpportunityId("O-1")
    added = opened.events[-1]
    assert isinstance(added, MemberAdded)
    assert added.payload["joined_from"] == "L-1"
    member = opened.record.committee[-1]
    assert (member.key, member.contact, member.role) == (
        "ada",
        lead.record.contact,
        DecisionRole.CHAMPION,
    )
    assert member.consent.status is ConsentStatus.GRANTED
    assert added.at == joined.at
    assert replay(lead.events) == lead.record
    assert replay(opened.events) == opened.record
    # Closed: no more events, nothing more due for it.
    with pytest.raises(HistoryError, match="L-1 joined the deal O-1: its person is there"):
        life.tag(lead, "vip", actor="ops")
    assert Agenda()([lead.record], AT + timedelta(days=90)) == []


def test_joining_a_deal_refuses_what_does_not_fit_and_writes_nothing(life):
    opened = deal(life, account="002B")
    lead = capture(life, 1, "ada@usbank.com")
    life.link_account(lead, BANK, actor="ops")
    with pytest.raises(ValidationError, match="a deal of the record's account '001A'"):
        life.join_deal(lead, opened, key="ada", actor="sam")
    other = capture(life, 2, "bo@acme.com")
    life.add_member(opened, "cfo", Contact(name="Eve"), actor="sam")
    with pytest.raises(ValidationError, match="not on the deal's committee"):
        life.join_deal(other, opened, key="cfo", actor="sam")
    with pytest.raises(ValidationError, match="an opportunity's history"):
        life.join_deal(other, lead, key="bo", actor="sam")
    with pytest.raises(ValidationError, match="neither merged nor converted"):
        life.join_deal(opened, opened, key="bo", actor="sam")
    assert [len(h) for h in (opened, lead, other)] == [2, 2, 1]
    life.join_deal(other, opened, key="bo", actor="sam")  # no account on the lead: it fits
    with pytest.raises(ValidationError, match="neither merged nor converted"):
        life.join_deal(other, opened, key="bo2", actor="sam")


def test_a_deal_does_not_join_another_in_a_replayed_history(life):
    opened = deal(life)
    forged = JoinedDeal(
        record_id=opened.record_id, at=AT, actor="x", deal=OpportunityId("O-7"), member="m"
    )
    with pytest.raises(HistoryError, match="a deal does not join another deal"):
        opened.append(forged)
