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

import importlib

from leadlife._adapters.documents import dump, from_dict, from_json, load, to_dict, to_json
from leadlife._core.journal.book import replay_book
from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import History, replay
from leadlife._core.journal.records import DealMotion, Lead, Opportunity, Prospect, Record
from leadlife._core.support.clock import Clock, FixedClock, SteppingClock, SystemClock
from leadlife._core.support.display import Card
from leadlife._core.support.errors import LeadlifeError
from leadlife._core.support.public import publish
from leadlife._core.values import actions as _actions
from leadlife._core.values.committee import Member
from leadlife._core.values.company import Company, CompanySize
from leadlife._core.values.consent import Consent, ConsentStatus
from leadlife._core.values.contact import Contact, DecisionRole
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId, RecordId, RecordKind
from leadlife._core.values.money import Money
from leadlife._core.values.source import Source
from leadlife._funnel.base import Funnel
from leadlife._funnel.build import funnel_from_spec
from leadlife._funnel.recorder import StageRecorder
from leadlife._funnel.roles import FunnelRoles
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
    "FunnelRoles",
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

_ACTIONS = ("ActionKind", "DueAction", "Reassign", "RecordBreach", "SendEvent", "StopChase")

# The agenda's actions are values every lifecycle handles (Lifecycle.apply): they are
# given their public home now, by name; leadlife.agenda itself (the agenda, its checks,
# routing and the plugins behind them) is imported on first use.
publish("leadlife.agenda", vars(_actions), _ACTIONS)

# The public modules, importable as attributes of the package (leadlife.errors...).
from leadlife import (  # noqa: E402 - after the top level has published its names
    errors,
    events,
    followup,
    funnels,
    nurture,
    qualification,
    recycling,
    screening,
    sla,
    values,
)

_MODULES = [errors, events, followup, funnels, nurture, qualification, recycling]
_MODULES += [screening, sla, values]
# Imported on first use (as ``leadlife.serialization``, or by name): serialization brings
# cattrs; the agenda its checks, routing and scoring; plugins the registry.
_LAZY_MODULES = ("agenda", "plugins", "serialization")


def __getattr__(name: str) -> object:
    """A public module imported on first use; or refuse a name, saying which module holds it."""
    if name in _LAZY_MODULES:
        return importlib.import_module(f"leadlife.{name}")
    modules = [*_MODULES, *(importlib.import_module(f"leadlife.{lazy}") for lazy in _LAZY_MODULES)]
    homes = [module.__name__ for module in modules if name in module.__all__]
    where = f"; import it from {' or '.join(homes)}" if homes else ""
    raise AttributeError(f"module 'leadlife' has no attribute {name!r}{where}", name=name)
