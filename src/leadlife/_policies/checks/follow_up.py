"""Following up: the agreed plan's next touch or its end, nurture's cadence, the named failures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.json import JsonValue
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._core.values.assessment import Outcome
from leadlife._core.values.commitment import CommitmentKind
from leadlife._core.values.followup import Channel
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies import cadence
from leadlife._policies.checks.check import NOTHING

_DAY = timedelta(days=1)
_FOLLOW_UP_DUE = {channel: f"the agreed follow-up by {channel.value} is due" for channel in Channel}


@attrs.frozen(kw_only=True)
class FollowUpDue:
    """The plan the person agreed to: its next touch when due, or its end when they went silent.

    Example:
        >>> from leadlife.agenda import FollowUpDue
        >>> FollowUpDue().key
        'follow_up_plan'
    """

    key: str = "follow_up_plan"
    needs: str = "follow_up"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage: a plan holds wherever the record stands."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """Stop the chase past the plan's give-up time; else the next touch, if due."""
        follow_up = record.follow_up
        if follow_up is None:
            return NOTHING
        touches = record.touches
        give_up = cadence.give_up_at(follow_up, touches)
        if give_up is not None and give_up <= at:
            last = cadence.last_answer_at(follow_up, touches)
            return (
                quick(
                    kind=ActionKind.STOP_CHASE,
                    record_id=record.id,
                    due_at=give_up,
                    reason="no answer for too long: stop the chase, as the plan says",
                    source="give_up_after",
                    facts={"last_answer": last.isoformat()},
                ),
            )
        next_touch = cadence.next_touch_at(follow_up, touches)
        if next_touch > at:
            return NOTHING
        plan = follow_up.plan
        reason = _FOLLOW_UP_DUE[plan.channel]
        facts: dict[str, JsonValue] = {
            "channel": plan.channel.value,
            "every_days": plan.every / _DAY,
        }
        reason = _in_their_hours(record, at, reason, facts)
        return (
            quick(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=next_touch,
                reason=reason,
                source=self.key,
                facts=facts,
            ),
        )


def _in_their_hours(record: Record, at: datetime, reason: str, facts: dict[str, JsonValue]) -> str:
    """The reason, saying when the person's hours open if they are closed now (their clock).

    ``facts["contact_at"]`` then holds that moment.
    """
    breach = cadence.window_breach(record.contact, at)
    if breach is None:
        return reason
    outside, opens = breach
    facts["contact_at"] = opens.isoformat()
    return f"{reason}; {outside}"


@attrs.frozen(kw_only=True)
class NurtureDue:
    """A nurture programme's next gentle touch, when due.

    Example:
        >>> from leadlife.agenda import NurtureDue
        >>> NurtureDue().key
        'nurture_programme'
    """

    key: str = "nurture_programme"
    needs: str = "nurture"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage: a programme holds while its record stays where it was enrolled."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """Keep them warm by the programme's channels, at its cadence."""
        nurture = record.nurture
        if nurture is None:
            return NOTHING
        due = cadence.next_nurture_at(nurture, record.touches)
        if due > at:
            return NOTHING
        programme = nurture.programme
        gentle = sorted(channel.value for channel in programme.channels)
        return (
            quick(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=due,
                reason=f"keep them warm: {' or '.join(gentle)} ({programme.name})",
                source=self.key,
                facts={"programme": programme.key, "channels": tuple(gentle)},
            ),
        )


@attrs.frozen(kw_only=True)
class SequenceStepDue:
    """A sales sequence's next step, when due: its channel, in the person's hours.

    A step keeps to the plan the person chose: one on another channel is
    proposed with a word that the plan will refuse it (or record it), as
    the plan says. A reply or a meeting ends the sequence, and with it the
    steps.

    Example:
        >>> from leadlife.agenda import SequenceStepDue
        >>> SequenceStepDue().key
        'sequence_step'
    """

    key: str = "sequence_step"
    needs: str = "sequence"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage: a sequence holds wherever the record stands, until an answer."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """The next step, if its time has come."""
        enrolment = record.sequence
        if enrolment is None:
            return NOTHING
        step = enrolment.next_step(len(record.touches))
        if step is None or enrolment.due_at(step) > at:
            return NOTHING
        sequence = enrolment.sequence
        number = len(record.touches) - enrolment.touches_before + 1
        reason = f"step {number} of {len(sequence.steps)} of {sequence.name}: {step.channel.value}"
        facts: dict[str, JsonValue] = {
            "sequence": sequence.key,
            "step": number,
            "channel": step.channel.value,
        }
        plan = None if record.follow_up is None else record.follow_up.plan
        if plan is not None and plan.channel is not step.channel:
            reason += f" (the person chose {plan.channel.value}: the plan decides)"
        reason = _in_their_hours(record, at, reason, facts)
        return (
            quick(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=enrolment.due_at(step),
                reason=reason,
                source=self.key,
                facts=facts,
            ),
        )


@attrs.frozen(kw_only=True)
class BrokenCommitments:
    """Promises not kept and agreed next steps not taken, by their due time.

    Example:
        >>> from leadlife.agenda import BrokenCommitments
        >>> BrokenCommitments().key
        'commitments'
    """

    key: str = "commitments"
    needs: str = "commitments"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage: a promise is owed wherever the record stands."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """One flag per commitment broken by ``at``."""
        found: list[DueAction] = []
        for index, commitment in enumerate(record.commitments):
            if not commitment.broken(at):
                continue
            due = f"{commitment.due_at:%Y-%m-%d}"
            if commitment.kind is CommitmentKind.PROMISE:
                reason = f"promised {commitment.what!r} by {due}, not kept"
                source = "broken_promise"
            else:
                reason = f"the agreed next step {commitment.what!r} was due {due}, not taken"
                source = "missed_next_step"
            facts: dict[str, JsonValue] = {"commitment": index, "by": commitment.by}
            found.append(flag(record, commitment.due_at, reason, source, facts))
        return found


@attrs.frozen(kw_only=True)
class FollowUpFailures:
    """Two named follow-up failures of a record in an open stage it has touched.

    No next step agreed after a meeting; gone silent on our side (touched
    before, not for ``silent_after``, with no plan and no screening).

    Args:
        next_step_within: Flag a meeting with no next step agreed this long after it.
        silent_after: Flag a record touched before but not for this long.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.agenda import FollowUpFailures
        >>> FollowUpFailures(silent_after=timedelta(days=60)).silent_after.days
        60
    """

    key: str = "follow_up_failures"
    next_step_within: timedelta = attrs.field(default=_DAY, validator=check.duration)
    silent_after: timedelta = attrs.field(
        default=timedelta(days=30), validator=check.positive_duration
    )
    needs: str = "touches"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The open stages: not closed, not recycling (nurture keeps them warm by other means)."""
        return frozenset(roles.stages) - roles.closed - roles.recycle

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """Each of the two failures the record shows at ``at``."""
        if not record.touches:
            return NOTHING  # never touched: neither can have happened
        silent = self._gone_silent(record, at)
        meeting = _last_meeting(record)
        if meeting is None or meeting + self.next_step_within > at:
            return NOTHING if silent is None else (silent,)
        for commitment in record.commitments:
            if commitment.kind is CommitmentKind.NEXT_STEP and commitment.made_at >= meeting:
                return NOTHING if silent is None else (silent,)
        no_step = flag(
            record,
            meeting + self.next_step_within,
            f"no agreed next step after the meeting on {meeting:%Y-%m-%d}: "
            "the sale is in their court with no date",
            "no_next_step",
            {"meeting": meeting.isoformat()},
        )
        return (no_step,) if silent is None else (no_step, silent)

    def _gone_silent(self, record: Record, at: datetime) -> DueAction | None:
        last = record.touches[-1].at
        if (
            record.follow_up is not None
            or record.screening is not None
            or last + self.silent_after > at
        ):
            return None
        return flag(
            record,
            last + self.silent_after,
            f"gone silent on our side: last touch {(at - last).days} days ago, "
            "no plan, no stop rule, no screening",
            "gone_silent",
            {"last_touch": last.isoformat()},
        )


@attrs.frozen(kw_only=True)
class ChasingUnqualified:
    """A named follow-up failure: chasing, by a plan in force, a lead that failed qualification.

    Example:
        >>> from leadlife.agenda import ChasingUnqualified
        >>> ChasingUnqualified().key
        'chasing_unqualified'
    """

    key: str = "chasing_unqualified"
    needs: str = "follow_up"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The open stages, as for the other follow-up failures."""
        return frozenset(roles.stages) - roles.closed - roles.recycle

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:  # noqa: ARG002 - due since the plan or the verdict
        """A flag from the later of the plan and the failed assessment."""
        assessment, follow_up = record.assessment, record.follow_up
        if (
            follow_up is None
            or assessment is None
            or assessment.outcome is not Outcome.NOT_QUALIFIED
        ):
            return NOTHING
        return (
            flag(
                record,
                max(follow_up.since, assessment.at),
                f"chasing a lead that failed qualification ({assessment.framework} on "
                f"{assessment.at:%Y-%m-%d}): it goes nowhere",
                self.key,
                {"framework": assessment.framework},
            ),
        )


def _last_meeting(record: Record) -> datetime | None:
    """When the record's last meeting took place (a touch by meeting that reached them)."""
    for touch in reversed(record.touches):
        if touch.channel is Channel.MEETING and touch.outcome.answered:
            return touch.at
    return None


def flag(
    record: Record, due_at: datetime, reason: str, source: str, facts: dict[str, JsonValue]
) -> DueAction:
    """A flag for a person to look at: nothing to apply, something to know."""
    return quick(
        kind=ActionKind.FLAG,
        record_id=record.id,
        due_at=due_at,
        reason=reason,
        source=source,
        facts=facts,
    )
