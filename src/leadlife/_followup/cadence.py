"""The cadence arithmetic: when the next touch is allowed, and when to stop.

Pure functions of a record (its plan and its touches) and a time. The
lifecycle refuses touches with them; the agenda, which runs over a whole book,
computes the same due times in one pass of its own, and a property test holds
the two to the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from leadlife import _validation as check
from leadlife._followup.plan import Channel, FollowUpPlan, PressureCap, Touch


@attrs.frozen(kw_only=True)
class FollowUp:
    """A plan in force on a record, since when it was agreed.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import Channel, FollowUp, FollowUpPlan
        >>> plan = FollowUpPlan(channel=Channel.PHONE, every=timedelta(days=7))
        >>> FollowUp(plan=plan, since=datetime(2026, 3, 2, tzinfo=UTC)).plan.channel.value
        'phone'
    """

    plan: FollowUpPlan = attrs.field(validator=check.instance_of(FollowUpPlan, "a FollowUpPlan"))
    since: datetime = attrs.field(validator=check.aware_datetime)


def touches_since(touches: Sequence[Touch], since: datetime) -> list[Touch]:
    """The touches made at or after ``since``."""
    return [touch for touch in touches if touch.at >= since]


def unanswered(follow_up: FollowUp, touches: Sequence[Touch]) -> int:
    """Touches under the plan since the last one that got an answer."""
    count = 0
    for touch in reversed(touches_since(touches, follow_up.since)):
        if touch.outcome.answered:
            break
        count += 1
    return count


def last_answer_at(follow_up: FollowUp, touches: Sequence[Touch]) -> datetime:
    """When the person last answered under the plan (or when it was agreed)."""
    answers = [t.at for t in touches_since(touches, follow_up.since) if t.outcome.answered]
    return max(answers, default=follow_up.since)


def next_touch_at(follow_up: FollowUp, touches: Sequence[Touch]) -> datetime:
    """When the plan's next touch is due.

    An interval after the last touch (or the agreement); but at once after an
    answer: replying to someone who answered is not pestering them.
    """
    under_plan = touches_since(touches, follow_up.since)
    if under_plan and under_plan[-1].outcome.answered:
        return under_plan[-1].at
    base = under_plan[-1].at if under_plan else follow_up.since
    return base + follow_up.plan.every


def cap_free_at(touches: Sequence[Touch], cap: PressureCap, at: datetime) -> datetime | None:
    """When the cap allows another touch, if it does not at ``at``."""
    recent = [t.at for t in touches if at - cap.window < t.at <= at]
    if len(recent) < cap.touches:
        return None
    # The oldest touches must fall out of the window to make room for one more.
    return sorted(recent)[len(recent) - cap.touches] + cap.window


def give_up_at(follow_up: FollowUp, touches: Sequence[Touch]) -> datetime | None:
    """When the time stop rule ends the chase, if the plan has one."""
    limit = follow_up.plan.give_up_after
    return None if limit is None else last_answer_at(follow_up, touches) + limit


def attempts_exhausted(follow_up: FollowUp, touches: Sequence[Touch]) -> bool:
    """Whether the attempts stop rule ends the chase."""
    limit = follow_up.plan.max_attempts
    return limit is not None and unanswered(follow_up, touches) >= limit


def duration(delta: timedelta) -> str:
    """A duration in words: ``"14 days"``, ``"8 hours"``, ``"90 minutes"``."""
    for unit, size in (("day", timedelta(days=1)), ("hour", timedelta(hours=1))):
        if delta % size == timedelta(0):
            count = delta // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{delta.total_seconds() / 60:g} minutes"


def breaches(
    follow_up: FollowUp | None,
    touches: Sequence[Touch],
    cap: PressureCap | None,
    channel: Channel,
    at: datetime,
) -> tuple[list[str], datetime | None]:
    """What a touch by ``channel`` at ``at`` would break, and when it would not.

    Returns:
        The breaches in words (empty when the touch is fine), and the earliest
        time a touch is allowed (``None`` when it is allowed now).
    """
    problems: list[str] = []
    allowed: list[datetime] = []
    if follow_up is not None:
        plan = follow_up.plan
        if channel != plan.channel:
            problems.append(f"the person chose {plan.channel.value}, not {channel.value}")
        due = next_touch_at(follow_up, touches)
        if at < due:
            problems.append(f"the agreed cadence is every {duration(plan.every)}")
            allowed.append(due)
        cap = plan.cap or cap
    if cap is not None and (free := cap_free_at(touches, cap, at)) is not None:
        problems.append(f"contact-pressure cap: {cap.touches} touches in {duration(cap.window)}")
        allowed.append(free)
    return problems, max(allowed, default=None)
