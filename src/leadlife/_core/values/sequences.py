"""Sales sequences: a few touches across channels, planned as data, ended by the person's answer.

An e-mail on the first day, a call on the third, a social touch on the
seventh: a sequence lays the steps out in advance. Each step is a touch like
any other, so it keeps to the plan the person chose and to the pressure cap
(a step that would break them is refused, or recorded, as the plan says),
and a reply or a meeting booked ends the sequence: the person answered, the
conversation takes over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.values.followup import Channel


@attrs.frozen(kw_only=True)
class SequenceStep:
    """One step of a sequence: how long after enrolment, by which channel.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import Channel, SequenceStep
        >>> SequenceStep(after=timedelta(days=3), channel=Channel.PHONE).channel.value
        'phone'
    """

    after: timedelta = attrs.field(validator=check.duration)
    channel: Channel = attrs.field(validator=check.member_of(Channel))
    note: str | None = attrs.field(default=None, validator=optional(check.text))


def _steps(value: Sequence[SequenceStep]) -> tuple[SequenceStep, ...]:
    given: object = value
    if not isinstance(given, list | tuple) or not given:
        return check.refused(value, "a non-empty list of SequenceSteps")  # type: ignore[no-any-return]
    steps = tuple(given)
    if not all(isinstance(step, SequenceStep) for step in steps):
        return check.refused(value, "SequenceSteps")  # type: ignore[no-any-return]
    if any(later.after < earlier.after for earlier, later in pairwise(steps)):
        return check.refused(  # type: ignore[no-any-return]
            value, "steps in the order they come (after never decreasing)"
        )
    return steps


@attrs.frozen(kw_only=True)
class SalesSequence:
    """Touches across channels planned in advance, each so long after enrolment.

    Args:
        key: A stable lower_snake_case key.
        name: What people call it.
        steps: The steps, in the order they come.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import Channel, SalesSequence, SequenceStep
        >>> first_week = SalesSequence(
        ...     key="first_week",
        ...     name="First week",
        ...     steps=[
        ...         SequenceStep(after=timedelta(0), channel=Channel.EMAIL),
        ...         SequenceStep(after=timedelta(days=3), channel=Channel.PHONE),
        ...         SequenceStep(after=timedelta(days=7), channel=Channel.SOCIAL),
        ...     ],
        ... )
        >>> [step.channel.value for step in first_week.steps]
        ['email', 'phone', 'social']
    """

    key: str = attrs.field(validator=check.key)
    name: str = attrs.field(validator=check.text)
    steps: tuple[SequenceStep, ...] = attrs.field(converter=_steps, validator=check.converted)


def _sequence(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.instance_of(SalesSequence, "a SalesSequence")(instance, attribute, value)


@attrs.frozen(kw_only=True)
class SequenceEnrolment:
    """The sequence a record is in, since when, and how many touches it had then.

    Each touch since enrolment is a step taken (the next step is the one
    after as many steps as touches were made since).

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.followup import Channel, SalesSequence, SequenceEnrolment, SequenceStep
        >>> once = SalesSequence(
        ...     key="once",
        ...     name="Once",
        ...     steps=[SequenceStep(after=timedelta(0), channel=Channel.EMAIL)],
        ... )
        >>> SequenceEnrolment(
        ...     sequence=once, since=datetime(2026, 3, 2, tzinfo=UTC), touches_before=0
        ... ).next_step(0).channel.value
        'email'
    """

    sequence: SalesSequence = attrs.field(validator=_sequence)
    since: datetime = attrs.field(validator=check.aware_datetime)
    touches_before: int = attrs.field(validator=check.whole_number(0, "a count, 0 or more"))

    def next_step(self, touches: int) -> SequenceStep | None:
        """The step due after ``touches`` touches on the record in all; ``None``: all taken."""
        taken = touches - self.touches_before
        steps = self.sequence.steps
        return steps[taken] if 0 <= taken < len(steps) else None

    def due_at(self, step: SequenceStep) -> datetime:
        """When ``step`` is due: so long after enrolment."""
        return self.since + step.after
