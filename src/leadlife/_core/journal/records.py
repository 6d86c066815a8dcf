"""Lead, prospect and opportunity: the three records a journey passes through.

DOMAIN: a *lead* may have a need; a *prospect* is a lead that has been
qualified; an *opportunity* is a prospect with a concrete deal. They are
distinct types because they hold different facts, and a conversion creates
the deeper record while keeping the shallower one (lineage by id: a prospect
knows its lead, an opportunity its prospect), so nothing is dropped.

Records are frozen values. They change only through events
(:mod:`leadlife._history`), which is what lets a history be replayed into the
very same record; the funnel state machine runs on a small mutable cursor
instead of on the record (see :class:`~leadlife.Lifecycle`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar, Self, TypeAlias, cast

import attrs
from attrs.validators import optional

from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.support.json import EMPTY, OMIT_IF_DEFAULT, JsonMap
from leadlife._core.support.log import Log
from leadlife._core.values.activity import ScoreCrossing
from leadlife._core.values.assessment import Assessment
from leadlife._core.values.breach import Breach
from leadlife._core.values.commitment import Commitment
from leadlife._core.values.committee import Member, to_committee
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent, unknown_consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.followup import FollowUp, Touch
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId, RecordId, RecordKind
from leadlife._core.values.money import Money
from leadlife._core.values.nurture import Nurture
from leadlife._core.values.objection import Objection, ObjectionStatus
from leadlife._core.values.screening import Screening, Win
from leadlife._core.values.sequences import SequenceEnrolment
from leadlife._core.values.source import Source
from leadlife._core.values.touches import Touches


def _not_before(earlier: str) -> check.Validator:
    """A datetime that is not before the field ``earlier`` of the same record."""

    def validate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check.aware_datetime(instance, attribute, value)
        if value < getattr(instance, earlier):
            check.refuse(instance, attribute, value, f"a time not before {earlier}")

    return validate


_FIRST = ("id", "lead_id", "prospect_id", "name")


def _identity_first(_cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """Put the id and the lineage first, so a repr starts with who it is."""
    return sorted(fields, key=lambda f: _FIRST.index(f.name) if f.name in _FIRST else len(_FIRST))


def _to_touches(value: Sequence[Touch]) -> Touches:
    try:
        return cast(Touches, check.to_log_of(value, Touch, "a list of Touch", Touches))
    except ValueError:
        return cast(Touches, check.refused(value, "touches in time order, oldest first"))


def _to_breaches(value: Sequence[Breach]) -> Log[Breach]:
    return check.to_log_of(value, Breach, "a list of Breach")


def _to_commitments(value: Sequence[Commitment]) -> Log[Commitment]:
    return check.to_log_of(value, Commitment, "a list of Commitment")


def _to_objections(value: Sequence[Objection]) -> Log[Objection]:
    return check.to_log_of(value, Objection, "a list of Objection")


# Shared empty defaults: an empty log never grows in place, so one will do.
def _to_ids(value: Sequence[RecordId]) -> tuple[RecordId, ...]:
    return check.to_tuple_of(value, RecordId, "a list of record ids")


_NO_TOUCHES = Touches()
_NONE: Log[Any] = Log()


def _settled(objection: Objection) -> datetime:
    return cast(datetime, objection.settled_at)


class DealMotion(Enum):
    """Whether a deal wins a new customer or grows one: growth is a new deal, linked.

    Example:
        >>> from leadlife import DealMotion
        >>> [motion.value for motion in DealMotion]
        ['new_business', 'upsell', 'cross_sell', 'renewal']
    """

    NEW_BUSINESS = "new_business"
    UPSELL = "upsell"
    """More of what they have (seats, volume, a higher tier)."""
    CROSS_SELL = "cross_sell"
    """Something else of ours."""
    RENEWAL = "renewal"
    """The same again, for another term."""


@attrs.frozen(kw_only=True)
class _Record:
    """The fields every record has; see :class:`~leadlife.Lead` for their meaning."""

    kind: ClassVar[RecordKind]

    stage: str = attrs.field(validator=check.text)
    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))
    source: Source = attrs.field(validator=check.instance_of(Source, "a Source"))
    company: Company | None = attrs.field(
        default=None, validator=optional(check.instance_of(Company, "a Company or None"))
    )
    account: str | None = attrs.field(
        default=None,
        validator=optional(check.text),
        metadata={OMIT_IF_DEFAULT: True},  # a record without one reads and writes as before
    )
    owner: str | None = attrs.field(default=None, validator=optional(check.text))
    consent: Consent = attrs.field(
        factory=unknown_consent, validator=check.instance_of(Consent, "a Consent")
    )
    committee: tuple[Member, ...] = attrs.field(
        default=(), converter=to_committee, validator=check.converted
    )
    tags: frozenset[str] = attrs.field(
        default=frozenset(), converter=check.to_text_set, validator=check.converted
    )
    attributes: JsonMap = attrs.field(
        default=EMPTY, converter=check.to_json_map, validator=check.converted
    )
    review_on: date | None = attrs.field(default=None, validator=optional(check.calendar_date))
    assessment: Assessment | None = attrs.field(
        default=None, validator=optional(check.instance_of(Assessment, "an Assessment or None"))
    )
    screening: Screening | None = attrs.field(
        default=None, validator=optional(check.instance_of(Screening, "a Screening or None"))
    )
    follow_up: FollowUp | None = attrs.field(
        default=None, validator=optional(check.instance_of(FollowUp, "a FollowUp or None"))
    )
    nurture: Nurture | None = attrs.field(
        default=None, validator=optional(check.instance_of(Nurture, "a Nurture or None"))
    )
    sequence: SequenceEnrolment | None = attrs.field(
        default=None,
        validator=optional(check.instance_of(SequenceEnrolment, "a SequenceEnrolment or None")),
        metadata={OMIT_IF_DEFAULT: True},  # a record without one reads and writes as before
    )
    commitments: Log[Commitment] = attrs.field(
        default=_NONE, converter=_to_commitments, validator=check.converted
    )
    touches: Touches = attrs.field(
        default=_NO_TOUCHES, converter=_to_touches, validator=check.converted
    )
    recycled: int = attrs.field(default=0, validator=check.whole_number(0, "a count, 0 or more"))
    breaches: Log[Breach] = attrs.field(
        default=_NONE, converter=_to_breaches, validator=check.converted
    )
    score: ScoreCrossing | None = attrs.field(
        default=None,
        validator=optional(check.instance_of(ScoreCrossing, "a ScoreCrossing or None")),
    )
    merged_into: RecordId | None = attrs.field(
        default=None, validator=optional(check.instance_of(RecordId, "a record id or None"))
    )
    absorbed: tuple[RecordId, ...] = attrs.field(
        default=(), converter=_to_ids, validator=check.converted
    )
    erased_at: datetime | None = attrs.field(
        default=None,
        validator=optional(check.aware_datetime),
        metadata={OMIT_IF_DEFAULT: True},  # a record never erased reads and writes as before
    )
    created_at: datetime = attrs.field(validator=check.aware_datetime)
    stage_since: datetime = attrs.field(
        default=attrs.Factory(lambda self: self.created_at, takes_self=True),
        validator=_not_before("created_at"),
    )
    updated_at: datetime = attrs.field(
        default=attrs.Factory(lambda self: self.stage_since, takes_self=True),
        validator=_not_before("stage_since"),
    )

    # -- display: who it is, where it stands, what needs attention; never every field

    def __repr__(self) -> str:
        record_id: RecordId = getattr(self, "id")  # noqa: B009 - each kind declares its id
        owner = f", owner {self.owner}" if self.owner else ""
        return (
            f"<{type(self).__name__} {record_id.value} at {self.stage} since "
            f"{self.stage_since:%Y-%m-%d}: {display.shorten(self.contact.name, 40)}{owner}>"
        )

    def _display_rows(self) -> list[tuple[str, str]]:
        record_id: RecordId = getattr(self, "id")  # noqa: B009 - each kind declares its id
        contact = self.contact
        who = ", ".join(part for part in (contact.name, contact.title) if part)
        rows = [
            ("id", record_id.value),
            ("stage", f"{self.stage} since {self.stage_since:%Y-%m-%d %H:%M %Z}"),
            ("contact", who),
        ]
        if self.company is not None:
            rows.append(("company", self.company.name))
        if self.account is not None:
            rows.append(("account", self.account))
        if self.erased_at is not None:
            rows.append(("personal data", f"erased on {self.erased_at:%Y-%m-%d}"))
        rows.append(("source", self.source.described))
        rows.append(("owner", self.owner or "nobody"))
        if self.score is not None:
            side = "sales-ready" if self.score.ready else "below its threshold"
            rows.append(("score", f"{self.score.score:.4g} by {self.score.model}: {side}"))
        return rows + self._attention_rows()

    def _attention_rows(self) -> list[tuple[str, str]]:
        """What someone working the record should know: consent, screening, chases, promises."""
        rows = []
        if self.consent.do_not_contact:
            rows.append(("consent", "do not contact"))
        if self.committee:
            rows.append(("committee", ", ".join(member.key for member in self.committee)))
        if self.tags:
            rows.append(("tags", ", ".join(sorted(self.tags))))
        if self.screening is not None:
            review = f", review on {self.review_on:%Y-%m-%d}" if self.review_on else ""
            rows.append(("screened out", f"{self.screening.reason}{review}"))
        if self.follow_up is not None:
            plan = self.follow_up.plan
            rows.append(("follow-up", f"{plan.channel.value} every {plan.every}"))
        if self.nurture is not None:
            rows.append(("nurture", self.nurture.programme.name))
        if self.touches:
            rows.append(("touches", f"{len(self.touches)}, last {self.touches[-1].at:%Y-%m-%d}"))
        open_commitments = [c for c in self.commitments if c.kept_at is None]
        if open_commitments:
            rows.append(("commitments open", str(len(open_commitments))))
        if self.breaches:
            rows.append(("SLA breaches", ", ".join(b.level for b in self.breaches)))
        return rows

    def card(self, *rows: tuple[str, str]) -> display.Card:
        """The record's display: who it is, where it stands, what needs attention, and ``rows``.

        ``rows`` add what the record does not know itself, such as what a
        book says it may be worth
        (:meth:`leadlife.analytics.PotentialValues.card` adds that row).
        """
        return display.Card(title=repr(self)[1:-1], rows=[*self._display_rows(), *rows])

    def _repr_html_(self) -> str:
        """The record in a notebook: a short table of what matters."""
        return self.card()._repr_html_()

    def _repr_markdown_(self) -> str:
        """The record as Markdown: a short table of what matters."""
        return self.card()._repr_markdown_()


@attrs.frozen(kw_only=True, field_transformer=_identity_first, repr=False)
class Lead(_Record):
    """Someone who may have a need, a reason or an interest.

    Args:
        id: The lead's :class:`~leadlife.LeadId`.
        stage: The funnel stage it stands in (a stage value of the funnel).
        contact: The person.
        source: Where the lead came from.
        company: The organisation, if known.
        account: The key of the account it belongs to, once linked (see
            :doc:`/accounts`); carried into the records it converts into.
        owner: Who is responsible for it (a user id of the embedding app).
        consent: What the person said about being contacted.
        committee: The other people behind the decision, each with a role and
            a consent of their own (see :class:`~leadlife.Member`).
        tags: Free labels; distinct, non-blank.
        attributes: Custom attributes; must be JSON-safe (see :class:`~leadlife.values.JsonMap`).
        review_on: When the current decision about it is reviewed (set when it
            is disqualified, for instance).
        assessment: Its latest qualification :class:`~leadlife.qualification.Assessment`; the
        earlier
            ones are in its history.
        screening: Why it was screened out, while it is (set by the move that
            disqualified it, cleared by its next move).
        follow_up: The follow-up plan in force, since it was agreed.
        nurture: The nurture programme it is kept warm by, while it is (see
            :meth:`Lifecycle.enrol <leadlife.Lifecycle.enrol>`).
        sequence: The sales sequence it is in, while it is (see
            :meth:`Lifecycle.enrol_in_sequence <leadlife.Lifecycle.enrol_in_sequence>`).
        commitments: The next steps agreed and the promises made, oldest first.
        touches: Every follow-up touch made, oldest first.
        recycled: How many times it was recycled (moved into a recycle stage).
        breaches: The service levels breached on it, oldest first.
        score: Its score's last crossing of a scoring model's sales-ready
            threshold (see :doc:`/scoring`); ``None`` until one.
        merged_into: The record this person's journey goes on in: another
            record of the same person it was merged into (see
            :doc:`/duplicates`), or the deal it joined (see
            :meth:`Lifecycle.join_deal <leadlife.Lifecycle.join_deal>`). It
            takes no further events until a merge is undone.
        absorbed: The records merged into it, oldest first.
        erased_at: When its people's personal data was erased from the vault
            (see :doc:`/privacy`); ``None`` if never.
        created_at: When it was captured; timezone-aware.
        stage_since: When it entered its current stage; defaults to ``created_at``.
        updated_at: When it last changed; defaults to ``stage_since``.
        converted_to: The prospect it was converted into, once qualified; a
            converted lead takes no further events, its journey goes on as
            that prospect.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, Lead, LeadId, Source
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="suspect",
        ...     contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        ...     source=Source(channel="web", campaign="spring"),
        ...     tags={"vip"},
        ...     attributes={"segment": "smb"},
        ...     created_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
        ... )
        >>> lead.updated_at == lead.created_at
        True
    """

    kind: ClassVar[RecordKind] = RecordKind.LEAD

    id: LeadId = attrs.field(validator=check.instance_of(LeadId, "a LeadId"))
    converted_to: ProspectId | None = attrs.field(
        default=None, validator=optional(check.instance_of(ProspectId, "a ProspectId or None"))
    )


@attrs.frozen(kw_only=True, field_transformer=_identity_first, repr=False)
class Prospect(_Record):
    """A lead that has been qualified: its criteria were asked and answered.

    It carries everything its lead had (contact, source, company, owner,
    consent, tags, attributes) and the lead's id in ``lead_id``.

    Args:
        id: The prospect's :class:`~leadlife.ProspectId`.
        lead_id: The lead it came from.
        converted_to: The opportunity it was converted into, once a deal
            opened; the journey goes on as that opportunity.

    The other arguments are those of :class:`~leadlife.Lead`.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, Lead, LeadId, Prospect, ProspectId, Source
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="accepted",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     tags={"vip"},
        ...     created_at=at,
        ... )
        >>> prospect = Prospect.from_lead(lead, id=ProspectId("P-1"), stage="prospect", at=at)
        >>> prospect.lead_id, prospect.tags
        (LeadId(value='L-1'), frozenset({'vip'}))
    """

    kind: ClassVar[RecordKind] = RecordKind.PROSPECT

    id: ProspectId = attrs.field(validator=check.instance_of(ProspectId, "a ProspectId"))
    lead_id: LeadId = attrs.field(validator=check.instance_of(LeadId, "a LeadId"))
    converted_to: OpportunityId | None = attrs.field(
        default=None,
        validator=optional(check.instance_of(OpportunityId, "an OpportunityId or None")),
    )

    @classmethod
    def from_lead(cls, lead: Lead, *, id: ProspectId, stage: str, at: datetime) -> Self:  # noqa: A002
        """Build the prospect a lead converts into, carrying all its facts."""
        return cls(id=id, lead_id=lead.id, stage=stage, created_at=at, **_carried(lead))


@attrs.frozen(kw_only=True, field_transformer=_identity_first, repr=False)
class Opportunity(_Record):
    """A prospect with a concrete potential deal.

    Its ``stage`` is its sales stage in the funnel (discovery, presentation,
    proposal, negotiation, won or lost in the default funnel). A lost deal is
    not lost forever: it stays this record and can be recycled and reopened.

    Args:
        id: The opportunity's :class:`~leadlife.OpportunityId`.
        prospect_id: The prospect it came from.
        name: What the deal is called.
        amount: What it is worth, as :class:`~leadlife.Money`; ``None`` when
            nobody knows (an export that left it blank): unknown, not zero.
        expected_close: When it is expected to close; ``None`` when not known.
        win_probability: The chance of winning it, between 0 and 1; ``None``
            when not known.
        objections: The objections raised so far, oldest first.
        competitors: The competitors in the deal, in the order they were noted.
        win: Why it was won, once it was (see :meth:`Lifecycle.win <leadlife.Lifecycle.win>`).
        motion: New business, or growing a customer: an upsell, a cross-sell,
            a renewal.
        grows: For growth, the won deal of the customer it grows (see
            :meth:`Lifecycle.open_growth <leadlife.Lifecycle.open_growth>`).

    The other arguments are those of :class:`~leadlife.Lead`.

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife import Contact, Money, Opportunity, OpportunityId, ProspectId, Source
        >>> deal = Opportunity(
        ...     id=OpportunityId("O-1"),
        ...     prospect_id=ProspectId("P-1"),
        ...     stage="discovery",
        ...     contact=Contact(name="Ada Lovelace"),
        ...     source=Source(channel="referral"),
        ...     name="Analytical Engine, 2 units",
        ...     amount=Money.of("24000", "GBP"),
        ...     expected_close=date(2026, 6, 30),
        ...     win_probability=0.3,
        ...     created_at=datetime(2026, 4, 1, 10, tzinfo=UTC),
        ... )
        >>> deal.weighted_amount
        Money(amount=Decimal('7200.00'), currency='GBP')
    """

    kind: ClassVar[RecordKind] = RecordKind.OPPORTUNITY

    id: OpportunityId = attrs.field(validator=check.instance_of(OpportunityId, "an OpportunityId"))
    prospect_id: ProspectId = attrs.field(validator=check.instance_of(ProspectId, "a ProspectId"))
    name: str = attrs.field(validator=check.text)
    amount: Money | None = attrs.field(
        validator=optional(check.instance_of(Money, "a Money amount, or None when not known"))
    )
    expected_close: date | None = attrs.field(validator=optional(check.calendar_date))
    win_probability: float | None = attrs.field(validator=optional(check.probability))
    objections: Log[Objection] = attrs.field(
        default=_NONE, converter=_to_objections, validator=check.converted
    )
    competitors: Log[str] = attrs.field(
        default=_NONE, converter=check.to_text_log, validator=check.converted
    )
    win: Win | None = attrs.field(
        default=None, validator=optional(check.instance_of(Win, "a Win or None"))
    )
    motion: DealMotion = attrs.field(
        default=DealMotion.NEW_BUSINESS, validator=check.member_of(DealMotion)
    )
    grows: OpportunityId | None = attrs.field(
        default=None,
        validator=optional(check.instance_of(OpportunityId, "an OpportunityId or None")),
    )

    def _display_rows(self) -> list[tuple[str, str]]:
        rows = super()._display_rows()
        deal = [
            ("deal", self.name),
            ("amount", _UNKNOWN if self.amount is None else str(self.amount)),
            (
                "expected close",
                _UNKNOWN if self.expected_close is None else f"{self.expected_close:%Y-%m-%d}",
            ),
            (
                "win probability",
                _UNKNOWN if self.win_probability is None else f"{self.win_probability:.0%}",
            ),
        ]
        if self.open_objections:
            kinds = ", ".join(o.kind.value for o in self.open_objections.values())
            deal.append(("open objections", kinds))
        if self.competitors:
            deal.append(("competitors", ", ".join(self.competitors)))
        if self.win is not None:
            deal.append(("won", str(self.win.reason)))
        return rows[:3] + deal + rows[3:]

    @property
    def open_objections(self) -> dict[int, Objection]:
        """The objections still open (answered or not), by their index in ``objections``."""
        return {index: found for index, found in enumerate(self.objections) if found.open}

    @property
    def lost_on(self) -> Objection | None:
        """The objection the deal was last lost on, if it was lost on one."""
        settled = [found for found in self.objections if found.status is ObjectionStatus.LOST_ON]
        return max(settled, key=_settled, default=None)

    @property
    def converted_to(self) -> None:
        """Always ``None``: an opportunity is the deepest record."""
        return

    @property
    def weighted_amount(self) -> Money | None:
        """What the pipeline counts: the amount times the win probability, in minor units.

        ``None`` when the amount or the probability is not known: an unknown
        is not a zero.
        """
        if self.amount is None or self.win_probability is None:
            return None
        # str() of the float gives its shortest exact repr, so 0.3 weighs 0.3,
        # not 0.299999999999999988897769753748...
        return self.amount.share(Decimal(str(self.win_probability)))

    @classmethod
    def from_prospect(
        cls,
        prospect: Prospect,
        *,
        id: OpportunityId,  # noqa: A002
        stage: str,
        at: datetime,
        name: str,
        amount: Money | None,
        expected_close: date | None,
        win_probability: float | None,
    ) -> Self:
        """Build the opportunity a prospect converts into, carrying all its facts."""
        return cls(
            id=id,
            prospect_id=prospect.id,
            stage=stage,
            created_at=at,
            name=name,
            amount=amount,
            expected_close=expected_close,
            win_probability=win_probability,
            **_carried(prospect),
        )


_UNKNOWN = "not known"

Record: TypeAlias = Lead | Prospect | Opportunity
"""Any of the three records."""


def _carried(record: _Record) -> dict[str, Any]:
    """The facts a conversion carries over, unchanged."""
    return {
        "contact": record.contact,
        "source": record.source,
        "company": record.company,
        "account": record.account,
        "owner": record.owner,
        "consent": record.consent,
        "committee": record.committee,
        "commitments": record.commitments,
        "tags": record.tags,
        "attributes": record.attributes,
        "assessment": record.assessment,
        "follow_up": record.follow_up,
        "touches": record.touches,
        "recycled": record.recycled,
        "breaches": record.breaches,
    }
