"""Every journey at once, a stay at a time: what a simulation draws, as arrays.

The state of a million journeys is a few arrays (stage, since when, which
chase); each step draws every live journey's next move and its stay, then
plays the chases of the stays that have one (touches at the agreed interval,
answered or not, until a stop rule, the journey's move, or the cap on
touches), and a stop rule that fires first moves the journey instead. A
step's events are keyed so that, sorted by journey and key, each journey's
come in the order they happened: touches, the chase's end, the move, the next
stay's agreement.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leadlife._prototype.plan import NEVER, NO_LIMIT, Chases, Plan

MOVE, TOUCH, AGREED, ENDED = 0, 1, 2, 3
"""The kinds of step: a stage change, a touch, a chase agreed, a chase ended."""
BY_ATTEMPTS, BY_TIME, MOVED_ON = 0, 1, 2
"""Why a chase ended: its attempts stop rule, its time stop rule, the journey moved on."""

_US_A_DAY = 86_400e6
_FIELDS = ("journey", "kind", "detail", "chase", "event", "source", "target", "at", "draw", "key")


@attrs.frozen(kw_only=True, eq=False)
class Walk:
    """What a simulation drew: each journey's arrival and facts, and every step, as arrays.

    Stages and events are codes of the funnel's compiled table
    (:func:`~leadlife.funnels.compile_funnel`); chases are indexes into the
    behaviour's chases, stage by stage, in declaration order; times are
    microseconds since 1970 in UTC. The steps are in journey order, then in
    the order they happened.

    Attributes:
        arrivals: When each journey arrived.
        ready: When its owner took it on (its arrival, unless the owner's
            capacity kept it waiting).
        sources: Each journey's source, as an index into the behaviour's sources.
        owners: Each journey's owner, as an index into the behaviour's owners.
        deals: The amount of the deal each journey opens, if it opens one.
        journey: Each step's journey.
        kind: What the step is: ``0`` a move, ``1`` a touch, ``2`` a chase
            agreed, ``3`` a chase ended.
        detail: For a move, which of its stage's declared moves it was
            (``-1``: the chase's attempts stop rule moved it, ``-2``: its
            time stop rule); for a touch, ``1`` if answered; for a chase's
            end, why (``0`` attempts, ``1`` time, ``2`` the journey moved on).
        chase: The chase in force during the step's stay (``-1``: none).
        event: A move's funnel event (``-1`` for the other steps).
        source: The stage the journey was in.
        target: The stage it entered (for a chase's end as it moved on, the
            stage it moved on to; for the other steps, the stage it is in).
        at: When.
        draw: The draw that picks a screen-out's reason.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move, simulate
        >>> behaviour = Behaviour(
        ...     moves={
        ...         "suspect": [
        ...             Move(event="engage", chance=1.0, after=Delay(median=timedelta(days=1)))
        ...         ]
        ...     }
        ... )
        >>> walk = simulate(
        ...     behaviour, journeys=3, seed=1, start=datetime(2026, 1, 5, tzinfo=UTC)
        ... ).walk
        >>> walk.journey.tolist(), walk.target.tolist() == [walk.target[0]] * 3
        ([0, 1, 2], True)
    """

    arrivals: npt.NDArray[np.int64]  # microseconds since the epoch
    ready: npt.NDArray[np.int64]
    sources: npt.NDArray[np.int64]
    owners: npt.NDArray[np.int64]
    deals: npt.NDArray[np.int64]  # the amount of each journey's deal, in whole units
    journey: npt.NDArray[np.int64]
    kind: npt.NDArray[np.int8]
    detail: npt.NDArray[np.int64]
    chase: npt.NDArray[np.int64]
    event: npt.NDArray[np.int64]
    source: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    at: npt.NDArray[np.int64]
    draw: npt.NDArray[np.float64]  # for the screening reason


def ready_times(
    arrivals: npt.NDArray[np.int64], owners: npt.NDArray[np.int64], capacity: list[float | None]
) -> npt.NDArray[np.int64]:
    """When each journey's owner takes it on: at an even pace for an owner with a capacity.

    The ``k``-th lead an owner gets waits for the one before it by a day over
    the capacity: ``ready[k] = max(arrival[k], ready[k-1] + gap)``, which
    unrolls to ``k*gap + max(arrival[j] - j*gap for j <= k)``: a running
    maximum, not a loop.
    """
    ready = arrivals.copy()
    for index, rate in enumerate(capacity):
        if rate is None:
            continue
        mine = np.flatnonzero(owners == index)
        paced = np.rint(np.arange(len(mine)) * (_US_A_DAY / rate)).astype(np.int64)
        ready[mine] = paced + np.maximum.accumulate(arrivals[mine] - paced)
    return ready


class _Steps:
    """The steps drawn so far, in parts (one per kind of step and walk step), joined at the end."""

    def __init__(self) -> None:
        self.parts: dict[str, list[npt.NDArray[Any]]] = defaultdict(list)

    def add(self, journey: npt.NDArray[np.int64], kind: int, key: int, **fields: Any) -> None:
        count = len(journey)
        if not count:
            return
        values = {"journey": journey, "kind": np.full(count, kind, np.int8), "key": key, **fields}
        for name in _FIELDS:
            value = values.get(name, 0 if name != "event" else -1)
            self.parts[name].append(np.broadcast_to(value, count))

    def joined(self) -> dict[str, npt.NDArray[Any]]:
        """Every step in journey order, then key order."""
        kinds = {"kind": np.int8, "draw": np.float64}
        joined = {
            name: np.concatenate(self.parts[name]).astype(kinds.get(name, np.int64))
            if self.parts[name]
            else np.zeros(0, kinds.get(name, np.int64))
            for name in _FIELDS
        }
        order = np.lexsort((joined.pop("key"), joined["journey"]))
        return {name: value[order] for name, value in joined.items()}


def walk(
    plan: Plan,
    ready: npt.NDArray[np.int64],
    rng: np.random.Generator,
    *,
    max_moves: int,
    max_touches: int,
) -> dict[str, npt.NDArray[Any]]:
    """Every journey's steps, a stay at a time for all of them at once."""
    journeys = len(ready)
    stage = np.full(journeys, plan.initial, dtype=np.int64)
    at = ready.copy()
    chase = np.full(journeys, -1, dtype=np.int64)
    steps = _Steps()
    # Keys within a walk step: touches 1..max_touches, then the end, the move, the agreement.
    width = max_touches + 4
    moves, agreements = width - 2, width - 1
    alive = np.arange(journeys)
    _agree(plan.chases, rng, alive, stage, at, chase, steps, key=0)
    for step in range(max_moves):
        if not len(alive):
            break
        here = stage[alive]
        # Which move (the first whose cumulative chance exceeds the draw), or none.
        choice = (rng.random(len(alive))[:, None] >= plan.cumulative[here]).sum(axis=1)
        goes = choice < plan.count[here]
        movers, here, choice = alive[goes], here[goes], choice[goes]
        stays = plan.median[here, choice] * np.exp(
            plan.spread[here, choice] * rng.standard_normal(len(movers))
        )
        move = {
            "at": at[movers] + stays.astype(np.int64),
            "target": plan.target[here, choice],
            "detail": choice,
            "event": plan.event[here, choice],
            "draw": rng.random(len(movers)),
        }
        base = step * width
        chased = alive[chase[alive] >= 0]
        if len(chased):
            movers, move = _chased(
                plan.chases,
                rng,
                steps,
                chased,
                (movers, move),
                (chase, stage, at),
                base=base,
                max_touches=max_touches,
            )
        steps.add(movers, MOVE, base + moves, chase=chase[movers], source=stage[movers], **move)
        at[movers], stage[movers], chase[movers] = move["at"], move["target"], -1
        _agree(plan.chases, rng, movers, stage, at, chase, steps, key=base + agreements)
        alive = movers
    return steps.joined()


def _chased(  # noqa: PLR0917 - the walk's state, passed down as it is
    chases: Chases,
    rng: np.random.Generator,
    steps: _Steps,
    chased: npt.NDArray[np.int64],
    drawn: tuple[npt.NDArray[np.int64], dict[str, npt.NDArray[Any]]],
    state: tuple[npt.NDArray[np.int64], ...],
    *,
    base: int,
    max_touches: int,
) -> tuple[npt.NDArray[np.int64], dict[str, npt.NDArray[Any]]]:
    """Play a step's chases; the moves of the step as the stop rules leave them.

    ``drawn`` is the journeys that move and their moves as drawn; ``state``,
    by journey, the chase, the stage and the start of the stay. A stop rule
    that fires before a journey's move ends the chase and, if a move leads
    where the plan stops to, takes the move's place; a chase still in force
    when its journey moves on ends then.
    """
    movers, move = drawn
    chase, stage, start = state
    until = np.full(len(chased), NEVER, np.int64)
    drawn_moves = np.isin(chased, movers)
    until[drawn_moves] = move["at"][np.searchsorted(movers, chased[drawn_moves])]
    stopper, stopped_at, why = _chase(
        chases, rng, chased, (chase, stage, start, until), steps, base, max_touches
    )
    ended = base + max_touches + 1
    here = stage[stopper]
    steps.add(
        stopper,
        ENDED,
        ended,
        detail=why,
        chase=chase[stopper],
        source=here,
        target=here,
        at=stopped_at,
    )
    # A stop that moves the journey (to nurture, or screened out) takes its move's place.
    code = chase[stopper]
    goes = chases.stop_target[code] >= 0
    stops, code = stopper[goes], code[goes]
    stop_move = {
        "at": stopped_at[goes],
        "target": chases.stop_target[code],
        "detail": -1 - why[goes],
        "event": chases.stop_event[code],
        "draw": np.zeros(len(stops)),
    }
    kept = ~np.isin(movers, stops)
    joined = np.concatenate([movers[kept], stops])
    order = np.argsort(joined, kind="stable")
    movers = joined[order]
    move = {
        name: np.concatenate([values[kept], stop_move[name]])[order]
        for name, values in move.items()
    }
    # A chase still in force ends as its journey moves on.
    left = np.isin(movers, chased) & ~np.isin(movers, stopper)
    steps.add(
        movers[left],
        ENDED,
        ended,
        detail=MOVED_ON,
        chase=chase[movers[left]],
        source=stage[movers[left]],
        target=move["target"][left],
        at=move["at"][left],
    )
    return movers, move


def _agree(  # noqa: PLR0917 - the walk's state, passed down as it is
    chases: Chases,
    rng: np.random.Generator,
    who: npt.NDArray[np.int64],
    stage: npt.NDArray[np.int64],
    at: npt.NDArray[np.int64],
    chase: npt.NDArray[np.int64],
    steps: _Steps,
    *,
    key: int,
) -> None:
    """The journeys in ``who`` that entered a chased stage agree one of its plans, by share."""
    entered = who[chases.count[stage[who]] > 0]
    if not len(entered):
        return  # no draw: a behaviour without chases draws as it always did
    here = stage[entered]
    pick = (rng.random(len(entered))[:, None] >= chases.cumulative[here]).sum(axis=1)
    chase[entered] = chases.first[here] + pick
    steps.add(
        entered,
        AGREED,
        key,
        chase=chase[entered],
        source=here,
        target=here,
        at=at[entered],
    )


def _chase(  # noqa: PLR0917 - the walk's state, passed down as it is
    chases: Chases,
    rng: np.random.Generator,
    who: npt.NDArray[np.int64],
    state: tuple[npt.NDArray[np.int64], ...],
    steps: _Steps,
    base: int,
    max_touches: int,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Play the chases of the stays of ``who``: touches until a stop rule or the move.

    A touch is due every interval after the agreement; the time stop rule
    fires that long after the last answer (or the agreement), the attempts
    stop rule at the touch that makes that many without an answer. Whatever
    comes first wins: a time stop at or before a due touch stops it (an
    answer would have come too late), the move at or before it ends the chase.

    ``state`` is, by journey, the chase, the stage and the start of the stay;
    then, for each of ``who`` in turn, the time of its move.

    Returns:
        The journeys whose chase a stop rule ended, when, and why.
    """
    chase, stage, start, ends = state
    code, here = chase[who], stage[who]
    began = start[who]
    every, answered = chases.every[code], chases.answered[code]
    attempts, give_up = chases.attempts[code], chases.give_up[code]
    timed = give_up < NO_LIMIT
    last = began.copy()  # the last answer, or the agreement
    run = np.zeros(len(who), np.int64)  # touches since it, none answered
    stopped_at = np.full(len(who), NEVER, np.int64)
    why = np.full(len(who), -1, np.int64)
    live = np.arange(len(who))
    for touch in range(1, max_touches + 1):
        if not len(live):
            break
        due = began[live] + touch * every[live]
        quit_at = last[live] + give_up[live]
        quits = timed[live] & (quit_at <= due) & (quit_at < ends[live])
        stopped_at[live[quits]], why[live[quits]] = quit_at[quits], BY_TIME
        touching = ~quits & (due < ends[live])
        live, due = live[touching], due[touching]
        answer = rng.random(len(live)) < answered[live]
        steps.add(
            who[live],
            TOUCH,
            base + touch,
            detail=answer.astype(np.int64),
            chase=code[live],
            source=here[live],
            target=here[live],
            at=due,
        )
        last[live[answer]] = due[answer]
        run[live] = np.where(answer, 0, run[live] + 1)
        done = run[live] >= attempts[live]
        stopped_at[live[done]], why[live[done]] = due[done], BY_ATTEMPTS
        live = live[~done]
    # Past the cap on touches nobody chases; the time stop rule still ends the chase.
    quit_at = last[live] + give_up[live]
    quits = timed[live] & (quit_at < ends[live])
    stopped_at[live[quits]], why[live[quits]] = quit_at[quits], BY_TIME
    stop = why >= 0
    return who[stop], stopped_at[stop], why[stop]
