"""The fold: how each event changes a record.

``apply(record, event)`` is the single definition of what an event means. A
history appends through it, and replay is nothing but applying the events in
order, which is why replaying a history rebuilds the record exactly.

Each step costs the same however long the history: the growing fields are
:class:`~leadlife._core.support.log.Log` values that append without copying, and the
checks on them (is this breach recorded already?) are lookups, not scans.
"""

from __future__ import annotations

from typing import Any

from leadlife._core.journal.events import (
    Created,
    LifecycleEvent,
    MergeUndone,
    committee,
    deal,
    details,
    follow_up,
    judgement,
    merge,
    stage,
)
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import trusted


def apply(record: Record | None, event: LifecycleEvent) -> Record:
    """Return the record as it is after ``event``.

    Args:
        record: The record before the event; ``None`` before the first event.
        event: The event to apply.

    Raises:
        Refused: The event does not follow from the record.
    """
    if record is None:
        return _created(event)
    # The record and the event were validated when they were made, and each
    # handler only combines their values: no need to validate again.
    return trusted.evolve(record, _changes(record, event))


def advance(draft: Record, event: LifecycleEvent) -> None:
    """Apply ``event`` to ``draft`` in place: it becomes what :func:`apply` would return.

    For replay, which needs only the last record: the draft must be a record
    :func:`apply` made for the caller alone, so that changing it cannot be
    seen, and then an event costs the fields it changes rather than a copy
    of every field. A refused event leaves the draft as it was (every check
    runs before the first change).

    Raises:
        Refused: The event does not follow from the record.
    """
    trusted.update(draft, _changes(draft, event))


def _created(event: LifecycleEvent) -> Record:
    if not isinstance(event, Created):
        raise Refused(
            "a history starts with LeadCaptured, ProspectCreated or OpportunityOpened, "
            f"not {type(event).__name__}"
        )
    created = event.record
    if created.updated_at > event.at:
        raise Refused(f"the record was last updated at {created.updated_at}, after the event")
    return created


def _changes(record: Record, event: LifecycleEvent) -> dict[str, Any]:
    if isinstance(event, Created):
        raise Refused(f"{record.id} already exists: a history has one creation event")
    if event.record_id != record.id:
        raise Refused(f"the event belongs to {event.record_id!r}, the history to {record.id!r}")
    if record.converted_to is not None:
        raise Refused(
            f"{record.id} was converted to {record.converted_to}: its journey goes on there"
        )
    if record.merged_into is not None and not isinstance(event, MergeUndone):
        if record.merged_into.kind is not record.id.kind:  # a merge joins records of one kind
            raise Refused(f"{record.id} joined the deal {record.merged_into}: its person is there")
        raise Refused(
            f"{record.id} was merged into {record.merged_into}: send events to that record, "
            "or undo the merge"
        )
    handler = _HANDLERS.get(type(event))
    if handler is None:
        raise Refused(f"{type(event).__name__} is not one of leadlife's event types")
    changes = handler(record, event)
    changes["updated_at"] = event.at
    return changes


# Each family's handlers, assembled once: the one place the fold learns what events exist.
_HANDLERS: dict[type[LifecycleEvent], Handler] = {
    **stage.FOLDS,
    **details.FOLDS,
    **deal.FOLDS,
    **committee.FOLDS,
    **follow_up.FOLDS,
    **judgement.FOLDS,
    **merge.FOLDS,
}
