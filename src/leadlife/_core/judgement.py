"""What a criterion says about the evidence: met, not met, or unknown, and why."""

from __future__ import annotations

from enum import Enum
from typing import Self

import attrs

from leadlife._core import validation as check


class Verdict(Enum):
    """A criterion's answer. ``UNKNOWN`` means nobody asked: never a silent "no".

    Example:
        >>> from leadlife.qualification import Verdict
        >>> Verdict("unknown") is Verdict.UNKNOWN
        True
    """

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


@attrs.frozen(kw_only=True)
class Judgement:
    """One criterion's verdict on the evidence, with its rationale.

    Args:
        criterion: The key of the criterion that judged.
        verdict: Met, not met, or unknown.
        rationale: Why, in words a salesperson would accept.
        evidence: The pieces of evidence it used (``"budget"``,
            ``"stakeholders"``...), empty when there were none.

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
