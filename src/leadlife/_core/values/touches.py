"""The touches a record holds: a log that answers the cadence's questions without a scan."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import datetime
from itertools import pairwise
from typing import Any

from leadlife._core.support.log import Log
from leadlife._core.values.followup import Touch


def _at(touch: Touch) -> datetime:
    return touch.at


def _answered_so_far(previous: int, position: int, touch: Any) -> int:
    return position if touch.outcome.answered else previous


class Touches(Log[Touch]):
    """Every follow-up touch made, oldest first: an append-only :class:`~leadlife.values.Log`.

    Touches are kept in time order, so the questions the cadence asks (how
    many since the plan was agreed, since the last answer, within the
    pressure cap's window) are a binary search, and the last answer so far is
    kept as each touch is appended: a touch costs the same at the 10,000th as
    at the first.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.followup import Channel, Touch, TouchOutcome, Touches
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> touches = Touches([Touch(at=at, channel=Channel.PHONE, outcome=TouchOutcome.REPLIED)])
        >>> touches.last_answered()
        0
    """

    __slots__ = ()

    _mark = staticmethod(_answered_so_far)

    def __init__(self, items: Iterable[Touch] = ()) -> None:
        """Hold ``items`` (copied), which must be in time order.

        Raises:
            ValueError: A touch is dated before the one before it.
        """
        super().__init__(items)
        if not self.in_time_order():
            raise ValueError("touches must be in time order, oldest first")

    def last_answered(self) -> int:
        """The position of the last touch that got an answer, or ``-1``."""
        return self.last_mark()

    def first_at_or_after(self, since: datetime) -> int:
        """The position of the first touch made at or after ``since``."""
        return bisect_left(self, since, key=_at)

    def count_in(self, after: datetime, until: datetime) -> tuple[int, int]:
        """The positions ``(first, end)`` of the touches made in ``(after, until]``."""
        return bisect_right(self, after, key=_at), bisect_right(self, until, key=_at)

    def in_time_order(self) -> bool:
        """Whether each touch is made no earlier than the one before it."""
        return all(a.at <= b.at for a, b in pairwise(self))
