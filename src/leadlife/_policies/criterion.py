"""The criterion interface: a key, a question, and a judgement of evidence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from leadlife._core.support import validation as check
from leadlife._core.values.evidence import Evidence
from leadlife._core.values.judgement import Judgement


@runtime_checkable
class Criterion(Protocol):
    """Anything that asks one question and judges the evidence.

    A criterion has a stable ``key`` (lower_snake_case), a human ``question``
    and is called with the evidence and the time of the assessment. It must
    be pure and deterministic, must return a :class:`~leadlife.qualification.Judgement` with its own
    key for any well-formed evidence (unknowns included), and must never
    raise on it. :func:`leadlife.testing.check_criterion` checks all that.

    A small class satisfies it, or a function decorated with
    :func:`~leadlife.qualification.criterion`.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Criterion, Evidence, Judgement
        >>> class SecurityReview:
        ...     key = "security_review"
        ...     question = "Has their security team signed off?"
        ...
        ...     def __call__(self, evidence: Evidence, at: datetime) -> Judgement:
        ...         fact = evidence.fact("security_review")
        ...         if fact is None:
        ...             return Judgement.unknown(self.key, "nobody asked")
        ...         if fact.holds:
        ...             return Judgement.met(self.key, "signed off", "other.security_review")
        ...         return Judgement.not_met(self.key, "not signed off", "other.security_review")
        >>> isinstance(SecurityReview(), Criterion)
        True
    """

    @property
    def key(self) -> str:
        """The stable key, lower_snake_case (``"budget"``)."""
        ...

    @property
    def question(self) -> str:
        """The question a salesperson asks (``"Is there a budget for this?"``)."""
        ...

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:
        """Judge ``evidence`` as of ``at``."""
        ...


Judge = Callable[[Evidence, datetime], Judgement]
"""The function behind a :func:`~leadlife.qualification.criterion`: evidence and time in, judgement
out."""


@attrs.frozen(kw_only=True)
class FunctionCriterion:
    """A criterion made of a plain function (see :func:`~leadlife.qualification.criterion`).

    Example:
        >>> from leadlife.qualification import FunctionCriterion, Judgement
        >>> always = FunctionCriterion(
        ...     key="always",
        ...     question="Is it always?",
        ...     judge=lambda e, at: Judgement.met("always", "yes"),
        ... )
        >>> always.key
        'always'
    """

    key: str = attrs.field(validator=check.key)
    question: str = attrs.field(validator=check.text)
    judge: Judge = attrs.field(validator=check.instance_of(Callable, "a function"), repr=False)  # type: ignore[arg-type]

    def __call__(self, evidence: Evidence, at: datetime) -> Judgement:
        """Judge ``evidence`` as of ``at``."""
        return self.judge(evidence, at)


def criterion(*, key: str, question: str) -> Callable[[Judge], FunctionCriterion]:
    """Turn a function of ``(evidence, at)`` into a :class:`~leadlife.qualification.Criterion`.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.qualification import Evidence, Judgement, criterion
        >>> @criterion(key="security_review", question="Has their security team signed off?")
        ... def security_review(evidence, at):
        ...     fact = evidence.fact("security_review")
        ...     if fact is None:
        ...         return Judgement.unknown("security_review", "nobody asked")
        ...     verdict = Judgement.met if fact.holds else Judgement.not_met
        ...     return verdict(
        ...         "security_review", fact.detail or "as recorded", "other.security_review"
        ...     )
        >>> security_review(Evidence(), datetime(2026, 3, 2, tzinfo=UTC)).verdict.value
        'unknown'
    """

    def wrap(judge: Judge) -> FunctionCriterion:
        return FunctionCriterion(key=key, question=question, judge=judge)

    return wrap
