"""Injectable clocks: where leadlife gets "now" from.

Nothing in leadlife calls ``datetime.now()`` on its own. Code that needs the
time takes a :class:`~leadlife.Clock`, so a test, an example or a notebook can fix time
or step it, and every run is the same run.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, final, runtime_checkable

import attrs

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError


@runtime_checkable
class Clock(Protocol):
    """Anything with a ``now()`` that returns a timezone-aware datetime.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Clock
        >>> class OfficeClock:
        ...     def now(self) -> datetime:
        ...         return datetime(2026, 1, 5, 9, tzinfo=UTC)
        >>> isinstance(OfficeClock(), Clock)
        True
    """

    def now(self) -> datetime:
        """Return the current time, timezone-aware."""
        ...


@final
@attrs.frozen
class SystemClock:
    """The real time, in UTC. The default clock.

    Example:
        >>> from leadlife import SystemClock
        >>> SystemClock().now().tzinfo
        datetime.timezone.utc
    """

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


@final
@attrs.define(kw_only=False)
class FixedClock:
    """A clock that says the same time until told otherwise.

    Args:
        at: The time it says; timezone-aware.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import FixedClock
        >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
        >>> clock.advance(timedelta(days=2))
        >>> clock.now()
        datetime.datetime(2026, 1, 7, 9, 0, tzinfo=datetime.timezone.utc)
    """

    at: datetime = attrs.field(validator=check.aware_datetime)

    def now(self) -> datetime:
        """Return the fixed time."""
        return self.at

    def set(self, at: datetime) -> None:
        """Move the clock to ``at`` (backwards too: tests may need that)."""
        check.aware_datetime(self, attrs.fields(FixedClock).at, at)
        self.at = at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self.set(self.at + delta)


@final
@attrs.define(kw_only=True)
class SteppingClock:
    """A clock that moves forward by ``step`` each time it is read.

    Handy for simulations and examples: every event gets a distinct time, in
    order, without the code having to manage time itself.

    Args:
        start: The first time it says; timezone-aware.
        step: How far each reading moves it on; positive.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import SteppingClock
        >>> clock = SteppingClock(
        ...     start=datetime(2026, 1, 5, 9, tzinfo=UTC), step=timedelta(hours=1)
        ... )
        >>> [clock.now().hour for _ in range(3)]
        [9, 10, 11]
    """

    start: datetime = attrs.field(validator=check.aware_datetime)
    step: timedelta = attrs.field(validator=check.positive_duration)
    _next: datetime = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self._next = self.start

    def now(self) -> datetime:
        """Return the current time, then move on by one step."""
        current = self._next
        self._next = current + self.step
        return current

    def peek(self) -> datetime:
        """Return the time the next :meth:`now` will say, without moving."""
        return self._next

    def advance(self, delta: timedelta) -> None:
        """Jump forward by ``delta`` (a simulation's night, weekend or month).

        Raises:
            ValidationError: ``delta`` is negative: a clock never goes back.
        """
        given: object = delta
        if not isinstance(given, timedelta) or given < timedelta(0):
            raise ValidationError(
                owner="SteppingClock",
                field="delta",
                value=delta,
                expected="a timedelta of 0 or more",
            )
        self._next += delta
