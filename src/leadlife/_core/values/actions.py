"""A due action: what should happen to a record, when, and why."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import attrs
from attrs.validators import optional

from leadlife._core.support import trusted
from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, JsonMap, JsonValue, frozen
from leadlife._core.values.ids import RecordId


class ActionKind(StrEnum):
    """What kind of thing is due.

    Example:
        >>> from leadlife.agenda import ActionKind
        >>> ActionKind.RECYCLE.applicable, ActionKind.FOLLOW_UP.applicable
        (True, False)
    """

    FOLLOW_UP = "follow_up"
    """A touch is due under the agreed plan (a person makes it)."""
    STOP_CHASE = "stop_chase"
    """The plan's time stop rule ends the chase."""
    REVIEW = "review"
    """A screen-out's review date has come: re-open it for assessment."""
    RECYCLE = "recycle"
    """A recycling rule proposes a move."""
    SLA_WARNING = "sla_warning"
    """A service level is about to be breached."""
    SLA_BREACHED = "sla_breached"
    """A service level was breached."""
    FLAG = "flag"
    """Something to look at (recycled too often)."""
    SALES_READY = "sales_ready"
    """Its score crossed up to sales-ready: hand the lead to sales."""
    SCORE_DECAYED = "score_decayed"
    """Its score fell below the sales-ready threshold again: back to nurture."""
    REASSIGN = "reassign"
    """It waited past a service level on its owner: give it to the owner the routing chose."""

    @property
    def applicable(self) -> bool:
        """Whether :meth:`~leadlife.Lifecycle.apply` can do it; the others need a person."""
        return self in _APPLICABLE


_APPLICABLE = frozenset(
    {
        ActionKind.STOP_CHASE,
        ActionKind.REVIEW,
        ActionKind.RECYCLE,
        ActionKind.SLA_BREACHED,
        ActionKind.SALES_READY,
        ActionKind.SCORE_DECAYED,
        ActionKind.REASSIGN,
    }
)


@attrs.frozen(kw_only=True, order=False)
class DueAction:
    """One thing due for one record, with the reason and the facts behind it.

    Args:
        kind: What is due.
        record_id: For which record.
        due_at: Since when (or, for a warning, until when) it is due.
        reason: Why, in words.
        source: The rule or service level that proposed it.
        event: The funnel event to send, for moves.
        review_on: The review date the move sets, if any.
        started_at: For service levels, when the clock started.
        facts: The facts that fired it, JSON-safe.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.agenda import ActionKind, DueAction
        >>> DueAction(
        ...     kind=ActionKind.REVIEW,
        ...     record_id=LeadId("L-1"),
        ...     due_at=datetime(2026, 9, 1, tzinfo=UTC),
        ...     reason="review date reached",
        ...     source="review_due",
        ...     event="reopen",
        ... ).event
        'reopen'
    """

    kind: ActionKind = attrs.field(validator=check.instance_of(ActionKind, "an ActionKind"))
    record_id: RecordId = attrs.field(validator=check.instance_of(RecordId, "a record id"))
    due_at: datetime = attrs.field(validator=check.aware_datetime)
    reason: str = attrs.field(validator=check.text)
    source: str = attrs.field(validator=check.text)
    event: str | None = attrs.field(default=None, validator=optional(check.text))
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))
    started_at: datetime | None = attrs.field(
        default=None, validator=optional(check.aware_datetime)
    )
    facts: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )


def quick(
    *,
    kind: ActionKind,
    record_id: RecordId,
    due_at: datetime,
    reason: str,
    source: str,
    facts: dict[str, JsonValue],
    event: str | None = None,
    review_on: date | None = None,
    started_at: datetime | None = None,
) -> DueAction:
    """A due action from leadlife's own rules, whose parts are valid by construction.

    The agenda makes one per due item over a whole book of leads; running the
    validators for each would cost most of its time (see ``benchmarks/bench_agenda.py``).
    ``facts`` holds only strings and numbers. A property test checks its
    actions pass the validating constructor.
    """
    return trusted.build(
        DueAction,
        {
            "kind": kind,
            "record_id": record_id,
            "due_at": due_at,
            "reason": reason,
            "source": source,
            "event": event,
            "review_on": review_on,
            "started_at": started_at,
            "facts": frozen(facts),
        },
    )
