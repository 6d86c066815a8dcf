"""Contract checks for plugin authors: does a criterion behave as leadlife needs?"""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, Phase, given, settings

from leadlife._core import validation as check
from leadlife._core.assessment import Outcome
from leadlife._core.evidence import Evidence
from leadlife._core.judgement import Judgement, Verdict
from leadlife._policies.criterion import Criterion
from leadlife._policies.framework import Framework
from leadlife.testing._strategies import aware_datetimes, evidence

_EMPTY = Evidence()
_SOME_TIME = datetime(2026, 1, 5, 9, tzinfo=UTC)


class ContractError(AssertionError):
    """A criterion or framework broke leadlife's contract; the message says how."""


def _fail(subject: object, problem: str) -> ContractError:
    return ContractError(f"{subject!r}: {problem}")


def _judge_once(criterion: Criterion, found: Evidence, at: object) -> Judgement:
    try:
        judgement = criterion(found, at)  # type: ignore[arg-type]
    except Exception as error:
        raise _fail(criterion, f"raised {type(error).__name__}: {error} on {found!r}") from error
    if not isinstance(judgement, Judgement):
        raise _fail(criterion, f"returned {judgement!r}, not a Judgement")
    if judgement.criterion != criterion.key:
        raise _fail(criterion, f"judged as {judgement.criterion!r}, its key is {criterion.key!r}")
    return judgement


def check_criterion(criterion: Criterion, *, max_examples: int = 200, shrink: bool = True) -> None:
    """Check that ``criterion`` keeps leadlife's contract; raise if not.

    It must satisfy the :class:`~leadlife.qualification.Criterion` protocol with a
    lower_snake_case key and a question; for any well-formed evidence
    (unknowns included) and time, it must return a :class:`~leadlife.qualification.Judgement`
    of its own key without raising, and the same one every time (pure and
    deterministic); and on evidence where nothing was asked, it must not say
    "not met" (an unasked question is unknown, never no).

    Args:
        criterion: The criterion to check.
        max_examples: How many random evidence sets to try.
        shrink: Whether to shrink a failing evidence set to a minimal one
            (clearer reports; slower to fail).

    Raises:
        ContractError: The first breach found, with the evidence that shows it.

    Example:
        >>> from leadlife.plugins import Registry
        >>> from leadlife.qualification import BANT
        >>> from leadlife.testing import check_criterion
        >>> check_criterion(Registry(autoload=False).criterion("budget"), max_examples=20)
    """
    if not isinstance(criterion, Criterion):
        raise _fail(criterion, "is not a Criterion: it needs a key, a question and __call__")
    if not check.valid_key(criterion.key):
        raise _fail(criterion, f"key {criterion.key!r} is not lower_snake_case")
    question: object = criterion.question  # a plugin may declare anything
    if not isinstance(question, str) or not question.strip():
        raise _fail(criterion, "has no question")

    # Nothing asked at all: the commonest evidence, and the quickest to report.
    first = _judge_once(criterion, _EMPTY, _SOME_TIME)
    if _judge_once(criterion, _EMPTY, _SOME_TIME) != first:
        raise _fail(criterion, "judged the same evidence twice, differently: Evidence()")
    if first.verdict is Verdict.NOT_MET:
        raise _fail(criterion, "said 'not met' when nothing was asked; that is unknown")

    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    @given(found=evidence(), at=aware_datetimes())
    def behaves(found: Evidence, at: object) -> None:
        first = _judge_once(criterion, found, at)
        if _judge_once(criterion, found, at) != first:
            raise _fail(criterion, f"judged the same evidence twice, differently: {found!r}")

    behaves()

    @settings(max_examples=max(10, max_examples // 10), deadline=None)
    @given(at=aware_datetimes())
    def unknown_is_not_no(at: object) -> None:
        if _judge_once(criterion, _EMPTY, at).verdict is Verdict.NOT_MET:
            raise _fail(criterion, "said 'not met' when nothing was asked; that is unknown")

    unknown_is_not_no()


def check_framework(framework: Framework, *, max_examples: int = 100) -> None:
    """Check every criterion of ``framework``, and that it decides on any evidence.

    With no evidence at all, a framework must not conclude "qualified" (nobody
    asked anything) and must list questions to ask.

    Raises:
        ContractError: The first breach found.

    Example:
        >>> from leadlife.qualification import BANT
        >>> from leadlife.testing import check_framework
        >>> check_framework(BANT, max_examples=10)
    """
    for criterion in framework.criteria:
        check_criterion(criterion, max_examples=max_examples)

    @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(found=evidence(), at=aware_datetimes())
    def decides(found: Evidence, at: object) -> None:
        assessment = framework.assess(found, at=at)  # type: ignore[arg-type]
        if not 0 <= assessment.score <= 1:
            raise _fail(framework, f"scored {assessment.score}")

    decides()
    empty = framework.assess(_EMPTY, at=_SOME_TIME)
    if empty.outcome is Outcome.QUALIFIED or not empty.next_questions:
        raise _fail(framework, "qualified a lead nobody asked anything, or had no questions")
