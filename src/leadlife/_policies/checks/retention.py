"""Privacy on the agenda: personal data kept no longer than needed; consents reviewed when due."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from types import MappingProxyType

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies.checks.check import NOTHING
from leadlife._policies.default_funnel import DefaultFunnel

_DAY = timedelta(days=1)
_A_FUNNEL = check.subclass_of(Funnel, "a Funnel subclass")
_TWO_YEARS: timedelta | None = timedelta(days=730)
_A_YEAR: timedelta | None = timedelta(days=365)


def _durations(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(stage, str) and isinstance(kept, timedelta) and kept >= timedelta(0)
        for stage, kept in value.items()
    ):
        check.refuse(instance, attribute, value, "a mapping of stage names to durations >= 0")


@attrs.frozen(kw_only=True)
class RetentionDue:
    """How long personal data is kept after a journey closes; its erasure proposed after that.

    A record that has stood in one of ``funnel``'s lost stages for ``lost``,
    or in another screened-out stage (disqualified, churned) for
    ``screened_out``, gets an ``erase`` action: its people's personal data
    was kept long enough, and the vault should erase them (see
    :doc:`/privacy`). ``stages`` sets the time for stages by name, over the
    two; ``None`` keeps without limit. Nothing is proposed for a record whose
    erasure is recorded (``erased_at``), nor once it is back in the running.

    Raises:
        ValidationError: A duration is negative, or a stage named is not the funnel's.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.privacy import RetentionDue
        >>> [kept.days for kept in sorted(RetentionDue(lost=timedelta(days=730)).kept.values())]
        [365, 365, 730]
    """

    key: str = "retention"
    lost: timedelta | None = attrs.field(default=_TWO_YEARS, validator=optional(check.duration))
    screened_out: timedelta | None = attrs.field(
        default=_A_YEAR, validator=optional(check.duration)
    )
    stages: Mapping[str, timedelta] = attrs.field(factory=dict, validator=_durations)
    funnel: type[Funnel] = attrs.field(default=DefaultFunnel, validator=_A_FUNNEL)
    kept: Mapping[str, timedelta] = attrs.field(init=False)
    """How long each stage keeps a record's personal data, as resolved from the funnel."""
    needs: str | None = None

    def __attrs_post_init__(self) -> None:
        roles = self.funnel.roles()
        unknown = sorted(set(self.stages) - set(roles.stages))
        if unknown:
            raise ValidationError(
                owner="RetentionDue",
                field="stages",
                value=unknown,
                expected=f"stages of the funnel {roles.name!r}",
            )
        kept: dict[str, timedelta] = {}
        for stage in sorted(roles.screened_out):
            limit = self.lost if stage in roles.lost else self.screened_out
            if limit is not None:
                kept[stage] = limit
        kept.update(self.stages)
        object.__setattr__(self, "kept", MappingProxyType(kept))

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The stages that keep personal data for a time.

        Raises:
            ValidationError: The agenda's funnel is not the one the retention was made for.
        """
        if roles != self.funnel.roles():
            raise ValidationError(
                owner="RetentionDue",
                field="funnel",
                value=roles.name,
                expected=f"an agenda of the funnel it was made for ({self.funnel.roles().name})",
            )
        return frozenset(self.kept)

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """An erase action once the record's stage has kept it long enough."""
        kept = self.kept.get(record.stage)
        if kept is None or record.erased_at is not None:
            return NOTHING
        due = record.stage_since + kept
        if at < due:
            return NOTHING
        return (
            quick(
                kind=ActionKind.ERASE,
                record_id=record.id,
                due_at=due,
                reason=(
                    f"in {record.stage} since {record.stage_since:%Y-%m-%d}, kept "
                    f"{kept / _DAY:g} days: erase its people's personal data"
                ),
                source=self.key,
                facts={"stage": record.stage, "keep_days": kept / _DAY},
            ),
        )


@attrs.frozen(kw_only=True)
class ConsentReviewDue:
    """A purpose's consent or lawful basis due for review (its ``review_on`` has come).

    Example:
        >>> from leadlife.privacy import ConsentReviewDue
        >>> ConsentReviewDue().key
        'consent_review'
    """

    key: str = "consent_review"
    needs: str | None = None

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage: a consent holds wherever the record stands."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """A review action for each purpose whose review date has come."""
        purposes = record.consent.purposes
        if not purposes or record.consent.do_not_contact:
            return NOTHING
        today = at.date()
        return tuple(
            quick(
                kind=ActionKind.REVIEW_CONSENT,
                record_id=record.id,
                due_at=datetime.combine(each.review_on, time(0), tzinfo=at.tzinfo),
                reason=(
                    f"the {each.basis.value.replace('_', ' ')} basis for {each.purpose} "
                    f"is due for review on {each.review_on}"
                ),
                source=self.key,
                facts={"purpose": each.purpose, "basis": each.basis.value},
            )
            for each in purposes
            if each.review_on is not None and each.review_on <= today
        )
