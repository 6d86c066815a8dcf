"""The agenda's reassignments: a lead left waiting past its acceptance level goes to someone else.

When a service level such as acceptance is breached, the lead has waited on
its owner too long. The agenda proposes, beside the breach, to reassign it
by the routing policy, never to the owner who let it wait, with the
policy's reason. Proposals for one run are chosen one after another on one
workload, so a run never gives one owner more than their limits allow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.values.actions import ActionKind, DueAction, Reassign, quick
from leadlife._core.values.ids import RecordId
from leadlife._policies.routing.owners import Workload
from leadlife._policies.routing.policies import Assignment, RoutingPolicy


@attrs.frozen(kw_only=True)
class Reassigning:
    """Which breaches move a lead to another owner, and by which policy."""

    policy: RoutingPolicy
    levels: frozenset[str]

    def propose(
        self,
        due: Iterable[DueAction],
        records: Mapping[RecordId, Record],
        workload: Workload,
        at: datetime,
    ) -> list[DueAction]:
        """A reassignment (or, when nobody can take it, a flag) for each breach of ``levels``."""
        proposed: list[DueAction] = []
        for action in due:
            if action.kind is not ActionKind.SLA_BREACHED or action.source not in self.levels:
                continue
            record = records[action.record_id]
            previous = record.owner
            asked = workload if previous is None else workload.setting_aside(previous)
            routed = self.policy.route(record, asked, at)
            waited = f"service level {action.source} breached" + (
                f" while with {previous}" if previous else " with nobody owning it"
            )
            if not isinstance(routed, Assignment):
                proposed.append(
                    quick(
                        kind=ActionKind.FLAG,
                        record_id=record.id,
                        due_at=action.due_at,
                        reason=f"{waited}; nobody to reassign it to: {routed.reason}",
                        source=routed.policy,
                        facts={"level": action.source},
                    )
                )
                continue
            proposed.append(
                quick(
                    kind=ActionKind.REASSIGN,
                    record_id=record.id,
                    due_at=action.due_at,
                    reason=f"{waited}: reassign to {routed.owner} ({routed.reason})",
                    source=routed.policy,
                    started_at=action.started_at,
                    facts={
                        "level": action.source,
                        "owner": routed.owner,
                        "previous": previous,
                        "policy": routed.policy,
                    },
                    reassign=Reassign(owner=routed.owner, previous=previous, policy=routed.policy),
                )
            )
            workload = workload.taking(routed.owner, at)
            if previous is not None and workload.open_of(previous) > 0:
                workload = workload.releasing(previous)
        return proposed
