from datetime import UTC, date, datetime, timedelta

import attrs
import pytest

from leadlife import (
    Contact,
    Lead,
    LeadId,
    Money,
    Opportunity,
    OpportunityId,
    Prospect,
    ProspectId,
    RecordKind,
    Source,
)
from leadlife.errors import ValidationError
from leadlife.values import Objection, ObjectionKind

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


def lead(**changes) -> Lead:
    fields = {
        "id": LeadId("L-1"),
        "stage": "suspect",
        "contact": Contact(name="Ada"),
        "source": Source(channel="web"),
        "created_at": AT,
    }
    return Lead(**{**fields, **changes})


def opportunity(**changes) -> Opportunity:
    fields = {
        "id": OpportunityId("O-1"),
        "prospect_id": ProspectId("P-1"),
        "stage": "discovery",
        "contact": Contact(name="Ada"),
        "source": Source(channel="web"),
        "name": "Two engines",
        "amount": Money.of("24000", "GBP"),
        "expected_close": date(2026, 6, 30),
        "win_probability": 0.3,
        "created_at": AT,
    }
    return Opportunity(**{**fields, **changes})


def test_times_default_to_the_creation_time():
    record = lead()
    assert record.stage_since == record.updated_at == AT


def test_a_naive_creation_time_is_refused():
    with pytest.raises(ValidationError, match=r"Lead\.created_at: expected a timezone-aware"):
        lead(created_at=datetime(2026, 3, 2, 9))


def test_times_must_be_in_order():
    with pytest.raises(ValidationError, match="stage_since"):
        lead(stage_since=AT - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="updated_at"):
        lead(stage_since=AT + timedelta(days=1), updated_at=AT)


def test_tags_become_a_frozenset_and_duplicates_are_refused():
    assert lead(tags=["b", "a"]).tags == frozenset({"a", "b"})
    with pytest.raises(ValidationError, match=r"Lead\.tags: expected distinct strings"):
        lead(tags=["a", "a"])


@pytest.mark.parametrize("tags", ["vip", [""], [1], 3])
def test_tags_must_be_a_collection_of_non_blank_strings(tags):
    with pytest.raises(ValidationError, match=r"Lead\.tags"):
        lead(tags=tags)


def test_attributes_must_be_json_safe_and_name_the_path():
    with pytest.raises(ValidationError) as caught:
        lead(attributes={"score": [1, date(2026, 1, 1)]})
    assert caught.value.field == "attributes['score'][1]"


def test_attributes_are_read_only():
    record = lead(attributes={"segment": "smb"})
    with pytest.raises(TypeError):
        record.attributes["segment"] = "enterprise"  # type: ignore[index]


def test_review_on_is_a_date_not_a_datetime():
    with pytest.raises(ValidationError, match="a date"):
        lead(review_on=AT)


def test_the_id_must_be_of_the_records_kind():
    with pytest.raises(ValidationError, match="a LeadId"):
        lead(id=ProspectId("L-1"))


def test_records_are_frozen():
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        lead().stage = "lead"  # type: ignore[misc]


def test_repr_starts_with_who_it_is_and_stays_short():
    text = repr(opportunity())
    assert text.startswith("<Opportunity O-1 at ")
    assert len(text) < 120


def test_kinds():
    assert (Lead.kind, Prospect.kind, Opportunity.kind) == (
        RecordKind.LEAD,
        RecordKind.PROSPECT,
        RecordKind.OPPORTUNITY,
    )


def test_conversion_carries_every_fact_and_the_lineage():
    source = lead(tags={"vip"}, attributes={"a": 1}, owner="bob")
    prospect = Prospect.from_lead(source, id=ProspectId("P-1"), stage="prospect", at=AT)
    assert prospect.lead_id == source.id
    for field in ("contact", "source", "company", "owner", "consent", "tags", "attributes"):
        assert getattr(prospect, field) == getattr(source, field)
    deal = Opportunity.from_prospect(
        prospect,
        id=OpportunityId("O-1"),
        stage="discovery",
        at=AT,
        name="Deal",
        amount=Money.of("1", "EUR"),
        expected_close=date(2026, 5, 1),
        win_probability=0.5,
    )
    assert deal.prospect_id == prospect.id
    assert deal.tags == source.tags
    assert deal.converted_to is None


@pytest.mark.parametrize("odds", [-0.1, 1.01, float("nan"), True, "0.5"])
def test_win_probability_is_between_0_and_1(odds):
    with pytest.raises(ValidationError, match="win_probability"):
        opportunity(win_probability=odds)


def test_weighted_amount_is_exact():
    assert opportunity(win_probability=0.3).weighted_amount == Money.of("7200.0", "GBP")


def test_objections_and_competitors_become_tuples():
    objection = Objection(kind=ObjectionKind.PRICE, raised_at=AT)
    deal = opportunity(objections=[objection], competitors=["Acme", "Globex"])
    assert deal.objections == (objection,)
    assert deal.competitors == ("Acme", "Globex")


def test_objections_must_be_objections():
    with pytest.raises(ValidationError, match="list of Objection"):
        opportunity(objections=["price"])


def test_competitors_must_be_distinct():
    with pytest.raises(ValidationError, match="distinct"):
        opportunity(competitors=["Acme", "Acme"])
    with pytest.raises(ValidationError, match="non-blank"):
        opportunity(competitors="Acme")


def test_what_a_new_record_has_not_got_yet_is_shared_not_copied():
    # A book of a million leads pays for no empty tag set and no blank consent of its own
    # (benchmarks/bench_memory.py): both are immutable, so one value serves every record.
    first, second = lead(), lead(tags=[])
    assert first.tags is second.tags
    assert first.tags == frozenset()
    assert first.consent is second.consent
    assert lead(tags=["vip"]).tags == frozenset({"vip"})
