"""What each recycling rule proposes, field by field: the agenda shows it as is."""

from datetime import UTC, date, datetime, timedelta

import attrs

from book import AT, DAY, captured, default_rule, walk
from leadlife import LeadId
from leadlife.agenda import ActionKind, DueAction
from leadlife.followup import Channel, TouchOutcome
from leadlife.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)
from leadlife.screening import Reason, Screening
from leadlife.sla import BusinessCalendar

L1 = LeadId("L-1")


def test_a_lost_deal_names_its_reason_in_words_and_facts(life):
    record = attrs.evolve(
        captured(life).record,
        stage="lost",
        screening=Screening(reason=Reason.NO_BUDGET),
    )
    assert default_rule(LostToNurture)(record, AT + DAY) == DueAction(
        kind=ActionKind.RECYCLE,
        record_id=L1,
        due_at=AT,
        reason="lost for no budget: nurture, review later",
        source="lost_to_nurture",
        event="recycle",
        review_on=date(2026, 6, 1),
        facts={"lost_since": "2026-03-02T09:00:00+00:00", "reason": "no_budget"},
    )


def test_an_unaccepted_lead_says_since_when_and_the_limit(life):
    record = walk(life, captured(life), "engage", "mark_sales_ready").record
    rule = default_rule(UnacceptedToMarketing, limit=timedelta(hours=36))
    assert rule(record, AT + 2 * DAY) == DueAction(
        kind=ActionKind.RECYCLE,
        record_id=L1,
        due_at=AT + timedelta(hours=36),
        reason="sales-ready since 2026-03-02 09:00+00:00, not accepted in time",
        source="unaccepted_to_marketing",
        event="recycle",
        facts={"sales_ready_since": "2026-03-02T09:00:00+00:00", "limit_hours": 36.0},
    )


def test_an_unaccepted_lead_counts_working_hours_on_a_calendar(life):
    # Friday 17:00 plus 8 working hours is Monday 17:00, not Saturday 01:00.
    friday = datetime(2026, 3, 6, 17, tzinfo=UTC)
    record = attrs.evolve(
        captured(life).record, stage="sales_ready", stage_since=friday, updated_at=friday
    )
    rule = default_rule(
        UnacceptedToMarketing, limit=timedelta(hours=8), calendar=BusinessCalendar()
    )
    monday = datetime(2026, 3, 9, 17, tzinfo=UTC)
    assert rule(record, monday - timedelta(minutes=1)) is None
    assert rule(record, monday).due_at == monday


def test_an_idle_deal_says_when_it_last_moved(life):
    record = attrs.evolve(captured(life).record, stage="proposal")
    rule = default_rule(IdleDealToNurture, idle=timedelta(days=10))
    assert rule(record, AT + 11 * DAY) == DueAction(
        kind=ActionKind.RECYCLE,
        record_id=L1,
        due_at=AT + 10 * DAY,
        reason="no activity in proposal since 2026-03-02",
        source="idle_deal_to_nurture",
        event="recycle",
        facts={"last_activity": "2026-03-02T09:00:00+00:00", "idle_days": 10},
    )


def test_a_reengaged_lead_says_which_answer(life, clock):
    lead = walk(life, captured(life), "engage", "recycle")
    clock.advance(DAY)
    life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="x")
    clock.advance(DAY)
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
    assert default_rule(ReengagedToSalesReady)(lead.record, clock.now()) == DueAction(
        kind=ActionKind.RECYCLE,
        record_id=L1,
        due_at=AT + DAY,
        reason="answered a phone touch while in nurture",
        source="reengaged_to_sales_ready",
        event="reengage",
        facts={"answered_at": "2026-03-03T09:00:00+00:00", "outcome": "reached"},
    )


def test_an_answer_at_the_very_moment_of_nurture_counts(life):
    lead = walk(life, captured(life), "engage", "recycle")
    life.touch(lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="x")
    assert lead.record.touches[-1].at == lead.record.stage_since
    assert default_rule(ReengagedToSalesReady)(lead.record, AT).due_at == AT


def test_a_review_is_due_from_the_start_of_its_day(life):
    lead = walk(life, captured(life), "engage")
    life.disqualify(lead, reason=Reason.BAD_TIMING, review=date(2026, 4, 1), actor="x")
    assert default_rule(ReviewDue)(lead.record, datetime(2026, 4, 2, 8, tzinfo=UTC)) == DueAction(
        kind=ActionKind.REVIEW,
        record_id=L1,
        due_at=datetime(2026, 4, 1, tzinfo=UTC),
        reason="the screen-out is due for review on 2026-04-01",
        source="review_due",
        event="reopen",
        facts={"review_on": "2026-04-01"},
    )


def test_a_churned_customer_says_when_they_left(life):
    record = attrs.evolve(captured(life).record, stage="churned")
    assert default_rule(ChurnedToWinBack)(record, AT + 31 * DAY) == DueAction(
        kind=ActionKind.RECYCLE,
        record_id=L1,
        due_at=AT + 30 * DAY,
        reason="churned on 2026-03-02: time to win them back",
        source="churned_to_win_back",
        event="win_back",
        facts={"churned_at": "2026-03-02T09:00:00+00:00"},
    )
