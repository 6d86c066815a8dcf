"""Intake: one lead per submission key, a duplicate check against the book, the decision kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import Company, Contact, LeadId, Lifecycle, ProspectId, Source, SteppingClock, replay
from leadlife.duplicates import find_duplicates
from leadlife.errors import ConcurrencyError, ValidationError
from leadlife.events import LeadCaptured, MergedInto, RecordsMerged
from leadlife.intake import Candidate, ContactIndex, Intake, IntakeDecision
from leadlife.store import SQLiteStore
from strategies import qualifying_evidence


def lifecycle() -> Lifecycle:
    return Lifecycle(
        clock=SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=1))
    )


@pytest.fixture
def intake():
    store = SQLiteStore(":memory:")
    yield Intake(store, lifecycle(), ContactIndex())
    store.close()


def submit(intake: Intake, key: str, lead: str, name: str, **facts):
    company = facts.pop("company", None)
    return intake.capture(
        key=key,
        id=LeadId(lead),
        contact=Contact(name=name, **facts),
        source=Source(channel="web"),
        actor="form",
        company=None if company is None else Company(name=company),
    )


def test_a_submission_sent_twice_is_one_lead(intake):
    first = submit(intake, "s-1", "L-1", "Ada Lovelace", email="ada@example.com")
    assert (first.decision, first.repeated, first.candidates) == (IntakeDecision.NEW, False, ())
    position = intake.store.position
    again = submit(intake, "s-1", "L-9", "Ada Lovelace", email="ada@example.com")
    assert again == type(first)(
        decision=IntakeDecision.NEW,
        record_id=LeadId("L-1"),
        merged_into=None,
        candidates=(),
        repeated=True,
    )
    assert intake.store.position == position
    assert intake.store.version(LeadId("L-9")) == 0
    (captured,) = intake.store.events(LeadId("L-1"))
    assert isinstance(captured, LeadCaptured)
    assert captured.payload["intake"] == {"key": "s-1", "decision": "new", "candidates": ()}


def test_the_same_mailbox_and_agreeing_names_merge_into_the_lead_the_book_has(intake):
    submit(intake, "s-1", "L-1", "Ada Lovelace", email="ada@example.com")
    done = submit(
        intake, "s-2", "L-2", "A. Lovelace", email="ADA@example.com", phone="+44 20 7946 0000"
    )
    assert (done.decision, done.merged_into, done.person) == (
        IntakeDecision.MERGED,
        LeadId("L-1"),
        LeadId("L-1"),
    )
    assert [candidate.record_id for candidate in done.candidates] == [LeadId("L-1")]
    new, kept = intake.store.history(LeadId("L-2")), intake.store.history(LeadId("L-1"))
    assert [type(event) for event in new.events] == [LeadCaptured, MergedInto]
    assert isinstance(kept.events[-1], RecordsMerged)
    assert kept.record.contact.phone == "+44 20 7946 0000"  # what the lead lacked, filled
    assert replay(kept.events) == kept.record
    assert new.events[0].payload["intake"]["decision"] == "merged"
    again = submit(intake, "s-2", "L-2", "A. Lovelace", email="ADA@example.com")
    assert (again.repeated, again.decision, again.merged_into) == (
        True,
        IntakeDecision.MERGED,
        LeadId("L-1"),
    )
    assert again.candidates[0].record_id == LeadId("L-1")
    # The person comes a third time: the lead merged into is found, not the one merged away.
    third = submit(intake, "s-3", "L-3", "Ada Lovelace", phone="+44 20 7946 0000")
    assert (third.decision, third.merged_into) == (IntakeDecision.MERGED, LeadId("L-1"))


def test_a_shared_company_and_alike_names_link_for_a_person_to_decide(intake):
    submit(intake, "s-1", "L-1", "José Ortega", company="Acme GmbH")
    done = submit(intake, "s-2", "L-2", "Jose Ortgea", company="ACME")
    assert done.decision is IntakeDecision.LINKED
    assert [(c.record_id, c.reasons) for c in done.candidates] == [
        (LeadId("L-1"), ("same company",))
    ]
    assert intake.store.history(LeadId("L-2")).record.merged_into is None
    (said,) = intake.store.events(LeadId("L-2"))[0].payload["intake"]["candidates"]
    assert said == {"record": "L-1", "kind": "lead", "score": 90.9, "reasons": ("same company",)}


def test_names_that_contradict_the_mailbox_are_another_person(intake):
    submit(intake, "s-1", "L-1", "Ada Lovelace", email="office@example.com")
    assert submit(intake, "s-2", "L-2", "Bob Smith", email="office@example.com").decision is (
        IntakeDecision.NEW
    )


def test_a_deeper_record_of_the_person_is_linked_not_merged():
    store = SQLiteStore(":memory:")
    life = lifecycle()
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        source=Source(channel="web"),
        actor="form",
    )
    life.send(lead, "engage", actor="sam")
    life.send(lead, "mark_sales_ready", actor="sam")
    life.send(lead, "accept", actor="sam")
    prospect = life.qualify(
        lead,
        prospect_id=ProspectId("P-1"),
        actor="sam",
        evidence=qualifying_evidence(datetime(2026, 3, 2, 9, tzinfo=UTC)),
    )
    index = ContactIndex([lead.record, prospect.record])
    ada = Contact(name="Ada Lovelace", email="ada@example.com")
    # The converted lead is found as the prospect it became.
    assert [candidate.record_id for candidate in index.candidates(ada)] == [ProspectId("P-1")]
    done = Intake(store, life, index).capture(
        key="k",
        id=LeadId("L-2"),
        contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        source=Source(channel="web"),
        actor="form",
    )
    assert (done.decision, done.candidates[0].open) == (IntakeDecision.LINKED, False)


def test_a_merge_into_a_lead_changed_meanwhile_writes_nothing(intake, monkeypatch):
    submit(intake, "s-1", "L-1", "Ada Lovelace", email="ada@example.com")
    read = intake.store.history

    def stale(record_id):
        history = read(record_id)
        moved = read(record_id)
        intake.lifecycle.assign(moved, owner="kim", actor="ops")  # another request, meanwhile
        intake.store.save(moved)
        return history

    monkeypatch.setattr(intake.store, "history", stale)
    with pytest.raises(ConcurrencyError):
        submit(intake, "s-2", "L-2", "Ada Lovelace", email="ada@example.com")
    monkeypatch.undo()
    assert intake.store.keyed("s-2") is None
    assert intake.store.version(LeadId("L-2")) == 0
    done = submit(intake, "s-2", "L-2", "Ada Lovelace", email="ada@example.com")  # sent again
    assert done.decision is IntakeDecision.MERGED


def test_keys_not_an_intakes_are_refused(intake):
    submit(intake, "s-1", "L-1", "Ada Lovelace")
    with pytest.raises(ValidationError, match="not used before for another record"):
        intake.store.append(
            LeadId("L-5"),
            [],
            expected_version=0,
            key="s-1",
        )
    life = lifecycle()
    bo = life.capture(
        id=LeadId("L-7"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    intake.store.append(bo.record_id, bo.events, expected_version=0, key="plain")
    with pytest.raises(ValidationError, match="a key an intake noted"):
        submit(intake, "plain", "L-7", "Bo")
    with pytest.raises(ValidationError, match=r"Intake\.capture\.key"):
        submit(intake, " ", "L-8", "Cy")


def test_what_is_not_an_intakes_part_is_refused_by_name():
    store = SQLiteStore(":memory:")
    with pytest.raises(ValidationError, match=r"Intake\.index"):
        Intake(store, lifecycle(), {})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"Intake\.store"):
        Intake(None, lifecycle(), ContactIndex())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"ContactIndex\.threshold"):
        ContactIndex(threshold=120)
    with pytest.raises(ValidationError, match=r"ContactIndex\.add\.record"):
        ContactIndex().add("L-1")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"ContactIndex\.candidates\.contact"):
        ContactIndex().candidates("Ada")  # type: ignore[arg-type]


def test_an_index_forgets_what_a_record_was():
    life = lifecycle()
    ada = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        source=Source(channel="web"),
        actor="x",
    )
    index = ContactIndex([ada.record])
    life.change_contact(ada, Contact(name="Ada Lovelace", email="ada@newmail.org"), actor="x")
    index.add(ada.record)
    assert len(index) == 1
    assert index.candidates(Contact(name="Ada Lovelace", email="ada@example.com")) == []
    moved = Contact(name="Ada Lovelace", email="ada@newmail.org")
    assert [candidate.record_id for candidate in index.candidates(moved)] == [LeadId("L-1")]
    assert Candidate.from_dict(
        {"record": "L-1", "kind": "lead", "score": 90.0, "reasons": ["same company"]}
    ) == Candidate(record_id=LeadId("L-1"), score=90.0, reasons=("same company",), open=False)


NAMES = st.sampled_from(["Ada Lovelace", "Ada Lovelac", "A. Lovelace", "Bob Smith", "Bo Smith", ""])
MAILS = st.sampled_from([None, "ada@example.com", "a.da@gmail.com", "ada@gmail.com", "bob@acme.io"])
PHONES = st.sampled_from([None, "+44 20 7946 0000", "020 7946 0000", "+1 415 555 0100"])
FIRMS = st.sampled_from([None, "Acme GmbH", "ACME", "Initech"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, MAILS, PHONES, FIRMS), min_size=2, max_size=12))
def test_the_check_at_intake_agrees_with_a_sweep_of_the_book(contacts):
    """Each contact against an index of the others finds what find_duplicates pairs it with."""
    life = lifecycle()
    records = [
        life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=name or "-", email=email, phone=phone),
            company=None if firm is None else Company(name=firm),
            source=Source(channel="web"),
            actor="x",
        ).record
        for number, (name, email, phone, firm) in enumerate(contacts)
    ]
    swept = find_duplicates(records, region="GB")
    for record in records:
        index = ContactIndex([other for other in records if other is not record], region="GB")
        found = {str(c.record_id) for c in index.candidates(record.contact, record.company)}
        paired = {
            match.second if match.first == str(record.id) else match.first
            for match in swept.matches
            if str(record.id) in (match.first, match.second)
        }
        assert found == paired, str(record.id)
