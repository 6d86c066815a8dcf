"""The buying committee: members with roles and consents of their own, read by criteria, agenda."""

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import (
    Consent,
    Contact,
    DecisionRole,
    FixedClock,
    Lead,
    LeadId,
    Lifecycle,
    Member,
    ProspectId,
    Source,
    replay,
)
from leadlife.agenda import Agenda, default_checks
from leadlife.errors import HistoryError, TouchRefusedError, ValidationError
from leadlife.events import MemberAdded, MemberChanged, MemberRemoved, Touched
from leadlife.followup import Channel, Touch, TouchOutcome
from leadlife.qualification import MEDDIC, Evidence, Method, Provenance
from leadlife.serialization import from_json, to_json
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
HOUR = timedelta(hours=1)
SPACED = timedelta(days=3)  # under the default contact-pressure cap
GATEKEEPER = Contact(name="Bo", role=DecisionRole.GATEKEEPER)
CFO = Contact(name="Grace", title="CFO", role=DecisionRole.DECISION_MAKER)
CHAMPION = Contact(name="Alan", role=DecisionRole.CHAMPION)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


@pytest.fixture
def lead(life):
    return life.capture(
        id=LeadId("L-1"), contact=GATEKEEPER, source=Source(channel="web"), actor="ops"
    )


def prospect_of(life, lead):
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="ops")
    return life.qualify(
        lead,
        prospect_id=ProspectId("P-1"),
        actor="ops",
        evidence=qualifying_evidence(AT),
    )


def test_members_join_change_and_leave_as_events(life, lead, clock):
    added = life.add_member(lead, "cfo", CFO, actor="sam", method=Method.MEETING)
    assert added == MemberAdded(
        record_id=LeadId("L-1"),
        at=AT,
        actor="sam",
        member=Member(
            key="cfo",
            contact=CFO,
            provenance=Provenance(recorded_by="sam", at=AT, method=Method.MEETING),
        ),
    )
    clock.advance(HOUR)
    no = Consent(do_not_contact=True, recorded_at=AT + HOUR)
    changed = life.change_member(lead, "cfo", consent=no, actor="sam")
    assert isinstance(changed, MemberChanged)
    assert lead.record.committee[0].consent == no
    assert lead.record.committee[0].contact == CFO  # what was not given stays
    life.add_member(lead, "champion", CHAMPION, actor="sam")
    removed = life.remove_member(lead, "cfo", actor="sam", reason="left the company")
    assert isinstance(removed, MemberRemoved)
    assert [m.key for m in lead.record.committee] == ["champion"]
    assert replay(list(lead)) == lead.record
    assert from_json(to_json(lead)).record == lead.record


def test_the_committee_refuses_what_would_be_silent_or_ambiguous(life, lead):
    life.add_member(lead, "cfo", CFO, actor="sam")
    with pytest.raises(ValidationError) as taken:
        life.add_member(lead, "cfo", CHAMPION, actor="sam")
    assert str(taken.value) == (
        "Lifecycle.add_member.key: expected a key not on the committee yet (cfo), got 'cfo'"
    )
    with pytest.raises(ValidationError, match=r"a member of the committee \(cfo\), got 'ceo'"):
        life.change_member(lead, "ceo", contact=CHAMPION, actor="sam")
    with pytest.raises(ValidationError, match="a change: member 'cfo' is already as given"):
        life.change_member(lead, "cfo", contact=CFO, actor="sam")
    with pytest.raises(ValidationError, match=r"remove_member\.key"):
        life.remove_member(lead, "ceo", actor="sam")
    with pytest.raises(ValidationError, match="key"):
        life.add_member(lead, "The CFO", CFO, actor="sam")
    cfo = lead.record.committee[0]
    with pytest.raises(ValidationError, match=r"twice: \['cfo'\]"):
        Lead(
            id=LeadId("L-9"),
            stage="lead",
            contact=GATEKEEPER,
            source=Source(channel="web"),
            created_at=AT,
            committee=[cfo, cfo],
        )
    assert len(lead) == 2


def test_a_history_refuses_moves_on_members_it_does_not_have(life, lead):
    with pytest.raises(HistoryError, match="no member 'cfo' on the committee"):
        lead.append(MemberRemoved(record_id=LeadId("L-1"), at=AT, actor="x", key="cfo"))
    with pytest.raises(HistoryError, match="the touch is with 'cfo', not on the committee"):
        lead.append(
            Touched(
                record_id=LeadId("L-1"),
                at=AT,
                actor="x",
                touch=Touch(
                    at=AT, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, member="cfo"
                ),
            )
        )


def test_each_member_has_a_consent_of_their_own(life, lead, clock):
    life.add_member(lead, "cfo", CFO, actor="sam")
    life.add_member(lead, "champion", CHAMPION, actor="sam")
    life.change_member(lead, "cfo", consent=Consent(do_not_contact=True), actor="sam")
    clock.advance(HOUR)
    with pytest.raises(TouchRefusedError, match="cfo asked not to be contacted"):
        life.touch(
            lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, member="cfo", actor="sam"
        )
    touched = life.touch(
        lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, member="champion", actor="sam"
    )
    assert touched.touch.member == "champion"
    with pytest.raises(ValidationError, match=r"Lifecycle\.touch\.member: .*\(cfo, champion\)"):
        life.touch(
            lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, member="ceo", actor="sam"
        )


def test_the_criteria_read_the_committee(life, lead):
    life.add_member(lead, "cfo", CFO, actor="sam", method=Method.MEETING)
    life.add_member(lead, "champion", CHAMPION, actor="sam", method=Method.EMAIL)
    prospect = prospect_of(life, lead)
    assessment = life.assess(prospect, Evidence(), actor="sam", framework=MEDDIC)
    verdicts = {j.criterion: (j.verdict.value, j.rationale) for j in assessment.judgements}
    assert verdicts["economic_buyer"] == ("met", "Grace is the decision_maker")
    assert verdicts["champion"] == ("met", "Alan is the champion")
    names = [s.contact.name for s in assessment.evidence.stakeholders]
    assert names.count("Grace") == 1  # listed once, however often assessed
    assert replay(list(prospect)) == prospect.record


def test_the_agenda_flags_a_deal_chased_without_a_decision_maker(life, lead, clock):
    prospect = prospect_of(life, lead)
    life.add_member(prospect, "cfo", CFO, actor="sam")
    touched_at = []
    for _ in range(3):
        clock.advance(SPACED)
        touched_at.append(clock.now())
        life.touch(prospect, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
    due = [a for a in Agenda()([prospect.record], clock.now()) if a.source == "no_decision_maker"]
    assert [(a.kind.value, a.due_at, a.reason) for a in due] == [
        (
            "flag",
            touched_at[2],
            "3 touches and no contact with a decision maker (reached: Bo (gatekeeper))",
        )
    ]
    patient = Agenda(checks=default_checks(decision_maker_within=4))
    assert not any(a.source == "no_decision_maker" for a in patient([prospect.record], clock.now()))
    clock.advance(SPACED)
    life.touch(
        prospect, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, member="cfo", actor="sam"
    )
    assert any(a.source == "no_decision_maker" for a in Agenda()([prospect.record], clock.now()))
    clock.advance(SPACED)
    life.touch(
        prospect, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, member="cfo", actor="sam"
    )
    assert not any(
        a.source == "no_decision_maker" for a in Agenda()([prospect.record], clock.now())
    )
    with pytest.raises(ValidationError, match="int >= 1"):
        default_checks(decision_maker_within=0)


def test_a_lead_whose_own_contact_decides_is_not_flagged(life, clock):
    prospect_lead = life.capture(
        id=LeadId("L-2"), contact=CFO, source=Source(channel="web"), actor="ops"
    )
    prospect = prospect_of(life, prospect_lead)
    for _ in range(4):
        clock.advance(SPACED)
        life.touch(prospect, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
    assert not any(
        a.source == "no_decision_maker" for a in Agenda()([prospect.record], clock.now())
    )


def test_a_conversion_carries_the_committee(life, lead):
    life.add_member(lead, "cfo", CFO, actor="sam")
    prospect = prospect_of(life, lead)
    assert prospect.record.committee == lead.record.committee
