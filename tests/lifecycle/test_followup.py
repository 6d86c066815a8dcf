"""Following up without pestering: the agreed cadence, the cap, the stop rules."""

from datetime import UTC, date, datetime, timedelta

import pytest
from statemachine import State

from leadlife import (
    Consent,
    Contact,
    DefaultFunnel,
    FixedClock,
    Funnel,
    LeadId,
    Lifecycle,
    Source,
    Stage,
    SteppingClock,
    replay,
)
from leadlife._core.values.touches import Touches
from leadlife._policies import cadence
from leadlife.errors import TouchRefusedError, ValidationError
from leadlife.events import FollowUpAgreed, FollowUpEnded
from leadlife.followup import (
    Channel,
    FollowUpPlan,
    OnViolation,
    PressureCap,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife.screening import Reason

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)
NO = TouchOutcome.NO_ANSWER


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


def email_every(days, **options):
    return FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=days), **options)


def test_the_plan_is_kept_on_the_record(life, lead):
    event = life.agree_follow_up(lead, email_every(14), actor="sam", reason="asked for fortnightly")
    assert isinstance(event, FollowUpAgreed)
    assert lead.record.follow_up.plan == email_every(14)
    assert lead.record.follow_up.since == AT


def test_touches_keep_to_the_agreed_cadence(life, lead, clock):
    life.agree_follow_up(lead, email_every(14), actor="sam")
    with pytest.raises(TouchRefusedError) as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.allowed_at == AT + 14 * DAY
    assert "agreed cadence" in str(caught.value)
    clock.advance(14 * DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert lead.record.touches[-1] == Touch(at=AT + 14 * DAY, channel=Channel.EMAIL, outcome=NO)
    clock.advance(13 * DAY)
    with pytest.raises(TouchRefusedError) as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.allowed_at == AT + 28 * DAY


def test_touches_keep_to_the_chosen_channel(life, lead, clock):
    life.agree_follow_up(lead, email_every(1), actor="sam")
    clock.advance(DAY)
    with pytest.raises(TouchRefusedError, match="the person chose email, not phone"):
        life.touch(lead, channel=Channel.PHONE, outcome=NO, actor="sam")


def test_the_pressure_cap_counts_every_channel_in_a_rolling_window(life, lead, clock):
    for _ in range(3):
        life.touch(lead, channel=Channel.PHONE, outcome=NO, actor="sam")
        clock.advance(DAY)
    with pytest.raises(
        TouchRefusedError, match="contact-pressure cap: 3 touches in 7 days"
    ) as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.allowed_at == AT + 7 * DAY
    clock.set(AT + 7 * DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert len(lead.record.touches) == 4


def test_a_plan_may_record_violations_instead_of_refusing(life, lead):
    life.agree_follow_up(lead, email_every(14, on_violation=OnViolation.RECORD), actor="sam")
    touched = life.touch(lead, channel=Channel.PHONE, outcome=NO, actor="sam")
    assert "the person chose email, not phone" in touched.touch.violation
    assert "agreed cadence" in touched.touch.violation


def test_a_plan_may_carry_its_own_cap(life, lead, clock):
    plan = email_every(1, cap=PressureCap(touches=1, window=timedelta(days=5)))
    life.agree_follow_up(lead, plan, actor="sam")
    clock.advance(DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    clock.advance(DAY)
    with pytest.raises(TouchRefusedError, match="1 touches in 5 days"):
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")


def test_nobody_who_asked_not_to_be_contacted_is_touched(life, lead):
    life.record_consent(lead, Consent(do_not_contact=True), actor="form")
    with pytest.raises(TouchRefusedError, match="asked not to be contacted") as caught:
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    assert caught.value.allowed_at is None


def test_nobody_is_touched_in_a_final_stage(clock):
    class Short(Funnel):
        new = State(initial=True)
        closed = State(final=True)
        close = new.to(closed)

    life = Lifecycle(Short, clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "close", actor="x")
    with pytest.raises(TouchRefusedError, match="'closed' is a final stage"):
        life.touch(history, channel=Channel.EMAIL, outcome=NO, actor="sam")


def test_the_attempts_stop_rule_recycles_to_nurture(life, lead, clock):
    life.agree_follow_up(lead, email_every(2, max_attempts=3), actor="sam")
    for _ in range(3):
        clock.advance(2 * DAY)
        life.touch(lead, channel=Channel.EMAIL, outcome=NO, actor="sam")
    record = lead.record
    assert record.stage == "nurture"
    assert record.follow_up is None
    assert record.recycled == 1
    assert isinstance(lead[-2], FollowUpEnded)
    assert lead[-2].reason == "3 touches without an answer"
    assert replay(lead.events) == record


def test_an_answer_resets_the_attempts(life, lead, clock):
    life.agree_follow_up(lead, email_every(2, max_attempts=2), actor="sam")
    for outcome in (NO, TouchOutcome.REPLIED, NO):
        clock.advance(2 * DAY)
        life.touch(lead, channel=Channel.EMAIL, outcome=outcome, actor="sam")
    assert lead.record.stage == "lead"
    assert cadence.unanswered(lead.record.follow_up, lead.record.touches) == 1


def test_a_closing_plan_screens_out_as_unresponsive_with_a_review_date(life, lead, clock):
    plan = email_every(
        2, max_attempts=1, when_stopped=WhenStopped.CLOSE, review_after=timedelta(days=60)
    )
    life.agree_follow_up(lead, plan, actor="sam")
    clock.advance(2 * DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.BOUNCED, actor="sam")
    record = lead.record
    assert record.stage == "disqualified"
    assert record.screening.reason == Reason.UNRESPONSIVE
    assert record.review_on == date(2026, 5, 3)


def test_stopping_without_a_plan_is_refused(life, lead):
    with pytest.raises(Exception, match="no follow-up plan is in force"):
        life.stop_chase(lead, actor="sam", reason="enough")


def test_stopping_where_no_move_leads_to_nurture_only_ends_the_plan(life, clock):
    history = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    life.agree_follow_up(history, email_every(2), actor="sam")
    life.stop_chase(history, actor="sam", reason="enough")
    assert (history.record.stage, history.record.follow_up) == ("suspect", None)


def test_the_time_stop_rule_and_the_next_touch():
    plan = email_every(7, give_up_after=timedelta(days=30))
    follow_up = cadence.FollowUp(plan=plan, since=AT)
    touches = Touches(
        [
            Touch(at=AT + DAY, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED),
            Touch(at=AT + 8 * DAY, channel=Channel.EMAIL, outcome=NO),
        ]
    )
    assert cadence.next_touch_at(follow_up, touches) == AT + 15 * DAY
    assert cadence.give_up_at(follow_up, touches) == AT + 31 * DAY
    assert cadence.give_up_at(cadence.FollowUp(plan=email_every(7), since=AT), touches) is None


def test_an_answer_from_before_the_plan_does_not_restart_its_clock():
    plan = email_every(7, give_up_after=timedelta(days=30))
    follow_up = cadence.FollowUp(plan=plan, since=AT + DAY)
    before = Touches([Touch(at=AT, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED)])
    assert cadence.last_answer_at(follow_up, before) == AT + DAY
    assert cadence.give_up_at(follow_up, before) == AT + 31 * DAY


def test_an_answer_at_the_moment_of_agreement_allows_a_reply_at_once():
    follow_up = cadence.FollowUp(plan=email_every(7), since=AT)
    answered = Touches([Touch(at=AT, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED)])
    assert cadence.next_touch_at(follow_up, answered) == AT


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (DAY, "1 day"),
        (14 * DAY, "14 days"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=8), "8 hours"),
        (timedelta(hours=36), "36 hours"),
        (timedelta(minutes=90), "90 minutes"),
        (timedelta(seconds=30), "0.5 minutes"),
    ],
)
def test_durations_read_in_the_largest_whole_unit(delta, words):
    assert cadence.duration(delta) == words


@pytest.mark.parametrize(
    "build",
    [
        lambda: FollowUpPlan(channel="email", every=DAY),
        lambda: FollowUpPlan(channel=Channel.EMAIL, every=timedelta(0)),
        lambda: FollowUpPlan(channel=Channel.EMAIL, every=DAY, max_attempts=0),
        lambda: FollowUpPlan(channel=Channel.EMAIL, every=DAY, give_up_after=-DAY),
        lambda: PressureCap(touches=0, window=DAY),
        lambda: PressureCap(touches=None, window=DAY),
        lambda: FollowUpPlan(channel=Channel.EMAIL, every=DAY, max_attempts=True),
        lambda: Touch(at=datetime(2026, 1, 1), channel=Channel.EMAIL, outcome=NO),
    ],
)
def test_plans_and_touches_validate(build):
    with pytest.raises(ValidationError):
        build()


def test_a_lifecycle_cap_must_be_a_cap():
    with pytest.raises(ValidationError, match="a PressureCap or None"):
        Lifecycle(pressure_cap=3)  # type: ignore[arg-type]
    assert Lifecycle(pressure_cap=None).pressure_cap is None


def test_recycling_by_hand_ends_the_chase_too(life, lead):
    life.agree_follow_up(lead, email_every(7), actor="sam")
    life.send(lead, "recycle", actor="sam")
    assert (lead.record.stage, lead.record.follow_up) == ("nurture", None)
    assert replay(lead.events) == lead.record


def test_a_closing_plan_uses_the_funnels_own_screen_out_event(clock):
    class Own(Funnel):
        new = State(initial=True)
        working = State()
        dropped = Stage(screens_out=True)
        nurture = Stage(recycle=True)
        gone = State(final=True)
        work = new.to(working)
        drop = dropped.from_(new, working, cond=["has_screening", "has_review_date"])
        park = nurture.from_(working, dropped)
        revive = nurture.to(working)
        leave = gone.from_(new, working, nurture, dropped, cond="is_their_request")

    life = Lifecycle(Own, clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "work", actor="x")
    life.agree_follow_up(history, email_every(2, when_stopped=WhenStopped.CLOSE), actor="sam")
    life.stop_chase(history, actor="sam", reason="enough")
    assert (history[-1].event, history.record.stage) == ("drop", "dropped")


CLOSING = FollowUpPlan(
    channel=Channel.EMAIL,
    every=timedelta(days=2),
    when_stopped=WhenStopped.CLOSE,
    review_after=timedelta(days=1),
)


def test_stopping_a_chase_ends_the_plan_and_screens_out_at_one_time():
    # A clock that moves between readings: the end and the screen-out are one act.
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(days=3))
    life = Lifecycle(clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="ops"
    )
    life.agree_follow_up(history, CLOSING, actor="ops")
    ended = life.stop_chase(history, actor="ops", reason="no answer")
    moved = history.events[-1]
    assert [type(e).__name__ for e in history.events[-2:]] == ["FollowUpEnded", "StageChanged"]
    assert moved.at == ended.at == datetime(2026, 3, 8, 9, tzinfo=UTC)
    assert history.record.stage == "disqualified"
    assert history.record.review_on == date(2026, 3, 9)  # the plan's day after the end


def test_a_stop_whose_screen_out_is_refused_records_nothing():
    class Refusing(DefaultFunnel):
        def before_disqualify(self):
            raise TouchRefusedError(record_id="L-1", problems=["the screen-out failed"])

    life = Lifecycle(funnel=Refusing, clock=SteppingClock(start=AT, step=timedelta(hours=1)))
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="ops"
    )
    life.agree_follow_up(history, CLOSING, actor="ops")
    events = history.events
    with pytest.raises(TouchRefusedError, match="the screen-out failed"):
        life.stop_chase(history, actor="ops", reason="no answer")
    assert history.events == events  # the plan is still in force: a retry can stop it
    assert history.record.follow_up is not None
