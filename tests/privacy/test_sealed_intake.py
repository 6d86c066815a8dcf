"""Intake into a sealed store: the door still decides by the person, the store names nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock, replay, to_json
from leadlife.errors import ValidationError
from leadlife.intake import ContactIndex, Intake, IntakeDecision
from leadlife.privacy import Vault
from leadlife.store import SQLiteStore


def test_a_sealed_intake_merges_by_the_person_and_stores_references():
    clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=1))
    store, vault = SQLiteStore(":memory:"), Vault()
    intake = Intake(store, Lifecycle(clock=clock), ContactIndex(), vault=vault)

    def submit(key, lead, name, email, phone=None):
        return intake.capture(
            key=key,
            id=LeadId(lead),
            contact=Contact(name=name, email=email, phone=phone),
            source=Source(channel="web"),
            actor="form",
        )

    assert submit("s-1", "L-1", "Ada Lovelace", "ada@example.com").decision is IntakeDecision.NEW
    again = submit("s-2", "L-2", "A. Lovelace", "ADA@example.com", "+44 20 7946 0000")
    assert (again.decision, str(again.person)) == (IntakeDecision.MERGED, "L-1")
    assert submit("s-2", "L-2", "A. Lovelace", "ADA@example.com").repeated
    stored = [to_json(history) for history in store.histories()]
    assert not any("Lovelace" in text or "example.com" in text for text in stored)
    survivor = vault.unseal(store.history(LeadId("L-1")))
    assert survivor.record.contact.phone == "+44 20 7946 0000"  # taken in the merge
    assert replay(survivor.events) == survivor.record
    with pytest.raises(ValidationError, match="a Vault or None"):
        Intake(store, Lifecycle(clock=clock), ContactIndex(), vault="vault")
