"""Objections answered, resolved or fatal; deals won for a reason: all events, all replayed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import (
    Contact,
    FixedClock,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    StageRecorder,
    replay,
)
from leadlife.agenda import Agenda, default_checks
from leadlife.errors import TransitionRefusedError, ValidationError
from leadlife.events import ObjectionAnswered, ObjectionRecorded, ObjectionResolved
from leadlife.funnels import DefaultFunnel
from leadlife.screening import Reason, Screening, Win, WinReason
from leadlife.serialization import from_json, to_json
from leadlife.values import (
    Objection,
    ObjectionKind,
    ObjectionResponse,
    ObjectionStatus,
    ResponseTactic,
)

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


def open_deal(life, stage="proposal"):
    return life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage=stage,
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            name="Pilot",
            amount=Money.of("5000", "EUR"),
            expected_close=date(2026, 6, 1),
            win_probability=0.4,
            created_at=AT - DAY,
        ),
        actor="import",
    )


@pytest.fixture
def deal(life):
    return open_deal(life)


def test_the_seeds_answers_per_objection():
    assert ObjectionKind.STALL.tactics == (
        ResponseTactic.ASK_WHY,
        ResponseTactic.ASSUME_THE_SALE,
        ResponseTactic.BE_DIRECT,
    )
    assert ObjectionKind.NO_BUDGET.tactics == (
        ResponseTactic.LOOK_AHEAD,
        ResponseTactic.APPEAL_TO_OTHERS,
    )
    assert ObjectionKind.OTHER.tactics == ()
    listed = {tactic for kind in ObjectionKind for tactic in kind.tactics}
    # Every tactic but OTHER answers some kind; no kind but OTHER goes unanswered.
    assert listed == set(ResponseTactic) - {ResponseTactic.OTHER}
    assert all(kind.tactics for kind in ObjectionKind if kind is not ObjectionKind.OTHER)


def test_an_objection_is_answered_then_resolved(life, deal, clock):
    life.record_objection(deal, ObjectionKind.PRICE, note="too expensive", actor="sam")
    clock.advance(DAY)
    answered = life.answer_objection(
        deal, 0, ResponseTactic.SPREAD_THE_COST, note="3 EUR a seat a day", actor="sam"
    )
    assert answered == ObjectionAnswered(
        record_id=OpportunityId("O-1"),
        at=AT + DAY,
        actor="sam",
        objection=0,
        tactic=ResponseTactic.SPREAD_THE_COST,
        note="3 EUR a seat a day",
    )
    objection = deal.record.objections[0]
    assert objection.open
    assert objection.answered
    assert objection.responses == (
        ObjectionResponse(
            tactic=ResponseTactic.SPREAD_THE_COST, by="sam", at=AT + DAY, note="3 EUR a seat a day"
        ),
    )
    assert deal.record.open_objections == {0: objection}
    clock.advance(DAY)
    resolved = life.resolve_objection(deal, 0, note="took the yearly plan", actor="kim")
    assert isinstance(resolved, ObjectionResolved)
    objection = deal.record.objections[0]
    assert (objection.status, objection.settled_at, objection.settled_note) == (
        ObjectionStatus.RESOLVED,
        AT + 2 * DAY,
        "took the yearly plan",
    )
    assert not objection.open
    assert deal.record.open_objections == {}
    assert replay(list(deal)) == deal.record


def test_a_settled_objection_takes_no_more_answers(life, deal):
    life.record_objection(deal, ObjectionKind.PRICE, actor="sam")
    life.record_objection(deal, ObjectionKind.STALL, actor="sam")
    life.resolve_objection(deal, 0, actor="sam")
    with pytest.raises(ValidationError) as refused:
        life.answer_objection(deal, 0, ResponseTactic.COMPARE, actor="sam")
    assert str(refused.value) == (
        "Lifecycle.answer_objection.objection: expected the index of an open objection: "
        "1 (stall), got 0"
    )
    with pytest.raises(
        ValidationError, match=r"resolve_objection\.objection: .*1 \(stall\), got 5"
    ):
        life.resolve_objection(deal, 5, actor="sam")
    life.resolve_objection(deal, 1, actor="sam")
    with pytest.raises(ValidationError, match="O-1 has none, got 1"):
        life.resolve_objection(deal, 1, actor="sam")
    with pytest.raises(ValidationError, match="got True"):
        life.resolve_objection(deal, True, actor="sam")
    assert len(deal) == 5  # nothing refused was recorded


def test_an_other_answer_says_what_it_was(life, deal):
    life.record_objection(deal, ObjectionKind.PRICE, actor="sam")
    with pytest.raises(ValidationError, match="a note saying what the OTHER answer was"):
        life.answer_objection(deal, 0, ResponseTactic.OTHER, actor="sam")
    with pytest.raises(ValidationError, match="tactic"):
        life.answer_objection(deal, 0, "compare", actor="sam")
    life.answer_objection(deal, 0, ResponseTactic.OTHER, note="a free pilot", actor="sam")
    assert deal.record.objections[0].responses[0].note == "a free pilot"


def test_a_lost_deal_names_the_objection_it_died_of(life, deal, clock):
    life.record_objection(deal, ObjectionKind.CHEAPER_ELSEWHERE, actor="sam")
    life.answer_objection(deal, 0, ResponseTactic.ANALYSE, actor="sam")
    clock.advance(DAY)
    moved = life.lose(
        deal,
        reason=Reason.CHOSE_COMPETITOR,
        note="Acme at 20% less",
        review=date(2026, 9, 1),
        objection=0,
        actor="sam",
    )
    assert moved.screening.objection == 0
    record = deal.record
    assert record.lost_on == Objection(
        kind=ObjectionKind.CHEAPER_ELSEWHERE,
        raised_at=AT,
        responses=record.objections[0].responses,
        status=ObjectionStatus.LOST_ON,
        settled_at=AT + DAY,
        settled_note="Acme at 20% less",
    )
    assert replay(list(deal)) == record
    assert from_json(to_json(deal)).record == record


def test_losing_on_an_objection_that_is_not_open_is_refused_before_anything_moves(life, deal):
    with pytest.raises(ValidationError, match=r"Lifecycle\.lose\.objection: .*O-1 has none, got 0"):
        life.lose(deal, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), objection=0, actor="s")
    assert deal.record.stage == "proposal"
    assert len(deal) == 1


def test_a_deal_is_won_for_a_reason(life, deal):
    moved = life.win(deal, WinReason.RELATIONSHIP, note="ten years of service", actor="sam")
    assert (moved.event, moved.to_stage, moved.reason) == (
        "win",
        "customer",
        "relationship: ten years of service",
    )
    assert moved.win == Win(reason="relationship", note="ten years of service")
    assert deal.record.win == moved.win
    assert deal.record.win_probability == 1.0
    assert replay(list(deal)) == deal.record


def test_a_win_reason_is_refused_where_nothing_is_won(life, deal):
    with pytest.raises(
        ValidationError,
        match=r"win: expected None: a Win is for a deal's move into a won stage \(customer\)",
    ):
        life.send(deal, "negotiate", actor="sam", win=Win(reason="value"))
    with pytest.raises(ValidationError, match="a note saying what the OTHER reason is"):
        life.win(deal, WinReason.OTHER, actor="sam")
    with pytest.raises(ValidationError, match=r"Lifecycle\.send\.win"):
        life.send(deal, "win", actor="sam", win="value")
    assert len(deal) == 1


def test_win_needs_one_way_to_win(life):
    deal = open_deal(life, stage="discovery")
    with pytest.raises(TransitionRefusedError):
        life.win(deal, WinReason.VALUE, actor="sam")


def test_a_bound_funnel_records_the_win_reason_too():
    class Row:
        stage = "negotiation"

    events = []
    recorder = StageRecorder(
        record_id=OpportunityId("O-9"), clock=FixedClock(AT), sink=events.append
    )
    funnel = DefaultFunnel(model=Row(), state_field="stage", listeners=[recorder])
    funnel.send("win", actor="sam", win=Win(reason=WinReason.PRICE))
    assert events[0].win == Win(reason="price")
    row = Row()
    row.stage = "negotiation"
    funnel = DefaultFunnel(model=row, state_field="stage", listeners=[recorder])
    with pytest.raises(ValidationError, match="won stage"):
        funnel.send(
            "lose",
            actor="sam",
            win=Win(reason=WinReason.PRICE),
            reason="x",
            review_on=date(2026, 9, 1),
            screening=Screening(reason=Reason.NO_BUDGET),
        )
    assert row.stage == "negotiation"


def test_the_agenda_flags_an_objection_nobody_answered(life, deal, clock):
    life.record_objection(deal, ObjectionKind.STALL, note="I'll think about it", actor="sam")
    life.record_objection(deal, ObjectionKind.PRICE, actor="sam")
    life.answer_objection(deal, 1, ResponseTactic.COMPARE, actor="sam")
    agenda = Agenda()
    assert [
        a
        for a in agenda([deal.record], AT + 7 * DAY - timedelta(seconds=1))
        if a.source == "unanswered_objection"
    ] == []
    flagged = [
        a for a in agenda([deal.record], AT + 10 * DAY) if a.source == "unanswered_objection"
    ]
    assert [(a.kind.value, a.due_at, a.reason, dict(a.facts)) for a in flagged] == [
        (
            "flag",
            AT + 7 * DAY,
            "objection raised 10 days ago (stall), no answer recorded",
            {"objection": 0, "kind": "stall", "raised_at": AT.isoformat()},
        )
    ]
    sooner = Agenda(checks=default_checks(answer_objections_within=timedelta(days=2)))
    assert [
        a.due_at for a in sooner([deal.record], AT + 3 * DAY) if a.source == "unanswered_objection"
    ] == [AT + 2 * DAY]
    life.answer_objection(deal, 0, ResponseTactic.ASK_WHY, actor="sam")
    assert [
        a for a in agenda([deal.record], AT + 10 * DAY) if a.source == "unanswered_objection"
    ] == []


def test_a_closed_deal_owes_no_answer(life, deal):
    life.record_objection(deal, ObjectionKind.STALL, actor="sam")
    life.win(deal, WinReason.VALUE, actor="sam")
    assert [
        a for a in Agenda()([deal.record], AT + 30 * DAY) if a.source == "unanswered_objection"
    ] == []
    with pytest.raises(ValidationError, match="within"):
        default_checks(answer_objections_within=7)  # type: ignore[arg-type]


def test_only_a_raised_objection_is_recorded_as_raised():
    settled = Objection(
        kind=ObjectionKind.PRICE, raised_at=AT, status=ObjectionStatus.RESOLVED, settled_at=AT
    )
    with pytest.raises(ValidationError, match="an objection as raised: open, with no answers yet"):
        ObjectionRecorded(record_id=OpportunityId("O-1"), at=AT, actor="s", objection=settled)


def test_an_objection_is_settled_exactly_when_it_is_not_open():
    with pytest.raises(
        ValidationError, match="settled_at: expected None while the objection is open"
    ):
        Objection(kind=ObjectionKind.PRICE, raised_at=AT, settled_at=AT)
    with pytest.raises(
        ValidationError, match="settled_at: expected a timezone-aware datetime, got None"
    ):
        Objection(kind=ObjectionKind.PRICE, raised_at=AT, status=ObjectionStatus.RESOLVED)
    with pytest.raises(ValidationError, match="a time after it was raised"):
        Objection(
            kind=ObjectionKind.PRICE,
            raised_at=AT,
            status=ObjectionStatus.RESOLVED,
            settled_at=AT - DAY,
        )


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["raise", "answer", "resolve", "lose"]),
        st.integers(min_value=0, max_value=4),
        st.sampled_from(ObjectionKind),
        st.sampled_from(ResponseTactic),
    ),
    max_size=25,
)


@given(OPERATIONS)
def test_objections_follow_their_events_and_replay_exactly(operations):
    clock = FixedClock(AT)
    life = Lifecycle(clock=clock)
    deal = open_deal(life)
    expected: list[str] = []  # our own model of each objection's status
    for name, index, kind, tactic in operations:
        clock.advance(timedelta(hours=5))
        if deal.record.stage != "proposal":
            break
        valid = index < len(expected) and expected[index] == "open"
        try:
            if name == "raise":
                life.record_objection(deal, kind, note="said", actor="sam")
                expected.append("open")
                continue
            if name == "answer":
                life.answer_objection(deal, index, tactic, note="said", actor="sam")
            elif name == "resolve":
                life.resolve_objection(deal, index, actor="sam")
                expected[index] = "resolved"
            else:
                life.lose(
                    deal,
                    reason=Reason.NO_BUDGET,
                    review=date(2027, 1, 1),
                    objection=index,
                    actor="sam",
                )
                expected[index] = "lost_on"
            assert valid
        except ValidationError:
            assert not valid
    record = deal.record
    assert [o.status.value for o in record.objections] == expected
    assert sorted(record.open_objections) == [i for i, s in enumerate(expected) if s == "open"]
    assert replay(list(deal)) == record
    assert from_json(to_json(deal)).record == record
    for objection in record.objections:
        assert (objection.settled_at is None) == objection.open
        assert all(r.at >= objection.raised_at for r in objection.responses)
