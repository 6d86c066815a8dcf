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
    ERASE = "erase"
    """Its personal data was kept as long as its retention says: erase it from the vault."""
    REVIEW_CONSENT = "review_consent"
    """A purpose's consent or lawful basis is due for review (a person reviews it)."""

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


_MOVES = frozenset(
    {ActionKind.RECYCLE, ActionKind.REVIEW, ActionKind.SALES_READY, ActionKind.SCORE_DECAYED}
)
"""The kinds that are a move: the proposed event, sent with the proposal's reason."""


@attrs.frozen(kw_only=True)
class SendEvent:
    """Applying the action sends this funnel event (a recycle, a review, a hand-off by score).

    Attributes:
        event: The funnel event.
        review_on: The review date the move sets, if any.

    Example:
        >>> from leadlife.agenda import SendEvent
        >>> SendEvent(event="reopen").event
        'reopen'
    """

    event: str = attrs.field(validator=check.text)
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))


@attrs.frozen
class StopChase:
    """Applying the action ends the follow-up plan: its stop rule says so.

    Example:
        >>> from leadlife.agenda import StopChase
        >>> StopChase() == StopChase()
        True
    """


@attrs.frozen(kw_only=True)
class RecordBreach:
    """Applying the action records a service level's breach.

    Attributes:
        level: The service level's key.
        started_at: When its timer started.
        due_at: When it was due.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.agenda import RecordBreach
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> RecordBreach(level="acceptance", started_at=at, due_at=at).level
        'acceptance'
    """

    level: str = attrs.field(validator=check.text)
    started_at: datetime = attrs.field(validator=check.aware_datetime)
    due_at: datetime = attrs.field(validator=check.aware_datetime)


@attrs.frozen(kw_only=True)
class Reassign:
    """Applying the action gives the record to another owner, if its owner is still who it was.

    Attributes:
        owner: The owner the routing policy chose.
        previous: The owner it had when the agenda ran (``None``: nobody).
        policy: The routing policy that chose.

    Example:
        >>> from leadlife.agenda import Reassign
        >>> Reassign(owner="ana", previous=None, policy="capacity").previous is None
        True
    """

    owner: str = attrs.field(validator=check.text)
    previous: str | None = attrs.field(validator=optional(check.text))
    policy: str = attrs.field(validator=check.text)


Applies = SendEvent | StopChase | RecordBreach | Reassign
"""What applying a due action does, by type: :meth:`Lifecycle.apply <leadlife.Lifecycle.apply>`
dispatches on it."""


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
        facts: The facts that fired it, JSON-safe: for people and audits to
            read (:meth:`Lifecycle.apply <leadlife.Lifecycle.apply>` reads
            :attr:`applies`, never these).
        reassign: For a reassignment, to whom and from whom.

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
    reassign: Reassign | None = attrs.field(
        default=None, validator=optional(check.instance_of(Reassign, "a Reassign"))
    )

    @property
    def applies(self) -> Applies | None:
        """What applying it does, typed; ``None``: it is for a person (a follow-up, a flag...).

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import LeadId
            >>> from leadlife.agenda import ActionKind, DueAction
            >>> DueAction(
            ...     kind=ActionKind.RECYCLE,
            ...     record_id=LeadId("L-1"),
            ...     due_at=datetime(2026, 9, 1, tzinfo=UTC),
            ...     reason="idle",
            ...     source="idle_deal_to_nurture",
            ...     event="recycle",
            ... ).applies
            SendEvent(event='recycle', review_on=None)
        """
        kind = self.kind
        if kind in _MOVES:
            return (
                None
                if self.event is None
                else SendEvent(event=self.event, review_on=self.review_on)
            )
        if kind is ActionKind.STOP_CHASE:
            return StopChase()
        if kind is ActionKind.SLA_BREACHED and self.started_at is not None:
            return RecordBreach(level=self.source, started_at=self.started_at, due_at=self.due_at)
        if kind is ActionKind.REASSIGN:
            return self.reassign
        return None


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
    reassign: Reassign | None = None,
) -> DueAction:
    """A due action from leadlife's own rules, whose parts are valid by construction.

    The agenda makes one per due item over a whole book of leads; running the
    validators for each would cost most of its time (see ``benchmarks/bench_agenda.py``).
    ``facts`` holds only strings and numbers. A property test checks its
    actions pass the validating constructor.
    """
    action = _new(DueAction)
    _put_kind(action, kind)
    _put_record_id(action, record_id)
    _put_due_at(action, due_at)
    _put_reason(action, reason)
    _put_source(action, source)
    _put_event(action, event)
    _put_review_on(action, review_on)
    _put_started_at(action, started_at)
    _put_facts(action, frozen(facts))
    _put_reassign(action, reassign)
    return action


# The slots' own setters, named: ``quick`` fills an action through them, no dict between.
_new = object.__new__
_put = dict(zip(attrs.fields_dict(DueAction), trusted.slot_setters(DueAction), strict=True))
(
    _put_kind,
    _put_record_id,
    _put_due_at,
    _put_reason,
    _put_source,
    _put_event,
    _put_review_on,
    _put_started_at,
    _put_facts,
    _put_reassign,
) = (
    _put[name]
    for name in (
        "kind",
        "record_id",
        "due_at",
        "reason",
        "source",
        "event",
        "review_on",
        "started_at",
        "facts",
        "reassign",
    )
)
