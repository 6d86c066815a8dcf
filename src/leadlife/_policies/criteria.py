"""The built-in criteria. Frameworks that share an idea share the criterion.

Each criterion is a small frozen class, so its thresholds are data (a
budget's minimum, a timeline's horizon) and a team can make its own variant:
``BudgetCriterion(minimum=Money.of("10000", "EUR"))``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.values.contact import DecisionRole
from leadlife._core.values.evidence import FACT_TOPICS, Evidence, Method, NoAnswer
from leadlife._core.values.judgement import Judgement
from leadlife._core.values.money import Money


def _unasked(key: str, silence: NoAnswer | None, nobody: str, where: str) -> Judgement:
    """Unknown, in words that tell "nobody asked" from "asked, no answer"."""
    if silence is None:
        return Judgement.unknown(key, nobody)
    return Judgement.unanswered(key, silence, where)


@attrs.frozen(kw_only=True)
class FactCriterion:
    """Met when the answer on ``topic`` is yes, not met when no, unknown otherwise.

    Unknown says which: nobody has asked, or they were asked and don't know
    yet or won't say (a :class:`~leadlife.qualification.NoAnswer`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Evidence, FactCriterion
        >>> desire = FactCriterion(
        ...     key="desire", question="Do they want this solution?", topic="desire"
        ... )
        >>> desire(Evidence(), datetime(2026, 3, 2, tzinfo=UTC)).rationale
        'nobody has asked yet: Do they want this solution?'
    """

    key: str = attrs.field(validator=check.key)
    question: str = attrs.field(validator=check.text)
    topic: str = attrs.field(validator=check.text)

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:  # noqa: ARG002 - timeless
        """Judge the answer on ``topic``."""
        fact = evidence.fact(self.topic)
        where = self.topic if self.topic in FACT_TOPICS else f"other.{self.topic}"
        if fact is None:
            nobody = f"nobody has asked yet: {self.question}"
            return _unasked(self.key, evidence.no_answer(self.topic), nobody, where)
        said = f"{fact.provenance.recorded_by} ({fact.provenance.method.value})"
        detail = f": {fact.detail}" if fact.detail else ""
        if fact.holds:
            return Judgement.met(self.key, f"yes, per {said}{detail}", where)
        return Judgement.not_met(self.key, f"no, per {said}{detail}", where)


@attrs.frozen(kw_only=True)
class BudgetCriterion:
    """Met when there is a budget (of at least ``minimum``, when one is set).

    A budget of zero is "no"; a budget in another currency than ``minimum``
    is unknown until someone converts it (leadlife never guesses a rate).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Money
        >>> from leadlife.qualification import Budget, BudgetCriterion, Evidence, Method, Provenance
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> big_deals = BudgetCriterion(minimum=Money.of("10000", "EUR"))
        >>> evidence = Evidence(budget=Budget.exactly(Money.of("4000", "EUR"), provenance=said))
        >>> big_deals(evidence, datetime(2026, 3, 2, tzinfo=UTC)).verdict.value
        'not_met'
    """

    key: str = attrs.field(default="budget", validator=check.key)
    question: str = attrs.field(default="Is there a budget for this?", validator=check.text)
    minimum: Money | None = attrs.field(
        default=None, validator=optional(check.instance_of(Money, "a Money amount or None"))
    )

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:  # noqa: ARG002 - timeless
        """Judge the budget."""
        budget = evidence.budget
        if budget is None or isinstance(budget, NoAnswer):
            return _unasked(self.key, budget, "nobody has asked about the budget yet", "budget")
        if budget.none:
            return Judgement.not_met(self.key, "there is no budget", "budget")
        span = f"{budget.low}" if budget.low == budget.high else f"{budget.low} to {budget.high}"
        if self.minimum is None:
            return Judgement.met(self.key, f"a budget of {span}", "budget")
        if budget.high.currency != self.minimum.currency:
            return Judgement.unknown(
                self.key, f"a budget of {span}, but the minimum is in {self.minimum.currency}"
            )
        if budget.high < self.minimum:
            return Judgement.not_met(
                self.key, f"a budget of {span}, under {self.minimum}", "budget"
            )
        return Judgement.met(self.key, f"a budget of {span}, at least {self.minimum}", "budget")


def _roles(evidence: Evidence) -> set[DecisionRole]:
    return {s.contact.role for s in evidence.stakeholders} - {DecisionRole.UNKNOWN}


@attrs.frozen(kw_only=True)
class RoleCriterion:
    """Met when a stakeholder plays ``role``; not met when roles are known and none does.

    With ``met_in_person``, a stakeholder in that role counts only once
    someone spoke with them (a call or a meeting): MEDDIC's economic buyer
    must be *met*, not just named.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole
        >>> from leadlife.qualification import (
        ...     Evidence,
        ...     Method,
        ...     Provenance,
        ...     RoleCriterion,
        ...     Stakeholder,
        ... )
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.EMAIL
        ... )
        >>> gatekeeper = Stakeholder(
        ...     contact=Contact(name="Bo", role=DecisionRole.GATEKEEPER), provenance=said
        ... )
        >>> authority = RoleCriterion(
        ...     key="authority", question="Can they decide?", role=DecisionRole.DECISION_MAKER
        ... )
        >>> authority(
        ...     Evidence(stakeholders=[gatekeeper]), datetime(2026, 3, 2, tzinfo=UTC)
        ... ).rationale
        'no decision_maker among the stakeholders (gatekeeper)'
    """

    key: str = attrs.field(validator=check.key)
    question: str = attrs.field(validator=check.text)
    role: DecisionRole = attrs.field(validator=check.member_of(DecisionRole))
    met_in_person: bool = attrs.field(default=False, validator=check.instance_of(bool, "a bool"))

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:  # noqa: ARG002 - timeless
        """Judge the stakeholders' roles."""
        holders = [
            (index, s)
            for index, s in enumerate(evidence.stakeholders)
            if s.contact.role is self.role
        ]
        role = self.role.value
        if holders:
            spoken = [
                (index, s)
                for index, s in holders
                if s.provenance.method in (Method.CALL, Method.MEETING)
            ]
            if self.met_in_person and not spoken:
                names = ", ".join(s.contact.name for _, s in holders)
                return Judgement.unknown(self.key, f"{names} is the {role} but nobody has met them")
            index, holder = (spoken or holders)[0]
            return Judgement.met(
                self.key, f"{holder.contact.name} is the {role}", f"stakeholders[{index}]"
            )
        known = sorted(r.value for r in _roles(evidence))
        if not known:
            return Judgement.unknown(self.key, f"nobody has asked who the {role} is")
        return Judgement.not_met(
            self.key, f"no {role} among the stakeholders ({', '.join(known)})", "stakeholders"
        )


@attrs.frozen(kw_only=True)
class TimelineCriterion:
    """Met when they mean to buy within ``horizon`` of the assessment.

    A date beyond the horizon is "not now"; a date already past is unknown
    (the answer has gone stale: ask again).

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife.qualification import (
        ...     Evidence,
        ...     Method,
        ...     Provenance,
        ...     Timeline,
        ...     TimelineCriterion,
        ... )
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> soon = Evidence(timeline=Timeline(by=date(2026, 6, 30), provenance=said))
        >>> TimelineCriterion()(soon, datetime(2026, 3, 2, tzinfo=UTC)).verdict.value
        'met'
    """

    key: str = attrs.field(default="timeline", validator=check.key)
    question: str = attrs.field(
        default="Will they buy within a tangible time frame?", validator=check.text
    )
    horizon: timedelta = attrs.field(
        default=timedelta(days=365), validator=check.instance_of(timedelta, "a timedelta")
    )

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:
        """Judge the timeline as of ``at``."""
        timeline = evidence.timeline
        if timeline is None or isinstance(timeline, NoAnswer):
            return _unasked(
                self.key, timeline, "nobody has asked when they mean to buy", "timeline"
            )
        today = at.date()
        why = f" ({timeline.event})" if timeline.event else ""
        if timeline.by < today:
            return Judgement.unknown(self.key, f"the date they gave, {timeline.by}, has passed")
        if timeline.by > today + self.horizon:
            return Judgement.not_met(
                self.key, f"not before {timeline.by}: beyond {self.horizon.days} days", "timeline"
            )
        return Judgement.met(self.key, f"by {timeline.by}{why}", "timeline")


@attrs.frozen(kw_only=True)
class CompetitionCriterion:
    """Met when we know who else they consider (nobody else is an answer too).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import (
        ...     Competition,
        ...     CompetitionCriterion,
        ...     Evidence,
        ...     Method,
        ...     Provenance,
        ... )
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> known = Evidence(competition=Competition(competitors=[], provenance=said))
        >>> CompetitionCriterion()(known, datetime(2026, 3, 2, tzinfo=UTC)).rationale
        'nobody else is in the running'
    """

    key: str = attrs.field(default="competition", validator=check.key)
    question: str = attrs.field(
        default="Do we know who else they are considering?", validator=check.text
    )

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:  # noqa: ARG002 - timeless
        """Judge what we know of the competition."""
        competition = evidence.competition
        if competition is None or isinstance(competition, NoAnswer):
            return _unasked(
                self.key, competition, "nobody has asked who else is in the running", "competition"
            )
        if not competition.competitors:
            return Judgement.met(self.key, "nobody else is in the running", "competition")
        return Judgement.met(
            self.key, "also considering " + ", ".join(competition.competitors), "competition"
        )


def _fact(key: str, question: str) -> FactCriterion:
    return FactCriterion(key=key, question=question, topic=key)


BUDGET = BudgetCriterion()
AUTHORITY = RoleCriterion(
    key="authority",
    question="Are we talking to someone who can decide?",
    role=DecisionRole.DECISION_MAKER,
)
TIMELINE = TimelineCriterion()
NEED = _fact("need", "Do they see that this solves a problem of theirs?")
DESIRE = _fact("desire", "Do they want this solution?")
TRUST = _fact("trust", "Do they trust us to deliver?")
PAIN = _fact("pain", "Is there a pain that makes this worth solving?")
METRICS = _fact("metrics", "Do they have a measurable gain in mind?")
ECONOMIC_BUYER = RoleCriterion(
    key="economic_buyer",
    question="Have we met the person who signs the budget?",
    role=DecisionRole.DECISION_MAKER,
    met_in_person=True,
)
CHAMPION = RoleCriterion(
    key="champion", question="Is someone on their side selling for us?", role=DecisionRole.CHAMPION
)
DECISION_CRITERIA = _fact("decision_criteria", "Do we know how they will choose?")
DECISION_PROCESS = _fact("decision_process", "Do we know how, and by whom, the decision is made?")
PAPER_PROCESS = _fact("paper_process", "Do we know what it takes to sign?")
COMPETITION = CompetitionCriterion()
GOALS = _fact("goals", "Do they have goals this serves?")
PLANS = _fact("plans", "Do they have plans to reach those goals?")
CHALLENGES = _fact("challenges", "Do they face challenges we can address?")
CONSEQUENCES = _fact("consequences", "Would doing nothing have negative consequences?")
IMPLICATIONS = _fact("implications", "Would success have positive implications they care about?")
PRIORITY = _fact("priority", "Is this a priority for them now?")
INTEREST = _fact("interest", "Are they interested in what we offer?")
ECONOMIC_IMPACT = _fact("economic_impact", "Does solving it have an economic impact they can see?")

BUILT_IN_CRITERIA = (
    BUDGET,
    AUTHORITY,
    NEED,
    TIMELINE,
    DESIRE,
    TRUST,
    PAIN,
    METRICS,
    ECONOMIC_BUYER,
    CHAMPION,
    DECISION_CRITERIA,
    DECISION_PROCESS,
    PAPER_PROCESS,
    COMPETITION,
    GOALS,
    PLANS,
    CHALLENGES,
    CONSEQUENCES,
    IMPLICATIONS,
    PRIORITY,
    INTEREST,
    ECONOMIC_IMPACT,
)
"""leadlife's own criteria, in the order the docs list them."""
