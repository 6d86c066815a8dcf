"""Replaying a history rebuilds the record exactly; a bad history fails at its first bad event."""

from itertools import pairwise

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import strategies as s
from leadlife import replay
from leadlife.errors import ReplayError
from leadlife.events import StageChanged


@given(s.journeys())
def test_replay_rebuilds_every_record_of_a_journey(histories):
    for history in histories:
        assert replay(history.events) == history.record


@given(s.journeys())
def test_every_prefix_replays_and_times_only_grow(histories):
    for history in histories:
        events = history.events
        for end in range(1, len(events) + 1):
            record = replay(events[:end])
            assert record.created_at <= record.stage_since <= record.updated_at
        assert [e.at for e in events] == sorted(e.at for e in events)


@given(s.journeys())
def test_a_journey_hands_over_without_dropping_anything(histories):
    for older, newer in pairwise(histories):
        handed = older.record
        assert handed.converted_to == newer.record_id
        assert older[-1].converted_to == newer.record_id
        first = newer[0].record
        assert (first.contact, first.source, first.stage) == (
            handed.contact,
            handed.source,
            handed.stage,
        )


@given(s.journeys(), st.data())
def test_swapping_two_moves_fails_at_the_first_bad_event(histories, data):
    events = list(histories[0].events)
    moves = [i for i, e in enumerate(events) if isinstance(e, StageChanged)]
    assume(len(moves) >= 2)
    first, second = sorted(
        data.draw(st.lists(st.sampled_from(moves), min_size=2, max_size=2, unique=True))
    )
    assume(events[first].from_stage != events[second].from_stage)
    events[first], events[second] = events[second], events[first]
    with pytest.raises(ReplayError) as caught:
        replay(events)
    # The later move now leaves a stage the record is not in yet.
    assert caught.value.index == first


@given(s.journeys())
def test_dropping_the_creation_event_fails_at_index_zero(histories):
    events = histories[0].events
    assume(len(events) > 1)
    with pytest.raises(ReplayError) as caught:
        replay(events[1:])
    assert caught.value.index == 0


@given(s.journeys())
def test_records_and_events_made_without_revalidation_pass_validation(histories):
    # The fold and the lifecycle skip validators for parts already checked;
    # rebuilding through the validating constructors must give the same values.
    for history in histories:
        assert attrs.evolve(history.record) == history.record
        for event in history:
            assert attrs.evolve(event) == event


@given(s.journeys(), st.data())
def test_as_of_any_event_time_is_the_replay_of_the_events_up_to_it(histories, data):
    history = histories[-1]
    events = list(history.events)
    at = data.draw(st.sampled_from([event.at for event in events]), label="at")
    upto = [event for event in events if event.at <= at]
    assert history.as_of(at) == replay(upto)
    assert replay(events, until=at) == replay(upto)
