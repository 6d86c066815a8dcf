"""Evidence: what discovery recorded, with who recorded it, when and how.

DOMAIN: "don't judge by instinct". Qualification is done by asking, so
evidence is a set of typed answers, each with its provenance. A question
nobody asked has no answer here, and criteria judge it "unknown", never "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Self

import attrs
from attrs.validators import optional

from leadlife._core import validation as check
from leadlife._core.contact import Contact
from leadlife._core.frozen import FrozenMap
from leadlife._core.money import Money


class Method(Enum):
    """How an answer was obtained.

    Example:
        >>> from leadlife.qualification import Method
        >>> Method("meeting")
        <Method.MEETING: 'meeting'>
    """

    CALL = "call"
    EMAIL = "email"
    FORM = "form"
    MEETING = "meeting"
    INFERRED = "inferred"
    """Not asked but deduced (from behaviour, firmographics, a third party)."""


@attrs.frozen(kw_only=True)
class Provenance:
    """Who recorded an answer, when, and how.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Method, Provenance
        >>> Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... ).method
        <Method.CALL: 'call'>
    """

    recorded_by: str = attrs.field(validator=check.text)
    at: datetime = attrs.field(validator=check.aware_datetime)
    method: Method = attrs.field(validator=check.member_of(Method))


_PROVENANCE = check.instance_of(Provenance, "a Provenance")


@attrs.frozen(kw_only=True)
class Fact:
    """A yes-or-no answer to one question, with what was said.

    Args:
        holds: The answer: ``True`` (yes, there is a need...) or ``False``.
        detail: What was said, in words.
        provenance: Who recorded it, when, how.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Fact, Method, Provenance
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> Fact(holds=True, detail="month-end close takes 9 days", provenance=said).holds
        True
    """

    holds: bool = attrs.field(validator=check.instance_of(bool, "True or False"))
    provenance: Provenance = attrs.field(validator=_PROVENANCE)
    detail: str | None = attrs.field(default=None, validator=optional(check.text))


def _range(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.instance_of(Money, "a Money amount")(instance, attribute, value)
    low = instance.low
    if value.currency != low.currency:
        check.refuse(instance, attribute, value, f"an amount in {low.currency}, like low")
    if not Decimal(0) <= low.amount <= value.amount:
        check.refuse(instance, attribute, value, "an amount with 0 <= low <= high")


@attrs.frozen(kw_only=True)
class Budget:
    """What they can spend: a range of :class:`~leadlife.Money` (a single amount is low == high).

    A budget of zero is an answer ("there is no budget"), not a missing one.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Money
        >>> from leadlife.qualification import Budget, Method, Provenance
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> Budget(
        ...     low=Money.of("20000", "EUR"), high=Money.of("30000", "EUR"), provenance=said
        ... ).high
        Money(amount=Decimal('30000'), currency='EUR')
        >>> Budget.exactly(Money.of("0", "EUR"), provenance=said).none
        True
    """

    low: Money = attrs.field(validator=check.instance_of(Money, "a Money amount"))
    high: Money = attrs.field(validator=_range)
    provenance: Provenance = attrs.field(validator=_PROVENANCE)

    @classmethod
    def exactly(cls, amount: Money, *, provenance: Provenance) -> Self:
        """A budget of exactly ``amount``."""
        return cls(low=amount, high=amount, provenance=provenance)

    @property
    def none(self) -> bool:
        """Whether the answer is "there is no budget"."""
        return self.high.amount == 0


@attrs.frozen(kw_only=True)
class Timeline:
    """When they mean to buy, and the event that makes it urgent, if any.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife.qualification import Method, Provenance, Timeline
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.MEETING
        ... )
        >>> Timeline(by=date(2026, 9, 30), event="old system's licence ends", provenance=said).by
        datetime.date(2026, 9, 30)
    """

    by: date = attrs.field(validator=check.calendar_date)
    provenance: Provenance = attrs.field(validator=_PROVENANCE)
    event: str | None = attrs.field(default=None, validator=optional(check.text))


@attrs.frozen(kw_only=True)
class Stakeholder:
    """A person involved in the decision, with their :class:`~leadlife.DecisionRole`.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole
        >>> from leadlife.qualification import Method, Provenance, Stakeholder
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.MEETING
        ... )
        >>> Stakeholder(
        ...     contact=Contact(name="Ada", role=DecisionRole.DECISION_MAKER), provenance=said
        ... )
        ... # doctest: +ELLIPSIS
        Stakeholder(contact=Contact(name='Ada', ...
    """

    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))
    provenance: Provenance = attrs.field(validator=_PROVENANCE)


@attrs.frozen(kw_only=True)
class Competition:
    """Who else they are considering; an empty list means "nobody else".

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Competition, Method, Provenance
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> Competition(competitors=["Acme"], provenance=said).competitors
        ('Acme',)
    """

    competitors: tuple[str, ...] = attrs.field(
        converter=check.to_text_tuple, validator=check.converted
    )
    provenance: Provenance = attrs.field(validator=_PROVENANCE)


def _fact(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Fact):
        check.refuse(instance, attribute, value, "a Fact, or None when nobody asked")


def _to_stakeholders(value: Any) -> tuple[Stakeholder, ...]:
    return check.to_tuple_of(value, Stakeholder, "a list of Stakeholder")


def _to_other(value: Mapping[str, Fact]) -> Mapping[str, Fact]:
    given: object = value  # checked at run time: anything may come in
    if not isinstance(given, Mapping) or not all(
        isinstance(key, str) and key.strip() and isinstance(fact, Fact)
        for key, fact in given.items()
    ):
        return check.refused(value, "a mapping of topic names to Fact")  # type: ignore[no-any-return]
    return FrozenMap(value)


_FACTS = (
    "need",
    "desire",
    "trust",
    "pain",
    "metrics",
    "decision_criteria",
    "decision_process",
    "paper_process",
    "goals",
    "plans",
    "challenges",
    "consequences",
    "implications",
    "priority",
    "interest",
    "economic_impact",
)


def _fact_field() -> Any:
    return attrs.field(default=None, validator=_fact)


@attrs.frozen(kw_only=True)
class Evidence:
    """Everything discovery found out about one lead, each answer with its provenance.

    Every field is optional: ``None`` (or an empty list of stakeholders) means
    nobody asked, which criteria judge *unknown*. Topics a team asks about
    beyond these go in ``other``, keyed by a name of its own.

    Args:
        budget: What they can spend.
        timeline: When they mean to buy.
        stakeholders: The people involved, with their decision roles.
        competition: Who else they consider.
        need: Do they see that this solves a problem of theirs?
        desire: Do they want this solution?
        trust: Do they trust us to deliver?
        pain: Is there a pain that makes this worth solving?
        metrics: Do they have a measurable gain in mind?
        decision_criteria: Do we know how they will choose?
        decision_process: Do we know how, and by whom, the decision is made?
        paper_process: Do we know what it takes to sign?
        goals: Do they have goals this serves?
        plans: Do they have plans to reach them?
        challenges: Do they face challenges we address?
        consequences: Are there negative consequences if they do nothing?
        implications: Are there positive implications if they succeed?
        priority: Is this a priority for them now?
        interest: Are they interested in what we offer?
        economic_impact: Does solving it have an economic impact they can see?
        other: Answers to a team's own questions, by topic name.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Evidence, Fact, Method, Provenance
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> evidence = Evidence(need=Fact(holds=True, provenance=said))
        >>> evidence.need.holds, evidence.desire is None
        (True, True)
    """

    budget: Budget | None = attrs.field(
        default=None, validator=optional(check.instance_of(Budget, "a Budget or None"))
    )
    timeline: Timeline | None = attrs.field(
        default=None, validator=optional(check.instance_of(Timeline, "a Timeline or None"))
    )
    stakeholders: tuple[Stakeholder, ...] = attrs.field(
        default=(), converter=_to_stakeholders, validator=check.converted
    )
    competition: Competition | None = attrs.field(
        default=None, validator=optional(check.instance_of(Competition, "a Competition or None"))
    )
    need: Fact | None = _fact_field()
    desire: Fact | None = _fact_field()
    trust: Fact | None = _fact_field()
    pain: Fact | None = _fact_field()
    metrics: Fact | None = _fact_field()
    decision_criteria: Fact | None = _fact_field()
    decision_process: Fact | None = _fact_field()
    paper_process: Fact | None = _fact_field()
    goals: Fact | None = _fact_field()
    plans: Fact | None = _fact_field()
    challenges: Fact | None = _fact_field()
    consequences: Fact | None = _fact_field()
    implications: Fact | None = _fact_field()
    priority: Fact | None = _fact_field()
    interest: Fact | None = _fact_field()
    economic_impact: Fact | None = _fact_field()
    # Left out of the hash (a mapping has none); equal evidence still hashes equal.
    other: Mapping[str, Fact] = attrs.field(
        factory=dict, converter=_to_other, validator=check.converted, hash=False
    )

    def fact(self, topic: str) -> Fact | None:
        """The answer on ``topic``: one of the fact fields, or a key of ``other``."""
        if topic in _FACTS:
            value: Fact | None = getattr(self, topic)
            return value
        return self.other.get(topic)


FACT_TOPICS: tuple[str, ...] = _FACTS
"""The yes-or-no topics :class:`~leadlife.qualification.Evidence` has fields for."""
