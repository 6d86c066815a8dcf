"""Flags about a record's whole journey: recycled round and round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies.checks.check import NOTHING


@attrs.frozen(kw_only=True)
class RecycledTooOften:
    """A record recycled ``limit`` times or more: is it worth another round?

    Example:
        >>> from leadlife.agenda import RecycledTooOften
        >>> RecycledTooOften(limit=5).key
        'max_recycles'
    """

    key: str = "max_recycles"
    limit: int = attrs.field(default=3, validator=check.whole_number(1, "an int >= 1"))
    needs: str = "recycled"

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - every stage
        """Every stage."""
        return None

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:  # noqa: ARG002 - due since the last recycle
        """A flag once the record was recycled ``limit`` times."""
        if record.recycled < self.limit:
            return NOTHING
        return (
            quick(
                kind=ActionKind.FLAG,
                record_id=record.id,
                due_at=record.stage_since,
                reason=f"recycled {record.recycled} times: is it worth another round?",
                source=self.key,
                facts={"recycled": record.recycled, "limit": self.limit},
            ),
        )
