"""Sales hands a lead back to marketing saying why: a move, not a silent drop (the closed loop)."""

from datetime import UTC, datetime

import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
from leadlife.agenda import Agenda
from leadlife.errors import TransitionRefusedError, ValidationError
from leadlife.funnels import DefaultFunnel
from leadlife.screening import RejectReason, Screening
from leadlife.sla import Side, compliance

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def life():
    return Lifecycle(clock=FixedClock(AT))


@pytest.fixture
def sales_ready(life):
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    for event in ("engage", "mark_sales_ready"):
        life.send(history, event, actor="mkt")
    return history


def test_a_rejected_lead_goes_back_to_marketing_with_the_reason(life, sales_ready):
    moved = life.reject(
        sales_ready, reason=RejectReason.NOT_A_DECISION_MAKER, note="an intern", actor="sam"
    )
    assert (moved.event, moved.from_stage, moved.to_stage, moved.reason) == (
        "reject",
        "sales_ready",
        "lead",
        "not a decision maker: an intern",
    )
    record = sales_ready.record
    assert record.screening == Screening(reason="not_a_decision_maker", note="an intern")
    assert replay(list(sales_ready)) == record
    life.send(sales_ready, "mark_sales_ready", actor="mkt")
    assert sales_ready.record.screening is None  # kept until its next move


def test_a_rejection_says_why_or_is_refused(life, sales_ready):
    with pytest.raises(TransitionRefusedError, match="has_screening"):
        life.send(sales_ready, "reject", actor="sam")
    with pytest.raises(ValidationError, match="a note saying what the OTHER reason is"):
        life.reject(sales_ready, reason=RejectReason.OTHER, actor="sam")
    with pytest.raises(ValidationError, match="reason"):
        life.reject(sales_ready, reason="Not Ready", actor="sam")
    assert sales_ready.record.stage == "sales_ready"


def test_only_a_sales_ready_lead_is_rejected(life, sales_ready):
    life.send(sales_ready, "accept", actor="sam")
    with pytest.raises(TransitionRefusedError):
        life.reject(sales_ready, reason=RejectReason.DUPLICATE, actor="sam")


def test_marketing_owes_rework_of_a_lead_sales_handed_back(life, sales_ready):
    life.reject(sales_ready, reason=RejectReason.NOT_SALES_READY, actor="sam")
    level = next(lv for lv in DefaultFunnel.levels if lv.key == "rework_handed_back")
    assert level.side is Side.MARKETING
    friday_5pm = datetime(2026, 3, 6, 17, tzinfo=UTC)  # 40 working hours after Monday 9 am
    later = datetime(2026, 3, 9, 9, tzinfo=UTC)
    due = [a for a in Agenda()([sales_ready.record], later) if a.source == level.key]
    assert [(a.kind.value, a.due_at) for a in due] == [("sla_breached", friday_5pm)]
    # A lead that simply sits in "lead" owes marketing nothing: only a hand-back starts it.
    fresh = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    life.send(fresh, "engage", actor="mkt")
    assert not [a for a in Agenda()([fresh.record], later) if a.source == level.key]
    rows = {row.level: row for row in compliance([sales_ready, fresh], at=later)}
    assert (rows["rework_handed_back"].stage, rows["rework_handed_back"].breached) == ("lead", 1)
    assert rows["acceptance"].met == 1


def test_reworking_in_time_meets_marketings_level(life, sales_ready):
    life.reject(sales_ready, reason=RejectReason.NOT_SALES_READY, actor="sam")
    life.send(sales_ready, "mark_sales_ready", actor="mkt", reason="now they have a budget")
    rows = {
        row.level: row for row in compliance([sales_ready], at=datetime(2026, 3, 9, tzinfo=UTC))
    }
    assert rows["rework_handed_back"].met == 1
