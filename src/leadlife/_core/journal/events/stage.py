"""Moves through the funnel."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.deal import opportunity_of, settle
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.ids import RecordId
from leadlife._core.values.objection import ObjectionStatus
from leadlife._core.values.screening import Screening, Win


def _converted_to(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, RecordId) or value.kind.depth != instance.record_id.kind.depth + 1:
        check.refuse(instance, attribute, value, "the id of the next deeper record, or None")


@attrs.frozen(kw_only=True)
class StageChanged(LifecycleEvent):
    """The funnel moved the record from one stage to another.

    Args:
        event: The funnel event that moved it (``"qualify"``).
        from_stage: The stage it left.
        to_stage: The stage it entered (may equal ``from_stage`` for a
            self-transition).
        review_on: When the decision behind this move is to be reviewed
            (required by the default funnel to disqualify); the record keeps
            it until its next move.
        converted_to: Set when the move converted the record into a deeper one
            (a lead into a prospect, a prospect into an opportunity): the id
            of that record, whose own history starts at the same time.
        screening: Why the record is screened out, for a move that screens it
            out (disqualifying, losing); the record keeps it until its next move.
        recycles: Whether the move recycles the record (it enters one of the
            funnel's recycle stages); the record counts its recycles.
        win_probability: For a deal, the win probability the move settles:
            1 when it enters a stage that closes it won, 0 lost; ``None`` when
            the move leaves the odds as they are.
        win: Why the deal was won, for a move into a won stage; the deal
            keeps it.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import StageChanged
        >>> StageChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 9, 11, tzinfo=UTC),
        ...     actor="bob",
        ...     event="disqualify",
        ...     from_stage="lead",
        ...     to_stage="disqualified",
        ...     reason="no budget this year",
        ...     review_on=date(2027, 1, 15),
        ... ).review_on
        datetime.date(2027, 1, 15)
    """

    event: str = attrs.field(validator=check.text)
    from_stage: str = attrs.field(validator=check.text)
    to_stage: str = attrs.field(validator=check.text)
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))
    converted_to: RecordId | None = attrs.field(default=None, validator=_converted_to)
    screening: Screening | None = attrs.field(
        default=None, validator=optional(check.instance_of(Screening, "a Screening or None"))
    )
    recycles: bool = attrs.field(default=False, validator=check.instance_of(bool, "True or False"))
    win_probability: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(check.probability)
    )
    win: Win | None = attrs.field(
        default=None, validator=optional(check.instance_of(Win, "a Win or None"))
    )


# How each event of this family changes a record (the fold's handlers).


def _stage_changed(record: Record, event: StageChanged) -> dict[str, Any]:
    if event.from_stage != record.stage:
        raise Refused(f"it leaves stage {event.from_stage!r} but the record is in {record.stage!r}")
    changes: dict[str, Any] = {
        "stage": event.to_stage,
        "review_on": event.review_on,
        "screening": event.screening,
    }
    if event.to_stage != event.from_stage:
        changes["stage_since"] = event.at
    if record.nurture is not None and event.to_stage != record.nurture.stage:
        # Moving on (re-engaging, converting, screening out) ends the programme.
        changes["nurture"] = None
    if event.converted_to is not None:
        changes["converted_to"] = event.converted_to
    if event.win_probability is not None:
        opportunity_of(record, event)
        changes["win_probability"] = event.win_probability
    if event.win is not None:
        opportunity_of(record, event)
        changes["win"] = event.win
    if event.screening is not None and event.screening.objection is not None:
        deal = opportunity_of(record, event)
        changes["objections"] = settle(
            deal, event.screening.objection, ObjectionStatus.LOST_ON, event.at, event.screening.note
        )
    if event.recycles:
        changes["recycled"] = record.recycled + 1
        # Recycling ends the chase: nurture is kept warm by other means.
        changes["follow_up"] = None
    return changes


FOLDS: dict[type[LifecycleEvent], Handler] = {
    StageChanged: _stage_changed,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
