"""Following up without pestering: the plan the person chose, touches, stop rules, commitments."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.commitment import Commitment, CommitmentKind
from leadlife._core.values.followup import (
    Channel,
    FollowUp,
    FollowUpPlan,
    OnViolation,
    PressureCap,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife._core.values.hours import ContactHours, business_hours
from leadlife._core.values.sequences import SalesSequence, SequenceEnrolment, SequenceStep
from leadlife._core.values.touches import Touches
from leadlife._policies.cadence import DEFAULT_PRESSURE_CAP

__all__ = [
    "DEFAULT_PRESSURE_CAP",
    "Channel",
    "Commitment",
    "CommitmentKind",
    "ContactHours",
    "FollowUp",
    "FollowUpPlan",
    "OnViolation",
    "PressureCap",
    "SalesSequence",
    "SequenceEnrolment",
    "SequenceStep",
    "Touch",
    "TouchOutcome",
    "Touches",
    "WhenStopped",
    "business_hours",
]

publish(__name__, globals(), __all__)
