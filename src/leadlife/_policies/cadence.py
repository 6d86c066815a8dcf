"""The cadence policy: may we touch this person now, when may we next, when do we stop.

Pure functions of a record (its plan and its touches) and a time. The
lifecycle asks :func:`touch_verdict` before it records a touch, and the
agenda proposes follow-ups with the same arithmetic. Each is a binary search
or a lookup in the record's :class:`~leadlife.followup.Touches`, never a
scan: a touch costs the same however many came before it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from leadlife._core.journal.records import Record
from leadlife._core.values.committee import Member
from leadlife._core.values.contact import Contact
from leadlife._core.values.followup import Channel, FollowUp, OnViolation, PressureCap
from leadlife._core.values.nurture import Nurture
from leadlife._core.values.touches import Touches

DEFAULT_PRESSURE_CAP = PressureCap(touches=3, window=timedelta(days=7))
"""At most three touches a week, across channels, unless a lifecycle or a plan says otherwise."""


class TouchVerdict(NamedTuple):
    """Whether a touch may be made now, and if not why and when.

    Attributes:
        problems: What the touch breaks, in words (empty: nothing).
        refuse: The touch must not be made (else, with problems, it is
            recorded as a visible violation, as the plan or programme says).
        allowed_at: The earliest time a touch would break no cadence or cap
            (``at`` itself when only the channel is wrong); ``None``: never (a
            person who asked not to be contacted, a final stage).
    """

    problems: tuple[str, ...]
    refuse: bool
    allowed_at: datetime | None


def touch_verdict(
    record: Record,
    channel: Channel,
    at: datetime,
    *,
    cap: PressureCap | None,
    final: bool,
    member: Member | None = None,
    requested: bool = False,
) -> TouchVerdict:
    """May we touch the person behind ``record`` by ``channel`` at ``at``, and if not, when?

    In this order: nobody who asked not to be contacted is touched (the
    record's contact, or ``member`` of its buying committee), nor a record in
    a final stage; then the plan the person agreed to (its channel and
    cadence) and the contact-pressure cap (the plan's, else ``cap``); then a
    nurture programme's gentle channels and slow cadence, unless the person
    asked for the touch (``requested``); then the person's hours on their own
    clock (unless they asked for this touch). A breach refuses the touch
    unless the plan (or the programme) says to record it as a violation.
    """
    if record.consent.do_not_contact:
        return _never("the person asked not to be contacted")
    if member is not None and member.consent.do_not_contact:
        return _never(f"{member.key} asked not to be contacted")
    if final:
        return _never(f"{record.stage!r} is a final stage")
    problems, allowed_at = breaches(record.follow_up, record.touches, cap, channel, at)
    plan = None if record.follow_up is None else record.follow_up.plan
    refuse = bool(problems) and (plan is None or plan.on_violation is OnViolation.REFUSE)
    if record.nurture is not None:
        gentle, gentle_at = nurture_breaches(
            record.nurture, record.touches, channel, at, requested=requested
        )
        refuse = refuse or (
            bool(gentle) and record.nurture.programme.on_violation is OnViolation.REFUSE
        )
        problems += gentle
        allowed_at = max(filter(None, (allowed_at, gentle_at)), default=None)
    if not requested:  # a call they asked for at this hour keeps to their hours by definition
        who = record.contact if member is None else member.contact
        breach = window_breach(who, at)
        if breach is not None:
            outside, opens = breach
            problems.append(outside)
            refuse = refuse or plan is None or plan.on_violation is OnViolation.REFUSE
            allowed_at = max(filter(None, (allowed_at, opens)), default=None)
    return TouchVerdict(tuple(problems), refuse=refuse, allowed_at=allowed_at or at)


def window_breach(contact: Contact, at: datetime) -> tuple[str, datetime] | None:
    """Why ``at`` is outside the person's hours, and when they next open; ``None`` if it is not.

    Their hours are on their own clock (:meth:`Contact.window <leadlife.Contact.window>`).
    """
    window, zone = contact.window(), contact.time_zone
    if window is None or zone is None or window.is_open(at, zone):
        return None
    opens = window.next_open(at, zone)
    return (
        f"outside {contact.name}'s hours ({window}, {zone}): next {their_time(opens, zone)}",
        opens,
    )


def their_time(at: datetime, zone: str) -> str:
    """``at`` on the person's clock, as a person says it (``"Tue 09:00 their time"``)."""
    return f"{at.astimezone(ZoneInfo(zone)):%a %H:%M} their time"


def _never(problem: str) -> TouchVerdict:
    return TouchVerdict((problem,), refuse=True, allowed_at=None)


def _start(follow_up: FollowUp, touches: Touches) -> int:
    """The position of the first touch made under the plan."""
    return touches.first_at_or_after(follow_up.since)


def unanswered(follow_up: FollowUp, touches: Touches) -> int:
    """Touches under the plan since the last one that got an answer."""
    return len(touches) - max(_start(follow_up, touches), touches.last_answered() + 1)


def last_answer_at(follow_up: FollowUp, touches: Touches) -> datetime:
    """When the person last answered under the plan (or when it was agreed)."""
    answered = touches.last_answered()
    if answered >= 0 and answered >= _start(follow_up, touches):
        return touches[answered].at
    return follow_up.since


def next_touch_at(follow_up: FollowUp, touches: Touches) -> datetime:
    """When the plan's next touch is due.

    An interval after the last touch (or the agreement); but at once after an
    answer: replying to someone who answered is not pestering them.
    """
    last = touches[-1] if touches and touches[-1].at >= follow_up.since else None
    if last is None:
        return follow_up.since + follow_up.plan.every
    if last.outcome.answered:
        return last.at
    return last.at + follow_up.plan.every


def cap_free_at(touches: Touches, cap: PressureCap, at: datetime) -> datetime | None:
    """When the cap allows another touch, if it does not at ``at``."""
    first, end = touches.count_in(at - cap.window, at)
    if end - first < cap.touches:
        return None
    # The oldest touches must fall out of the window to make room for one more.
    return touches[end - cap.touches].at + cap.window


def give_up_at(follow_up: FollowUp, touches: Touches) -> datetime | None:
    """When the time stop rule ends the chase, if the plan has one."""
    limit = follow_up.plan.give_up_after
    return None if limit is None else last_answer_at(follow_up, touches) + limit


def attempts_exhausted(follow_up: FollowUp, touches: Touches) -> bool:
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


def next_nurture_at(nurture: Nurture, touches: Touches) -> datetime:
    """When the programme's next touch is due: at once after enrolment, then every so often."""
    if touches and touches[-1].at >= nurture.since:
        return touches[-1].at + nurture.programme.every
    return nurture.since


def nurture_breaches(
    nurture: Nurture, touches: Touches, channel: Channel, at: datetime, *, requested: bool
) -> tuple[list[str], datetime | None]:
    """What a touch by ``channel`` at ``at`` would break of the nurture programme, and when not.

    A touch the person asked for (``requested``) breaks nothing: calling back
    someone who asked for a call is not pressing them.
    """
    if requested:
        return [], None
    programme = nurture.programme
    problems: list[str] = []
    allowed = None
    if channel not in programme.channels:
        gentle = ", ".join(sorted(c.value for c in programme.channels))
        why = " (it presses: only when the person asks for it)" if channel.pressing else ""
        problems.append(
            f"nurture programme {programme.key} reaches out by {gentle}, not {channel.value}{why}"
        )
    due = next_nurture_at(nurture, touches)
    if at < due:
        problems.append(f"the nurture cadence is every {duration(programme.every)}")
        allowed = due
    return problems, allowed


def breaches(
    follow_up: FollowUp | None,
    touches: Touches,
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
