"""A framework: named criteria and a policy that decides from their verdicts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.errors import CriterionError
from leadlife._core.values.assessment import Assessment, Outcome, Question
from leadlife._core.values.evidence import AnswerStatus, Evidence
from leadlife._core.values.judgement import Judgement, Verdict
from leadlife._policies.criterion import Criterion
from leadlife._policies.outcomes import MustHave, Policy, Weighted


def _to_criteria(value: Sequence[Criterion]) -> tuple[Criterion, ...]:
    if not isinstance(value, list | tuple) or not value:
        return check.refused(value, "a non-empty list of criteria")  # type: ignore[no-any-return]
    for item in value:
        if not isinstance(item, Criterion) or not isinstance(getattr(item, "key", None), str):
            return check.refused(item, "a Criterion (a key, a question, callable)")  # type: ignore[no-any-return]
    keys = [item.key for item in value]
    if len(set(keys)) != len(keys):
        return check.refused(keys, "criteria with distinct keys")  # type: ignore[no-any-return]
    return tuple(value)


def _policy(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Policy):
        check.refuse(instance, attribute, value, "a Policy (AllOf, AtLeast, Weighted, MustHave...)")
    keys = {c.key for c in instance.criteria}
    named: set[str] = set()
    if isinstance(value, MustHave):
        named = set(value.must)
    elif isinstance(value, Weighted):
        named = set(value.weights)
    if unknown := named - keys:
        check.refuse(
            instance, attribute, value, f"a policy naming only its criteria, not {sorted(unknown)}"
        )


@attrs.frozen(kw_only=True)
class Framework:
    """A named set of criteria and the policy that decides from their verdicts.

    Args:
        key: A stable lower_snake_case key (``"bant"``).
        name: A human name (``"BANT"``).
        criteria: The criteria, in the order to ask them.
        policy: How verdicts become an outcome (:class:`~leadlife.qualification.AllOf`,
            :class:`~leadlife.qualification.AtLeast`, :class:`~leadlife.qualification.Weighted`,
            :class:`~leadlife.qualification.MustHave`).
        description: Where it comes from and what it stresses.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import Contact, DecisionRole, Money
        >>> from leadlife.qualification import (
        ...     BANT,
        ...     Budget,
        ...     Evidence,
        ...     Fact,
        ...     Method,
        ...     Provenance,
        ...     Stakeholder,
        ...     Timeline,
        ... )
        >>> said = Provenance(
        ...     recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.CALL
        ... )
        >>> evidence = Evidence(
        ...     budget=Budget.exactly(Money.of("25000", "EUR"), provenance=said),
        ...     need=Fact(holds=True, detail="closing the books takes 9 days", provenance=said),
        ...     timeline=Timeline(by=date(2026, 6, 30), provenance=said),
        ... )
        >>> assessment = BANT.assess(evidence, at=datetime(2026, 3, 2, tzinfo=UTC))
        >>> assessment.outcome.value, assessment.score
        ('qualified', 0.75)
        >>> [q.question for q in assessment.next_questions]
        ['Are we talking to someone who can decide?']
    """

    key: str = attrs.field(validator=check.key)
    name: str = attrs.field(validator=check.text)
    criteria: tuple[Criterion, ...] = attrs.field(converter=_to_criteria, validator=check.converted)
    policy: Policy = attrs.field(validator=_policy)
    description: str | None = attrs.field(default=None, validator=optional(check.text))

    def assess(self, evidence: Evidence, *, at: datetime) -> Assessment:
        """Judge ``evidence`` with every criterion, as of ``at``, and decide.

        Raises:
            ValidationError: ``evidence`` is not an :class:`~leadlife.qualification.Evidence`, or
                ``at`` is naive.
            CriterionError: A criterion raised, or returned something other
                than a :class:`~leadlife.qualification.Judgement` of its own key.
        """
        check.argument(
            "Framework.assess", "evidence", evidence, check.instance_of(Evidence, "an Evidence")
        )
        check.argument("Framework.assess", "at", at, check.aware_datetime)
        judgements = tuple(self._judge(criterion, evidence, at) for criterion in self.criteria)
        outcome = self.policy.decide({j.criterion: j.verdict for j in judgements})
        total = sum(self.policy.weight(j.criterion) for j in judgements)
        met = sum(self.policy.weight(j.criterion) for j in judgements if j.verdict is Verdict.MET)
        return Assessment(
            framework=self.key,
            at=at,
            evidence=evidence,
            judgements=judgements,
            outcome=outcome,
            score=met / total,
            next_questions=self._questions(judgements, outcome),
        )

    @staticmethod
    def _judge(criterion: Criterion, evidence: Evidence, at: datetime) -> Judgement:
        try:
            judgement = criterion(evidence, at)
        except Exception as error:  # a plugin's bug must name the plugin
            raise CriterionError(
                criterion=criterion.key, problem=f"raised {type(error).__name__}: {error}"
            ) from error
        returned: object = judgement  # a plugin may return anything
        if not isinstance(returned, Judgement) or returned.criterion != criterion.key:
            raise CriterionError(
                criterion=criterion.key,
                problem=f"returned {judgement!r}, not a Judgement of its own key",
            )
        return judgement

    def _questions(
        self, judgements: tuple[Judgement, ...], outcome: Outcome
    ) -> tuple[Question, ...]:
        """The unknowns, ordered by how much their answer could change the outcome.

        A question is *decisive* when one of its answers alone changes the
        outcome. Its *influence* is the share of the ways the other open
        questions could be answered in which its answer decides the outcome
        (a Banzhaf power index over the open questions).

        What can be asked now comes first: questions nobody has asked, then
        those they won't answer (ask someone else), then those they can't
        answer yet (ask again later). Within each, decisive questions come
        first, then by influence, then by weight, then in the framework's
        order.
        """
        verdicts = {j.criterion: j.verdict for j in judgements}
        silences = {j.criterion: j.no_answer for j in judgements}
        open_ = [key for key, verdict in verdicts.items() if verdict is Verdict.UNKNOWN]
        ranked = []
        for position, criterion in enumerate(self.criteria):
            if criterion.key not in open_:
                continue
            decisive = any(
                self.policy.decide({**verdicts, criterion.key: answer}) is not outcome
                for answer in (Verdict.MET, Verdict.NOT_MET)
            )
            others = [key for key in open_ if key != criterion.key]
            influence = self._influence(verdicts, criterion.key, others)
            question = Question(
                criterion=criterion.key,
                question=criterion.question,
                decisive=decisive,
                influence=influence,
                no_answer=silences[criterion.key],
            )
            weight = self.policy.weight(criterion.key)
            asked = _ASKING_ORDER[question.status]
            ranked.append(((asked, not decisive, -influence, -weight, position), question))
        return tuple(question for _, question in sorted(ranked, key=lambda pair: pair[0]))

    def _influence(self, verdicts: dict[str, Verdict], key: str, others: list[str]) -> float:
        """The share of answers to ``others`` in which ``key``'s answer decides the outcome."""
        # Beyond this many other open questions, the count doubles past
        # usefulness: judge on a sample of the first ones instead.
        others = others[:_MAX_OTHERS]
        swings: int = 0
        for bits in range(2 ** len(others)):
            answers = {
                other: Verdict.MET if bits >> n & 1 else Verdict.NOT_MET
                for n, other in enumerate(others)
            }
            met = self.policy.decide({**verdicts, **answers, key: Verdict.MET})
            not_met = self.policy.decide({**verdicts, **answers, key: Verdict.NOT_MET})
            swings += int(met is not not_met)
        return swings / float(2 ** len(others))


_MAX_OTHERS = 6

# What a salesperson can ask now first: the untried, then someone else, then later.
_ASKING_ORDER = {
    AnswerStatus.NOT_ASKED: 0,
    AnswerStatus.WONT_SAY: 1,
    AnswerStatus.DONT_KNOW: 2,
}
