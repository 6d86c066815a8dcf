"""A history knows its funnel: moves the funnel does not make are refused at append and replay."""

import pickle
from datetime import UTC, datetime

import pytest
from hypothesis import given

import strategies as s
from leadlife import (
    Contact,
    DefaultFunnel,
    FixedClock,
    History,
    Lead,
    LeadId,
    Lifecycle,
    RecordKind,
    Source,
    funnel_from_spec,
    replay,
)
from leadlife.errors import HistoryError, ReplayError
from leadlife.events import LeadCaptured, StageChanged

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def moved(event, source, target, **extra):
    return StageChanged(
        record_id=LeadId("L-1"),
        at=AT,
        actor="x",
        event=event,
        from_stage=source,
        to_stage=target,
        **extra,
    )


@pytest.fixture
def lead():
    life = Lifecycle(clock=FixedClock(AT))
    return life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )


def test_a_lifecycles_history_is_bound_to_its_funnel(lead):
    assert lead.funnel is DefaultFunnel
    with pytest.raises(HistoryError) as refused:
        lead.append(moved("win", "suspect", "customer"))
    assert str(refused.value) == (
        "StageChanged refused as event 1: funnel DefaultFunnel has no 'win' from 'suspect' "
        "(it allows engage, disqualify, opt_out)"
    )
    assert refused.value.index == 1
    assert len(lead) == 1


def test_replay_checks_against_the_funnel_naming_the_index_stage_and_event(lead):
    events = [lead[0], moved("engage", "suspect", "customer")]
    with pytest.raises(ReplayError) as refused:
        replay(events, funnel=DefaultFunnel)
    assert str(refused.value) == (
        "event 1 (StageChanged): funnel DefaultFunnel moves 'engage' from 'suspect' to lead, "
        "not 'customer'"
    )
    assert replay(events).stage == "customer"  # unbound: the caller's own risk, as before


def test_a_record_is_created_only_in_a_stage_its_kind_may_stand_in():
    def captured(stage):
        return LeadCaptured(
            record_id=LeadId("L-1"),
            at=AT,
            actor="x",
            lead=Lead(
                id=LeadId("L-1"),
                stage=stage,
                contact=Contact(name="Ada"),
                source=Source(channel="web"),
                created_at=AT,
            ),
        )

    with pytest.raises(
        ReplayError, match="'proposal' is a stage for an opportunity, not for a lead"
    ):
        History([captured("proposal")], funnel=DefaultFunnel)
    with pytest.raises(ReplayError, match="funnel DefaultFunnel has no stage 'limbo'"):
        History([captured("limbo")], funnel=DefaultFunnel)
    with pytest.raises(ReplayError, match="is not a Funnel class"):
        History([captured("lead")], funnel="DefaultFunnel")
    assert History([captured("lead")], funnel=DefaultFunnel).record.stage == "lead"


def test_a_lead_cannot_move_into_a_deal_stage_without_converting():
    assert (
        DefaultFunnel.refused_move(
            RecordKind.LEAD, "accepted", "qualify", "prospect", converts=False
        )
        == "'prospect' is a stage for a prospect, not for a lead"
    )
    assert (
        DefaultFunnel.refused_move(
            RecordKind.LEAD, "accepted", "qualify", "prospect", converts=True
        )
        is None
    )
    assert (
        DefaultFunnel.refused_move(RecordKind.LEAD, "limbo", "engage", "lead", converts=False)
        == "funnel DefaultFunnel has no stage 'limbo'"
    )


def test_a_spec_funnel_binds_too():
    tiny = funnel_from_spec(
        {
            "name": "Tiny",
            "stages": {"new": {"initial": True}, "done": {"final": True}},
            "transitions": [{"event": "finish", "source": "new", "target": "done"}],
        }
    )
    life = Lifecycle(funnel=tiny, clock=FixedClock(AT))
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    assert history.funnel is tiny
    with pytest.raises(HistoryError, match="funnel Tiny has no 'engage' from 'new'"):
        history.append(moved("engage", "new", "done"))


def test_a_bound_history_pickles_with_its_funnel(lead):
    back = pickle.loads(pickle.dumps(lead))  # noqa: S301 - our own bytes
    assert back.funnel is DefaultFunnel
    assert back == lead


@given(s.journeys())
def test_every_journey_a_lifecycle_makes_replays_under_its_funnel(histories):
    for history in histories:
        assert history.funnel is DefaultFunnel
        assert replay(history.events, funnel=DefaultFunnel) == history.record
        assert History(history.events, funnel=DefaultFunnel).record == history.record
