"""The events of a record's history: every change is one of these."""

from __future__ import annotations

from leadlife._core.events import (
    EVENT_TYPES,
    Assessed,
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    Created,
    DealRevised,
    FollowUpAgreed,
    FollowUpEnded,
    LeadCaptured,
    LifecycleEvent,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife._core.public import publish

__all__ = [
    "EVENT_TYPES",
    "Assessed",
    "AttributesChanged",
    "CompanyChanged",
    "CompetitorNoted",
    "ConsentRecorded",
    "ContactChanged",
    "Created",
    "DealRevised",
    "FollowUpAgreed",
    "FollowUpEnded",
    "LeadCaptured",
    "LifecycleEvent",
    "MemberAdded",
    "MemberChanged",
    "MemberRemoved",
    "ObjectionAnswered",
    "ObjectionRecorded",
    "ObjectionResolved",
    "OpportunityOpened",
    "OwnerAssigned",
    "ProspectCreated",
    "SlaBreached",
    "StageChanged",
    "TagsChanged",
    "Touched",
]

publish(__name__, globals(), __all__)
