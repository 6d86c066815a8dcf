"""Decision policies: how a framework turns verdicts into an outcome.

Every policy is honest about unknowns: it says QUALIFIED only when the met
criteria already suffice, NOT_QUALIFIED only when no answer to the open
questions could save it, and INSUFFICIENT_EVIDENCE in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol, runtime_checkable

import attrs

from leadlife._core.support import validation as check
from leadlife._core.values.assessment import Outcome
from leadlife._core.values.judgement import Verdict


@runtime_checkable
class Policy(Protocol):
    """Decides an outcome from a framework's judgements.

    Example:
        >>> from leadlife.qualification import AllOf, Policy
        >>> isinstance(AllOf(), Policy)
        True
    """

    def decide(self, verdicts: Mapping[str, Verdict]) -> Outcome:
        """The outcome of these verdicts, by criterion key."""
        ...

    def weight(self, criterion: str) -> float:
        """How much ``criterion`` counts in the score (1 unless weighted)."""
        ...

    def describe(self) -> str:
        """The rule in words, for docs and reports."""
        ...


def _count(verdicts: Iterable[Verdict], verdict: Verdict) -> int:
    return sum(1 for v in verdicts if v is verdict)


@attrs.frozen
class AllOf:
    """Qualified when every criterion is met.

    Example:
        >>> from leadlife.qualification import AllOf, Verdict
        >>> AllOf().decide({"need": Verdict.MET, "budget": Verdict.UNKNOWN}).value
        'insufficient_evidence'
    """

    def decide(self, verdicts: Mapping[str, Verdict]) -> Outcome:
        """Any no decides; all yes qualifies."""
        if _count(verdicts.values(), Verdict.NOT_MET):
            return Outcome.NOT_QUALIFIED
        if _count(verdicts.values(), Verdict.UNKNOWN):
            return Outcome.INSUFFICIENT_EVIDENCE
        return Outcome.QUALIFIED

    def weight(self, criterion: str) -> float:  # noqa: ARG002 - all count the same
        """Every criterion counts 1."""
        return 1.0

    def describe(self) -> str:
        """The rule in words."""
        return "all criteria met"


_positive = check.whole_number(1, "a positive int")


@attrs.frozen
class AtLeast:
    """Qualified when at least ``count`` criteria are met (IBM's BANT: 3 of 4).

    Example:
        >>> from leadlife.qualification import AtLeast, Verdict
        >>> verdicts = {k: Verdict.MET for k in ("budget", "need", "timeline")}
        >>> AtLeast(3).decide({**verdicts, "authority": Verdict.NOT_MET}).value
        'qualified'
    """

    count: int = attrs.field(validator=_positive)

    def decide(self, verdicts: Mapping[str, Verdict]) -> Outcome:
        """Enough yes qualifies; too many no decide."""
        met = _count(verdicts.values(), Verdict.MET)
        if met >= self.count:
            return Outcome.QUALIFIED
        if met + _count(verdicts.values(), Verdict.UNKNOWN) < self.count:
            return Outcome.NOT_QUALIFIED
        return Outcome.INSUFFICIENT_EVIDENCE

    def weight(self, criterion: str) -> float:  # noqa: ARG002 - all count the same
        """Every criterion counts 1."""
        return 1.0

    def describe(self) -> str:
        """The rule in words."""
        return f"at least {self.count} criteria met"


def _weights(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(
        isinstance(w, int | float) and not isinstance(w, bool) and w > 0 for w in value.values()
    ):
        check.refuse(instance, attribute, dict(value), "positive weights by criterion key")


def _threshold(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        check.refuse(instance, attribute, value, "a threshold above 0 and at most 1")


def _frozen_weights(value: Mapping[str, float]) -> Mapping[str, float]:
    return dict(value)


@attrs.frozen
class Weighted:
    """Qualified when the weight of the met criteria reaches ``threshold`` of the total.

    Criteria not in ``weights`` weigh 1.

    Example:
        >>> from leadlife.qualification import Verdict, Weighted
        >>> policy = Weighted(0.7, weights={"metrics": 2, "champion": 2})
        >>> policy.decide(
        ...     {"metrics": Verdict.MET, "champion": Verdict.MET, "paper_process": Verdict.NOT_MET}
        ... ).value
        'qualified'
    """

    threshold: float = attrs.field(validator=_threshold)
    weights: Mapping[str, float] = attrs.field(
        factory=dict, converter=_frozen_weights, validator=_weights, eq=False, hash=False
    )

    def weight(self, criterion: str) -> float:
        """The weight of ``criterion``."""
        return float(self.weights.get(criterion, 1.0))

    def decide(self, verdicts: Mapping[str, Verdict]) -> Outcome:
        """Enough weight met qualifies; too much weight not met decides."""
        total = sum(self.weight(key) for key in verdicts)
        met = sum(self.weight(key) for key, v in verdicts.items() if v is Verdict.MET)
        open_ = sum(self.weight(key) for key, v in verdicts.items() if v is Verdict.UNKNOWN)
        if total and met / total >= self.threshold:
            return Outcome.QUALIFIED
        if not total or (met + open_) / total < self.threshold:
            return Outcome.NOT_QUALIFIED
        return Outcome.INSUFFICIENT_EVIDENCE

    def describe(self) -> str:
        """The rule in words."""
        heavier = ", ".join(f"{k} x{w:g}" for k, w in self.weights.items())
        return f"weighted score at least {self.threshold:.0%}" + (
            f" ({heavier})" if heavier else ""
        )


def _keys(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or not value:
        check.refuse(instance, attribute, value, "a non-empty set of criterion keys")


def _to_keys(value: Any) -> frozenset[str]:
    return check.to_text_set(value)


@attrs.frozen
class MustHave:
    """Qualified when every must-have is met and ``nice_needed`` of the others are.

    Example:
        >>> from leadlife.qualification import MustHave, Verdict
        >>> policy = MustHave(must={"need", "desire"}, nice_needed=1)
        >>> policy.decide(
        ...     {"need": Verdict.MET, "desire": Verdict.NOT_MET, "budget": Verdict.MET}
        ... ).value
        'not_qualified'
    """

    must: frozenset[str] = attrs.field(converter=_to_keys, validator=[check.converted, _keys])
    nice_needed: int = attrs.field(default=0, validator=check.instance_of(int, "an int >= 0"))

    def decide(self, verdicts: Mapping[str, Verdict]) -> Outcome:
        """A must-have no decides; otherwise count the nice-to-haves."""
        musts = [v for key, v in verdicts.items() if key in self.must]
        nice = [v for key, v in verdicts.items() if key not in self.must]
        nice_met = _count(nice, Verdict.MET)
        if (
            _count(musts, Verdict.NOT_MET)
            or nice_met + _count(nice, Verdict.UNKNOWN) < self.nice_needed
        ):
            return Outcome.NOT_QUALIFIED
        if _count(musts, Verdict.UNKNOWN) or nice_met < self.nice_needed:
            return Outcome.INSUFFICIENT_EVIDENCE
        return Outcome.QUALIFIED

    def weight(self, criterion: str) -> float:
        """Must-haves weigh 2, the others 1."""
        return 2.0 if criterion in self.must else 1.0

    def describe(self) -> str:
        """The rule in words."""
        musts = ", ".join(sorted(self.must))
        return f"all of {musts}, and {self.nice_needed} of the others"
