"""Every record as columns, from the event table: the same as replaying each history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import narwhals.stable.v2 as nw
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

import strategies as s
from leadlife import Opportunity, replay
from leadlife.analytics import STATE_COLUMNS, demo_events, event_table, record_states


def rows(frame) -> list[dict]:
    native = nw.from_native(frame)
    if isinstance(native, nw.LazyFrame):
        native = native.collect()
    return native.to_arrow().to_pylist()


def expected(history, at=None) -> dict:
    """The columns of the record ``replay`` rebuilds, as of ``at``."""
    record = replay(history, until=at)
    company = record.company
    kept = [event for event in history if at is None or event.at <= at]
    deal = isinstance(record, Opportunity)
    return {
        "record_id": record.id.value,
        "record_kind": record.id.kind.value,
        "stage": record.stage,
        "owner": record.owner,
        "source_channel": record.source.channel,
        "source_campaign": record.source.campaign,
        "company_size": None if company is None else company.size.value,
        "industry": None if company is None else company.industry,
        "region": None if company is None else company.region,
        # A deal may have no amount yet.
        "amount": record.amount.amount if deal and record.amount is not None else None,
        "currency": record.amount.currency if deal and record.amount is not None else None,
        "win_probability": record.win_probability if deal else None,
        "events": len(kept),
        "last_at": kept[-1].at,
    }


def comparable(row: dict) -> dict:
    row = {key: value for key, value in row.items() if key != "journey_id"}
    if row["amount"] is not None:
        row["amount"] = row["amount"].normalize()
    return row


@settings(max_examples=60, deadline=None)
@given(s.journeys(), st.integers(min_value=0, max_value=24 * 200))
def test_each_records_columns_are_its_replay(journey, hours):
    table = event_table(journey)
    at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(hours=hours)
    for moment in (None, at):
        got = {row["record_id"]: comparable(row) for row in rows(record_states(table, at=moment))}
        want = {
            history.record_id.value: comparable(expected(history, moment))
            for history in journey
            if moment is None or history[0].at <= moment
        }
        assert got == want


def test_every_engine_gives_the_same_states(engine):
    table = demo_events(weeks=3)
    reference = rows(record_states(pl.from_arrow(table)))
    assert rows(record_states(engine(table))) == reference
    assert list(reference[0]) == [*STATE_COLUMNS, "events", "last_at"]
    assert len(reference) == 27  # nine records a week
