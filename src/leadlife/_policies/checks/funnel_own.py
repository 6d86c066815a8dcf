"""The checks a funnel brings: its recycling rules and its service levels, as agenda checks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies.checks.check import NOTHING
from leadlife._policies.recycling import RecyclingRule
from leadlife._policies.sla import ServiceLevel, Starts

_HOUR = timedelta(hours=1)


@attrs.frozen
class RuleCheck:
    """A recycling rule, run by the agenda on the stages it watches (and on the field it needs)."""

    rule: RecyclingRule
    needs: str | None = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "needs", getattr(self.rule, "needs", None))

    @property
    def key(self) -> str:
        """The rule's key."""
        return self.rule.key

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - the rule says
        """The rule's stages."""
        return self.rule.stages

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """The rule's proposal, if it makes one."""
        action = self.rule(record, at)
        return NOTHING if action is None else (action,)


@attrs.frozen(eq=False)
class LevelCheck:
    """A service level, run by the agenda: a warning before it is breached, then the breach.

    A level whose timer starts when the record enters its stage watches that
    stage; one that starts at an answer watches every stage, and looks only
    at records touched (and then only if the last touch was answered).
    """

    level: ServiceLevel
    needs: str | None = attrs.field(init=False)
    _earliest: timedelta = attrs.field(init=False)
    _on_entry: bool = attrs.field(init=False)
    _on_answer: bool = attrs.field(init=False)
    _reasons: tuple[str, str] = attrs.field(init=False)
    _hours: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        level = self.level
        # Working time runs no faster than wall time, so a timer younger than its
        # limit (less the warning) cannot be due: no calendar arithmetic for it.
        object.__setattr__(self, "_earliest", level.limit - level.warn_before)
        object.__setattr__(self, "_on_entry", level.starts is Starts.ENTERED_STAGE)
        object.__setattr__(self, "_on_answer", level.starts is Starts.ANSWERED)
        # A timer that starts at an answer needs touches; one that starts at a hand-back,
        # a screening (the rejection's reason).
        needs = {Starts.ANSWERED: "touches", Starts.HANDED_BACK: "screening"}.get(level.starts)
        object.__setattr__(self, "needs", needs)
        # Said the same way for every record: worded once (a duration's str() is slow).
        said = f"service level {level.key} ({level.limit})"
        object.__setattr__(self, "_reasons", (f"{said} breached", f"{said} about to be breached"))
        object.__setattr__(self, "_hours", level.limit / _HOUR)

    @property
    def key(self) -> str:
        """The level's key."""
        return self.level.key

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - the level says
        """The level's stage, or every stage for a level that starts at an answer."""
        if self._on_answer or self.level.stage is None:
            return None
        return frozenset({self.level.stage})

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """A warning or a breach, when its timer says so."""
        earliest = self._earliest
        if self._on_entry:
            if at < record.stage_since + earliest:
                return NOTHING
        elif self._on_answer and not (record.touches and record.touches[-1].outcome.answered):
            return NOTHING
        level = self.level
        started = level.open_timer(record)
        if started is None or at < started + earliest:
            return NOTHING
        calendar = level.calendar
        deadline = (
            started + level.limit if calendar is None else calendar.add_to(started, level.limit)
        )
        if at >= deadline:
            kind, reason = ActionKind.SLA_BREACHED, self._reasons[0]
        elif at >= deadline - level.warn_before:
            kind, reason = ActionKind.SLA_WARNING, self._reasons[1]
        else:
            return NOTHING
        return (
            quick(
                kind=kind,
                record_id=record.id,
                due_at=deadline,
                reason=reason,
                source=level.key,
                started_at=started,
                facts={"started_at": started.isoformat(), "limit_hours": self._hours},
            ),
        )
