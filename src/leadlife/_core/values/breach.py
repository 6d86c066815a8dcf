"""Breached service levels: one record's (a timer ran out) and a book's (a period fell short)."""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


class Side(StrEnum):
    """Who owes a service level: the integrated funnel binds both sides.

    Example:
        >>> from leadlife.sla import Side
        >>> [side.value for side in Side]
        ['sales', 'marketing']
    """

    SALES = "sales"
    MARKETING = "marketing"


@attrs.frozen(kw_only=True)
class Breach:
    """A service level's timer ran out on a record.

    Args:
        level: The level's key.
        started_at: When its timer started.
        due_at: When it ran out.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import Breach
        >>> Breach(
        ...     level="acceptance",
        ...     started_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        ...     due_at=datetime(2026, 3, 2, 17, tzinfo=UTC),
        ... ).level
        'acceptance'
    """

    level: str = attrs.field(validator=check.text)
    started_at: datetime = attrs.field(validator=check.aware_datetime)
    due_at: datetime = attrs.field(validator=check.aware_datetime)


_COUNT = check.whole_number(0, "a whole number of 0 or more")
_DECIDED = check.whole_number(1, "a whole number of 1 or more (no share of nothing)")


def _minimum(instance: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
        check.refuse(instance, attribute, value, "a finite number of 0 or more")


@attrs.frozen(kw_only=True)
class BookLevelBreached:
    """A book's service level fell short over one period: the book's event.

    No one lead broke it (a month with too few sales-ready leads is nobody's
    history), so it is not a record's event: keep it in your team's ledger
    beside the records' histories. :func:`~leadlife.sla.book_breaches` finds
    them, the same ones for the same histories every time.

    Args:
        level: The level's key.
        side: Who owed it.
        period_start: When the period began (inclusive).
        period_end: When it ended (exclusive); the breach happened then.
        count: What was counted: records that entered the stage (a volume),
            or hand-offs sales accepted (an acceptance share).
        out_of: For a share, the hand-offs sales decided on; ``None`` for a volume.
        required: The level's minimum: a count for a volume, a share for an
            acceptance level.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import BookLevelBreached, Side
        >>> missed = BookLevelBreached(
        ...     level="mql_acceptance",
        ...     side=Side.MARKETING,
        ...     period_start=datetime(2026, 3, 1, tzinfo=UTC),
        ...     period_end=datetime(2026, 4, 1, tzinfo=UTC),
        ...     count=6,
        ...     out_of=10,
        ...     required=0.7,
        ... )
        >>> missed.measured
        0.6
    """

    level: str = attrs.field(validator=check.key)
    side: Side = attrs.field(validator=check.member_of(Side))
    period_start: datetime = attrs.field(validator=check.aware_datetime)
    period_end: datetime = attrs.field(validator=check.aware_datetime)
    count: int = attrs.field(validator=_COUNT)
    out_of: int | None = attrs.field(default=None, validator=optional(_DECIDED))
    required: float = attrs.field(validator=_minimum)

    def __attrs_post_init__(self) -> None:
        if self.period_end <= self.period_start:
            check.refuse(
                self,
                attrs.fields(BookLevelBreached).period_end,
                self.period_end,
                f"a time after period_start ({self.period_start.isoformat()})",
            )
        if self.out_of is not None and self.count > self.out_of:
            check.refuse(
                self,
                attrs.fields(BookLevelBreached).count,
                self.count,
                f"at most out_of ({self.out_of})",
            )

    @property
    def at(self) -> datetime:
        """When it was breached: the end of the period."""
        return self.period_end

    @property
    def measured(self) -> float:
        """The count for a volume, the accepted share for an acceptance level."""
        if self.out_of is None:
            return float(self.count)
        return self.count / self.out_of
