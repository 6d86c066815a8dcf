"""Structural checks of a funnel, on its spec: reachability and dead ends.

python-statemachine has checks of its own, but they report lists of states
in its own words and skip final-state reachability when a machine has no
final state. A funnel has a stronger rule (DOMAIN: stalled and lost leads
are recycled, not dropped): from every stage, a record can always reach
either a terminal stage or a recycle stage. Each failure names one stage.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from typing import NoReturn

from leadlife._core.support.errors import FunnelDefinitionError
from leadlife._funnel.spec import FunnelSpec

_Fail = Callable[[str | None, str], NoReturn]


def validate(spec: FunnelSpec) -> None:
    """Raise :class:`~leadlife.errors.FunnelDefinitionError` for the first structural fault.

    Checked in this order, stages in declaration order: stage ids unique;
    transitions between declared stages; exactly one initial stage; nothing
    leaves a terminal stage; a recycle or screened-out stage is not terminal;
    no stage closes a deal both won and lost; every move into a screened-out
    stage has the guards ``has_screening`` and ``has_review_date``; every stage
    reachable from the initial stage; every non-terminal stage has a way out
    and a path to a terminal or a recycle stage.
    """
    fail = _failer(spec.name)
    _check_stages(spec, fail)
    _check_declarations(spec, fail)
    successors: dict[str, set[str]] = {stage.id: set() for stage in spec.stages}
    for t in spec.transitions:
        successors[t.source].add(t.target)
    _check_reachable(spec, successors, fail)
    _check_dead_ends(spec, successors, fail)


def _check_stages(spec: FunnelSpec, fail: _Fail) -> None:
    ids = [stage.id for stage in spec.stages]
    if not ids:
        fail(None, "declares no stages")
    for index, stage_id in enumerate(ids):
        if stage_id in ids[:index]:
            fail(stage_id, "is declared twice")
    for stage in spec.stages:
        if stage.recycle and stage.final:
            fail(stage.id, "cannot be both terminal and a recycle stage")
        if stage.screens_out and stage.final:
            fail(stage.id, "screens out, so its decision is reviewed later: it cannot be terminal")
        if stage.won and stage.lost:
            fail(stage.id, "cannot close a deal both won and lost")


def _check_declarations(spec: FunnelSpec, fail: _Fail) -> None:
    ids = {stage.id for stage in spec.stages}
    for t in spec.transitions:
        for end in (t.source, t.target):
            if end not in ids:
                fail(end, f"is used by event {t.event!r} but is not declared")
    initials = [stage.id for stage in spec.stages if stage.initial]
    if len(initials) != 1:
        fail(initials[1] if initials else None, f"needs exactly one initial stage, has {initials}")
    finals = spec.final_stages
    for t in spec.transitions:
        if t.source in finals:
            fail(t.source, f"is terminal, yet event {t.event!r} leaves it")
    screened_out = spec.screened_out_stages
    for t in spec.transitions:
        missing = [g for g in _SCREENING_GUARDS if g not in t.guards]
        if t.target in screened_out and t.source != t.target and missing:
            fail(
                t.target,
                f"screens out, yet event {t.event!r} enters it from {t.source!r} without "
                f"the guard{'s' if len(missing) > 1 else ''} {' and '.join(missing)}: "
                "nobody is screened out without a reason and a review date",
            )


_SCREENING_GUARDS = ("has_screening", "has_review_date")


def _check_reachable(spec: FunnelSpec, successors: dict[str, set[str]], fail: _Fail) -> None:
    initial = spec.initial.id
    reachable = _reach(successors, [initial])
    for stage in spec.stages:
        if stage.id not in reachable:
            fail(stage.id, f"cannot be reached from the initial stage {initial!r}")


def _check_dead_ends(spec: FunnelSpec, successors: dict[str, set[str]], fail: _Fail) -> None:
    finals = {stage.id for stage in spec.stages if stage.final}
    # A recycle stage is an exit only if it actually leads back somewhere.
    exits = finals | {stage.id for stage in spec.stages if stage.recycle and successors[stage.id]}
    for stage in spec.stages:
        if stage.final:
            continue
        if not successors[stage.id]:
            fail(stage.id, "is a dead end: no event leaves it, and it is not terminal")
        if not _reach(successors, [stage.id]) & exits:
            fail(
                stage.id,
                "is a dead end: no path from it reaches a terminal stage or a recycle stage",
            )


def _reach(successors: dict[str, set[str]], start: Iterable[str]) -> set[str]:
    """The stages reachable from ``start``, ``start`` included."""
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in successors[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _failer(funnel: str) -> _Fail:
    def fail(stage: str | None, problem: str) -> NoReturn:
        raise FunnelDefinitionError(funnel=funnel, stage=stage, problem=problem)

    return fail
