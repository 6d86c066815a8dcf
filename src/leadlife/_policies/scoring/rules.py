"""The parts of a scoring model: rules on facts and on activities, groups with caps, decay.

A fit rule reads a fact of the record (its company's size, its source...)
and gives its points once; an activity rule gives its points for every
activity that matches, each decayed by its age. Every point a score holds
comes from one :class:`Contribution`, which names the rule and the fact or
the activity that fired it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any, Protocol, runtime_checkable

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.activity import Activity
from leadlife._policies.scoring.facts import FACTS, fact


class Axis(StrEnum):
    """What a score measures: who they are (fit), or what they do (engagement).

    Example:
        >>> from leadlife.scoring import Axis
        >>> Axis.FIT.value, Axis.ENGAGEMENT.value
        ('fit', 'engagement')
    """

    FIT = "fit"
    """Who they are: the facts on the record (firmographics, role, source)."""
    ENGAGEMENT = "engagement"
    """What they do: activities, each worth less as it ages."""


def _points(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value == 0
    ):
        check.refuse(instance, attribute, value, "a finite number of points, not 0")


def _values(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(value)
    return value


def _some_texts(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, frozenset)
        or not value
        or not all(isinstance(item, str) and item.strip() for item in value)
    ):
        check.refuse(instance, attribute, value, "one or more values, as text")


def _fact(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in FACTS:
        check.refuse(instance, attribute, value, f"a fact: {', '.join(FACTS)}")


@attrs.frozen(kw_only=True)
class Contribution:
    """Points a score holds, and what gave them.

    Attributes:
        rule: The rule's key (or ``"<group> cap"`` for a group's cap).
        axis: Fit or engagement.
        points: The points, after decay.
        because: Why, in words.
        fact: The fact that fired a fit rule, as ``"name=value"``.
        activity: The activity that fired an engagement rule.
        group: The rule's group, if it has one.

    Example:
        >>> from leadlife.scoring import Axis, Contribution
        >>> Contribution(
        ...     rule="large", axis=Axis.FIT, points=20.0, because="company.size is 250-999"
        ... ).points
        20.0
    """

    rule: str = attrs.field(validator=check.text)
    axis: Axis = attrs.field(validator=check.instance_of(Axis, "an Axis"))
    points: float = attrs.field(validator=check.instance_of(float, "a float"))
    because: str = attrs.field(validator=check.text)
    fact: str | None = attrs.field(default=None, validator=optional(check.text))
    activity: Activity | None = attrs.field(
        default=None, validator=optional(check.instance_of(Activity, "an Activity"))
    )
    group: str | None = attrs.field(default=None, validator=optional(check.key))


@runtime_checkable
class ScoringRule(Protocol):
    """What a scoring rule is: declared (:class:`FactRule`, :class:`ActivityRule`) or code.

    A rule of your own (a plugin's, under the entry-point group
    ``leadlife.scoring_rules``) has a lower_snake_case ``key``, the
    :class:`Axis` it scores, the ``group`` whose limits it counts towards
    (or ``None``), and gives its contributions for a record, the person's
    activities and a moment: pure (the same inputs, the same contributions,
    whatever the order of the activities) and blind to activities after the
    moment. :func:`leadlife.testing.check_scoring_rule` checks all of that.

    Example:
        >>> from leadlife.scoring import FactRule, ScoringRule
        >>> isinstance(
        ...     FactRule(key="big", fact="company.size", values=["1000+"], points=5), ScoringRule
        ... )
        True
    """

    @property
    def key(self) -> str:
        """The rule's name, lower_snake_case."""

    @property
    def axis(self) -> Axis:
        """What it scores: fit or engagement."""

    @property
    def group(self) -> str | None:
        """The group whose limits it counts towards."""

    def contributions(
        self, record: Record, activities: Sequence[Activity], at: datetime, decay: Decay | None
    ) -> Iterable[Contribution]:
        """Its contributions to the score of ``record`` at ``at``, each with its reason."""


@attrs.frozen(kw_only=True)
class FactRule:
    """Points for a fact of the record: once, if its value is one of ``values``.

    Args:
        key: The rule's name (lower_snake_case), unique in its model.
        fact: Which fact (see :data:`~leadlife.scoring.FACTS`):
            ``"company.size"``, ``"contact.role"``, ``"email.domain"``...
        values: The values that fire it, as text (an enum's value:
            ``"250-999"``, ``"economic_buyer"``); ``"unknown"`` fires it for
            a fact nobody knows.
        points: What it gives; negative to take points away.
        group: The group whose cap it counts towards.

    Example:
        >>> from leadlife.scoring import FactRule
        >>> FactRule(key="big", fact="company.size", values=["250-999", "1000+"], points=20).points
        20
    """

    key: str = attrs.field(validator=check.key)
    fact: str = attrs.field(validator=_fact)
    values: frozenset[str] = attrs.field(converter=_values, validator=_some_texts)
    points: float = attrs.field(validator=_points)
    group: str | None = attrs.field(default=None, validator=optional(check.key))

    axis = Axis.FIT

    def contributions(
        self,
        record: Record,
        activities: Sequence[Activity] = (),  # noqa: ARG002 - a fit rule reads the record only
        at: datetime | None = None,  # noqa: ARG002
        decay: Decay | None = None,  # noqa: ARG002
    ) -> Iterable[Contribution]:
        """Its points for ``record``, if the fact's value is one of its values."""
        value = fact(record, self.fact)
        if value in self.values:
            yield Contribution(
                rule=self.key,
                axis=Axis.FIT,
                points=float(self.points),
                because=f"{self.fact} is {value}",
                fact=f"{self.fact}={value}",
                group=self.group,
            )


@attrs.frozen(kw_only=True)
class DecayStep:
    """From ``after`` on, an activity keeps ``keep`` of its points.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.scoring import DecayStep
        >>> DecayStep(after=timedelta(days=30), keep=0.75).keep
        0.75
    """

    after: timedelta = attrs.field(validator=check.positive_duration)
    keep: float = attrs.field(validator=check.probability)


def _steps(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


def _ordered(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(step, DecayStep) for step in value):
        check.refuse(instance, attribute, value, "DecayStep objects")
    if any(a.after >= b.after or a.keep < b.keep for a, b in pairwise(value)):
        check.refuse(
            instance,
            attribute,
            value,
            "steps later and later, each keeping no more than the one before",
        )
    if (instance.half_life is None) == (not value):
        check.refuse(
            instance, attribute, value, "either a half-life or steps, not both nor neither"
        )


@attrs.frozen(kw_only=True)
class Decay:
    """How an activity's points fade with its age: by a half-life, or by steps.

    Args:
        half_life: Points halve every ``half_life``.
        steps: HubSpot-style: after each step's age, the activity keeps that
            share (``[(1 month, 0.75), (3 months, 0.5), (6, 0.25), (12, 0)]``).

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.scoring import Decay, DecayStep
        >>> Decay(half_life=timedelta(days=30)).factor(timedelta(days=60))
        0.25
        >>> steps = Decay(steps=[DecayStep(after=timedelta(days=30), keep=0.5)])
        >>> steps.factor(timedelta(days=29)), steps.factor(timedelta(days=30))
        (1.0, 0.5)
    """

    half_life: timedelta | None = attrs.field(
        default=None, validator=optional(check.positive_duration)
    )
    steps: tuple[DecayStep, ...] = attrs.field(default=(), converter=_steps, validator=_ordered)

    def factor(self, age: timedelta) -> float:
        """The share of its points an activity ``age`` old keeps."""
        if self.half_life is not None:
            return float(0.5 ** (age / self.half_life))
        kept = 1.0
        for step in self.steps:
            if age < step.after:
                break
            kept = step.keep
        return kept


@attrs.frozen(kw_only=True)
class ActivityRule:
    """Points for each activity of a kind (and detail), decayed by its age.

    Args:
        key: The rule's name (lower_snake_case), unique in its model.
        kind: The activity's kind (:class:`~leadlife.scoring.ActivityKind` or
            a team's own key).
        points: What each activity gives, new; negative for a bounce or an
            unsubscribe.
        detail: Only activities with this detail (``"/pricing"``).
        limit: Counts at most this many (the latest).
        within: Counts only activities at most this old.
        group: The group whose cap it counts towards.

    Example:
        >>> from leadlife.scoring import ActivityRule
        >>> ActivityRule(
        ...     key="pricing", kind="page_view", detail="/pricing", points=10
        ... ).limit is None
        True
    """

    key: str = attrs.field(validator=check.key)
    kind: str = attrs.field(validator=check.key)
    points: float = attrs.field(validator=_points)
    detail: str | None = attrs.field(default=None, validator=optional(check.text))
    limit: int | None = attrs.field(
        default=None, validator=optional(check.whole_number(1, "an int >= 1"))
    )
    within: timedelta | None = attrs.field(
        default=None, validator=optional(check.positive_duration)
    )
    group: str | None = attrs.field(default=None, validator=optional(check.key))

    axis = Axis.ENGAGEMENT

    def contributions(
        self,
        record: Record,  # noqa: ARG002 - an activity rule reads the activities only
        activities: Sequence[Activity],
        at: datetime,
        decay: Decay | None,
    ) -> Iterable[Contribution]:
        """Its points for the activities up to ``at``: the latest first, each decayed."""
        matching = sorted(
            (
                activity
                for activity in activities
                if activity.kind == self.kind
                and activity.at <= at
                and (self.detail is None or activity.detail == self.detail)
                and (self.within is None or at - activity.at <= self.within)
            ),
            key=lambda activity: activity.at,
            reverse=True,
        )
        for activity in matching[: self.limit]:
            age = at - activity.at
            kept = 1.0 if decay is None else decay.factor(age)
            if kept == 0:
                continue  # decayed away: it gives nothing, and says nothing
            what = activity.kind + (f" {activity.detail}" if activity.detail else "")
            because = f"{what} on {activity.at:%Y-%m-%d}"
            if kept != 1:
                because += f", {age.days} days old: {self.points:g} x {kept:.2f}"
            yield Contribution(
                rule=self.key,
                axis=Axis.ENGAGEMENT,
                points=float(self.points) * kept,
                because=because,
                activity=activity,
                group=self.group,
            )


@attrs.frozen(kw_only=True)
class Group:
    """Rules that count together, within limits: HubSpot's score groups.

    Args:
        key: The group's name, as the rules name it.
        cap: The most its rules give together.
        floor: The most they take away together (a negative number).

    Example:
        >>> from leadlife.scoring import Group
        >>> Group(key="web", cap=20).cap
        20
    """

    key: str = attrs.field(validator=check.key)
    cap: float | None = attrs.field(default=None)
    floor: float | None = attrs.field(default=None)

    @cap.validator
    def _cap(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not 0 <= value < math.inf
        ):
            check.refuse(self, attribute, value, "a number of points >= 0, or None")

    @floor.validator
    def _floor(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not -math.inf < value <= 0
        ):
            check.refuse(self, attribute, value, "a number of points <= 0, or None")
        if value is None and self.cap is None:
            check.refuse(self, attribute, value, "a cap, a floor or both: a group limits its rules")

    def limited(self, given: float, axis: Axis) -> Contribution | None:
        """What the group's limits take off (or give back to) ``given`` points, if anything."""
        limit = None
        if self.cap is not None and given > self.cap:
            limit, word = self.cap, "capped"
        elif self.floor is not None and given < self.floor:
            limit, word = self.floor, "floored"
        if limit is None:
            return None
        return Contribution(
            rule=f"{self.key} cap",
            axis=axis,
            points=float(limit) - given,
            because=f"group {self.key} is {word} at {limit:g} (its rules gave {given:g})",
            group=self.key,
        )
