"""When a screen-out is reviewed: a date, or a policy that computes one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any, Protocol, runtime_checkable

import attrs

from leadlife._core.support import validation as check
from leadlife._core.support.frozen import FrozenMap
from leadlife._core.values.screening import Screening, _reason


@runtime_checkable
class ReviewPolicy(Protocol):
    """Computes the review date of a screen-out decided at ``at``.

    Example:
        >>> from leadlife.screening import ReviewAfter, ReviewPolicy
        >>> isinstance(ReviewAfter(days=90), ReviewPolicy)
        True
    """

    def review_on(self, screening: Screening, at: datetime) -> date:
        """The date to review the decision."""
        ...


_days = check.whole_number(1, "a whole number of days, at least 1")


def _read_only(value: Mapping[str, int]) -> Mapping[str, int]:
    # A frozen value must not change under its holder: a read-only copy.
    return FrozenMap(value)


def _by_reason(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for reason, days in value.items():
        _reason(instance, attribute, reason)
        _days(instance, attribute, days)


@attrs.frozen(kw_only=True)
class ReviewAfter:
    """Review ``days`` after the decision; per reason when ``by_reason`` says so.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.screening import Reason, ReviewAfter, Screening
        >>> policy = ReviewAfter(days=180, by_reason={Reason.BAD_TIMING: 90})
        >>> policy.review_on(Screening(reason=Reason.BAD_TIMING), datetime(2026, 3, 2, tzinfo=UTC))
        datetime.date(2026, 5, 31)
    """

    days: int = attrs.field(validator=_days)
    # Left out of the hash (a mapping has none); equal policies still hash equal.
    by_reason: Mapping[str, int] = attrs.field(
        factory=dict, converter=_read_only, validator=_by_reason, hash=False
    )

    def review_on(self, screening: Screening, at: datetime) -> date:
        """``at``'s date plus the days for the screening's reason."""
        return at.date() + timedelta(days=self.by_reason.get(screening.reason, self.days))
