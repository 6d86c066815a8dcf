"""Checking moves in bulk decides every move as the compiled funnel does, one at a time."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import DefaultFunnel
from leadlife.bulk import MAX_DENSE_GUARDS, Refusal, check_moves
from leadlife.errors import ValidationError
from leadlife.funnels import REFUSED, compile_funnel, funnel_from_spec

TABLE = compile_funnel(DefaultFunnel)


def one_at_a_time(journeys, events, masks, starts=None):
    """The same check a move at a time, by the compiled funnel's step: (before, after, refused)."""
    state: dict = {}
    rows = []
    for row, (journey, event, mask) in enumerate(zip(journeys, events, masks, strict=True)):
        if journey not in state:
            first = DefaultFunnel.spec().initial.id if starts is None else starts[row]
            state[journey] = TABLE.stage_codes.get(first, -1)
        stage = state[journey]
        code = TABLE.event_codes.get(event, -1)
        target = REFUSED if stage < 0 or code < 0 else TABLE.step(stage, code, mask)
        state[journey] = stage if target == REFUSED else target
        rows.append((stage, state[journey], target == REFUSED))
    return rows


streams = st.lists(
    st.tuples(
        st.sampled_from(["L-1", "L-2", "L-3", "L-4"]),
        st.sampled_from([*TABLE.events, "no_such_event"]),
        st.integers(min_value=0, max_value=(1 << len(TABLE.guards)) - 1),
    ),
    max_size=60,
)


@settings(max_examples=300)
@given(streams, st.booleans())
def test_every_move_is_decided_as_the_compiled_funnel_decides_it(stream, from_lead):
    journeys = [journey for journey, _, _ in stream]
    events = [event for _, event, _ in stream]
    masks = [mask for _, _, mask in stream]
    starts = ["lead" if from_lead else "suspect"] * len(stream)
    result = check_moves(
        DefaultFunnel, journeys=journeys, events=events, guards=masks, starts=starts
    )
    expected = one_at_a_time(journeys, events, masks, starts)
    got = list(
        zip(
            result.before.tolist(),
            result.after.tolist(),
            (result.reason != -1).tolist(),
            strict=True,
        )
    )
    assert got == expected


@settings(max_examples=100)
@given(streams)
def test_guards_by_name_are_the_same_as_bit_masks(stream):
    journeys = [journey for journey, _, _ in stream]
    events = [event for _, event, _ in stream]
    masks = [mask for _, _, mask in stream]
    by_name = {
        guard: [bool(mask & bit) for mask in masks] for guard, bit in TABLE.guard_bits.items()
    }
    by_mask = check_moves(DefaultFunnel, journeys=journeys, events=events, guards=masks)
    named = check_moves(DefaultFunnel, journeys=journeys, events=events, guards=by_name)
    assert np.array_equal(by_mask.after, named.after)
    assert np.array_equal(by_mask.reason, named.reason)


def test_each_refusal_says_why():
    result = check_moves(
        DefaultFunnel,
        journeys=pa.chunked_array([["a", "b"], ["c", "d", "e"]]),
        events=["engage", "win", "disqualify", "fly", "engage"],
        starts=["suspect", "suspect", "lead", "lead", "nowhere"],
    )
    assert [
        (row, journey, stage, event, why) for row, journey, stage, event, why in result.refusals()
    ] == [
        (1, "b", "suspect", "win", Refusal.NOT_FROM_STAGE),
        (2, "c", "lead", "disqualify", Refusal.GUARDS),
        (3, "d", "lead", None, Refusal.UNKNOWN_EVENT),
        (4, "e", None, "engage", Refusal.UNKNOWN_STAGE),
    ]
    assert [r[3] for r in result.refusals(["engage", "win", "disqualify", "fly", "engage"])][
        2
    ] == "fly"
    assert result.final_stages() == {
        "a": "lead",
        "b": "suspect",
        "c": "lead",
        "d": "lead",
        "e": None,
    }
    assert not result.ok
    assert repr(result) == "<MoveCheck of DefaultFunnel: 5 moves, 5 journeys, 4 refused>"


def test_nothing_to_check_is_fine():
    result = check_moves(DefaultFunnel, journeys=pa.array([], pa.string()), events=[])
    assert result.ok
    assert result.final_stages() == {}


def test_bad_columns_name_what_was_allowed():
    with pytest.raises(ValidationError, match="events: expected as many rows as journeys"):
        check_moves(DefaultFunnel, journeys=["a"], events=["engage", "engage"])
    with pytest.raises(ValidationError, match="a guard the funnel uses"):
        check_moves(DefaultFunnel, journeys=["a"], events=["engage"], guards={"sunny": [True]})
    with pytest.raises(
        ValidationError, match=r"guards\['has_screening'\]: expected a column of bool"
    ):
        check_moves(DefaultFunnel, journeys=["a"], events=["engage"], guards={"has_screening": [1]})
    with pytest.raises(ValidationError, match=r"guards\['has_screening'\]: expected 1 booleans"):
        check_moves(
            DefaultFunnel,
            journeys=["a"],
            events=["engage"],
            guards={"has_screening": pa.array([1])},
        )
    with pytest.raises(ValidationError, match="guards: expected a column of int64"):
        check_moves(DefaultFunnel, journeys=["a"], events=["engage"], guards=["yes"])
    with pytest.raises(ValidationError, match="integer bit masks"):
        check_moves(DefaultFunnel, journeys=["a"], events=["engage"], guards=pa.array([True]))
    with pytest.raises(ValidationError, match="journeys: expected a journey on every row"):
        check_moves(DefaultFunnel, journeys=["a", None], events=["engage", "engage"])
    with pytest.raises(ValidationError, match="journeys: expected a column"):
        check_moves(DefaultFunnel, journeys=object(), events=["engage"])


def test_a_funnel_with_too_many_guards_is_refused_in_bulk():
    names = [f"g{index}" for index in range(MAX_DENSE_GUARDS + 1)]
    spec = {
        "name": "Guarded",
        "stages": {"new": {"initial": True}, "done": {"final": True}},
        "transitions": [{"event": "go", "source": "new", "target": "done", "guards": names}],
    }
    funnel = funnel_from_spec(spec, guards={name: (lambda: True) for name in names})
    with pytest.raises(ValidationError, match=f"at most {MAX_DENSE_GUARDS} guards"):
        check_moves(funnel, journeys=["a"], events=["go"])
