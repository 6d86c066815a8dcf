"""The store's rows: events written as documents, read back checked, and appends that continue.

Everything here is the same for every backend: what a row of the events
table holds, how it is read back (a row changed by hand is a
:class:`~leadlife.errors.StoreError` naming it, never a decoding error), and
whether new events continue the history the stored ones make.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC
from typing import Any

from leadlife._adapters import fast_write
from leadlife._adapters.documents import SCHEMA_VERSION, from_json, to_json
from leadlife._core.journal.events import Created, LifecycleEvent
from leadlife._core.journal.events.fold_types import Refused
from leadlife._core.journal.history import FunnelRules, History, Replaying
from leadlife._core.support import validation as check
from leadlife._core.support.errors import (
    LeadlifeError,
    StaleWriteError,
    StoreError,
    ValidationError,
)
from leadlife._core.values.ids import ID_TYPES, RecordId, RecordKind

Row = tuple[Any, ...]

AN_ID = check.instance_of(RecordId, "a record id (LeadId, ProspectId, OpportunityId)")
A_HISTORY = check.instance_of(History, "a History")
A_VERSION = check.whole_number(0, "the number of events read, 0 or more")
"""What the store's methods take, checked the same in every one of them."""

BATCH = 1_000
"""Rows fetched at a time by the streaming reads: memory stays flat whatever the store holds."""


def listed(
    events: object, owner: str = "append", field: str = "events", of: str = "events"
) -> list[Any]:
    """The items given, as a list (read once); anything but a collection is refused by name."""
    if isinstance(events, Iterable) and not isinstance(events, str | bytes | Mapping):
        return list(events)
    raise ValidationError(owner=owner, field=field, value=events, expected=f"a sequence of {of}")


def documents(record_id: RecordId, events: Sequence[object]) -> list[tuple[str, str, str]]:
    """Each event's row: its type, its time in UTC and its document; each of ``record_id``.

    Raises:
        ValidationError: An event is not one, or belongs to another record.
    """
    written = []
    for index, event in enumerate(events):
        if not isinstance(event, LifecycleEvent) or (
            event.record_id is not record_id and event.record_id != record_id
        ):
            raise ValidationError(
                owner="append",
                field=f"events[{index}]",
                value=event,
                expected=f"an event of {record_id!r}",
            )
        at = event.at
        if at.tzinfo is not UTC:
            at = at.astimezone(UTC)
        written.append((type(event).__name__, at.isoformat(), _document(event)))
    return written


def _document(event: LifecycleEvent) -> str:
    """The event's JSON document, as :func:`to_json` writes it.

    Its fast writer is called here directly: ``to_json`` imports it on each call.
    """
    try:
        return fast_write.document(event, SCHEMA_VERSION)
    except fast_write.HandBack:
        return to_json(event)


def event(document: object, where: str) -> LifecycleEvent:
    """The stored event ``document``; a store whose rows were changed by hand says so."""
    if not isinstance(document, str):
        raise StoreError(f"the stored {where} is {type(document).__name__}, not text")
    try:
        read: LifecycleEvent = from_json(document, LifecycleEvent)
    except LeadlifeError as error:
        raise StoreError(f"the stored {where} cannot be read: {error}") from error
    return read


def record_id(kind: object, key: object, where: str) -> RecordId:
    """The record id a row names; a row changed by hand says so."""
    try:
        return ID_TYPES[RecordKind(kind)](key)  # type: ignore[arg-type]  # refused if not text
    except (LeadlifeError, ValueError) as error:
        raise StoreError(
            f"the stored {where} names no record ({kind!r}, {key!r}): {error}"
        ) from error


def agreeing(stored: Sequence[LifecycleEvent], history: Sequence[LifecycleEvent]) -> int:
    """How many events, from the first, the stored history and ``history`` have in common."""
    pairs = enumerate(zip(stored, history, strict=False))
    return next(
        (index for index, (kept, own) in pairs if kept != own), min(len(stored), len(history))
    )


def batches(cursor: Any) -> Iterator[Row]:
    """A cursor's rows, fetched :data:`BATCH` at a time."""
    while rows := cursor.fetchmany(BATCH):
        yield from rows


def check_continues(
    stored: Sequence[str],
    owner: RecordId,
    events: Sequence[LifecycleEvent],
    funnel: FunnelRules | None,
) -> None:
    """Refuse ``events`` unless they replay onto the record the ``stored`` documents make.

    The stored events are replayed as they are (they were checked when they
    came); the new ones against ``funnel`` too, when the store has one. The
    caller holds the store's write lock, so nobody appends between this
    check and the write.

    Raises:
        StoreError: The record has no stored history and the first event is
            not its creation, or the stored history does not replay.
        StaleWriteError: An event does not continue the stored history.
    """
    replaying = Replaying()
    if not stored and not isinstance(events[0], Created):
        raise StoreError(f"the store holds no history of {owner!r}: store its creation event first")
    for index, document in enumerate(stored):
        kept = event(document, f"event {index} of {owner!r}")
        problem = None
        if kept.record_id != owner:
            problem = f"it is an event of {kept.record_id!r}"
        else:
            try:
                replaying.step(kept)
            except Refused as refused:
                problem = str(refused)
        if problem is not None:
            raise StoreError(
                f"the stored history of {owner!r} does not replay at event {index}: {problem}"
            )
    replaying.funnel = funnel
    stage = None if replaying.record is None else replaying.record.stage
    for index, new in enumerate(events):
        try:
            replaying.step(new)
        except Refused as refused:
            raise StaleWriteError(
                record_id=owner,
                expected=len(stored),
                actual=len(stored),
                index=index,
                stage=stage,
                problem=str(refused),
            ) from None
