"""Qualification: evidence, criteria, frameworks and their assessments."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.assessment import Assessment, Outcome, Question
from leadlife._core.values.evidence import (
    Answer,
    AnswerStatus,
    Budget,
    Competition,
    Evidence,
    Fact,
    Method,
    NoAnswer,
    Provenance,
    Stakeholder,
    Timeline,
    Unanswered,
)
from leadlife._core.values.judgement import Judgement, Verdict
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
    NMH,
    ZIGLAR,
)
from leadlife._policies.outcomes import AllOf, AtLeast, MustHave, Policy, Weighted

__all__ = [
    "ANUM",
    "BANT",
    "BANT_DT",
    "CHAMP",
    "FAINT",
    "GPCT",
    "MEDDIC",
    "MEDDPICC",
    "NEAT",
    "NMH",
    "ZIGLAR",
    "AllOf",
    "Answer",
    "AnswerStatus",
    "Assessment",
    "AtLeast",
    "Budget",
    "BudgetCriterion",
    "Competition",
    "CompetitionCriterion",
    "Criterion",
    "Evidence",
    "Fact",
    "FactCriterion",
    "Framework",
    "FunctionCriterion",
    "Judgement",
    "Method",
    "MustHave",
    "NoAnswer",
    "Outcome",
    "Policy",
    "Provenance",
    "Question",
    "RoleCriterion",
    "Stakeholder",
    "Timeline",
    "TimelineCriterion",
    "Unanswered",
    "Verdict",
    "Weighted",
    "criterion",
]

publish(__name__, globals(), __all__)
