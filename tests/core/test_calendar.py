"""Business calendars: working time, not wall time."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# -- the fast path against the day-by-day walk it replaced -----------------


def _walked(calendar, start, duration):
    """The reference: walk the calendar day by day, building each day's bounds."""
    moment = start.astimezone(calendar.zone)
    left = duration
    while True:
        day = moment.date()
        opens = datetime.combine(day, calendar.opens, tzinfo=calendar.zone)
        closes = datetime.combine(day, calendar.closes, tzinfo=calendar.zone)
        if day.weekday() in calendar.weekdays and day not in calendar.holidays and moment < closes:
            moment = max(moment, opens)
            if moment + left <= closes:
                return (moment + left).astimezone(start.tzinfo)
            left -= closes - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=calendar.zone)


_ZONES = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=5, minutes=30)),
        ZoneInfo("Europe/Berlin"),
        ZoneInfo("America/New_York"),
        ZoneInfo("Australia/Lord_Howe"),  # a half-hour daylight saving shift
    ]
)


@st.composite
def _calendars(draw):
    # At least an hour a day: the longest duration drawn then fits in the ten years
    # of days the calendar searches.
    opens = draw(st.times(max_value=time(22, 58)))
    closes = draw(
        st.times(min_value=(datetime.combine(date.min, opens) + timedelta(hours=1)).time())
    )
    return BusinessCalendar(
        zone=draw(_ZONES),
        weekdays=draw(st.sets(st.integers(0, 6), min_size=1)),
        opens=opens,
        closes=closes,
        holidays=draw(
            st.sets(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)), max_size=30)
        ),
    )


@settings(max_examples=100, deadline=None)
@given(
    calendar=_calendars(),
    start=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31), timezones=_ZONES
    ),
    duration=st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=400)),
)
def test_adding_working_time_equals_walking_the_calendar_day_by_day(calendar, start, duration):
    added = calendar.add(start, duration)
    assert added == _walked(calendar, start, duration)
    assert added.tzinfo is start.tzinfo
    assert calendar.add_to(start, duration) == added
