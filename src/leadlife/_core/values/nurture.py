"""Nurture programmes: keeping a lead warm by gentler means until they re-engage.

DOMAIN: qualified leads that are not ready to buy are kept warm by less
aggressive means (e-mail marketing, social media, direct mail): nurture, not
chase. A programme names the channels it uses and its (slower) cadence; a
pressing channel (a call, a visit) is refused in nurture unless the person
asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.values.followup import Channel, OnViolation


def _gentle(value: Iterable[Channel]) -> frozenset[Channel]:
    given: object = value
    if not isinstance(given, list | tuple | set | frozenset) or not given:
        return check.refused(value, "a non-empty set of channels")  # type: ignore[no-any-return]
    channels = frozenset(given)
    if not all(isinstance(channel, Channel) for channel in channels):
        return check.refused(value, "Channel members")  # type: ignore[no-any-return]
    if pressing := sorted(channel.value for channel in channels if channel.pressing):
        return check.refused(  # type: ignore[no-any-return]
            value, f"channels that do not press (not {', '.join(pressing)}): nurture, not chase"
        )
    return channels


@attrs.frozen(kw_only=True)
class NurtureProgramme:
    """How a lead in nurture is kept warm: by which channels, how often.

    Args:
        key: A stable lower_snake_case key.
        name: What people call it.
        channels: The gentle channels it uses (a call or a visit presses: refused).
        every: Its cadence: at most one touch per this long, slower than a chase.
        on_violation: Refuse a touch off the programme's channels or cadence,
            or record it as a visible violation (the same choice as a follow-up plan).
        description: What it sends, and to whom.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import Channel
        >>> from leadlife.nurture import NurtureProgramme
        >>> monthly = NurtureProgramme(
        ...     key="monthly_digest",
        ...     name="Monthly digest",
        ...     channels={Channel.NEWSLETTER, Channel.CONTENT, Channel.EVENT},
        ...     every=timedelta(days=30),
        ... )
        >>> sorted(channel.value for channel in monthly.channels)
        ['content', 'event', 'newsletter']
    """

    key: str = attrs.field(validator=check.key)
    name: str = attrs.field(validator=check.text)
    channels: frozenset[Channel] = attrs.field(converter=_gentle, validator=check.converted)
    every: timedelta = attrs.field(validator=check.positive_duration)
    on_violation: OnViolation = attrs.field(
        default=OnViolation.REFUSE, validator=check.instance_of(OnViolation, "an OnViolation")
    )
    description: str | None = attrs.field(default=None, validator=optional(check.text))


def _programme(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.instance_of(NurtureProgramme, "a NurtureProgramme")(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Nurture:
    """The programme a record is nurtured by, since when, and in which stage.

    Moving out of that stage (re-engaging) ends it.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.followup import Channel
        >>> from leadlife.nurture import Nurture, NurtureProgramme
        >>> Nurture(
        ...     programme=NurtureProgramme(
        ...         key="digest", name="Digest", channels={Channel.NEWSLETTER}, every=timedelta(30)
        ...     ),
        ...     since=datetime(2026, 3, 2, tzinfo=UTC),
        ...     stage="nurture",
        ... ).stage
        'nurture'
    """

    programme: NurtureProgramme = attrs.field(validator=_programme)
    since: datetime = attrs.field(validator=check.aware_datetime)
    stage: str = attrs.field(validator=check.text)
