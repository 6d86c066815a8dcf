"""Nurture by gentler means: channels and cadence of a programme, refuse or record, moving on."""

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
from leadlife.agenda import Agenda
from leadlife.errors import HistoryError, TouchRefusedError, ValidationError
from leadlife.events import NurtureEnded, NurtureEnrolled
from leadlife.followup import Channel, OnViolation, TouchOutcome
from leadlife.nurture import Nurture, NurtureProgramme
from leadlife.serialization import from_json, to_json

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
DAY = timedelta(days=1)
DIGEST = NurtureProgramme(
    key="monthly_digest",
    name="Monthly digest",
    channels={Channel.NEWSLETTER, Channel.CONTENT},
    every=30 * DAY,
)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)


@pytest.fixture
def nurtured(life):
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        stage="nurture",
        actor="ops",
    )
    life.enrol(history, DIGEST, actor="ops", reason="not ready before Q4")
    return history


def touch(life, history, channel, **options):
    return life.touch(
        history, channel=channel, outcome=TouchOutcome.NO_ANSWER, actor="mkt", **options
    )


def test_a_programme_uses_gentle_channels_only():
    with pytest.raises(
        ValidationError,
        match=r"channels: expected channels that do not press \(not meeting, phone\): "
        "nurture, not chase",
    ):
        NurtureProgramme(
            key="calls", name="Calls", channels={Channel.PHONE, Channel.MEETING}, every=DAY
        )
    with pytest.raises(ValidationError, match="a non-empty set of channels"):
        NurtureProgramme(key="none", name="None", channels=set(), every=DAY)
    with pytest.raises(ValidationError, match="Channel members"):
        NurtureProgramme(key="words", name="Words", channels={"newsletter"}, every=DAY)
    assert [c.value for c in Channel if c.pressing] == ["meeting", "phone"]


def test_enrolling_is_an_event_and_the_record_keeps_the_programme(life, nurtured):
    event = nurtured.events[-1]
    assert isinstance(event, NurtureEnrolled)
    assert (event.programme, event.reason) == (DIGEST, "not ready before Q4")
    assert nurtured.record.nurture == Nurture(programme=DIGEST, since=AT, stage="nurture")
    assert replay(list(nurtured)) == nurtured.record
    assert from_json(to_json(nurtured)).record == nurtured.record


def test_only_a_record_in_a_recycle_stage_is_nurtured(life):
    lead = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="ops"
    )
    with pytest.raises(ValidationError) as refused:
        life.enrol(lead, DIGEST, actor="ops")
    assert str(refused.value) == (
        "Lifecycle.enrol.history: expected a record in a recycle stage (nurture): nurture is "
        "for leads kept warm, not chased, got 'suspect'"
    )
    with pytest.raises(ValidationError, match="a NurtureProgramme"):
        life.enrol(lead, "digest", actor="ops")


def test_a_pressing_touch_is_refused_unless_the_person_asked_for_it(life, nurtured, clock):
    with pytest.raises(TouchRefusedError) as refused:
        touch(life, nurtured, Channel.PHONE)
    assert refused.value.problems == (
        (
            "nurture programme monthly_digest reaches out by content, newsletter, not phone "
            "(it presses: only when the person asks for it)"
        ),
    )
    assert len(nurtured) == 2
    asked = touch(life, nurtured, Channel.PHONE, requested=True)
    assert asked.touch.requested
    assert asked.touch.violation is None


def test_the_programme_keeps_its_slower_cadence(life, nurtured, clock):
    touch(life, nurtured, Channel.NEWSLETTER)  # at once after enrolling
    clock.advance(10 * DAY)
    with pytest.raises(TouchRefusedError) as refused:
        touch(life, nurtured, Channel.CONTENT)
    assert refused.value.problems == ("the nurture cadence is every 30 days",)
    assert refused.value.allowed_at == AT + 30 * DAY
    with pytest.raises(TouchRefusedError, match="reaches out by content, newsletter, not email"):
        touch(life, nurtured, Channel.EMAIL)
    clock.advance(20 * DAY)
    assert touch(life, nurtured, Channel.CONTENT).touch.violation is None


def test_a_recording_programme_keeps_the_violation_visible(life, clock):
    lenient = NurtureProgramme(
        key="lenient",
        name="Lenient",
        channels={Channel.SOCIAL},
        every=7 * DAY,
        on_violation=OnViolation.RECORD,
    )
    history = life.capture(
        id=LeadId("L-3"),
        contact=Contact(name="Cy"),
        source=Source(channel="web"),
        stage="nurture",
        actor="ops",
    )
    life.enrol(history, lenient, actor="ops")
    touched = touch(life, history, Channel.PHONE)
    assert touched.touch.violation == (
        "nurture programme lenient reaches out by social, not phone "
        "(it presses: only when the person asks for it)"
    )


def test_moving_on_ends_the_programme_and_so_can_a_call(life, nurtured, clock):
    clock.advance(DAY)
    life.end_nurture(nurtured, actor="mkt", reason="moved to the events list")
    assert isinstance(nurtured.events[-1], NurtureEnded)
    assert nurtured.record.nurture is None
    with pytest.raises(HistoryError, match="no nurture programme is in force"):
        life.end_nurture(nurtured, actor="mkt")
    life.enrol(nurtured, DIGEST, actor="ops")
    clock.advance(DAY)
    life.send(nurtured, "reengage", actor="mkt", reason="replied to the digest")
    assert nurtured.record.nurture is None  # re-engaged: chased again, not nurtured
    assert touch(life, nurtured, Channel.PHONE).touch.violation is None
    assert replay(list(nurtured)) == nurtured.record


def test_the_agenda_proposes_the_next_gentle_touch(life, nurtured, clock):
    due = [a for a in Agenda()([nurtured.record], AT) if a.source == "nurture_programme"]
    assert [(a.kind.value, a.due_at, a.reason, dict(a.facts)) for a in due] == [
        (
            "follow_up",
            AT,
            "keep them warm: content or newsletter (Monthly digest)",
            {"programme": "monthly_digest", "channels": ("content", "newsletter")},
        )
    ]
    touch(life, nurtured, Channel.NEWSLETTER)
    assert not [
        a for a in Agenda()([nurtured.record], AT + 29 * DAY) if a.source == "nurture_programme"
    ]
    assert [
        a.due_at
        for a in Agenda()([nurtured.record], AT + 31 * DAY)
        if a.source == "nurture_programme"
    ] == [AT + 30 * DAY]
