"""A record's facts: its owner, tags, attributes, consent, contact, company and account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, JsonMap
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent, ConsentStatus
from leadlife._core.values.contact import Contact


def _tag_change(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not instance.added and not instance.removed:
        check.refuse(instance, attribute, value, "at least one tag added or removed")
    if instance.added & instance.removed:
        check.refuse(instance, attribute, value, "tags not both added and removed")


def _attribute_change(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not instance.updated and not instance.removed:
        check.refuse(instance, attribute, value, "at least one attribute updated or removed")
    if set(instance.updated) & instance.removed:
        check.refuse(instance, attribute, value, "keys not both updated and removed")


@attrs.frozen(kw_only=True)
class OwnerAssigned(LifecycleEvent):
    """The record got a new owner (``None``: nobody owns it now).

    ``policy`` names the routing policy that chose the owner (its path in a
    chain, such as ``"chain/rules/round_robin"``), ``None`` when a person
    did; the reason says why that owner.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import OwnerAssigned
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> OwnerAssigned(record_id=LeadId("L-1"), at=at, actor="router", owner=None).owner is None
        True
    """

    owner: str | None = attrs.field(validator=optional(check.text))
    policy: str | None = attrs.field(default=None, validator=optional(check.text))


@attrs.frozen(kw_only=True)
class TagsChanged(LifecycleEvent):
    """Tags were added to or removed from the record.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import TagsChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> sorted(
        ...     TagsChanged(
        ...         record_id=LeadId("L-1"), at=at, actor="sam", added=["vip", "emea"]
        ...     ).added
        ... )
        ['emea', 'vip']
    """

    added: frozenset[str] = attrs.field(
        default=frozenset(), converter=check.to_text_set, validator=check.converted
    )
    removed: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=check.to_text_set,
        validator=[check.converted, _tag_change],
    )


@attrs.frozen(kw_only=True)
class AttributesChanged(LifecycleEvent):
    """Custom attributes were set (``updated``) or deleted (``removed``).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import AttributesChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> AttributesChanged(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", updated={"score": 87}, removed={"old"}
        ... ).updated
        JsonMap({'score': 87})
    """

    updated: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )
    removed: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=check.to_text_set,
        validator=[check.converted, _attribute_change],
    )


@attrs.frozen(kw_only=True)
class ConsentRecorded(LifecycleEvent):
    """The person said something new about being contacted.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Consent, ConsentStatus, LeadId
        >>> from leadlife.events import ConsentRecorded
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> ConsentRecorded(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="form",
        ...     consent=Consent(status=ConsentStatus.GRANTED),
        ... ).consent.status.value
        'granted'
    """

    consent: Consent = attrs.field(validator=check.instance_of(Consent, "a Consent"))


@attrs.frozen(kw_only=True)
class ContactChanged(LifecycleEvent):
    """The contact's details were corrected or completed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, LeadId
        >>> from leadlife.events import ContactChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> ContactChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     contact=Contact(name="Ada", phone="+44 20 7946 0000"),
        ... ).contact.phone
        '+44 20 7946 0000'
    """

    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))


@attrs.frozen(kw_only=True)
class CompanyChanged(LifecycleEvent):
    """The company's details were corrected or completed (``None``: unknown).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Company, LeadId
        >>> from leadlife.events import CompanyChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> CompanyChanged(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", company=Company(name="Engines Ltd")
        ... ).company.name
        'Engines Ltd'
    """

    company: Company | None = attrs.field(
        validator=optional(check.instance_of(Company, "a Company or None"))
    )


@attrs.frozen(kw_only=True)
class AccountLinked(LifecycleEvent):
    """The record was linked to an account (``None``: unlinked), and on what grounds.

    ``basis`` says why that account, in words a person can check: the
    matched domain or name (see :class:`~leadlife.accounts.AccountIndex`), or
    that someone chose it.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import AccountLinked
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> AccountLinked(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="ops",
        ...     account="001A",
        ...     basis=["domain usbank.com"],
        ... ).basis
        ('domain usbank.com',)
    """

    account: str | None = attrs.field(validator=optional(check.text))
    basis: tuple[str, ...] = attrs.field(
        default=(), converter=check.to_text_tuple, validator=check.converted
    )


def _some(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        check.refuse(instance, attribute, value, "at least one subject")


@attrs.frozen(kw_only=True)
class PersonalDataErased(LifecycleEvent):
    """The people of the record were erased from the vault holding their personal data.

    ``subjects`` names whom (see :func:`~leadlife.privacy.subject_of`). The
    record's contact shows its personal fields withheld, and so does every
    event before this one: the history still replays (see :doc:`/privacy`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import PersonalDataErased
        >>> PersonalDataErased(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="dpo",
        ...     subjects=["lead:L-1"],
        ... ).subjects
        ('lead:L-1',)
    """

    subjects: tuple[str, ...] = attrs.field(
        converter=check.to_text_tuple, validator=[check.converted, _some]
    )


# How each event of this family changes a record (the fold's handlers).


def _owner_assigned(record: Record, event: OwnerAssigned) -> dict[str, Any]:
    if event.owner == record.owner:
        raise Refused(f"the owner is already {record.owner!r}")
    return {"owner": event.owner}


def _tags_changed(record: Record, event: TagsChanged) -> dict[str, Any]:
    if present := event.added & record.tags:
        raise Refused(f"tags {sorted(present)} are already on the record")
    if missing := event.removed - record.tags:
        raise Refused(f"tags {sorted(missing)} are not on the record")
    return {"tags": (record.tags | event.added) - event.removed}


def _attributes_changed(record: Record, event: AttributesChanged) -> dict[str, Any]:
    if missing := event.removed - set(record.attributes):
        raise Refused(f"attributes {sorted(missing)} are not on the record")
    return {"attributes": record.attributes.merged(event.updated).without(event.removed)}


def _replace(field: str) -> Callable[[Record, Any], dict[str, Any]]:
    """A handler that replaces one field, refusing a change that changes nothing."""

    def handle(record: Record, event: Any) -> dict[str, Any]:
        new = getattr(event, field)
        if new == getattr(record, field):
            raise Refused(f"{field} is already {new!r}")
        return {field: new}

    return handle


def _consent_recorded(record: Record, event: ConsentRecorded) -> dict[str, Any]:
    confirmed = event.consent.confirmed_at
    # A confirmation answers a request: a double opt-in nobody asked for is no proof.
    new = confirmed is not None and confirmed != record.consent.confirmed_at
    if new and record.consent.status is not ConsentStatus.PENDING:
        raise Refused(
            "a double opt-in is confirmed only after it was requested "
            f"(the consent is {record.consent.status.value!r}, not 'pending')"
        )
    changes = _replace("consent")(record, event)
    if event.consent.do_not_contact:
        # The person asked to be left alone: whatever chase was agreed is over.
        changes["follow_up"] = None
        changes["sequence"] = None
    return changes


def _personal_data_erased(record: Record, event: PersonalDataErased) -> dict[str, Any]:
    if not record.contact.withheld:
        raise Refused(
            "the record's contact holds its personal fields: an erasure is recorded on a "
            "history read back from sealed storage (see Vault.seal)"
        )
    return {"erased_at": event.at}


FOLDS: dict[type[LifecycleEvent], Handler] = {
    OwnerAssigned: _owner_assigned,
    TagsChanged: _tags_changed,
    AttributesChanged: _attributes_changed,
    ConsentRecorded: _consent_recorded,
    ContactChanged: _replace("contact"),
    CompanyChanged: _replace("company"),
    AccountLinked: _replace("account"),
    PersonalDataErased: _personal_data_erased,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
