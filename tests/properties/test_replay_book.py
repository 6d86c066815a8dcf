"""Replaying a whole book at once gives every record exactly as replaying its own history."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import strategies as s
from leadlife import (
    Contact,
    DefaultFunnel,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    replay,
    replay_book,
)
from leadlife.errors import ReplayError, ValidationError


@st.composite
def interleaved(draw, histories):
    """The events of ``histories`` in one stream, each history's in its order."""
    queues = [list(history.events) for history in histories]
    stream = []
    while any(queues):
        queue = draw(st.sampled_from([q for q in queues if q]))
        stream.append(queue.pop(0))
    return stream


@given(s.journeys(), st.data())
def test_a_book_replays_into_the_records_of_its_histories(histories, data):
    stream = data.draw(interleaved(histories))
    for funnel in (None, DefaultFunnel):
        book = replay_book(stream, funnel=funnel)
        assert book == {history.record_id: history.record for history in histories}
        # In the order the records' first events came.
        firsts = list(dict.fromkeys(event.record_id for event in stream))
        assert list(book) == firsts


@given(s.journeys(), st.data())
def test_a_book_as_of_a_time_is_each_record_as_of_that_time(histories, data):
    stream = data.draw(interleaved(histories))
    times = sorted({event.at for event in stream})
    until = data.draw(st.sampled_from([times[0] - timedelta(seconds=1), *times]))
    book = replay_book(stream, until=until)
    expected = {
        history.record_id: replay(history.events, until=until)
        for history in histories
        if history[0].at <= until
    }
    assert book == expected


def _book(leads: int) -> list:
    """The histories of ``leads`` leads, some moved along, each touched by an owner change."""
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=1))
    life = Lifecycle(clock=clock)
    histories = []
    for number in range(leads):
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=f"Lead {number}"),
            source=Source(channel="web"),
            actor="ops",
        )
        for event in ("engage", "mark_sales_ready")[: number % 3]:
            life.send(history, event, actor="ops")
        life.assign(history, "sam", actor="ops")
        histories.append(history)
    return histories


def test_the_first_bad_event_is_named_by_its_place_in_the_stream():
    first, _, second = _book(3)
    stream = [first[0], second[0], second[2], second[1], first[1]]  # second's moves swapped
    with pytest.raises(ReplayError) as caught:
        replay_book(stream)
    assert caught.value.index == 2
    assert caught.value.event is second[2]


def test_an_event_of_a_record_not_yet_created_is_refused():
    (history,) = _book(1)
    with pytest.raises(ReplayError, match="starts with") as caught:
        replay_book(history.events[1:])
    assert caught.value.index == 0


def test_a_move_the_funnel_does_not_make_is_refused_when_bound():
    (history,) = _book(1)
    assert replay_book(history.events)  # unbound: the fold alone
    with pytest.raises(ReplayError, match="no stage"):
        replay_book(history.events, funnel=_OtherFunnel)


class _OtherFunnel:
    """A funnel with no stages at all: it refuses every record."""

    @staticmethod
    def refused_stage(kind, stage):
        return f"no stage {stage!r}"

    @staticmethod
    def refused_move(kind, source, event, target, *, converts):
        return None


def test_what_is_not_an_event_is_refused_by_its_place():
    (history,) = _book(1)
    with pytest.raises(ReplayError, match="not a leadlife event") as caught:
        replay_book([history[0], "OwnerAssigned"])
    assert caught.value.index == 1


def test_after_until_nothing_more_of_the_record_is_replayed():
    # As replay(until=) stops at the first event after until, so does the book:
    # an event out of order after it is not looked at.
    first, second = _book(2)
    until = second[0].at
    late = first[1]  # before until
    book = replay_book([first[0], second[0], second[1]], until=until)
    assert book == {first.record_id: first[0].record, second.record_id: second[0].record}
    shifted = type(late)(
        record_id=late.record_id, at=until + timedelta(days=1), actor="ops", owner="kim"
    )
    assert replay_book([first[0], shifted, late], until=until) == {first.record_id: first[0].record}


def test_a_naive_time_and_a_non_funnel_are_refused():
    (history,) = _book(1)
    with pytest.raises(ValidationError, match="until"):
        replay_book(history.events, until=datetime(2026, 3, 2, 9))
    with pytest.raises(ReplayError, match="not a Funnel"):
        replay_book(history.events, funnel=object())  # type: ignore[arg-type]


def test_an_empty_stream_is_an_empty_book():
    assert replay_book([]) == {}
