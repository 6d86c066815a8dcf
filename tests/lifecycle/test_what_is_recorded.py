"""What each call records, exactly: the caller's words, payload and time reach the events."""

from datetime import UTC, date, datetime, timedelta

import pytest
from statemachine import State

from leadlife import (
    Consent,
    Contact,
    FixedClock,
    Funnel,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
)
from leadlife.errors import (
    HistoryError,
    TouchRefusedError,
    TransitionRefusedError,
    ValidationError,
)
from leadlife.events import ConsentRecorded, FollowUpAgreed, FollowUpEnded, StageChanged, Touched
from leadlife.followup import Channel, FollowUpPlan, OnViolation, TouchOutcome, WhenStopped
from leadlife.screening import Reason, ReviewAfter, Screening

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)
NO = TouchOutcome.NO_ANSWER
CONTEXT = {"ticket": "T-7"}


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


@pytest.fixture
def deal(life):
    return life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage="proposal",
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            name="Pilot",
            amount=Money.of("5000", "EUR"),
            expected_close=date(2026, 6, 1),
            win_probability=0.4,
            created_at=AT - DAY,
        ),
        actor="import",
    )


def email_every(days, **options):
    return FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=days), **options)


def test_an_agreed_plan_keeps_the_reason_and_payload(life, lead):
    agreed = life.agree_follow_up(
        lead, email_every(7), actor="sam", reason="asked for weekly", payload=CONTEXT
    )
    assert lead[-1] is agreed
    assert isinstance(agreed, FollowUpAgreed)
    assert (agreed.actor, agreed.reason, dict(agreed.payload)) == (
        "sam",
        "asked for weekly",
        CONTEXT,
    )


def test_a_touch_keeps_its_time_note_and_payload(life, lead, clock):
    clock.advance(DAY)
    touched = life.touch(
        lead,
        channel=Channel.PHONE,
        outcome=TouchOutcome.REACHED,
        actor="sam",
        note="call back Tuesday",
        payload=CONTEXT,
    )
    assert lead[-1] is touched
    assert isinstance(touched, Touched)
    assert (touched.at, touched.actor, touched.reason, dict(touched.payload)) == (
        AT + DAY,
        "sam",
        None,
        CONTEXT,
    )
    assert touched.touch.at == AT + DAY
    assert touched.touch.note == "call back Tuesday"
    assert touched.touch.violation is None


def test_a_touch_refused_for_consent_names_the_record(life, lead):
    life.record_consent(lead, Consent(do_not_contact=True), actor="form")
    with pytest.raises(TouchRefusedError) as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.record_id == LeadId("L-1")
    assert caught.value.problems == ("the person asked not to be contacted",)


def test_a_refused_touch_names_the_record_and_when_one_is_allowed(life, lead, clock):
    life.agree_follow_up(lead, email_every(7), actor="sam")
    clock.advance(DAY)
    with pytest.raises(TouchRefusedError) as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.record_id == LeadId("L-1")
    assert caught.value.allowed_at == AT + 7 * DAY


def test_a_recorded_violation_lists_every_problem_in_order(life, lead, clock):
    life.agree_follow_up(lead, email_every(7, on_violation=OnViolation.RECORD), actor="sam")
    clock.advance(DAY)
    touched = life.touch(lead, channel=Channel.PHONE, outcome=NO, actor="sam")
    problems = touched.touch.violation.split("; ")
    assert len(problems) == 2
    assert problems[0] == "the person chose email, not phone"
    assert problems[1] == "the agreed cadence is every 7 days"


def test_a_stopped_chase_carries_the_reason_and_payload_into_the_move(life, lead):
    life.agree_follow_up(lead, email_every(7), actor="sam")
    ended = life.stop_chase(lead, actor="sam", reason="enough", payload=CONTEXT)
    assert isinstance(ended, FollowUpEnded)
    assert (ended.reason, dict(ended.payload)) == ("enough", CONTEXT)
    move = lead[-1]
    assert isinstance(move, StageChanged)
    assert (move.event, move.to_stage, move.reason, dict(move.payload)) == (
        "recycle",
        "nurture",
        "enough",
        CONTEXT,
    )


def test_a_closing_chase_screens_out_with_the_reason_as_the_note(life, lead):
    plan = email_every(7, when_stopped=WhenStopped.CLOSE, review_after=timedelta(days=30))
    life.agree_follow_up(lead, plan, actor="sam")
    life.stop_chase(lead, actor="sam", reason="no answer in a month", payload=CONTEXT)
    move = lead[-1]
    assert (move.event, move.to_stage, move.review_on, dict(move.payload)) == (
        "disqualify",
        "disqualified",
        date(2026, 4, 1),
        CONTEXT,
    )
    assert move.screening == Screening(reason=Reason.UNRESPONSIVE, note="no answer in a month")


def test_disqualifying_keeps_the_payload_and_both_decisions(life, lead):
    move = life.disqualify(
        lead,
        reason=Reason.NO_NEED,
        review=date(2026, 9, 1),
        actor="sam",
        note="uses a spreadsheet",
        mutual=True,
        payload=CONTEXT,
    )
    assert dict(move.payload) == CONTEXT
    assert move.screening == Screening(
        reason=Reason.NO_NEED, note="uses a spreadsheet", mutual=True, told=False
    )
    assert move.reason == move.screening.describe()


def test_losing_keeps_the_payload_and_the_person_was_not_told_unless_said(life, deal):
    move = life.lose(
        deal, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), actor="sam", payload=CONTEXT
    )
    assert (move.event, move.to_stage, move.review_on) == ("lose", "lost", date(2026, 9, 1))
    assert dict(move.payload) == CONTEXT
    assert move.screening == Screening(reason=Reason.NO_BUDGET, told=False, mutual=False)


def test_losing_with_a_policy_computes_the_review_date(life, deal):
    policy = ReviewAfter(days=180, by_reason={Reason.NO_BUDGET: 30})
    move = life.lose(deal, reason=Reason.NO_BUDGET, review=policy, actor="sam")
    assert move.review_on == date(2026, 4, 1)


def test_a_screen_out_for_do_not_contact_names_the_call_and_the_way(life, deal, lead):
    for call, history in ((life.lose, deal), (life.disqualify, lead)):
        with pytest.raises(ValidationError) as caught:
            call(
                history,
                reason=Reason.ASKED_NOT_TO_BE_CONTACTED,
                review=date(2026, 9, 1),
                actor="sam",
            )
        error = caught.value
        assert (error.owner, error.field) == (f"Lifecycle.{call.__name__}", "reason")
        assert error.value == Reason.ASKED_NOT_TO_BE_CONTACTED
        assert "opt_out()" in error.expected


def test_a_bad_review_names_the_call_and_what_is_allowed(life, deal):
    with pytest.raises(ValidationError) as caught:
        life.lose(deal, reason=Reason.NO_BUDGET, review="soon", actor="sam")
    error = caught.value
    assert (error.owner, error.field, error.value) == ("Lifecycle.lose", "review", "soon")
    assert error.expected == "a date (not a datetime) or a ReviewPolicy"


def test_an_opt_out_keeps_the_persons_words_and_the_payload_on_both_events(life, lead):
    move = life.opt_out(lead, actor="sam", note="please stop emailing", payload=CONTEXT)
    consent, moved = lead[-2], lead[-1]
    assert moved is move
    assert isinstance(consent, ConsentRecorded)
    assert (consent.reason, dict(consent.payload), consent.consent.recorded_at) == (
        "please stop emailing",
        CONTEXT,
        AT,
    )
    choice = Screening(
        reason=Reason.ASKED_NOT_TO_BE_CONTACTED, note="please stop emailing", mutual=True, told=True
    )
    assert (move.event, move.to_stage, move.screening, move.reason, dict(move.payload)) == (
        "opt_out",
        "do_not_contact",
        choice,
        choice.describe(),
        CONTEXT,
    )


def test_an_opt_out_with_no_way_out_names_the_record_and_stage(clock):
    class Closed(Funnel):
        new = State(initial=True)
        done = State(final=True)
        close = new.to(done)

    life = Lifecycle(Closed, clock=clock)
    history = life.capture(
        id=LeadId("L-9"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "close", actor="x")
    with pytest.raises(TransitionRefusedError) as caught:
        life.opt_out(history, actor="sam")
    error = caught.value
    assert (error.record_id, error.stage, error.event, error.allowed) == (
        LeadId("L-9"),
        "done",
        "opt_out",
        (),
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda life, h: life.touch(h, channel=Channel.EMAIL, outcome=NO, actor="sam"),
        lambda life, h: life.opt_out(h, actor="sam"),
        lambda life, h: life.disqualify(
            h, reason=Reason.NO_NEED, review=date(2026, 9, 1), actor="sam"
        ),
    ],
    ids=["touch", "opt_out", "disqualify"],
)
def test_a_clock_that_went_back_is_named_before_anything_is_recorded(life, lead, clock, call):
    clock.advance(DAY)
    life.assign(lead, "sam", actor="x")
    clock.set(AT)
    before = len(lead)
    with pytest.raises(HistoryError) as caught:
        call(life, lead)
    assert caught.value.problem.startswith("the clock says 2026-03-02 09:00:00+00:00, before")
    assert len(lead) == before


def test_a_blank_actor_is_named_with_the_call_that_was_made(life, lead):
    with pytest.raises(ValidationError) as caught:
        life.disqualify(lead, reason=Reason.NO_NEED, review=date(2026, 9, 1), actor=" ")
    assert (caught.value.owner, caught.value.field) == ("Lifecycle.disqualify", "actor")
