"""The events of a record's history: every change is one of these.

Events are immutable and named in the past tense: they record what happened,
who did it, when, and why. A history is a list of them; replaying it rebuilds
the record (:func:`~leadlife.replay`). Each event type changes exactly the
fields its name says; the generic ``payload`` carries the embedding app's own
context and never changes the record.

The events live by family, each module with the fold handlers that say how
its events change a record (``FOLDS``), so a new capability adds a family
module and touches neither its neighbours nor the fold.
"""

from __future__ import annotations

from leadlife._core.journal.events.committee import MemberAdded, MemberChanged, MemberRemoved
from leadlife._core.journal.events.creation import (
    Created,
    LeadCaptured,
    LifecycleEvent,
    OpportunityOpened,
    ProspectCreated,
)
from leadlife._core.journal.events.deal import (
    CompetitorNoted,
    DealRevised,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
)
from leadlife._core.journal.events.details import (
    AccountLinked,
    AttributesChanged,
    CompanyChanged,
    ConsentRecorded,
    ContactChanged,
    OwnerAssigned,
    PersonalDataErased,
    TagsChanged,
)
from leadlife._core.journal.events.follow_up import (
    CommitmentKept,
    CommitmentMade,
    FollowUpAgreed,
    FollowUpEnded,
    NurtureEnded,
    NurtureEnrolled,
    SequenceEnded,
    SequenceEnrolled,
    SlaBreached,
    Touched,
)
from leadlife._core.journal.events.judgement import Assessed, ScoreCrossed
from leadlife._core.journal.events.merge import JoinedDeal, MergedInto, MergeUndone, RecordsMerged
from leadlife._core.journal.events.stage import StageChanged

__all__ = [
    "EVENT_TYPES",
    "AccountLinked",
    "Assessed",
    "AttributesChanged",
    "CommitmentKept",
    "CommitmentMade",
    "CompanyChanged",
    "CompetitorNoted",
    "ConsentRecorded",
    "ContactChanged",
    "Created",
    "DealRevised",
    "FollowUpAgreed",
    "FollowUpEnded",
    "JoinedDeal",
    "LeadCaptured",
    "LifecycleEvent",
    "MemberAdded",
    "MemberChanged",
    "MemberRemoved",
    "MergeUndone",
    "MergedInto",
    "NurtureEnded",
    "NurtureEnrolled",
    "ObjectionAnswered",
    "ObjectionRecorded",
    "ObjectionResolved",
    "OpportunityOpened",
    "OwnerAssigned",
    "PersonalDataErased",
    "ProspectCreated",
    "RecordsMerged",
    "ScoreCrossed",
    "SequenceEnded",
    "SequenceEnrolled",
    "SlaBreached",
    "StageChanged",
    "TagsChanged",
    "Touched",
]

EVENT_TYPES: tuple[type[LifecycleEvent], ...] = (
    LeadCaptured,
    ProspectCreated,
    OpportunityOpened,
    StageChanged,
    Assessed,
    FollowUpAgreed,
    FollowUpEnded,
    NurtureEnrolled,
    NurtureEnded,
    SequenceEnrolled,
    SequenceEnded,
    CommitmentMade,
    CommitmentKept,
    Touched,
    SlaBreached,
    ScoreCrossed,
    OwnerAssigned,
    TagsChanged,
    AttributesChanged,
    ConsentRecorded,
    ContactChanged,
    CompanyChanged,
    AccountLinked,
    PersonalDataErased,
    DealRevised,
    ObjectionRecorded,
    ObjectionAnswered,
    ObjectionResolved,
    CompetitorNoted,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    RecordsMerged,
    MergedInto,
    MergeUndone,
    JoinedDeal,
)
"""Every concrete event type, in the order the docs list them."""
