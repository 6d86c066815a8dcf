"""Moving records through the funnel: the events it allows, and sending one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from leadlife._core.journal.events import (
    StageChanged,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Record
from leadlife._core.support import trusted
from leadlife._core.support.errors import (
    ConversionError,
)
from leadlife._core.values.screening import Screening, Win
from leadlife._lifecycle.engine import Engine, R, Request


class Moves:
    """Send funnel events to records."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def allowed_events(self, record: Record) -> tuple[str, ...]:
        """The events the funnel allows from the record's stage (guards not run).

        Raises:
            UnknownStageError: The record's stage is not a stage of the funnel.
        """
        return self.engine.allowed_events(record)

    def send(
        self,
        history: History[R],
        event: str,
        *,
        actor: str,
        reason: str | None = None,
        review_on: date | None = None,
        screening: Screening | None = None,
        win: Win | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Send ``event`` to the record: run the funnel and record the move.

        The funnel's guards and callbacks see the keyword arguments
        ``record``, ``at`` and ``actor``, and ``reason``, ``review_on`` and
        ``payload`` when given: give those parameters a default.

        Args:
            history: The record's history; the event is appended to it.
            event: The funnel event (``"engage"``, ``"disqualify"``...).
            actor: Who does it.
            reason: Why; some guards require one (``has_reason``).
            review_on: When the decision is reviewed; some guards require one
                (``has_review_date``), and the record keeps it.
            screening: Why the record is screened out, for a move that does
                (``has_screening``); the record keeps it. See :meth:`disqualify`.
            win: Why a deal is won, for a move into a won stage; the deal
                keeps it. See :meth:`win`.
            payload: JSON-safe context of your own, kept in the event.

        Returns:
            The :class:`~leadlife.events.StageChanged` event, already appended.

        Raises:
            UnknownEventError: The funnel has no such event.
            TransitionRefusedError: The event is not allowed from the record's
                stage, or a guard said no; the error lists what is allowed.
            ConversionError: The move needs a deeper record: use
                :meth:`qualify` or :meth:`open_opportunity`; or the record was
                converted already.
        """
        request = self.engine.request(
            history, actor, reason, review_on, payload, screening=screening, win=win
        )
        return self.move(history, event, request)

    def move(self, history: History[Any], event: str, request: Request) -> StageChanged:
        """Move the record as ``request`` asks, once it has been checked."""
        record = history.record
        self.engine.moves_from(record, event)
        if self.engine.table.deepest[(record.stage, event)] > record.kind.depth:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{event!r} leads to a stage that needs a deeper record; "
                "use Lifecycle.qualify or Lifecycle.open_opportunity",
            )
        target = self.engine.fire(record, event, request)
        # Every part was checked already: the request by _request, the event
        # and the stages by the funnel. So skip the validators on the hot path.
        changed = trusted.build(
            StageChanged,
            self.engine.table.move(
                record_id=record.id,
                at=request.at,
                actor=request.actor,
                reason=request.reason,
                payload=request.payload,
                event=event,
                source=record.stage,
                target=target,
                review_on=request.review_on,
                screening=request.screening,
                win=request.win,
            ),
        )
        history.append(changed)
        return changed
