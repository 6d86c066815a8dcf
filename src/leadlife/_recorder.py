"""Events from a funnel bound to your own objects.

When an application binds a funnel straight to its ORM rows (``model=``,
``state_field=``), no :class:`~leadlife.Lifecycle` is involved, yet every
move must still become an event. :class:`StageRecorder` is a
python-statemachine listener that does exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from leadlife._clock import Clock
from leadlife._history.events import StageChanged
from leadlife._json import EMPTY
from leadlife._records.ids import RecordId


class StageRecorder:
    """A funnel listener that turns each move into a :class:`StageChanged` event.

    The event is built (and so validated) *before* the move, so a move with a
    bad ``actor`` or ``payload`` does not happen at all; it is handed to
    ``sink`` *after* the move, once the stage is written. Pass the sink
    something that joins your database transaction (a list you flush, an
    outbox table's insert).

    Args:
        record_id: The id of the bound record, or a function of the bound
            model that returns it (for one listener per funnel instance, the
            id itself is simplest).
        clock: Where event times come from.
        sink: Called with each event.
        actor: The actor when a send gives none (``actor=``).

    The event's ``reason``, ``review_on`` and ``payload`` come from the
    arguments of ``send``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import DefaultFunnel, FixedClock, LeadId, StageRecorder
        >>> class LeadRow:  # your ORM model
        ...     def __init__(self, pk):
        ...         self.pk, self.stage = pk, None
        >>> events = []
        >>> row = LeadRow(7)
        >>> recorder = StageRecorder(
        ...     record_id=lambda model: LeadId(str(model.pk)),
        ...     clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)),
        ...     sink=events.append,
        ... )
        >>> funnel = DefaultFunnel(model=row, listeners=[recorder])
        >>> funnel.send("engage", actor="ada", reason="replied")
        >>> row.stage, events[0].from_stage, events[0].to_stage, events[0].actor
        ('lead', 'suspect', 'lead', 'ada')
    """

    def __init__(
        self,
        *,
        record_id: RecordId | Callable[[Any], RecordId],
        clock: Clock,
        sink: Callable[[StageChanged], object],
        actor: str | None = None,
    ) -> None:
        self._record_id = record_id
        self._clock = clock
        self._sink = sink
        self._actor = actor
        self._pending: StageChanged | None = None

    def before_transition(
        self,
        *,
        event: Any,
        source: Any,
        target: Any,
        model: Any,
        actor: str | None = None,
        reason: str | None = None,
        review_on: date | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> None:
        """Build the event; raising here stops the move (python-statemachine hook)."""
        record_id = self._record_id(model) if callable(self._record_id) else self._record_id
        self._pending = StageChanged(
            record_id=record_id,
            at=self._clock.now(),
            actor=self._actor if actor is None else actor,  # type: ignore[arg-type]
            reason=reason,
            review_on=review_on,
            payload=EMPTY if payload is None else payload,
            event=str(event.id),
            from_stage=source.value,
            to_stage=target.value,
        )

    def after_transition(self) -> None:
        """Hand the event to the sink, now that the move happened."""
        pending, self._pending = self._pending, None
        if pending is not None:
            self._sink(pending)
