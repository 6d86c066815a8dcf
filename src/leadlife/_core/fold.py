"""The fold: how each event changes a record.

``apply(record, event)`` is the single definition of what an event means. A
history appends through it, and replay is nothing but applying the events in
order, which is why replaying a history rebuilds the record exactly.

Each step costs the same however long the history: the growing fields are
:class:`~leadlife._core.log.Log` values that append without copying, and the
checks on them (is this breach recorded already?) are lookups, not scans.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import attrs

from leadlife._core import trusted
from leadlife._core.committee import find, keys_of
from leadlife._core.events import (
    Assessed,
    AttributesChanged,
    CommitmentKept,
    CommitmentMade,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    Created,
    DealRevised,
    FollowUpAgreed,
    FollowUpEnded,
    LifecycleEvent,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    MergedInto,
    MergeUndone,
    NurtureEnded,
    NurtureEnrolled,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OwnerAssigned,
    RecordsMerged,
    ScoreCrossed,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife._core.followup import FollowUp
from leadlife._core.log import Log
from leadlife._core.merge import MergedFacts
from leadlife._core.nurture import Nurture
from leadlife._core.objection import Objection, ObjectionStatus
from leadlife._core.records import Opportunity, Record


class Refused(Exception):  # noqa: N818 - internal signal, turned into HistoryError/ReplayError
    """The event does not follow from the record; the message says why."""


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


def _stage_changed(record: Record, event: StageChanged) -> dict[str, Any]:
    if event.from_stage != record.stage:
        raise Refused(f"it leaves stage {event.from_stage!r} but the record is in {record.stage!r}")
    changes: dict[str, Any] = {
        "stage": event.to_stage,
        "review_on": event.review_on,
        "screening": event.screening,
    }
    if event.to_stage != event.from_stage:
        changes["stage_since"] = event.at
    if record.nurture is not None and event.to_stage != record.nurture.stage:
        # Moving on (re-engaging, converting, screening out) ends the programme.
        changes["nurture"] = None
    if event.converted_to is not None:
        changes["converted_to"] = event.converted_to
    if event.win_probability is not None:
        _opportunity(record, event)
        changes["win_probability"] = event.win_probability
    if event.win is not None:
        _opportunity(record, event)
        changes["win"] = event.win
    if event.screening is not None and event.screening.objection is not None:
        deal = _opportunity(record, event)
        changes["objections"] = _settle(
            deal, event.screening.objection, ObjectionStatus.LOST_ON, event.at, event.screening.note
        )
    if event.recycles:
        changes["recycled"] = record.recycled + 1
        # Recycling ends the chase: nurture is kept warm by other means.
        changes["follow_up"] = None
    return changes


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


def _opportunity(record: Record, event: LifecycleEvent) -> Opportunity:
    if not isinstance(record, Opportunity):
        raise Refused(f"{type(event).__name__} applies to opportunities, not to {record.id!r}")
    return record


def _deal_revised(record: Record, event: DealRevised) -> dict[str, Any]:
    deal = _opportunity(record, event)
    terms = {
        "name": event.name,
        "amount": event.amount,
        "expected_close": event.expected_close,
        "win_probability": event.win_probability,
    }
    if all(getattr(deal, key) == value for key, value in terms.items()):
        raise Refused("the deal's terms are already these")
    return terms


def _objection_recorded(record: Record, event: ObjectionRecorded) -> dict[str, Any]:
    deal = _opportunity(record, event)
    if event.objection.raised_at > event.at:
        raise Refused("the objection is dated after the event that records it")
    return {"objections": deal.objections.appended(event.objection)}


def _open_objection(deal: Opportunity, index: int) -> Objection:
    if index >= len(deal.objections):
        raise Refused(
            f"{deal.id} has {len(deal.objections)} objections: there is no objection {index}"
        )
    objection = deal.objections[index]
    if not objection.open:
        raise Refused(
            f"objection {index} ({objection.kind.value}) is {objection.status.value} already"
        )
    return objection


def _replaced(deal: Opportunity, index: int, objection: Objection) -> Log[Objection]:
    # A deal has few objections: copying them is cheaper than any cleverness.
    objections = list(deal.objections)
    objections[index] = objection
    return Log(objections)


def _settle(
    deal: Opportunity, index: int, status: ObjectionStatus, at: datetime, note: str | None
) -> Log[Objection]:
    objection = _open_objection(deal, index)
    settled = attrs.evolve(objection, status=status, settled_at=at, settled_note=note)
    return _replaced(deal, index, settled)


def _objection_answered(record: Record, event: ObjectionAnswered) -> dict[str, Any]:
    deal = _opportunity(record, event)
    objection = _open_objection(deal, event.objection)
    answered = attrs.evolve(objection, responses=(*objection.responses, event.response))
    return {"objections": _replaced(deal, event.objection, answered)}


def _objection_resolved(record: Record, event: ObjectionResolved) -> dict[str, Any]:
    deal = _opportunity(record, event)
    resolved = _settle(deal, event.objection, ObjectionStatus.RESOLVED, event.at, event.note)
    return {"objections": resolved}


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


def _competitor_noted(record: Record, event: CompetitorNoted) -> dict[str, Any]:
    deal = _opportunity(record, event)
    if event.competitor in deal.competitors:
        raise Refused(f"competitor {event.competitor!r} is already noted")
    return {"competitors": deal.competitors.appended(event.competitor)}


def _consent_recorded(record: Record, event: ConsentRecorded) -> dict[str, Any]:
    changes = _replace("consent")(record, event)
    if event.consent.do_not_contact:
        # The person asked to be left alone: whatever chase was agreed is over.
        changes["follow_up"] = None
    return changes


def _follow_up_agreed(record: Record, event: FollowUpAgreed) -> dict[str, Any]:  # noqa: ARG001
    return {"follow_up": FollowUp(plan=event.plan, since=event.at)}


def _follow_up_ended(record: Record, event: FollowUpEnded) -> dict[str, Any]:  # noqa: ARG001
    if record.follow_up is None:
        raise Refused("no follow-up plan is in force")
    return {"follow_up": None}


def _commitment_made(record: Record, event: CommitmentMade) -> dict[str, Any]:
    return {"commitments": record.commitments.appended(event.commitment)}


def _commitment_kept(record: Record, event: CommitmentKept) -> dict[str, Any]:
    index = event.commitment
    if index >= len(record.commitments):
        raise Refused(f"there is no commitment {index} ({len(record.commitments)} made)")
    found = record.commitments[index]
    if found.kept:
        raise Refused(f"commitment {index} ({found.what}) was kept already")
    commitments = list(record.commitments)
    commitments[index] = attrs.evolve(found, kept_at=event.at)
    return {"commitments": Log(commitments)}


def _nurture_enrolled(record: Record, event: NurtureEnrolled) -> dict[str, Any]:
    return {"nurture": Nurture(programme=event.programme, since=event.at, stage=record.stage)}


def _nurture_ended(record: Record, event: NurtureEnded) -> dict[str, Any]:  # noqa: ARG001
    if record.nurture is None:
        raise Refused("no nurture programme is in force")
    return {"nurture": None}


def _touched(record: Record, event: Touched) -> dict[str, Any]:
    if record.touches and event.touch.at < record.touches[-1].at:
        raise Refused(f"the touch is dated before the last one ({record.touches[-1].at})")
    member = event.touch.member
    if member is not None and find(record.committee, member) is None:
        raise Refused(f"the touch is with {member!r}, not on the committee")
    return {"touches": record.touches.appended(event.touch)}


def _score_crossed(record: Record, event: ScoreCrossed) -> dict[str, Any]:
    crossing, last = event.crossing, record.score
    # A crossing goes the other way from the last one by the same model; before any,
    # the record is below every threshold (a new model starts from below too).
    was_ready = last is not None and last.model == crossing.model and last.ready
    if crossing.ready == was_ready:
        side = "at or above" if was_ready else "below"
        raise Refused(
            f"the score by {crossing.model} is {side} its threshold already: "
            "a crossing goes the other way"
        )
    return {"score": crossing}


def _sla_breached(record: Record, event: SlaBreached) -> dict[str, Any]:
    if event.breach in record.breaches:
        raise Refused(f"the breach of {event.breach.level} is recorded already")
    return {"breaches": record.breaches.appended(event.breach)}


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


def _assessed(record: Record, event: Assessed) -> dict[str, Any]:  # noqa: ARG001 - any record
    return {"assessment": event.assessment}


_HANDLERS: dict[type[LifecycleEvent], Callable[[Record, Any], dict[str, Any]]] = {
    StageChanged: _stage_changed,
    Assessed: _assessed,
    FollowUpAgreed: _follow_up_agreed,
    FollowUpEnded: _follow_up_ended,
    Touched: _touched,
    ScoreCrossed: _score_crossed,
    RecordsMerged: _records_merged,
    MergedInto: _merged_into,
    MergeUndone: _merge_undone,
    NurtureEnrolled: _nurture_enrolled,
    CommitmentMade: _commitment_made,
    CommitmentKept: _commitment_kept,
    NurtureEnded: _nurture_ended,
    SlaBreached: _sla_breached,
    OwnerAssigned: _owner_assigned,
    TagsChanged: _tags_changed,
    AttributesChanged: _attributes_changed,
    ConsentRecorded: _consent_recorded,
    ContactChanged: _replace("contact"),
    CompanyChanged: _replace("company"),
    DealRevised: _deal_revised,
    ObjectionRecorded: _objection_recorded,
    ObjectionAnswered: _objection_answered,
    ObjectionResolved: _objection_resolved,
    CompetitorNoted: _competitor_noted,
    MemberAdded: _member_added,
    MemberChanged: _member_changed,
    MemberRemoved: _member_removed,
}
