"""A simulated book's event table, built from its arrays: no history, no record, no row in Python.

The rows are what :func:`~leadlife.analytics.event_table` makes of the
book's histories (a test holds the two equal), computed column by column:
each move belongs to the record its journey had reached (a lead until its
conversion, then the prospect, then the deal), a conversion adds the new
record's creation row, and a record's rows are numbered in order.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.tables import event_schema
from leadlife._funnel.compiled import compile_funnel
from leadlife._funnel.table import table

if TYPE_CHECKING:
    from leadlife._prototype.simulate import Plan, SimulatedBook

ACTOR = "simulation"
"""The actor of every simulated event."""

_KINDS = pa.array(["lead", "prospect", "opportunity"])
_PREFIXES = pa.array(["L-", "P-", "O-"])
_TYPES = pa.array(["LeadCaptured", "ProspectCreated", "OpportunityOpened", "StageChanged"])
_MOVED = 3  # the code of StageChanged among _TYPES
_DAY = timedelta(days=1)
_US = timedelta(microseconds=1)
_DEAL = 2  # the depth of an opportunity


def book_table(book: SimulatedBook, plan: Plan) -> pa.Table:  # noqa: PLR0915 - one pass, column by column
    """The event table of ``book``."""
    moves = book.walk
    compiled, rules = compile_funnel(book.funnel), table(book.funnel)
    depth = np.array([rules.kinds[stage].depth for stage in compiled.stages], dtype=np.int64)
    journey, source, target = moves.journey, moves.source, moves.target
    journeys = book.journeys

    # The record each move belongs to: the deepest its journey had reached before it
    # (depths only grow by conversions; offsetting by journey keeps the running
    # maximum from crossing from one journey into the next).
    reached = depth[target]
    running = np.maximum.accumulate(reached + journey * 3) - journey * 3
    first = np.r_[True, journey[1:] != journey[:-1]] if len(journey) else np.zeros(0, bool)
    level = np.where(first, 0, np.r_[0, running[:-1]])
    converts = reached > level

    # Rows: a journey's lead's creation, then its moves in order, with a new
    # record's creation right after the move that converted into it (a record's
    # moves come after its creation, and depths only grow). So every row's place
    # is a count of what comes before it: no sort.
    count = len(journey)
    converted_before: npt.NDArray[np.int64] = np.cumsum(converts) - converts
    in_journeys_before = np.searchsorted(journey, np.arange(journeys))
    converted_in_journeys_before = np.r_[converted_before, converts.sum()][in_journeys_before]
    at_move = np.arange(count) + journey + 1 + converted_before
    at_lead = in_journeys_before + np.arange(journeys) + converted_in_journeys_before
    rows = count + journeys + int(converts.sum())
    is_move = np.zeros(rows, bool)
    is_move[at_move] = True
    m = np.arange(count)  # the moves, already in row order
    made_at_rows = np.r_[at_lead, at_move[converts] + 1]
    order = np.argsort(made_at_rows, kind="stable")
    made_rows = made_at_rows[order]  # the creation rows, in row order
    made_level = np.r_[np.zeros(journeys, np.int64), reached[converts]][order]
    row_journey = np.empty(rows, np.int64)
    row_journey[at_move] = journey
    row_journey[made_rows] = np.r_[np.arange(journeys), journey[converts]][order]
    row_level = np.empty(rows, np.int64)
    row_level[at_move] = level
    row_level[made_rows] = made_level
    made_at = np.r_[moves.arrivals, moves.at[converts]][order]
    made_stage = np.r_[np.full(journeys, plan.initial, np.int64), target[converts]][order]

    starts = np.zeros(rows, np.int64)
    starts[made_rows] = made_rows
    seq = np.arange(rows) - np.maximum.accumulate(starts)
    at = _spread(made_at, moves.at, is_move)
    stage = _spread(made_stage, target, is_move)
    moved = target != source
    entered = _spread(np.ones(len(made_rows), bool), moved & ~converts, is_move)
    reasons = _reasons(plan, moves, converts)
    screened = reasons != None  # noqa: E711 - elementwise, on an object array
    review = (moves.at + book.behaviour.review_after // _US) // (_DAY // _US)
    recycled = np.isin(target, [compiled.stage_codes[s] for s in rules.recycle_stages])
    stage_names = pa.array(compiled.stages)
    event_names = pa.array(compiled.events)
    owners = pa.array(book.behaviour.owners)
    channels = pa.array(list(book.behaviour.sources))

    # Ids as text once per record (a lead's is its journey's), then taken onto
    # the rows: cheaper than joining text on every row.
    journey_ids = pc.binary_join_element_wise(
        pa.scalar("L-"), pc.cast(pa.array(np.arange(journeys)), pa.string()), ""
    )
    conversions = int(converts.sum())
    new_ids = pc.binary_join_element_wise(
        _PREFIXES.take(pa.array(reached[converts])),
        pc.cast(pa.array(journey[converts]), pa.string()),
        "",
    )
    record_ids = pa.concat_arrays([journey_ids, new_ids])
    made_record = np.r_[np.arange(journeys), journeys + np.arange(conversions)][order]
    starts_record = np.zeros(rows, np.int64)
    starts_record[made_rows] = np.arange(len(made_rows))
    record_of_row = made_record[np.maximum.accumulate(starts_record)]
    conversion_of_row = np.full(rows, -1, dtype=np.int64)
    conversion_of_row[at_move[converts]] = np.arange(conversions)
    row_types = np.full(rows, _MOVED, dtype=np.int64)
    row_types[made_rows] = made_level

    # Where each row's move is (null on a creation row): shared by every move column.
    move_of = np.full(rows, -1, dtype=np.int64)
    move_of[at_move] = m
    moves_at_rows = pa.array(move_of, mask=~is_move)

    def on_moves(values: pa.Array | npt.NDArray[Any], kind: pa.DataType) -> pa.Array:
        """``values`` (one per move) on the move rows, null on the creation rows."""
        given = values if isinstance(values, pa.Array) else pa.array(values, kind)
        return given.take(moves_at_rows).cast(kind)

    stage_column = stage_names.take(pa.array(stage))
    columns: dict[str, Any] = {
        "journey_id": journey_ids.take(pa.array(row_journey)),
        "record_id": record_ids.take(pa.array(record_of_row)),
        "record_kind": _KINDS.take(pa.array(row_level)),
        "seq": pa.array(seq, pa.int32()),
        "event_type": _TYPES.take(pa.array(row_types)),
        "event": on_moves(
            event_names.take(pa.array(plan.event[source, moves.choice])), pa.string()
        ),
        "from_stage": on_moves(stage_names.take(pa.array(source)), pa.string()),
        "to_stage": stage_column,
        "stage": stage_column,
        "entered": pa.array(entered),
        "at": pa.array(at, pa.timestamp("us", tz="UTC")),
        "actor": pa.repeat(pa.scalar(ACTOR), rows),
        "owner": owners.take(pa.array(moves.owners[row_journey])),
        "reason_code": on_moves(reasons, pa.string()),
        "review_on": on_moves(
            pa.array(review, pa.int32(), mask=~screened).cast(pa.date32()), pa.date32()
        ),
        # A simulated screen-out is neither told nor mutual (Screening's defaults).
        "told": on_moves(pa.array(np.zeros(count, bool), mask=~screened), pa.bool_()),
        "mutual": on_moves(pa.array(np.zeros(count, bool), mask=~screened), pa.bool_()),
        "recycles": pa.array(_spread(np.zeros(len(made_rows), bool), recycled & moved, is_move)),
        "converted_to": new_ids.take(pa.array(conversion_of_row, mask=conversion_of_row < 0)),
        "source_channel": channels.take(pa.array(moves.sources[row_journey])),
        **_deals(book, row_journey=row_journey, row_level=row_level, is_move=is_move),
    }
    schema = event_schema()
    return pa.Table.from_arrays(
        [
            columns[field.name].cast(field.type)
            if field.name in columns
            else pa.nulls(rows, field.type)
            for field in schema
        ],
        schema=schema,
    )


def _spread(
    created: npt.NDArray[Any], moved: npt.NDArray[Any], is_move: npt.NDArray[np.bool_]
) -> npt.NDArray[Any]:
    """One column from the creation rows' values and the move rows' values."""
    column = np.empty(len(is_move), dtype=np.result_type(created, moved))
    column[~is_move] = created
    column[is_move] = moved
    return column


def _reasons(plan: Plan, moves: Any, converts: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """Each move's screening reason (drawn by its share), or None."""
    found = np.full(len(moves.journey), None, dtype=object)
    for (stage, index), (codes, shares) in plan.reasons.items():
        hit = (moves.source == stage) & (moves.choice == index) & ~converts
        drawn = np.searchsorted(shares, moves.draw[hit], side="right")
        found[hit] = np.array(codes, dtype=object)[drawn]
    return found


def _deals(
    book: SimulatedBook,
    *,
    row_journey: npt.NDArray[np.int64],
    row_level: npt.NDArray[np.int64],
    is_move: npt.NDArray[np.bool_],
) -> dict[str, pa.Array]:
    """The deal columns: on an opportunity's rows, its amount and its odds as they stood."""
    deal = row_level == _DEAL
    rows = len(row_level)
    # Each journey's amount, made exact once (the schema's type is checked at the end).
    amounts = pa.array(book.walk.deals).cast(pa.decimal128(38, 12))
    compiled, rules = compile_funnel(book.funnel), table(book.funnel)
    won = [compiled.stage_codes[stage] for stage in rules.won_stages]
    lost = [compiled.stage_codes[stage] for stage in rules.lost_stages]
    moves = book.walk
    settle = np.full(rows, np.nan)
    settle[~is_move] = book.behaviour.win_probability
    on_move = np.full(len(moves.target), np.nan)
    moved = moves.target != moves.source
    on_move[np.isin(moves.target, won) & moved] = 1.0
    on_move[np.isin(moves.target, lost) & moved] = 0.0
    settle[is_move] = on_move
    # Forward: a deal's odds stay as the last move that settled them left them
    # (each deal's rows start with its opening, which sets them).
    known = np.where(~np.isnan(settle), np.arange(rows), 0)
    odds = settle[np.maximum.accumulate(known)]
    currency = book.behaviour.deal_size.currency
    return {
        "amount": amounts.take(pa.array(row_journey, mask=~deal)),
        "currency": pa.array([None, currency], pa.string()).take(pa.array(deal.astype(np.int8))),
        "win_probability": pa.array(odds, pa.float64(), mask=~deal),
    }
