"""The agenda: what is due across a book of records, and why."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.actions import (
    ActionKind,
    DueAction,
    Reassign,
    RecordBreach,
    SendEvent,
    StopChase,
)
from leadlife._policies.agenda import Agenda, Due, agenda
from leadlife._policies.checks.check import Check
from leadlife._policies.checks.deals import NoDecisionMaker, UnansweredObjections
from leadlife._policies.checks.defaults import default_checks
from leadlife._policies.checks.flags import RecycledTooOften
from leadlife._policies.checks.follow_up import (
    BrokenCommitments,
    ChasingUnqualified,
    FollowUpDue,
    FollowUpFailures,
    NurtureDue,
    SequenceStepDue,
)

__all__ = [
    "ActionKind",
    "Agenda",
    "BrokenCommitments",
    "ChasingUnqualified",
    "Check",
    "Due",
    "DueAction",
    "FollowUpDue",
    "FollowUpFailures",
    "NoDecisionMaker",
    "NurtureDue",
    "Reassign",
    "RecordBreach",
    "RecycledTooOften",
    "SendEvent",
    "SequenceStepDue",
    "StopChase",
    "UnansweredObjections",
    "agenda",
    "default_checks",
]

publish(__name__, globals(), __all__)
