"""Business calendars: working time, not wall time."""

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from book import DAY
from leadlife.errors import ValidationError
from leadlife.sla import BusinessCalendar

# -- the calendar -----------------------------------------------------------


def test_holidays_must_be_dates():
    with pytest.raises(ValidationError, match="holidays"):
        BusinessCalendar(holidays={"2026-03-09"})
    with pytest.raises(ValidationError, match="holidays"):
        BusinessCalendar(holidays={datetime(2026, 3, 9, tzinfo=UTC)})


def test_working_hours_skip_evenings_weekends_and_holidays():
    office = BusinessCalendar(holidays={date(2026, 3, 9)})
    friday = datetime(2026, 3, 6, 16, tzinfo=UTC)
    assert office.add(friday, timedelta(hours=2)) == datetime(2026, 3, 10, 10, tzinfo=UTC)
    assert office.add(datetime(2026, 3, 5, 20, tzinfo=UTC), timedelta(hours=1)) == datetime(
        2026, 3, 6, 10, tzinfo=UTC
    )


def test_a_calendar_in_another_zone_answers_in_the_callers_zone():
    berlin = timezone(timedelta(hours=1))
    office = BusinessCalendar(zone=berlin, opens=time(8), closes=time(16))
    due = office.add(datetime(2026, 3, 2, 14, tzinfo=UTC), timedelta(hours=2))
    assert due == datetime(2026, 3, 3, 8, tzinfo=UTC)
    assert due.tzinfo is UTC


@pytest.mark.parametrize(
    "build",
    [
        lambda: BusinessCalendar(weekdays=[]),
        lambda: BusinessCalendar(weekdays=[7]),
        lambda: BusinessCalendar(opens=time(17), closes=time(9)),
    ],
)
def test_calendars_validate(build):
    with pytest.raises(ValidationError):
        build()


def test_a_naive_start_is_refused():
    with pytest.raises(ValidationError, match="timezone-aware"):
        BusinessCalendar().add(datetime(2026, 3, 2), DAY)
