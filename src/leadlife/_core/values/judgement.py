"""What a criterion says about the evidence: met, not met, or unknown, and why."""

from __future__ import annotations

from enum import Enum
from typing import Any, Self

import attrs

from leadlife._core.support import validation as check
from leadlife._core.values.evidence import NoAnswer


class Verdict(Enum):
    """A criterion's answer. ``UNKNOWN`` means no answer yet: never a silent "no".

    Example:
        >>> from leadlife.qualification import Verdict
        >>> Verdict("unknown") is Verdict.UNKNOWN
        True
    """

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


def _only_when_unknown(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    check.instance_of(NoAnswer, "a NoAnswer or None")(instance, attribute, value)
    if instance.verdict is not Verdict.UNKNOWN:
        check.refuse(instance, attribute, value, "None unless the verdict is unknown")


@attrs.frozen(kw_only=True)
class Judgement:
    """One criterion's verdict on the evidence, with its rationale.

    Args:
        criterion: The key of the criterion that judged.
        verdict: Met, not met, or unknown.
        rationale: Why, in words a salesperson would accept.
        evidence: The pieces of evidence it used (``"budget"``,
            ``"stakeholders"``...), empty when there were none.
        no_answer: For an unknown verdict, the :class:`~leadlife.qualification.NoAnswer`
            when someone asked and they don't know yet or won't say; ``None``
            when nobody has asked. It tells the next question apart: ask,
            ask again later, or ask someone else.

    Example:
        >>> from leadlife.qualification import Judgement, Verdict
        >>> Judgement.met("budget", "20000-30000 EUR set aside", "budget").verdict
        <Verdict.MET: 'met'>
        >>> Judgement.unknown("trust", "nobody asked yet").evidence
        ()
    """

    criterion: str = attrs.field(validator=check.text)
    verdict: Verdict = attrs.field(validator=check.member_of(Verdict))
    rationale: str = attrs.field(validator=check.text)
    evidence: tuple[str, ...] = attrs.field(
        default=(), converter=check.to_text_tuple, validator=check.converted
    )
    no_answer: NoAnswer | None = attrs.field(default=None, validator=_only_when_unknown)

    @classmethod
    def met(cls, criterion: str, rationale: str, *evidence: str) -> Self:
        """A ``MET`` judgement."""
        return cls(criterion=criterion, verdict=Verdict.MET, rationale=rationale, evidence=evidence)

    @classmethod
    def not_met(cls, criterion: str, rationale: str, *evidence: str) -> Self:
        """A ``NOT_MET`` judgement."""
        return cls(
            criterion=criterion, verdict=Verdict.NOT_MET, rationale=rationale, evidence=evidence
        )

    @classmethod
    def unknown(cls, criterion: str, rationale: str, *evidence: str) -> Self:
        """An ``UNKNOWN`` judgement: the question is still to ask."""
        return cls(
            criterion=criterion, verdict=Verdict.UNKNOWN, rationale=rationale, evidence=evidence
        )

    @classmethod
    def unanswered(cls, criterion: str, no_answer: NoAnswer, *evidence: str) -> Self:
        """An ``UNKNOWN`` judgement of a question asked in vain, in the :class:`NoAnswer`'s words.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife.qualification import (
            ...     Judgement,
            ...     Method,
            ...     NoAnswer,
            ...     Provenance,
            ...     Unanswered,
            ... )
            >>> said = Provenance(
            ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
            ... )
            >>> silent = NoAnswer(why=Unanswered.WONT_SAY, provenance=said, ask_instead="the CFO")
            >>> Judgement.unanswered("budget", silent, "budget").rationale
            "asked; they won't say, per sam (call): ask the CFO instead"
        """
        return cls(
            criterion=criterion,
            verdict=Verdict.UNKNOWN,
            rationale=f"{no_answer.words}: {no_answer.advice}",
            evidence=evidence,
            no_answer=no_answer,
        )
