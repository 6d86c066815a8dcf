"""Service levels: their timers, breaches, and compliance."""

from datetime import timedelta

import attrs
import pytest

from book import AT, DAY, captured, walk
from leadlife import (
    Consent,
    replay,
)
from leadlife.agenda import ActionKind, Agenda, agenda
from leadlife.errors import ValidationError
from leadlife.events import SlaBreached
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife.sla import Ends, ServiceLevel, Starts, compliance

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
