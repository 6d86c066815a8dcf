"""A book's service levels: marketing's volume and acceptance share, period by period."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from book import captured, walk
from leadlife import FixedClock, Lifecycle, ProspectId, from_json, to_dict, to_json
from leadlife.errors import ValidationError
from leadlife.screening import RejectReason
from leadlife.sla import (
    AcceptanceLevel,
    BookLevelBreached,
    Period,
    Side,
    VolumeLevel,
    book_breaches,
    book_compliance,
)
from strategies import qualifying_evidence

MARCH = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
APRIL = datetime(2026, 4, 1, tzinfo=UTC)
MAY = datetime(2026, 5, 1, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")

mql_volume = VolumeLevel(key="mql_volume", stage="sales_ready", at_least=3, period=Period.MONTH)
mql_acceptance = AcceptanceLevel(
    key="mql_acceptance",
    stage="sales_ready",
    accepted_by={"accept"},
    at_least=0.7,
    period=Period.MONTH,
)


def handed_over(life, key, book):
    """A lead marked sales-ready now, kept in ``book``."""
    history = walk(life, captured(life, key), "engage", "mark_sales_ready")
    book.append(history)
    return history


# -- periods -------------------------------------------------------------------


def test_periods_start_at_local_midnight_and_follow_each_other():
    wednesday = datetime(2026, 3, 4, 15, tzinfo=UTC)
    assert Period.WEEK.start(wednesday, UTC) == datetime(2026, 3, 2, tzinfo=UTC)
    assert Period.MONTH.start(wednesday, UTC) == datetime(2026, 3, 1, tzinfo=UTC)
    assert Period.QUARTER.start(wednesday, UTC) == datetime(2026, 1, 1, tzinfo=UTC)
    assert Period.QUARTER.start(datetime(2026, 12, 31, tzinfo=UTC), UTC).month == 10
    assert Period.MONTH.after(datetime(2026, 12, 1, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)
    assert Period.QUARTER.after(datetime(2026, 10, 1, tzinfo=UTC)) == datetime(
        2027, 1, 1, tzinfo=UTC
    )


def test_a_week_across_the_clock_change_is_a_local_week():
    # Europe/Paris moves its clocks on Sunday 29 March 2026: that week has 167 hours.
    monday = Period.WEEK.start(datetime(2026, 3, 25, 12, tzinfo=UTC), PARIS)
    assert monday == datetime(2026, 3, 23, tzinfo=PARIS)
    after = Period.WEEK.after(monday)
    assert after == datetime(2026, 3, 30, tzinfo=PARIS)
    assert after.astimezone(UTC) - monday.astimezone(UTC) == timedelta(days=7, hours=-1)
    # Late on Sunday evening in UTC is already Monday in Paris.
    assert Period.WEEK.start(datetime(2026, 3, 29, 22, 30, tzinfo=UTC), PARIS) == after


# -- volume --------------------------------------------------------------------


def test_a_volume_level_counts_entries_per_period_and_empty_periods_fall_short(life):
    book = []
    for key in ("L-1", "L-2", "L-3"):
        handed_over(life, key, book)
    histories = book
    periods = book_compliance(histories, [mql_volume], since=MARCH, at=MAY + timedelta(days=3))
    assert [(p.start.month, p.count, p.closed, p.met) for p in periods] == [
        (3, 3, True, True),
        (4, 0, True, False),
        (5, 0, False, None),
    ]
    assert periods[0].measured == 3.0
    assert periods[0].side is Side.MARKETING


def test_a_volume_reached_is_met_before_its_period_ends(life):
    book = []
    for key in ("L-1", "L-2", "L-3"):
        handed_over(life, key, book)
    (march,) = book_compliance(book, [mql_volume], since=MARCH, at=MARCH + timedelta(days=1))
    assert (march.closed, march.met) == (False, True)


def test_a_conversion_counts_once_as_the_new_records_creation(life, clock):
    lead = walk(life, captured(life), "engage", "mark_sales_ready", "accept")
    prospect = life.qualify(
        lead, prospect_id=ProspectId("P-1"), actor="sam", evidence=qualifying_evidence(MARCH)
    )
    level = VolumeLevel(key="prospects", stage="prospect", at_least=1, period=Period.MONTH)
    (march,) = book_compliance([lead, prospect], [level], since=MARCH, at=MARCH + timedelta(days=2))
    assert march.count == 1


def test_moving_within_a_stage_or_events_outside_the_window_do_not_count(life):
    book = []
    handed_over(life, "L-1", book)
    later = MARCH + timedelta(days=40)
    (april,) = book_compliance(book, [mql_volume], since=APRIL, at=later)
    assert april.count == 0


# -- acceptance ----------------------------------------------------------------


def test_an_acceptance_level_counts_decisions_in_the_period_they_were_made(life):
    book = []
    for key in ("L-1", "L-2"):
        life.send(handed_over(life, key, book), "accept", actor="sam")
    rejected = handed_over(life, "L-3", book)
    life.reject(rejected, reason=RejectReason.NOT_A_FIT, actor="sam")
    handed_over(life, "L-4", book)  # not decided yet: not counted
    (march,) = book_compliance(book, [mql_acceptance], since=MARCH, at=MARCH + timedelta(days=3))
    assert (march.count, march.out_of) == (2, 3)
    assert march.measured == pytest.approx(2 / 3)
    assert march.met is None  # the month runs: more decisions may come
    (march,) = book_compliance(book, [mql_acceptance], since=MARCH, at=APRIL)
    assert march.met is False


def test_a_period_without_decisions_is_neither_met_nor_breached():
    (march,) = book_compliance([], [mql_acceptance], since=MARCH, at=APRIL)
    assert (march.out_of, march.measured, march.met) == (0, None, None)
    assert book_breaches([], [mql_acceptance], since=MARCH, at=APRIL) == []


# -- breaches ------------------------------------------------------------------


def test_breaches_are_the_closed_periods_that_fell_short_and_are_not_recorded_twice(life):
    book = []
    for key in ("L-1", "L-2"):
        life.send(handed_over(life, key, book), "accept", actor="sam")
    life.reject(handed_over(life, "L-3", book), reason=RejectReason.NOT_A_FIT, actor="sam")
    histories = book
    levels = [mql_volume, mql_acceptance]
    found = book_breaches(histories, levels, since=MARCH, at=MAY)
    assert [(b.level, b.period_start.month, b.count, b.out_of) for b in found] == [
        ("mql_volume", 4, 0, None),
        ("mql_acceptance", 3, 2, 3),
    ]
    assert found == book_breaches(histories, levels, since=MARCH, at=MAY)
    assert book_breaches(histories, levels, since=MARCH, at=MAY, recorded=found) == []
    assert book_breaches(histories, levels, since=MARCH, at=MAY, recorded=found[:1]) == found[1:]
    assert found[1].at == APRIL
    assert found[1].required == 0.7
    assert [from_json(to_json(b)) for b in found] == found
    assert type(to_dict(found[0])["data"]["side"]) is str  # plain JSON, not the StrEnum


# -- refusals ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: VolumeLevel(key="v", stage="s", at_least=0, period=Period.MONTH), "at_least"),
        (lambda: VolumeLevel(key="v", stage="s", at_least=1, period="month"), "period"),
        (
            lambda: VolumeLevel(key="v", stage="s", at_least=1, period=Period.MONTH, zone="UTC"),
            "zone",
        ),
        (
            lambda: AcceptanceLevel(
                key="a", stage="s", accepted_by=set(), at_least=0.5, period=Period.WEEK
            ),
            "accepted_by",
        ),
        (
            lambda: AcceptanceLevel(
                key="a", stage="s", accepted_by={"accept"}, at_least=1.5, period=Period.WEEK
            ),
            "at_least",
        ),
    ],
)
def test_a_bad_level_names_its_field(build, field):
    with pytest.raises(ValidationError) as caught:
        build()
    assert caught.value.field == field


def test_a_breach_refuses_an_empty_period_or_more_accepted_than_decided():
    start = datetime(2026, 3, 1, tzinfo=UTC)
    common = {"level": "x", "side": Side.MARKETING, "required": 0.5}
    with pytest.raises(ValidationError, match="after period_start"):
        BookLevelBreached(period_start=start, period_end=start, count=0, **common)
    with pytest.raises(ValidationError, match="at most out_of"):
        BookLevelBreached(period_start=start, period_end=APRIL, count=4, out_of=3, **common)
    with pytest.raises(ValidationError, match="1 or more"):
        BookLevelBreached(period_start=start, period_end=APRIL, count=0, out_of=0, **common)
    with pytest.raises(ValidationError, match="finite number"):
        BookLevelBreached(
            period_start=start, period_end=APRIL, count=0, level="x", side=Side.SALES, required=True
        )


def test_the_window_must_be_aware_and_in_order():
    with pytest.raises(ValidationError, match="since"):
        book_compliance([], [mql_volume], since=datetime(2026, 3, 1), at=APRIL)
    with pytest.raises(ValidationError, match="at or after since"):
        book_compliance([], [mql_volume], since=APRIL, at=MARCH)


# -- properties ----------------------------------------------------------------

pauses = st.lists(st.integers(min_value=0, max_value=20 * 24), min_size=1, max_size=12)


@given(pauses, st.sampled_from(list(Period)), st.integers(min_value=0, max_value=200))
def test_a_closed_periods_figures_never_change_and_entries_are_all_counted(hours, period, later):
    book = []
    clock = FixedClock(MARCH)
    life = Lifecycle(clock=clock)
    for index, pause in enumerate(hours):
        clock.advance(timedelta(hours=pause))
        lead = handed_over(life, f"L-{index}", book)
        if index % 3:
            life.send(lead, "accept", actor="sam")
        else:
            life.reject(lead, reason=RejectReason.NOT_A_FIT, actor="sam")
    histories = book
    levels = [
        VolumeLevel(key="v", stage="sales_ready", at_least=2, period=period, zone=PARIS),
        AcceptanceLevel(
            key="a", stage="sales_ready", accepted_by={"accept"}, at_least=0.5, period=period
        ),
    ]
    now = clock.now() + timedelta(hours=1)
    first = book_compliance(histories, levels, since=MARCH, at=now)
    second = book_compliance(histories, levels, since=MARCH, at=now + timedelta(days=later))
    closed = [p for p in first if p.closed]
    assert all(period in second for period in closed)
    assert sum(p.count for p in first if p.level == "v") == len(hours)
    assert sum(p.out_of or 0 for p in first if p.level == "a") == len(hours)
    for level in levels:
        ours = [p for p in first if p.level == level.key]
        assert all(a.end == b.start for a, b in pairwise(ours))
    assert {
        (b.level, b.period_start) for b in book_breaches(histories, levels, since=MARCH, at=now)
    } == {(p.level, p.start) for p in first if p.met is False}
