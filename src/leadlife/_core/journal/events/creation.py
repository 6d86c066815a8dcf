"""A history's first event: a record captured, created or opened."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, OMIT_IF_DEFAULT, JsonMap
from leadlife._core.values.ids import RecordId

_RECORD_ID = check.instance_of(RecordId, "a LeadId, ProspectId or OpportunityId")


def _snapshot(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """The record a creation event starts with: of the event's kind, with its id."""
    record_type = type(instance).record_type
    if not isinstance(value, record_type) or value.id != instance.record_id:
        check.refuse(
            instance,
            attribute,
            value,
            f"a {record_type.__name__} whose id is the event's record_id",
        )


@attrs.frozen(kw_only=True)
class LifecycleEvent:
    """What every event has: whose, when, by whom, why, and free context.

    Args:
        record_id: The record the event belongs to.
        at: When it happened; timezone-aware.
        actor: Who made it happen (a user id, or a system's name).
        reason: Why, in words, if anyone said.
        payload: The embedding app's own context, JSON-safe; replay keeps it
            in the history and never reads it.
        inferred: The event is not in the data it was imported from: an
            import placed it (a stage walked through to reach one the data
            dates, a move the data does not date, the lead a deals table
            implies). The record is the same either way; reports never read
            a stay it begins or ends as time observed (see :doc:`/own-data`).
            Written only when true: a history without one reads as before.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId, LifecycleEvent
        >>> from leadlife.events import OwnerAssigned
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> event = OwnerAssigned(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="router",
        ...     owner="sam",
        ...     payload={"rule": "EMEA"},
        ... )
        >>> isinstance(event, LifecycleEvent), event.payload["rule"]
        (True, 'EMEA')
    """

    record_id: RecordId = attrs.field(validator=_RECORD_ID)
    at: datetime = attrs.field(validator=check.aware_datetime)
    actor: str = attrs.field(validator=check.text)
    reason: str | None = attrs.field(default=None, validator=optional(check.text))
    payload: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )
    inferred: bool = attrs.field(
        default=False,
        validator=check.instance_of(bool, "True or False"),
        metadata={OMIT_IF_DEFAULT: True},
    )


@attrs.frozen(kw_only=True)
class Created(LifecycleEvent):
    """Base class of the events that start a history with a full snapshot.

    Example:
        >>> from leadlife.events import Created, LeadCaptured, OpportunityOpened, ProspectCreated
        >>> all(
        ...     issubclass(cls, Created)
        ...     for cls in (LeadCaptured, ProspectCreated, OpportunityOpened)
        ... )
        True
    """

    record_type: ClassVar[type[Record]]

    @property
    def record(self) -> Record:
        """The record as it was created."""
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class LeadCaptured(Created):
    """A lead entered the funnel; starts a lead's history.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, Lead, LeadId, Source
        >>> from leadlife.events import LeadCaptured
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="suspect",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     created_at=at,
        ... )
        >>> LeadCaptured(record_id=lead.id, at=at, actor="web-form", lead=lead).record is lead
        True
    """

    record_type: ClassVar[type[Record]] = Lead
    lead: Lead = attrs.field(validator=_snapshot)

    @property
    def record(self) -> Lead:
        """The lead as captured."""
        return self.lead


@attrs.frozen(kw_only=True)
class ProspectCreated(Created):
    """A lead was qualified into this prospect; starts a prospect's history.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, LeadId, Prospect, ProspectId, Source
        >>> from leadlife.events import ProspectCreated
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> prospect = Prospect(
        ...     id=ProspectId("P-1"),
        ...     lead_id=LeadId("L-1"),
        ...     stage="prospect",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     created_at=at,
        ... )
        >>> ProspectCreated(
        ...     record_id=prospect.id, at=at, actor="sam", prospect=prospect
        ... ).record.lead_id
        LeadId(value='L-1')
    """

    record_type: ClassVar[type[Record]] = Prospect
    prospect: Prospect = attrs.field(validator=_snapshot)

    @property
    def record(self) -> Prospect:
        """The prospect as created."""
        return self.prospect


@attrs.frozen(kw_only=True)
class OpportunityOpened(Created):
    """A prospect's deal was opened as this opportunity; starts its history.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import Contact, Money, Opportunity, OpportunityId, ProspectId, Source
        >>> from leadlife.events import OpportunityOpened
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> deal = Opportunity(
        ...     id=OpportunityId("O-1"),
        ...     prospect_id=ProspectId("P-1"),
        ...     stage="discovery",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     name="Pilot",
        ...     amount=Money.of("5000", "EUR"),
        ...     expected_close=date(2026, 6, 1),
        ...     win_probability=0.2,
        ...     created_at=at,
        ... )
        >>> OpportunityOpened(record_id=deal.id, at=at, actor="sam", opportunity=deal).record.stage
        'discovery'
    """

    record_type: ClassVar[type[Record]] = Opportunity
    opportunity: Opportunity = attrs.field(validator=_snapshot)

    @property
    def record(self) -> Opportunity:
        """The opportunity as opened."""
        return self.opportunity


def holding(record: Record) -> dict[str, Any]:
    """The creation event's field of ``record``: ``{"lead": record}``, ``{"prospect": r}``."""
    return {record.kind.value: record}
