"""The buying committee: who decides, who influences, who is no longer there."""

from __future__ import annotations

from typing import Any

import attrs

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.committee import Member, find, keys_of


@attrs.frozen(kw_only=True)
class MemberAdded(LifecycleEvent):
    """Someone joined the record's buying committee.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole, LeadId, Member
        >>> from leadlife.events import MemberAdded
        >>> from leadlife.qualification import Method, Provenance
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> MemberAdded(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     member=Member(
        ...         key="cfo",
        ...         contact=Contact(name="Grace", role=DecisionRole.DECISION_MAKER),
        ...         provenance=Provenance(recorded_by="sam", at=at, method=Method.CALL),
        ...     ),
        ... ).member.key
        'cfo'
    """

    member: Member = attrs.field(validator=check.instance_of(Member, "a Member"))


@attrs.frozen(kw_only=True)
class MemberChanged(LifecycleEvent):
    """A committee member's details, role or consent changed: ``member`` is them as they are now.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Consent, Contact, LeadId, Member
        >>> from leadlife.events import MemberChanged
        >>> from leadlife.qualification import Method, Provenance
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> MemberChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     member=Member(
        ...         key="cfo",
        ...         contact=Contact(name="Grace"),
        ...         provenance=Provenance(recorded_by="sam", at=at, method=Method.CALL),
        ...         consent=Consent(do_not_contact=True, recorded_at=at),
        ...     ),
        ... ).member.consent.do_not_contact
        True
    """

    member: Member = attrs.field(validator=check.instance_of(Member, "a Member"))


@attrs.frozen(kw_only=True)
class MemberRemoved(LifecycleEvent):
    """Someone left the buying committee (they changed jobs, or were never part of it).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MemberRemoved
        >>> MemberRemoved(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="sam", key="cfo"
        ... ).key
        'cfo'
    """

    key: str = attrs.field(validator=check.key)


# How each event of this family changes a record (the fold's handlers).


def _member_added(record: Record, event: MemberAdded) -> dict[str, Any]:
    if find(record.committee, event.member.key) is not None:
        raise Refused(f"{event.member.key!r} is on the committee already")
    return {"committee": (*record.committee, event.member)}


def _member_changed(record: Record, event: MemberChanged) -> dict[str, Any]:
    key = event.member.key
    found = find(record.committee, key)
    if found is None:
        raise Refused(f"no member {key!r} on the committee ({keys_of(record.committee)})")
    if found == event.member:
        raise Refused(f"member {key!r} is already as given")
    return {"committee": tuple(event.member if m.key == key else m for m in record.committee)}


def _member_removed(record: Record, event: MemberRemoved) -> dict[str, Any]:
    if find(record.committee, event.key) is None:
        raise Refused(f"no member {event.key!r} on the committee ({keys_of(record.committee)})")
    return {"committee": tuple(m for m in record.committee if m.key != event.key)}


FOLDS: dict[type[LifecycleEvent], Handler] = {
    MemberAdded: _member_added,
    MemberChanged: _member_changed,
    MemberRemoved: _member_removed,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
