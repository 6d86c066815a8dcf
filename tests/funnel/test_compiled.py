"""The compiled funnel decides every move as python-statemachine does: a differential proof.

Each check runs a bare instance of the funnel class (python-statemachine's
engine, bound to a plain object in the stage) and the compiled table on the
same stage, event and guard answers, and compares accept/refuse and target.
The guards' answers are forced: a guard says yes when its name is in the
``truth`` argument of the event.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, combinations
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from statemachine.exceptions import TransitionNotAllowed

from leadlife import DefaultFunnel
from leadlife._funnel.base import FunnelMeta
from leadlife.errors import FunnelDefinitionError, ValidationError
from leadlife.funnels import REFUSED, Funnel, compile_funnel, funnel_from_spec


class _Row:
    stage: str | None = None


def _forced(guard: str) -> Any:
    def answer(self: Any = None, truth: frozenset[str] = frozenset()) -> bool:
        return guard in truth

    return answer


def forced(funnel: type[Funnel]) -> type[Funnel]:
    """``funnel`` with every guard it uses answering from the event's ``truth``."""
    guards = compile_funnel(funnel).guards
    namespace = {"__module__": __name__, **{name: _forced(name) for name in guards}}
    return FunnelMeta(f"Forced{funnel.__name__}", (funnel,), namespace)  # type: ignore[return-value]


def engine_decides(
    funnel: type[Funnel], stage: str, event: str, truth: frozenset[str]
) -> str | None:
    """What python-statemachine does with ``event`` from ``stage``: the target, or ``None``."""
    row = _Row()
    machine = funnel(model=row, start_value=stage)
    try:
        machine.send(event, truth=truth)
    except TransitionNotAllowed:
        return None
    return row.stage


def subsets(names: Iterable[str]) -> list[frozenset[str]]:
    names = list(names)
    return [
        frozenset(chosen)
        for chosen in chain.from_iterable(combinations(names, n) for n in range(len(names) + 1))
    ]


def agree_everywhere(funnel: type[Funnel], compiled_from: type[Funnel]) -> int:
    """Compare on every stage x event (and one unknown event) x guard answers; the count."""
    table = compile_funnel(compiled_from)
    compared = 0
    for stage in table.stages:
        for event in (*table.events, "no_such_event"):
            for truth in subsets(table.guards):
                expected = engine_decides(funnel, stage, event, truth)
                assert table.decide(stage, event, truth) == expected, (stage, event, sorted(truth))
                compared += 1
    return compared


@pytest.mark.slow  # exhaustive: every stage, event and guard answer
def test_the_default_funnel_agrees_on_every_stage_event_and_guard_answer():
    compared = agree_everywhere(forced(DefaultFunnel), DefaultFunnel)
    # 18 stages x (20 events + an unknown one) x 2**4 guard answers.
    assert compared == 18 * 21 * 16


def test_codes_and_masks_are_the_declaration_order():
    table = compile_funnel(DefaultFunnel)
    assert table.stages == tuple(stage.id for stage in DefaultFunnel.spec().stages)
    assert table.mask(["has_review_date", "not_a_guard"]) == table.guard_bits["has_review_date"]
    lead, disqualify = table.stage_codes["lead"], table.event_codes["disqualify"]
    assert table.step(lead, disqualify) == REFUSED
    every = table.mask(table.guards)
    assert table.stages[table.step(lead, disqualify, every)] == "disqualified"
    assert repr(table) == "<CompiledFunnel DefaultFunnel: 18 stages, 20 events, 61 transitions>"


def test_a_funnel_is_compiled_once_and_only_a_funnel_is():
    assert compile_funnel(DefaultFunnel) is compile_funnel(DefaultFunnel)
    with pytest.raises(ValidationError, match="a Funnel class"):
        compile_funnel(Funnel)  # the abstract base: no stages
    with pytest.raises(ValidationError, match="a Funnel class"):
        compile_funnel("DefaultFunnel")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"guards: expected guard names \(str\)"):
        compile_funnel(DefaultFunnel).mask([1])  # type: ignore[list-item]


# -- generated funnels ---------------------------------------------------------------------

POOL = ("g0", "g1", "g2")
EVENTS = ("step", "e0", "e1", "e2")


@st.composite
def funnels(draw: st.DrawFn) -> dict[str, Any]:
    """A random valid funnel spec: a chain to a terminal stage, and random moves beside it."""
    size = draw(st.integers(min_value=1, max_value=5))
    working = [f"s{index}" for index in range(size)]
    recycle = draw(st.sets(st.sampled_from(working[1:] or ["none"])))
    stages: dict[str, Any] = {stage: {"recycle": stage in recycle} for stage in working}
    stages["s0"]["initial"] = True
    stages["end"] = {"final": True}
    chain_moves = [
        {"event": "step", "source": source, "target": target}
        for source, target in zip(working, [*working[1:], "end"], strict=True)
    ]
    extra = []
    for _ in range(draw(st.integers(min_value=0, max_value=10))):
        move = {
            "event": draw(st.sampled_from(EVENTS)),
            "source": draw(st.sampled_from(working)),
            "target": draw(st.sampled_from([*working, "end"])),
        }
        for key in ("guards", "unless"):
            names = draw(st.lists(st.sampled_from(POOL), max_size=2, unique=True))
            if names:  # the data form wants a name or more, or no key
                move[key] = names
        extra.append(move)
    # Guarded moves first, sometimes: the first transition whose guards pass wins.
    moves = draw(st.permutations([*chain_moves, *extra]))
    return {"name": "Generated", "stages": stages, "transitions": moves}


GUARDS = {name: _forced(name) for name in POOL}


@pytest.mark.slow  # 150 generated funnels, each against python-statemachine
@settings(max_examples=150, deadline=None)
@given(funnels())
def test_generated_funnels_agree_with_python_statemachine(spec):
    try:
        funnel = funnel_from_spec(spec, guards=GUARDS)
    except FunnelDefinitionError:
        assume(False)  # a draw python-statemachine itself refuses (say, the same move twice)
    compared = agree_everywhere(funnel, funnel)
    assert compared > 0
