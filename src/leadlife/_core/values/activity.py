"""What a person did (a page viewed, an e-mail opened, a form filled in), and what it made of them.

Activities are not events of a history. A lead may view thousands of pages
and none of them changes the lead; kept as events they would make every
replay, every stored history and every load grow with the clicks. They are
a stream of their own, kept where an app keeps its clickstream, and read by
the scorer for a lead and a moment. What *does* change a lead (a score that
crosses a threshold) is an event, which holds a :class:`ScoreCrossing`.
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


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


def _finite(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        check.refuse(instance, attribute, value, "a finite number of points")


def _crossed(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool) or value is not (instance.score >= instance.threshold):
        side = "at or above" if instance.score >= instance.threshold else "below"
        check.refuse(
            instance,
            attribute,
            value,
            f"{instance.score >= instance.threshold}: the score is {side} the threshold",
        )


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _lines(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Two page views on one day explain themselves alike: lines may repeat.
    if not isinstance(value, tuple) or not all(isinstance(line, str) and line for line in value):
        check.refuse(instance, attribute, value, "a list of lines of text")


@attrs.frozen(kw_only=True)
class ScoreCrossing:
    """A score crossed a model's sales-ready threshold: up (sales-ready) or down (not any more).

    Args:
        model: The scoring model's key.
        score: The score when it crossed.
        threshold: The model's sales-ready threshold.
        ready: Whether it is now at or above the threshold (it must agree
            with the score).
        at: When it was scored.
        reasons: Why: the score's largest contributions, in words.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.scoring import ScoreCrossing
        >>> ScoreCrossing(
        ...     model="b2b",
        ...     score=55.0,
        ...     threshold=50,
        ...     ready=True,
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ... ).ready
        True
    """

    model: str = attrs.field(validator=check.key)
    score: float = attrs.field(validator=_finite)
    threshold: float = attrs.field(validator=_finite)
    ready: bool = attrs.field(validator=_crossed)
    at: datetime = attrs.field(validator=check.aware_datetime)
    reasons: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_lines)
