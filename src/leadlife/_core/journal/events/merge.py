"""Duplicates merged into the record that survives, merges undone, and a person joining a deal."""

from __future__ import annotations

from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.ids import OpportunityId, RecordId, RecordKind
from leadlife._core.values.merge import MergedFacts


def _facts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, MergedFacts):
        check.refuse(instance, attribute, value, "MergedFacts")


def _record_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, RecordId):
        check.refuse(instance, attribute, value, "a record id")
    elif value == instance.record_id:
        check.refuse(instance, attribute, value, "another record than the event's own")


@attrs.frozen(kw_only=True)
class RecordsMerged(LifecycleEvent):
    """Another record of the same person was merged into this one, which survives.

    ``before`` and ``after`` are the survivor's facts on each side of the
    merge (``after`` joins both records' facts as the merge policy said), so
    undoing it restores them exactly. ``policy`` names how conflicts were
    settled.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, LeadId
        >>> from leadlife.events import RecordsMerged
        >>> from leadlife.values import MergedFacts
        >>> RecordsMerged(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     absorbed=LeadId("L-2"),
        ...     before=MergedFacts(contact=Contact(name="Ada")),
        ...     after=MergedFacts(contact=Contact(name="Ada", email="ada@acme.com")),
        ...     policy="survivor",
        ... ).absorbed
        LeadId(value='L-2')
    """

    absorbed: RecordId = attrs.field(validator=_record_id)
    before: MergedFacts = attrs.field(validator=_facts)
    after: MergedFacts = attrs.field(validator=_facts)
    policy: str = attrs.field(validator=check.text)


@attrs.frozen(kw_only=True)
class MergedInto(LifecycleEvent):
    """This record was merged into another of the same person, which carries on: it is closed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MergedInto
        >>> MergedInto(
        ...     record_id=LeadId("L-2"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     survivor=LeadId("L-1"),
        ... ).survivor
        LeadId(value='L-1')
    """

    survivor: RecordId = attrs.field(validator=_record_id)


@attrs.frozen(kw_only=True)
class MergeUndone(LifecycleEvent):
    """A merge was undone: on the survivor, its facts are restored; the absorbed record reopens.

    On the survivor, ``restored`` is the facts it had before the merge and
    ``undone`` the facts the merge gave it (the record must still hold
    them: a fact changed since is not silently thrown away); on the absorbed
    record both are ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MergeUndone
        >>> MergeUndone(
        ...     record_id=LeadId("L-2"),
        ...     at=datetime(2026, 3, 3, tzinfo=UTC),
        ...     actor="ops",
        ...     other=LeadId("L-1"),
        ... ).restored is None
        True
    """

    other: RecordId = attrs.field(validator=_record_id)
    restored: MergedFacts | None = attrs.field(
        default=None, validator=optional(check.instance_of(MergedFacts, "MergedFacts or None"))
    )
    undone: MergedFacts | None = attrs.field(
        default=None, validator=optional(check.instance_of(MergedFacts, "MergedFacts or None"))
    )

    def __attrs_post_init__(self) -> None:
        if (self.restored is None) != (self.undone is None):
            check.refuse(
                self,
                attrs.fields(MergeUndone).undone,
                self.undone,
                "restored and undone facts together (on the survivor) or neither",
            )


@attrs.frozen(kw_only=True)
class JoinedDeal(LifecycleEvent):
    """This record's person joined an existing deal's buying committee: the record is closed.

    Salesforce converts a lead into an existing account, contact and deal;
    here the lead's person becomes ``member`` on the deal's committee (a
    :class:`~leadlife.events.MemberAdded` on the deal) and the lead points at
    the deal (``merged_into``), taking no further events: their journey goes
    on there.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId, OpportunityId
        >>> from leadlife.events import JoinedDeal
        >>> JoinedDeal(
        ...     record_id=LeadId("L-2"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="sam",
        ...     deal=OpportunityId("O-1"),
        ...     member="ada",
        ... ).deal
        OpportunityId(value='O-1')
    """

    deal: OpportunityId = attrs.field(
        validator=check.instance_of(OpportunityId, "an OpportunityId")
    )
    member: str = attrs.field(validator=check.key)


# How each event of this family changes a record (the fold's handlers).


def _records_merged(record: Record, event: RecordsMerged) -> dict[str, Any]:
    if event.absorbed in record.absorbed:
        raise Refused(f"{event.absorbed} was merged into {record.id} already")
    if event.absorbed.kind is not record.id.kind:
        raise Refused(f"a {record.id.kind.value} absorbs only another, not {event.absorbed}")
    if MergedFacts.of(record) != event.before:
        raise Refused("the merge's facts before it are not the record's")
    return {**event.after.changes(), "absorbed": (*record.absorbed, event.absorbed)}


def _merged_into(record: Record, event: MergedInto) -> dict[str, Any]:
    if event.survivor.kind is not record.id.kind:
        raise Refused(f"a {record.id.kind.value} is merged only into another, not {event.survivor}")
    return {"merged_into": event.survivor}


def _joined_deal(record: Record, event: JoinedDeal) -> dict[str, Any]:
    if record.id.kind is RecordKind.OPPORTUNITY:
        raise Refused(f"a deal does not join another deal ({event.deal})")
    return {"merged_into": event.deal}


def _merge_undone(record: Record, event: MergeUndone) -> dict[str, Any]:
    if event.restored is None or event.undone is None:  # the absorbed record reopens
        if record.merged_into != event.other:
            raise Refused(f"{record.id} is not merged into {event.other}")
        return {"merged_into": None}
    if event.other not in record.absorbed:
        raise Refused(f"{event.other} was not merged into {record.id}")
    if MergedFacts.of(record) != event.undone:
        raise Refused(
            "its facts changed since the merge: change them back first (undoing the merge "
            "would throw those changes away)"
        )
    absorbed = tuple(other for other in record.absorbed if other != event.other)
    return {**event.restored.changes(), "absorbed": absorbed}


FOLDS: dict[type[LifecycleEvent], Handler] = {
    RecordsMerged: _records_merged,
    MergedInto: _merged_into,
    MergeUndone: _merge_undone,
    JoinedDeal: _joined_deal,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
