"""Sales sequences: steps across channels on the agenda, inside the plan, ended by an answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import (
    Consent,
    Contact,
    FixedClock,
    LeadId,
    Lifecycle,
    Source,
    from_json,
    replay,
    to_json,
)
from leadlife.agenda import Agenda
from leadlife.errors import HistoryError, TouchRefusedError, ValidationError
from leadlife.events import SequenceEnded, SequenceEnrolled
from leadlife.followup import (
    Channel,
    FollowUpPlan,
    OnViolation,
    SalesSequence,
    SequenceStep,
    TouchOutcome,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
FIRST_WEEK = SalesSequence(
    key="first_week",
    name="First week",
    steps=[
        SequenceStep(after=timedelta(0), channel=Channel.EMAIL),
        SequenceStep(after=timedelta(days=3), channel=Channel.PHONE),
        SequenceStep(after=timedelta(days=7), channel=Channel.SOCIAL),
    ],
)


def enrolled():
    clock = FixedClock(START)
    life = Lifecycle(clock=clock)
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="form"
    )
    life.enrol_in_sequence(lead, FIRST_WEEK, actor="sam")
    return life, lead, clock


def steps_due(lead, at):
    return [
        (action.facts["step"], action.facts["channel"], action.due_at)
        for action in Agenda()([lead.record], at)
        if action.source == "sequence_step"
    ]


def test_the_steps_come_due_one_after_another_as_touches_take_them():
    life, lead, clock = enrolled()
    assert steps_due(lead, START) == [(1, "email", START)]
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert steps_due(lead, START + timedelta(days=2)) == []
    clock.advance(timedelta(days=3))
    assert steps_due(lead, clock.now()) == [(2, "phone", START + timedelta(days=3))]
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.VOICEMAIL, actor="sam")
    clock.advance(timedelta(days=4))
    assert steps_due(lead, clock.now()) == [(3, "social", START + timedelta(days=7))]
    life.touch(lead, channel=Channel.SOCIAL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert steps_due(lead, clock.now() + timedelta(days=30)) == []  # every step taken
    assert replay(lead.events) == lead.record
    assert from_json(to_json(lead)) == lead


@pytest.mark.parametrize("outcome", [TouchOutcome.REPLIED, TouchOutcome.MEETING_BOOKED])
def test_an_answer_ends_the_sequence(outcome):
    life, lead, _ = enrolled()
    life.touch(lead, channel=Channel.EMAIL, outcome=outcome, actor="sam")
    assert lead.record.sequence is None
    assert steps_due(lead, START + timedelta(days=30)) == []
    assert replay(lead.events) == lead.record


def test_a_request_to_be_left_alone_ends_it_and_a_new_one_is_refused():
    life, lead, _ = enrolled()
    life.record_consent(lead, Consent(do_not_contact=True), actor="sam")
    assert lead.record.sequence is None
    with pytest.raises(HistoryError, match="asked not to be contacted"):
        life.enrol_in_sequence(lead, FIRST_WEEK, actor="sam")


def test_a_sequence_is_ended_by_hand_and_one_at_a_time():
    life, lead, _ = enrolled()
    with pytest.raises(HistoryError, match="'first_week' is in force: end it first"):
        life.enrol_in_sequence(lead, FIRST_WEEK, actor="sam")
    ended = life.end_sequence(lead, actor="sam", reason="wrong person")
    assert isinstance(ended, SequenceEnded)
    with pytest.raises(HistoryError, match="no sequence is in force"):
        life.end_sequence(lead, actor="sam")
    again = life.enrol_in_sequence(lead, FIRST_WEEK, actor="sam")
    assert isinstance(again, SequenceEnrolled)


def test_a_step_keeps_to_the_plan_the_person_chose_and_to_the_cap():
    life, lead, clock = enrolled()
    plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=2))
    life.agree_follow_up(lead, plan, actor="sam")
    clock.advance(timedelta(days=2))
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    clock.advance(timedelta(days=3))
    (action,) = [a for a in Agenda()([lead.record], clock.now()) if a.source == "sequence_step"]
    assert action.reason.endswith("(the person chose email: the plan decides)")
    with pytest.raises(TouchRefusedError, match="the person chose email, not phone"):
        life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    recorded = FollowUpPlan(
        channel=Channel.EMAIL, every=timedelta(days=2), on_violation=OnViolation.RECORD
    )
    life.agree_follow_up(lead, recorded, actor="sam")
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert "the person chose email, not phone" in lead.record.touches[-1].violation


def test_a_step_due_outside_their_hours_says_when_they_open():
    clock = FixedClock(datetime(2026, 3, 7, 11, tzinfo=UTC))  # a Saturday
    life = Lifecycle(clock=clock)
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", time_zone="Europe/London"),
        source=Source(channel="web"),
        actor="form",
    )
    life.enrol_in_sequence(lead, FIRST_WEEK, actor="sam")
    (action,) = Agenda()([lead.record], clock.now())
    assert action.facts["contact_at"] == "2026-03-09T09:00:00+00:00"


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (lambda: SalesSequence(key="x", name="X", steps=[]), "steps: expected a non-empty"),
        (
            lambda: SalesSequence(key="x", name="X", steps=["email"]),
            "steps: expected SequenceSteps",
        ),
        (
            lambda: SalesSequence(
                key="x",
                name="X",
                steps=[
                    SequenceStep(after=timedelta(days=2), channel=Channel.EMAIL),
                    SequenceStep(after=timedelta(days=1), channel=Channel.PHONE),
                ],
            ),
            "steps: expected steps in the order they come",
        ),
        (lambda: SequenceStep(after=timedelta(days=-1), channel=Channel.EMAIL), "after: expected"),
        (lambda: SalesSequence(key="X Y", name="X", steps=FIRST_WEEK.steps), "key: expected"),
    ],
)
def test_what_is_not_a_sequence_is_refused_by_name(made, expected):
    with pytest.raises(ValidationError, match=expected):
        made()


def test_enrolling_needs_a_sequence():
    life, lead, _ = enrolled()
    with pytest.raises(ValidationError, match=r"enrol_in_sequence\.sequence"):
        life.enrol_in_sequence(lead, "first_week", actor="sam")  # type: ignore[arg-type]
