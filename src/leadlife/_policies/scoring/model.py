"""A scoring model, declared as data, and the score it gives a record at a moment.

The model's rules read the record's facts (fit) and the person's activities
(engagement), each activity worth less as it ages; groups cap what their
rules give together; a grade matrix turns the two axes into ``A1``-``D4``.
A score is a pure function of the record, the activities and the moment:
the same inputs, the same score, whatever their order, and nothing after
the moment counts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.display import Grid, ShownAsGrid
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.activity import Activity
from leadlife._policies.scoring.rules import (
    ActivityRule,
    Axis,
    Contribution,
    Decay,
    FactRule,
    Group,
    ScoringRule,
)

if TYPE_CHECKING:
    from leadlife._policies.registry import Registry

_LETTERS = "ABCD"


def _bounds(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 3  # noqa: PLR2004 - three bounds make four grades
        or not all(
            not isinstance(bound, bool) and isinstance(bound, int | float) and math.isfinite(bound)
            for bound in value
        )
        or not value[0] > value[1] > value[2]
    ):
        check.refuse(instance, attribute, value, "three falling bounds, such as (60, 40, 20)")


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@attrs.frozen(kw_only=True)
class Grades:
    """The grade matrix: a letter for fit (A best), a digit for engagement (1 best).

    Args:
        fit: The least fit for A, B and C (below the last: D).
        engagement: The least engagement for 1, 2 and 3 (below the last: 4).

    Example:
        >>> from leadlife.scoring import Grades
        >>> Grades(fit=(60, 40, 20), engagement=(50, 25, 10)).grade(45, 12)
        'B3'
    """

    fit: tuple[float, float, float] = attrs.field(converter=_tuple, validator=_bounds)
    engagement: tuple[float, float, float] = attrs.field(converter=_tuple, validator=_bounds)

    def grade(self, fit: float, engagement: float) -> str:
        """The grade of a fit and an engagement score: ``"A1"`` to ``"D4"``."""
        letter = _LETTERS[sum(fit < bound for bound in self.fit)]
        digit = 1 + sum(engagement < bound for bound in self.engagement)
        return f"{letter}{digit}"


@attrs.frozen(kw_only=True)
class Score(ShownAsGrid):
    """A record's score by a model at a moment, and every point's reason.

    Attributes:
        model: The model's key.
        at: The moment.
        fit: Points for who they are.
        engagement: Points for what they did, decayed.
        grade: ``"A1"``-``"D4"``, if the model has a grade matrix.
        sales_ready: Whether the total reaches the model's threshold (None
            when it has none).
        contributions: Every contribution, the largest (either way) first.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, Lead, LeadId, Source
        >>> from leadlife.scoring import FactRule, ScoringModel
        >>> model = ScoringModel(
        ...     key="demo",
        ...     facts=[
        ...         FactRule(key="referred", fact="source.channel", values=["referral"], points=15)
        ...     ],
        ... )
        >>> at = datetime(2026, 3, 2, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="lead",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="referral"),
        ...     created_at=at,
        ... )
        >>> score = model.score(lead, at=at)
        >>> score.total, score.explain()
        (15.0, ['+15 referred: source.channel is referral'])
    """

    model: str
    at: datetime
    fit: float
    engagement: float
    grade: str | None
    sales_ready: bool | None
    contributions: tuple[Contribution, ...] = attrs.field(repr=False)

    @property
    def total(self) -> float:
        """Fit and engagement together."""
        return self.fit + self.engagement

    def explain(self, top: int | None = None) -> list[str]:
        """The contributions in words, the largest first (the ``top`` ones if given)."""
        return [
            f"{part.points:+.4g} {part.rule}: {part.because}" for part in self.contributions[:top]
        ]

    def _grid(self) -> Grid:
        grade = f", grade {self.grade}" if self.grade else ""
        title = (
            f"Score {self.total:.4g} by {self.model} at {self.at:%Y-%m-%d %H:%M} "
            f"(fit {self.fit:.4g}, engagement {self.engagement:.4g}{grade})"
        )
        rows = [
            (f"{part.points:+.4g}", part.axis.value, part.rule, part.because)
            for part in self.contributions[:20]
        ]
        more = len(self.contributions) - len(rows)
        note = f"and {more} more contributions" if more > 0 else None
        return title, ("points", "axis", "rule", "because"), rows, note


def _unique_rules(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    keys = [rule.key for rule in (*instance.facts, *value)]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        check.refuse(instance, attribute, repeated, "rule keys used once in the model")


def _known_groups(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(group, Group) for group in value):
        check.refuse(instance, attribute, value, "Group objects")
    declared = [group.key for group in value]
    if len(set(declared)) != len(declared):
        check.refuse(instance, attribute, declared, "group keys used once")
    axes: dict[str, set[Axis]] = defaultdict(set)
    for rule in (*instance.facts, *instance.activities):
        if rule.group is not None:
            axes[rule.group].add(rule.axis)
    unknown = sorted(set(axes) - set(declared))
    if unknown:
        check.refuse(instance, attribute, unknown, f"groups the model declares ({declared})")
    mixed = sorted(group for group, seen in axes.items() if len(seen) > 1)
    if mixed:
        check.refuse(
            instance, attribute, mixed, "groups of fit rules or of activity rules, not both"
        )


def _plugin_keys(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(check.valid_key(key) for key in value):
        check.refuse(instance, attribute, value, "keys of scoring rules (lower_snake_case)")
    declared = {rule.key for rule in (*instance.facts, *instance.activities)}
    if clash := sorted(declared & set(value)) or sorted(
        {key for key in value if value.count(key) > 1}
    ):
        check.refuse(instance, attribute, clash, "rule keys used once in the model")


def _checked(rule: ScoringRule, given: Iterable[object]) -> Iterable[Contribution]:
    """A plugged rule's contributions, each checked to be its own (a plugin may give anything)."""
    for part in given:
        if not isinstance(part, Contribution) or (part.rule, part.axis, part.group) != (
            rule.key,
            rule.axis,
            rule.group,
        ):
            raise ValidationError(
                owner=f"scoring rule {rule.key}",
                field="contributions",
                value=part,
                expected=f"Contribution objects of rule {rule.key!r}, axis "
                f"{rule.axis!s}, group {rule.group!r}",
            )
        yield part


def _threshold(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value)
    ):
        check.refuse(instance, attribute, value, "a number of points, or None")


@attrs.frozen(kw_only=True)
class ScoringModel:
    """Rules that score a record: fit from its facts, engagement from activities.

    Args:
        key: The model's name (lower_snake_case).
        facts: The fit rules.
        activities: The engagement rules.
        groups: Groups that cap what their rules give together.
        decay: How activities fade with age (none: they never do).
        grades: The grade matrix, if any.
        sales_ready: The total that makes a lead sales-ready, if the model
            decides that (see :doc:`/scoring`).
        plugins: Keys of rules of your own or a plugin's
            (:class:`~leadlife.scoring.ScoringRule`, entry-point group
            ``leadlife.scoring_rules``), looked up when scoring.

    A model travels as a versioned JSON document
    (:func:`leadlife.to_dict`, :func:`leadlife.from_dict`), so marketing and
    sales can agree on one file.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import Contact, Lead, LeadId, Source
        >>> from leadlife.scoring import Activity, ActivityRule, Decay, ScoringModel
        >>> model = ScoringModel(
        ...     key="web",
        ...     activities=[
        ...         ActivityRule(key="pricing", kind="page_view", detail="/pricing", points=10)
        ...     ],
        ...     decay=Decay(half_life=timedelta(days=30)),
        ... )
        >>> at = datetime(2026, 3, 31, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="lead",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     created_at=datetime(2026, 3, 1, tzinfo=UTC),
        ... )
        >>> seen = Activity(
        ...     kind="page_view", at=datetime(2026, 3, 1, tzinfo=UTC), detail="/pricing"
        ... )
        >>> model.score(lead, [seen], at=at).engagement
        5.0
    """

    key: str = attrs.field(validator=check.key)
    facts: tuple[FactRule, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=attrs.validators.deep_iterable(
            check.instance_of(FactRule, "a FactRule"), check.instance_of(tuple, "a list")
        ),
    )
    activities: tuple[ActivityRule, ...] = attrs.field(
        default=(),
        converter=_tuple,
        validator=[
            attrs.validators.deep_iterable(
                check.instance_of(ActivityRule, "an ActivityRule"),
                check.instance_of(tuple, "a list"),
            ),
            _unique_rules,
        ],
    )
    groups: tuple[Group, ...] = attrs.field(default=(), converter=_tuple, validator=_known_groups)
    decay: Decay | None = attrs.field(
        default=None, validator=optional(check.instance_of(Decay, "a Decay"))
    )
    grades: Grades | None = attrs.field(
        default=None, validator=optional(check.instance_of(Grades, "a Grades"))
    )
    sales_ready: float | None = attrs.field(default=None, validator=_threshold)
    plugins: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_plugin_keys)

    def _plugged(self, registry: Registry | None) -> list[ScoringRule]:
        """The rules ``plugins`` names, from ``registry``, each in a group the model has."""
        if not self.plugins:
            return []
        from leadlife._policies.registry import default_registry  # noqa: PLC0415 - it knows models

        found = [(registry or default_registry()).scoring_rule(key) for key in self.plugins]
        groups = {group.key for group in self.groups}
        for rule in found:
            if rule.group is not None and rule.group not in groups:
                raise ValidationError(
                    owner=f"ScoringModel {self.key}",
                    field="plugins",
                    value=rule.key,
                    expected=f"rules in the model's groups ({sorted(groups)}); "
                    f"{rule.key!r} counts towards {rule.group!r}",
                )
        return found

    def score(
        self,
        record: Record,
        activities: Iterable[Activity] = (),
        *,
        at: datetime,
        registry: Registry | None = None,
    ) -> Score:
        """The score of ``record`` (as it stands at ``at``) and the person's activities, at ``at``.

        Activities after ``at`` do not count (the score is the one ``at``
        had); give the record as it was then
        (:meth:`History.as_of <leadlife.History.as_of>` or
        :func:`~leadlife.replay` with ``until``) for a past moment. The
        model's ``plugins`` are looked up in ``registry`` (the default
        registry unless given).

        Raises:
            ValidationError: ``at`` is naive, an activity is not an
                :class:`~leadlife.scoring.Activity`, or a plugged rule's group
                is not one of the model's, or it gives what is not a
                :class:`~leadlife.scoring.Contribution` of its own.
            UnknownKeyError: No rule has a key ``plugins`` names.
        """
        check.argument("ScoringModel.score", "at", at, check.aware_datetime)
        given = tuple(activities)
        for activity in given:
            check.argument(
                "ScoringModel.score",
                "activities",
                activity,
                check.instance_of(Activity, "Activity objects"),
            )
        parts: list[Contribution] = []
        declared: tuple[ScoringRule, ...] = (*self.facts, *self.activities)
        for rule in declared:
            parts.extend(rule.contributions(record, given, at, self.decay))
        for plugged in self._plugged(registry):
            parts.extend(_checked(plugged, plugged.contributions(record, given, at, self.decay)))
        for group in self.groups:
            mine = [part for part in parts if part.group == group.key]
            if mine:
                limited = group.limited(math.fsum(p.points for p in mine), mine[0].axis)
                if limited is not None:
                    parts.append(limited)
        fit = math.fsum(part.points for part in parts if part.axis is Axis.FIT)
        engagement = math.fsum(part.points for part in parts if part.axis is Axis.ENGAGEMENT)
        parts.sort(key=_largest_first)
        return Score(
            model=self.key,
            at=at,
            fit=fit,
            engagement=engagement,
            grade=None if self.grades is None else self.grades.grade(fit, engagement),
            sales_ready=None if self.sales_ready is None else fit + engagement >= self.sales_ready,
            contributions=tuple(parts),
        )


def _largest_first(part: Contribution) -> tuple[Any, ...]:
    # The largest either way first; ties by rule, then by the activity's time (latest
    # first): a total order, so the same score explains itself the same way always.
    moment = -part.activity.at.timestamp() if part.activity is not None else 0.0
    return (-abs(part.points), part.rule, moment, part.because)
