"""Recycling rules, service levels and the agenda."""

from datetime import UTC, date, datetime, time, timedelta, timezone

import attrs
import pytest

from leadlife import (
    Consent,
    Contact,
    DefaultFunnel,
    FixedClock,
    LeadId,
    Lifecycle,
    Source,
    funnel_from_spec,
    replay,
)
from leadlife.agenda import ActionKind, Agenda, DueAction, agenda
from leadlife.errors import ValidationError
from leadlife.events import SlaBreached
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife.plugins import Registry
from leadlife.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)
from leadlife.screening import Reason, Screening
from leadlife.sla import BusinessCalendar, Ends, ServiceLevel, Starts, compliance

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


def captured(life, key="L-1", owner=None):
    return life.capture(
        id=LeadId(key),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        owner=owner,
        actor="x",
    )


def default_rule(cls, **changes):
    """The default funnel's rule of ``cls``, with ``changes``."""
    rule = next(rule for rule in DefaultFunnel.rules if isinstance(rule, cls))
    return attrs.evolve(rule, **changes)


def walk(life, history, *events):
    for event in events:
        life.send(history, event, actor="x")
    return history


# -- the calendar -----------------------------------------------------------


def test_holidays_must_be_dates():
    with pytest.raises(ValidationError, match="holidays"):
        BusinessCalendar(holidays={"2026-03-09"})
    with pytest.raises(ValidationError, match="holidays"):
        BusinessCalendar(holidays={datetime(2026, 3, 9, tzinfo=UTC)})


def test_working_hours_skip_evenings_weekends_and_holidays():
    office = BusinessCalendar(holidays={date(2026, 3, 9)})
    friday = datetime(2026, 3, 6, 16, tzinfo=UTC)
    assert office.add(friday, timedelta(hours=2)) == datetime(2026, 3, 10, 10, tzinfo=UTC)
    assert office.add(datetime(2026, 3, 5, 20, tzinfo=UTC), timedelta(hours=1)) == datetime(
        2026, 3, 6, 10, tzinfo=UTC
    )


def test_a_calendar_in_another_zone_answers_in_the_callers_zone():
    berlin = timezone(timedelta(hours=1))
    office = BusinessCalendar(zone=berlin, opens=time(8), closes=time(16))
    due = office.add(datetime(2026, 3, 2, 14, tzinfo=UTC), timedelta(hours=2))
    assert due == datetime(2026, 3, 3, 8, tzinfo=UTC)
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    "build",
    [
        lambda: BusinessCalendar(weekdays=[]),
        lambda: BusinessCalendar(weekdays=[7]),
        lambda: BusinessCalendar(opens=time(17), closes=time(9)),
    ],
)
def test_calendars_validate(build):
    with pytest.raises(ValidationError):
        build()


def test_a_naive_start_is_refused():
    with pytest.raises(ValidationError, match="timezone-aware"):
        BusinessCalendar().add(datetime(2026, 3, 2), DAY)


# -- rules ------------------------------------------------------------------


def test_a_deal_lost_for_timing_goes_to_nurture_with_a_review_date(life, clock):
    record = walk(life, captured(life), "engage").record
    rule = default_rule(LostToNurture, review_after=timedelta(days=60))
    timing = attrs.evolve(record, stage="lost", screening=Screening(reason=Reason.BAD_TIMING))
    proposal = rule(timing, AT)
    assert (proposal.kind, proposal.event, proposal.review_on) == (
        ActionKind.RECYCLE,
        "recycle",
        date(2026, 5, 1),
    )
    assert proposal.facts["reason"] == "bad_timing"
    price = attrs.evolve(record, stage="lost", screening=Screening(reason=Reason.CHOSE_COMPETITOR))
    assert rule(price, AT) is None
    assert rule(attrs.evolve(record, stage="lost"), AT) is None


def test_an_unaccepted_sales_ready_lead_goes_back_to_marketing(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready")
    rule = default_rule(
        UnacceptedToMarketing, limit=timedelta(hours=8), calendar=BusinessCalendar()
    )
    assert rule(lead.record, AT + timedelta(hours=7)) is None
    proposal = rule(lead.record, AT + timedelta(hours=8))
    assert (proposal.event, proposal.due_at) == ("recycle", AT + timedelta(hours=8))
    assert default_rule(UnacceptedToMarketing)(lead.record, AT + 2 * DAY).due_at == AT + 2 * DAY


def test_an_idle_deal_goes_to_nurture(life):
    deal = attrs.evolve(captured(life).record, stage="proposal")
    rule = default_rule(IdleDealToNurture, idle=timedelta(days=10))
    assert rule(deal, AT + 9 * DAY) is None
    assert rule(deal, AT + 10 * DAY).event == "recycle"


def test_a_nurtured_lead_that_answers_is_sales_ready_again(life, clock):
    lead = walk(life, captured(life), "engage", "recycle")
    rule = default_rule(ReengagedToSalesReady)
    assert rule(lead.record, AT) is None
    clock.advance(DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
    assert rule(lead.record, clock.now()) is None
    clock.advance(DAY * 7)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="x")
    proposal = rule(lead.record, clock.now())
    assert (proposal.event, proposal.due_at) == ("reengage", clock.now())


def test_an_answer_from_before_nurture_does_not_count(life, clock):
    lead = walk(life, captured(life), "engage")
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="x")
    clock.advance(DAY)
    life.send(lead, "recycle", actor="x")
    assert default_rule(ReengagedToSalesReady)(lead.record, clock.now()) is None


def test_a_screen_out_is_reopened_on_its_review_date(life, clock):
    lead = walk(life, captured(life), "engage")
    life.disqualify(lead, reason=Reason.BAD_TIMING, review=date(2026, 4, 1), actor="x")
    rule = default_rule(ReviewDue)
    assert rule(lead.record, datetime(2026, 3, 31, 23, tzinfo=UTC)) is None
    proposal = rule(lead.record, datetime(2026, 4, 1, 8, tzinfo=UTC))
    assert (proposal.kind, proposal.event) == (ActionKind.REVIEW, "reopen")


def test_a_churned_customer_is_won_back(life):
    churned = attrs.evolve(captured(life).record, stage="churned")
    assert default_rule(ChurnedToWinBack)(churned, AT + 29 * DAY) is None
    assert default_rule(ChurnedToWinBack)(churned, AT + 30 * DAY).event == "win_back"


def test_rules_validate_their_thresholds():
    with pytest.raises(ValidationError):
        IdleDealToNurture(stages={"proposal"}, event="recycle", idle=-DAY)
    with pytest.raises(ValidationError):
        ReviewDue(stages={"disqualified"}, event="reopen", key="Review Due")


def test_rules_are_plugins_too():
    registry = Registry(autoload=False)
    assert registry.rule("review_due") == default_rule(ReviewDue)
    assert "churned_to_win_back" in registry.rules()
    fast = default_rule(UnacceptedToMarketing, key="fast_unaccepted", limit=timedelta(hours=2))
    registry.register_rule(fast)
    assert registry.rule("fast_unaccepted") is fast
    assert any(p.group == "leadlife.recycling" for p in registry.installed())


# -- service levels ---------------------------------------------------------


def test_a_level_that_starts_on_a_stage_needs_its_stage():
    with pytest.raises(ValidationError, match="a stage exactly when"):
        ServiceLevel(key="x", starts=Starts.ENTERED_STAGE, ends=Ends.LEFT_STAGE, limit=DAY)
    with pytest.raises(ValidationError, match="a stage exactly when"):
        ServiceLevel(key="x", starts=Starts.ANSWERED, ends=Ends.TOUCHED, limit=DAY, stage="lead")


def test_the_agenda_warns_then_reports_a_breach_and_apply_records_it(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready")
    due = Agenda()
    warnings = due([lead.record], AT + timedelta(hours=6, minutes=30))
    assert [(a.kind, a.source) for a in warnings] == [(ActionKind.SLA_WARNING, "acceptance")]
    breached = due([lead.record], AT + timedelta(hours=8))
    action = next(a for a in breached if a.kind is ActionKind.SLA_BREACHED)
    assert action.started_at == AT
    clock.set(AT + timedelta(hours=8))
    event = life.apply(lead, action, actor="agenda")
    assert isinstance(event, SlaBreached)
    assert lead.record.breaches[0].level == "acceptance"
    assert not [a for a in due([lead.record], AT + DAY) if a.source == "acceptance"]
    assert replay(lead.events) == lead.record


def test_first_touch_and_reply_levels(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready", "accept")
    late = AT + timedelta(hours=5)
    assert [a.source for a in agenda([lead.record], late) if a.kind is ActionKind.SLA_BREACHED] == [
        "first_touch"
    ]
    clock.set(AT + timedelta(hours=1))
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="x")
    sources = [a.source for a in agenda([lead.record], AT + 2 * DAY)]
    assert "first_touch" not in sources
    assert "reply" in sources


def test_a_stage_clock_stops_when_the_record_leaves_the_stage(life, clock):
    lead = walk(life, captured(life, owner="sam"), "engage", "mark_sales_ready", "accept")
    clock.advance(timedelta(hours=1))
    life.send(lead, "recycle", actor="sam")
    later = AT + 2 * DAY
    assert [a.source for a in agenda([lead.record], later) if a.source == "first_touch"] == []
    first = [r for r in compliance([lead], at=later) if r.level == "first_touch"]
    assert [(r.stage, r.met, r.breached, r.running) for r in first] == [("accepted", 1, 0, 0)]


def test_an_answer_clock_that_ends_on_leaving_the_stage(life, clock):
    level = ServiceLevel(key="wrap_up", starts=Starts.ANSWERED, ends=Ends.LEFT_STAGE, limit=DAY)
    lead = walk(life, captured(life), "engage")
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="x")
    assert [a.source for a in agenda([lead.record], AT + 2 * DAY, levels=[level])] == ["wrap_up"]
    clock.advance(timedelta(hours=1))
    life.send(lead, "mark_sales_ready", actor="x")
    assert agenda([lead.record], AT + 2 * DAY, levels=[level], rules=[]) == []
    rows = compliance([lead], [level], at=AT + 2 * DAY)
    assert [(r.met, r.breached) for r in rows] == [(1, 0)]


def test_compliance_per_owner_and_stage(life, clock):
    fast = walk(life, captured(life, "L-1", owner="sam"), "engage", "mark_sales_ready")
    clock.advance(timedelta(hours=2))
    life.send(fast, "accept", actor="sam")
    slow = walk(life, captured(life, "L-2", owner="kim"), "engage", "mark_sales_ready")
    clock.advance(DAY * 3)
    life.send(slow, "accept", actor="kim")
    waiting = walk(life, captured(life, "L-3", owner="kim"), "engage", "mark_sales_ready")
    clock.advance(DAY)
    life.assign(waiting, "lee", actor="x")
    rows = compliance([fast, slow, waiting], at=clock.now() + timedelta(minutes=1))
    acceptance = {(r.owner, r.met, r.breached, r.running) for r in rows if r.level == "acceptance"}
    assert acceptance == {("sam", 1, 0, 0), ("kim", 0, 2, 0)}
    sam = next(r for r in rows if r.level == "acceptance" and r.owner == "sam")
    assert (sam.stage, sam.rate) == ("sales_ready", 1.0)
    first = [r for r in rows if r.level == "first_touch"]
    assert {(r.owner, r.running, r.breached) for r in first} == {("sam", 0, 1), ("kim", 0, 1)}


def test_compliance_counts_running_clocks_and_answers(life, clock):
    lead = walk(life, captured(life, owner="sam"), "engage", "mark_sales_ready")
    rows = compliance([lead.events], at=AT + timedelta(hours=1))
    row = next(r for r in rows if r.level == "acceptance")
    assert (row.running, row.rate) == (1, None)
    clock.advance(timedelta(hours=1))
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="x")
    clock.advance(timedelta(hours=1))
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="x")
    rows = compliance([lead], at=clock.now())
    assert next(r for r in rows if r.level == "reply").met == 1


def answered_then_opted_out(life, clock):
    lead = walk(life, captured(life, owner="sam"), "engage")
    life.agree_follow_up(lead, FollowUpPlan(channel=Channel.PHONE, every=2 * DAY), actor="x")
    clock.advance(2 * DAY)
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="x")
    clock.advance(timedelta(hours=1))
    life.opt_out(lead, actor="x", note="please stop")
    return lead


def test_nobody_who_opted_out_is_chased_or_owed_a_reply(life, clock):
    lead = answered_then_opted_out(life, clock)
    assert lead.record.follow_up is None  # the request ended the plan
    for later in (timedelta(hours=2), 3 * DAY, 400 * DAY):
        assert agenda([lead.record], clock.now() + later) == []


def test_a_do_not_contact_consent_alone_stops_the_agenda(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready")
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="x")
    assert agenda([lead.record], AT + 3 * DAY) != []
    clock.advance(timedelta(hours=1))
    life.record_consent(lead, Consent(do_not_contact=True), actor="form")
    assert agenda([lead.record], AT + 3 * DAY) == []


def test_an_action_proposed_before_the_opt_out_is_not_applied_after_it(life, clock):
    lead = walk(life, captured(life), "engage")
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED, actor="x")
    stale = next(a for a in agenda([lead.record], AT + 3 * DAY) if a.source == "reply")
    clock.advance(timedelta(hours=1))
    life.opt_out(lead, actor="x")
    with pytest.raises(ValidationError, match="asked not to be contacted"):
        life.apply(lead, stale, actor="agenda")


def test_an_opt_out_withdraws_the_clocks_still_in_time(life, clock):
    lead = answered_then_opted_out(life, clock)
    rows = compliance([lead], at=clock.now() + 400 * DAY)
    reply = [r for r in rows if r.level == "reply"]
    assert [(r.met, r.breached, r.running, r.withdrawn) for r in reply] == [(0, 0, 0, 1)]


def test_an_opt_out_after_a_deadline_leaves_the_breach_counted(life, clock):
    lead = walk(life, captured(life, owner="sam"), "engage", "mark_sales_ready")
    clock.advance(3 * DAY)
    life.opt_out(lead, actor="x")
    rows = compliance([lead], at=clock.now())
    acceptance = [r for r in rows if r.level == "acceptance"]
    assert [(r.breached, r.withdrawn) for r in acceptance] == [(1, 0)]


def test_an_imported_record_starts_its_clock_where_it_stands(life):
    record = attrs.evolve(captured(life).record, stage="sales_ready", owner="sam")
    imported = life.start(record, actor="import")
    rows = compliance([imported], at=AT + 3 * DAY)
    assert [(r.level, r.breached) for r in rows] == [("acceptance", 1)]


# -- the agenda -------------------------------------------------------------


def test_follow_ups_due_and_the_time_stop_rule(life, clock):
    lead = walk(life, captured(life), "engage")
    plan = FollowUpPlan(channel=Channel.EMAIL, every=7 * DAY, give_up_after=30 * DAY)
    life.agree_follow_up(lead, plan, actor="x")
    assert agenda([lead.record], AT + 6 * DAY) == []
    [follow] = agenda([lead.record], AT + 7 * DAY)
    assert (follow.kind, follow.due_at) == (ActionKind.FOLLOW_UP, AT + 7 * DAY)
    [stop] = agenda([lead.record], AT + 30 * DAY)
    assert stop.kind is ActionKind.STOP_CHASE
    clock.set(AT + 30 * DAY)
    life.apply(lead, stop, actor="agenda")
    assert (lead.record.stage, lead.record.follow_up) == ("nurture", None)


def test_actions_come_longest_overdue_first_and_apply_through_the_funnel(life, clock):
    old = walk(life, captured(life, "L-1"), "engage")
    life.disqualify(old, reason=Reason.NO_NEED, review=date(2026, 3, 10), actor="x")
    ready = walk(life, captured(life, "L-2"), "engage", "mark_sales_ready")
    at = datetime(2026, 3, 20, 9, tzinfo=UTC)
    due = agenda([ready.record, old.record], at)
    assert [a.due_at for a in due] == sorted(a.due_at for a in due)
    review = next(a for a in due if a.kind is ActionKind.REVIEW)
    clock.set(at)
    moved = life.apply(old, review, actor="agenda")
    assert (moved.event, old.record.stage) == ("reopen", "lead")
    assert moved.payload["source"] == "review_due"


def test_a_record_recycled_too_often_is_flagged(life, clock):
    lead = walk(life, captured(life), "engage")
    for _ in range(2):
        walk(life, lead, "recycle", "reengage", "accept", "recycle", "reengage")
        life.send(lead, "recycle", actor="x")
        life.send(lead, "reengage", actor="x")
    assert lead.record.recycled == 6
    flags = [a for a in Agenda(max_recycles=3)([lead.record], AT) if a.kind is ActionKind.FLAG]
    assert flags[0].facts["recycled"] == 6


def test_apply_refuses_what_a_person_must_do_and_other_records(life):
    lead = walk(life, captured(life), "engage")
    follow = DueAction(
        kind=ActionKind.FOLLOW_UP, record_id=lead.record_id, due_at=AT, reason="due", source="plan"
    )
    assert not ActionKind.FOLLOW_UP.applicable
    with pytest.raises(ValidationError, match="need a person"):
        life.apply(lead, follow, actor="x")
    other = DueAction(
        kind=ActionKind.REVIEW,
        record_id=LeadId("L-9"),
        due_at=AT,
        reason="due",
        source="x",
        event="reopen",
    )
    with pytest.raises(ValidationError, match="an action for"):
        life.apply(lead, other, actor="x")


def test_the_agenda_validates_its_inputs():
    with pytest.raises(ValidationError, match="timezone-aware"):
        agenda([], datetime(2026, 3, 2))
    with pytest.raises(ValidationError, match="RecyclingRule"):
        Agenda(rules=[object()])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="ServiceLevel"):
        Agenda(levels=[object()])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="int >= 1"):
        Agenda(max_recycles=0)


# -- rules and levels belong to a funnel ---------------------------------------


def test_the_default_funnel_declares_its_rules_and_levels_beside_its_stages():
    stages = {stage.id for stage in DefaultFunnel.spec().stages}
    assert {rule.key for rule in DefaultFunnel.rules} >= {"lost_to_nurture", "review_due"}
    for rule in DefaultFunnel.rules:
        assert rule.stages <= stages
    assert [level.key for level in DefaultFunnel.levels] == ["acceptance", "first_touch", "reply"]


@pytest.mark.parametrize("cls", [LostToNurture, ReviewDue, ChurnedToWinBack])
def test_a_rule_names_its_stages_and_event_no_funnel_assumed(cls):
    with pytest.raises(TypeError, match="stages"):
        cls()


def test_a_rule_for_a_stage_the_funnel_lacks_is_refused_not_idle():
    tiny = funnel_from_spec(
        {
            "name": "Tiny",
            "stages": {"new": {"initial": True}, "done": {"final": True}},
            "transitions": [{"event": "finish", "source": "new", "target": "done"}],
        }
    )
    assert Agenda(tiny)([], AT) == []  # its own (no) rules
    with pytest.raises(ValidationError, match="'lost_to_nurture' watches 'lost', which"):
        Agenda(tiny, rules=DefaultFunnel.rules)
    wrong = default_rule(ReviewDue, stages={"lead"})
    with pytest.raises(ValidationError, match="proposes 'reopen' from 'lead', which allows"):
        Agenda(rules=[wrong])
    level = ServiceLevel(
        key="x", starts=Starts.ENTERED_STAGE, stage="limbo", ends=Ends.LEFT_STAGE, limit=DAY
    )
    with pytest.raises(ValidationError, match="'x' is about 'limbo'"):
        Agenda(levels=[level])


def test_an_agenda_over_histories_pairs_each_action_with_its_history(life, clock):
    ready = walk(life, captured(life, "L-1"), "engage", "mark_sales_ready")
    quiet = walk(life, captured(life, "L-2"), "engage")
    due = agenda([ready, quiet], AT + 3 * DAY)
    assert {history.record_id for history, _ in due} == {ready.record_id}
    for history, action in due:
        assert action.record_id == history.record_id
        if action.kind.applicable:
            life.apply(history, action, actor="agenda")
    assert ready.record.stage == "nurture"
    with pytest.raises(ValidationError, match="records or histories, not both"):
        agenda([ready, quiet.record], AT + 3 * DAY)
