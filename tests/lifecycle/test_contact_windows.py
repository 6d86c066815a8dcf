"""Contact windows: a person is touched in their own hours, on their own clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import (
    Contact,
    FixedClock,
    LeadId,
    Lifecycle,
    Source,
    from_json,
    replay,
    to_json,
)
from leadlife.agenda import Agenda
from leadlife.errors import TouchRefusedError, ValidationError
from leadlife.followup import (
    Channel,
    ContactHours,
    FollowUpPlan,
    OnViolation,
    TouchOutcome,
    business_hours,
)

BERLIN = ZoneInfo("Europe/Berlin")


def lead(at: datetime, **contact):
    clock = FixedClock(at)
    life = Lifecycle(clock=clock)
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", **contact),
        source=Source(channel="web"),
        actor="form",
    )
    return life, history, clock


def test_a_touch_outside_their_hours_is_refused_saying_when_they_open():
    # Friday 19:30 in Berlin: closed until Monday 09:00 there.
    friday_evening = datetime(2026, 3, 6, 19, 30, tzinfo=BERLIN).astimezone(UTC)
    life, history, _ = lead(friday_evening, time_zone="Europe/Berlin")
    with pytest.raises(TouchRefusedError) as refused:
        life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    (problem,) = refused.value.problems
    assert problem == (
        "outside Ada's hours (Mon-Fri 09:00-18:00, Europe/Berlin): next Mon 09:00 their time"
    )
    assert refused.value.allowed_at == datetime(2026, 3, 9, 9, tzinfo=BERLIN)
    assert len(history) == 1


def test_a_touch_in_their_hours_or_one_they_asked_for_is_made():
    monday_morning = datetime(2026, 3, 9, 10, tzinfo=BERLIN)
    life, history, clock = lead(monday_morning, time_zone="Europe/Berlin")
    life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    clock.advance(timedelta(hours=12))  # 22:00 their time: they asked to be called then
    life.touch(
        history,
        channel=Channel.PHONE,
        outcome=TouchOutcome.REACHED,
        actor="sam",
        requested=True,
    )
    assert [touch.violation for touch in history.record.touches] == [None, None]


def test_without_a_time_zone_nothing_is_known_and_nothing_is_refused():
    midnight = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)  # a Saturday
    life, history, _ = lead(midnight)
    life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert history.record.contact.window() is None


def test_a_plan_that_records_violations_records_this_one_too():
    sunday = datetime(2026, 3, 8, 12, tzinfo=BERLIN)
    life, history, _ = lead(sunday, time_zone="Europe/Berlin")
    plan = FollowUpPlan(
        channel=Channel.EMAIL, every=timedelta(days=2), on_violation=OnViolation.RECORD
    )
    life.agree_follow_up(history, plan, actor="sam")
    life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    assert "outside Ada's hours (Mon-Fri 09:00-18:00" in history.record.touches[-1].violation
    assert replay(history.events) == history.record


def test_their_own_hours_and_their_countrys_week():
    evening = ContactHours(days=(1, 2, 3, 4, 5), opens="18:00", closes="21:00")
    tuesday_noon = datetime(2026, 3, 10, 12, tzinfo=ZoneInfo("America/New_York"))
    life, history, _ = lead(tuesday_noon, time_zone="America/New_York", hours=evening)
    with pytest.raises(TouchRefusedError, match="next Tue 18:00 their time"):
        life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="sam")
    sunday_in_riyadh = datetime(2026, 3, 8, 10, tzinfo=ZoneInfo("Asia/Riyadh"))
    life, history, _ = lead(sunday_in_riyadh, time_zone="Asia/Riyadh")
    life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="sam")
    assert str(business_hours("Asia/Riyadh")) == "Sun-Thu 09:00-18:00"


def test_the_agenda_proposes_the_next_time_they_open():
    agreed = datetime(2026, 3, 2, 10, tzinfo=BERLIN)
    life, history, _ = lead(agreed, time_zone="Europe/Berlin")
    life.agree_follow_up(
        history, FollowUpPlan(channel=Channel.PHONE, every=timedelta(days=4)), actor="sam"
    )
    saturday = datetime(2026, 3, 7, 11, tzinfo=BERLIN)
    (action,) = Agenda()([history.record], saturday)
    assert action.reason.endswith("next Mon 09:00 their time")
    assert action.facts["contact_at"] == datetime(2026, 3, 9, 9, tzinfo=BERLIN).isoformat()
    (open_now,) = Agenda()([history.record], datetime(2026, 3, 9, 9, 30, tzinfo=BERLIN))
    assert "contact_at" not in open_now.facts


def test_a_contact_with_a_window_round_trips_and_one_without_writes_as_before():
    hours = ContactHours(days=(1, 3, 5), opens="08:30", closes="12:00")
    _, history, _ = lead(datetime(2026, 3, 2, 9, tzinfo=UTC), time_zone="Asia/Tokyo", hours=hours)
    assert from_json(to_json(history)) == history
    _, plain, _ = lead(datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert "time_zone" not in to_json(plain)
    assert "hours" not in to_json(plain)


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (lambda: Contact(name="A", time_zone="Mars/Olympus"), "time_zone: expected an IANA"),
        (lambda: Contact(name="A", time_zone=""), "time_zone: expected an IANA"),
        (lambda: Contact(name="A", hours=business_hours("UTC")), "hours: expected None unless"),
        (lambda: ContactHours(days=(), opens="09:00", closes="10:00"), "days: expected ISO"),
        (lambda: ContactHours(days=(0, 1), opens="09:00", closes="10:00"), "days: expected ISO"),
        (lambda: ContactHours(days="12", opens="09:00", closes="10:00"), "days: expected ISO"),
        (lambda: ContactHours(days=(1,), opens="9:00", closes="10:00"), "opens: expected a time"),
        (lambda: ContactHours(days=(1,), opens="10:00", closes="10:00"), "closes: expected a"),
    ],
)
def test_what_is_not_a_window_is_refused_by_name(made, expected):
    with pytest.raises(ValidationError, match=expected):
        made()


ZONES = st.sampled_from(
    ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
)
HOURS = st.builds(
    lambda days, opens, length: ContactHours(
        days=days, opens=f"{opens:02d}:00", closes=f"{opens + length:02d}:30"
    ),
    st.lists(st.integers(1, 7), min_size=1, max_size=7),
    st.integers(0, 20),
    st.integers(0, 2),
)


@settings(max_examples=200, deadline=None)
@given(
    hours=HOURS,
    zone=ZONES,
    at=st.datetimes(
        min_value=datetime(2026, 1, 1),
        max_value=datetime(2027, 1, 1),
    ),
)
def test_the_next_opening_is_the_first_open_minute_from_then(hours, zone, at):
    """Walking forward minute by minute finds no open minute before next_open (DST included)."""
    moment = at.replace(tzinfo=UTC, second=0, microsecond=0)
    opens = hours.next_open(moment, zone)
    assert hours.is_open(opens, zone)
    assert opens >= moment
    step = moment
    while step < opens:
        assert not hours.is_open(step, zone), step
        step += timedelta(minutes=15)
