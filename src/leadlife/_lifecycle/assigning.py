"""Routing a record to an owner by a policy, and the workload that follows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._lifecycle.engine import Engine

if TYPE_CHECKING:
    from leadlife._lifecycle.details import Details
    from leadlife._policies.routing.owners import Workload
    from leadlife._policies.routing.policies import Routed, RoutingPolicy

# Routing is imported when a record is first routed: an app that routes nothing never
# pays for it (nor does `import leadlife`).


class Assigning:
    """Route records to owners; each assignment an event naming the policy and the reason."""

    __slots__ = ("details", "engine")

    def __init__(self, engine: Engine, details: Details) -> None:
        self.engine = engine
        self.details = details

    def route(
        self,
        history: History[Any],
        policy: RoutingPolicy,
        workload: Workload,
        *,
        actor: str,
    ) -> tuple[Routed, Workload]:
        """Give the record the owner ``policy`` chooses now, and say how the workload changed.

        A record that has an owner is *re*-assigned: its owner is set aside
        (a lead is not handed back to whoever let it wait) and their open
        count falls by one. The assignment is recorded as
        :class:`~leadlife.events.OwnerAssigned` with the policy and its
        reason; when the policy finds nobody, nothing is recorded and the
        :class:`~leadlife.routing.Declined` says why.

        Returns:
            What the policy said, and the workload after it.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.routing import RoundRobin, Workload
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="web"),
            ...     actor="web-form",
            ... )
            >>> routed, load = life.route(
            ...     lead, RoundRobin(owners=["kim", "sam"]), Workload(), actor="router"
            ... )
            >>> lead.record.owner, lead.events[-1].policy, load.open_of("kim")
            ('kim', 'round_robin', 1)
        """
        from leadlife._policies.routing.owners import Workload  # noqa: PLC0415 - see the top
        from leadlife._policies.routing.policies import (  # noqa: PLC0415
            Assignment,
            RoutingPolicy,
        )

        check.argument(
            "Lifecycle.route",
            "policy",
            policy,
            check.instance_of(RoutingPolicy, "a routing policy"),
        )
        check.argument(
            "Lifecycle.route", "workload", workload, check.instance_of(Workload, "a Workload")
        )
        at = self.engine.now(history)
        previous = history.record.owner
        asked = workload if previous is None else workload.setting_aside(previous)
        routed = policy.route(history.record, asked, at)
        if not isinstance(routed, Assignment):
            return routed, workload
        event = self.details.assign(
            history, routed.owner, actor=actor, reason=routed.reason, policy=routed.policy
        )
        after = workload.taking(routed.owner, event.at)
        if previous is not None and after.open_of(previous) > 0:
            after = after.releasing(previous)
        return routed, after
