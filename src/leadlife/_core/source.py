"""Where a lead came from: the basis of source-quality measurement."""

from __future__ import annotations

import attrs
from attrs.validators import optional

from leadlife._core import validation as check


@attrs.frozen(kw_only=True)
class Source:
    """The channel, campaign and detail a lead came through.

    Sources differ in how much junk they bring (a phone book against a
    curated list); keeping the source on every record is what lets a later
    report measure that.

    Args:
        channel: The channel, in the team's own words (``"web"``, ``"event"``,
            ``"referral"``, ``"list purchase"``...).
        campaign: The campaign, if any.
        detail: Anything more specific: the form, the event, the list.

    Example:
        >>> from leadlife import Source
        >>> Source(channel="event", campaign="spring-expo", detail="booth scan").channel
        'event'
    """

    channel: str = attrs.field(validator=check.text)
    campaign: str | None = attrs.field(default=None, validator=optional(check.text))
    detail: str | None = attrs.field(default=None, validator=optional(check.text))
