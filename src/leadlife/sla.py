"""Service levels on hand-offs and follow-ups, business calendars, and compliance."""

from __future__ import annotations

from leadlife._core.breach import Breach
from leadlife._core.calendar import BusinessCalendar
from leadlife._core.public import publish
from leadlife._policies.sla import (
    DEFAULT_LEVELS,
    Compliance,
    Ends,
    ServiceLevel,
    Starts,
    compliance,
)

__all__ = [
    "DEFAULT_LEVELS",
    "Breach",
    "BusinessCalendar",
    "Compliance",
    "Ends",
    "ServiceLevel",
    "Starts",
    "compliance",
]

publish(__name__, globals(), __all__)
