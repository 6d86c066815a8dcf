"""Many appends in one transaction: one write lock, the versions read by the batch, one insert.

What :meth:`~leadlife.store.EventStore.append` does for one record, done for
many at once: the store's write lock is taken once, the records' versions
are read a few hundred records to a statement (a database round trip each,
not one per record), each append is checked as a single append is (the
expected version, and that its events continue the stored history), and
every row goes to the database in one statement (``executemany`` on SQLite,
``COPY`` on PostgreSQL). Either every append of the batch is written or none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from typing import Any

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History
from leadlife._core.support.errors import ConcurrencyError, ValidationError
from leadlife._core.values.ids import RecordId
from leadlife._store import rows

CHUNK = 400
"""Records whose versions one statement reads (two parameters each: every driver takes it)."""

_VERSIONS = (
    "SELECT record_kind, record_id, MAX(version) FROM leadlife_events "
    "WHERE (record_kind, record_id) IN (VALUES {}) GROUP BY record_kind, record_id"
)
_ROW = "(?, ?)"


@attrs.frozen(kw_only=True)
class Append:
    """One record's part of a batch: its events, and the version they must follow.

    Attributes:
        record_id: The record.
        events: Its new events, oldest first.
        expected: How many of its events the caller read; ``None``: after what is stored.
        documents: Each event's row (its type, time and JSON document), made before the lock.
        checked: The events are known to replay from the record's creation against
            the store's funnel (a history's own, for a record the store does not hold).
    """

    record_id: RecordId
    events: Sequence[LifecycleEvent]
    expected: int | None
    documents: Sequence[tuple[str, str, str]]
    checked: bool = False

    @classmethod
    def of(
        cls,
        record_id: RecordId,
        events: object,
        expected: int | None,
        *,
        checked: bool = False,
    ) -> Append:
        """The append, its events listed and written as rows (refused if not the record's)."""
        listed = rows.listed(events)
        return cls(
            record_id=record_id,
            events=listed,
            expected=expected,
            documents=rows.documents(record_id, listed),
            checked=checked,
        )


def distinct(appends: Sequence[Append], called: str, given: str) -> None:
    """Refuse a batch that names a record twice: its second append would follow the first."""
    seen: set[RecordId] = set()
    for index, append in enumerate(appends):
        if append.record_id in seen:
            raise ValidationError(
                owner=called,
                field=f"{given}[{index}]",
                value=append.record_id,
                expected="each record once in a batch (join its events into one append)",
            )
        seen.add(append.record_id)


def versions(
    cursor: Any, sql: Callable[[str], str], records: Iterable[RecordId]
) -> dict[tuple[str, str], int]:
    """How many events the store holds for each record it holds any of, read by the chunk."""
    keys = iter({(record.kind.value, record.value) for record in records})
    found: dict[tuple[str, str], int] = {}
    while chunk := list(islice(keys, CHUNK)):
        cursor.execute(
            sql(_VERSIONS.format(", ".join([_ROW] * len(chunk)))),
            [part for key in chunk for part in key],
        )
        found.update({(kind, key): int(version) for kind, key, version in cursor.fetchall()})
    return found


def saving(history: History[Any], funnel: FunnelRules | None) -> bool:
    """Whether a history's events are known to replay against the store's ``funnel``."""
    return funnel is None or history.funnel is funnel


def diverged(record_id: RecordId, stored: Sequence[str], history: History[Any]) -> ConcurrencyError:
    """The error for a history that does not hold the store's events in their places."""
    events = [
        rows.event(document, f"event {index} of {record_id!r}")
        for index, document in enumerate(stored)
    ]
    return ConcurrencyError(
        record_id=record_id, expected=rows.agreeing(events, history), actual=len(events)
    )
