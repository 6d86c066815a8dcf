from datetime import UTC, date, datetime

import pytest

from leadlife import Contact, Lead, LeadId, OpportunityId, ProspectId, Source
from leadlife.errors import ValidationError
from leadlife.events import AttributesChanged, LeadCaptured, StageChanged, TagsChanged

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def moved(**changes) -> StageChanged:
    fields = {
        "record_id": LeadId("L-1"),
        "at": AT,
        "actor": "bob",
        "event": "engage",
        "from_stage": "suspect",
        "to_stage": "lead",
    }
    return StageChanged(**{**fields, **changes})


def test_events_are_values():
    assert moved() == moved()
    assert hash(moved()) == hash(moved())


def test_payload_is_frozen_json():
    event = moved(payload={"campaign": ["spring", 2026]})
    assert event.payload["campaign"] == ("spring", 2026)


def test_payload_must_be_json_safe():
    with pytest.raises(ValidationError) as caught:
        moved(payload={"when": date(2026, 1, 1)})
    assert caught.value.field == "payload['when']"


def test_actor_is_required():
    with pytest.raises(ValidationError, match=r"StageChanged\.actor"):
        moved(actor="")


def test_time_must_be_aware():
    with pytest.raises(ValidationError, match=r"StageChanged\.at"):
        moved(at=datetime(2026, 3, 2))


def test_record_id_must_be_an_id():
    with pytest.raises(ValidationError, match="record_id"):
        moved(record_id="L-1")


def test_conversion_points_one_level_deeper():
    assert moved(converted_to=ProspectId("P-1")).converted_to == ProspectId("P-1")
    with pytest.raises(ValidationError, match="next deeper record"):
        moved(converted_to=OpportunityId("O-1"))
    with pytest.raises(ValidationError, match="next deeper record"):
        moved(converted_to="P-1")


def test_created_event_snapshot_must_be_of_its_record():
    lead = Lead(
        id=LeadId("L-1"),
        stage="suspect",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        created_at=AT,
    )
    assert LeadCaptured(record_id=LeadId("L-1"), at=AT, actor="x", lead=lead).record is lead
    with pytest.raises(ValidationError, match="whose id is the event's record_id"):
        LeadCaptured(record_id=LeadId("L-2"), at=AT, actor="x", lead=lead)


def test_a_tag_change_changes_something():
    with pytest.raises(ValidationError, match="at least one tag"):
        TagsChanged(record_id=LeadId("L-1"), at=AT, actor="x")
    with pytest.raises(ValidationError, match="not both added and removed"):
        TagsChanged(record_id=LeadId("L-1"), at=AT, actor="x", added={"a"}, removed={"a"})


def test_an_attribute_change_changes_something():
    with pytest.raises(ValidationError, match="at least one attribute"):
        AttributesChanged(record_id=LeadId("L-1"), at=AT, actor="x")
    with pytest.raises(ValidationError, match="not both updated and removed"):
        AttributesChanged(
            record_id=LeadId("L-1"), at=AT, actor="x", updated={"a": 1}, removed={"a"}
        )
