"""The follow-up plan the prospect agreed to, and the touches made under it.

Ask the prospect what interval suits them, and by which channel; then stick
to it. Decide in advance when to stop. Keep an eye on the total pressure
across channels (see :doc:`/followup`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


class Channel(StrEnum):
    """How a touch reaches the person.

    Example:
        >>> from leadlife.followup import Channel
        >>> Channel("email") is Channel.EMAIL
        True
    """

    MEETING = "meeting"
    """A meeting or a visit: the most pressing channel."""
    PHONE = "phone"
    """A call: pressing; nurture refuses it unless the person asked for it."""
    EMAIL = "email"
    SOCIAL = "social"
    MAIL = "mail"
    """Direct mail: the least pressing channel, for nurture."""
    NEWSLETTER = "newsletter"
    """E-mail marketing: one message to many, for nurture."""
    CONTENT = "content"
    """Something to read, watch or use (an article, a guide, a tool), for nurture."""
    EVENT = "event"
    """An invitation to a webinar, a talk or a trade show, for nurture."""

    @property
    def pressing(self) -> bool:
        """Whether it presses the person, as a call or a visit does; nurture keeps away from it."""
        return self in _PRESSING


_PRESSING = frozenset({Channel.MEETING, Channel.PHONE})


class TouchOutcome(StrEnum):
    """What came of a touch.

    ``REACHED``, ``REPLIED`` and ``MEETING_BOOKED`` are answers: they reset the
    count of unanswered attempts that stop rules watch.

    Example:
        >>> from leadlife.followup import TouchOutcome
        >>> TouchOutcome.REPLIED.answered, TouchOutcome.NO_ANSWER.answered
        (True, False)
    """

    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    REPLIED = "replied"
    MEETING_BOOKED = "meeting_booked"
    BOUNCED = "bounced"

    @property
    def answered(self) -> bool:
        """Whether the person answered."""
        return self in _ANSWERS


_ANSWERS = frozenset({TouchOutcome.REACHED, TouchOutcome.REPLIED, TouchOutcome.MEETING_BOOKED})


class WhenStopped(StrEnum):
    """Where a lead goes when the chase stops.

    Example:
        >>> from leadlife.followup import WhenStopped
        >>> WhenStopped.NURTURE.value
        'nurture'
    """

    NURTURE = "nurture"
    """Recycled to nurture: kept warm by less pressing means."""
    CLOSE = "close"
    """Screened out as unresponsive, with a review date."""


class OnViolation(StrEnum):
    """What happens to a touch beyond the cadence, the channel or the cap.

    Example:
        >>> from leadlife.followup import OnViolation
        >>> OnViolation.REFUSE.value
        'refuse'
    """

    REFUSE = "refuse"
    """Refused, with the time the next touch is allowed."""
    RECORD = "record"
    """Accepted and recorded as a visible violation (for audits)."""


_COUNT = check.whole_number(1, "a whole number, at least 1")


@attrs.frozen(kw_only=True)
class PressureCap:
    """At most ``touches`` touches in any rolling ``window``, across channels.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import PressureCap
        >>> PressureCap(touches=3, window=timedelta(days=7)).touches
        3
    """

    touches: int = attrs.field(validator=_COUNT)
    window: timedelta = attrs.field(validator=check.positive_duration)


@attrs.frozen(kw_only=True)
class FollowUpPlan:
    """What the prospect agreed to, and when the chase stops.

    Args:
        channel: The channel the prospect chose.
        every: The interval the prospect chose between touches.
        max_attempts: Stop after this many touches without an answer.
        give_up_after: Stop after this long without an answer.
        when_stopped: Where the lead goes then: nurture, or closed as
            unresponsive with a review date.
        review_after: For a closed chase, when to review it.
        cap: The contact-pressure cap; the lifecycle's when not given.
        on_violation: Refuse a touch that breaks the plan or the cap, or
            record it as a visible violation.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import Channel, FollowUpPlan
        >>> plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=14), max_attempts=4)
        >>> plan.every.days
        14
    """

    channel: Channel = attrs.field(validator=check.instance_of(Channel, "a Channel"))
    every: timedelta = attrs.field(validator=check.positive_duration)
    max_attempts: int | None = attrs.field(
        default=None, validator=attrs.validators.optional(_COUNT)
    )
    give_up_after: timedelta | None = attrs.field(
        default=None, validator=optional(check.positive_duration)
    )
    when_stopped: WhenStopped = attrs.field(
        default=WhenStopped.NURTURE, validator=check.instance_of(WhenStopped, "a WhenStopped")
    )
    review_after: timedelta = attrs.field(
        default=timedelta(days=90), validator=check.positive_duration
    )
    cap: PressureCap | None = attrs.field(
        default=None, validator=optional(check.instance_of(PressureCap, "a PressureCap or None"))
    )
    on_violation: OnViolation = attrs.field(
        default=OnViolation.REFUSE, validator=check.instance_of(OnViolation, "an OnViolation")
    )


@attrs.frozen(kw_only=True)
class Touch:
    """One follow-up touch: when, how, what came of it.

    Args:
        at: When it happened.
        channel: How.
        outcome: What came of it.
        note: What was said.
        violation: What it broke (the cadence, the channel, the cap), when a
            plan that records violations let it through; ``None`` otherwise.
        member: Whom it was with: the key of a member of the record's buying
            committee; ``None`` for the record's own contact.
        requested: Whether the person asked for this contact (a call back, a
            visit): a nurture programme lets a pressing channel through then.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.followup import Channel, Touch, TouchOutcome
        >>> Touch(
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     channel=Channel.EMAIL,
        ...     outcome=TouchOutcome.REPLIED,
        ... ).outcome
        <TouchOutcome.REPLIED: 'replied'>
    """

    at: datetime = attrs.field(validator=check.aware_datetime)
    channel: Channel = attrs.field(validator=check.instance_of(Channel, "a Channel"))
    outcome: TouchOutcome = attrs.field(validator=check.instance_of(TouchOutcome, "a TouchOutcome"))
    note: str | None = attrs.field(default=None, validator=optional(check.text))
    violation: str | None = attrs.field(default=None, validator=optional(check.text))
    member: str | None = attrs.field(default=None, validator=optional(check.key))
    requested: bool = attrs.field(default=False, validator=check.instance_of(bool, "True or False"))


@attrs.frozen(kw_only=True)
class FollowUp:
    """A plan in force on a record, since when it was agreed.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.followup import Channel, FollowUp, FollowUpPlan
        >>> plan = FollowUpPlan(channel=Channel.PHONE, every=timedelta(days=7))
        >>> FollowUp(plan=plan, since=datetime(2026, 3, 2, tzinfo=UTC)).plan.channel.value
        'phone'
    """

    plan: FollowUpPlan = attrs.field(validator=check.instance_of(FollowUpPlan, "a FollowUpPlan"))
    since: datetime = attrs.field(validator=check.aware_datetime)
