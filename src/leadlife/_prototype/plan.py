"""A behaviour read against a funnel into arrays: what the walk looks up, a row per stage.

Every name the behaviour uses (stages, events, targets, reasons, owners) is
checked here, once, against the funnel: a walk of a million journeys never
meets a name it cannot place.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from leadlife._core.support.errors import ValidationError
from leadlife._core.values.followup import TouchOutcome, WhenStopped
from leadlife._core.values.screening import Reason, Screening
from leadlife._funnel.base import Funnel
from leadlife._funnel.compiled import CompiledFunnel, compile_funnel
from leadlife._funnel.table import FunnelTable, table
from leadlife._policies.cadence import duration
from leadlife._prototype.behaviour import Behaviour, Chase

US = timedelta(microseconds=1)
NEVER = 2**62
"""A time no walk reaches (microseconds since 1970): a move that never comes."""
NO_LIMIT = 2**61
"""A stop rule's limit the plan does not set: no stay reaches it."""


@attrs.frozen(kw_only=True)
class Chases:
    """A behaviour's follow-up plans as arrays, one entry per :class:`Chase` (its code).

    ``first``/``count`` say which codes are each stage's; ``cumulative`` (a
    row per stage, 2 past its chases) their cumulative shares. Stop rules a
    plan does not have are limits no stay reaches.
    """

    declared: tuple[Chase, ...]
    first: npt.NDArray[np.int64]  # per stage
    count: npt.NDArray[np.int64]  # per stage
    cumulative: npt.NDArray[np.float64]  # (stages, widest)
    every: npt.NDArray[np.int64]  # microseconds
    answered: npt.NDArray[np.float64]
    attempts: npt.NDArray[np.int64]
    give_up: npt.NDArray[np.int64]  # microseconds
    review: npt.NDArray[np.int64]  # microseconds, for a chase that closes
    stop_event: npt.NDArray[np.int64]  # -1: no move leads where the plan stops to
    stop_target: npt.NDArray[np.int64]
    closes: npt.NDArray[np.bool_]
    channels: tuple[str, ...]
    outcomes: tuple[tuple[str, str], ...]  # per chase: (no answer, answer)
    texts: tuple[tuple[str, str], ...]  # per chase: why it ended (attempts, time)


@attrs.frozen(kw_only=True)
class Plan:
    """The behaviour read against the funnel into arrays: per stage code, its moves."""

    initial: int
    count: npt.NDArray[np.int64]  # moves per stage
    cumulative: npt.NDArray[np.float64]  # (stages, widest) cumulative chances, 2 past the moves
    event: npt.NDArray[np.int64]
    target: npt.NDArray[np.int64]
    median: npt.NDArray[np.float64]  # microseconds
    spread: npt.NDArray[np.float64]
    reasons: Mapping[tuple[int, int], tuple[tuple[str, ...], npt.NDArray[np.float64]]]
    chases: Chases


def plan_of(funnel: type[Funnel], behaviour: Behaviour) -> Plan:
    """``behaviour`` checked against ``funnel`` and read into arrays.

    Raises:
        ValidationError: A stage, an event, a target or a reason the funnel
            does not take, named with what it takes.
    """
    compiled = compile_funnel(funnel)
    rules = table(funnel)
    stages = compiled.stages
    widest = max((len(moves) for moves in behaviour.moves.values()), default=0) or 1
    shape = (len(stages), widest)
    count = np.zeros(len(stages), dtype=np.int64)
    cumulative = np.full(shape, 2.0)
    event, target = np.zeros(shape, dtype=np.int64), np.zeros(shape, dtype=np.int64)
    median, spread = np.zeros(shape), np.zeros(shape)
    reasons = {}
    for stage, moves in behaviour.moves.items():
        code = _stage_code(compiled, "moves", stage)
        count[code] = len(moves)
        cumulative[code, : len(moves)] = np.cumsum([move.chance for move in moves])
        for index, move in enumerate(moves):
            allowed = rules.allowed[stage]
            if move.event not in allowed:
                raise _refused(
                    "moves",
                    {stage: move.event},
                    f"events funnel {compiled.name} allows from {stage!r}: "
                    f"{', '.join(allowed) or 'none'}",
                )
            reached = rules.targets[stage, move.event]
            first = stages[compiled.rules[code, compiled.event_codes[move.event]][0].target]
            goes = move.to if move.to is not None else first
            if goes not in reached:
                raise _refused(
                    "moves", {stage: move.to}, f"a target of {move.event!r}: {sorted(reached)}"
                )
            if rules.kinds[goes].depth - rules.kinds[stage].depth > 1:
                raise _refused(
                    "moves",
                    {stage: move.event},
                    "moves that convert one level at a time (lead to prospect to opportunity)",
                )
            if goes in rules.screened_out_stages and goes != stage:
                if not move.reasons:
                    raise _refused(
                        "moves",
                        {stage: move.event},
                        f"reasons for a move into {goes!r}: a screen-out always says why",
                    )
                codes = tuple(move.reasons)
                shares = np.cumsum([move.reasons[reason] for reason in codes])
                reasons[code, index] = (codes, shares / shares[-1])
                for reason in codes:
                    Screening(reason=reason)  # a bad code is refused now, by its name
            event[code, index] = compiled.event_codes[move.event]
            target[code, index] = compiled.stage_codes[goes]
            median[code, index] = move.after.median / US
            spread[code, index] = move.after.spread
    return Plan(
        initial=compiled.stage_codes[funnel.spec().initial.id],
        count=count,
        cumulative=cumulative,
        event=event,
        target=target,
        median=median,
        spread=spread,
        reasons=reasons,
        chases=_chases(compiled, rules, behaviour),
    )


def _chases(compiled: CompiledFunnel, rules: FunnelTable, behaviour: Behaviour) -> Chases:
    """The chases of ``behaviour``, checked: chased stages that can be, stops that can move."""
    stages = len(compiled.stages)
    first, count = np.zeros(stages, np.int64), np.zeros(stages, np.int64)
    declared: list[Chase] = []
    widest = max((len(chases) for chases in behaviour.chases.values()), default=0) or 1
    cumulative = np.full((stages, widest), 2.0)
    stop_event: list[int] = []
    stop_target: list[int] = []
    for stage, chases in behaviour.chases.items():
        code = _stage_code(compiled, "chases", stage)
        if stage in rules.final_stages or stage in rules.recycle_stages:
            raise _refused(
                "chases",
                stage,
                "a stage where people are chased: not a final stage, nor a recycle stage "
                "(nurture keeps leads warm, it does not chase them)",
            )
        first[code], count[code] = len(declared), len(chases)
        shares = np.cumsum([chase.share for chase in chases])
        cumulative[code, : len(chases)] = shares / shares[-1]
        for chase in chases:
            closes = chase.plan.when_stopped is WhenStopped.CLOSE
            into = rules.screened_out_stages if closes else rules.recycle_stages
            # As the lifecycle's stop: the one move that leads there, or none.
            found = rules.event_into(stage, into)
            if found is None:
                stop_event.append(-1)
                stop_target.append(-1)
            else:
                event_code = compiled.event_codes[found]
                stop_event.append(event_code)
                stop_target.append(compiled.rules[code, event_code][0].target)
            declared.append(chase)
    plans = [chase.plan for chase in declared]
    return Chases(
        declared=tuple(declared),
        first=first,
        count=count,
        cumulative=cumulative,
        every=np.array([plan.every // US for plan in plans], np.int64),
        answered=np.array([chase.answered for chase in declared], np.float64),
        attempts=np.array([plan.max_attempts or NO_LIMIT for plan in plans], np.int64),
        give_up=np.array(
            [
                NO_LIMIT if plan.give_up_after is None else plan.give_up_after // US
                for plan in plans
            ],
            np.int64,
        ),
        review=np.array([plan.review_after // US for plan in plans], np.int64),
        stop_event=np.array(stop_event, np.int64),
        stop_target=np.array(stop_target, np.int64),
        closes=np.array([plan.when_stopped is WhenStopped.CLOSE for plan in plans], np.bool_),
        channels=tuple(plan.channel.value for plan in plans),
        outcomes=tuple((TouchOutcome.NO_ANSWER.value, _answer(plan.channel)) for plan in plans),
        texts=tuple(
            (
                f"{plan.max_attempts} touches without an answer",
                ""
                if plan.give_up_after is None
                else f"no answer in {duration(plan.give_up_after)}",
            )
            for plan in plans
        ),
    )


UNRESPONSIVE = Reason.UNRESPONSIVE.value
"""The reason of a screen-out a chase's stop closes (as the lifecycle's stop does)."""


def _answer(channel: Any) -> str:
    """A touch's answer: a call or a meeting reaches the person, the rest get a reply."""
    return (TouchOutcome.REACHED if channel.pressing else TouchOutcome.REPLIED).value


def _stage_code(compiled: CompiledFunnel, field: str, stage: str) -> int:
    if stage not in compiled.stage_codes:
        raise _refused(
            field, stage, f"stages of funnel {compiled.name}: {', '.join(compiled.stages)}"
        )
    return compiled.stage_codes[stage]


def _refused(field: str, value: Any, expected: str) -> ValidationError:
    return ValidationError(owner="Behaviour", field=field, value=value, expected=expected)
