"""A funnel read once into lookup tables, and the one way a move becomes an event.

The funnel class is the definition (python-statemachine runs its guards);
what the lifecycle and the recorder need to know about it besides (which
events leave a stage, which stages recycle, screen out, or close a deal) is
read from its spec once per class, here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from leadlife._core.support.errors import ValidationError
from leadlife._core.support.json import JsonMap
from leadlife._core.values.ids import RecordId, RecordKind
from leadlife._funnel.spec import FunnelSpec, TransitionSpec

if TYPE_CHECKING:
    from leadlife._core.values.screening import Screening, Win
    from leadlife._funnel.base import Funnel


class FunnelTable:
    """A funnel's stages and moves as lookup tables.

    Attributes:
        spec: The funnel as data.
        moves: The transitions by ``(stage, event)``.
        allowed: The events that leave each stage, in declaration order.
        kinds: The least deep record each stage takes.
        deepest: The deepest record any move of ``(stage, event)`` may need.
        targets: The stages each ``(stage, event)`` may lead to.
        closed_stages: The stages out of the running: won, screened out or final.
    """

    __slots__ = (
        "allowed",
        "closed_stages",
        "deepest",
        "final_stages",
        "kinds",
        "lost_stages",
        "moves",
        "recycle_stages",
        "screened_out_stages",
        "spec",
        "targets",
        "won_stages",
    )

    def __init__(self, spec: FunnelSpec) -> None:
        self.spec = spec
        self.moves: dict[tuple[str, str], tuple[TransitionSpec, ...]] = {}
        self.allowed: dict[str, tuple[str, ...]] = {stage.id: () for stage in spec.stages}
        for move in spec.transitions:
            key = (move.source, move.event)
            self.moves[key] = (*self.moves.get(key, ()), move)
            if move.event not in self.allowed[move.source]:
                self.allowed[move.source] = (*self.allowed[move.source], move.event)
        self.kinds: dict[str, RecordKind] = {
            stage.id: RecordKind.LEAD if stage.kind is None else stage.kind for stage in spec.stages
        }
        self.deepest = {
            key: max(self.kinds[move.target].depth for move in moves)
            for key, moves in self.moves.items()
        }
        self.targets: dict[tuple[str, str], frozenset[str]] = {
            key: frozenset(move.target for move in moves) for key, moves in self.moves.items()
        }
        self.recycle_stages = spec.recycle_stages
        self.final_stages = spec.final_stages
        self.screened_out_stages = spec.screened_out_stages
        self.won_stages = frozenset(stage.id for stage in spec.stages if stage.won)
        self.lost_stages = frozenset(stage.id for stage in spec.stages if stage.lost)
        # Out of the running: won, screened out or final. Nothing is owed to such a record
        # (the agenda's objections) and it weighs on nobody's workload (routing).
        self.closed_stages = self.final_stages | self.screened_out_stages | self.won_stages

    def event_into(self, stage: str, stages: Iterable[str]) -> str | None:
        """The one event whose every move from ``stage`` leads into ``stages``, if exactly one.

        How a stop rule, a win or an opt-out finds its move without being told
        the event: ``None`` when none leads there, or more than one does.
        """
        wanted = set(stages)
        events = [
            event
            for event in self.allowed[stage]
            if all(move.target in wanted for move in self.moves[(stage, event)])
        ]
        return events[0] if len(events) == 1 else None

    def refused_stage(self, kind: RecordKind, stage: str) -> str | None:
        """Why a record of ``kind`` cannot stand in ``stage``; ``None`` if it can."""
        if stage not in self.kinds:
            return f"funnel {self.spec.name} has no stage {stage!r} ({', '.join(self.allowed)})"
        needs = self.kinds[stage]
        if needs.depth > kind.depth:
            return f"{stage!r} is a stage for {_a(needs.value)}, not for {_a(kind.value)}"
        return None

    def refused_move(
        self, kind: RecordKind, source: str, event: str, target: str, *, converts: bool
    ) -> str | None:
        """Why the funnel does not move a ``kind`` of record from ``source`` by ``event``.

        ``converts`` says the move hands the record over to a deeper one (a
        lead qualified into a prospect), whose stage ``target`` is.
        """
        # The common case, a move the funnel makes, costs two lookups: histories
        # bound to a funnel ask this of every move they append or replay.
        targets = self.targets.get((source, event))
        if targets is not None and target in targets:
            if converts or self.kinds[target].depth <= kind.depth:
                return None
            return self.refused_stage(kind, target)
        name = self.spec.name
        if source not in self.allowed:
            return f"funnel {name} has no stage {source!r}"
        if targets is None:
            allowed = ", ".join(self.allowed[source]) or "nothing"
            return f"funnel {name} has no {event!r} from {source!r} (it allows {allowed})"
        reached = ", ".join(sorted(targets))
        return f"funnel {name} moves {event!r} from {source!r} to {reached}, not {target!r}"

    def move(
        self,
        *,
        record_id: RecordId,
        at: datetime,
        actor: str,
        reason: str | None,
        payload: JsonMap | Mapping[str, Any],
        event: str,
        source: str,
        target: str,
        review_on: date | None = None,
        screening: Screening | None = None,
        converted_to: RecordId | None = None,
        win: Win | None = None,
    ) -> dict[str, Any]:
        """The fields of the :class:`~leadlife.events.StageChanged` that records one move.

        The lifecycle and :class:`~leadlife.StageRecorder` both make their events from
        these, so a move means the same whichever path recorded it: a move
        into a recycle stage recycles, a deal that enters a won stage is won
        (probability 1) and one that enters a lost stage is lost (0).

        Raises:
            ValidationError: ``win`` is given for a move that does not win a deal.
        """
        if win is not None and (
            record_id.kind is not RecordKind.OPPORTUNITY or target not in self.won_stages
        ):
            raise ValidationError(
                owner=f"move {event!r} to {target!r}",
                field="win",
                value=win,
                expected="None: a Win is for a deal's move into a won stage ("
                + (", ".join(sorted(self.won_stages)) or "this funnel has none")
                + ")",
            )
        settles: float | None = None
        if record_id.kind is RecordKind.OPPORTUNITY and target != source:
            if target in self.won_stages:
                settles = 1.0
            elif target in self.lost_stages:
                settles = 0.0
        return {
            "record_id": record_id,
            "at": at,
            "actor": actor,
            "reason": reason,
            "payload": payload,
            "inferred": False,
            "event": event,
            "from_stage": source,
            "to_stage": target,
            "review_on": review_on,
            "converted_to": converted_to,
            "screening": screening,
            "recycles": target in self.recycle_stages and target != source,
            "win_probability": settles,
            "win": win,
        }


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "aeiou" else f"a {noun}"


_TABLES: WeakKeyDictionary[type[Funnel], FunnelTable] = WeakKeyDictionary()


def table(funnel: type[Funnel]) -> FunnelTable:
    """The funnel's table, read once per class (classes made on the fly are let go)."""
    found = _TABLES.get(funnel)
    if found is None:
        found = _TABLES[funnel] = FunnelTable(funnel.spec())
    return found
