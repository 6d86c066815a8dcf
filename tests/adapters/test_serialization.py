import json
from datetime import UTC, date, datetime

import pytest

from leadlife import (
    Contact,
    DefaultFunnel,
    FunnelSpec,
    History,
    Lead,
    LeadId,
    LifecycleEvent,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    from_dict,
    from_json,
    funnel_from_spec,
    to_dict,
    to_json,
)
from leadlife.errors import (
    FunnelDefinitionError,
    NotSerializableError,
    ReplayError,
    SchemaVersionError,
    StructureError,
)
from leadlife.events import OwnerAssigned, StageChanged
from leadlife.qualification import Competition, Method, Provenance
from leadlife.screening import Reason, Screening
from leadlife.serialization import SCHEMA_VERSION, make_converter

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
NO_BUDGET = Screening(reason=Reason.NO_BUDGET, told=True)


def test_documents_carry_the_schema_and_the_type(lead_history):
    document = to_dict(lead_history.record)
    assert (document["schema"], document["type"]) == (SCHEMA_VERSION, "Lead")
    assert document["data"]["id"] == "L-1"
    assert document["data"]["created_at"] == "2026-03-02T09:00:00+00:00"


def test_a_record_comes_back_equal(lead_history):
    assert from_dict(to_dict(lead_history.record), Lead) == lead_history.record
    assert from_json(to_json(lead_history.record)) == lead_history.record


def test_a_history_comes_back_and_replays(life, lead_history):
    life.send(lead_history, "engage", actor="ada", payload={"mail": [1, 2]})
    life.send(
        lead_history, "disqualify", actor="ada", screening=NO_BUDGET, review_on=date(2026, 9, 1)
    )
    document = to_dict(lead_history)
    assert [event["type"] for event in document["data"]] == [
        "LeadCaptured",
        "StageChanged",
        "StageChanged",
    ]
    back = from_dict(document, History)
    assert back == lead_history
    assert back.record == lead_history.record


def test_an_event_read_as_any_event(lead_history):
    event = lead_history[0]
    assert from_dict(to_dict(event), LifecycleEvent) == event


def test_an_event_field_with_any_record_kind_says_which():
    event = OwnerAssigned(record_id=LeadId("L-1"), at=AT, actor="ops", owner="bob")
    assert to_dict(event)["data"]["record_id"] == {"kind": "lead", "id": "L-1"}


def test_money_keeps_its_exact_decimal_text():
    assert to_dict(Money.of("12000.00", "EUR"))["data"] == {"amount": "12000.00", "currency": "EUR"}
    assert str(from_json(to_json(Money.of("0.10", "EUR")), Money).amount) == "0.10"


def test_a_funnel_spec_is_a_document_too():
    assert from_json(to_json(DefaultFunnel.spec()), FunnelSpec) == DefaultFunnel.spec()


def test_a_future_schema_version_is_refused(lead_history):
    document = {**to_dict(lead_history.record), "schema": 2}
    with pytest.raises(SchemaVersionError) as caught:
        from_dict(document)
    assert (caught.value.found, caught.value.supported) == (2, (1,))


def test_the_wrong_type_is_refused(lead_history):
    with pytest.raises(
        StructureError, match=r"expected a Money, the document holds a Lead @ \$\.type"
    ):
        from_dict(to_dict(lead_history.record), Money)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], r"expected a document object"),
        ({"schema": 1, "type": "Lead"}, r"required field missing @ \$\.data"),
        ({"schema": 1, "type": "Lead", "data": {}, "x": 1}, r"unknown keys \['x'\]"),
        ({"schema": "1", "type": "Lead", "data": {}}, r"integer schema version"),
        ({"schema": True, "type": "Lead", "data": {}}, r"integer schema version"),
        ({"schema": 1, "type": "os.system", "data": {}}, r"unknown type 'os.system'"),
        ({"schema": 1, "type": 3, "data": {}}, r"unknown type 3"),
    ],
)
def test_malformed_documents_are_refused(document, message):
    with pytest.raises(StructureError, match=message):
        from_dict(document)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": 7}, r"expected a LeadId string, got 7 @ \$\.data\.id"),
        ({"id": ""}, r"@ \$\.data\.id\.value"),
        ({"stage": 3}, r"expected a string, got 3 @ \$\.data\.stage"),
        ({"created_at": "2026-03-02T09:00:00"}, r"offset.* @ \$\.data\.created_at"),
        ({"created_at": "yesterday"}, r"@ \$\.data\.created_at"),
        ({"review_on": "2026-03-02T09:00:00+00:00"}, r"ISO 8601 date .* @ \$\.data\.review_on"),
        ({"review_on": "2026-02-30"}, r"@ \$\.data\.review_on"),
        ({"tags": ["a", "a"]}, r"distinct strings.* @ \$\.data\.tags"),
        ({"tags": "a"}, r"a list of strings.* @ \$\.data\.tags"),
        ({"attributes": {"a": float("inf")}}, r"finite number.* @ \$\.data\.attributes\['a'\]"),
        (
            {
                "contact": {
                    "name": "A",
                    "email": "nope",
                    "phone": None,
                    "title": None,
                    "role": "unknown",
                }
            },
            r"e-mail address .* @ \$\.data\.contact\.email",
        ),
        (
            {"contact": {"name": "A", "email": None, "phone": None, "title": None, "role": "boss"}},
            r"one of 'decision_maker'.* @ \$\.data\.contact\.role",
        ),
        ({"contact": {"email": None}}, r"required field missing @ \$\.data\.contact\.name"),
        ({"extra": 1}, r"unknown fields \['extra'\] @ \$\.data"),
        (
            {"converted_to": {"kind": "prospect", "id": "P-1"}},
            r"ProspectId string.* @ \$\.data\.converted_to",
        ),
        (
            {"consent": {"status": "unknown", "do_not_contact": 0, "recorded_at": None}},
            r"true or false, got 0 @ \$\.data\.consent\.do_not_contact",
        ),
        (
            {"stage_since": "2020-01-01T00:00:00+00:00"},
            r"not before created_at.* @ \$\.data\.stage_since",
        ),
    ],
)
def test_bad_fields_are_named_by_their_path(lead_history, change, expected):
    document = json.loads(to_json(lead_history.record))
    document["data"].update(change)
    with pytest.raises(StructureError, match=expected) as caught:
        from_dict(document, Lead)
    assert caught.value.path.startswith("$.data")


def test_every_problem_is_reported_at_once(lead_history):
    document = json.loads(to_json(lead_history.record))
    document["data"].update(stage=1, owner=2)
    with pytest.raises(StructureError) as caught:
        from_dict(document)
    assert len(caught.value.errors) == 2


def test_numbers_are_not_coerced():
    document = to_dict(Money.of("1", "EUR"))
    document["data"]["amount"] = 1.1
    with pytest.raises(StructureError, match="decimal string"):
        from_dict(document)
    document["data"]["amount"] = "1.1.1"
    with pytest.raises(StructureError, match="decimal string"):
        from_dict(document)


@pytest.mark.parametrize("given", ["acme", {"acme": 1}, 7])
def test_a_list_is_not_made_of_what_is_not_one(given):
    # cattrs would build a sequence from any iterable: "acme" would become its letters.
    said = Provenance(recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL)
    competition = Competition(competitors=("acme",), provenance=said)
    document = to_dict(competition)
    assert from_dict(document) == competition
    document["data"]["competitors"] = given
    with pytest.raises(StructureError) as caught:
        from_dict(document)
    assert caught.value.errors == (f"expected a list, got {given!r} @ $.data.competitors",)


def test_missing_optional_fields_take_their_defaults():
    document = to_dict(Contact(name="Ada"))
    document["data"] = {"name": "Ada"}
    assert from_dict(document, Contact) == Contact(name="Ada")


def test_a_probability_may_be_a_json_integer(life, lead_history):
    deal = life.start(
        Opportunity(
            id=OpportunityId("O-1"),
            prospect_id=ProspectId("P-1"),
            stage="discovery",
            contact=Contact(name="Ada"),
            source=lead_history.record.source,
            name="d",
            amount=Money.of("1", "EUR"),
            expected_close=date(2026, 5, 1),
            win_probability=1.0,
            created_at=AT,
        ),
        actor="x",
    ).record
    document = to_dict(deal)
    document["data"]["win_probability"] = 1
    assert from_dict(document).win_probability == 1.0
    document["data"]["win_probability"] = True
    with pytest.raises(StructureError, match="a number, got True"):
        from_dict(document)


def test_event_records_in_histories_are_tagged(lead_history):
    document = to_dict(lead_history)
    document["data"][0]["type"] = "Teleported"
    with pytest.raises(StructureError, match=r"an event type among .* @ \$\.data\[0\]\.type"):
        from_dict(document)
    document["data"][0] = "x"
    with pytest.raises(StructureError, match=r"an event object, got 'x' @ \$\.data\[0\]"):
        from_dict(document)


def test_record_ids_of_any_kind_must_say_which():
    document = to_dict(
        StageChanged(
            record_id=LeadId("L-1"), at=AT, actor="x", event="e", from_stage="a", to_stage="b"
        )
    )
    document["data"]["record_id"] = "L-1"
    with pytest.raises(StructureError, match=r'\{"kind": \.\.\., "id": \.\.\.\}'):
        from_dict(document)
    document["data"]["record_id"] = {"kind": "customer", "id": "L-1"}
    with pytest.raises(StructureError, match="one of 'lead'"):
        from_dict(document)


def test_a_history_that_does_not_replay_is_refused(life, lead_history):
    life.send(lead_history, "engage", actor="x")
    document = to_dict(lead_history)
    document["data"].reverse()
    with pytest.raises(ReplayError) as caught:
        from_dict(document, History)
    assert caught.value.index == 0
    document["data"] = {}
    with pytest.raises(StructureError, match="a list of events"):
        from_dict(document, History)


def test_json_text_that_is_not_json_is_refused():
    with pytest.raises(StructureError, match="valid JSON text"):
        from_json("{")
    with pytest.raises(StructureError, match="NaN is not a JSON number"):
        from_json('{"schema": 1, "type": "Money", "data": {"amount": NaN, "currency": "EUR"}}')


def test_only_leadlife_types_are_serialized():
    with pytest.raises(NotSerializableError, match="dict is not a leadlife type"):
        to_dict({"a": 1})


def test_many_objects_at_once_point_to_json_lines(lead_history):
    with pytest.raises(NotSerializableError, match=r"JSON Lines with leadlife\.dump") as caught:
        to_json([lead_history, lead_history])
    assert isinstance(caught.value, TypeError)  # what it was before, still caught the same way


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"schema": 1, "type": "Lead", "data": []},
            r"expected an object with the fields of Lead, got \[\] @ \$\.data$",
        ),
        (
            {"schema": 1, "type": "Assessed", "data": None},
            r"object with the fields of Assessed, got None @ \$\.data$",
        ),
        ({"schema": 1, "type": "FunnelSpec", "data": None}, r"must be an object.* @ \$\.data$"),
        (
            {"schema": 1, "type": "History", "data": [{"type": "StageChanged", "x": 1}, 3]},
            r"an event object, got 3 @ \$\.data\[1\]",
        ),
        (
            {"schema": 1, "type": "Lead", "data": {"contact": [1]}},
            r"fields of Contact, got \[1\] @ \$\.data\.contact",
        ),
    ],
)
def test_data_of_the_wrong_shape_is_refused_by_path(document, message):
    with pytest.raises(StructureError, match=message):
        from_dict(document)


DEEP = "[" * 10_000 + "]" * 10_000


@pytest.mark.parametrize(
    "read",
    [
        lambda: from_json('{"schema": 1, "type": "History", "data": ' + DEEP + "}"),
        # Deeper than the limit, not deep enough to exhaust the parser: the walk finds it.
        lambda: from_json(
            '{"schema": 1, "type": "History", "data": ' + "[" * 101 + "]" * 101 + "}"
        ),
        lambda: from_dict(
            {"schema": 1, "type": "History", "data": json.loads("[" * 150 + "]" * 150)}
        ),
        lambda: FunnelSpec.from_dict(DEEP),
        lambda: funnel_from_spec(DEEP),
    ],
)
def test_documents_nested_beyond_the_limit_are_refused_before_structuring(read):
    with pytest.raises((StructureError, FunnelDefinitionError), match="nested at most 100 levels"):
        read()


def test_a_document_with_many_brackets_but_shallow_is_read(lead_history):
    # More brackets than the limit (so it is walked), none of them deep.
    document = to_dict(lead_history.record)
    document["data"]["attributes"] = {"lists": [[] for _ in range(150)]}
    assert from_json(json.dumps(document)).attributes == {"lists": [[] for _ in range(150)]}


def test_a_document_within_the_limit_is_read(lead_history):
    document = to_dict(lead_history.record)
    deep: list = []
    for _ in range(30):
        deep = [deep]
    document["data"]["attributes"] = {"deep": deep}
    assert from_dict(document).attributes == {"deep": deep}


def test_record_data_without_its_envelope_is_named_as_such(lead_history):
    data = to_dict(lead_history.record)["data"]
    with pytest.raises(StructureError, match=r"\{\"schema\": 1, .*without its envelope"):
        from_dict(data)


def test_a_funnel_spec_travels_in_the_form_people_write():
    document = to_dict(DefaultFunnel.spec())
    assert document["data"] == DefaultFunnel.spec().to_dict()
    assert isinstance(document["data"]["stages"], dict)
    document["data"]["stages"]["nurture"]["kind"] = "prospekt"
    with pytest.raises(
        StructureError, match=r"must be one of .* @ \$\.data\.stages\.nurture\.kind"
    ):
        from_dict(document)


def test_a_converter_of_ones_own_is_independent():
    first, second = make_converter(), make_converter()
    assert first is not second
    assert first.unstructure(Contact(name="Ada"))["role"] == "unknown"


def test_indented_json():
    assert "\n" in to_json(Money.of("1", "EUR"), indent=2)
