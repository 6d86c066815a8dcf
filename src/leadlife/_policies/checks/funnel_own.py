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
    """A recycling rule, run by the agenda on the stages it watches."""

    rule: RecyclingRule

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

    def __attrs_post_init__(self) -> None:
        level = self.level
        # Working time runs no faster than wall time, so a timer younger than its
        # limit (less the warning) cannot be due: no calendar arithmetic for it.
        object.__setattr__(self, "_earliest", level.limit - level.warn_before)
        object.__setattr__(self, "_on_entry", level.starts is Starts.ENTERED_STAGE)
        object.__setattr__(self, "_on_answer", level.starts is Starts.ANSWERED)
        object.__setattr__(self, "needs", "touches" if self._on_answer else None)

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
        deadline = level.due(started)
        if at >= deadline:
            kind, words = ActionKind.SLA_BREACHED, "breached"
        elif at >= deadline - level.warn_before:
            kind, words = ActionKind.SLA_WARNING, "about to be breached"
        else:
            return NOTHING
        return (
            quick(
                kind=kind,
                record_id=record.id,
                due_at=deadline,
                reason=f"service level {level.key} ({level.limit}) {words}",
                source=level.key,
                started_at=started,
                facts={"started_at": started.isoformat(), "limit_hours": level.limit / _HOUR},
            ),
        )
