"""The named follow-up failures, flagged on the agenda; promises and next steps as events."""

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Money, Source, replay
from leadlife.agenda import Agenda, default_checks
from leadlife.errors import ValidationError
from leadlife.events import CommitmentKept, CommitmentMade
from leadlife.followup import Channel, Commitment, CommitmentKind, FollowUpPlan, TouchOutcome
from leadlife.qualification import Budget, Evidence, Fact, Method, Provenance
from leadlife.serialization import from_json, to_json

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


@pytest.fixture
def lead(life):
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "engage", actor="x")
    return history


def flags(history, at, source, **options):
    agenda = Agenda(checks=default_checks(**options))
    return [(a.due_at, a.reason) for a in agenda([history.record], at) if a.source == source]


def test_a_promise_is_an_event_kept_by_another(life, lead, clock):
    made = life.promise(lead, "send the proposal", due_at=AT + 4 * DAY, actor="sam")
    assert made == CommitmentMade(
        record_id=LeadId("L-1"),
        at=AT,
        actor="sam",
        kind=CommitmentKind.PROMISE,
        what="send the proposal",
        due_at=AT + 4 * DAY,
    )
    assert lead.record.commitments[0] == Commitment(
        kind=CommitmentKind.PROMISE,
        what="send the proposal",
        made_at=AT,
        due_at=AT + 4 * DAY,
        by="sam",
    )
    clock.advance(DAY)
    kept = life.keep(lead, 0, actor="sam")
    assert isinstance(kept, CommitmentKept)
    assert lead.record.commitments[0].kept_at == AT + DAY
    with pytest.raises(
        ValidationError,
        match=r"keep\.commitment: expected the index of a commitment not kept yet: none, got 0",
    ):
        life.keep(lead, 0, actor="sam")
    assert replay(list(lead)) == lead.record
    assert from_json(to_json(lead)).record == lead.record


def test_a_promise_cannot_be_due_in_the_past(life, lead):
    with pytest.raises(ValidationError, match=r"promise\.due_at: expected a time after now"):
        life.promise(lead, "call back", due_at=AT - DAY, actor="sam")
    with pytest.raises(ValidationError, match=r"agree_next_step\.due_at"):
        life.agree_next_step(lead, "demo", due_at=datetime(2026, 3, 9), actor="sam")


def test_a_promise_not_kept_is_flagged_in_the_seeds_words(life, lead):
    life.promise(lead, "send the proposal", due_at=AT + 4 * DAY, actor="sam")
    life.agree_next_step(lead, "demo with their team", due_at=AT + 7 * DAY, actor="sam")
    assert flags(lead, AT + 4 * DAY, "broken_promise") == []
    assert flags(lead, AT + 5 * DAY, "broken_promise") == [
        (AT + 4 * DAY, "promised 'send the proposal' by 2026-03-06, not kept")
    ]
    assert flags(lead, AT + 8 * DAY, "missed_next_step") == [
        (AT + 7 * DAY, "the agreed next step 'demo with their team' was due 2026-03-09, not taken")
    ]
    life.keep(lead, 0, actor="sam")
    assert flags(lead, AT + 5 * DAY, "broken_promise") == []


def test_a_meeting_without_an_agreed_next_step_is_flagged(life, lead, clock):
    life.touch(lead, channel=Channel.MEETING, outcome=TouchOutcome.REACHED, actor="sam")
    assert flags(lead, AT + DAY - timedelta(seconds=1), "no_next_step") == []
    assert flags(lead, AT + 2 * DAY, "no_next_step") == [
        (
            AT + DAY,
            (
                "no agreed next step after the meeting on 2026-03-02: the sale is in their court "
                "with no date"
            ),
        )
    ]
    assert flags(lead, AT + 4 * DAY, "no_next_step", next_step_within=5 * DAY) == []
    clock.advance(DAY)
    life.agree_next_step(lead, "send the pilot plan", due_at=AT + 5 * DAY, actor="sam")
    assert flags(lead, AT + 2 * DAY, "no_next_step") == []


def test_a_meeting_that_did_not_happen_needs_no_next_step(life, lead):
    life.touch(lead, channel=Channel.MEETING, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert flags(lead, AT + 3 * DAY, "no_next_step") == []


def test_chasing_a_lead_that_failed_qualification_is_flagged(life, lead):
    said = Provenance(recorded_by="sam", at=AT, method=Method.CALL)
    failed = Evidence(
        budget=Budget.exactly(Money.of("0", "EUR"), provenance=said),
        need=Fact(holds=False, provenance=said),
    )
    assessment = life.assess(lead, failed, actor="sam")
    assert assessment.outcome.value == "not_qualified"
    assert flags(lead, AT + DAY, "chasing_unqualified") == []  # not chased: fine
    life.agree_follow_up(
        lead, FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=7)), actor="sam"
    )
    assert flags(lead, AT + DAY, "chasing_unqualified") == [
        (AT, "chasing a lead that failed qualification (bant on 2026-03-02): it goes nowhere")
    ]


def test_a_lead_gone_silent_on_our_side_is_flagged(life, lead, clock):
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam")
    assert flags(lead, AT + 29 * DAY, "gone_silent") == []
    assert flags(lead, AT + 45 * DAY, "gone_silent") == [
        (
            AT + 30 * DAY,
            "gone silent on our side: last touch 45 days ago, no plan, no stop rule, no screening",
        )
    ]
    assert flags(lead, AT + 45 * DAY, "gone_silent", silent_after=60 * DAY) == []
    life.agree_follow_up(
        lead, FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=90)), actor="sam"
    )
    assert flags(lead, AT + 45 * DAY, "gone_silent") == []  # a plan says when: not silence


def test_nurtured_and_closed_records_are_not_chased(life, lead):
    life.touch(lead, channel=Channel.MEETING, outcome=TouchOutcome.REACHED, actor="sam")
    life.send(lead, "recycle", actor="sam", reason="not now")
    found = [a.source for a in Agenda()([lead.record], AT + 60 * DAY)]
    assert "no_next_step" not in found
    assert "gone_silent" not in found
    with pytest.raises(ValidationError, match="silent_after"):
        default_checks(silent_after=timedelta(0))
