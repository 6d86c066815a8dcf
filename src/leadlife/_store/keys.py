"""Idempotency keys: an append made with a key is written once, however often it is sent.

A web form submitted twice, a webhook retried, a job run again after a crash:
each sends the same append again, with the expected version it had the first
time (so, the second time, a stale one). With a key, the store notes the key
beside the append's rows in the same transaction, and an append that comes
with a key already noted writes nothing and answers what the first one did.
The key is looked up under the store's write lock, so two copies sent at the
same moment are one write and one answer, never two writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from leadlife._core.support.errors import ValidationError
from leadlife._core.values.ids import RecordId
from leadlife._store import rows

LONGEST = 200
"""The longest key, in characters (a UUID is 36; a hash in hex, 64)."""

_FIND = "SELECT record_kind, record_id, version FROM leadlife_keys WHERE key = ?"
_NOTE = "INSERT INTO leadlife_keys (key, record_kind, record_id, version) VALUES (?, ?, ?, ?)"


@attrs.frozen(kw_only=True)
class KeyedAppend:
    """An append the store made with an idempotency key: whose it was, and the version it reached.

    Attributes:
        key: The key it was made with.
        record_id: The record appended to.
        version: The record's version after that append.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.store import SQLiteStore
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="web",
        ... )
        >>> with SQLiteStore(":memory:") as store:
        ...     store.append(lead.record_id, lead.events, expected_version=0, key="form-7")
        ...     store.append(lead.record_id, lead.events, expected_version=0, key="form-7")
        ...     store.keyed("form-7")
        1
        1
        KeyedAppend(key='form-7', record_id=LeadId(value='L-1'), version=1)
    """

    key: str
    record_id: RecordId
    version: int


def checked(called: str, key: object) -> str:
    """``key``, if it is one: text, not blank, at most :data:`LONGEST` characters, no NUL."""
    if isinstance(key, str) and key.strip() and len(key) <= LONGEST and "\x00" not in key:
        return key
    raise ValidationError(
        owner=called,
        field="key",
        value=key,
        expected=f"an idempotency key: text of 1 to {LONGEST} characters, not blank, no NUL",
    )


def find(cursor: Any, sql: Callable[[str], str], key: str) -> KeyedAppend | None:
    """The append made with ``key``, if the store has made one."""
    cursor.execute(sql(_FIND), (key,))
    row = cursor.fetchone()
    if row is None:
        return None
    kind, value, version = row
    return KeyedAppend(
        key=key, record_id=rows.record_id(kind, value, f"key {key!r}"), version=int(version)
    )


def repeated(
    called: str, cursor: Any, sql: Callable[[str], str], key: str, record_id: RecordId
) -> int | None:
    """What an append already made with ``key`` answers (its version); ``None`` if none was made.

    Raises:
        ValidationError: The key was used for another record's append.
    """
    done = find(cursor, sql, key)
    if done is None:
        return None
    if done.record_id != record_id:
        raise ValidationError(
            owner=called,
            field="key",
            value=done.key,
            expected=(
                f"a key not used before for another record (it made "
                f"{done.record_id.kind.value} {done.record_id}'s version {done.version})"
            ),
        )
    return done.version


def note(
    cursor: Any, sql: Callable[[str], str], key: str, record_id: RecordId, version: int
) -> None:
    """Note ``key`` as the append that took ``record_id`` to ``version`` (same transaction)."""
    cursor.execute(sql(_NOTE), (key, record_id.kind.value, record_id.value, version))
