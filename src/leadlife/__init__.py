"""leadlife: typed lead lifecycle records, a funnel state machine, and their history.

The whole public API is re-exported here; everything else is private.

* Records: :class:`Lead`, :class:`Prospect`, :class:`Opportunity` and the
  values they hold (:class:`Contact`, :class:`Company`, :class:`Source`,
  :class:`Money`, :class:`Consent`, :class:`Objection`, typed ids).
* The funnel: :class:`Funnel`, :class:`DefaultFunnel`,
  :func:`funnel_from_spec`, :class:`FunnelSpec`.
* Moving records: :class:`Lifecycle`, with an injectable :class:`Clock`;
  :class:`StageRecorder` for a funnel bound to your own objects.
* Qualification: :class:`Evidence`, criteria (:class:`Criterion`),
  frameworks (:class:`Framework`, :data:`BANT` and the others), their
  :class:`Assessment`, and the plugin :class:`Registry`.
* History: the events, :class:`History` and :func:`replay`.
* Serialization: :func:`to_dict`, :func:`from_dict`, :func:`to_json`,
  :func:`from_json`, :func:`make_converter`.
* Errors: everything raised on purpose derives from :class:`LeadlifeError`.
"""

from __future__ import annotations

from leadlife._adapters.converter import make_converter
from leadlife._adapters.documents import (
    SCHEMA_VERSION,
    dump,
    from_dict,
    from_json,
    load,
    to_dict,
    to_json,
)
from leadlife._core.actions import ActionKind, DueAction
from leadlife._core.assessment import Assessment, Outcome, Question
from leadlife._core.breach import Breach
from leadlife._core.calendar import BusinessCalendar
from leadlife._core.clock import Clock, FixedClock, SteppingClock, SystemClock
from leadlife._core.company import Company, CompanySize
from leadlife._core.consent import Consent, ConsentStatus
from leadlife._core.contact import Contact, DecisionRole
from leadlife._core.errors import (
    ConversionError,
    CriterionError,
    CurrencyMismatchError,
    FunnelDefinitionError,
    FunnelError,
    HistoryError,
    InsufficientEvidenceError,
    LeadlifeError,
    NotQualifiedError,
    NotSerializableError,
    PluginConflictError,
    PluginError,
    QualificationError,
    ReplayError,
    SchemaVersionError,
    SerializationError,
    StructureError,
    TouchRefusedError,
    TransitionRefusedError,
    UnknownEventError,
    UnknownKeyError,
    UnknownStageError,
    ValidationError,
)
from leadlife._core.events import (
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
    ObjectionRecorded,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife._core.evidence import (
    Budget,
    Competition,
    Evidence,
    Fact,
    Method,
    Provenance,
    Stakeholder,
    Timeline,
)
from leadlife._core.followup import (
    Channel,
    FollowUp,
    FollowUpPlan,
    OnViolation,
    PressureCap,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife._core.history import History, replay
from leadlife._core.ids import LeadId, OpportunityId, ProspectId, RecordId, RecordKind
from leadlife._core.json import JsonMap, JsonValue
from leadlife._core.judgement import Judgement, Verdict
from leadlife._core.log import Log
from leadlife._core.money import Money
from leadlife._core.objection import Objection, ObjectionKind
from leadlife._core.records import Lead, Opportunity, Prospect, Record
from leadlife._core.screening import Reason, Screening
from leadlife._core.screening import unexplained as unexplained_screen_outs
from leadlife._core.source import Source
from leadlife._core.touches import Touches
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import Guard, funnel_from_spec
from leadlife._funnel.default import DefaultFunnel
from leadlife._funnel.recorder import StageRecorder
from leadlife._funnel.spec import FunnelSpec, StageSpec, TransitionSpec
from leadlife._funnel.stage import Stage
from leadlife._lifecycle.engine import DEFAULT_PRESSURE_CAP
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies.agenda import Agenda, agenda
from leadlife._policies.criteria import (
    BudgetCriterion,
    CompetitionCriterion,
    FactCriterion,
    RoleCriterion,
    TimelineCriterion,
)
from leadlife._policies.criterion import Criterion, FunctionCriterion, criterion
from leadlife._policies.framework import Framework
from leadlife._policies.frameworks import (
    ANUM,
    BANT,
    BANT_DT,
    CHAMP,
    FAINT,
    GPCT,
    MEDDIC,
    MEDDPICC,
    NEAT,
    ZIGLAR,
)
from leadlife._policies.outcomes import AllOf, AtLeast, MustHave, Policy, Weighted
from leadlife._policies.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    RecyclingRule,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)
from leadlife._policies.registry import PluginInfo, Registry, default_registry, installed_plugins
from leadlife._policies.review import ReviewAfter, ReviewPolicy
from leadlife._policies.sla import (
    DEFAULT_LEVELS,
    Compliance,
    Ends,
    ServiceLevel,
    Starts,
    compliance,
)

__version__ = "0.1.0"

__all__ = [
    "ANUM",
    "BANT",
    "BANT_DT",
    "CHAMP",
    "DEFAULT_LEVELS",
    "DEFAULT_PRESSURE_CAP",
    "FAINT",
    "GPCT",
    "MEDDIC",
    "MEDDPICC",
    "NEAT",
    "SCHEMA_VERSION",
    "ZIGLAR",
    "ActionKind",
    "Agenda",
    "AllOf",
    "Assessed",
    "Assessment",
    "AtLeast",
    "AttributesChanged",
    "Breach",
    "Budget",
    "BudgetCriterion",
    "BusinessCalendar",
    "Channel",
    "ChurnedToWinBack",
    "Clock",
    "Company",
    "CompanyChanged",
    "CompanySize",
    "Competition",
    "CompetitionCriterion",
    "CompetitorNoted",
    "Compliance",
    "Consent",
    "ConsentRecorded",
    "ConsentStatus",
    "Contact",
    "ContactChanged",
    "ConversionError",
    "Created",
    "Criterion",
    "CriterionError",
    "CurrencyMismatchError",
    "DealRevised",
    "DecisionRole",
    "DefaultFunnel",
    "DueAction",
    "Ends",
    "Evidence",
    "Fact",
    "FactCriterion",
    "FixedClock",
    "FollowUp",
    "FollowUpAgreed",
    "FollowUpEnded",
    "FollowUpPlan",
    "Framework",
    "FunctionCriterion",
    "Funnel",
    "FunnelDefinitionError",
    "FunnelError",
    "FunnelSpec",
    "Guard",
    "History",
    "HistoryError",
    "IdleDealToNurture",
    "InsufficientEvidenceError",
    "JsonMap",
    "JsonValue",
    "Judgement",
    "Lead",
    "LeadCaptured",
    "LeadId",
    "LeadlifeError",
    "Lifecycle",
    "LifecycleEvent",
    "Log",
    "LostToNurture",
    "Method",
    "Money",
    "MustHave",
    "NotQualifiedError",
    "NotSerializableError",
    "Objection",
    "ObjectionKind",
    "ObjectionRecorded",
    "OnViolation",
    "Opportunity",
    "OpportunityId",
    "OpportunityOpened",
    "Outcome",
    "OwnerAssigned",
    "PluginConflictError",
    "PluginError",
    "PluginInfo",
    "Policy",
    "PressureCap",
    "Prospect",
    "ProspectCreated",
    "ProspectId",
    "Provenance",
    "QualificationError",
    "Question",
    "Reason",
    "Record",
    "RecordId",
    "RecordKind",
    "RecyclingRule",
    "ReengagedToSalesReady",
    "Registry",
    "ReplayError",
    "ReviewAfter",
    "ReviewDue",
    "ReviewPolicy",
    "RoleCriterion",
    "SchemaVersionError",
    "Screening",
    "SerializationError",
    "ServiceLevel",
    "SlaBreached",
    "Source",
    "Stage",
    "StageChanged",
    "StageRecorder",
    "StageSpec",
    "Stakeholder",
    "Starts",
    "SteppingClock",
    "StructureError",
    "SystemClock",
    "TagsChanged",
    "Timeline",
    "TimelineCriterion",
    "Touch",
    "TouchOutcome",
    "TouchRefusedError",
    "Touched",
    "Touches",
    "TransitionRefusedError",
    "TransitionSpec",
    "UnacceptedToMarketing",
    "UnknownEventError",
    "UnknownKeyError",
    "UnknownStageError",
    "ValidationError",
    "Verdict",
    "Weighted",
    "WhenStopped",
    "__version__",
    "agenda",
    "compliance",
    "criterion",
    "default_registry",
    "dump",
    "from_dict",
    "from_json",
    "funnel_from_spec",
    "installed_plugins",
    "load",
    "make_converter",
    "replay",
    "to_dict",
    "to_json",
    "unexplained_screen_outs",
]
