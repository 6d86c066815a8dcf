"""Service levels on hand-offs and follow-ups, business calendars, and compliance."""

from __future__ import annotations

from leadlife._core.breach import Breach
from leadlife._core.calendar import BusinessCalendar
from leadlife._core.public import publish
from leadlife._policies.compliance import Compliance, compliance
from leadlife._policies.default_funnel import DEFAULT_LEVELS
from leadlife._policies.sla import Ends, ServiceLevel, Side, Starts

__all__ = [
    "DEFAULT_LEVELS",
    "Breach",
    "BusinessCalendar",
    "Compliance",
    "Ends",
    "ServiceLevel",
    "Side",
    "Starts",
    "compliance",
]

publish(__name__, globals(), __all__)
