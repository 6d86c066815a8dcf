"""Events from a funnel bound to the application's own objects."""

from datetime import UTC, date, datetime

import pytest

from leadlife import DefaultFunnel, FixedClock, LeadId, OpportunityId, StageRecorder
from leadlife.errors import TransitionRefusedError, ValidationError
from leadlife.events import StageChanged
from leadlife.screening import Reason, Screening

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
    with pytest.raises(TransitionRefusedError, match="cannot 'win'"):
        funnel.send("win", actor="ada")
    assert events == []


def test_the_initial_activation_is_not_a_move():
    _, events = bound(LeadRow(1), record_id=LeadId("L-1"))
    assert events == []


class SinkDown(Exception):
    pass


def test_a_failing_sink_leaves_the_row_where_it_was():
    row = LeadRow(1)

    def sink(event):
        assert row.stage == "suspect"  # handed over before the stage is written
        raise SinkDown

    recorder = StageRecorder(record_id=LeadId("L-1"), clock=FixedClock(AT), sink=sink)
    funnel = DefaultFunnel(model=row, listeners=[recorder])
    with pytest.raises(SinkDown):
        funnel.send("engage", actor="ada")
    assert row.stage == "suspect"


def test_an_error_after_the_hand_over_puts_the_row_back_with_the_event_handed_over():
    class Auditor:
        def after_transition(self):
            raise SinkDown

    row = LeadRow(1)
    events: list[StageChanged] = []
    recorder = StageRecorder(record_id=LeadId("L-1"), clock=FixedClock(AT), sink=events.append)
    funnel = DefaultFunnel(model=row, listeners=[recorder, Auditor()])
    with pytest.raises(SinkDown):
        funnel.send("engage", actor="ada")
    assert row.stage == "suspect"  # put back: the app rolls its transaction (and sink) back
    assert [(e.from_stage, e.to_stage) for e in events] == [("suspect", "lead")]


def test_a_move_means_the_same_as_through_a_lifecycle():
    row = LeadRow(1, stage="lead")
    funnel, events = bound(row, record_id=LeadId("L-1"))
    funnel.send("recycle", actor="ada")
    assert events[0].recycles
    deal_row = LeadRow(2, stage="negotiation")
    deal_funnel, deal_events = bound(deal_row, record_id=OpportunityId("O-2"))
    deal_funnel.send("win", actor="ada")
    assert deal_events[0].win_probability == 1.0


def test_a_screening_given_to_send_is_kept():
    row = LeadRow(1, stage="lead")
    funnel, events = bound(row, record_id=LeadId("L-1"))
    screening = Screening(reason=Reason.NOT_A_FIT, told=True)
    funnel.send("disqualify", actor="ada", screening=screening, review_on=date(2030, 1, 1))
    assert events[0].screening == screening
