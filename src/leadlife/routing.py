"""Who gets the lead: routing policies, owners' limits and calendars (see :doc:`/routing`).

A policy routes a record, given the owners' :class:`Workload` and the time,
to an :class:`Assignment` (an owner, the policy, the reason) or a
:class:`Declined` (why nobody): :class:`Rules` for territories, segments and
sources, a weighted :class:`RoundRobin`, :class:`Capacity` (the most room),
and a :class:`Chain` of them with a fallback. Every :class:`Owner`'s limits
and working calendar hold whichever policy asks.
:meth:`Lifecycle.route <leadlife.Lifecycle.route>` records the assignment as
:class:`~leadlife.events.OwnerAssigned`, and the agenda reassigns leads
whose acceptance level was breached. Plugins add policies under the
entry-point group ``leadlife.routing``.
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._policies.routing.owners import Owner, Workload
from leadlife._policies.routing.policies import (
    Assignment,
    Capacity,
    Chain,
    Declined,
    RoundRobin,
    Routed,
    RoutingPolicy,
    Rule,
    Rules,
)

__all__ = [
    "Assignment",
    "Capacity",
    "Chain",
    "Declined",
    "Owner",
    "RoundRobin",
    "Routed",
    "RoutingPolicy",
    "Rule",
    "Rules",
    "Workload",
]

publish(__name__, globals(), __all__)
