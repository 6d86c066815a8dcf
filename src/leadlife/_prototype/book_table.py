"""A simulated book's event table, built from its arrays: no history, no record, no row in Python.

The rows are what :func:`~leadlife.analytics.event_table` makes of the
book's histories (a test holds the two equal), computed column by column:
each step (a move, a touch, a chase agreed or ended) belongs to the record
its journey had reached (a lead until its conversion, then the prospect,
then the deal), a conversion adds the new record's creation row, and a
record's rows are numbered in order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._analytics.event_table import event_schema
from leadlife._funnel.compiled import compile_funnel
from leadlife._funnel.table import table
from leadlife._prototype.plan import UNRESPONSIVE
from leadlife._prototype.walk import ENDED, MOVE, MOVED_ON, TOUCH

if TYPE_CHECKING:
    from leadlife._prototype.plan import Plan
    from leadlife._prototype.simulate import SimulatedBook

ACTOR = "simulation"
"""The actor of every simulated event."""

_KINDS = pa.array(["lead", "prospect", "opportunity"])
_PREFIXES = pa.array(["L-", "P-", "O-"])
_TYPES = pa.array(
    [
        "LeadCaptured",
        "ProspectCreated",
        "OpportunityOpened",
        "StageChanged",
        "Touched",
        "FollowUpAgreed",
        "FollowUpEnded",
    ]
)
_STEP_TYPES = 3  # a step's type among _TYPES: 3 + its kind
_DAY = timedelta(days=1)
_US = timedelta(microseconds=1)
_DEAL = 2  # the depth of an opportunity


def book_table(book: SimulatedBook, plan: Plan) -> pa.Table:  # noqa: PLR0915 - one pass, column by column
    """The event table of ``book``."""
    steps = book.walk
    compiled, rules = compile_funnel(book.funnel), table(book.funnel)
    depth = np.array([rules.kinds[stage].depth for stage in compiled.stages], dtype=np.int64)
    journey, source, target, kind = steps.journey, steps.source, steps.target, steps.kind
    journeys = book.journeys
    is_move = kind == MOVE

    # The record each step belongs to: the deepest its journey had reached before it
    # (depths only grow by conversions, which are moves; offsetting by journey keeps
    # the running maximum from crossing from one journey into the next).
    reached = np.where(is_move, depth[target], 0)
    running = np.maximum.accumulate(reached + journey * 3) - journey * 3
    first = np.r_[True, journey[1:] != journey[:-1]] if len(journey) else np.zeros(0, bool)
    level = np.where(first, 0, np.r_[0, running[:-1]])
    converts = reached > level

    # Rows: a journey's lead's creation, then its steps in order, with a new
    # record's creation right after the move that converted into it (a record's
    # steps come after its creation, and depths only grow). So every row's place
    # is a count of what comes before it: no sort.
    count = len(journey)
    converted_before: npt.NDArray[np.int64] = np.cumsum(converts) - converts
    in_journeys_before = np.searchsorted(journey, np.arange(journeys))
    converted_in_journeys_before = np.r_[converted_before, converts.sum()][in_journeys_before]
    at_step = np.arange(count) + journey + 1 + converted_before
    at_lead = in_journeys_before + np.arange(journeys) + converted_in_journeys_before
    rows = count + journeys + int(converts.sum())
    is_step = np.zeros(rows, bool)
    is_step[at_step] = True
    made_at_rows = np.r_[at_lead, at_step[converts] + 1]
    order = np.argsort(made_at_rows, kind="stable")
    made_rows = made_at_rows[order]  # the creation rows, in row order
    made_level = np.r_[np.zeros(journeys, np.int64), reached[converts]][order]
    row_journey = np.empty(rows, np.int64)
    row_journey[at_step] = journey
    row_journey[made_rows] = np.r_[np.arange(journeys), journey[converts]][order]
    row_level = np.empty(rows, np.int64)
    row_level[at_step] = level
    row_level[made_rows] = made_level
    made_at = np.r_[steps.arrivals, steps.at[converts]][order]
    made_stage = np.r_[np.full(journeys, plan.initial, np.int64), target[converts]][order]

    starts = np.zeros(rows, np.int64)
    starts[made_rows] = made_rows
    seq = np.arange(rows) - np.maximum.accumulate(starts)
    at = _spread(made_at, steps.at, is_step)
    # The stage after each step: a move's target; where the journey is, for the others.
    stage = _spread(made_stage, np.where(is_move, target, source), is_step)
    moved = is_move & (target != source)
    entered = _spread(np.ones(len(made_rows), bool), moved & ~converts, is_step)
    reasons = _reasons(plan, steps, converts)
    screened = reasons != None  # noqa: E711 - elementwise, on an object array
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
    conversion_of_row[at_step[converts]] = np.arange(conversions)
    row_types = np.empty(rows, dtype=np.int64)
    row_types[at_step] = _STEP_TYPES + kind
    row_types[made_rows] = made_level

    placed: dict[int, pa.Array] = {}  # by the mask's id: the masks live as long as this call

    def on_steps(
        values: Callable[[], pa.Array | npt.NDArray[Any]],
        kind: pa.DataType,
        where: npt.NDArray[np.bool_],
    ) -> pa.Array:
        """``values()`` (one per step ``where`` holds) on those steps' rows, null elsewhere.

        Lazily, and only for the steps that have one: a column no step fills
        (a book without chases has no touches) costs nothing but its nulls.
        """
        if not where.any():
            return pa.nulls(rows, kind)
        if id(where) not in placed:
            index = np.zeros(rows, np.int64)
            filled = at_step[where]
            index[filled] = np.arange(len(filled))
            unfilled = np.ones(rows, bool)
            unfilled[filled] = False
            placed[id(where)] = pa.array(index, mask=unfilled)
        given = values()
        given = given if isinstance(given, pa.Array) else pa.array(given, kind)
        return given.take(placed[id(where)]).cast(kind)

    stage_column = stage_names.take(pa.array(stage))
    entering = ~is_step  # a creation, or a move: the rows with a stage they go to
    entering[at_step] = is_move
    is_screened = screened.astype(bool)
    has_text = _has_text(plan, steps)
    columns: dict[str, Any] = {
        "journey_id": journey_ids.take(pa.array(row_journey)),
        "record_id": record_ids.take(pa.array(record_of_row)),
        "record_kind": _KINDS.take(pa.array(row_level)),
        "seq": pa.array(seq, pa.int32()),
        "event_type": _TYPES.take(pa.array(row_types)),
        "event": on_steps(
            lambda: event_names.take(pa.array(steps.event[is_move])), pa.string(), is_move
        ),
        "from_stage": on_steps(
            lambda: stage_names.take(pa.array(source[is_move])), pa.string(), is_move
        ),
        "to_stage": stage_names.take(pa.array(stage, mask=~entering)),
        "stage": stage_column,
        "entered": pa.array(entered),
        "at": pa.array(at, pa.timestamp("us", tz="UTC")),
        "actor": pa.repeat(pa.scalar(ACTOR), rows),
        "owner": owners.take(pa.array(steps.owners[row_journey])),
        "reason": on_steps(lambda: _texts(book, plan, has_text), pa.string(), has_text),
        "reason_code": on_steps(lambda: reasons[is_screened], pa.string(), is_screened),
        "review_on": on_steps(
            lambda: _review_on(book, plan, is_screened), pa.date32(), is_screened
        ),
        # A simulated screen-out is neither told nor mutual (Screening's defaults).
        "told": on_steps(lambda: np.zeros(is_screened.sum(), bool), pa.bool_(), is_screened),
        "mutual": on_steps(lambda: np.zeros(is_screened.sum(), bool), pa.bool_(), is_screened),
        "recycles": pa.array(_spread(np.zeros(len(made_rows), bool), recycled & moved, is_step)),
        "converted_to": new_ids.take(pa.array(conversion_of_row, mask=conversion_of_row < 0)),
        "source_channel": channels.take(pa.array(steps.sources[row_journey])),
        "inferred": pa.repeat(pa.scalar(value=False), rows),  # a simulated move is what it is
        **_touches(plan, steps, on_steps),
        **_deals(book, row_journey=row_journey, row_level=row_level, is_step=is_step),
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
    created: npt.NDArray[Any], stepped: npt.NDArray[Any], is_step: npt.NDArray[np.bool_]
) -> npt.NDArray[Any]:
    """One column from the creation rows' values and the step rows' values."""
    column = np.empty(len(is_step), dtype=np.result_type(created, stepped))
    column[~is_step] = created
    column[is_step] = stepped
    return column


def _reasons(plan: Plan, steps: Any, converts: npt.NDArray[np.bool_]) -> npt.NDArray[Any]:
    """Each move's screening reason (drawn by its share, or a chase's close), or None."""
    found = np.full(len(steps.journey), None, dtype=object)
    moves = (steps.kind == MOVE) & ~converts
    for (stage, index), (codes, shares) in plan.reasons.items():
        hit = moves & (steps.source == stage) & (steps.detail == index)
        drawn = np.searchsorted(shares, steps.draw[hit], side="right")
        found[hit] = np.array(codes, dtype=object)[drawn]
    closed = moves & (steps.detail < 0)
    closed[closed] = plan.chases.closes[steps.chase[closed]]
    found[closed] = UNRESPONSIVE
    return found


def _review_on(book: SimulatedBook, plan: Plan, where: npt.NDArray[np.bool_]) -> pa.Array:
    """When the screen-outs ``where`` holds are due for review (as the behaviour or chase says)."""
    steps = book.walk
    after = np.full(int(where.sum()), book.behaviour.review_after // _US, np.int64)
    stopped = steps.detail[where] < 0
    after[stopped] = plan.chases.review[steps.chase[where][stopped]]
    return pa.array((steps.at[where] + after) // (_DAY // _US), pa.int32()).cast(pa.date32())


def _has_text(plan: Plan, steps: Any) -> npt.NDArray[np.bool_]:
    """The steps with a free-text reason: a chase's end, and a stop's move to nurture."""
    nurtured = (steps.kind == MOVE) & (steps.detail < 0)
    nurtured[nurtured] = ~plan.chases.closes[steps.chase[nurtured]]
    has: npt.NDArray[np.bool_] = (steps.kind == ENDED) | nurtured
    return has


def _texts(book: SimulatedBook, plan: Plan, where: npt.NDArray[np.bool_]) -> pa.Array:
    """The free-text reasons of the steps ``where`` holds, from a few texts taken onto them.

    A chase's texts are ``2 * chase + why`` (why it stopped: attempts, time);
    a move on to a stage is its text after all the chases'.
    """
    steps = book.walk
    chases = len(plan.chases.declared)
    stages = compile_funnel(book.funnel).stages
    texts = [text for pair in plan.chases.texts for text in pair]
    texts += [f"moved on to {stage}" for stage in stages]
    detail = steps.detail[where]
    why = np.where(steps.kind[where] == MOVE, -1 - detail, detail)
    pick = np.where(why == MOVED_ON, 2 * chases + steps.target[where], 2 * steps.chase[where] + why)
    return pa.array(texts, pa.string()).take(pa.array(pick))


def _touches(plan: Plan, steps: Any, on_steps: Any) -> dict[str, pa.Array]:
    """The touch columns: each touch's channel, and what came of it."""
    touched = steps.kind == TOUCH
    outcomes = [outcome for pair in plan.chases.outcomes for outcome in pair]
    return {
        "touch_channel": on_steps(
            lambda: pa.array(plan.chases.channels, pa.string()).take(
                pa.array(steps.chase[touched])
            ),
            pa.string(),
            touched,
        ),
        "touch_outcome": on_steps(
            lambda: pa.array(outcomes, pa.string()).take(
                pa.array(2 * steps.chase[touched] + steps.detail[touched])
            ),
            pa.string(),
            touched,
        ),
    }


def _deals(
    book: SimulatedBook,
    *,
    row_journey: npt.NDArray[np.int64],
    row_level: npt.NDArray[np.int64],
    is_step: npt.NDArray[np.bool_],
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
    settle[~is_step] = book.behaviour.win_probability
    on_move = np.full(len(moves.target), np.nan)
    moved = (moves.kind == MOVE) & (moves.target != moves.source)
    on_move[np.isin(moves.target, won) & moved] = 1.0
    on_move[np.isin(moves.target, lost) & moved] = 0.0
    settle[is_step] = on_move
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
