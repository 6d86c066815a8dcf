"""Changing the facts of a record: owner, tags, attributes, consent, contact, company, deal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from leadlife._core.journal.events import (
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    DealRevised,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OwnerAssigned,
    PersonalDataErased,
    TagsChanged,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.money import Money
from leadlife._core.values.objection import Objection, ObjectionKind, ResponseTactic
from leadlife._lifecycle.deals import deal_of, open_objection
from leadlife._lifecycle.engine import Engine


class Details:
    """Change a record's facts, one event each."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def assign(
        self,
        history: History[Any],
        owner: str | None,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
        policy: str | None = None,
    ) -> OwnerAssigned:
        """Give the record a new owner (``None``: nobody); ``policy``: the routing that chose."""
        return self.engine.append(
            history,
            OwnerAssigned,
            actor=actor,
            reason=reason,
            payload=payload,
            owner=owner,
            policy=policy,
        )

    def tag(
        self,
        history: History[Any],
        *tags: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> TagsChanged:
        """Add tags that the record does not have yet."""
        return self.engine.append(
            history, TagsChanged, actor=actor, reason=reason, payload=payload, added=tags
        )

    def untag(
        self,
        history: History[Any],
        *tags: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> TagsChanged:
        """Remove tags that the record has."""
        return self.engine.append(
            history, TagsChanged, actor=actor, reason=reason, payload=payload, removed=tags
        )

    def set_attributes(
        self,
        history: History[Any],
        values: Mapping[str, Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> AttributesChanged:
        """Set custom attributes (JSON-safe values), keeping the others."""
        return self.engine.append(
            history, AttributesChanged, actor=actor, reason=reason, payload=payload, updated=values
        )

    def remove_attributes(
        self,
        history: History[Any],
        *keys: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> AttributesChanged:
        """Remove custom attributes that the record has."""
        return self.engine.append(
            history, AttributesChanged, actor=actor, reason=reason, payload=payload, removed=keys
        )

    def record_consent(
        self,
        history: History[Any],
        consent: Consent,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ConsentRecorded:
        """Record what the person now says about being contacted.

        A do-not-contact request ends any follow-up plan and every service
        level's clock, and the agenda proposes nothing for the record again;
        :meth:`opt_out` also moves the record to the funnel's terminal stage.
        """
        return self.engine.append(
            history, ConsentRecorded, actor=actor, reason=reason, payload=payload, consent=consent
        )

    def change_contact(
        self,
        history: History[Any],
        contact: Contact,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ContactChanged:
        """Correct or complete the contact."""
        return self.engine.append(
            history, ContactChanged, actor=actor, reason=reason, payload=payload, contact=contact
        )

    def change_company(
        self,
        history: History[Any],
        company: Company | None,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> CompanyChanged:
        """Correct or complete the company (``None``: unknown)."""
        return self.engine.append(
            history, CompanyChanged, actor=actor, reason=reason, payload=payload, company=company
        )

    def record_erasure(
        self,
        history: History[Any],
        subjects: Iterable[str],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> PersonalDataErased:
        """Record that the record's people were erased from the vault (``erasure.subjects``).

        Append it to the history as read back from sealed storage (its
        contact withheld): see :doc:`/privacy`.

        Raises:
            HistoryError: The record's contact holds its personal fields (an
                unsealed history), or the record is converted or merged (the
                erasure is recorded where the person's journey goes on).
            ValidationError: No subject is named.
        """
        return self.engine.append(
            history,
            PersonalDataErased,
            actor=actor,
            reason=reason,
            payload=payload,
            subjects=subjects if isinstance(subjects, str) else list(subjects),
        )

    def revise_deal(
        self,
        history: History[Opportunity],
        *,
        actor: str,
        name: str | None = None,
        amount: Money | None = None,
        expected_close: date | None = None,
        win_probability: float | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> DealRevised:
        """Change an opportunity's terms; those not given stay as they are."""
        deal = deal_of(history)
        return self.engine.append(
            history,
            DealRevised,
            actor=actor,
            reason=reason,
            payload=payload,
            name=deal.name if name is None else name,
            amount=deal.amount if amount is None else amount,
            expected_close=deal.expected_close if expected_close is None else expected_close,
            win_probability=deal.win_probability if win_probability is None else win_probability,
        )

    def record_objection(
        self,
        history: History[Opportunity],
        kind: ObjectionKind,
        *,
        actor: str,
        note: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ObjectionRecorded:
        """Record an objection the prospect raises now."""
        deal_of(history)
        at = self.engine.now(history)
        return self.engine.append(
            history,
            ObjectionRecorded,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,  # read the clock once: the objection is raised when recorded
            objection=Objection(kind=kind, note=note, raised_at=at),
        )

    def answer_objection(
        self,
        history: History[Opportunity],
        objection: int,
        tactic: ResponseTactic,
        *,
        actor: str,
        note: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ObjectionAnswered:
        """Record how ``actor`` answered an open objection (an objection may get several answers).

        Args:
            history: The deal's history.
            objection: Which: its index in the deal's ``objections``.
            tactic: How (the seasoned answers for its kind are
                :attr:`ObjectionKind.tactics <leadlife.values.ObjectionKind.tactics>`; any
                tactic may be used).
            actor: Who answered.
            note: What was said; required for ``ResponseTactic.OTHER``.
            reason: Why now.
            payload: JSON-safe context of your own.

        Raises:
            ValidationError: No open objection has that index, or OTHER has no note.
        """
        open_objection(history, objection, "Lifecycle.answer_objection")
        check.argument(
            "Lifecycle.answer_objection", "tactic", tactic, check.member_of(ResponseTactic)
        )
        if tactic is ResponseTactic.OTHER and note is None:
            raise ValidationError(
                owner="Lifecycle.answer_objection",
                field="note",
                value=None,
                expected="a note saying what the OTHER answer was",
            )
        return self.engine.append(
            history,
            ObjectionAnswered,
            actor=actor,
            reason=reason,
            payload=payload,
            objection=objection,
            tactic=tactic,
            note=note,
        )

    def resolve_objection(
        self,
        history: History[Opportunity],
        objection: int,
        *,
        actor: str,
        note: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ObjectionResolved:
        """Record that the prospect accepted the answer: the objection no longer stands.

        Raises:
            ValidationError: No open objection has that index.
        """
        open_objection(history, objection, "Lifecycle.resolve_objection")
        return self.engine.append(
            history,
            ObjectionResolved,
            actor=actor,
            reason=reason,
            payload=payload,
            objection=objection,
            note=note,
        )

    def note_competitor(
        self,
        history: History[Opportunity],
        competitor: str,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> CompetitorNoted:
        """Note a competitor in the deal."""
        return self.engine.append(
            history,
            CompetitorNoted,
            actor=actor,
            reason=reason,
            payload=payload,
            competitor=competitor,
        )
