"""The events of a record's history: every change is one of these.

Events are immutable and named in the past tense: they record what happened,
who did it, when, and why. A history is a list of them; replaying it rebuilds
the record (:func:`~leadlife.replay`). Each event type changes exactly the
fields its name says; the generic ``payload`` carries the embedding app's own
context and never changes the record.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

import attrs
from attrs.validators import optional

from leadlife._core import validation as check
from leadlife._core.activity import ScoreCrossing
from leadlife._core.assessment import Assessment
from leadlife._core.breach import Breach
from leadlife._core.commitment import Commitment, CommitmentKind
from leadlife._core.committee import Member
from leadlife._core.company import Company
from leadlife._core.consent import Consent
from leadlife._core.contact import Contact
from leadlife._core.followup import FollowUpPlan, Touch
from leadlife._core.ids import RecordId
from leadlife._core.json import EMPTY, JsonMap
from leadlife._core.merge import MergedFacts
from leadlife._core.money import Money
from leadlife._core.nurture import NurtureProgramme
from leadlife._core.objection import Objection, ObjectionResponse, ResponseTactic
from leadlife._core.records import Lead, Opportunity, Prospect, Record
from leadlife._core.screening import Screening, Win

_RECORD_ID = check.instance_of(RecordId, "a LeadId, ProspectId or OpportunityId")


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


def _converted_to(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, RecordId) or value.kind.depth != instance.record_id.kind.depth + 1:
        check.refuse(instance, attribute, value, "the id of the next deeper record, or None")


@attrs.frozen(kw_only=True)
class StageChanged(LifecycleEvent):
    """The funnel moved the record from one stage to another.

    Args:
        event: The funnel event that moved it (``"qualify"``).
        from_stage: The stage it left.
        to_stage: The stage it entered (may equal ``from_stage`` for a
            self-transition).
        review_on: When the decision behind this move is to be reviewed
            (required by the default funnel to disqualify); the record keeps
            it until its next move.
        converted_to: Set when the move converted the record into a deeper one
            (a lead into a prospect, a prospect into an opportunity): the id
            of that record, whose own history starts at the same time.
        screening: Why the record is screened out, for a move that screens it
            out (disqualifying, losing); the record keeps it until its next move.
        recycles: Whether the move recycles the record (it enters one of the
            funnel's recycle stages); the record counts its recycles.
        win_probability: For a deal, the win probability the move settles:
            1 when it enters a stage that closes it won, 0 lost; ``None`` when
            the move leaves the odds as they are.
        win: Why the deal was won, for a move into a won stage; the deal
            keeps it.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import StageChanged
        >>> StageChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 9, 11, tzinfo=UTC),
        ...     actor="bob",
        ...     event="disqualify",
        ...     from_stage="lead",
        ...     to_stage="disqualified",
        ...     reason="no budget this year",
        ...     review_on=date(2027, 1, 15),
        ... ).review_on
        datetime.date(2027, 1, 15)
    """

    event: str = attrs.field(validator=check.text)
    from_stage: str = attrs.field(validator=check.text)
    to_stage: str = attrs.field(validator=check.text)
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))
    converted_to: RecordId | None = attrs.field(default=None, validator=_converted_to)
    screening: Screening | None = attrs.field(
        default=None, validator=optional(check.instance_of(Screening, "a Screening or None"))
    )
    recycles: bool = attrs.field(default=False, validator=check.instance_of(bool, "True or False"))
    win_probability: float | None = attrs.field(
        default=None, validator=attrs.validators.optional(check.probability)
    )
    win: Win | None = attrs.field(
        default=None, validator=optional(check.instance_of(Win, "a Win or None"))
    )


@attrs.frozen(kw_only=True)
class OwnerAssigned(LifecycleEvent):
    """The record got a new owner (``None``: nobody owns it now).

    ``policy`` names the routing policy that chose the owner (its path in a
    chain, such as ``"chain/rules/round_robin"``), ``None`` when a person
    did; the reason says why that owner.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import OwnerAssigned
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> OwnerAssigned(record_id=LeadId("L-1"), at=at, actor="router", owner=None).owner is None
        True
    """

    owner: str | None = attrs.field(validator=optional(check.text))
    policy: str | None = attrs.field(default=None, validator=optional(check.text))


def _tag_change(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not instance.added and not instance.removed:
        check.refuse(instance, attribute, value, "at least one tag added or removed")
    if instance.added & instance.removed:
        check.refuse(instance, attribute, value, "tags not both added and removed")


@attrs.frozen(kw_only=True)
class TagsChanged(LifecycleEvent):
    """Tags were added to or removed from the record.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import TagsChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> sorted(
        ...     TagsChanged(
        ...         record_id=LeadId("L-1"), at=at, actor="sam", added=["vip", "emea"]
        ...     ).added
        ... )
        ['emea', 'vip']
    """

    added: frozenset[str] = attrs.field(
        default=frozenset(), converter=check.to_text_set, validator=check.converted
    )
    removed: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=check.to_text_set,
        validator=[check.converted, _tag_change],
    )


def _attribute_change(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not instance.updated and not instance.removed:
        check.refuse(instance, attribute, value, "at least one attribute updated or removed")
    if set(instance.updated) & instance.removed:
        check.refuse(instance, attribute, value, "keys not both updated and removed")


@attrs.frozen(kw_only=True)
class AttributesChanged(LifecycleEvent):
    """Custom attributes were set (``updated``) or deleted (``removed``).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import AttributesChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> AttributesChanged(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", updated={"score": 87}, removed={"old"}
        ... ).updated
        JsonMap({'score': 87})
    """

    updated: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )
    removed: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=check.to_text_set,
        validator=[check.converted, _attribute_change],
    )


@attrs.frozen(kw_only=True)
class ConsentRecorded(LifecycleEvent):
    """The person said something new about being contacted.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Consent, ConsentStatus, LeadId
        >>> from leadlife.events import ConsentRecorded
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> ConsentRecorded(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="form",
        ...     consent=Consent(status=ConsentStatus.GRANTED),
        ... ).consent.status.value
        'granted'
    """

    consent: Consent = attrs.field(validator=check.instance_of(Consent, "a Consent"))


@attrs.frozen(kw_only=True)
class ContactChanged(LifecycleEvent):
    """The contact's details were corrected or completed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, LeadId
        >>> from leadlife.events import ContactChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> ContactChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     contact=Contact(name="Ada", phone="+44 20 7946 0000"),
        ... ).contact.phone
        '+44 20 7946 0000'
    """

    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))


@attrs.frozen(kw_only=True)
class CompanyChanged(LifecycleEvent):
    """The company's details were corrected or completed (``None``: unknown).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Company, LeadId
        >>> from leadlife.events import CompanyChanged
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> CompanyChanged(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", company=Company(name="Engines Ltd")
        ... ).company.name
        'Engines Ltd'
    """

    company: Company | None = attrs.field(
        validator=optional(check.instance_of(Company, "a Company or None"))
    )


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


def _raised(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.instance_of(Objection, "an Objection")(instance, attribute, value)
    if not value.open or value.responses:
        check.refuse(
            instance, attribute, value, "an objection as raised: open, with no answers yet"
        )


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


_INDEX = check.whole_number(0, "the objection's index in the deal's objections (an int >= 0)")


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


def _due_after(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check.aware_datetime(instance, attribute, value)
    if value < instance.at:
        check.refuse(instance, attribute, value, f"a time after the event, {instance.at}")


@attrs.frozen(kw_only=True)
class CommitmentMade(LifecycleEvent):
    """A next step was agreed, or we made a promise (by the event's actor, at its time).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import CommitmentMade
        >>> from leadlife.followup import CommitmentKind
        >>> CommitmentMade(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, 11, tzinfo=UTC),
        ...     actor="sam",
        ...     kind=CommitmentKind.PROMISE,
        ...     what="send the proposal",
        ...     due_at=datetime(2026, 3, 6, 17, tzinfo=UTC),
        ... ).commitment.by
        'sam'
    """

    kind: CommitmentKind = attrs.field(validator=check.member_of(CommitmentKind))
    what: str = attrs.field(validator=check.text)
    due_at: datetime = attrs.field(validator=_due_after)

    @property
    def commitment(self) -> Commitment:
        """The commitment as the record keeps it."""
        return Commitment(
            kind=self.kind, what=self.what, made_at=self.at, due_at=self.due_at, by=self.actor
        )


@attrs.frozen(kw_only=True)
class CommitmentKept(LifecycleEvent):
    """A next step was taken, or a promise kept: ``commitment`` is its index.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import CommitmentKept
        >>> CommitmentKept(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 5, tzinfo=UTC),
        ...     actor="sam",
        ...     commitment=0,
        ... ).commitment
        0
    """

    commitment: int = attrs.field(
        validator=check.whole_number(0, "the commitment's index in the record's commitments")
    )


@attrs.frozen(kw_only=True)
class NurtureEnrolled(LifecycleEvent):
    """The record was enrolled in a nurture programme, in the stage it stands in.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import LeadId
        >>> from leadlife.events import NurtureEnrolled
        >>> from leadlife.followup import Channel
        >>> from leadlife.nurture import NurtureProgramme
        >>> NurtureEnrolled(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     programme=NurtureProgramme(
        ...         key="digest", name="Digest", channels={Channel.NEWSLETTER}, every=timedelta(30)
        ...     ),
        ... ).programme.key
        'digest'
    """

    programme: NurtureProgramme = attrs.field(
        validator=check.instance_of(NurtureProgramme, "a NurtureProgramme")
    )


@attrs.frozen(kw_only=True)
class NurtureEnded(LifecycleEvent):
    """The record left its nurture programme without moving (a move out of its stage ends it too).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import NurtureEnded
        >>> NurtureEnded(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="ops"
        ... ).actor
        'ops'
    """


@attrs.frozen(kw_only=True)
class MemberAdded(LifecycleEvent):
    """Someone joined the record's buying committee.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole, LeadId, Member
        >>> from leadlife.events import MemberAdded
        >>> from leadlife.qualification import Method, Provenance
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> MemberAdded(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     member=Member(
        ...         key="cfo",
        ...         contact=Contact(name="Grace", role=DecisionRole.DECISION_MAKER),
        ...         provenance=Provenance(recorded_by="sam", at=at, method=Method.CALL),
        ...     ),
        ... ).member.key
        'cfo'
    """

    member: Member = attrs.field(validator=check.instance_of(Member, "a Member"))


@attrs.frozen(kw_only=True)
class MemberChanged(LifecycleEvent):
    """A committee member's details, role or consent changed: ``member`` is them as they are now.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Consent, Contact, LeadId, Member
        >>> from leadlife.events import MemberChanged
        >>> from leadlife.qualification import Method, Provenance
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> MemberChanged(
        ...     record_id=LeadId("L-1"),
        ...     at=at,
        ...     actor="sam",
        ...     member=Member(
        ...         key="cfo",
        ...         contact=Contact(name="Grace"),
        ...         provenance=Provenance(recorded_by="sam", at=at, method=Method.CALL),
        ...         consent=Consent(do_not_contact=True, recorded_at=at),
        ...     ),
        ... ).member.consent.do_not_contact
        True
    """

    member: Member = attrs.field(validator=check.instance_of(Member, "a Member"))


@attrs.frozen(kw_only=True)
class MemberRemoved(LifecycleEvent):
    """Someone left the buying committee (they changed jobs, or were never part of it).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MemberRemoved
        >>> MemberRemoved(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="sam", key="cfo"
        ... ).key
        'cfo'
    """

    key: str = attrs.field(validator=check.key)


def _assessment(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Assessment) or value.at > instance.at:
        check.refuse(instance, attribute, value, "an Assessment made no later than the event")


@attrs.frozen(kw_only=True)
class Assessed(LifecycleEvent):
    """The record was assessed under a qualification framework.

    The record keeps the latest assessment; the history keeps them all, so
    re-assessing with new evidence never loses the earlier verdicts.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import Assessed
        >>> from leadlife.qualification import BANT, Evidence
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> assessment = BANT.assess(Evidence(), at=at)
        >>> Assessed(
        ...     record_id=LeadId("L-1"), at=at, actor="sam", assessment=assessment
        ... ).assessment.outcome
        <Outcome.INSUFFICIENT_EVIDENCE: 'insufficient_evidence'>
    """

    assessment: Assessment = attrs.field(validator=_assessment)


@attrs.frozen(kw_only=True)
class FollowUpAgreed(LifecycleEvent):
    """The person agreed to a follow-up plan: a channel, an interval, stop rules.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import LeadId
        >>> from leadlife.events import FollowUpAgreed
        >>> from leadlife.followup import Channel, FollowUpPlan
        >>> plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=14))
        >>> FollowUpAgreed(
        ...     record_id=LeadId("L-1"), at=datetime(2026, 3, 2, tzinfo=UTC), actor="sam", plan=plan
        ... ).plan.every.days
        14
    """

    plan: FollowUpPlan = attrs.field(validator=check.instance_of(FollowUpPlan, "a FollowUpPlan"))


@attrs.frozen(kw_only=True)
class FollowUpEnded(LifecycleEvent):
    """The chase ended: a stop rule fired, or someone ended it (see ``reason``).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import FollowUpEnded
        >>> FollowUpEnded(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="system",
        ...     reason="4 touches without an answer",
        ... ).reason
        '4 touches without an answer'
    """


def _touch(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Touch) or value.at > instance.at:
        check.refuse(instance, attribute, value, "a Touch made no later than the event")


@attrs.frozen(kw_only=True)
class Touched(LifecycleEvent):
    """A follow-up touch was made.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import Touched
        >>> from leadlife.followup import Channel, Touch, TouchOutcome
        >>> at = datetime(2026, 3, 2, tzinfo=UTC)
        >>> touch = Touch(at=at, channel=Channel.PHONE, outcome=TouchOutcome.NO_ANSWER)
        >>> Touched(record_id=LeadId("L-1"), at=at, actor="sam", touch=touch).touch.outcome.value
        'no_answer'
    """

    touch: Touch = attrs.field(validator=_touch)


@attrs.frozen(kw_only=True)
class SlaBreached(LifecycleEvent):
    """A service level was breached on the record: the audit trail of the breach.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import SlaBreached
        >>> from leadlife.sla import Breach
        >>> due = datetime(2026, 3, 2, 17, tzinfo=UTC)
        >>> breach = Breach(
        ...     level="acceptance", started_at=datetime(2026, 3, 2, 9, tzinfo=UTC), due_at=due
        ... )
        >>> SlaBreached(record_id=LeadId("L-1"), at=due, actor="agenda", breach=breach).breach.level
        'acceptance'
    """

    breach: Breach = attrs.field(validator=check.instance_of(Breach, "a Breach"))


def _crossing(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, ScoreCrossing) or value.at > instance.at:
        check.refuse(instance, attribute, value, "a ScoreCrossing scored no later than the event")


@attrs.frozen(kw_only=True)
class ScoreCrossed(LifecycleEvent):
    """The record's score crossed a model's sales-ready threshold, up or down, and why.

    Recorded at a crossing, not at every scoring: a history shows when a lead
    became sales-ready by score and when it decayed below, each with the
    contributions that made it so.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import ScoreCrossed
        >>> from leadlife.scoring import ScoreCrossing
        >>> at = datetime(2026, 3, 2, tzinfo=UTC)
        >>> crossing = ScoreCrossing(
        ...     model="b2b",
        ...     score=55.0,
        ...     threshold=50,
        ...     ready=True,
        ...     at=at,
        ...     reasons=["+20 large: company.size is 250-999"],
        ... )
        >>> ScoreCrossed(
        ...     record_id=LeadId("L-1"), at=at, actor="scoring", crossing=crossing
        ... ).crossing.ready
        True
    """

    crossing: ScoreCrossing = attrs.field(validator=_crossing)


def _facts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, MergedFacts):
        check.refuse(instance, attribute, value, "MergedFacts")


def _record_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, RecordId):
        check.refuse(instance, attribute, value, "a record id")
    elif value == instance.record_id:
        check.refuse(instance, attribute, value, "another record than the event's own")


@attrs.frozen(kw_only=True)
class RecordsMerged(LifecycleEvent):
    """Another record of the same person was merged into this one, which survives.

    ``before`` and ``after`` are the survivor's facts on each side of the
    merge (``after`` joins both records' facts as the merge policy said), so
    undoing it restores them exactly. ``policy`` names how conflicts were
    settled.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, LeadId
        >>> from leadlife.events import RecordsMerged
        >>> from leadlife.values import MergedFacts
        >>> RecordsMerged(
        ...     record_id=LeadId("L-1"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     absorbed=LeadId("L-2"),
        ...     before=MergedFacts(contact=Contact(name="Ada")),
        ...     after=MergedFacts(contact=Contact(name="Ada", email="ada@acme.com")),
        ...     policy="survivor",
        ... ).absorbed
        LeadId(value='L-2')
    """

    absorbed: RecordId = attrs.field(validator=_record_id)
    before: MergedFacts = attrs.field(validator=_facts)
    after: MergedFacts = attrs.field(validator=_facts)
    policy: str = attrs.field(validator=check.text)


@attrs.frozen(kw_only=True)
class MergedInto(LifecycleEvent):
    """This record was merged into another of the same person, which carries on: it is closed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MergedInto
        >>> MergedInto(
        ...     record_id=LeadId("L-2"),
        ...     at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     actor="ops",
        ...     survivor=LeadId("L-1"),
        ... ).survivor
        LeadId(value='L-1')
    """

    survivor: RecordId = attrs.field(validator=_record_id)


@attrs.frozen(kw_only=True)
class MergeUndone(LifecycleEvent):
    """A merge was undone: on the survivor, its facts are restored; the absorbed record reopens.

    On the survivor, ``restored`` is the facts it had before the merge and
    ``undone`` the facts the merge gave it (the record must still hold
    them: a fact changed since is not silently thrown away); on the absorbed
    record both are ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import LeadId
        >>> from leadlife.events import MergeUndone
        >>> MergeUndone(
        ...     record_id=LeadId("L-2"),
        ...     at=datetime(2026, 3, 3, tzinfo=UTC),
        ...     actor="ops",
        ...     other=LeadId("L-1"),
        ... ).restored is None
        True
    """

    other: RecordId = attrs.field(validator=_record_id)
    restored: MergedFacts | None = attrs.field(
        default=None, validator=optional(check.instance_of(MergedFacts, "MergedFacts or None"))
    )
    undone: MergedFacts | None = attrs.field(
        default=None, validator=optional(check.instance_of(MergedFacts, "MergedFacts or None"))
    )

    def __attrs_post_init__(self) -> None:
        if (self.restored is None) != (self.undone is None):
            check.refuse(
                self,
                attrs.fields(MergeUndone).undone,
                self.undone,
                "restored and undone facts together (on the survivor) or neither",
            )


EVENT_TYPES: tuple[type[LifecycleEvent], ...] = (
    LeadCaptured,
    ProspectCreated,
    OpportunityOpened,
    StageChanged,
    Assessed,
    FollowUpAgreed,
    FollowUpEnded,
    NurtureEnrolled,
    NurtureEnded,
    CommitmentMade,
    CommitmentKept,
    Touched,
    SlaBreached,
    ScoreCrossed,
    OwnerAssigned,
    TagsChanged,
    AttributesChanged,
    ConsentRecorded,
    ContactChanged,
    CompanyChanged,
    DealRevised,
    ObjectionRecorded,
    ObjectionAnswered,
    ObjectionResolved,
    CompetitorNoted,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    RecordsMerged,
    MergedInto,
    MergeUndone,
)
"""Every concrete event type, in the order the docs list them."""
