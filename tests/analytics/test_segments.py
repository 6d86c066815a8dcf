"""Reports by any column: a segment of the event table, or a custom attribute it was made with.

The book is docs/data/pipeline.csv imported through its mapping, its deals' product a
custom attribute. Each figure is checked against the CSV read with the csv module,
and every engine against polars.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
from leadlife.analytics import (
    Book,
    cohorts,
    event_table,
    loss_reasons,
    source_quality,
    time_to_win,
)
from leadlife.crm import read_table
from leadlife.errors import ValidationError

DATA = Path(__file__).parents[2] / "docs" / "data"
AT = datetime(2018, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def table():
    imported = read_table(DATA / "pipeline.csv", DATA / "pipeline.toml")
    return event_table(imported.histories, attributes=["product"])


@pytest.fixture(scope="module")
def deals() -> list[dict[str, str]]:
    """The rows the import keeps: the deals with an engage date."""
    with (DATA / "pipeline.csv").open(newline="", encoding="utf-8") as file:
        return [row for row in csv.DictReader(file) if row["engage_date"]]


def test_source_quality_by_a_custom_attribute_is_the_tables_count(table, deals):
    rows = {row[0]: row for row in source_quality(table, by="product").rows()}
    journeys = Counter(row["product"] for row in deals)
    won = Counter(row["product"] for row in deals if row["deal_stage"] == "Won")
    closed = Counter(row["product"] for row in deals if row["deal_stage"] in ("Won", "Lost"))
    assert {product: (row[1], row[3], row[-2]) for product, row in rows.items()} == {
        product: (journeys[product], won[product], closed[product]) for product in journeys
    }
    for product, row in rows.items():
        assert row[-1] == (won[product] / closed[product] if closed[product] else None)


def test_source_quality_and_cohorts_by_a_segment_of_the_table(table, deals):
    by_owner = {row[0]: row[1] for row in source_quality(table, by="owner").rows()}
    assert by_owner == Counter(row["sales_agent"] for row in deals)
    rows = cohorts(table, by="product", stages=["discovery", "customer"]).rows()
    won = Counter(row["product"] for row in deals if row["deal_stage"] == "Won")
    products = {row["product"] for row in deals}  # a cohort none of which won shows 0
    assert {row[0]: row[3] for row in rows if row[1] == "customer"} == {
        product: won[product] for product in products
    }


def test_loss_reasons_and_time_to_win_by_a_custom_attribute(table, deals):
    losses = {row[0]: row[3] for row in loss_reasons(table, by="product").rows()}
    assert losses == Counter(row["product"] for row in deals if row["deal_stage"] == "Lost")
    speed = {row[0]: row[1:3] for row in time_to_win(table, at=AT, by="product").rows()}
    for product, (journeys, won) in speed.items():
        assert journeys == sum(row["product"] == product for row in deals)
        assert won == sum(row["product"] == product and row["deal_stage"] == "Won" for row in deals)


def test_by_a_column_no_table_has_names_the_ones_there_are(table):
    with pytest.raises(ValidationError, match=r"region, owner.*product \(a custom attribute"):
        source_quality(table, by="colour")
    with pytest.raises(ValidationError, match="one of capture_month, company_size"):
        cohorts(table, by="colour", stages=["lead"])
    with pytest.raises(ValidationError, match="product"):
        loss_reasons(table, by="left_at")


def test_an_attribute_column_follows_the_record_as_it_changes():
    life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        actor="form",
        attributes={"tier": "gold", "seats": 40},
    )
    life.set_attributes(lead, {"tier": "platinum", "regions": ["EU", "US"]}, actor="sam")
    life.remove_attributes(lead, "tier", actor="sam")
    columns = event_table([lead], attributes=["tier", "seats", "regions"]).select(
        ["tier", "seats", "regions"]
    )
    assert columns.to_pylist() == [
        {"tier": "gold", "seats": "40", "regions": None},
        {"tier": "platinum", "seats": "40", "regions": '["EU","US"]'},
        {"tier": None, "seats": "40", "regions": '["EU","US"]'},
    ]


@pytest.mark.parametrize("names", [["stage"], ["product", "product"], [3], [" "]])
def test_an_attribute_named_as_a_column_twice_or_not_text_is_refused(names):
    with pytest.raises(ValidationError, match="attributes"):
        event_table([], attributes=names)


def test_every_engine_groups_as_polars_does(table, engine):
    reports = [
        lambda events: source_quality(events, by="product"),
        lambda events: cohorts(events, by="owner", stages=["discovery", "customer"]),
        lambda events: loss_reasons(events, by=["product", "owner"]),
        lambda events: time_to_win(events, at=AT, by="product"),
    ]
    expected = [make(pl.from_arrow(table)).rows() for make in reports]
    assert [make(engine(table)).rows() for make in reports] == expected
    prepared = Book.of(engine(table))
    assert [make(prepared).rows() for make in reports] == expected
