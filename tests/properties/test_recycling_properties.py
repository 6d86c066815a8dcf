"""Issue 4's promises, as properties: nobody dropped, nobody pestered, every rule allowed."""

from datetime import timedelta
from itertools import pairwise

import attrs
from hypothesis import given
from hypothesis import strategies as st

import strategies as s
from leadlife import Contact, DefaultFunnel, FixedClock, Lead, LeadId, Lifecycle, Source, replay
from leadlife import testing as kit
from leadlife._core.values.touches import Touches
from leadlife._policies import cadence
from leadlife.agenda import ActionKind, agenda, default_checks
from leadlife.errors import TouchRefusedError
from leadlife.followup import Channel, FollowUp, OnViolation, TouchOutcome
from leadlife.screening import Reason
from leadlife.sla import DEFAULT_LEVELS

OUT_OF_THE_ACTIVE_FUNNEL = {"disqualified", "lost"}
STAGES = [stage.id for stage in DefaultFunnel.spec().stages]
LIFE = Lifecycle()


@given(s.journeys())
def test_no_record_leaves_the_active_funnel_without_a_review_date_or_their_request(histories):
    for history in histories:
        for end in range(1, len(history) + 1):
            record = replay(history.events[:end])
            if record.stage in OUT_OF_THE_ACTIVE_FUNNEL:
                assert record.review_on is not None, record.stage
                assert record.screening is not None, record.stage
            if record.stage == "do_not_contact":
                assert record.screening.reason == Reason.ASKED_NOT_TO_BE_CONTACTED
                assert record.screening.mutual


@given(
    plan=kit.follow_up_plans(),
    attempts=st.lists(
        st.tuples(
            st.sampled_from(
                [timedelta(hours=1), timedelta(days=1), timedelta(days=3), timedelta(days=9)]
            ),
            st.sampled_from(Channel),
            st.sampled_from(TouchOutcome),
        ),
        max_size=25,
    ),
)
def test_touches_never_exceed_the_plan_or_the_cap_unless_recorded_as_violations(plan, attempts):
    clock = FixedClock(s.START)
    life = Lifecycle(clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.send(history, "engage", actor="x")
    life.agree_follow_up(history, plan, actor="x")
    for pause, channel, outcome in attempts:
        clock.advance(pause)
        if history.record.follow_up is None:
            break  # a stop rule ended the chase
        try:
            life.touch(history, channel=channel, outcome=outcome, actor="x")
        except TouchRefusedError as refused:
            assert plan.on_violation is OnViolation.REFUSE
            assert refused.allowed_at >= clock.now()
    touches = [t for t in history.record.touches if t.violation is None]
    cap = plan.cap or LIFE.pressure_cap
    for touch in touches:
        in_window = [t for t in history.record.touches if touch.at - cap.window < t.at <= touch.at]
        clean = [t for t in in_window if t.violation is None]
        assert len(clean) <= cap.touches
        assert touch.channel is plan.channel
    for earlier, later in pairwise(history.record.touches):
        # The agreed interval since the touch before, whatever that touch was,
        # except right after an answer: replying to someone who answered is not
        # pestering, even if the touch they answered broke the plan.
        if later.violation is None:
            assert earlier.outcome.answered or later.at - earlier.at >= plan.every
    if plan.on_violation is OnViolation.REFUSE:
        assert all(t.violation is None for t in history.record.touches)


@given(kit.records(), kit.aware_datetimes(), st.sampled_from(STAGES))
def test_every_rules_proposal_is_a_move_the_funnel_allows(record, at, stage):
    record = attrs.evolve(record, stage=stage)
    allowed = LIFE.allowed_events(record)
    for rule in DefaultFunnel.rules:
        if stage not in rule.stages:
            continue
        proposal = rule(record, max(at, record.updated_at))
        if proposal is not None:
            assert proposal.event in allowed, (rule.key, stage, proposal.event)


@given(s.journeys(), st.sampled_from([timedelta(0), timedelta(hours=5), timedelta(days=400)]))
def test_nobody_who_asked_not_to_be_contacted_is_ever_on_the_agenda(histories, later):
    history = histories[-1]
    record = history.record
    due = agenda([record], record.updated_at + later)
    if record.consent.do_not_contact:
        assert due == []
        assert record.follow_up is None
        assert all(level.open_timer(record) is None for level in DEFAULT_LEVELS)
    if record.stage == "do_not_contact":
        assert record.consent.do_not_contact


@given(s.journeys())
def test_every_agenda_action_applies_cleanly(histories):
    history = histories[-1]
    record = history.record
    at = record.updated_at + timedelta(days=400)
    for action in agenda([record], at):
        if action.event is not None:
            assert action.event in LIFE.allowed_events(record)


@given(s.journeys(), st.sampled_from([timedelta(0), timedelta(hours=5), timedelta(days=400)]))
def test_agenda_actions_made_without_revalidation_pass_validation(histories, later):
    # The agenda builds its actions from already-valid parts, skipping
    # validators; the validating constructor must accept them as they are.
    records = [history.record for history in histories]
    for action in agenda(records, max(r.updated_at for r in records) + later):
        assert attrs.evolve(action) == action


@given(
    plan=kit.follow_up_plans(),
    touches=st.lists(kit.touches(), max_size=6),
    since=kit.aware_datetimes(),
    later=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=400)),
)
def test_the_agenda_and_the_cadence_agree_on_what_is_due(plan, touches, since, later):
    touches = sorted(touches, key=lambda touch: touch.at)
    follow_up = FollowUp(plan=plan, since=since)
    first = min([since, *(t.at for t in touches)])
    record = Lead(
        id=LeadId("L-1"),
        stage="lead",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        follow_up=follow_up,
        touches=touches,
        created_at=first,
    )
    at = since + later
    # Flags (a meeting with no next step, say) are another matter: the cadence is this test's.
    found = agenda([record], at, rules=[], levels=[], checks=default_checks(max_recycles=99))
    due = {a.kind: a.due_at for a in found if a.kind is not ActionKind.FLAG}
    give_up = cadence.give_up_at(follow_up, record.touches)
    if give_up is not None and give_up <= at:
        assert due == {ActionKind.STOP_CHASE: give_up}
    elif cadence.next_touch_at(follow_up, record.touches) <= at:
        assert due == {ActionKind.FOLLOW_UP: cadence.next_touch_at(follow_up, record.touches)}
    else:
        assert due == {}


@given(plan=kit.follow_up_plans(), touches=st.lists(kit.touches(), max_size=12), data=st.data())
def test_the_cadence_answers_as_a_scan_of_every_touch_would(plan, touches, data):
    # The cadence reads the record's Touches by binary search and by the last
    # answer kept as touches are appended; a plain scan is the reference.
    touches = sorted(touches, key=lambda touch: touch.at)
    since = data.draw(st.sampled_from([t.at for t in touches] or [s.START]), label="since")
    follow_up = FollowUp(plan=plan, since=since)
    log = Touches(())
    for touch in touches:
        log = log.appended(touch)
    under_plan = [t for t in touches if t.at >= since]
    unanswered = 0
    for touch in reversed(under_plan):
        if touch.outcome.answered:
            break
        unanswered += 1
    assert cadence.unanswered(follow_up, log) == unanswered
    answers = [t.at for t in under_plan if t.outcome.answered]
    assert cadence.last_answer_at(follow_up, log) == max(answers, default=since)
    if under_plan and under_plan[-1].outcome.answered:
        due = under_plan[-1].at
    else:
        due = (under_plan[-1].at if under_plan else since) + plan.every
    assert cadence.next_touch_at(follow_up, log) == due
    cap = data.draw(kit.pressure_caps(), label="cap")
    at = data.draw(st.sampled_from([t.at for t in touches] or [s.START]), label="at")
    recent = sorted(t.at for t in touches if at - cap.window < t.at <= at)
    free = None if len(recent) < cap.touches else recent[len(recent) - cap.touches] + cap.window
    assert cadence.cap_free_at(log, cap, at) == free
