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
_CREATED = pa.array(["LeadCaptured", "ProspectCreated", "OpportunityOpened"])
_DAY = timedelta(days=1)
_US = timedelta(microseconds=1)
_DEAL = 2  # the depth of an opportunity


def book_table(book: SimulatedBook, plan: Plan) -> pa.Table:
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

    # Rows: a creation per journey and per conversion, and a row per move; a
    # record's creation first, then its moves, in order.
    made_journey = np.concatenate([np.arange(journeys), journey[converts]])
    made_level = np.concatenate([np.zeros(journeys, np.int64), reached[converts]])
    made_at = np.concatenate([moves.arrivals, moves.at[converts]])
    made_stage = np.concatenate([np.full(journeys, plan.initial, np.int64), target[converts]])
    made = len(made_journey)
    order = np.lexsort(
        (
            np.r_[np.full(made, -1), np.arange(len(journey))],
            np.r_[made_level, level],
            np.r_[made_journey, journey],
        )
    )
    is_move = order >= made
    pick = order[~is_move]  # creations, in row order
    m = order[is_move] - made  # moves, in row order
    rows = len(order)
    row_journey = np.r_[made_journey, journey][order]
    row_level = np.r_[made_level, level][order]

    begins = np.flatnonzero(
        np.r_[True, (row_journey[1:] != row_journey[:-1]) | (row_level[1:] != row_level[:-1])]
    )
    seq = np.arange(rows) - np.repeat(begins, np.diff(np.r_[begins, rows]))
    at = _spread(made_at[pick], moves.at[m], is_move)
    stage = _spread(made_stage[pick], target[m], is_move)
    moved = target[m] != source[m]
    entered = _spread(np.ones(len(pick), bool), moved & ~converts[m], is_move)
    reasons = _reasons(plan, moves, converts)[m]
    screened = reasons != None  # noqa: E711 - elementwise, on an object array
    review = (moves.at[m] + book.behaviour.review_after // _US) // (_DAY // _US)
    recycled = np.isin(target[m], [compiled.stage_codes[s] for s in rules.recycle_stages])
    stage_names = pa.array(compiled.stages)
    event_names = pa.array(compiled.events)
    owners = pa.array(book.behaviour.owners)
    channels = pa.array(list(book.behaviour.sources))

    def ids(levels: npt.NDArray[np.int64], of: npt.NDArray[np.int64]) -> pa.Array:
        # Numbers cast to text in Arrow: cheaper than taking strings by index.
        prefixes = _PREFIXES.take(pa.array(levels))
        return pc.binary_join_element_wise(prefixes, pc.cast(pa.array(of), pa.string()), "")

    def on_moves(values: pa.Array | npt.NDArray[Any], kind: pa.DataType) -> pa.Array:
        """``values`` on the move rows, null on the creation rows."""
        given = values if isinstance(values, pa.Array) else pa.array(values, kind)
        return _on(given, is_move, kind)

    columns: dict[str, Any] = {
        "journey_id": ids(np.zeros(rows, np.int64), row_journey),
        "record_id": ids(row_level, row_journey),
        "record_kind": _KINDS.take(pa.array(row_level)),
        "seq": pa.array(seq, pa.int32()),
        "event_type": pc.if_else(
            pa.array(is_move), pa.scalar("StageChanged"), _CREATED.take(pa.array(row_level))
        ),
        "event": on_moves(
            event_names.take(pa.array(plan.event[source[m], moves.choice[m]])), pa.string()
        ),
        "from_stage": on_moves(stage_names.take(pa.array(source[m])), pa.string()),
        "to_stage": stage_names.take(pa.array(stage)),
        "stage": stage_names.take(pa.array(stage)),
        "entered": pa.array(entered),
        "at": pa.array(at, pa.timestamp("us", tz="UTC")),
        "actor": pa.repeat(pa.scalar(ACTOR), rows),
        "owner": owners.take(pa.array(moves.owners[row_journey])),
        "reason_code": on_moves(reasons, pa.string()),
        "review_on": on_moves(
            pa.array(review, pa.int32(), mask=~screened).cast(pa.date32()), pa.date32()
        ),
        # A simulated screen-out is neither told nor mutual (Screening's defaults).
        "told": on_moves(pa.array(np.zeros(len(m), bool), mask=~screened), pa.bool_()),
        "mutual": on_moves(pa.array(np.zeros(len(m), bool), mask=~screened), pa.bool_()),
        "recycles": pa.array(_spread(np.zeros(len(pick), bool), recycled & moved, is_move)),
        "converted_to": on_moves(
            pc.if_else(pa.array(converts[m]), ids(reached[m], journey[m]), None), pa.string()
        ),
        "source_channel": channels.take(pa.array(moves.sources[row_journey])),
        **_deals(book, row_journey=row_journey, row_level=row_level, is_move=is_move, m=m),
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


def _on(values: pa.Array, rows: npt.NDArray[np.bool_], kind: pa.DataType) -> pa.Array:
    """``values`` on the ``rows`` marked, in order; null elsewhere."""
    index = np.full(len(rows), -1, dtype=np.int64)
    index[rows] = np.arange(int(rows.sum()))
    return values.take(pa.array(index, mask=~rows)).cast(kind)


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
    m: npt.NDArray[np.int64],
) -> dict[str, pa.Array]:
    """The deal columns: on an opportunity's rows, its amount and its odds as they stood."""
    deal = row_level == _DEAL
    rows = len(row_level)
    # One amount per journey that opened a deal, taken onto its deal's rows.
    opened = np.unique(row_journey[deal])
    # Whole units, as wide as an int64 needs; the schema's narrower type is checked at the end.
    per_deal = pa.array(book.walk.deals[opened]).cast(pa.decimal128(38, 12))
    where = np.searchsorted(opened, row_journey[deal])
    amounts = _on(per_deal.take(pa.array(where)), deal, pa.decimal128(38, 12))
    compiled, rules = compile_funnel(book.funnel), table(book.funnel)
    won = [compiled.stage_codes[stage] for stage in rules.won_stages]
    lost = [compiled.stage_codes[stage] for stage in rules.lost_stages]
    settle = np.full(rows, np.nan)
    settle[~is_move] = book.behaviour.win_probability
    moves = book.walk
    target, source = moves.target[m], moves.source[m]
    on_move = np.full(len(m), np.nan)
    on_move[np.isin(target, won) & (target != source)] = 1.0
    on_move[np.isin(target, lost) & (target != source)] = 0.0
    settle[is_move] = on_move
    # Forward: a deal's odds stay as the last move that settled them left them
    # (each deal's rows start with its opening, which sets them).
    known = np.where(~np.isnan(settle), np.arange(rows), 0)
    odds = settle[np.maximum.accumulate(known)]
    currency = book.behaviour.deal_size.currency
    return {
        "amount": amounts,
        "currency": pc.if_else(pa.array(deal), pa.scalar(currency), pa.scalar(None, pa.string())),
        "win_probability": pa.array(odds, pa.float64(), mask=~deal),
    }
