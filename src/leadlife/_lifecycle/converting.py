"""Conversions: a prospect opens a deal; the shared steps of every conversion."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import (
    StageChanged,
)
from leadlife._core.journal.events.creation import holding
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity, Prospect, Record
from leadlife._core.support.errors import (
    ConversionError,
)
from leadlife._core.values.ids import OpportunityId, RecordKind
from leadlife._core.values.money import Money
from leadlife._lifecycle.engine import CREATED, Engine, R, Request

if TYPE_CHECKING:
    from leadlife._lifecycle.moves import Moves


class Converting:
    """Convert records into deeper ones, keeping lineage by id."""

    __slots__ = ("engine", "moves")

    def __init__(self, engine: Engine, moves: Moves) -> None:
        self.engine = engine
        self.moves = moves

    def open_opportunity(
        self,
        history: History[Prospect],
        *,
        opportunity_id: OpportunityId,
        name: str,
        amount: Money | None,
        expected_close: date | None,
        win_probability: float | None,
        actor: str,
        event: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[Opportunity]:
        """Convert a prospect into an opportunity: a concrete deal opens.

        Works like :meth:`qualify`, one level deeper: the prospect's history
        gets the move with ``converted_to``, the opportunity's history starts
        with :class:`~leadlife.events.OpportunityOpened`. A term nobody knows
        yet (the amount, the close date, the odds) is ``None``: not known,
        which reports keep apart from zero.

        Returns:
            The new opportunity's history.

        Raises:
            ConversionError: The record is not an unconverted prospect, or no
                (or more than one) event opens a deal from its stage.
            TransitionRefusedError: The funnel refused the move.
            ValidationError: A term of the deal is invalid.
        """
        prospect = history.record
        if not isinstance(prospect, Prospect):
            raise ConversionError(
                record_id=prospect.id,
                stage=prospect.stage,
                problem="only a prospect opens an opportunity",
            )
        event = self.conversion(prospect, RecordKind.OPPORTUNITY, event)
        request = self.engine.request(
            history, actor, reason, None, payload, called="open_opportunity"
        )
        target = self.engine.fire(prospect, event, request)
        deal = Opportunity.from_prospect(
            prospect,
            id=opportunity_id,
            stage=target,
            at=request.at,
            name=name,
            amount=amount,
            expected_close=expected_close,
            win_probability=win_probability,
        )
        return self.hand_over(history, event, deal, request)

    def conversion(self, record: Record, kind: RecordKind, event: str | None) -> str:
        """The event that converts ``record`` into ``kind`` from its stage, checked."""
        if event is None:
            event = self._conversion_event(record, kind)
        moves = self.engine.moves_from(record, event)
        if any(self.engine.kind(move.target) is not kind for move in moves):
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{event!r} does not lead into a stage that needs {kind.noun}",
            )
        return event

    def _conversion_event(self, record: Record, kind: RecordKind) -> str:
        candidates = [
            event
            for event in self.engine.allowed_events(record)
            if all(
                self.engine.kind(m.target) is kind
                for m in self.engine.table.moves[(record.stage, event)]
            )
        ]
        if len(candidates) != 1:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{len(candidates)} events lead into a {kind.value} stage from here"
                + (f" ({', '.join(candidates)}): pass event=" if candidates else ""),
            )
        return candidates[0]

    def hand_over(self, history: History[Any], event: str, new: R, request: Request) -> History[R]:
        """Start the new record's history, then close the old one towards it."""
        record: Record = history.record
        created = CREATED[type(new)](
            record_id=new.id,
            at=request.at,
            actor=request.actor,
            reason=request.reason,
            payload=request.payload,
            **holding(new),
        )
        new_history: History[R] = History([created], funnel=self.engine.funnel)
        history.append(
            StageChanged(
                **self.engine.table.move(
                    record_id=record.id,
                    at=request.at,
                    actor=request.actor,
                    reason=request.reason,
                    payload=request.payload,
                    event=event,
                    source=record.stage,
                    target=new.stage,
                    converted_to=new.id,
                )
            )
        )
        return new_history
