"""Evidence: what discovery recorded, with who recorded it, when and how.

DOMAIN: "don't judge by instinct". Qualification is done by asking, so
evidence is a set of typed answers, each with its provenance. A question has
four states, and a salesperson's next step differs for each: nobody asked
(``None``: ask), asked and they don't know yet (:class:`NoAnswer`: ask again
later), asked and they won't say (:class:`NoAnswer`: ask someone else), and
answered. Criteria judge the first three "unknown", never "no", and say which.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Self

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.frozen import FrozenMap
from leadlife._core.values.contact import Contact
from leadlife._core.values.money import Money


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


class Unanswered(Enum):
    """Why a question that was asked has no answer.

    Example:
        >>> from leadlife.qualification import Unanswered
        >>> Unanswered("dont_know")
        <Unanswered.DONT_KNOW: 'dont_know'>
    """

    DONT_KNOW = "dont_know"
    """They don't know yet (the budget is not set, the date not decided): ask again later."""
    WONT_SAY = "wont_say"
    """They know but won't tell us: ask someone else, or earn the trust to ask again."""


class AnswerStatus(Enum):
    """Where one question stands: the four states a salesperson tells apart.

    Example:
        >>> from leadlife.qualification import AnswerStatus, Evidence
        >>> Evidence().status("budget")
        <AnswerStatus.NOT_ASKED: 'not_asked'>
    """

    NOT_ASKED = "not_asked"
    """Nobody asked: ask."""
    DONT_KNOW = "dont_know"
    """Asked; they don't know yet: ask again later."""
    WONT_SAY = "wont_say"
    """Asked; they won't say: ask someone else."""
    ANSWERED = "answered"
    """Answered, yes or no or with a value."""


def _no_later_than_asked(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    check.calendar_date(instance, attribute, value)
    asked = instance.provenance.at.date()
    if value < asked:
        check.refuse(instance, attribute, value, f"a date on or after the asking, {asked}")


@attrs.frozen(kw_only=True)
class NoAnswer:
    """We asked, and got no answer: they don't know yet, or they won't say.

    Put it where the answer would go (``Evidence(budget=NoAnswer(...))``,
    ``Evidence(need=NoAnswer(...))``, or in ``other``): the question is then
    known to have been asked, and criteria say so instead of "nobody asked".

    Args:
        why: They don't know yet, or they won't say.
        provenance: Who asked, when, how.
        detail: What was said, in words.
        ask_again_on: When they expect to know (for "don't know"), or when it
            is worth asking again: not before the question was asked.
        ask_instead: Whom to ask instead (for "won't say"): a name or a role.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife.qualification import Method, NoAnswer, Provenance, Unanswered
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> NoAnswer(
        ...     why=Unanswered.DONT_KNOW,
        ...     provenance=said,
        ...     detail="the budget is set at the April board meeting",
        ...     ask_again_on=date(2026, 4, 20),
        ... ).advice
        'ask again on 2026-04-20'
    """

    why: Unanswered = attrs.field(validator=check.member_of(Unanswered))
    provenance: Provenance = attrs.field(validator=check.instance_of(Provenance, "a Provenance"))
    detail: str | None = attrs.field(default=None, validator=optional(check.text))
    ask_again_on: date | None = attrs.field(default=None, validator=_no_later_than_asked)
    ask_instead: str | None = attrs.field(default=None, validator=optional(check.text))

    @property
    def status(self) -> AnswerStatus:
        """The question's state: ``AnswerStatus.DONT_KNOW`` or ``AnswerStatus.WONT_SAY``."""
        return AnswerStatus(self.why.value)

    @property
    def advice(self) -> str:
        """What to do next, in words: ask again (when), or ask someone else (whom)."""
        if self.ask_instead is not None:
            return f"ask {self.ask_instead} instead"
        if self.ask_again_on is not None:
            return f"ask again on {self.ask_again_on.isoformat()}"
        if self.why is Unanswered.WONT_SAY:
            return "ask someone else"
        return "ask again later"

    @property
    def words(self) -> str:
        """What happened, in words: ``"asked; they don't know yet, per sam (call)"``."""
        said = "they don't know yet" if self.why is Unanswered.DONT_KNOW else "they won't say"
        by = f"{self.provenance.recorded_by} ({self.provenance.method.value})"
        detail = f": {self.detail}" if self.detail else ""
        return f"asked; {said}, per {by}{detail}"


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
    if value is not None and not isinstance(value, Fact | NoAnswer):
        check.refuse(
            instance,
            attribute,
            value,
            "a Fact, a NoAnswer when asked in vain, or None when unasked",
        )


def _to_stakeholders(value: Any) -> tuple[Stakeholder, ...]:
    return check.to_tuple_of(value, Stakeholder, "a list of Stakeholder")


def _to_other(value: Mapping[str, Fact | NoAnswer]) -> Mapping[str, Fact | NoAnswer]:
    given: object = value  # checked at run time: anything may come in
    if not isinstance(given, Mapping) or not all(
        isinstance(key, str) and key.strip() and isinstance(fact, Fact | NoAnswer)
        for key, fact in given.items()
    ):
        return check.refused(value, "a mapping of topic names to Fact or NoAnswer")  # type: ignore[no-any-return]
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
    nobody asked, which criteria judge *unknown*. A :class:`NoAnswer` in a
    field means someone asked and they don't know yet or won't say: criteria
    judge that *unknown* too, but say so, and the assessment's next questions
    rank it after what nobody has asked (ask again later, or ask someone
    else). Topics a team asks about beyond these go in ``other``, keyed by a
    name of its own.

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

    budget: Budget | NoAnswer | None = attrs.field(
        default=None,
        validator=optional(check.instance_of((Budget, NoAnswer), "a Budget, a NoAnswer or None")),
    )
    timeline: Timeline | NoAnswer | None = attrs.field(
        default=None,
        validator=optional(
            check.instance_of((Timeline, NoAnswer), "a Timeline, a NoAnswer or None")
        ),
    )
    stakeholders: tuple[Stakeholder, ...] = attrs.field(
        default=(), converter=_to_stakeholders, validator=check.converted
    )
    competition: Competition | NoAnswer | None = attrs.field(
        default=None,
        validator=optional(
            check.instance_of((Competition, NoAnswer), "a Competition, a NoAnswer or None")
        ),
    )
    need: Fact | NoAnswer | None = _fact_field()
    desire: Fact | NoAnswer | None = _fact_field()
    trust: Fact | NoAnswer | None = _fact_field()
    pain: Fact | NoAnswer | None = _fact_field()
    metrics: Fact | NoAnswer | None = _fact_field()
    decision_criteria: Fact | NoAnswer | None = _fact_field()
    decision_process: Fact | NoAnswer | None = _fact_field()
    paper_process: Fact | NoAnswer | None = _fact_field()
    goals: Fact | NoAnswer | None = _fact_field()
    plans: Fact | NoAnswer | None = _fact_field()
    challenges: Fact | NoAnswer | None = _fact_field()
    consequences: Fact | NoAnswer | None = _fact_field()
    implications: Fact | NoAnswer | None = _fact_field()
    priority: Fact | NoAnswer | None = _fact_field()
    interest: Fact | NoAnswer | None = _fact_field()
    economic_impact: Fact | NoAnswer | None = _fact_field()
    # Left out of the hash (a mapping has none); equal evidence still hashes equal.
    other: Mapping[str, Fact | NoAnswer] = attrs.field(
        factory=dict, converter=_to_other, validator=check.converted, hash=False
    )

    def fact(self, topic: str) -> Fact | None:
        """The yes-or-no answer on ``topic`` (a fact field or a key of ``other``), if answered.

        ``None`` both when nobody asked and when they did not answer: see
        :meth:`no_answer` and :meth:`status` to tell those apart.
        """
        found = self.answer(topic)
        return found if isinstance(found, Fact) else None

    def answer(self, topic: str) -> Answer:
        """What is recorded on ``topic``: the answer, a :class:`NoAnswer`, or ``None``.

        ``topic`` is a field (``"budget"``, ``"need"``...) or a key of ``other``.
        """
        if topic in _FIELDS:
            found: Answer = getattr(self, topic)
            return found
        return self.other.get(topic)

    def no_answer(self, topic: str) -> NoAnswer | None:
        """The :class:`NoAnswer` on ``topic``, when someone asked in vain."""
        found = self.answer(topic)
        return found if isinstance(found, NoAnswer) else None

    def status(self, topic: str) -> AnswerStatus:
        """Where the question on ``topic`` stands: not asked, don't know, won't say, answered.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife.qualification import (
            ...     Evidence,
            ...     Method,
            ...     NoAnswer,
            ...     Provenance,
            ...     Unanswered,
            ... )
            >>> said = Provenance(
            ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
            ... )
            >>> evidence = Evidence(budget=NoAnswer(why=Unanswered.WONT_SAY, provenance=said))
            >>> evidence.status("budget").value, evidence.status("need").value
            ('wont_say', 'not_asked')
        """
        found = self.answer(topic)
        if found is None or found == ():
            return AnswerStatus.NOT_ASKED
        if isinstance(found, NoAnswer):
            return found.status
        return AnswerStatus.ANSWERED


Answer = Budget | Timeline | Competition | Fact | NoAnswer | tuple[Stakeholder, ...] | None
"""What :meth:`Evidence.answer` finds on a topic."""

_FIELDS = frozenset({"budget", "timeline", "stakeholders", "competition", *_FACTS})

FACT_TOPICS: tuple[str, ...] = _FACTS
"""The yes-or-no topics :class:`~leadlife.qualification.Evidence` has fields for."""
