"""Business calendars: service levels count working hours, not wall time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import attrs

from leadlife._core.support import validation as check

_MAX_DAYS = 3660  # ten years of searching for a working day means a broken calendar


def _weekdays(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _check_weekdays(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value or not all(isinstance(d, int) and 0 <= d <= 6 for d in value):  # noqa: PLR2004
        check.refuse(instance, attribute, set(value), "weekday numbers 0 (Monday) to 6 (Sunday)")


def _closes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, time) or value <= instance.opens:
        check.refuse(instance, attribute, value, "a time after opens")


def _to_dates(value: Iterable[date]) -> frozenset[date]:
    return frozenset(value)


def _check_holidays(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for day in value:
        check.calendar_date(instance, attribute, day)


@attrs.frozen(kw_only=True)
class BusinessCalendar:
    """Working days and hours in one time zone, with holidays.

    Args:
        zone: The time zone the hours are in.
        weekdays: The working days, 0 for Monday to 6 for Sunday.
        opens: When a working day starts.
        closes: When it ends.
        holidays: Dates that are not working days.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.sla import BusinessCalendar
        >>> office = BusinessCalendar()  # Monday to Friday, 9:00 to 17:00 UTC
        >>> friday_four_pm = datetime(2026, 3, 6, 16, tzinfo=UTC)
        >>> office.add(friday_four_pm, timedelta(hours=4))  # 1 hour Friday, 3 on Monday
        datetime.datetime(2026, 3, 9, 12, 0, tzinfo=datetime.timezone.utc)
    """

    zone: tzinfo = attrs.field(default=UTC, validator=check.instance_of(tzinfo, "a tzinfo"))
    weekdays: frozenset[int] = attrs.field(
        default=frozenset(range(5)), converter=_weekdays, validator=_check_weekdays
    )
    opens: time = attrs.field(default=time(9), validator=check.instance_of(time, "a time"))
    closes: time = attrs.field(default=time(17), validator=_closes)
    holidays: frozenset[date] = attrs.field(
        default=frozenset(), converter=_to_dates, validator=_check_holidays
    )
    # The hours as microseconds of the day, worked out once for the hot path.
    _hours: tuple[int, int] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_hours", (_micros(self.opens), _micros(self.closes)))

    def _working(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def works_on(self, at: datetime) -> bool:
        """Whether ``at`` falls on a working day: one of ``weekdays``, not a holiday, in ``zone``.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife.sla import BusinessCalendar
            >>> BusinessCalendar().works_on(datetime(2026, 3, 7, 12, tzinfo=UTC))  # a Saturday
            False
        """
        check.argument("BusinessCalendar.works_on", "at", at, check.aware_datetime)
        return self._working(at.astimezone(self.zone).date())

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of working time after ``start``.

        Raises:
            ValidationError: ``start`` is naive.
        """
        check.argument("BusinessCalendar.add", "start", start, check.aware_datetime)
        return self.add_to(start, duration)

    def add_to(self, start: datetime, duration: timedelta) -> datetime:
        """:meth:`add` for a ``start`` known to be aware: the agenda's hot path, unchecked.

        Hours are counted on the zone's wall clock, as whole microseconds of the
        day: a day is a number, and only the answer is a ``datetime``.
        """
        zone = self.zone
        local = start.astimezone(zone)
        opens, closes = self._hours
        weekdays, holidays = self.weekdays, self.holidays
        day = starting = local.toordinal()
        first = now = _micros(local)
        left = duration.days * _US_A_DAY + duration.seconds * _US + duration.microseconds
        for _ in range(_MAX_DAYS):
            # Ordinal 1 (1 January of year 1) was a Monday, weekday 0.
            worked = (day + 6) % 7 in weekdays and not (
                holidays and date.fromordinal(day) in holidays
            )
            if worked and now < closes:
                now = max(now, opens)
                if now + left <= closes:
                    if day == starting and now == first:  # where it started: as it was
                        return (local + timedelta(microseconds=left)).astimezone(start.tzinfo)
                    midnight = datetime.combine(date.fromordinal(day), _MIDNIGHT, tzinfo=zone)
                    return (midnight + timedelta(microseconds=now + left)).astimezone(start.tzinfo)
                left -= closes - now
            day += 1
            now = 0
        msg = "the calendar has no working time"  # pragma: no cover - validated weekdays
        raise ValueError(msg)  # pragma: no cover


def _micros(moment: time | datetime) -> int:
    """Microseconds since midnight on the wall clock."""
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _US + moment.microsecond


_US = 1_000_000
_US_A_DAY = 86_400 * _US
_MIDNIGHT = time(0)
