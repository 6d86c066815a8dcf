"""A lifecycle on the compiled table and one on python-statemachine: same histories, same errors.

python-statemachine is the reference: a ``Lifecycle`` whose engine is told to
run every move on the machine (``on_table = False``) is the oracle, and one
left to decide moves by table is compared with it. A stateful test drives
both with the same random operations (captures, events with and without the
reasons, review dates and screenings the guards read, unknown events,
qualifications with and without evidence, deals opened) and after each one
asserts the same result or the same error (type and words), the same
histories, and the same callbacks called in the same order. Funnels: the
default, a funnel whose guards read every argument the machine passes them
(and one that raises), a subclass with callbacks (which must run on its
machine, callbacks and all), and funnels generated from specs.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, ClassVar

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from statemachine import State

from leadlife import (
    Contact,
    DefaultFunnel,
    Funnel,
    History,
    LeadId,
    Lifecycle,
    OpportunityId,
    Prospect,
    ProspectId,
    Source,
    Stage,
    SteppingClock,
)
from leadlife.funnels import funnel_from_spec
from leadlife.screening import Reason, Screening
from strategies import qualifying_evidence

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
CALLS: list[tuple[str, ...]] = []
"""What the funnels' own guards and callbacks were called with, in order."""


class Exploded(RuntimeError):
    """Raised by a guard or a callback on purpose."""


class Guarded(Funnel):
    """Guards reading every argument python-statemachine passes, ``unless``, one that raises."""

    new = Stage("New", initial=True)
    working = Stage("Working")
    nurture = Stage("Nurture", recycle=True)
    closed = Stage("Closed", final=True)

    work = new.to(working, cond="looks_right") | new.to(nurture)
    park = working.to(nurture, unless="has_reason")
    revive = nurture.to(working, cond=["has_reason", "not_blocked"])
    close = closed.from_(new, working, nurture, cond=["has_reason", "open_for_business"])
    blow = working.to(closed, cond="explodes") | working.to(nurture)

    def looks_right(  # noqa: PLR0917 - every argument the machine passes
        self,
        event: Any,
        machine: Any,
        model: Any,
        transition: Any,
        state: Any,
        source: Any,
        target: Any,
        record: Any = None,
        at: Any = None,
        actor: Any = None,
        reason: str | None = None,
    ) -> bool:
        CALLS.append(
            (
                "looks_right",
                str(event),
                str(machine is self),
                str(model.stage),
                str(transition.target.id),
                str(state.id),
                str(source.id),
                str(target.id),
                str(record.id),
                str(at),
                str(actor),
                str(reason),
            )
        )
        return reason != "no"

    open_for_business = True  # a guard may be an attribute: read, not called

    def not_blocked(self, payload: Any = None) -> bool:
        return not (payload and payload.get("blocked"))

    def explodes(self, reason: str | None = None) -> bool:
        if reason == "boom":
            raise Exploded("the guard exploded")
        return reason == "yes"


class WithCallbacks(DefaultFunnel):
    """The default funnel with callbacks: they must run, in python-statemachine's order."""

    def before_transition(self, event: Any, source: Any) -> None:
        CALLS.append(("before_transition", str(event), str(source.id)))

    def on_exit_state(self, state: Any) -> None:
        CALLS.append(("on_exit_state", str(state.id)))

    def on_enter_state(self, target: Any, reason: str | None = None) -> None:
        CALLS.append(("on_enter_state", str(target.id)))
        if reason == "boom":
            raise Exploded("the callback exploded")

    def after_engage(self, record: Any) -> None:
        CALLS.append(("after_engage", str(record.id)))


def spec_funnel(moves: list[dict[str, Any]], recycle: bool) -> type[Funnel]:
    stages: dict[str, Any] = {
        "s0": {"initial": True},
        "s1": {},
        "s2": {"recycle": recycle},
        "end": {"final": True},
    }
    chain = [
        {"event": "step", "source": source, "target": target}
        for source, target in (("s0", "s1"), ("s1", "s2"), ("s2", "end"))
    ]
    return funnel_from_spec({"name": "Generated", "stages": stages, "transitions": moves + chain})


GUARDS = ("has_reason", "has_review_date", "has_screening", "is_their_request")
SPEC_EVENTS = ("step", "e0", "e1")


@st.composite
def spec_funnels(draw: st.DrawFn) -> type[Funnel]:
    moves = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        move: dict[str, Any] = {
            "event": draw(st.sampled_from(SPEC_EVENTS)),
            "source": draw(st.sampled_from(("s0", "s1", "s2"))),
            "target": draw(st.sampled_from(("s0", "s1", "s2", "end"))),
        }
        for key in ("guards", "unless"):
            names = draw(st.lists(st.sampled_from(GUARDS), max_size=2, unique=True))
            if names:
                move[key] = names
        moves.append(move)
    return spec_funnel(moves, draw(st.booleans()))


FUNNELS = st.one_of(
    st.sampled_from([DefaultFunnel, Guarded, WithCallbacks]),
    spec_funnels(),
)
REASONS = st.sampled_from([None, "", "  ", "why", "no", "yes", "boom"])
REVIEWS = st.sampled_from([None, date(2026, 1, 1), date(2026, 3, 2), date(2027, 1, 1)])
SCREENINGS = st.sampled_from(
    [
        None,
        Screening(reason=Reason.NO_BUDGET),
        Screening(reason=Reason.ASKED_NOT_TO_BE_CONTACTED),
    ]
)
PAYLOADS = st.sampled_from([None, {"blocked": True}, {"note": "x"}])


def outcome(call: Any) -> tuple[Any, ...]:
    """What a call did: its result, or its error (type, words, the fields it carries)."""
    start = len(CALLS)
    try:
        result = call()
    except Exception as error:  # noqa: BLE001 - every error is compared, whatever it is
        fields = {
            name: getattr(error, name)
            for name in ("record_id", "stage", "event", "allowed", "failed_guards", "reasons")
            if hasattr(error, name)
        }
        return ("raised", type(error), str(error), fields, CALLS[start:])
    shown = result.events if isinstance(result, History) else result
    return ("returned", shown, CALLS[start:])


class TableAgainstMachine(RuleBasedStateMachine):
    """The same operations on a table-backed and a machine-backed lifecycle."""

    step: ClassVar[timedelta] = timedelta(hours=5)

    @initialize(funnel=FUNNELS)
    def start(self, funnel: type[Funnel]) -> None:
        self.funnel = funnel
        framework = "bant" if funnel.qualification else None
        self.lives = []
        for on_table in (True, False):
            life = Lifecycle(
                funnel,
                clock=SteppingClock(start=START, step=self.step),
                framework=framework,
            )
            life._engine.on_table &= on_table
            self.lives.append(life)
        table_life, machine_life = self.lives
        assert not machine_life._engine.on_table
        # A funnel with callbacks runs them: on its machine, never on the table.
        assert table_life._engine.on_table is (funnel is not WithCallbacks)
        self.histories: list[tuple[History[Any], History[Any]]] = []
        self.stages = [stage.id for stage in funnel.spec().stages if stage.kind is None]
        self.count = 0

    def both(self, call: Any) -> tuple[Any, ...]:
        """Run ``call(life, index)`` on both lifecycles; assert they did the same."""
        table_side = outcome(lambda: call(self.lives[0], 0))
        machine_side = outcome(lambda: call(self.lives[1], 1))
        assert table_side == machine_side
        return table_side

    @rule(data=st.data())
    def capture(self, data: st.DataObject) -> None:
        stage = data.draw(st.sampled_from(self.stages))
        self.count += 1
        lead_id = LeadId(f"L-{self.count}")
        results: list[History[Any]] = []

        def capture(life: Lifecycle, _: int) -> History[Any]:
            history = life.capture(
                id=lead_id,
                contact=Contact(name="Ada"),
                source=Source(channel="web"),
                stage=stage,
                actor="test",
            )
            results.append(history)
            return history

        if self.both(capture)[0] == "returned":
            self.histories.append((results[0], results[1]))

    @rule(
        data=st.data(),
        reason=REASONS,
        review_on=REVIEWS,
        screening=SCREENINGS,
        payload=PAYLOADS,
    )
    def send(
        self,
        data: st.DataObject,
        reason: str | None,
        review_on: date | None,
        screening: Screening | None,
        payload: dict[str, Any] | None,
    ) -> None:
        if not self.histories:
            return
        pair = data.draw(st.sampled_from(self.histories))
        event = data.draw(st.sampled_from([*self.funnel.spec().events, "no_such_event"]))
        self.both(
            lambda life, side: life.send(
                pair[side],
                event,
                actor="test",
                reason=reason,
                review_on=review_on,
                screening=screening,
                payload=payload,
            )
        )

    @rule(data=st.data(), evidence=st.booleans())
    def qualify(self, data: st.DataObject, evidence: bool) -> None:
        if not self.histories:
            return
        pair = data.draw(st.sampled_from(self.histories))
        self.count += 1
        prospect_id = ProspectId(f"P-{self.count}")
        results: list[History[Any]] = []

        def qualify(life: Lifecycle, side: int) -> History[Any]:
            history = pair[side]
            given = qualifying_evidence(life.clock.now()) if evidence else None
            prospect = life.qualify(history, prospect_id=prospect_id, evidence=given, actor="t")
            results.append(prospect)
            return prospect

        if self.both(qualify)[0] == "returned":
            self.histories.append((results[0], results[1]))

    @rule(data=st.data())
    def open_opportunity(self, data: st.DataObject) -> None:
        prospects = [pair for pair in self.histories if isinstance(pair[0].record, Prospect)]
        if not prospects:
            return
        pair = data.draw(st.sampled_from(prospects))
        self.count += 1
        deal_id = OpportunityId(f"O-{self.count}")
        results: list[History[Any]] = []

        def open_deal(life: Lifecycle, side: int) -> History[Any]:
            deal = life.open_opportunity(pair[side], opportunity_id=deal_id, actor="t")
            results.append(deal)
            return deal

        if self.both(open_deal)[0] == "returned":
            self.histories.append((results[0], results[1]))

    @invariant()
    def the_same_histories(self) -> None:
        for table_side, machine_side in getattr(self, "histories", ()):
            assert table_side.events == machine_side.events


TableAgainstMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None
)
test_the_table_decides_as_the_machine = TableAgainstMachine.TestCase
# Seven seconds of stateful runs: the slow tier (the README's tier stays under five minutes).
test_the_table_decides_as_the_machine.pytestmark = [pytest.mark.slow]


def test_the_table_runs_where_the_funnel_has_only_guards() -> None:
    """Which funnels run on the table, and the words that say why one cannot."""
    assert Lifecycle()._engine.on_table
    assert Lifecycle(Guarded, framework=None)._engine.on_table
    callbacks = Lifecycle(WithCallbacks)._engine
    assert not callbacks.on_table
    assert callbacks._plan.machine_only == (
        "funnel WithCallbacks has callbacks (after_engage, before_transition, on_enter_state, "
        "on_exit_state)"
    )


class _WithEventData(Funnel):
    new = State(initial=True)
    done = State(final=True)
    finish = new.to(done, cond="reads_event_data")

    def reads_event_data(self, event_data: Any) -> bool:
        return event_data is not None


class _WithKeywords(Funnel):
    new = State(initial=True)
    done = State(final=True)
    finish = new.to(done, cond="takes_anything")

    def takes_anything(self, **kwargs: Any) -> bool:
        return "event_data" in kwargs


class _WithExpression(Funnel):
    new = State(initial=True)
    done = State(final=True)
    finish = new.to(done, cond="has_reason and not is_their_request")


@pytest.mark.parametrize(
    ("funnel", "why"),
    [
        (_WithEventData, "funnel _WithEventData's guard reads_event_data asks for event_data"),
        (_WithKeywords, "funnel _WithKeywords's guard takes_anything takes *args or **kwargs"),
        (
            _WithExpression,
            (
                "funnel _WithExpression's guard has_reason and not is_their_request is an "
                "expression (the machine evaluates it)"
            ),
        ),
    ],
)
def test_guards_only_a_machine_can_answer_run_on_the_machine(
    funnel: type[Funnel], why: str
) -> None:
    engine = Lifecycle(funnel, framework=None)._engine
    assert not engine.on_table
    assert engine._plan.machine_only == why
    history = Lifecycle(funnel, framework=None).capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="t"
    )
    life = Lifecycle(funnel, framework=None)
    assert life.send(history, "finish", actor="t", reason="why").to_stage == "done"


def test_a_trusted_guard_is_taken_without_building_a_machine() -> None:
    life = Lifecycle(trusted_guards=["is_qualified"], framework=None)
    engine = life._engine
    (choice,) = engine._plan.choices["accepted", "qualify"]
    assert not choice.guarded
    (untrusted,) = Lifecycle()._engine._plan.choices["accepted", "qualify"]
    assert untrusted.guarded
