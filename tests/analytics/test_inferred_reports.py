"""Reports on an imported book: inferred stays never read as time observed; conformance.

The book is docs/data/pipeline.csv imported through its mapping: deals alone, their
leads implied, won deals walked through the stages before their win, open deals at
a status the table does not date. Each figure is checked against an oracle in
plain Python over the histories, and on every engine against polars.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import polars as pl
import pytest

from leadlife import DefaultFunnel
from leadlife._analytics.conformance import deviation
from leadlife.analytics import Book, conformance, conversion, event_table, time_in_stage
from leadlife.crm import read_table
from leadlife.errors import ValidationError
from leadlife.events import Created, StageChanged

DATA = Path(__file__).parents[2] / "docs" / "data"
AT = datetime(2018, 1, 1, tzinfo=UTC)
SINCE, UNTIL = datetime(2016, 1, 1, tzinfo=UTC), datetime(2018, 1, 1, tzinfo=UTC)
PATH = ["discovery", "presentation", "proposal", "customer"]


@pytest.fixture(scope="module")
def histories():
    return read_table(DATA / "pipeline.csv", DATA / "pipeline.toml").histories


@pytest.fixture(scope="module")
def table(histories):
    return event_table(histories)


def entries(histories) -> dict[str, list[tuple[datetime, int, int, str, bool]]]:
    """Each journey's stage entries (when, kind order, seq, stage, inferred), in order."""
    order = {"lead": 0, "prospect": 1, "opportunity": 2}
    journeys: dict[str, list] = defaultdict(list)
    for history in histories:
        record = history.record
        journey = {
            "lead": record.id.value,
            "prospect": getattr(record, "lead_id", record.id).value,
        }.get(record.kind.value, record.id.value)  # the pipeline's ids are one per journey
        for seq, event in enumerate(history.events):
            if isinstance(event, Created):
                stage = event.record.stage
            elif isinstance(event, StageChanged) and event.to_stage != event.from_stage:
                if event.converted_to is not None:
                    continue
                stage = event.to_stage
            else:
                continue
            journeys[journey].append(
                (event.at, order[record.kind.value], seq, stage, event.inferred)
            )
    return {journey: sorted(found) for journey, found in journeys.items()}


def test_time_in_stage_leaves_out_every_stay_with_an_inferred_end(histories, table):
    stays = Counter()
    left_out = Counter()
    for found in entries(histories).values():
        for index, (_, _, _, stage, inferred) in enumerate(found):
            following = found[index + 1] if index + 1 < len(found) else None
            if inferred or (following is not None and following[4]):
                left_out[stage] += 1
            else:
                stays[stage] += 1
    rows = {row[0]: row for row in time_in_stage(table, at=AT).rows()}
    assert {stage: row[1] for stage, row in rows.items()} == {s: stays[s] for s in rows}
    assert {stage: row[-1] for stage, row in rows.items()} == {s: left_out[s] for s in rows}
    assert set(rows) == set(stays) | set(left_out)
    assert rows["proposal"][1:3] == (0, 0)  # every proposal stay is walked through
    assert rows["proposal"][-1] > 0


def test_conversion_counts_inferred_entries_or_skips_them_as_asked(histories, table):
    counted = conversion(table, stages=PATH, since=SINCE, until=UNTIL).rows()
    skipped = conversion(table, stages=PATH, since=SINCE, until=UNTIL, inferred="skip").rows()
    journeys = entries(histories).values()
    reached = {s: sum(any(e[3] == s for e in found) for found in journeys) for s in PATH}
    seen = {s: sum(any(e[3] == s and not e[4] for e in found) for found in journeys) for s in PATH}
    assert [row[2] for row in counted] == [reached[s] for s in PATH[:-1]]
    assert [row[2] for row in skipped] == [seen[s] for s in PATH[:-1]]
    assert seen["presentation"] == 0 < reached["presentation"]
    with pytest.raises(ValidationError, match="'count' or 'skip'"):
        conversion(table, stages=PATH, since=SINCE, until=UNTIL, inferred="maybe")


def test_conformance_lists_the_steps_the_data_shows_that_the_funnel_lacks(histories, table):
    roles = DefaultFunnel.roles()
    steps: dict[tuple[str, str], set[str]] = defaultdict(set)
    moves: Counter = Counter()
    with_a_step = set()
    for journey, found in entries(histories).items():
        shown = [entry[3] for entry in found if not entry[4]]
        for before, after in pairwise(shown):
            with_a_step.add(journey)
            if deviation(roles, before, after) is not None:
                steps[before, after].add(journey)
                moves[before, after] += 1
    report = conformance(table)
    assert {(row[0], row[1]): (row[3], row[4]) for row in report.rows()} == {
        step: (len(journeys), moves[step]) for step, journeys in steps.items()
    }
    off = set().union(*steps.values()) if steps else set()
    assert report.definition.endswith(
        f"{len(with_a_step) - len(off)} of {len(with_a_step)} journeys with a step conform"
    )
    assert report.rows()[0][:3] == ("discovery", "customer", "skips presentation, proposal")


def test_the_deviations_named():
    roles = DefaultFunnel.roles()
    assert deviation(roles, "discovery", "lost") is None
    assert deviation(roles, "discovery", "discovery") is None
    assert deviation(roles, "proposal", "discovery") == "goes back"
    assert deviation(roles, "lead", "nowhere") == "no way"


def test_every_engine_reads_the_inferred_as_polars_does(table, engine):
    reports = [
        lambda events: time_in_stage(events, at=AT),
        lambda events: conversion(events, stages=PATH, since=SINCE, until=UNTIL, inferred="skip"),
        conformance,
    ]
    expected = [make(pl.from_arrow(table)).rows() for make in reports]
    assert [make(engine(table)).rows() for make in reports] == expected
    prepared = Book.of(engine(table))
    assert [make(prepared).rows() for make in reports] == expected
