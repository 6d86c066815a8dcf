"""Lead scoring: fit and engagement by rules, decay, caps, grades, explained (see :doc:`/scoring`).

A :class:`ScoringModel` is declared as data: fit rules on the record's facts
(:data:`FACTS`), engagement rules on the person's :class:`Activity` stream,
each activity worth less as it ages (:class:`Decay`), groups that cap what
their rules give together, and a grade matrix (``A1``-``D4``). Its
:class:`Score` at a moment is the same for the same inputs, always, and
names the rule and the fact or activity behind every point.
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.activity import Activity, ActivityKind, ScoreCrossing
from leadlife._policies.scoring.facts import FACTS, UNKNOWN
from leadlife._policies.scoring.model import Grades, Score, ScoringModel
from leadlife._policies.scoring.rules import (
    ActivityRule,
    Axis,
    Contribution,
    Decay,
    DecayStep,
    FactRule,
    Group,
    ScoringRule,
)

__all__ = [
    "FACTS",
    "UNKNOWN",
    "Activity",
    "ActivityKind",
    "ActivityRule",
    "Axis",
    "Contribution",
    "Decay",
    "DecayStep",
    "FactRule",
    "Grades",
    "Group",
    "Score",
    "ScoreCrossing",
    "ScoringModel",
    "ScoringRule",
]

publish(__name__, globals(), __all__)
