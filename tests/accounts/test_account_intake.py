"""Accounts at the door: a new lead linked to the account its evidence names, the match recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import Company, Contact, LeadId, Lifecycle, Source, SteppingClock, replay
from leadlife.accounts import Account, AccountIndex
from leadlife.errors import ValidationError
from leadlife.events import AccountLinked
from leadlife.intake import ContactIndex, Intake, IntakeDecision
from leadlife.store import SQLiteStore

ACCOUNTS = AccountIndex(
    [
        Account(key="001A", name="U.S. Bank", domains={"usbank.com"}),
        Account(key="002B", name="Acme", domains={"acme.com"}),
    ]
)


@pytest.fixture
def intake():
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=1))
    store = SQLiteStore(":memory:")
    return Intake(store, Lifecycle(clock=clock), ContactIndex(), accounts=ACCOUNTS)


def submit(intake, key, lead, name, email, *, company=None):
    return intake.capture(
        key=key,
        id=LeadId(lead),
        contact=Contact(name=name, email=email),
        company=None if company is None else Company(name=company),
        source=Source(channel="web"),
        actor="form",
    )


def test_a_lead_is_linked_at_the_door_in_the_same_transaction(intake):
    done = submit(intake, "s-1", "L-1", "Ada Lovelace", "ada@usbank.com")
    assert (done.decision, done.account) == (IntakeDecision.NEW, "001A")
    history = intake.store.history(LeadId("L-1"))
    assert isinstance(history.events[1], AccountLinked)
    assert history.events[1].basis == ("domain usbank.com",)
    assert history[0].payload["intake"]["account"] == {
        "account": "001A",
        "basis": ["domain usbank.com"],
        "candidates": ["001A"],
        "why": None,
    }
    assert replay(history.events) == history.record
    again = submit(intake, "s-1", "L-1", "Ada Lovelace", "ada@usbank.com")
    assert (again.repeated, again.account) == (True, "001A")


def test_no_match_is_recorded_with_its_candidates_and_nothing_is_linked(intake):
    done = submit(intake, "s-1", "L-1", "Bo", "bo@usbank.com", company="Acme")
    assert done.account is None
    history = intake.store.history(LeadId("L-1"))
    assert len(history) == 1
    assert history[0].payload["intake"]["account"] == {
        "account": None,
        "basis": [],
        "candidates": ["001A", "002B"],
        "why": "the domain points at 001A, the name at 002B",
    }


def test_a_lead_merged_at_the_door_is_not_linked(intake):
    submit(intake, "s-1", "L-1", "Ada Lovelace", "ada@gmail.com")
    merged = submit(intake, "s-2", "L-2", "Ada Lovelace", "ada@gmail.com", company="Acme")
    assert (merged.decision, merged.account) == (IntakeDecision.MERGED, None)
    assert "account" not in intake.store.history(LeadId("L-2"))[0].payload["intake"]
    assert submit(intake, "s-2", "L-2", "Ada Lovelace", "ada@gmail.com").account is None


def test_an_intake_refuses_what_is_not_an_account_index():
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=1))
    with pytest.raises(ValidationError, match="an AccountIndex or None"):
        Intake(SQLiteStore(":memory:"), Lifecycle(clock=clock), ContactIndex(), accounts=[])
