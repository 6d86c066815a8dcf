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

from collections.abc import Callable, Sequence
from itertools import islice
from typing import Any

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import FunnelRules, History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ConcurrencyError, ValidationError
from leadlife._core.values.ids import RecordId
from leadlife._store import rows
from leadlife._store.statements import EVENTS, LAST_EVENT, VERSION

CHUNK = 400
"""Records whose versions one statement reads (two parameters each: every driver takes it)."""

# One index search per record asked about: a row-value IN over the events made SQLite
# scan the whole index for every chunk, so a batch cost more the more the store held.
_VERSIONS = (
    "WITH wanted (wanted_kind, wanted_id) AS (VALUES {}) "
    "SELECT wanted_kind, wanted_id, (SELECT MAX(version) FROM leadlife_events "
    "WHERE record_kind = wanted_kind AND record_id = wanted_id) FROM wanted"
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


def key(record_id: RecordId) -> tuple[str, str]:
    """How the events table names a record: its kind and its id."""
    return record_id.kind.value, record_id.value


def versions(
    cursor: Any, sql: Callable[[str], str], records: Sequence[RecordId]
) -> dict[tuple[str, str], int]:
    """How many events the store holds for each record it holds any of, read by the chunk."""
    if len(records) == 1:  # one append: the one statement, as simple as it gets
        cursor.execute(sql(VERSION), key(records[0]))
        return {key(records[0]): int(cursor.fetchone()[0])}
    keys = iter({key(record) for record in records})
    found: dict[tuple[str, str], int] = {}
    while chunk := list(islice(keys, CHUNK)):
        cursor.execute(
            sql(_VERSIONS.format(", ".join([_ROW] * len(chunk)))),
            [part for key in chunk for part in key],
        )
        found.update(
            {(kind, key): int(version) for kind, key, version in cursor.fetchall() if version}
        )
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


def appends(items: object) -> list[Append]:
    """``append_many``'s ``(record_id, events, expected_version)`` items, checked."""
    batch: list[Append] = []
    for index, item in enumerate(rows.listed(items, "append_many", "appends", "appends")):
        if not isinstance(item, tuple) or len(item) != 3:  # noqa: PLR2004 - the triple
            raise ValidationError(
                owner="append_many",
                field=f"appends[{index}]",
                value=item,
                expected="a (record_id, events, expected_version) tuple",
            )
        record_id, events, expected = item
        check.argument("append_many", f"appends[{index}].record_id", record_id, rows.AN_ID)
        version = f"appends[{index}].expected_version"
        check.argument("append_many", version, expected, rows.A_VERSION)
        batch.append(Append.of(record_id, events, expected))
    distinct(batch, "append_many", "appends")
    return batch


def wholes(
    histories: object, funnel: FunnelRules | None
) -> tuple[list[History[Any]], list[Append]]:
    """``save_many``'s histories, checked, each written whole as rows (before the lock)."""
    given = rows.listed(histories, "save_many", "histories", "histories")
    for index, history in enumerate(given):
        check.argument("save_many", f"histories[{index}]", history, rows.A_HISTORY)
    # A history the store holds part of is written whole too: the rows beyond that part
    # are the ones kept (see tail).
    whole = [
        Append.of(history.record_id, history.events, None, checked=saving(history, funnel))
        for history in given
    ]
    distinct(whole, "save_many", "histories")
    return given, whole


def tail(
    cursor: Any, sql: Callable[[str], str], history: History[Any], whole: Append, stored: int
) -> Append:
    """What of ``history`` to write after the ``stored`` events (which it must hold)."""
    if not stored:
        return whole
    record_id = history.record_id
    cursor.execute(sql(LAST_EVENT), key(record_id))
    document = cursor.fetchone()[1]
    last = rows.event(document, f"event {stored - 1} of {record_id!r}")
    if stored > len(history) or last != history[stored - 1]:
        cursor.execute(sql(EVENTS), key(record_id))
        raise diverged(record_id, [kept for (kept,) in cursor.fetchall()], history)
    return attrs.evolve(
        whole,
        events=history[stored:],
        expected=stored,
        documents=whole.documents[stored:],
        checked=False,
    )


@attrs.frozen(kw_only=True)
class Plan:
    """What a batch writes: its rows, each record's new version, the last position used."""

    inserts: list[tuple[Any, ...]]
    written: list[int]
    position: int

    @classmethod
    def of(
        cls,
        batch: Sequence[Append],
        stored: dict[tuple[str, str], int],
        last: int,
        continues: Callable[[RecordId, int, Sequence[LifecycleEvent]], None],
    ) -> Plan:
        """Check each append against the stored versions and (``continues``) histories.

        Raises:
            ConcurrencyError: An append expects another version than the stored one.
        """
        inserts: list[tuple[Any, ...]] = []
        written: list[int] = []
        position = last
        for append in batch:
            kind, name = key(append.record_id)
            actual = stored.get((kind, name), 0)
            if append.expected is not None and actual != append.expected:
                raise ConcurrencyError(
                    record_id=append.record_id, expected=append.expected, actual=actual
                )
            if append.documents:
                if not (append.checked and actual == 0):
                    continues(append.record_id, actual, append.events)
                inserts += [
                    (position + offset + 1, kind, name, actual + offset + 1, *document)
                    for offset, document in enumerate(append.documents)
                ]
                position += len(append.documents)
            written.append(actual + len(append.documents))
        return cls(inserts=inserts, written=written, position=position)
