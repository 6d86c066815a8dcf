"""Sales sequences: enrolling a record, and taking it out before an answer ends the sequence."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadlife._core.journal.events import SequenceEnded, SequenceEnrolled
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.values.sequences import SalesSequence
from leadlife._lifecycle.engine import Engine

_A_SEQUENCE = check.instance_of(SalesSequence, "a SalesSequence")


class Sequencing:
    """Enrol records in sales sequences, and end them; their steps come due on the agenda."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def enrol_in_sequence(
        self,
        history: History[Any],
        sequence: SalesSequence,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> SequenceEnrolled:
        """Enrol the record in ``sequence``: each step comes due so long after now.

        Each step is a touch (:meth:`Lifecycle.touch <leadlife.Lifecycle.touch>`),
        so it keeps to the plan the person chose and to the pressure cap: a
        step that would break them is refused, or recorded as a violation, as
        the plan says. A reply or a meeting booked ends the sequence; a
        request not to be contacted ends it too.

        Raises:
            HistoryError: The record is in a sequence already, or the person
                asked not to be contacted.
            ValidationError: ``sequence`` is not a SalesSequence.

        Example:
            >>> from datetime import UTC, datetime, timedelta
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.followup import Channel, SalesSequence, SequenceStep, TouchOutcome
            >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
            >>> life = Lifecycle(clock=clock)
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="web"),
            ...     actor="form",
            ... )
            >>> intro = SalesSequence(
            ...     key="intro",
            ...     name="Intro",
            ...     steps=[
            ...         SequenceStep(after=timedelta(0), channel=Channel.EMAIL),
            ...         SequenceStep(after=timedelta(days=3), channel=Channel.PHONE),
            ...     ],
            ... )
            >>> _ = life.enrol_in_sequence(lead, intro, actor="sam")
            >>> _ = life.touch(
            ...     lead, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED, actor="sam"
            ... )
            >>> lead.record.sequence is None  # they replied: the sequence is over
            True
        """
        check.argument("Lifecycle.enrol_in_sequence", "sequence", sequence, _A_SEQUENCE)
        return self.engine.append(
            history,
            SequenceEnrolled,
            actor=actor,
            reason=reason,
            payload=payload,
            sequence=sequence,
        )

    def end_sequence(
        self,
        history: History[Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> SequenceEnded:
        """Take the record out of its sequence (an answer ends it without this).

        Raises:
            HistoryError: No sequence is in force.
        """
        return self.engine.append(
            history, SequenceEnded, actor=actor, reason=reason, payload=payload
        )
