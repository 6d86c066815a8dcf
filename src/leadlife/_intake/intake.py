"""Capture at the door: once per submission, checked against the book, the decision recorded.

A web form, a webhook, an import job: each hands over a person with a key
of its own (the submission's id, the delivery's). :class:`Intake` captures
the lead once per key (a form sent twice, a webhook retried: one lead), asks
the book's :class:`~leadlife.intake.ContactIndex` whom the person already
is, and records what it decided on the new lead's capture:

* ``new``: nobody in the book is likely the same person;
* ``linked``: somebody may be (the same company and names alike, or a
  deeper record, a prospect or a deal, of the same person): captured, the
  candidates named, for a person to decide;
* ``merged``: a lead of the book shares the person's mailbox or phone and
  their names agree (as a CRM that deduplicates by e-mail would say): the
  new lead is captured and merged into it (undoable, as every merge is), so
  the submission's facts stay in its own history and fill what the
  existing lead lacked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import attrs

from leadlife._accounts.matching import AccountIndex
from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.history import History
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.account import AccountMatch
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.ids import LeadId, RecordId
from leadlife._core.values.source import Source
from leadlife._intake.index import Candidate, ContactIndex
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._privacy.vault import Vault
from leadlife._store import keys
from leadlife._store.base import EventStore


class IntakeDecision(StrEnum):
    """What an intake made of a submission, given the book.

    Example:
        >>> from leadlife.intake import IntakeDecision
        >>> IntakeDecision("merged") is IntakeDecision.MERGED
        True
    """

    NEW = "new"
    """Nobody in the book is likely the same person."""
    LINKED = "linked"
    """Somebody may be: captured, the candidates named for a person to decide."""
    MERGED = "merged"
    """A lead of the book is the same person: the new lead was merged into it."""


@attrs.frozen(kw_only=True)
class Intaken:
    """What :meth:`Intake.capture` did with one submission.

    Attributes:
        decision: New, linked or merged.
        record_id: The lead the submission was captured as.
        merged_into: The lead it was merged into (``merged`` only).
        candidates: Whom the book said the person may be, best first.
        repeated: The submission's key was seen before: nothing was written,
            and this is what the first one did.
        account: The account the new lead was linked to at the door (an intake
            given accounts: see :doc:`/accounts`), if the evidence named one.

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.intake import IntakeDecision, Intaken
        >>> done = Intaken(
        ...     decision=IntakeDecision.MERGED,
        ...     record_id=LeadId("L-2"),
        ...     merged_into=LeadId("L-1"),
        ...     candidates=(),
        ...     repeated=False,
        ... )
        >>> str(done.person)  # where the person's journey goes on
        'L-1'
    """

    decision: IntakeDecision
    record_id: LeadId
    merged_into: RecordId | None
    candidates: tuple[Candidate, ...]
    repeated: bool
    account: str | None = None

    @property
    def person(self) -> RecordId:
        """The record the person's journey goes on in: the lead merged into, or the new one."""
        return self.record_id if self.merged_into is None else self.merged_into


class Intake:
    """Leads captured once per submission key, checked against the book, into an event store.

    Args:
        store: Where the histories are kept (the key is noted there, with the
            capture, in one transaction).
        lifecycle: The lifecycle that captures (its clock and funnel).
        index: The book's contacts; new leads are added to it as they are
            captured. Build it from the store's histories when the app starts
            (``ContactIndex(history.record for history in store.histories())``;
            with a vault, from the histories unsealed).
        accounts: The accounts new leads are matched to at the door (see
            :doc:`/accounts`): a lead the evidence places at one account is
            linked to it (``AccountLinked``, in the same transaction), and the
            match, or why there is none and its candidates, is recorded with
            the decision (``"account"`` in the intake's payload). A lead
            merged into another is not linked: the survivor keeps its own.
        vault: A :class:`~leadlife.privacy.Vault` to seal what is stored (see
            :doc:`/privacy`): the people's personal fields go into it, and the
            store keeps references. ``None`` stores histories as captured.

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock
        >>> from leadlife.intake import ContactIndex, Intake
        >>> from leadlife.store import SQLiteStore
        >>> clock = SteppingClock(
        ...     start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=1)
        ... )
        >>> intake = Intake(SQLiteStore(":memory:"), Lifecycle(clock=clock), ContactIndex())
        >>> def submit(key, lead, name, email):
        ...     return intake.capture(
        ...         key=key,
        ...         id=LeadId(lead),
        ...         actor="form",
        ...         contact=Contact(name=name, email=email),
        ...         source=Source(channel="web"),
        ...     )
        >>> submit("s-1", "L-1", "Ada Lovelace", "ada@example.com").decision
        <IntakeDecision.NEW: 'new'>
        >>> submit("s-1", "L-1", "Ada Lovelace", "ada@example.com").repeated
        True
        >>> again = submit("s-2", "L-2", "A. Lovelace", "ADA@example.com")
        >>> again.decision, str(again.person)
        (<IntakeDecision.MERGED: 'merged'>, 'L-1')
    """

    def __init__(
        self,
        store: EventStore,
        lifecycle: Lifecycle,
        index: ContactIndex,
        *,
        accounts: AccountIndex | None = None,
        vault: Vault | None = None,
    ) -> None:
        for name, value, kind, expected in (
            ("store", store, EventStore, "an EventStore"),
            ("lifecycle", lifecycle, Lifecycle, "a Lifecycle"),
            ("index", index, ContactIndex, "a ContactIndex"),
            ("accounts", accounts, AccountIndex | None, "an AccountIndex or None"),
            ("vault", vault, Vault | None, "a Vault or None"),
        ):
            given: object = value
            if not isinstance(given, kind):
                raise ValidationError(owner="Intake", field=name, value=value, expected=expected)
        self.store, self.lifecycle, self.index = store, lifecycle, index
        self.accounts, self.vault = accounts, vault

    def capture(
        self,
        *,
        key: str,
        id: LeadId,  # noqa: A002 - as Lifecycle.capture names it
        contact: Contact,
        source: Source,
        actor: str,
        company: Company | None = None,
        owner: str | None = None,
        consent: Consent | None = None,
        tags: Iterable[str] = (),
        attributes: Mapping[str, Any] | None = None,
    ) -> Intaken:
        """Capture the submission ``key`` as lead ``id``, once, and decide whom the person is.

        The capture's payload records the decision (``{"intake": {"key":
        ..., "decision": ..., "candidates": [...]}}``); a merge is recorded
        on both histories as every merge is. The new history (and the one
        merged into) are appended in one transaction, with the key.

        Raises:
            ValidationError: A field is invalid, or the key was used for
                another record.
            ConcurrencyError: The lead to merge into changed while this ran
                (nothing was written: submit again).
        """
        keys.checked("Intake.capture", key)
        done = self.store.keyed(key)
        if done is not None:
            return self._repeated(done.record_id)
        candidates = tuple(self.index.candidates(contact, company))
        same = next((one for one in candidates if one.strong and one.open), None)
        decision = (
            IntakeDecision.MERGED
            if same is not None
            else IntakeDecision.LINKED
            if candidates
            else IntakeDecision.NEW
        )
        said: dict[str, Any] = {
            "key": key,
            "decision": decision.value,
            "candidates": [candidate.to_dict() for candidate in candidates],
        }
        match = None
        if self.accounts is not None and same is None:
            match = self.accounts.match_facts(contact=contact, company=company)
            said["account"] = _said(match)
        lead = self.lifecycle.capture(
            id=id,
            contact=contact,
            source=source,
            actor=actor,
            company=company,
            owner=owner,
            consent=consent,
            tags=tags,
            attributes=attributes,
            payload={"intake": said},
        )
        if match is not None and match.account is not None:
            self.lifecycle.link_account(lead, match, actor=actor)
        if same is None:
            self.store.append(lead.record_id, self._kept(lead.events), expected_version=0, key=key)
            self.index.add(lead.record)
            return Intaken(
                decision=decision,
                record_id=id,
                merged_into=None,
                candidates=candidates,
                repeated=False,
                account=lead.record.account,
            )
        survivor = self.store.history(same.record_id)
        if self.vault is not None:
            survivor = self.vault.unseal(survivor)  # merged as the person is, stored sealed
        read = len(survivor)
        self.lifecycle.merge(
            survivor,
            lead,
            actor=actor,
            reason="the same person came in again",
            payload={"intake": {"key": key}},
        )
        self.store.append_many(
            [
                (lead.record_id, self._kept(lead.events), 0),
                (survivor.record_id, self._kept(survivor.events[read:]), read),
            ],
            key=key,
        )
        self.index.add(survivor.record)
        return Intaken(
            decision=decision,
            record_id=id,
            merged_into=survivor.record_id,
            candidates=candidates,
            repeated=False,
        )

    def _kept(self, events: Sequence[LifecycleEvent]) -> Sequence[LifecycleEvent]:
        """The events as the store keeps them: sealed, when there is a vault."""
        vault = self.vault
        return events if vault is None else [vault.seal(event) for event in events]

    def _repeated(self, record_id: RecordId) -> Intaken:
        """What the first capture with the key did, as its history records it."""
        history: History[Any] = self.store.history(record_id)
        said: Any = history[0].payload.get("intake")  # JSON, as the first capture wrote it
        if not isinstance(record_id, LeadId) or not isinstance(said, Mapping):
            raise ValidationError(
                owner="Intake.capture",
                field="key",
                value=str(record_id),
                expected="a key an intake noted (this one was noted by another append)",
            )
        return Intaken(
            decision=IntakeDecision(said["decision"]),
            record_id=record_id,
            merged_into=history.record.merged_into,
            candidates=tuple(Candidate.from_dict(one) for one in said["candidates"]),
            repeated=True,
            account=history.record.account,  # a lead merged at the door was never linked
        )


def _said(match: AccountMatch) -> dict[str, Any]:
    """An account match as the intake's payload records it."""
    return {
        "account": None if match.account is None else match.account.key,
        "basis": list(match.basis),
        "candidates": [account.key for account in match.candidates],
        "why": match.why,
    }
