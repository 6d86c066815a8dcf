"""Events from a funnel bound to your own objects.

When an application binds a funnel straight to its ORM rows (``model=``,
``state_field=``), no :class:`~leadlife.Lifecycle` is involved, yet every
move must still become an event. :class:`~leadlife.StageRecorder` is a
python-statemachine listener that does exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from leadlife._core.journal.events import StageChanged
from leadlife._core.support.clock import Clock
from leadlife._core.support.json import EMPTY
from leadlife._core.values.ids import RecordId
from leadlife._core.values.screening import Screening, Win
from leadlife._funnel.table import table


class StageRecorder:
    """A funnel listener that turns each move into a :class:`~leadlife.events.StageChanged` event.

    Every move is an event, or no move. The event is built (and so validated)
    and handed to ``sink`` during the move, *before* the stage is written
    (python-statemachine's ``on_transition``, which a ``StateMachine`` runs
    before it updates the model): a move with a bad ``actor`` or ``payload``,
    or a sink that raises, leaves the bound row where it was. An error raised
    by a callback that runs after the hand-over (an ``on_enter`` or
    ``after_transition`` of yours) reaches your code from ``send`` with the
    event already handed over: give the sink something that joins your
    database transaction (a list you flush, an outbox insert), and roll back
    whenever ``send`` raises.

    The event is made by the same factory :class:`~leadlife.Lifecycle` uses, so a move
    means the same on both paths (a recycle counts as one; a deal that enters
    a won stage is won).

    Args:
        record_id: The id of the bound record, or a function of the bound
            model that returns it (for one listener per funnel instance, the
            id itself is simplest).
        clock: Where event times come from.
        sink: Called with each event.
        actor: The actor when a send gives none (``actor=``).

    The event's ``reason``, ``review_on``, ``screening``, ``win`` and
    ``payload`` come from the arguments of ``send``.

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

    def on_transition(  # what python-statemachine injects, and send's arguments
        self,
        *,
        event: Any,
        source: Any,
        target: Any,
        model: Any,
        machine: Any,
        actor: str | None = None,
        reason: str | None = None,
        review_on: date | None = None,
        screening: Screening | None = None,
        win: Win | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> None:
        """Make the event and hand it to the sink, before the stage is written.

        python-statemachine calls this during the move, after the guards said
        yes and before the model's stage changes; raising here (a bad actor,
        a failing sink) stops the move.
        """
        record_id = self._record_id(model) if callable(self._record_id) else self._record_id
        fields = table(type(machine)).move(
            record_id=record_id,
            at=self._clock.now(),
            actor=self._actor if actor is None else actor,  # type: ignore[arg-type]
            reason=reason,
            payload=EMPTY if payload is None else payload,
            event=str(event.id),
            source=source.value,
            target=target.value,
            review_on=review_on,
            screening=screening,
            win=win,
        )
        self._sink(StageChanged(**fields))
