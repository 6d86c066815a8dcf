"""A personal-data vault: histories kept without who the people are, and people erased from them.

The event stream is append-only and kept forever; a person may ask to be
forgotten. So the personal fields of every contact (name, e-mail, phone,
title) are sealed into a vault before histories are stored or written out,
and the histories keep references. Unsealing puts back what the vault holds.
Erasing a person deletes their secret and their values from the vault: every
stored history, export, event table and Parquet file made from sealed
histories then holds nothing of them, and each history still replays exactly,
its contacts reporting the fields erased (``Contact.withheld``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar, cast

import attrs

from leadlife._adapters.documents import to_dict
from leadlife._core.journal.events import JoinedDeal, LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Record
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.committee import find
from leadlife._core.values.contact import Contact, references
from leadlife._core.values.ids import RecordId
from leadlife._privacy import sealing
from leadlife._privacy.sealing import subject_of
from leadlife._privacy.storage import InMemoryVaultStorage, VaultStorage

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class Erasure:
    """What erasing a person did.

    Attributes:
        subjects: The subjects erased: the person's records and their places
            on other records' committees.
        values: How many values the vault deleted.

    Example:
        >>> from leadlife.privacy import Erasure
        >>> Erasure(subjects=("lead:L-1",), values=2).values
        2
    """

    subjects: tuple[str, ...]
    values: int


class Vault:
    """Seals contacts' personal fields into a storage; unseals them; erases people.

    Args:
        storage: Where the secrets and values are kept: an
            :class:`InMemoryVaultStorage` unless given (an
            :class:`SQLiteVaultStorage`, or one of yours).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
        >>> from leadlife.privacy import Vault
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada", email="ada@example.com"),
        ...     source=Source(channel="web"),
        ...     actor="form",
        ... )
        >>> vault = Vault()
        >>> sealed = vault.seal(lead)
        >>> sealed.record.contact.name, sealed.record.contact.email
        ('(withheld)', None)
        >>> vault.unseal(sealed).record == lead.record
        True
        >>> _ = vault.erase(["lead:L-1"])
        >>> erased = vault.unseal(sealed)
        >>> erased.record.contact.name, [entry[:5] for entry in erased.record.contact.withheld]
        ('(withheld)', ['name=', 'email'])
        >>> replay(erased.events) == erased.record
        True
    """

    __slots__ = ("_storage",)

    def __init__(self, storage: VaultStorage | None = None) -> None:
        if storage is None:
            storage = InMemoryVaultStorage()
        if not isinstance(storage, VaultStorage):
            raise ValidationError(
                owner="Vault", field="storage", value=storage, expected="a VaultStorage"
            )
        self._storage = storage

    @property
    def storage(self) -> VaultStorage:
        """Where the vault keeps what it holds."""
        return self._storage

    def seal(self, item: T) -> T:
        """``item`` (a history, an event or a record) with every contact's personal fields sealed.

        What is sealed already stays as it is; a history is replayed, so it
        stays bound to its funnel.
        """
        return self._each(item, self._sealed)

    def unseal(self, item: T) -> T:
        """``item`` with every withheld field the vault still holds put back.

        What the vault no longer holds (an erased person) stays withheld.
        """
        return self._each(item, self._unsealed)

    def erase(self, subjects: Iterable[str]) -> Erasure:
        """Erase ``subjects``: their secrets and values deleted from the storage.

        Give every subject of the person (:func:`person` finds them in a
        book: their lead, the prospect and deal it became, the records merged
        with it, their places on deals they joined), so nothing of them is
        left. A member of a buying committee who is nobody's lead is the
        subject ``subject_of(deal_id, member_key)``.

        Raises:
            ValidationError: ``subjects`` is a single string, not a collection.
        """
        if isinstance(subjects, str):
            raise ValidationError(
                owner="Vault.erase", field="subjects", value=subjects, expected="a list of subjects"
            )
        erased = tuple(dict.fromkeys(subjects))
        values = sum(self._storage.forget(subject) for subject in erased)
        return Erasure(subjects=erased, values=values)

    def export(self, book: Iterable[History[Any]], record_id: RecordId) -> dict[str, Any]:
        """Everything held about the person of ``record_id``, as one JSON-safe document.

        The answer to their access request: their subjects (see
        :func:`person`), the values the vault holds of each, every history of
        theirs (each event, as leadlife writes it) and their places on other
        records' committees, with their own personal fields put back and
        everybody else's left withheld.
        """
        histories = list(book)
        subjects = person(histories, record_id)
        held = {subject: self.held(subject) for subject in subjects}
        theirs = {digest: value for values in held.values() for digest, value in values.items()}

        def only_theirs(contact: Contact, subject: str) -> Contact:  # noqa: ARG001 - by digest
            return sealing.unsealed_contact(contact, theirs)

        by_subject = {subject_of(history.record_id): history for history in histories}
        own, memberships = [], []
        for subject in subjects:
            owner, _, member = subject.partition("/")
            history = by_subject.get(owner)
            if history is None:
                continue
            if not member:
                own.append(to_dict(self._each(history, only_theirs)))
                continue
            found = find(self._each(history.record, only_theirs).committee, member)
            if found is not None:
                memberships.append(
                    {
                        "record": owner,
                        "key": found.key,
                        "contact": to_dict(found.contact)["data"],
                        "consent": to_dict(found.consent)["data"],
                    }
                )
        return {
            "subjects": list(subjects),
            "held": {subject: sorted(values.values()) for subject, values in held.items()},
            "histories": own,
            "memberships": memberships,
        }

    def held(self, subject: str) -> dict[str, str]:
        """Every value the vault holds of ``subject``, by reference."""
        return self._storage.holds(subject)

    def _each(self, item: T, on_contact: sealing.OnContact) -> T:
        if isinstance(item, History):
            return cast(T, sealing.each_event(item, on_contact))
        if isinstance(item, LifecycleEvent):
            return cast(T, sealing.event_with(item, on_contact))
        if isinstance(item, Record):
            return cast(T, sealing.each_contact(item, subject_of(item.id), on_contact))
        raise ValidationError(
            owner="Vault", field="item", value=item, expected="a History, an event or a record"
        )

    def _sealed(self, contact: Contact, subject: str) -> Contact:
        storage = self._storage
        return sealing.sealed_contact(contact, subject, storage.secret, storage.keep)

    def _unsealed(self, contact: Contact, subject: str) -> Contact:  # noqa: ARG002 - by digest
        if not contact.withheld:
            return contact
        digests = references(contact).values()
        return sealing.unsealed_contact(contact, self._storage.find(digests))


def person(book: Iterable[History[Any]], record_id: RecordId) -> tuple[str, ...]:
    """The subjects of one person across ``book``: their records, and the deals they joined.

    From ``record_id``, the records linked to it either way: the ones it
    converted from and into, the ones merged with it; and, for a record that
    joined a deal, its place on that deal's committee (the deal itself is
    somebody else's).

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.privacy import person
        >>> person([], LeadId("L-1"))
        ('lead:L-1',)
    """
    links: dict[RecordId, set[RecordId]] = {}
    joined: dict[RecordId, list[str]] = {}
    for history in book:
        record, own = history.record, history.record_id
        deals = {
            event.deal: event.member for event in history.events if isinstance(event, JoinedDeal)
        }
        joined[own] = [subject_of(deal, member) for deal, member in deals.items()]
        for other in (
            getattr(record, "converted_to", None),
            getattr(record, "lead_id", None),
            getattr(record, "prospect_id", None),
            None if record.merged_into in deals else record.merged_into,
            *record.absorbed,
        ):
            if other is not None:
                links.setdefault(own, set()).add(other)
                links.setdefault(other, set()).add(own)
    found: dict[str, None] = {}
    waiting, reached = [record_id], {record_id}
    while waiting:
        current = waiting.pop()
        found[subject_of(current)] = None
        found.update(dict.fromkeys(joined.get(current, ())))
        for other in sorted(links.get(current, ()), key=str):
            if other not in reached:
                reached.add(other)
                waiting.append(other)
    return tuple(found)
