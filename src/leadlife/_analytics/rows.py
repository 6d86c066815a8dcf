"""Histories to rows of the event table, one record at a time.

Each history is read once, front to back, keeping only what later rows need
(the record's stage, owner, deal figures and objections so far), so memory
does not grow with the book. The journey of a record is the lead at the root
of its lineage; a prospect names its lead, an opportunity only its prospect,
so the prospect-to-lead links seen so far are kept (one per prospect), and an
opportunity met before any trace of its prospect waits until one turns up.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC
from decimal import Decimal
from enum import Enum
from typing import Any

from leadlife._core.journal.events import (
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    Created,
    DealRevised,
    LeadCaptured,
    LifecycleEvent,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    SlaBreached,
    StageChanged,
    Touched,
)
from leadlife._core.journal.records import Lead, Opportunity, Prospect
from leadlife._core.support.errors import HistoryError
from leadlife._core.support.json import thawed
from leadlife._core.values.company import Company
from leadlife._core.values.ids import ProspectId
from leadlife._core.values.money import Money

Row = tuple[Any, ...]

_Fields = tuple[Any, ...]
"""What an event fills beyond the columns every row has, in this order: event,
from_stage, to_stage, entered, reason_code, review_on, told, mutual, recycles,
converted_to, touch_channel, touch_outcome, objection, tactic, competitor,
breach_level, inferred."""

_NOTHING: _Fields = (None, None, None, False, None, None, None, None, False, *(None,) * 7, False)


def _code(value: object) -> Any:
    return value.value if isinstance(value, Enum) else value


class _Record:
    """What later rows of one history need from the earlier ones."""

    __slots__ = (
        "amount",
        "attributes",
        "campaign",
        "channel",
        "company",
        "currency",
        "objections",
        "owner",
        "probability",
        "stage",
    )

    def __init__(self, record: Lead | Prospect | Opportunity) -> None:
        self.stage = record.stage
        self.owner = record.owner
        self.channel = record.source.channel
        self.campaign = record.source.campaign
        self.company = _company(record.company)
        self.objections: list[str] = []
        self.attributes: Mapping[str, Any] = record.attributes
        self.amount: Decimal | None = None
        self.currency: str | None = None
        self.probability: float | None = None
        if isinstance(record, Opportunity):
            self.amount, self.currency = _money(record.amount)
            self.probability = record.win_probability
            self.objections = [objection.kind.value for objection in record.objections]

    def objection(self, index: int | None) -> str | None:
        if index is None or index >= len(self.objections):
            return None
        return self.objections[index]


def _money(money: Money | None) -> tuple[Decimal | None, str | None]:
    """An amount and its currency, both missing when the amount is not known."""
    return (None, None) if money is None else (money.amount, money.currency)


def _company(company: Company | None) -> tuple[str | None, str | None, str | None]:
    if company is None:
        return (None, None, None)
    return (company.size.value, company.industry, company.region)


def _created_fields(event: Created, state: _Record) -> _Fields:
    return (
        None,
        None,
        state.stage,
        True,
        None,
        None,
        None,
        None,
        False,
        *(None,) * 7,
        event.inferred,
    )


def _moved(event: StageChanged, state: _Record) -> _Fields:
    state.stage = event.to_stage
    if event.win_probability is not None:
        state.probability = event.win_probability
    reason_code = told = mutual = objection = None
    if event.screening is not None:
        screening = event.screening
        reason_code, told, mutual = _code(screening.reason), screening.told, screening.mutual
        objection = state.objection(screening.objection)
    elif event.win is not None:
        reason_code = _code(event.win.reason)
    converted = event.converted_to
    return (
        event.event,
        event.from_stage,
        event.to_stage,
        event.to_stage != event.from_stage and converted is None,
        reason_code,
        event.review_on,
        told,
        mutual,
        event.recycles,
        None if converted is None else converted.value,
        None,
        None,
        objection,
        None,
        None,
        None,
        event.inferred,
    )


def _assigned(event: OwnerAssigned, state: _Record) -> _Fields:
    state.owner = event.owner
    return _NOTHING


def _touched(event: Touched, _state: _Record) -> _Fields:
    touch = event.touch
    return (*_NOTHING[:10], _code(touch.channel), _code(touch.outcome), *_NOTHING[12:])


def _raised(event: ObjectionRecorded, state: _Record) -> _Fields:
    kind = _code(event.objection.kind)
    state.objections.append(kind)
    return (*_NOTHING[:12], kind, *_NOTHING[13:])


def _answered(event: ObjectionAnswered, state: _Record) -> _Fields:
    return (*_NOTHING[:12], state.objection(event.objection), _code(event.tactic), *_NOTHING[14:])


def _resolved(event: ObjectionResolved, state: _Record) -> _Fields:
    return (*_NOTHING[:12], state.objection(event.objection), *_NOTHING[13:])


def _company_changed(event: CompanyChanged, state: _Record) -> _Fields:
    state.company = _company(event.company)
    return _NOTHING


def _revised(event: DealRevised, state: _Record) -> _Fields:
    state.amount, state.currency = _money(event.amount)
    state.probability = event.win_probability
    return _NOTHING


def _competitor(event: CompetitorNoted, _state: _Record) -> _Fields:
    return (*_NOTHING[:14], event.competitor, *_NOTHING[15:])


def _attributes_changed(event: AttributesChanged, state: _Record) -> _Fields:
    kept = {key: value for key, value in state.attributes.items() if key not in event.removed}
    state.attributes = {**kept, **event.updated}
    return _NOTHING


def _breached(event: SlaBreached, _state: _Record) -> _Fields:
    return (*_NOTHING[:15], event.breach.level, *_NOTHING[16:])


_FILLS: dict[type, Callable[[Any, _Record], _Fields]] = {
    LeadCaptured: _created_fields,
    ProspectCreated: _created_fields,
    OpportunityOpened: _created_fields,
    StageChanged: _moved,
    OwnerAssigned: _assigned,
    CompanyChanged: _company_changed,
    Touched: _touched,
    ObjectionRecorded: _raised,
    ObjectionAnswered: _answered,
    ObjectionResolved: _resolved,
    DealRevised: _revised,
    CompetitorNoted: _competitor,
    SlaBreached: _breached,
    AttributesChanged: _attributes_changed,
}
"""What each kind of event fills in; the others fill only the common columns."""


def history_rows(
    events: Sequence[LifecycleEvent], journey: str, attributes: Sequence[str] = ()
) -> Iterator[Row]:
    """The rows of one history, whose journey is ``journey``.

    Each row ends with the record's ``attributes`` as they are after the
    event (:func:`attribute_text`), when asked for.
    """
    record = _created(events).record
    record_id, kind = record.id.value, record.id.kind.value
    state = _Record(record)
    for seq, event in enumerate(events):
        fill = _FILLS.get(type(event))
        fields = _NOTHING if fill is None else fill(event, state)
        row = (
            journey,
            record_id,
            kind,
            seq,
            type(event).__name__,
            *fields[:3],
            state.stage,
            fields[3],
            event.at.astimezone(UTC),
            event.actor,
            state.owner,
            event.reason,
            *fields[4:10],
            state.channel,
            state.campaign,
            *state.company,
            state.amount,
            state.currency,
            state.probability,
            *fields[10:],
        )
        if attributes:
            found = state.attributes
            row += tuple(attribute_text(found.get(name)) for name in attributes)
        yield row


def attribute_text(value: Any) -> str | None:
    """A custom attribute as an event table holds it: text as it is, others as JSON.

    Example:
        >>> from leadlife._analytics.rows import attribute_text
        >>> attribute_text("GTX Pro"), attribute_text(3), attribute_text(None), attribute_text([1])
        ('GTX Pro', '3', None, '[1]')
    """
    if value is None or isinstance(value, str):
        return value
    return json.dumps(thawed(value), sort_keys=True, separators=(",", ":"))


def _created(events: Sequence[LifecycleEvent]) -> Created:
    first = events[0]
    if not isinstance(first, Created):
        raise HistoryError(
            event=first, problem="a history starts with the event that created its record", index=0
        )
    return first


class Journeys:
    """Finds each record's journey (its root lead), learning lineage as histories pass.

    ``attributes``: the custom attributes each row ends with (see :func:`history_rows`).
    """

    def __init__(self, attributes: Sequence[str] = ()) -> None:
        self.attributes = tuple(attributes)
        self.leads_of: dict[str, str] = {}
        """Prospect id -> its lead's id."""
        self.waiting: dict[str, list[Sequence[LifecycleEvent]]] = {}
        """Prospect id -> the histories of its opportunities, met before it."""

    def rows(self, histories: Iterable[Sequence[LifecycleEvent]]) -> Iterator[Row]:
        """Every row of ``histories``, each record's rows together, in the order given.

        An opportunity's rows come when its journey is known: at once if its
        prospect (or the lead that made it) was met before, otherwise as soon
        as it is, or at the end, with its prospect's id as the journey.
        """
        for events in histories:
            if not events:
                continue
            record = _created(events).record
            if isinstance(record, Opportunity):
                prospect = record.prospect_id.value
                lead = self.leads_of.get(prospect)
                if lead is None:
                    self.waiting.setdefault(prospect, []).append(events)
                    continue
                yield from history_rows(events, lead, self.attributes)
                continue
            if isinstance(record, Prospect):
                yield from self._learn(record.id.value, record.lead_id.value)
                yield from history_rows(events, record.lead_id.value, self.attributes)
                continue
            lead_id = record.id.value
            yield from history_rows(events, lead_id, self.attributes)
            for event in events:
                if isinstance(event, StageChanged) and isinstance(event.converted_to, ProspectId):
                    yield from self._learn(event.converted_to.value, lead_id)
        for prospect, waiting in self.waiting.items():
            for events in waiting:
                yield from history_rows(events, prospect, self.attributes)
        self.waiting = {}

    def _learn(self, prospect: str, lead: str) -> Iterator[Row]:
        self.leads_of[prospect] = lead
        for events in self.waiting.pop(prospect, ()):
            yield from history_rows(events, lead, self.attributes)
