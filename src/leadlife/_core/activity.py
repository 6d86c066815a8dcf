"""What a person did: a page viewed, an e-mail opened, a form filled in, a webinar attended.

Activities are not events of a history. A lead may view thousands of pages
and none of them changes the lead; kept as events they would make every
replay, every stored history and every load grow with the clicks. They are
a stream of their own, kept where an app keeps its clickstream, and read by
the scorer for a lead and a moment. What *does* change a lead (a score that
crosses a threshold) is an event.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs
from attrs.validators import optional

from leadlife._core import validation as check


class ActivityKind(StrEnum):
    """The kinds of activity every scoring model knows; a team may use keys of its own.

    Example:
        >>> from leadlife.scoring import ActivityKind
        >>> ActivityKind("email_click") is ActivityKind.EMAIL_CLICK
        True
    """

    PAGE_VIEW = "page_view"
    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    FORM_FILL = "form_fill"
    WEBINAR = "webinar"
    """Attended a webinar (or a talk, a demo day)."""
    REPLY = "reply"
    """Replied to a message."""
    MEETING = "meeting"
    BOUNCE = "bounce"
    """An e-mail to them bounced: a negative signal."""
    UNSUBSCRIBE = "unsubscribe"
    """They unsubscribed from a list: a negative signal."""


def _plain(kind: object) -> object:
    # The same key either way: an ActivityKind is kept as its text.
    return kind.value if isinstance(kind, ActivityKind) else kind


@attrs.frozen(kw_only=True)
class Activity:
    """One thing a person did, and when.

    Args:
        kind: What (an :class:`ActivityKind`, or a lower_snake_case key of
            the team's own, such as ``"trial_signup"``).
        at: When; timezone-aware.
        detail: What exactly, if it matters to a rule: the page
            (``"/pricing"``), the form, the webinar.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.scoring import Activity
        >>> Activity(kind="page_view", at=datetime(2026, 3, 2, tzinfo=UTC), detail="/pricing").kind
        'page_view'
    """

    kind: str = attrs.field(converter=_plain, validator=check.key)
    at: datetime = attrs.field(validator=check.aware_datetime)
    detail: str | None = attrs.field(default=None, validator=optional(check.text))
