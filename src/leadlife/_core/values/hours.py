"""When a person may be contacted: their hours, in their own time zone.

A touch at three in the morning of the person's night pesters as surely as
a fourth call in a week. A contact with a time zone has a window: the hours
they gave (:class:`ContactHours`), or else the business hours of the
country their zone is in (:func:`business_hours`: Monday to Friday, 9 to
18, except where the week is otherwise). A contact without a time zone has
no window: nothing is known, so nothing is refused for it.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from leadlife._core.support import validation as check

_CLOCK = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _clock(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _CLOCK.fullmatch(value):
        check.refuse(instance, attribute, value, "a time of day as HH:MM, such as '09:00'")


_WEEK = range(1, 8)
_WEEKDAYS = "ISO weekdays, 1 (Monday) to 7 (Sunday)"


def _days(value: Any) -> tuple[int, ...]:
    if isinstance(value, str | bytes) or not hasattr(value, "__iter__"):
        return check.refused(value, _WEEKDAYS)  # type: ignore[no-any-return]
    days = list(value)
    if not days or any(isinstance(d, bool) or d not in _WEEK for d in days):
        return check.refused(value, _WEEKDAYS)  # type: ignore[no-any-return]
    return tuple(sorted(set(days)))


def _closes_after_opening(
    instance: ContactHours, attribute: attrs.Attribute[Any], value: str
) -> None:
    _clock(instance, attribute, value)
    if value <= instance.opens:
        check.refuse(instance, attribute, value, f"a time after opens ({instance.opens})")


@attrs.frozen(kw_only=True)
class ContactHours:
    """The hours a person may be contacted, on their own clock.

    Args:
        days: ISO weekdays, 1 (Monday) to 7 (Sunday).
        opens: From when, ``HH:MM`` on the person's clock.
        closes: Until when (not included), later the same day.

    Example:
        >>> from leadlife.followup import ContactHours
        >>> hours = ContactHours(days=(1, 2, 3, 4), opens="10:00", closes="16:00")
        >>> str(hours)
        'Mon-Thu 10:00-16:00'
    """

    days: tuple[int, ...] = attrs.field(converter=_days, validator=check.converted)
    opens: str = attrs.field(validator=_clock)
    closes: str = attrs.field(validator=_closes_after_opening)

    def __str__(self) -> str:
        """Days and hours, as a person writes them (``"Sun-Thu 09:00-18:00"``)."""
        days, count = set(self.days), len(self.days)
        # A run of three days or more, the week wrapping round (Sunday to Thursday).
        start = next(
            (day for day in self.days if {(day - 1 + k) % 7 + 1 for k in range(count)} == days),
            None,
        )
        if count == 7:  # noqa: PLR2004 - every day of the week
            start = 1
        if start is not None and count > 2:  # noqa: PLR2004 - a run, not a pair
            end = (start - 2 + count) % 7 + 1
            said = f"{_DAYS[start - 1]}-{_DAYS[end - 1]}"
        else:
            said = ",".join(_DAYS[day - 1] for day in self.days)
        return f"{said} {self.opens}-{self.closes}"

    def is_open(self, at: datetime, zone: str) -> bool:
        """Whether ``at`` falls in these hours on the clock of ``zone``."""
        local = at.astimezone(ZoneInfo(zone))
        return local.isoweekday() in self.days and self.opens <= f"{local:%H:%M}" < self.closes

    def next_open(self, at: datetime, zone: str) -> datetime:
        """``at`` if the hours are open then, else when they next open (in ``at``'s zone)."""
        if self.is_open(at, zone):
            return at
        local = at.astimezone(ZoneInfo(zone))
        opens = time.fromisoformat(self.opens)
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            if day.isoweekday() not in self.days:
                continue
            start = datetime.combine(day, opens, tzinfo=local.tzinfo)
            # A clock change may skip the opening hour: fold it back into real time.
            start = start.astimezone(at.tzinfo).astimezone(local.tzinfo)
            if start > local:
                return start.astimezone(at.tzinfo)
        raise AssertionError("a week always has an opening")  # pragma: no cover - days not empty


WORKWEEK = ContactHours(days=(1, 2, 3, 4, 5), opens="09:00", closes="18:00")
"""Monday to Friday, 9 to 18: business hours where the week is not otherwise."""

_SUNDAY_TO_THURSDAY = ContactHours(days=(7, 1, 2, 3, 4), opens="09:00", closes="18:00")
_OTHER_WEEKS: dict[str, ContactHours] = dict.fromkeys(
    (
        "Asia/Jerusalem",
        "Asia/Tel_Aviv",
        "Asia/Riyadh",
        "Asia/Kuwait",
        "Asia/Qatar",
        "Asia/Bahrain",
        "Asia/Baghdad",
        "Asia/Amman",
        "Africa/Cairo",
        "Africa/Tripoli",
        "Asia/Muscat",
    ),
    _SUNDAY_TO_THURSDAY,
) | {
    "Asia/Tehran": ContactHours(days=(6, 7, 1, 2, 3), opens="08:00", closes="17:00"),
    "Asia/Kabul": ContactHours(days=(6, 7, 1, 2, 3), opens="08:00", closes="17:00"),
}
"""Time zones of countries whose working week is not Monday to Friday."""


def business_hours(zone: str) -> ContactHours:
    """The usual business hours of the country ``zone`` is in (Monday to Friday unless known).

    Example:
        >>> from leadlife.followup import business_hours
        >>> str(business_hours("Europe/Berlin")), str(business_hours("Asia/Riyadh"))
        ('Mon-Fri 09:00-18:00', 'Sun-Thu 09:00-18:00')
    """
    return _OTHER_WEEKS.get(zone, WORKWEEK)


def time_zone(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A validator: an IANA time zone name (``"Europe/Berlin"``), or ``None``."""
    if value is None:
        return
    try:
        known = isinstance(value, str) and bool(value) and ZoneInfo(value) is not None
    except (ZoneInfoNotFoundError, ValueError):
        known = False
    if not known:
        check.refuse(instance, attribute, value, "an IANA time zone such as 'Europe/Berlin'")
