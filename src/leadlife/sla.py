"""Service levels: on hand-offs and follow-ups, a book's per period, calendars, compliance."""

from __future__ import annotations

from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.support.public import publish
from leadlife._core.values.breach import BookLevelBreached, Breach, Side
from leadlife._policies.book_levels import (
    AcceptanceLevel,
    BookLevel,
    BookPeriod,
    Period,
    VolumeLevel,
    book_breaches,
    book_compliance,
)
from leadlife._policies.compliance import Compliance, compliance
from leadlife._policies.default_funnel import DEFAULT_LEVELS
from leadlife._policies.sla import Ends, ServiceLevel, Starts

__all__ = [
    "DEFAULT_LEVELS",
    "AcceptanceLevel",
    "BookLevel",
    "BookLevelBreached",
    "BookPeriod",
    "Breach",
    "BusinessCalendar",
    "Compliance",
    "Ends",
    "Period",
    "ServiceLevel",
    "Side",
    "Starts",
    "VolumeLevel",
    "book_breaches",
    "book_compliance",
    "compliance",
]

publish(__name__, globals(), __all__)
