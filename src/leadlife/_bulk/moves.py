"""Checking millions of moves against a funnel at once, column by column.

A move's stage is the stage the journey's previous accepted move left it
in, so the check is sequential within a journey, but journeys are
independent: the rows are put in journey order once (a stable sort of
integer codes), and then the first move of every journey is decided at
once, then every second move, and so on. Each decision is one lookup in a
dense array (stage x event x guard answers -> target) built from the
compiled funnel, so a step over a million journeys is a handful of numpy
operations. A refused move leaves its journey where it was, as the live
engine does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from typing import Any
from weakref import WeakKeyDictionary

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._funnel.compiled import REFUSED, CompiledFunnel, compile_funnel

MAX_DENSE_GUARDS = 12
"""Guards a funnel may use for its moves to be checked in bulk: the lookup holds 2**n answers."""


class Refusal(Enum):
    """Why a move was refused.

    Example:
        >>> from leadlife.bulk import Refusal
        >>> Refusal.GUARDS.value
        'no transition of the event from the stage had its guards satisfied'
    """

    UNKNOWN_EVENT = "the funnel has no such event"
    NOT_FROM_STAGE = "the event does not leave the stage"
    GUARDS = "no transition of the event from the stage had its guards satisfied"
    UNKNOWN_STAGE = "the funnel has no such stage"


_REASONS = tuple(Refusal)
_ACCEPTED = -1


@attrs.frozen(kw_only=True, repr=False, eq=False)
class MoveCheck:
    """The result of :func:`check_moves`: each row's stage before and after, and the refusals.

    Arrays are indexed like the rows given (numpy arrays, one entry per row).

    Attributes:
        funnel: The compiled funnel the moves were checked against.
        journeys: The journeys, each once, in order of first appearance.
        journey: Each row's journey, as an index into ``journeys``.
        event: Each row's event code (see ``funnel.events``); -1 for an event the funnel lacks.
        before: Each row's stage code before the move (see ``funnel.stages``).
        after: Each row's stage code after it: the target, or ``before`` if refused.
        reason: Each row's :class:`Refusal` as an index into ``list(Refusal)``; -1 if accepted.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.bulk import check_moves
        >>> result = check_moves(DefaultFunnel, journeys=["L-1", "L-1"], events=["engage", "win"])
        >>> [result.funnel.stages[code] for code in result.after]
        ['lead', 'lead']
        >>> result.refused.tolist()
        [1]
    """

    funnel: CompiledFunnel
    journeys: pa.Array
    journey: np.ndarray
    event: np.ndarray
    before: np.ndarray
    after: np.ndarray
    reason: np.ndarray

    @property
    def refused(self) -> np.ndarray:
        """The rows refused, in row order."""
        return np.flatnonzero(self.reason != _ACCEPTED)

    @property
    def ok(self) -> bool:
        """Whether every move was accepted."""
        return not bool((self.reason != _ACCEPTED).any())

    def refusals(self, events: Sequence[str] | pa.Array | None = None) -> Iterator[tuple[Any, ...]]:
        """Each refused move: ``(row, journey, stage, event, Refusal)``.

        An event the funnel lacks is named from ``events`` (the column given to
        :func:`check_moves`) if given, else ``None``.
        """
        stages = self.funnel.stages
        names = self.journeys.to_pylist()
        for row in self.refused.tolist():
            code = int(self.event[row])
            event = self.funnel.events[code] if code >= 0 else None
            if event is None and events is not None:
                given = events[row]
                event = given.as_py() if isinstance(given, pa.Scalar) else given
            stage = int(self.before[row])
            yield (
                row,
                names[int(self.journey[row])],
                stages[stage] if stage >= 0 else None,
                event,
                _REASONS[int(self.reason[row])],
            )

    def final_stages(self) -> dict[Any, str | None]:
        """Each journey's stage after its last row; ``None`` if it started outside the funnel."""
        last = np.full(len(self.journeys), -1, dtype=np.int64)
        last[self.journey] = np.arange(len(self.journey))  # the last write wins: the last row
        stages = self.funnel.stages
        names = self.journeys.to_pylist()
        codes = self.after[last].tolist()
        return {names[j]: stages[code] if code >= 0 else None for j, code in enumerate(codes)}

    def __repr__(self) -> str:
        return (
            f"<MoveCheck of {self.funnel.name}: {len(self.journey)} moves, "
            f"{len(self.journeys)} journeys, {len(self.refused)} refused>"
        )


def check_moves(
    funnel: type[Funnel],
    *,
    journeys: Any,
    events: Any,
    guards: Any = None,
    starts: Any = None,
) -> MoveCheck:
    """Check a stream of moves against ``funnel``, every journey at once.

    Args:
        funnel: The funnel class.
        journeys: Each row's journey (any values an Arrow array holds: ids as
            text, integers). A journey's rows are its moves in order; rows of
            different journeys may interleave.
        events: Each row's event name.
        guards: The guards' answers for each row: a mapping from guard name to
            a column of booleans (a guard not named says no), or one column of
            bit masks (bit ``i`` for ``funnel``'s compiled ``guards[i]``);
            ``None``: every guard says no.
        starts: Each journey's stage before its first move, as a column by
            row (its first row's value counts); ``None``: the funnel's initial stage.

    Returns:
        A :class:`MoveCheck`.

    Raises:
        ValidationError: The columns differ in length, a guard is not one the
            funnel uses, or the funnel uses more than :data:`MAX_DENSE_GUARDS` guards.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.bulk import check_moves
        >>> result = check_moves(
        ...     DefaultFunnel,
        ...     journeys=["L-1", "L-2", "L-1", "L-2"],
        ...     events=["engage", "engage", "mark_sales_ready", "disqualify"],
        ... )
        >>> result
        <MoveCheck of DefaultFunnel: 4 moves, 2 journeys, 1 refused>
        >>> [
        ...     (row, journey, stage, reason.name)
        ...     for row, journey, stage, _, reason in result.refusals()
        ... ]
        [(3, 'L-2', 'lead', 'GUARDS')]
        >>> result.final_stages()
        {'L-1': 'sales_ready', 'L-2': 'lead'}
    """
    table = compile_funnel(funnel)
    journey_array = _array("journeys", journeys)
    size = len(journey_array)
    if journey_array.null_count:
        raise ValidationError(
            owner="check_moves",
            field="journeys",
            value=f"{journey_array.null_count} missing",
            expected="a journey on every row",
        )
    encoded = pc.dictionary_encode(journey_array)
    journey = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    event = _codes("events", events, table.event_codes, size)
    guard = _guards(table, guards, size)
    lookup, leaves = _dense(funnel, table)
    count = len(encoded.dictionary)
    state = np.full(count, table.stage_codes[_initial(funnel)], dtype=np.int64)
    if starts is not None:
        start = _codes("starts", starts, table.stage_codes, size)
        first = np.full(count, size, dtype=np.int64)
        np.minimum.at(first, journey, np.arange(size))
        state = start[first]
    before = np.empty(size, dtype=np.int64)
    target = np.empty(size, dtype=np.int64)
    for rows in _by_position(journey):
        j = journey[rows]
        stage = state[j]
        before[rows] = stage
        # An unknown stage or event is code -1: the lookup's last row and column, all refused.
        moved = lookup[stage, event[rows], guard[rows]]
        target[rows] = moved
        state[j] = np.where(moved == REFUSED, stage, moved)
    refused = target == REFUSED
    after = np.where(refused, before, target)
    reason = np.full(size, _ACCEPTED, dtype=np.int8)
    known = (before >= 0) & (event >= 0)
    leaving = leaves[before, event] & known
    reason[refused & ~leaving] = _REASONS.index(Refusal.NOT_FROM_STAGE)
    reason[refused & leaving] = _REASONS.index(Refusal.GUARDS)
    reason[refused & (before < 0)] = _REASONS.index(Refusal.UNKNOWN_STAGE)
    reason[refused & (event < 0)] = _REASONS.index(Refusal.UNKNOWN_EVENT)
    return MoveCheck(
        funnel=table,
        journeys=encoded.dictionary,
        journey=journey,
        event=event,
        before=before,
        after=after,
        reason=reason,
    )


def _initial(funnel: type[Funnel]) -> str:
    return funnel.spec().initial.id


def _array(name: str, values: Any, kind: pa.DataType | None = None) -> pa.Array:
    """``values`` as one Arrow array; one with no values at all (empty, all null) of ``kind``."""
    try:
        if isinstance(values, pa.ChunkedArray):
            array = values.combine_chunks()
        elif isinstance(values, pa.Array):
            array = values
        else:
            array = pa.array(values, type=kind) if kind is not None else pa.array(values)
        if pa.types.is_null(array.type):
            array = array.cast(kind or pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError) as error:
        raise ValidationError(
            owner="check_moves",
            field=name,
            value=type(values).__name__,
            expected="a column" + ("" if kind is None else f" of {kind}"),
        ) from error
    return array


def _codes(name: str, values: Any, codes: Mapping[str, int], size: int) -> np.ndarray:
    """Each row's code in ``codes``; -1 for a name not there."""
    array = _array(name, values, pa.string())
    if len(array) != size:
        raise ValidationError(
            owner="check_moves",
            field=name,
            value=f"{len(array)} rows",
            expected=f"as many rows as journeys ({size})",
        )
    encoded = pc.dictionary_encode(array)
    names = encoded.dictionary.to_pylist()
    known = np.array([*(codes.get(name, -1) for name in names), -1], dtype=np.int64)
    indices = encoded.indices.fill_null(len(names))  # a missing name is the -1 at the end
    found: np.ndarray = known[indices.to_numpy(zero_copy_only=False)]
    return found


def _guards(table: CompiledFunnel, guards: Any, size: int) -> np.ndarray:
    if guards is None:
        return np.zeros(size, dtype=np.int64)
    if isinstance(guards, Mapping):
        bits = np.zeros(size, dtype=np.int64)
        for name, column in guards.items():
            if name not in table.guard_bits:
                raise ValidationError(
                    owner="check_moves",
                    field="guards",
                    value=name,
                    expected=f"a guard the funnel uses ({', '.join(table.guards) or 'none'})",
                )
            answers = _array(f"guards[{name!r}]", column, pa.bool_())
            if len(answers) != size or not pa.types.is_boolean(answers.type):
                raise ValidationError(
                    owner="check_moves",
                    field=f"guards[{name!r}]",
                    value=f"{len(answers)} values of {answers.type}",
                    expected=f"{size} booleans",
                )
            said = answers.fill_null(fill_value=False).to_numpy(zero_copy_only=False)
            bits |= np.where(said, table.guard_bits[name], 0)
        return bits
    masks = _array("guards", guards, pa.int64())
    if len(masks) != size or not pa.types.is_integer(masks.type):
        raise ValidationError(
            owner="check_moves",
            field="guards",
            value=f"{len(masks)} values of {masks.type}",
            expected=f"{size} integer bit masks, or a mapping of guard names to booleans",
        )
    every = (1 << len(table.guards)) - 1  # bits of guards the funnel lacks say nothing
    given: np.ndarray = masks.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    return given & every


_DENSE: WeakKeyDictionary[type[Funnel], tuple[np.ndarray, np.ndarray]] = WeakKeyDictionary()


def _dense_of(table: CompiledFunnel) -> tuple[np.ndarray, np.ndarray]:
    """Every decision of ``table``: target by stage, event and guard answers; which events leave."""
    answers = 1 << len(table.guards)
    # One stage and one event more than the funnel has, never taken: code -1 lands there.
    shape = (len(table.stages) + 1, len(table.events) + 1)
    lookup = np.full((*shape, answers), REFUSED, dtype=np.int64)
    leaves = np.zeros(shape, dtype=bool)
    for stage, event in table.rules:
        leaves[stage, event] = True
        # The compiled funnel's own decision for every set of answers: one place says how.
        lookup[stage, event] = [table.step(stage, event, guards) for guards in range(answers)]
    return lookup, leaves


def _dense(funnel: type[Funnel], table: CompiledFunnel) -> tuple[np.ndarray, np.ndarray]:
    """The dense decisions of ``funnel``, worked out once per class."""
    if len(table.guards) > MAX_DENSE_GUARDS:
        raise ValidationError(
            owner="check_moves",
            field="funnel",
            value=f"{table.name} with {len(table.guards)} guards",
            expected=f"a funnel whose moves use at most {MAX_DENSE_GUARDS} guards",
        )
    found = _DENSE.get(funnel)
    if found is None:
        found = _DENSE[funnel] = _dense_of(table)
    return found


def _by_position(journey: np.ndarray) -> Iterator[np.ndarray]:
    """The rows of every journey's first move, then of every second one, and so on."""
    if not len(journey):
        return
    order = np.argsort(journey, kind="stable")  # each journey's rows together, in row order
    grouped = journey[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    lengths = np.diff(np.r_[starts, len(grouped)])
    position = np.arange(len(grouped)) - np.repeat(starts, lengths)
    if lengths.max() <= np.iinfo(np.uint16).max:
        position = position.astype(np.uint16)  # numpy sorts 16-bit integers by radix: linear
    by_position = order[np.argsort(position, kind="stable")]
    bounds = np.r_[0, np.cumsum(np.bincount(position))]
    for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield by_position[start:end]
