"""Consent per purpose and lawful basis, retention and reviews on the agenda, a subject's export."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import (
    Consent,
    ConsentStatus,
    Contact,
    DefaultFunnel,
    FixedClock,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    from_dict,
    replay,
)
from leadlife.agenda import ActionKind, Agenda, default_checks
from leadlife.enrichment import Finding
from leadlife.errors import ValidationError
from leadlife.privacy import (
    ConsentReviewDue,
    LawfulBasis,
    PurposeConsent,
    RetentionDue,
    Vault,
    subject_of,
)
from leadlife.screening import Reason

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NEWSLETTER = PurposeConsent(
    purpose="newsletter", basis=LawfulBasis.CONSENT, status=ConsentStatus.GRANTED
)
OUTREACH = PurposeConsent(
    purpose="sales_outreach",
    basis=LawfulBasis.LEGITIMATE_INTERESTS,
    source="badge scan at a trade fair",
    recorded_at=AT,
    review_on=date(2026, 9, 1),
)


def test_a_purpose_is_allowed_refused_or_not_known():
    consent = Consent(purposes=[NEWSLETTER, OUTREACH])
    assert consent.allows("newsletter") is True
    assert consent.allows("sales_outreach") is True  # a legitimate interest, not objected to
    assert consent.allows("profiling") is None  # never asked: not known, not a silent no
    objected = consent.with_purpose(
        PurposeConsent(
            purpose="sales_outreach",
            basis=LawfulBasis.LEGITIMATE_INTERESTS,
            status=ConsentStatus.REFUSED,
        )
    )
    assert objected.allows("sales_outreach") is False
    assert [each.purpose for each in objected.purposes] == ["newsletter", "sales_outreach"]
    pending = PurposeConsent(
        purpose="newsletter", basis=LawfulBasis.CONSENT, status=ConsentStatus.PENDING
    )
    assert consent.with_purpose(pending).allows("newsletter") is None
    assert Consent(do_not_contact=True, purposes=[NEWSLETTER]).allows("newsletter") is False


def test_a_consent_refuses_two_entries_for_one_purpose_and_other_values():
    with pytest.raises(ValidationError, match="one entry a purpose"):
        Consent(purposes=[NEWSLETTER, NEWSLETTER])
    with pytest.raises(ValidationError, match="PurposeConsent"):
        Consent(purposes=["newsletter"])
    with pytest.raises(ValidationError, match="lower_snake_case"):
        PurposeConsent(purpose="News Letter", basis=LawfulBasis.CONSENT)
    with pytest.raises(ValidationError, match="LawfulBasis"):
        PurposeConsent(purpose="newsletter", basis="consent")


def capture(life, **consent):
    return life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", email="ada@example.com"),
        source=Source(channel="web"),
        consent=Consent(**consent),
        actor="form",
    )


class Vendor:
    key = "vendor"

    def findings(self, contact, company):
        return [Finding(field="contact.title", value="CFO", provider="vendor", confidence=0.9)]


def test_enrichment_asks_nobody_about_a_person_who_refused_that_purpose():
    life = Lifecycle(clock=FixedClock(AT))
    refused = PurposeConsent(
        purpose="enrichment", basis=LawfulBasis.LEGITIMATE_INTERESTS, status=ConsentStatus.REFUSED
    )
    lead = capture(life, purposes=[refused])
    done = life.enrich(lead, Vendor(), actor="ops")
    assert (done.asked, done.why) == (
        False,
        "the person refused or objected to the purpose 'enrichment'",
    )
    assert len(lead) == 1
    allowed = capture(Lifecycle(clock=FixedClock(AT)), purposes=[NEWSLETTER])
    assert Lifecycle(clock=FixedClock(AT)).enrich(allowed, Vendor(), actor="ops").asked


def test_a_purpose_due_for_review_is_on_the_agenda():
    life = Lifecycle(clock=FixedClock(AT))
    lead = capture(life, purposes=[NEWSLETTER, OUTREACH])
    agenda = Agenda(checks=[*default_checks(), ConsentReviewDue()])
    assert [a for a in agenda([lead.record], AT) if a.source == "consent_review"] == []
    due = [
        a
        for a in agenda([lead.record], datetime(2026, 9, 1, 8, tzinfo=UTC))
        if a.source == "consent_review"
    ]
    assert [(a.kind, a.due_at, a.reason) for a in due] == [
        (
            ActionKind.REVIEW_CONSENT,
            datetime(2026, 9, 1, tzinfo=UTC),
            "the legitimate interests basis for sales_outreach is due for review on 2026-09-01",
        )
    ]
    assert not ActionKind.REVIEW_CONSENT.applicable
    silenced = capture(Lifecycle(clock=FixedClock(AT)), do_not_contact=True, purposes=[OUTREACH])
    assert ConsentReviewDue()(silenced.record, datetime(2027, 1, 1, tzinfo=UTC)) == ()


def disqualified(clock):
    life = Lifecycle(clock=clock)
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="f"
    )
    life.send(lead, "engage", actor="sam")
    life.disqualify(lead, reason=Reason.NO_BUDGET, review=date(2027, 6, 1), actor="sam")
    return life, lead


def test_retention_proposes_erasure_when_a_closed_journey_kept_its_data_long_enough():
    clock = FixedClock(AT)
    life, lead = disqualified(clock)
    retention = RetentionDue(screened_out=timedelta(days=365), lost=None)
    assert dict(retention.kept) == {
        "churned": timedelta(days=365),
        "disqualified": timedelta(days=365),
    }
    agenda = Agenda(checks=[retention])
    assert agenda([lead.record], AT + timedelta(days=364)) == []
    (due,) = agenda([lead.record], AT + timedelta(days=400))
    assert (due.kind, due.due_at, due.source) == (
        ActionKind.ERASE,
        lead.record.stage_since + timedelta(days=365),
        "retention",
    )
    assert (
        due.reason
        == "in disqualified since 2026-03-02, kept 365 days: erase its people's personal data"
    )
    assert not ActionKind.ERASE.applicable
    # Erased and recorded: nothing more is proposed.
    vault = Vault()
    sealed = vault.seal(lead)
    vault.erase([subject_of(lead.record_id)])
    clock.advance(timedelta(days=400))
    life.record_erasure(sealed, [subject_of(lead.record_id)], actor="dpo")
    assert sealed.record.erased_at == clock.now()
    assert ("personal data", "erased on 2027-04-06") in sealed.record.card().rows
    assert agenda([sealed.record], clock.now()) == []
    assert replay(sealed.events) == sealed.record


def test_retention_by_stage_name_and_its_funnel():
    assert RetentionDue(stages={"lost": timedelta(days=10)}).kept["lost"] == timedelta(days=10)
    with pytest.raises(ValidationError, match="stages of the funnel"):
        RetentionDue(stages={"closed_lost": timedelta(days=10)})
    with pytest.raises(ValidationError, match="durations"):
        RetentionDue(stages={"lost": 10})

    class Other(DefaultFunnel):
        pass

    with pytest.raises(ValidationError, match="the funnel it was made for"):
        Agenda(Other, checks=[RetentionDue()])


def test_a_subjects_export_holds_everything_of_them_and_nothing_of_others():
    life = Lifecycle(clock=FixedClock(AT))
    lead = capture(life, purposes=[NEWSLETTER])
    life.add_member(lead, "boss", Contact(name="Grace", email="grace@example.com"), actor="sam")
    other = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="f"
    )
    vault = Vault()
    book = [vault.seal(lead), vault.seal(other)]
    export = vault.export(book, LeadId("L-1"))
    assert export["subjects"] == ["lead:L-1"]
    (history,) = export["histories"]
    exported = from_dict(history).record
    assert exported.contact == lead.record.contact  # hers, put back as it is
    assert exported.committee[0].contact.withheld  # Grace's, withheld
    assert export["held"] == {"lead:L-1": ["Ada", "ada@example.com"]}
    text = json.dumps(export)
    assert "Bo" not in text
    # Grace, on Ada's committee, is somebody else: withheld in Ada's export.
    assert "grace@example.com" not in text
    assert "Grace" not in text
    assert vault.held(subject_of(LeadId("L-1"), "boss"))


def test_an_export_holds_a_persons_place_on_a_deal_they_joined():
    life = Lifecycle(clock=FixedClock(AT))
    deal = life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage="proposal",
            contact=Contact(name="Grace"),
            source=Source(channel="web"),
            name="Pilot",
            amount=Money.of("100", "EUR"),
            expected_close=None,
            win_probability=None,
            created_at=AT,
        ),
        actor="crm",
    )
    lead = capture(life)
    life.join_deal(lead, deal, key="ada", actor="sam")
    vault = Vault()
    book = [vault.seal(deal), vault.seal(lead)]
    export = vault.export(book, LeadId("L-1"))
    assert export["subjects"] == ["lead:L-1", "opportunity:O-1/ada"]
    assert [m["record"] for m in export["memberships"]] == ["opportunity:O-1"]
    assert export["memberships"][0]["contact"]["email"] == "ada@example.com"
    assert "Grace" not in json.dumps(export)
