"""The event table: one row per event, journeys stitched, stable columns, every engine reads it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
import pm4py
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

import strategies as s
from leadlife import Contact, DefaultFunnel, FixedClock, LeadId, Lifecycle, Source
from leadlife._adapters.demo import run
from leadlife.analytics import (
    ACTIVITY,
    CASE,
    EVENT_COLUMNS,
    TIMESTAMP,
    event_batches,
    event_frame,
    event_schema,
    event_table,
    process_log,
    write_parquet,
)
from leadlife.errors import HistoryError, ValidationError
from leadlife.events import OwnerAssigned


@pytest.fixture(scope="module")
def demo_book():
    """The demo's histories: five people, two won or lost deals, a recycle, an opt-out."""
    journeys, _ = run()
    return [history for journey in journeys for history in journey]


def test_the_table_has_the_documented_columns_and_types(demo_book):
    table = event_table(demo_book)
    assert table.schema == event_schema()
    assert table.column_names == [column.name for column in EVENT_COLUMNS]
    assert table.schema.field("at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("amount").type == pa.decimal128(30, 12)
    for column in EVENT_COLUMNS:
        if not column.nullable:
            assert table.column(column.name).null_count == 0, column.name


def test_one_row_per_event_in_history_order(demo_book):
    table = event_table(demo_book)
    assert table.num_rows == sum(len(history) for history in demo_book)
    rows = table.select(["record_id", "seq", "event_type"]).to_pylist()
    for history in demo_book:
        ours = [row for row in rows if row["record_id"] == history.record.id.value]
        assert [row["seq"] for row in ours] == list(range(len(history)))
        assert [row["event_type"] for row in ours] == [type(e).__name__ for e in history]


def test_a_lead_its_prospect_and_its_opportunity_are_one_journey(demo_book):
    frame = pl.from_arrow(event_table(demo_book))
    journeys = frame.group_by("record_id").agg(pl.col("journey_id").unique()).sort("record_id")
    assert dict(zip(journeys["record_id"], journeys["journey_id"].to_list(), strict=True)) == {
        "L-1": ["L-1"],
        "L-2": ["L-2"],
        "L-3": ["L-3"],
        "L-4": ["L-4"],
        "L-5": ["L-5"],
        "O-1": ["L-1"],
        "O-2": ["L-2"],
        "P-1": ["L-1"],
        "P-2": ["L-2"],
    }


def test_the_fields_an_analyst_filters_on(demo_book):
    frame = pl.from_arrow(event_table(demo_book))
    lost = frame.filter(pl.col("event") == "lose").row(0, named=True)
    assert (lost["record_id"], lost["reason_code"], lost["objection"]) == (
        "O-2",
        "bad_timing",
        "stall",
    )
    assert lost["review_on"] is not None
    won = frame.filter(pl.col("event") == "win").row(0, named=True)
    assert won["reason_code"] is not None
    deal = next(h.record for h in demo_book if h.record.id.value == won["record_id"])
    assert won["amount"] == deal.amount.amount  # revised before the win: the figure as of the row
    assert won["currency"] == deal.amount.currency
    answered = frame.filter(pl.col("event_type") == "ObjectionAnswered").row(0, named=True)
    assert answered["tactic"] is not None
    assert answered["objection"] is not None
    assert frame.filter(pl.col("event_type") == "CompetitorNoted")["competitor"].to_list() != [None]
    touches = frame.filter(pl.col("event_type") == "Touched")
    assert touches["touch_channel"].null_count() == 0
    qualify = frame.filter(pl.col("event") == "qualify").row(0, named=True)
    assert (qualify["converted_to"], qualify["entered"]) == ("P-1", False)
    assert frame.filter(pl.col("event") == "recycle")["recycles"].all()


def test_times_are_utc_whatever_zone_they_were_recorded_in():
    paris = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Paris"))
    life = Lifecycle(clock=FixedClock(paris))
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    (at,) = event_table([lead]).column("at").to_pylist()
    assert at == paris
    assert at.utcoffset() == timedelta(0)
    assert at.hour == 9


def test_an_opportunity_met_first_waits_for_its_journey(demo_book):
    reordered = sorted(demo_book, key=lambda h: -h.record.id.kind.depth)
    table = event_table(reordered).sort_by([("record_id", "ascending"), ("seq", "ascending")])
    expected = event_table(demo_book).sort_by([("record_id", "ascending"), ("seq", "ascending")])
    assert table.equals(expected)


def test_an_opportunity_whose_prospect_is_missing_starts_its_journey_at_the_prospect(demo_book):
    deal = next(h for h in demo_book if h.record.id.value == "O-1")
    assert set(event_table([deal]).column("journey_id").to_pylist()) == {"P-1"}


def test_a_history_must_start_with_its_record():
    event = OwnerAssigned(
        record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="x", owner="sam"
    )
    with pytest.raises(HistoryError, match="starts with the event that created"):
        event_table([[event]])
    assert event_table([[]]).num_rows == 0


def test_batches_are_streamed_in_the_size_asked(demo_book):
    batches = list(event_batches(demo_book, batch_size=7))
    assert {batch.num_rows for batch in batches[:-1]} == {7}
    assert 0 < batches[-1].num_rows <= 7
    assert pa.Table.from_batches(batches).equals(event_table(demo_book))
    with pytest.raises(ValidationError, match="batch_size"):
        list(event_batches(demo_book, batch_size=0))


def test_histories_are_read_lazily():
    seen = []

    def book():
        for number in range(3):
            life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC)))
            seen.append(number)
            yield life.capture(
                id=LeadId(f"L-{number}"),
                contact=Contact(name="Ada"),
                source=Source(channel="web"),
                actor="x",
            )

    batches = event_batches(book(), batch_size=1)
    next(batches)
    assert seen == [0]


def test_parquet_holds_the_table_and_any_engine_reads_it(demo_book, tmp_path):
    path = tmp_path / "events.parquet"
    assert write_parquet(demo_book, path, batch_size=10) == sum(len(h) for h in demo_book)
    assert pq.read_table(path).equals(event_table(demo_book))
    scanned = pl.scan_parquet(path).filter(pl.col("entered")).select(pl.len()).collect().item()
    assert scanned == pl.from_arrow(event_table(demo_book)).filter(pl.col("entered")).height


def test_frames_of_each_engine_keep_the_types(demo_book):
    polars_frame = event_frame(demo_book)
    assert polars_frame.schema["at"] == pl.Datetime("us", "UTC")
    pandas_frame = event_frame(demo_book, backend="pandas")
    assert isinstance(pandas_frame, pd.DataFrame)
    assert str(pandas_frame["at"].dtype) == "timestamp[us, tz=UTC][pyarrow]"
    assert event_frame(demo_book, backend="pyarrow").equals(event_table(demo_book))
    with pytest.raises(ValidationError, match="polars, pandas or pyarrow"):
        event_frame(demo_book, backend="excel")


# -- process mining ------------------------------------------------------------------

FUNNEL_MOVES = {(move.source, move.target) for move in DefaultFunnel.spec().transitions}


def test_the_process_log_is_the_journeys_stage_entries(demo_book):
    log = process_log(event_table(demo_book))
    one = log.filter(pa.compute.equal(log[CASE], "L-1"))
    assert one[ACTIVITY].to_pylist() == [
        "suspect",
        "lead",
        "sales_ready",
        "accepted",
        "prospect",
        "discovery",
        "presentation",
        "proposal",
        "customer",
        "growing",
    ]
    assert one[TIMESTAMP].to_pylist() == sorted(one[TIMESTAMP].to_pylist())


def test_pm4py_discovers_the_funnels_moves_from_the_log(demo_book):
    log = process_log(event_frame(demo_book, backend="pandas"))
    graph, starts, _ = pm4py.discover_dfg(log)
    assert set(graph) <= FUNNEL_MOVES
    assert ("accepted", "prospect") in graph
    assert ("prospect", "discovery") in graph
    assert set(starts) == {"suspect"}


@pytest.mark.slow  # a process log per drawn journey
@settings(max_examples=50)
@given(s.journeys())
def test_every_directly_follows_edge_of_any_journey_is_a_funnel_move(journey):
    table = event_table(journey)
    assert table.num_rows == sum(len(history) for history in journey)
    assert set(table.column("journey_id").to_pylist()) == {"L-1"}
    graph, _, _ = pm4py.discover_dfg(process_log(table.to_pandas()))
    assert set(graph) <= FUNNEL_MOVES
