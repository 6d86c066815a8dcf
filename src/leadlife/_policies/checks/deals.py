"""Deals and prospects: objections nobody answered, touches that never reach who decides."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from leadlife._core.journal.records import Opportunity, Record
from leadlife._core.support import validation as check
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._core.values.committee import find
from leadlife._core.values.contact import DecisionRole
from leadlife._core.values.ids import RecordKind
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies.checks.check import NOTHING

_AT_LEAST_ONE = check.whole_number(1, "an int >= 1")


@attrs.frozen(kw_only=True)
class UnansweredObjections:
    """An open deal's objection nobody has answered for ``within``.

    Args:
        within: How long an objection may wait for an answer.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.agenda import UnansweredObjections
        >>> UnansweredObjections(within=timedelta(days=2)).within.days
        2
    """

    key: str = "unanswered_objection"
    within: timedelta = attrs.field(default=timedelta(days=7), validator=check.duration)
    needs: str = "objections"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The stages still in the running: a deal won, lost or out owes no answer."""
        return frozenset(roles.stages) - roles.closed

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """One flag per open objection unanswered past ``within``."""
        if not isinstance(record, Opportunity):
            return NOTHING
        found: list[DueAction] = []
        for index, objection in enumerate(record.objections):
            if not objection.open or objection.responses:
                continue
            due_at = objection.raised_at + self.within
            if due_at <= at:
                days = (at - objection.raised_at).days
                said = objection.kind.value.replace("_", " ")
                found.append(
                    quick(
                        kind=ActionKind.FLAG,
                        record_id=record.id,
                        due_at=due_at,
                        reason=f"objection raised {days} days ago ({said}), no answer recorded",
                        source=self.key,
                        facts={
                            "objection": index,
                            "kind": objection.kind.value,
                            "raised_at": objection.raised_at.isoformat(),
                        },
                    )
                )
        return found


@attrs.frozen(kw_only=True)
class NoDecisionMaker:
    """A prospect or an open deal touched ``within`` times without reaching anyone who decides.

    Whoever decides: the record's contact with the decision-maker role, or a
    member of its buying committee who decides.

    Example:
        >>> from leadlife.agenda import NoDecisionMaker
        >>> NoDecisionMaker(within=4).within
        4
    """

    key: str = "no_decision_maker"
    within: int = attrs.field(default=3, validator=_AT_LEAST_ONE)
    needs: str = "touches"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The stages still in the running."""
        return frozenset(roles.stages) - roles.closed

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:  # noqa: ARG002 - due by the touches
        """A flag once the ``within``-th touch passed with no decision maker reached."""
        touches = record.touches
        if record.kind is RecordKind.LEAD or len(touches) < self.within:
            return NOTHING
        deciders = {member.key for member in record.committee if member.decides}
        contact_decides = record.contact.role is DecisionRole.DECISION_MAKER
        for touch in touches:
            if touch.outcome.answered and (
                touch.member in deciders if touch.member is not None else contact_decides
            ):
                return NOTHING
        reached = sorted({_whom(record, t.member) for t in touches if t.outcome.answered})
        return (
            quick(
                kind=ActionKind.FLAG,
                record_id=record.id,
                due_at=touches[self.within - 1].at,
                reason=f"{len(touches)} touches and no contact with a decision maker"
                + (f" (reached: {', '.join(reached)})" if reached else ""),
                source=self.key,
                facts={"touches": len(touches), "reached": tuple(reached)},
            ),
        )


def _whom(record: Record, member: str | None) -> str:
    if member is None:
        return f"{record.contact.name} ({record.contact.role.value})"
    found = find(record.committee, member)
    role = "no longer on the committee" if found is None else found.role.value
    return f"{member} ({role})"
