"""A breached service level, as a record remembers it."""

from __future__ import annotations

from datetime import datetime

import attrs

from leadlife._core import validation as check


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
