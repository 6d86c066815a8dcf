"""Events from a funnel bound to the application's own objects."""

from datetime import UTC, date, datetime

import pytest

from leadlife import (
    DefaultFunnel,
    FixedClock,
    LeadId,
    Reason,
    Screening,
    StageChanged,
    StageRecorder,
    ValidationError,
)

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


class LeadRow:
    def __init__(self, pk: int, stage: str | None = None) -> None:
        self.pk = pk
        self.stage = stage


def bound(row, **options):
    events: list[StageChanged] = []
    recorder = StageRecorder(clock=FixedClock(AT), sink=events.append, **options)
    return DefaultFunnel(model=row, listeners=[recorder]), events


def test_each_move_becomes_one_event():
    row = LeadRow(7)
    funnel, events = bound(row, record_id=lambda model: LeadId(str(model.pk)))
    funnel.send("engage", actor="ada", reason="replied", payload={"mail": 3})
    funnel.send(
        "disqualify",
        actor="bob",
        reason="no budget",
        screening=Screening(reason=Reason.NO_BUDGET),
        review_on=date(2030, 1, 1),
    )
    assert [(e.event, e.from_stage, e.to_stage) for e in events] == [
        ("engage", "suspect", "lead"),
        ("disqualify", "lead", "disqualified"),
    ]
    first, second = events
    assert (first.record_id, first.at, first.actor, first.reason) == (
        LeadId("7"),
        AT,
        "ada",
        "replied",
    )
    assert first.payload == {"mail": 3}
    assert second.review_on == date(2030, 1, 1)


def test_a_fixed_record_id_and_a_default_actor():
    funnel, events = bound(LeadRow(1), record_id=LeadId("L-1"), actor="crm-sync")
    funnel.send("engage")
    assert (events[0].record_id, events[0].actor) == (LeadId("L-1"), "crm-sync")


def test_a_move_without_an_actor_does_not_happen():
    row = LeadRow(1)
    funnel, events = bound(row, record_id=LeadId("L-1"))
    with pytest.raises(ValidationError, match=r"StageChanged\.actor"):
        funnel.send("engage")
    assert row.stage == "suspect"
    assert events == []


def test_a_refused_move_records_nothing():
    funnel, events = bound(LeadRow(1), record_id=LeadId("L-1"))
    with pytest.raises(Exception, match="Can't"):
        funnel.send("win", actor="ada")
    assert events == []


def test_the_initial_activation_is_not_a_move():
    _, events = bound(LeadRow(1), record_id=LeadId("L-1"))
    assert events == []
