from datetime import UTC, datetime, timedelta

import pytest

from leadlife import Clock, FixedClock, SteppingClock, SystemClock
from leadlife.errors import ValidationError

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_system_clock_is_aware_and_in_utc():
    before = datetime.now(UTC)
    now = SystemClock().now()
    assert now.tzinfo is UTC
    assert before <= now <= datetime.now(UTC)


def test_fixed_clock_says_the_same_time_until_moved():
    clock = FixedClock(AT)
    assert clock.now() == clock.now() == AT
    clock.advance(timedelta(minutes=5))
    assert clock.now() == AT + timedelta(minutes=5)
    clock.set(AT - timedelta(days=1))
    assert clock.now() == AT - timedelta(days=1)


def test_fixed_clock_refuses_naive_times():
    with pytest.raises(ValidationError, match="timezone-aware"):
        FixedClock(datetime(2026, 1, 1))
    clock = FixedClock(AT)
    with pytest.raises(ValidationError, match="timezone-aware"):
        clock.set(datetime(2026, 1, 1))


def test_stepping_clock_moves_on_each_reading():
    clock = SteppingClock(start=AT, step=timedelta(hours=2))
    assert clock.peek() == AT
    assert [clock.now(), clock.now()] == [AT, AT + timedelta(hours=2)]
    assert clock.peek() == AT + timedelta(hours=4)


@pytest.mark.parametrize("step", [timedelta(0), timedelta(seconds=-1), 5])
def test_stepping_clock_needs_a_positive_step(step):
    with pytest.raises(ValidationError, match="positive timedelta"):
        SteppingClock(start=AT, step=step)


def test_every_clock_satisfies_the_protocol():
    for clock in (SystemClock(), FixedClock(AT), SteppingClock(start=AT, step=timedelta(1))):
        assert isinstance(clock, Clock)


def test_stepping_clock_jumps_forward_but_never_back():
    clock = SteppingClock(start=AT, step=timedelta(minutes=1))
    clock.advance(timedelta(days=1))
    assert clock.now() == AT + timedelta(days=1)
    with pytest.raises(ValidationError, match="0 or more") as caught:
        clock.advance(timedelta(seconds=-1))
    assert caught.value.field == "delta"
