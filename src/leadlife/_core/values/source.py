"""Where a lead came from: the basis of source-quality measurement."""

from __future__ import annotations

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


@attrs.frozen(kw_only=True)
class Source:
    """The channel, campaign and detail a lead came through.

    Sources differ in how much junk they bring (a phone book against a
    curated list); keeping the source on every record is what lets a later
    report measure that.

    Args:
        channel: The channel, in the team's own words (``"web"``, ``"event"``,
            ``"referral"``, ``"list purchase"``...); ``None`` when it was
            never recorded (an export's blank cell): reports keep those apart,
            never folded into a channel someone named ``"unknown"``.
        campaign: The campaign, if any.
        detail: Anything more specific: the form, the event, the list.

    Example:
        >>> from leadlife import Source
        >>> Source(channel="event", campaign="spring-expo", detail="booth scan").channel
        'event'
        >>> Source(channel=None).described
        'not recorded'
    """

    channel: str | None = attrs.field(validator=optional(check.text))
    campaign: str | None = attrs.field(default=None, validator=optional(check.text))
    detail: str | None = attrs.field(default=None, validator=optional(check.text))

    @property
    def described(self) -> str:
        """The source in words: ``"event / spring-expo"``, or ``"not recorded"``."""
        channel = "not recorded" if self.channel is None else self.channel
        return channel + (f" / {self.campaign}" if self.campaign else "")
