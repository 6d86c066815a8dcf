"""leadlife: typed lead lifecycle records, a funnel state machine, and their history.

The whole public API is re-exported here; everything else is private.

* Records: :class:`Lead`, :class:`Prospect`, :class:`Opportunity` and the
  values they hold (:class:`Contact`, :class:`Company`, :class:`Source`,
  :class:`Money`, :class:`Consent`, :class:`Objection`, typed ids).
* The funnel: :class:`Funnel`, :class:`DefaultFunnel`,
  :func:`funnel_from_spec`, :class:`FunnelSpec`.
* Moving records: :class:`Lifecycle`, with an injectable :class:`Clock`;
  :class:`StageRecorder` for a funnel bound to your own objects.
* History: the events, :class:`History` and :func:`replay`.
* Serialization: :func:`to_dict`, :func:`from_dict`, :func:`to_json`,
  :func:`from_json`, :func:`make_converter`.
* Errors: everything raised on purpose derives from :class:`LeadlifeError`.
"""

from __future__ import annotations

from leadlife._clock import Clock, FixedClock, SteppingClock, SystemClock
from leadlife._errors import (
    ConversionError,
    CurrencyMismatchError,
    FunnelDefinitionError,
    FunnelError,
    HistoryError,
    LeadlifeError,
    ReplayError,
    SchemaVersionError,
    SerializationError,
    StructureError,
    TransitionRefusedError,
    UnknownEventError,
    UnknownStageError,
    ValidationError,
)
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import Guard, funnel_from_spec
from leadlife._funnel.default import DefaultFunnel
from leadlife._funnel.spec import FunnelSpec, StageSpec, TransitionSpec
from leadlife._history.events import (
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    Created,
    DealRevised,
    LeadCaptured,
    LifecycleEvent,
    ObjectionRecorded,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    StageChanged,
    TagsChanged,
)
from leadlife._history.history import History, replay
from leadlife._json import JsonMap, JsonValue
from leadlife._lifecycle import Lifecycle
from leadlife._recorder import StageRecorder
from leadlife._records.company import Company, CompanySize
from leadlife._records.consent import Consent, ConsentStatus
from leadlife._records.contact import Contact, DecisionRole
from leadlife._records.ids import LeadId, OpportunityId, ProspectId, RecordId, RecordKind
from leadlife._records.money import Money
from leadlife._records.objection import Objection, ObjectionKind
from leadlife._records.records import Lead, Opportunity, Prospect, Record
from leadlife._records.source import Source
from leadlife._serialization.converter import make_converter
from leadlife._serialization.documents import (
    SCHEMA_VERSION,
    from_dict,
    from_json,
    to_dict,
    to_json,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "AttributesChanged",
    "Clock",
    "Company",
    "CompanyChanged",
    "CompanySize",
    "CompetitorNoted",
    "Consent",
    "ConsentRecorded",
    "ConsentStatus",
    "Contact",
    "ContactChanged",
    "ConversionError",
    "Created",
    "CurrencyMismatchError",
    "DealRevised",
    "DecisionRole",
    "DefaultFunnel",
    "FixedClock",
    "Funnel",
    "FunnelDefinitionError",
    "FunnelError",
    "FunnelSpec",
    "Guard",
    "History",
    "HistoryError",
    "JsonMap",
    "JsonValue",
    "Lead",
    "LeadCaptured",
    "LeadId",
    "LeadlifeError",
    "Lifecycle",
    "LifecycleEvent",
    "Money",
    "Objection",
    "ObjectionKind",
    "ObjectionRecorded",
    "Opportunity",
    "OpportunityId",
    "OpportunityOpened",
    "OwnerAssigned",
    "Prospect",
    "ProspectCreated",
    "ProspectId",
    "Record",
    "RecordId",
    "RecordKind",
    "ReplayError",
    "SchemaVersionError",
    "SerializationError",
    "Source",
    "StageChanged",
    "StageRecorder",
    "StageSpec",
    "SteppingClock",
    "StructureError",
    "SystemClock",
    "TagsChanged",
    "TransitionRefusedError",
    "TransitionSpec",
    "UnknownEventError",
    "UnknownStageError",
    "ValidationError",
    "__version__",
    "from_dict",
    "from_json",
    "funnel_from_spec",
    "make_converter",
    "replay",
    "to_dict",
    "to_json",
]
