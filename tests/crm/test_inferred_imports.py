"""Imports say only what the data says: the moves it does not show are marked inferred.

A move is inferred when an import walked through its stage to reach one the data
dates, when the data gives a status but not when it was reached, and every event
of a lead a deals table only implies. The record is the same either way; the mark
travels with the event, and only where it is true.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import attrs

from leadlife import (
    DefaultFunnel,
    FunnelSpec,
    LeadId,
    dump,
    from_json,
    funnel_from_spec,
    load,
    replay,
    to_json,
)
from leadlife.analytics import conformance, event_table
from leadlife.crm import read_hubspot, read_table
from leadlife.events import StageChanged

DATA = Path(__file__).parents[2] / "docs" / "data"


def marks(history) -> list[tuple[str, str | None, bool]]:
    return [(type(e).__name__, getattr(e, "to_stage", None), e.inferred) for e in history.events]


def pipeline():
    return read_table(DATA / "pipeline.csv", DATA / "pipeline.toml").histories


def test_a_deal_on_its_own_implies_its_lead_every_event_of_which_is_inferred():
    histories = pipeline()
    leads = [h for h in histories if h.record.kind.value == "lead"]
    assert leads
    for lead in leads:
        assert all(event.inferred for event in lead.events), marks(lead)
    prospects = [h for h in histories if h.record.kind.value == "prospect"]
    for prospect in prospects:
        # Created by the conversion the table implies; opening the deal is the data's.
        created, opened = prospect.events
        assert created.inferred
        assert not opened.inferred


def test_a_won_deal_walks_through_its_stages_inferred_and_wins_when_the_data_says():
    deals = {h.record_id.value: h for h in pipeline() if h.record.kind.value == "opportunity"}
    won = deals["5BX3Q8TJ"]  # Won, engaged 2017-03-26, closed 2017-05-21
    moves = [
        (e.to_stage, e.at.date().isoformat(), e.inferred)
        for e in won.events
        if isinstance(e, StageChanged)
    ]
    assert moves == [
        ("presentation", "2017-05-21", True),
        ("proposal", "2017-05-21", True),
        ("customer", "2017-05-21", False),
    ]
    assert not won.events[0].inferred  # the deal's opening: the table's engage_date


def test_a_status_the_table_does_not_date_is_inferred_where_it_is_placed():
    deals = {h.record_id.value: h for h in pipeline() if h.record.kind.value == "opportunity"}
    engaging = deals["W120F9J3"]  # Engaging: no close date, so no date for the status
    (move,) = [e for e in engaging.events if isinstance(e, StageChanged)]
    assert (move.to_stage, move.inferred) == ("presentation", True)
    dated = read_table(
        [{"id": "1", "c": "2026-01-01", "s": "Working", "since": "2026-01-05"}],
        {
            "id": "id",
            "created": "c",
            "status": "s",
            "since": "since",
            "statuses": {"Working": "sales_ready"},
            "columns": {"name": "id"},
        },
    ).histories[0]
    assert [(e.to_stage, e.inferred) for e in dated.events[1:]] == [
        ("lead", True),  # walked through
        ("sales_ready", False),  # dated by the table
    ]


def test_a_crm_export_marks_the_stages_it_walks_through():
    rows = [
        {
            "Record ID": "51",
            "First Name": "Ada",
            "Lifecycle Stage": "Marketing Qualified Lead",
            "Create Date": "2026-03-02 09:00",
            "Became a Marketing Qualified Lead Date": "2026-03-04 10:00",
        }
    ]
    (history,) = read_hubspot(rows).histories
    assert marks(history) == [
        ("LeadCaptured", None, False),
        ("StageChanged", "lead", True),
        ("StageChanged", "sales_ready", False),
    ]


def test_the_mark_is_written_only_where_true_and_reads_back():
    histories = list(pipeline())
    buffer = io.StringIO()
    dump(histories, buffer)
    lines = buffer.getvalue().splitlines()
    assert all('"inferred":false' not in line for line in lines)
    assert any('"inferred":true' in line for line in lines)
    assert list(load(io.StringIO(buffer.getvalue()))) == histories
    for history in histories:
        assert replay(history.events) == history.record


def test_a_document_written_before_the_mark_reads_as_not_inferred():
    event = StageChanged(
        record_id=LeadId("L-1"),
        at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        actor="sam",
        event="engage",
        from_stage="suspect",
        to_stage="lead",
    )
    document = json.loads(to_json(event))
    assert "inferred" not in document["data"]
    assert from_json(json.dumps(document)).inferred is False
    marked = json.loads(to_json(attrs.evolve(event, inferred=True)))
    assert list(marked["data"])[-1] == "inferred"
    assert marked["data"]["inferred"] is True


def test_a_funnel_that_declares_the_jump_gets_it_as_one_observed_move():
    spec = DefaultFunnel.spec().to_dict() | {"name": "Jumps"}
    spec["transitions"] = [
        *spec["transitions"],
        {"event": "win", "source": "discovery", "target": "customer"},
    ]
    jumps = funnel_from_spec(FunnelSpec.from_dict(spec))
    histories = read_table(DATA / "pipeline.csv", DATA / "pipeline.toml", funnel=jumps).histories
    won = next(
        h for h in histories if h.record_id.value == "5BX3Q8TJ" and h.record.stage == "customer"
    )
    assert [(e.to_stage, e.inferred) for e in won.events if isinstance(e, StageChanged)] == [
        ("customer", False)
    ]
    assert conformance(event_table(histories), funnel=jumps).rows() == []
