"""Sales-ready by score: crossings are events, the hand-off waits for one, the agenda acts."""

from datetime import UTC, datetime, timedelta

import pytest
from statemachine import State

from leadlife import (
    Contact,
    DefaultFunnel,
    Funnel,
    History,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    funnel_from_spec,
)
from leadlife.agenda import ActionKind, Agenda
from leadlife.errors import (
    FunnelDefinitionError,
    HistoryError,
    TransitionRefusedError,
    ValidationError,
)
from leadlife.events import ScoreCrossed, StageChanged
from leadlife.funnels import scored_funnel
from leadlife.scoring import (
    Activity,
    ActivityRule,
    Decay,
    FactRule,
    ScoreCrossing,
    ScoringModel,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
MODEL = ScoringModel(
    key="b2b",
    facts=[FactRule(key="referred", fact="source.channel", values=["referral"], points=20)],
    activities=[ActivityRule(key="demo", kind="form_fill", detail="demo", points=40)],
    decay=Decay(half_life=timedelta(days=14)),
    sales_ready=50,
)
SCORED = scored_funnel("b2b")


def lead(life):
    return life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="referral"),
        stage="lead",
        actor="form",
    )


def demo_request(at):
    return Activity(kind="form_fill", at=at, detail="demo")


def test_a_lead_crossing_the_threshold_is_handed_off_with_its_reasons():
    clock = SteppingClock(start=START, step=timedelta(minutes=1))
    life = Lifecycle(funnel=SCORED, clock=clock)
    history = lead(life)
    with pytest.raises(TransitionRefusedError) as refused:
        life.send(history, "mark_sales_ready", actor="sam")
    assert tuple(refused.value.failed_guards) == ("is_sales_ready",)
    assert "no score has crossed the sales-ready threshold" in str(refused.value)
    assert life.score(history, MODEL, actor="scoring").total == 20  # below: nothing recorded
    assert len(history) == 1
    score = life.score(history, MODEL, [demo_request(START)], actor="scoring")
    assert score.total == pytest.approx(60, abs=0.01)
    crossed, moved = history.events[-2:]
    assert isinstance(crossed, ScoreCrossed)
    assert crossed.crossing.ready is True
    assert crossed.crossing.reasons[0].startswith("+40 demo: form_fill demo on 2026-03-02")
    assert isinstance(moved, StageChanged)
    assert (moved.event, moved.to_stage) == ("mark_sales_ready", "sales_ready")
    assert moved.reason.startswith("score 60 by b2b reached its threshold of 50")
    assert History(history.events, funnel=SCORED).record == history.record


def test_only_crossings_are_recorded_up_and_down():
    clock = SteppingClock(start=START, step=timedelta(days=1))
    life = Lifecycle(clock=clock)  # the default funnel: no hand-off, crossings still recorded
    history = lead(life)
    asked = demo_request(START)
    for _ in range(3):
        life.score(history, MODEL, [asked], actor="scoring")
    crossings = [event.crossing for event in history if isinstance(event, ScoreCrossed)]
    assert [c.ready for c in crossings] == [True]
    assert history.record.stage == "lead"  # the default funnel does not hand off by score
    # A fortnight on, the demo request has halved: 20 + 20 < 50.
    clock.advance(timedelta(days=14))
    life.score(history, MODEL, [asked], actor="scoring")
    crossings = [event.crossing for event in history if isinstance(event, ScoreCrossed)]
    assert [c.ready for c in crossings] == [True, False]
    assert history.record.score == crossings[-1]
    assert "below its threshold" in repr(history.record._display_rows())


def test_a_crossing_the_same_way_twice_is_refused():
    life = Lifecycle(clock=SteppingClock(start=START, step=timedelta(minutes=1)))
    history = lead(life)
    down = ScoreCrossing(model="b2b", score=10, threshold=50, ready=False, at=START)
    with pytest.raises(HistoryError, match="below its threshold already"):
        history.append(
            ScoreCrossed(record_id=history.record_id, at=START, actor="x", crossing=down)
        )
    up = ScoreCrossing(model="b2b", score=60, threshold=50, ready=True, at=START)
    history.append(ScoreCrossed(record_id=history.record_id, at=START, actor="x", crossing=up))
    with pytest.raises(HistoryError, match="at or above its threshold already"):
        history.append(ScoreCrossed(record_id=history.record_id, at=START, actor="x", crossing=up))
    # Another model starts from below.
    other = ScoreCrossing(model="fit", score=60, threshold=50, ready=True, at=START)
    history.append(ScoreCrossed(record_id=history.record_id, at=START, actor="x", crossing=other))
    with pytest.raises(ValidationError) as caught:
        ScoreCrossing(model="b2b", score=10, threshold=50, ready=True, at=START)
    assert caught.value.field == "ready"


def test_the_agenda_hands_off_and_hands_back_by_score():
    clock = SteppingClock(start=START, step=timedelta(minutes=1))
    life = Lifecycle(funnel=SCORED, clock=clock)
    history = lead(life)
    life.score(history, MODEL, [demo_request(START)], actor="scoring", hand_off=False)
    agenda = Agenda(SCORED)
    (action,) = [a for a in agenda([history.record], clock.now()) if a.kind.value.startswith("s")]
    assert action.kind is ActionKind.SALES_READY
    assert action.event == "mark_sales_ready"
    assert action.facts["threshold"] == 50
    life.apply(history, action, actor="agenda")
    assert history.record.stage == "sales_ready"
    by_score = {ActionKind.SALES_READY, ActionKind.SCORE_DECAYED}
    assert not [a for a in agenda([history.record], clock.now()) if a.kind in by_score]
    # A month later nobody called: the score decays below, and the agenda sends it back.
    clock.advance(timedelta(days=30))
    life.score(history, MODEL, [demo_request(START)], actor="scoring")
    (back,) = [
        a for a in agenda([history.record], clock.now()) if a.kind is ActionKind.SCORE_DECAYED
    ]
    assert back.reason.startswith("score by b2b fell to")
    life.apply(history, back, actor="agenda")
    assert history.record.stage == "nurture"
    assert history.events[-1].payload["source"] == "b2b"


def test_the_agenda_of_an_unscored_funnel_proposes_nothing_by_score():
    life = Lifecycle(clock=SteppingClock(start=START, step=timedelta(minutes=1)))
    history = lead(life)
    life.score(history, MODEL, [demo_request(START)], actor="scoring")
    kinds = {a.kind for a in Agenda()([history.record], START + timedelta(hours=1))}
    assert not kinds & {ActionKind.SALES_READY, ActionKind.SCORE_DECAYED}


def test_a_scored_funnel_is_the_funnel_with_one_guard_more_and_travels_as_data():
    spec, base = SCORED.spec(), DefaultFunnel.spec()
    assert spec.scoring == "b2b"
    assert [t.event for t in spec.transitions] == [t.event for t in base.transitions]
    changed = [t for t, u in zip(spec.transitions, base.transitions, strict=True) if t != u]
    assert {t.event for t in changed} == {"mark_sales_ready"}
    assert all(t.guards[-1] == "is_sales_ready" for t in changed)
    again = funnel_from_spec(spec.to_dict())
    assert again.spec() == spec
    assert SCORED.rules == DefaultFunnel.rules
    assert SCORED.levels == DefaultFunnel.levels


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: scored_funnel("B2B"), "model"),
        (lambda: scored_funnel("b2b", events=["hand_over"]), "events"),
        (lambda: scored_funnel("b2b", events=[]), "events"),
        (lambda: scored_funnel("b2b", _OwnGuards, events=["finish"]), "funnel"),
    ],
)
def test_what_cannot_be_scored_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


class _OwnGuards(Funnel):
    new = State(initial=True)
    done = State(final=True)
    finish = new.to(done, cond="checked")

    def checked(self) -> bool:
        return True


def test_a_funnel_that_guards_by_score_must_name_its_model():
    with pytest.raises(FunnelDefinitionError, match="names no scoring"):

        class _Unnamed(Funnel):
            new = State(initial=True)
            ready = State(final=True)
            hand_over = new.to(ready, cond="is_sales_ready")

    with pytest.raises(FunnelDefinitionError, match="not a scoring model's key"):

        class _BadKey(Funnel):
            scoring = "Not A Key"
            new = State(initial=True)
            ready = State(final=True)
            hand_over = new.to(ready, cond="is_sales_ready")


def test_a_model_without_a_threshold_crosses_nothing():
    life = Lifecycle(funnel=SCORED, clock=SteppingClock(start=START, step=timedelta(minutes=1)))
    history = lead(life)
    plain = ScoringModel(key="b2b", facts=MODEL.facts)
    assert life.score(history, plain, actor="scoring").total == 20
    assert len(history) == 1
    with pytest.raises(ValidationError) as caught:
        life.score(history, "b2b", actor="scoring")
    assert caught.value.field == "model"
