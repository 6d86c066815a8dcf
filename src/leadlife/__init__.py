"""leadlife: typed lead lifecycle records, a funnel state machine, and their history.

What a newcomer needs is here: the records and the values they hold, the
:class:`~leadlife.Lifecycle` that moves them through a funnel, their :class:`~leadlife.History`,
the clocks, reading and writing, and :class:`~leadlife.LeadlifeError`. The rest lives in
public modules named for what they hold, each with its own ``__all__``:

* :mod:`leadlife.errors`: every error, all derived from :class:`~leadlife.LeadlifeError`.
* :mod:`leadlife.events`: the events a history is made of.
* :mod:`leadlife.funnels`: funnels as classes or as data, and binding them.
* :mod:`leadlife.qualification`: evidence, criteria, frameworks, assessments.
* :mod:`leadlife.screening`: reasons, screen-outs and their review.
* :mod:`leadlife.followup`: plans, touches, the pressure cap.
* :mod:`leadlife.nurture`: nurture programmes, gentle and slow.
* :mod:`leadlife.recycling`: the recycling rules.
* :mod:`leadlife.sla`: service levels, business calendars, compliance.
* :mod:`leadlife.agenda`: what is due across a book.
* :mod:`leadlife.plugins`: the registry of criteria, frameworks and rules.
* :mod:`leadlife.serialization`: documents, JSON Lines, the converter.
* :mod:`leadlife.values`: JSON-safe maps, logs, objections.
* :mod:`leadlife.testing`: strategies and contract checks (needs Hypothesis).

Example:
    >>> import leadlife
    >>> from leadlife.qualification import BANT
    >>> BANT.key, leadlife.Lifecycle.__module__
    ('bant', 'leadlife')
"""

from __future__ import annotations

import warnings
from typing import Any

from leadlife._adapters.documents import dump, from_dict, from_json, load, to_dict, to_json
from leadlife._core.book import replay_book
from leadlife._core.clock import Clock, FixedClock, SteppingClock, SystemClock
from leadlife._core.committee import Member
from leadlife._core.company import Company, CompanySize
from leadlife._core.consent import Consent, ConsentStatus
from leadlife._core.contact import Contact, DecisionRole
from leadlife._core.display import Card
from leadlife._core.errors import LeadlifeError
from leadlife._core.events import LifecycleEvent
from leadlife._core.history import History, replay
from leadlife._core.ids import LeadId, OpportunityId, ProspectId, RecordId, RecordKind
from leadlife._core.money import Money
from leadlife._core.public import publish
from leadlife._core.records import DealMotion, Lead, Opportunity, Prospect, Record
from leadlife._core.source import Source
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import funnel_from_spec
from leadlife._funnel.recorder import StageRecorder
from leadlife._funnel.spec import FunnelSpec
from leadlife._funnel.stage import Stage
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies.default_funnel import DefaultFunnel

__version__ = "0.1.0"

__all__ = [
    "Card",
    "Clock",
    "Company",
    "CompanySize",
    "Consent",
    "ConsentStatus",
    "Contact",
    "DealMotion",
    "DecisionRole",
    "DefaultFunnel",
    "FixedClock",
    "Funnel",
    "FunnelSpec",
    "History",
    "Lead",
    "LeadId",
    "LeadlifeError",
    "Lifecycle",
    "LifecycleEvent",
    "Member",
    "Money",
    "Opportunity",
    "OpportunityId",
    "Prospect",
    "ProspectId",
    "Record",
    "RecordId",
    "RecordKind",
    "Source",
    "Stage",
    "StageRecorder",
    "SteppingClock",
    "SystemClock",
    "__version__",
    "dump",
    "from_dict",
    "from_json",
    "funnel_from_spec",
    "load",
    "replay",
    "replay_book",
    "to_dict",
    "to_json",
]

publish(__name__, globals(), __all__)

# The public modules, importable as attributes of the package (leadlife.errors...).
# (F401: they are imported to be attributes, not to be used here.)
from leadlife import (  # noqa: E402, F401 - after the top level has published its names
    agenda,
    errors,
    events,
    followup,
    funnels,
    nurture,
    plugins,
    qualification,
    recycling,
    screening,
    serialization,
    sla,
    values,
)

# Where the names that left the top level in 0.2 live now.
_MOVED: dict[str, tuple[str, str]] = {
    "ANUM": ("leadlife.qualification", "ANUM"),
    "ActionKind": ("leadlife.agenda", "ActionKind"),
    "Agenda": ("leadlife.agenda", "Agenda"),
    "AllOf": ("leadlife.qualification", "AllOf"),
    "Assessed": ("leadlife.events", "Assessed"),
    "Assessment": ("leadlife.qualification", "Assessment"),
    "AtLeast": ("leadlife.qualification", "AtLeast"),
    "AttributesChanged": ("leadlife.events", "AttributesChanged"),
    "BANT": ("leadlife.qualification", "BANT"),
    "BANT_DT": ("leadlife.qualification", "BANT_DT"),
    "Breach": ("leadlife.sla", "Breach"),
    "Budget": ("leadlife.qualification", "Budget"),
    "BudgetCriterion": ("leadlife.qualification", "BudgetCriterion"),
    "BusinessCalendar": ("leadlife.sla", "BusinessCalendar"),
    "CHAMP": ("leadlife.qualification", "CHAMP"),
    "Channel": ("leadlife.followup", "Channel"),
    "ChurnedToWinBack": ("leadlife.recycling", "ChurnedToWinBack"),
    "CompanyChanged": ("leadlife.events", "CompanyChanged"),
    "Competition": ("leadlife.qualification", "Competition"),
    "CompetitionCriterion": ("leadlife.qualification", "CompetitionCriterion"),
    "CompetitorNoted": ("leadlife.events", "CompetitorNoted"),
    "Compliance": ("leadlife.sla", "Compliance"),
    "ConsentRecorded": ("leadlife.events", "ConsentRecorded"),
    "ContactChanged": ("leadlife.events", "ContactChanged"),
    "ConversionError": ("leadlife.errors", "ConversionError"),
    "Created": ("leadlife.events", "Created"),
    "Criterion": ("leadlife.qualification", "Criterion"),
    "CriterionError": ("leadlife.errors", "CriterionError"),
    "CurrencyMismatchError": ("leadlife.errors", "CurrencyMismatchError"),
    "DEFAULT_LEVELS": ("leadlife.sla", "DEFAULT_LEVELS"),
    "DEFAULT_PRESSURE_CAP": ("leadlife.followup", "DEFAULT_PRESSURE_CAP"),
    "DealRevised": ("leadlife.events", "DealRevised"),
    "DueAction": ("leadlife.agenda", "DueAction"),
    "Ends": ("leadlife.sla", "Ends"),
    "Evidence": ("leadlife.qualification", "Evidence"),
    "FAINT": ("leadlife.qualification", "FAINT"),
    "Fact": ("leadlife.qualification", "Fact"),
    "FactCriterion": ("leadlife.qualification", "FactCriterion"),
    "FollowUp": ("leadlife.followup", "FollowUp"),
    "FollowUpAgreed": ("leadlife.events", "FollowUpAgreed"),
    "FollowUpEnded": ("leadlife.events", "FollowUpEnded"),
    "FollowUpPlan": ("leadlife.followup", "FollowUpPlan"),
    "Framework": ("leadlife.qualification", "Framework"),
    "FunctionCriterion": ("leadlife.qualification", "FunctionCriterion"),
    "FunnelDefinitionError": ("leadlife.errors", "FunnelDefinitionError"),
    "FunnelError": ("leadlife.errors", "FunnelError"),
    "GPCT": ("leadlife.qualification", "GPCT"),
    "Guard": ("leadlife.funnels", "Guard"),
    "HistoryError": ("leadlife.errors", "HistoryError"),
    "IdleDealToNurture": ("leadlife.recycling", "IdleDealToNurture"),
    "InsufficientEvidenceError": ("leadlife.errors", "InsufficientEvidenceError"),
    "JsonMap": ("leadlife.values", "JsonMap"),
    "JsonValue": ("leadlife.values", "JsonValue"),
    "Judgement": ("leadlife.qualification", "Judgement"),
    "LeadCaptured": ("leadlife.events", "LeadCaptured"),
    "Log": ("leadlife.values", "Log"),
    "LostToNurture": ("leadlife.recycling", "LostToNurture"),
    "MEDDIC": ("leadlife.qualification", "MEDDIC"),
    "MEDDPICC": ("leadlife.qualification", "MEDDPICC"),
    "Method": ("leadlife.qualification", "Method"),
    "MustHave": ("leadlife.qualification", "MustHave"),
    "NEAT": ("leadlife.qualification", "NEAT"),
    "NotQualifiedError": ("leadlife.errors", "NotQualifiedError"),
    "NotSerializableError": ("leadlife.errors", "NotSerializableError"),
    "Objection": ("leadlife.values", "Objection"),
    "ObjectionKind": ("leadlife.values", "ObjectionKind"),
    "ObjectionRecorded": ("leadlife.events", "ObjectionRecorded"),
    "OnViolation": ("leadlife.followup", "OnViolation"),
    "OpportunityOpened": ("leadlife.events", "OpportunityOpened"),
    "Outcome": ("leadlife.qualification", "Outcome"),
    "OwnerAssigned": ("leadlife.events", "OwnerAssigned"),
    "PluginConflictError": ("leadlife.errors", "PluginConflictError"),
    "PluginError": ("leadlife.errors", "PluginError"),
    "PluginInfo": ("leadlife.plugins", "PluginInfo"),
    "Policy": ("leadlife.qualification", "Policy"),
    "PressureCap": ("leadlife.followup", "PressureCap"),
    "ProspectCreated": ("leadlife.events", "ProspectCreated"),
    "Provenance": ("leadlife.qualification", "Provenance"),
    "QualificationError": ("leadlife.errors", "QualificationError"),
    "Question": ("leadlife.qualification", "Question"),
    "Reason": ("leadlife.screening", "Reason"),
    "RecyclingRule": ("leadlife.recycling", "RecyclingRule"),
    "ReengagedToSalesReady": ("leadlife.recycling", "ReengagedToSalesReady"),
    "Registry": ("leadlife.plugins", "Registry"),
    "ReplayError": ("leadlife.errors", "ReplayError"),
    "ReviewAfter": ("leadlife.screening", "ReviewAfter"),
    "ReviewDue": ("leadlife.recycling", "ReviewDue"),
    "ReviewPolicy": ("leadlife.screening", "ReviewPolicy"),
    "RoleCriterion": ("leadlife.qualification", "RoleCriterion"),
    "SCHEMA_VERSION": ("leadlife.serialization", "SCHEMA_VERSION"),
    "SchemaVersionError": ("leadlife.errors", "SchemaVersionError"),
    "Screening": ("leadlife.screening", "Screening"),
    "SerializationError": ("leadlife.errors", "SerializationError"),
    "ServiceLevel": ("leadlife.sla", "ServiceLevel"),
    "ScoreCrossed": ("leadlife.events", "ScoreCrossed"),
    "SlaBreached": ("leadlife.events", "SlaBreached"),
    "StageChanged": ("leadlife.events", "StageChanged"),
    "StageSpec": ("leadlife.funnels", "StageSpec"),
    "Stakeholder": ("leadlife.qualification", "Stakeholder"),
    "Starts": ("leadlife.sla", "Starts"),
    "StructureError": ("leadlife.errors", "StructureError"),
    "TagsChanged": ("leadlife.events", "TagsChanged"),
    "Timeline": ("leadlife.qualification", "Timeline"),
    "TimelineCriterion": ("leadlife.qualification", "TimelineCriterion"),
    "Touch": ("leadlife.followup", "Touch"),
    "TouchOutcome": ("leadlife.followup", "TouchOutcome"),
    "TouchRefusedError": ("leadlife.errors", "TouchRefusedError"),
    "Touched": ("leadlife.events", "Touched"),
    "Touches": ("leadlife.followup", "Touches"),
    "TransitionRefusedError": ("leadlife.errors", "TransitionRefusedError"),
    "TransitionSpec": ("leadlife.funnels", "TransitionSpec"),
    "UnacceptedToMarketing": ("leadlife.recycling", "UnacceptedToMarketing"),
    "UnknownEventError": ("leadlife.errors", "UnknownEventError"),
    "UnknownKeyError": ("leadlife.errors", "UnknownKeyError"),
    "UnknownStageError": ("leadlife.errors", "UnknownStageError"),
    "ValidationError": ("leadlife.errors", "ValidationError"),
    "Verdict": ("leadlife.qualification", "Verdict"),
    "Weighted": ("leadlife.qualification", "Weighted"),
    "WhenStopped": ("leadlife.followup", "WhenStopped"),
    "ZIGLAR": ("leadlife.qualification", "ZIGLAR"),
    "agenda": ("leadlife.agenda", "agenda"),
    "compliance": ("leadlife.sla", "compliance"),
    "criterion": ("leadlife.qualification", "criterion"),
    "default_registry": ("leadlife.plugins", "default_registry"),
    "installed_plugins": ("leadlife.plugins", "installed_plugins"),
    "make_converter": ("leadlife.serialization", "make_converter"),
    "unexplained_screen_outs": ("leadlife.screening", "unexplained"),
}


def __getattr__(name: str) -> Any:
    """Find a name that moved to a public module, with a warning saying where."""
    found = _MOVED.get(name)
    if found is None:
        raise AttributeError(f"module 'leadlife' has no attribute {name!r}")
    module, attribute = found
    warnings.warn(
        f"leadlife.{name} moved to {module}.{attribute}; import it from there",
        DeprecationWarning,
        stacklevel=2,
    )
    return getattr(globals()[module.rpartition(".")[2]], attribute)
