"""Contract checks for plugin authors: do criteria, frameworks and rules behave as needed?

Recycling rules and scoring rules both; each check draws examples with Hypothesis.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.actions import DueAction
from leadlife._core.values.activity import Activity
from leadlife._core.values.assessment import Outcome
from leadlife._core.values.evidence import Evidence
from leadlife._core.values.judgement import Judgement, Verdict
from leadlife._funnel.base import Funnel
from leadlife._funnel.table import table
from leadlife._policies.checks.check import NEEDABLE
from leadlife._policies.criterion import Criterion
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.framework import Framework
from leadlife._policies.recycling import RecyclingRule
from leadlife._policies.scoring.rules import Axis, Contribution, ScoringRule
from leadlife.testing._strategies import activities, aware_datetimes, evidence, records

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


def _propose_once(rule: RecyclingRule, record: Record, at: datetime) -> DueAction | None:
    try:
        action = rule(record, at)
    except Exception as error:
        raise _fail(rule, f"raised {type(error).__name__}: {error} on {record!r}") from error
    if action is not None and not isinstance(action, DueAction):
        raise _fail(rule, f"returned {action!r}, not a DueAction or None")
    return action


def check_rule(
    rule: RecyclingRule,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    max_examples: int = 200,
    shrink: bool = True,
) -> None:
    """Check that recycling ``rule`` keeps leadlife's contract for ``funnel``; raise if not.

    It must satisfy the :class:`~leadlife.recycling.RecyclingRule` protocol
    with a lower_snake_case key, watch only stages the funnel has, and propose
    only moves the funnel allows from them; a rule that ``needs`` a field of a
    record must propose nothing for a record where that field is unset (the
    agenda skips it there). For any record in one of its stages and any time,
    it must return ``None`` or a
    :class:`~leadlife.agenda.DueAction` for that record, naming the rule as
    its source, due no later than the time asked about, without raising, and
    the same one every time (pure and deterministic).

    Args:
        rule: The rule to check.
        funnel: The funnel it is meant for.
        max_examples: How many random records to try.
        shrink: Whether to shrink a failing record to a minimal one (clearer
            reports; records are large, so a failure takes a minute to shrink).

    Raises:
        ContractError: The first breach found, with the record that shows it.

    Example:
        >>> from leadlife.recycling import LostToNurture
        >>> from leadlife.testing import check_rule
        >>> from leadlife.funnels import DefaultFunnel
        >>> check_rule(DefaultFunnel.rules[0], max_examples=20)
    """
    if not isinstance(rule, RecyclingRule):
        raise _fail(rule, "is not a RecyclingRule: it needs a key, stages and __call__")
    if not check.valid_key(rule.key):
        raise _fail(rule, f"key {rule.key!r} is not lower_snake_case")
    found = table(funnel)
    stages: object = rule.stages  # a plugin may declare anything
    if not isinstance(stages, frozenset | set) or not stages:
        raise _fail(rule, "watches no stages: stages must be a non-empty set")
    if unknown := sorted(str(stage) for stage in stages if stage not in found.allowed):
        raise _fail(rule, f"watches {unknown}, which funnel {funnel.__name__} does not have")
    needs = _needs(rule)
    watched = sorted(str(stage) for stage in stages)
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    @given(found_record=records(), stage=_sampled(watched), at=aware_datetimes())
    def proposes(found_record: Record, stage: str, at: datetime) -> None:
        if found_record.updated_at > at:
            return
        record = _in_stage(found_record, stage)
        action = _propose_once(rule, record, at)
        if _propose_once(rule, record, at) != action:
            raise _fail(rule, f"proposed differently for the same record and time: {record!r}")
        if action is not None:
            if needs is not None and not getattr(record, needs, None):
                raise _fail(
                    rule,
                    f"proposed {action!r} for a record whose {needs} is unset, though it needs "
                    "it (the agenda would skip it there)",
                )
            _check_action(rule, action, record, at, found.allowed[stage])

    proposes()


def _needs(rule: RecyclingRule) -> str | None:
    """The field the rule says it needs (a speed hint), if it names one a record has."""
    needs: str | None = getattr(rule, "needs", None)
    if needs is not None and needs not in NEEDABLE:
        raise _fail(rule, f"needs {needs!r}, which no record has")
    return needs


def _check_action(
    rule: RecyclingRule, action: DueAction, record: Record, at: datetime, allowed: tuple[str, ...]
) -> None:
    if action.record_id != record.id or action.source != rule.key:
        raise _fail(rule, f"proposed {action!r} for {record.id}: not its record or its key")
    if action.due_at > at:
        raise _fail(rule, f"proposed an action due at {action.due_at}, after {at}")
    if action.event is not None and action.event not in allowed:
        raise _fail(
            rule,
            f"proposed {action.event!r} from {record.stage!r}, which allows "
            f"{', '.join(allowed) or 'nothing'}",
        )


def _sampled(stages: list[str]) -> Any:
    return st.sampled_from(stages)


def _in_stage(record: Record, stage: str) -> Record:
    return attrs.evolve(record, stage=stage)


def _contributions_once(
    rule: ScoringRule, record: Record, activities: list[Activity], at: datetime
) -> list[Contribution]:
    try:
        given = list(rule.contributions(record, activities, at, None))
    except Exception as error:
        raise _fail(rule, f"raised {type(error).__name__}: {error} on {record!r}") from error
    for part in given:
        if not isinstance(part, Contribution):
            raise _fail(rule, f"gave {part!r}, not a Contribution")
        if (part.rule, part.axis, part.group) != (rule.key, rule.axis, rule.group):
            raise _fail(
                rule,
                f"gave a contribution of rule {part.rule!r}, axis {part.axis.value}, group "
                f"{part.group!r}; it is {rule.key!r}, {rule.axis.value}, {rule.group!r}",
            )
        if not math.isfinite(part.points):
            raise _fail(rule, f"gave {part.points} points")
    return sorted(given, key=lambda part: (part.points, part.because))


def check_scoring_rule(rule: ScoringRule, *, max_examples: int = 200, shrink: bool = True) -> None:
    """Check that scoring ``rule`` keeps leadlife's contract; raise if not.

    It must satisfy the :class:`~leadlife.scoring.ScoringRule` protocol with
    a lower_snake_case key, an :class:`~leadlife.scoring.Axis` and a group
    (a key, or ``None``). For any record, stream of activities and moment, it
    must give :class:`~leadlife.scoring.Contribution` objects of its own key,
    axis and group with finite points, without raising; the same ones every
    time, whatever the order of the activities; and none of them may depend
    on an activity after the moment (a score is the one the moment had).

    Args:
        rule: The rule to check.
        max_examples: How many random records and streams to try.
        shrink: Whether to shrink a failing example to a minimal one.

    Raises:
        ContractError: The first breach found, with the example that shows it.

    Example:
        >>> from leadlife.scoring import ActivityRule
        >>> from leadlife.testing import check_scoring_rule
        >>> check_scoring_rule(
        ...     ActivityRule(key="demo", kind="form_fill", points=30), max_examples=20
        ... )
    """
    if not isinstance(rule, ScoringRule):
        raise _fail(
            rule, "is not a ScoringRule: it needs a key, an axis, a group and contributions"
        )
    if not check.valid_key(rule.key):
        raise _fail(rule, f"key {rule.key!r} is not lower_snake_case")
    if not isinstance(rule.axis, Axis):
        raise _fail(rule, f"axis {rule.axis!r} is not an Axis")
    if rule.group is not None and not check.valid_key(rule.group):
        raise _fail(rule, f"group {rule.group!r} is not lower_snake_case")
    phases = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if shrink else [])
    # Mostly before the moment, and often after it (half the draws), so that a rule that
    # reads the future is caught in a few dozen examples: days before it, from -30 to 400.
    days = st.integers(min_value=-30, max_value=400) | st.integers(min_value=-30, max_value=-1)
    moments = days.map(lambda d: _SOME_TIME - timedelta(d))

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=phases,
    )
    @given(
        record=records(),
        stream=st.lists(activities(at=moments), max_size=20),
        order=st.randoms(use_true_random=False),
    )
    def scores(record: Record, stream: list[Activity], order: Any) -> None:
        given = _contributions_once(rule, record, stream, _SOME_TIME)
        shuffled = list(stream)
        order.shuffle(shuffled)
        if _contributions_once(rule, record, shuffled, _SOME_TIME) != given:
            raise _fail(
                rule, f"scored differently for the same activities in another order: {record!r}"
            )
        past = [activity for activity in stream if activity.at <= _SOME_TIME]
        if _contributions_once(rule, record, past, _SOME_TIME) != given:
            raise _fail(rule, f"counted an activity after the moment it scored: {stream!r}")

    scores()
