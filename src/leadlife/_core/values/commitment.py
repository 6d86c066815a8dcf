"""Commitments: the next step both sides agreed, and the promises we made.

DOMAIN: follow-up goes wrong in named ways: a meeting that ends with no
agreed next step, a promise ("the proposal by Friday") not kept. Both are
commitments with a due time, recorded as events, so the agenda can say when
one is missing or broken.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import attrs

from leadlife._core.support import validation as check


class CommitmentKind(Enum):
    """What kind of commitment.

    Example:
        >>> from leadlife.followup import CommitmentKind
        >>> CommitmentKind("promise")
        <CommitmentKind.PROMISE: 'promise'>
    """

    NEXT_STEP = "next_step"
    """What both sides agreed to do next (a demo on Tuesday, a call with their CFO)."""
    PROMISE = "promise"
    """What we promised them (the proposal by Friday)."""


def _due(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.aware_datetime(instance, attribute, value)
    if value < instance.made_at:
        check.refuse(instance, attribute, value, f"a time after it was made, {instance.made_at}")


def _kept(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    check.aware_datetime(instance, attribute, value)
    if value < instance.made_at:
        check.refuse(instance, attribute, value, f"a time after it was made, {instance.made_at}")


@attrs.frozen(kw_only=True)
class Commitment:
    """A next step or a promise, due at a time, kept or not.

    Args:
        kind: A next step both sides agreed, or a promise we made.
        what: What is to be done, in words.
        due_at: When it is due.
        made_at: When it was made.
        by: Who made it.
        kept_at: When it was kept; ``None`` while it is not.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.followup import Commitment, CommitmentKind
        >>> promise = Commitment(
        ...     kind=CommitmentKind.PROMISE,
        ...     what="send the proposal",
        ...     due_at=datetime(2026, 3, 6, 17, tzinfo=UTC),
        ...     made_at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        ...     by="sam",
        ... )
        >>> promise.broken(datetime(2026, 3, 9, tzinfo=UTC))
        True
    """

    kind: CommitmentKind = attrs.field(validator=check.member_of(CommitmentKind))
    what: str = attrs.field(validator=check.text)
    made_at: datetime = attrs.field(validator=check.aware_datetime)
    due_at: datetime = attrs.field(validator=_due)
    by: str = attrs.field(validator=check.text)
    kept_at: datetime | None = attrs.field(default=None, validator=_kept)

    @property
    def kept(self) -> bool:
        """Whether it was kept."""
        return self.kept_at is not None

    def broken(self, at: datetime) -> bool:
        """Whether it is due by ``at`` and not kept."""
        return self.kept_at is None and self.due_at < at
