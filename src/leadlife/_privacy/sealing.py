"""Every contact in an event, a record or a history, with its personal fields moved into a vault.

A contact's personal fields (:data:`~leadlife._core.values.contact.PERSONAL_FIELDS`)
become references: the name shows ``WITHHELD``, the others ``None``, and
``withheld`` lists ``field=digest`` for each. The digest is an HMAC of the
field and its value under a secret of the person's own, so equal values of
one person give equal references and different values different ones: a
sealed history replays exactly as the plain one did (a change of address
is still a change, a merge's facts still match the record's). Once the
person is erased, the secret and the values are gone, and the references
point at nothing and reveal nothing.

Whose data a contact is: the record's own contact is its record's subject
(``"lead:L-1"``), a member of its buying committee the record's subject and
the member's key (``"opportunity:O-1/cfo"``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.support.log import Log
from leadlife._core.values.committee import Member
from leadlife._core.values.contact import PERSONAL_FIELDS, WITHHELD, Contact, references
from leadlife._core.values.ids import RecordId

T = TypeVar("T")
OnContact = Callable[[Contact, str], Contact]
"""What is done to each contact, given whose it is."""


def subject_of(record_id: RecordId, member: str | None = None) -> str:
    """The subject a record's contact (or a member of its committee) is kept under.

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.privacy import subject_of
        >>> subject_of(LeadId("L-1")), subject_of(LeadId("L-1"), "cfo")
        ('lead:L-1', 'lead:L-1/cfo')
    """
    subject = f"{record_id.kind.value}:{record_id.value}"
    return subject if member is None else f"{subject}/{member}"


def digest(secret: bytes, field: str, value: str) -> str:
    """The reference of ``value`` in ``field`` under a person's ``secret``: 32 hex digits."""
    signed = hmac.new(secret, f"{field}\x00{value}".encode(), hashlib.sha256)
    return signed.hexdigest()[:32]


def sealed_contact(
    contact: Contact, subject: str, secret: Callable[[str], bytes], keep: Callable[..., None]
) -> Contact:
    """``contact`` with its personal fields kept by ``keep(subject, digest, value)``."""
    held = references(contact)
    personal = [
        (field, value)
        for field in PERSONAL_FIELDS
        if field not in held and (value := getattr(contact, field)) is not None
    ]
    if not personal:
        return contact
    key = secret(subject)
    changes: dict[str, Any] = {}
    for field, value in personal:
        found = digest(key, field, value)
        keep(subject, found, value)
        held[field] = found
        changes[field] = WITHHELD if field == "name" else None
    entries = tuple(f"{field}={held[field]}" for field in PERSONAL_FIELDS if field in held)
    return attrs.evolve(contact, withheld=entries, **changes)


def unsealed_contact(contact: Contact, found: dict[str, str]) -> Contact:
    """``contact`` with each withheld field ``found`` (by digest) back in place."""
    if not contact.withheld:
        return contact
    changes: dict[str, Any] = {}
    kept = []
    for entry in contact.withheld:
        field, _, reference = entry.partition("=")
        value = found.get(reference)
        if value is None:
            kept.append(entry)
        else:
            changes[field] = value
    if not changes:
        return contact
    return attrs.evolve(contact, withheld=tuple(kept), **changes)


def each_contact(item: T, subject: str, on_contact: OnContact) -> T:
    """``item`` rebuilt with ``on_contact`` applied to every contact in it (itself where none)."""
    return _walk(item, subject, on_contact)  # type: ignore[no-any-return]


def _walk(item: Any, subject: str, on_contact: OnContact) -> Any:
    if isinstance(item, Contact):
        return on_contact(item, subject)
    if isinstance(item, Member):
        contact = on_contact(item.contact, f"{subject}/{item.key}")
        return item if contact is item.contact else attrs.evolve(item, contact=contact)
    if isinstance(item, tuple | Log):
        items = [_walk(each, subject, on_contact) for each in item]
        if all(new is old for new, old in zip(items, item, strict=True)):
            return item
        return tuple(items) if isinstance(item, tuple) else type(item)(items)
    if attrs.has(type(item)):
        changes = {}
        for field in attrs.fields(type(item)):
            value = getattr(item, field.name)
            new = _walk(value, subject, on_contact)
            if new is not value:
                changes[field.alias] = new
        return attrs.evolve(item, **changes) if changes else item
    return item


def each_event(history: History[Any], on_contact: OnContact) -> History[Any]:
    """``history`` with ``on_contact`` applied to every contact of every event, replayed."""
    events = [event_with(event, on_contact) for event in history.events]
    if all(new is old for new, old in zip(events, history.events, strict=True)):
        return history
    return History(events, funnel=history.funnel)


def event_with(event: LifecycleEvent, on_contact: OnContact) -> LifecycleEvent:
    """``event`` with ``on_contact`` applied to each contact in it, under its record's subject."""
    return each_contact(event, subject_of(event.record_id), on_contact)
