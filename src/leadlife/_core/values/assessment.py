"""An assessment: the immutable result of evaluating a framework on evidence."""

from __future__ import annotations

import math
from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.values.evidence import AnswerStatus, Evidence, NoAnswer
from leadlife._core.values.judgement import Judgement, Verdict


class Outcome(Enum):
    """What an assessment concludes.

    Example:
        >>> from leadlife.qualification import Outcome
        >>> [outcome.value for outcome in Outcome]
        ['qualified', 'not_qualified', 'insufficient_evidence']
    """

    QUALIFIED = "qualified"
    NOT_QUALIFIED = "not_qualified"
    INSUFFICIENT_EVIDENCE = "insufficient_evidence"


def _score(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, float) or not math.isfinite(value) or not 0 <= value <= 1:
        check.refuse(instance, attribute, value, "a float between 0 and 1")


@attrs.frozen(kw_only=True)
class Question:
    """A question still to ask, and how much its answer could change the outcome.

    Args:
        criterion: The key of the criterion it belongs to.
        question: The question, as a salesperson asks it.
        decisive: Whether one of its answers alone would change the outcome.
        influence: In how many of the ways the other open questions could be
            answered its answer decides the outcome, as a share (0 to 1).
        no_answer: When it was asked in vain, what they said (they don't
            know yet, they won't say); ``None`` when nobody has asked.

    Example:
        >>> from leadlife.qualification import Question
        >>> Question(
        ...     criterion="budget",
        ...     question="Is there a budget for this?",
        ...     decisive=True,
        ...     influence=0.5,
        ... ).decisive
        True
    """

    criterion: str = attrs.field(validator=check.text)
    question: str = attrs.field(validator=check.text)
    decisive: bool = attrs.field(validator=check.instance_of(bool, "True or False"))
    influence: float = attrs.field(validator=_score)
    no_answer: NoAnswer | None = attrs.field(
        default=None, validator=optional(check.instance_of(NoAnswer, "a NoAnswer or None"))
    )

    @property
    def status(self) -> AnswerStatus:
        """Not asked, or asked and they don't know yet, or asked and they won't say."""
        return AnswerStatus.NOT_ASKED if self.no_answer is None else self.no_answer.status

    @property
    def advice(self) -> str:
        """What to do: ``"ask"``, ``"ask again on 2026-04-20"``, ``"ask the CFO instead"``..."""
        return "ask" if self.no_answer is None else self.no_answer.advice


def _to_judgements(value: Any) -> tuple[Judgement, ...]:
    return check.to_tuple_of(value, Judgement, "a list of Judgement")


def _to_questions(value: Any) -> tuple[Question, ...]:
    return check.to_tuple_of(value, Question, "a list of Question")


@attrs.frozen(kw_only=True)
class Assessment(display.ShownAsGrid):
    """What a framework concluded from the evidence at one time.

    Args:
        framework: The framework's key.
        at: When the assessment was made.
        evidence: The evidence it judged.
        judgements: Each criterion's verdict, in the framework's order.
        outcome: Qualified, not qualified, or insufficient evidence.
        score: The weight of the met criteria over the total, 0 to 1.
        next_questions: The questions still to ask: first those nobody has
            asked, then those to ask someone else (they won't say), then those
            to ask again later (they don't know yet); within each, those whose
            answer could change the outcome most first.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import BANT, Evidence
        >>> assessment = BANT.assess(Evidence(), at=datetime(2026, 3, 2, tzinfo=UTC))
        >>> assessment.outcome.value, assessment.score
        ('insufficient_evidence', 0.0)
        >>> [q.criterion for q in assessment.next_questions]
        ['budget', 'authority', 'need', 'timeline']
    """

    framework: str = attrs.field(validator=check.text)
    at: datetime = attrs.field(validator=check.aware_datetime)
    evidence: Evidence = attrs.field(validator=check.instance_of(Evidence, "an Evidence"))
    judgements: tuple[Judgement, ...] = attrs.field(
        converter=_to_judgements, validator=check.converted
    )
    outcome: Outcome = attrs.field(validator=check.member_of(Outcome))
    score: float = attrs.field(validator=_score)
    next_questions: tuple[Question, ...] = attrs.field(
        default=(), converter=_to_questions, validator=check.converted
    )

    @property
    def qualified(self) -> bool:
        """Whether the outcome is ``QUALIFIED``."""
        return self.outcome is Outcome.QUALIFIED

    def __repr__(self) -> str:
        return f"<Assessment {self._grid()[0]}>"

    def _grid(self) -> display.Grid:
        """Each criterion's verdict and why, then what to ask: how a notebook shows it."""
        title = (
            f"{self.framework} on {self.at:%Y-%m-%d}: {self.outcome.value} (score {self.score:.0%})"
        )
        rows = [
            (judgement.criterion, judgement.verdict.value, display.shorten(judgement.rationale, 90))
            for judgement in self.judgements
        ]
        asks = [question.question for question in self.next_questions[:3]]
        note = "ask next: " + "; ".join(asks) if asks else None
        return title, _HEADER, rows, note

    def verdict(self, criterion: str) -> Verdict:
        """The verdict of ``criterion``.

        Raises:
            KeyError: The framework has no such criterion.
        """
        for judgement in self.judgements:
            if judgement.criterion == criterion:
                return judgement.verdict
        raise KeyError(criterion)


_HEADER = ("criterion", "verdict", "why")
