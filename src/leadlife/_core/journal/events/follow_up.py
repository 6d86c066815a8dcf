"""Following up: plans, touches, promises, nurture, sequences, and service levels breached."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.log import Log
from leadlife._core.values.breach import Breach
from leadlife._core.values.commitment import Commitment, CommitmentKind
from leadlife._core.values.committee import find
from leadlife._core.values.followup import FollowUp, FollowUpPlan, Touch, TouchOutcome
from leadlife._core.values.nurture import Nurture, NurtureProgramme
from leadlife._core.values.sequences import SalesSequence, SequenceEnrolment


def _due_after(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.aware_datetime(instance, attribute, value)
    if value < instance.at:
        check.refuse(instance, attribute, value, f"a time after the event, {instance.at}")


def _touch(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Touch) or value.at > instance.at:
        check.refuse(instance, attribute, value, "a Touch made no later than the event")


@attrs.frozen(kw_only=True)
class FollowUpAgreed(LifecycleEvent):
    """The person agreed to a follow-up plan: a channel, an interval, stop rules.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import LeadId
        >>> from leadlife.events import FollowUpAgreed
        >>> from leadlife.followup import Channel, FollowUpPlan
        >>> plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=14))
        >>> FollowUpAgreed(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="sam", plan=plan
        ... ).plan.every.days
        14
    """

    plan: FollowUpPlan = attrs.field(validator=check.instance_of(FollowUpPlan, "a FollowUpPlan"))


@attrs.frozen(kw_only=True)
class FollowUpEnded(LifecycleEvent):
    """The chase ended: a stop rule fired, or someone ended it (see ``reason``).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import FollowUpEnded
        >>> FollowUpEnded(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="system",
        ...     reason="4 touches without an answer",
        ... ).reason
        '4 touches without an answer'
    """


@attrs.frozen(kw_only=True)
class Touched(LifecycleEvent):
    """A follow-up touch was made.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import Touched
        >>> from leadlife.followup import Channel, Touch, TouchOutcome
        >>> at = datetime(2026, 3, 2, tzinfo=UTC)
        >>> touch = Touch(at=at, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER)
        >>> Touched(record_id=LeadId("L-1"), at=at, actor="sam", touch=touch).touch.outcome.value
        'no_answer'
    """

    touch: Touch = attrs.field(validator=_touch)


@attrs.frozen(kw_only=True)
class CommitmentMade(LifecycleEvent):
    """A next step was agreed, or we made a promise (by the event's actor, at its time).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import CommitmentMade
        >>> from leadlife.followup import CommitmentKind
        >>> CommitmentMade(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        ...     actor="sam",
        ...     kind=CommitmentKind.PROMISE,
        ...     what="send the proposal",
        ...     due_at=datetime(2026, 3, 6, 17, tzinfo=UTC),
        ... ).commitment.by
        'sam'
    """

    kind: CommitmentKind = attrs.field(validator=check.member_of(CommitmentKind))
    what: str = attrs.field(validator=check.text)
    due_at: datetime = attrs.field(validator=_due_after)

    @property
    def commitment(self) -> Commitment:
        """The commitment as the record keeps it."""
        return Commitment(
            kind=self.kind, what=self.what, made_at=self.at, due_at=self.due_at, by=self.actor
        )


@attrs.frozen(kw_only=True)
class CommitmentKept(LifecycleEvent):
    """A next step was taken, or a promise kept: ``commitment`` is its index.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import CommitmentKept
        >>> CommitmentKept(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 5, tzinfo=UTC),
        ...     actor="sam",
        ...     commitment=0,
        ... ).commitment
        0
    """

    commitment: int = attrs.field(
        validator=check.whole_number(0, "the commitment's index in the record's commitments")
    )


@attrs.frozen(kw_only=True)
class NurtureEnrolled(LifecycleEvent):
    """The record was enrolled in a nurture programme, in the stage it stands in.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import LeadId
        >>> from leadlife.events import NurtureEnrolled
        >>> from leadlife.followup import Channel
        >>> from leadlife.nurture import NurtureProgramme
        >>> NurtureEnrolled(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     programme=NurtureProgramme(
        ...         key="digest", name="Digest", channels={Channel.NEWSLETTER}, every=timedelta(30)
        ...     ),
        ... ).programme.key
        'digest'
    """

    programme: NurtureProgramme = attrs.field(
        validator=check.instance_of(NurtureProgramme, "a NurtureProgramme")
    )


@attrs.frozen(kw_only=True)
class NurtureEnded(LifecycleEvent):
    """The record left its nurture programme without moving (a move out of its stage ends it too).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import NurtureEnded
        >>> NurtureEnded(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="ops"
        ... ).actor
        'ops'
    """


@attrs.frozen(kw_only=True)
class SequenceEnrolled(LifecycleEvent):
    """The record was enrolled in a sales sequence: its steps come due from now.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import LeadId
        >>> from leadlife.events import SequenceEnrolled
        >>> from leadlife.followup import Channel, SalesSequence, SequenceStep
        >>> SequenceEnrolled(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="sam",
        ...     sequence=SalesSequence(
        ...         key="intro",
        ...         name="Intro",
        ...         steps=[SequenceStep(after=timedelta(0), channel=Channel.EMAIL)],
        ...     ),
        ... ).sequence.key
        'intro'
    """

    sequence: SalesSequence = attrs.field(
        validator=check.instance_of(SalesSequence, "a SalesSequence")
    )


@attrs.frozen(kw_only=True)
class SequenceEnded(LifecycleEvent):
    """The record left its sequence before an answer ended it (a reply or a meeting ends it too).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import SequenceEnded
        >>> SequenceEnded(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="sam"
        ... ).actor
        'sam'
    """


@attrs.frozen(kw_only=True)
class SlaBreached(LifecycleEvent):
    """A service level was breached on the record: the audit trail of the breach.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import SlaBreached
        >>> from leadlife.sla import Breach
        >>> due = datetime(2026, 3, 2, 17, tzinfo=UTC)
        >>> breach = Breach(
        ...     level="acceptance", started_at=datetime(2026, 3, 2, 9, tzinfo=UTC), due_at=due
        ... )
        >>> SlaBreached(record_id=LeadId("L-1"), at=due, actor="agenda", breach=breach).breach.level
        'acceptance'
    """

    breach: Breach = attrs.field(validator=check.instance_of(Breach, "a Breach"))


# How each event of this family changes a record (the fold's handlers).


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
    changes: dict[str, Any] = {"touches": record.touches.appended(event.touch)}
    if record.sequence is not None and event.touch.outcome in _ENDS_A_SEQUENCE:
        changes["sequence"] = None  # they answered: the conversation takes over
    return changes


_ENDS_A_SEQUENCE = frozenset({TouchOutcome.REPLIED, TouchOutcome.MEETING_BOOKED})


def _sequence_enrolled(record: Record, event: SequenceEnrolled) -> dict[str, Any]:
    if record.sequence is not None:
        raise Refused(f"sequence {record.sequence.sequence.key!r} is in force: end it first")
    if record.consent.do_not_contact:
        raise Refused("the person asked not to be contacted")
    enrolled = SequenceEnrolment(
        sequence=event.sequence, since=event.at, touches_before=len(record.touches)
    )
    return {"sequence": enrolled}


def _sequence_ended(record: Record, event: SequenceEnded) -> dict[str, Any]:  # noqa: ARG001
    if record.sequence is None:
        raise Refused("no sequence is in force")
    return {"sequence": None}


def _sla_breached(record: Record, event: SlaBreached) -> dict[str, Any]:
    if event.breach in record.breaches:
        raise Refused(f"the breach of {event.breach.level} is recorded already")
    return {"breaches": record.breaches.appended(event.breach)}


FOLDS: dict[type[LifecycleEvent], Handler] = {
    FollowUpAgreed: _follow_up_agreed,
    FollowUpEnded: _follow_up_ended,
    Touched: _touched,
    CommitmentMade: _commitment_made,
    CommitmentKept: _commitment_kept,
    NurtureEnrolled: _nurture_enrolled,
    NurtureEnded: _nurture_ended,
    SequenceEnrolled: _sequence_enrolled,
    SequenceEnded: _sequence_ended,
    SlaBreached: _sla_breached,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
