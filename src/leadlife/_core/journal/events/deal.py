"""A deal's terms, the objections it met, and its competitors."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.events.creation import LifecycleEvent
from leadlife._core.journal.events.fold_types import Handler, Refused
from leadlife._core.journal.records import Opportunity, Record
from leadlife._core.support import validation as check
from leadlife._core.support.log import Log
from leadlife._core.values.money import Money
from leadlife._core.values.objection import (
    Objection,
    ObjectionResponse,
    ObjectionStatus,
    ResponseTactic,
)


def _raised(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.instance_of(Objection, "an Objection")(instance, attribute, value)
    if not value.open or value.responses:
        check.refuse(
            instance, attribute, value, "an objection as raised: open, with no answers yet"
        )


_INDEX = check.whole_number(0, "the objection's index in the deal's objections (an int >= 0)")


@attrs.frozen(kw_only=True)
class DealRevised(LifecycleEvent):
    """An opportunity's terms changed: its name, amount, close date or odds.

    The event carries all four terms as they are after the change, so one
    event tells the whole deal at that time (``None`` for a term nobody knows).

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import Money, OpportunityId
        >>> from leadlife.events import DealRevised
        >>> DealRevised(
        ...     record_id=OpportunityId("O-1"),
        ...     at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        ...     actor="sam",
        ...     name="Pilot, extended",
        ...     amount=Money.of("7500", "EUR"),
        ...     expected_close=date(2026, 7, 1),
        ...     win_probability=0.5,
        ... ).amount
        Money(amount=Decimal('7500'), currency='EUR')
    """

    name: str = attrs.field(validator=check.text)
    amount: Money | None = attrs.field(
        validator=optional(check.instance_of(Money, "a Money amount, or None when not known"))
    )
    expected_close: date | None = attrs.field(validator=optional(check.calendar_date))
    win_probability: float | None = attrs.field(validator=optional(check.probability))


@attrs.frozen(kw_only=True)
class ObjectionRecorded(LifecycleEvent):
    """The prospect raised an objection on an opportunity.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import OpportunityId
        >>> from leadlife.events import ObjectionRecorded
        >>> from leadlife.values import Objection, ObjectionKind
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> ObjectionRecorded(
        ...     record_id=OpportunityId("O-1"),
        ...     at=at,
        ...     actor="sam",
        ...     objection=Objection(kind=ObjectionKind.NO_BUDGET, raised_at=at),
        ... ).objection.kind.value
        'no_budget'
    """

    objection: Objection = attrs.field(validator=_raised)


@attrs.frozen(kw_only=True)
class ObjectionAnswered(LifecycleEvent):
    """Someone answered an objection (the event's actor, at the event's time).

    Args:
        objection: Which one: its index in the deal's ``objections``.
        tactic: How it was answered (the seasoned answers for its kind are
            :attr:`ObjectionKind.tactics <leadlife.values.ObjectionKind.tactics>`).
        note: What was said.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import OpportunityId
        >>> from leadlife.events import ObjectionAnswered
        >>> from leadlife.values import ResponseTactic
        >>> ObjectionAnswered(
        ...     record_id=OpportunityId("O-1"),
        ...     at=datetime(2026, 3, 4, 10, tzinfo=UTC),
        ...     actor="sam",
        ...     objection=0,
        ...     tactic=ResponseTactic.BREAK_DOWN,
        ... ).tactic.value
        'break_down'
    """

    objection: int = attrs.field(validator=_INDEX)
    tactic: ResponseTactic = attrs.field(validator=check.member_of(ResponseTactic))
    note: str | None = attrs.field(default=None, validator=optional(check.text))

    @property
    def response(self) -> ObjectionResponse:
        """The answer as the deal keeps it."""
        return ObjectionResponse(tactic=self.tactic, by=self.actor, at=self.at, note=self.note)


@attrs.frozen(kw_only=True)
class ObjectionResolved(LifecycleEvent):
    """The prospect accepted the answer: the objection no longer stands.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import OpportunityId
        >>> from leadlife.events import ObjectionResolved
        >>> ObjectionResolved(
        ...     record_id=OpportunityId("O-1"),
        ...     at=datetime(2026, 3, 6, 10, tzinfo=UTC),
        ...     actor="sam",
        ...     objection=0,
        ...     note="agreed to the yearly plan",
        ... ).objection
        0
    """

    objection: int = attrs.field(validator=_INDEX)
    note: str | None = attrs.field(default=None, validator=optional(check.text))


@attrs.frozen(kw_only=True)
class CompetitorNoted(LifecycleEvent):
    """A competitor turned up in an opportunity.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import OpportunityId
        >>> from leadlife.events import CompetitorNoted
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> CompetitorNoted(
        ...     record_id=OpportunityId("O-1"), at=at, actor="sam", competitor="Acme"
        ... ).competitor
        'Acme'
    """

    competitor: str = attrs.field(validator=check.text)


# How each event of this family changes a record (the fold's handlers).


def _deal_revised(record: Record, event: DealRevised) -> dict[str, Any]:
    deal = opportunity_of(record, event)
    terms = {
        "name": event.name,
        "amount": event.amount,
        "expected_close": event.expected_close,
        "win_probability": event.win_probability,
    }
    if all(getattr(deal, key) == value for key, value in terms.items()):
        raise Refused("the deal's terms are already these")
    return terms


def _objection_recorded(record: Record, event: ObjectionRecorded) -> dict[str, Any]:
    deal = opportunity_of(record, event)
    if event.objection.raised_at > event.at:
        raise Refused("the objection is dated after the event that records it")
    return {"objections": deal.objections.appended(event.objection)}


def _open_objection(deal: Opportunity, index: int) -> Objection:
    if index >= len(deal.objections):
        raise Refused(
            f"{deal.id} has {len(deal.objections)} objections: there is no objection {index}"
        )
    objection = deal.objections[index]
    if not objection.open:
        raise Refused(
            f"objection {index} ({objection.kind.value}) is {objection.status.value} already"
        )
    return objection


def _replaced(deal: Opportunity, index: int, objection: Objection) -> Log[Objection]:
    # A deal has few objections: copying them is cheaper than any cleverness.
    objections = list(deal.objections)
    objections[index] = objection
    return Log(objections)


def _objection_answered(record: Record, event: ObjectionAnswered) -> dict[str, Any]:
    deal = opportunity_of(record, event)
    objection = _open_objection(deal, event.objection)
    answered = attrs.evolve(objection, responses=(*objection.responses, event.response))
    return {"objections": _replaced(deal, event.objection, answered)}


def _objection_resolved(record: Record, event: ObjectionResolved) -> dict[str, Any]:
    deal = opportunity_of(record, event)
    resolved = settle(deal, event.objection, ObjectionStatus.RESOLVED, event.at, event.note)
    return {"objections": resolved}


def _competitor_noted(record: Record, event: CompetitorNoted) -> dict[str, Any]:
    deal = opportunity_of(record, event)
    if event.competitor in deal.competitors:
        raise Refused(f"competitor {event.competitor!r} is already noted")
    return {"competitors": deal.competitors.appended(event.competitor)}


def opportunity_of(record: Record, event: LifecycleEvent) -> Opportunity:
    """The deal an event of a deal applies to; refused when the record is not one."""
    if not isinstance(record, Opportunity):
        raise Refused(f"{type(event).__name__} applies to opportunities, not to {record.id!r}")
    return record


def settle(
    deal: Opportunity, index: int, status: ObjectionStatus, at: datetime, note: str | None
) -> Log[Objection]:
    """The deal's objections with the open one at ``index`` settled (resolved or fatal)."""
    objection = _open_objection(deal, index)
    settled = attrs.evolve(objection, status=status, settled_at=at, settled_note=note)
    return _replaced(deal, index, settled)


FOLDS: dict[type[LifecycleEvent], Handler] = {
    DealRevised: _deal_revised,
    ObjectionRecorded: _objection_recorded,
    ObjectionAnswered: _objection_answered,
    ObjectionResolved: _objection_resolved,
    CompetitorNoted: _competitor_noted,
}
"""How each event of this family changes a record: the fold looks the handler up here."""
