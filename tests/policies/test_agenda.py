"""The agenda: what is due across a book, and applying it."""

from datetime import UTC, date, datetime

import pytest

from book import AT, DAY, captured, walk
from leadlife import (
    LeadId,
)
from leadlife.agenda import ActionKind, Agenda, DueAction, agenda, default_checks
from leadlife.errors import ValidationError
from leadlife.followup import Channel, FollowUpPlan
from leadlife.screening import Reason

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
    flags = [
        a
        for a in Agenda(checks=default_checks(max_recycles=3))([lead.record], AT)
        if a.kind is ActionKind.FLAG
    ]
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
        default_checks(max_recycles=0)
    with pytest.raises(ValidationError, match="Check objects"):
        Agenda(checks=[object()])  # type: ignore[list-item]


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


def test_nothing_is_due_on_a_record_that_was_converted():
    # A converted record refuses every further event: its journey goes on in the
    # record it became, so the agenda must not propose anything for it (the
    # demo's prospect P-1, converted to O-1, was once proposed a recycle).
    from leadlife._adapters.demo import run  # noqa: PLC0415

    journeys, _ = run()
    records = [history.record for journey in journeys for history in journey]
    converted = {record.id for record in records if record.converted_to is not None}
    assert converted
    due = agenda(records, datetime(2026, 11, 1, 9, tzinfo=UTC))
    assert due
    assert not [action for action in due if action.record_id in converted]


def test_what_an_action_applies_is_typed_by_its_kind():
    from leadlife.agenda import RecordBreach, SendEvent, StopChase  # noqa: PLC0415

    at = datetime(2026, 3, 2, tzinfo=UTC)
    base = {"record_id": LeadId("L-1"), "due_at": at, "reason": "r", "source": "src"}
    for kind in (ActionKind.RECYCLE, ActionKind.REVIEW, ActionKind.SALES_READY):
        action = DueAction(kind=kind, event="recycle", review_on=date(2026, 9, 1), **base)
        assert action.applies == SendEvent(event="recycle", review_on=date(2026, 9, 1))
        assert DueAction(kind=kind, **base).applies is None  # a move with no event: a person
    assert DueAction(kind=ActionKind.STOP_CHASE, **base).applies == StopChase()
    breached = DueAction(kind=ActionKind.SLA_BREACHED, started_at=at, **base)
    assert breached.applies == RecordBreach(level="src", started_at=at, due_at=at)
    for kind in (ActionKind.FOLLOW_UP, ActionKind.FLAG, ActionKind.SLA_WARNING):
        assert DueAction(kind=kind, **base).applies is None
        assert not kind.applicable
