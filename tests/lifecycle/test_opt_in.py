"""Double opt-in: asked, then confirmed by the person; each an event, replayed exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import (
    Consent,
    ConsentStatus,
    Contact,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    from_json,
    replay,
    to_json,
)
from leadlife.errors import HistoryError, ValidationError
from leadlife.events import ConsentRecorded

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def captured():
    life = Lifecycle(clock=SteppingClock(start=START, step=timedelta(hours=1)))
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="form"
    )
    return life, lead


def test_a_request_then_the_persons_confirmation():
    life, lead = captured()
    asked = life.request_opt_in(lead, actor="mailer", payload={"message": "m-1"})
    assert asked.consent == Consent(
        status=ConsentStatus.PENDING, recorded_at=START + timedelta(hours=1)
    )
    done = life.confirm_opt_in(lead, actor="link", payload={"token": "t-9"})
    confirmed = START + timedelta(hours=2)
    assert done.consent == Consent(
        status=ConsentStatus.GRANTED, recorded_at=confirmed, confirmed_at=confirmed
    )
    assert lead.record.consent.confirmed_at == confirmed
    assert replay(lead.events) == lead.record
    assert from_json(to_json(lead)) == lead
    assert [type(event) for event in lead.events[1:]] == [ConsentRecorded, ConsentRecorded]


def test_a_confirmation_nobody_asked_for_is_refused():
    life, lead = captured()
    with pytest.raises(HistoryError, match="confirmed only after it was requested"):
        life.confirm_opt_in(lead, actor="link")
    assert len(lead) == 1
    # Recorded by hand, the same event is refused by the history, and so by replay.
    forged = ConsentRecorded(
        record_id=LeadId("L-1"),
        at=START + timedelta(days=1),
        actor="import",
        consent=Consent(status=ConsentStatus.GRANTED, confirmed_at=START + timedelta(days=1)),
    )
    with pytest.raises(HistoryError, match="'unknown', not 'pending'"):
        lead.append(forged)


def test_nothing_is_sent_to_who_asked_to_be_left_alone_nor_asked_twice_for_consent_given():
    life, lead = captured()
    life.record_consent(lead, Consent(do_not_contact=True), actor="sam")
    with pytest.raises(ValidationError, match=r"request_opt_in\.history: expected a person who"):
        life.request_opt_in(lead, actor="mailer")
    life, lead = captured()
    life.request_opt_in(lead, actor="mailer")
    life.confirm_opt_in(lead, actor="link")
    with pytest.raises(ValidationError, match="status 'granted'"):
        life.request_opt_in(lead, actor="mailer")
    with pytest.raises(HistoryError, match="'granted', not 'pending'"):
        life.confirm_opt_in(lead, actor="link")


def test_a_request_may_be_sent_again_while_it_waits():
    life, lead = captured()
    life.request_opt_in(lead, actor="mailer")
    life.request_opt_in(lead, actor="mailer", reason="sent again: the first bounced")
    life.confirm_opt_in(lead, actor="link")
    assert lead.record.consent.status is ConsentStatus.GRANTED


@pytest.mark.parametrize(
    "status", [ConsentStatus.PENDING, ConsentStatus.REFUSED, ConsentStatus.UNKNOWN]
)
def test_only_a_granted_consent_is_confirmed(status):
    with pytest.raises(
        ValidationError, match="confirmed_at: expected None unless the status is granted"
    ):
        Consent(status=status, confirmed_at=START)
    with pytest.raises(ValidationError, match="confirmed_at"):
        Consent(status=ConsentStatus.GRANTED, confirmed_at=datetime(2026, 3, 2))


def test_a_consent_without_a_confirmation_is_written_as_before():
    life, lead = captured()
    life.record_consent(lead, Consent(status=ConsentStatus.GRANTED, recorded_at=START), actor="x")
    assert "confirmed_at" not in to_json(lead)
    assert '"confirmed_at":"2026' in to_json(captured_and_confirmed())


def captured_and_confirmed():
    life, lead = captured()
    life.request_opt_in(lead, actor="mailer")
    life.confirm_opt_in(lead, actor="link")
    return lead
