"""Accounts: a record linked to the company it belongs to; a person joining a deal already open."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import AccountLinked, JoinedDeal
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.committee import find
from leadlife._core.values.evidence import Method
from leadlife._lifecycle.engine import Engine

if TYPE_CHECKING:  # a capability holds another, given; it does not import it
    from leadlife._core.values.account import Account, AccountMatch
    from leadlife._lifecycle.committees import Committees


class Accounts:
    """Link records to accounts, with the grounds; bring a person into an open deal."""

    __slots__ = ("committees", "engine")

    def __init__(self, engine: Engine, committees: Committees) -> None:
        self.engine = engine
        self.committees = committees

    def link_account(
        self,
        history: History[Any],
        account: AccountMatch | Account | None,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> AccountLinked:
        """Link the record to an account, recording why (``None``: unlink it).

        Give the :class:`~leadlife.accounts.AccountMatch` an
        :class:`~leadlife.accounts.AccountIndex` found (its basis is
        recorded: the domain, the name), or an
        :class:`~leadlife.accounts.Account` someone chose (recorded as chosen
        by ``actor``). The link is carried into the records the record
        converts into.

        Raises:
            ValidationError: The match names no account (none fit, or several
                did: its candidates are named), or the record is linked to
                that account already; nothing is recorded.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Company, Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.accounts import Account, AccountIndex
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada", email="ada@usbank.com"),
            ...     company=Company(name="US Bank"),
            ...     source=Source(channel="web"),
            ...     actor="ops",
            ... )
            >>> index = AccountIndex(
            ...     [Account(key="001A", name="U.S. Bank", domains={"usbank.com"})]
            ... )
            >>> life.link_account(lead, index.match(lead.record), actor="ops").basis
            ('domain usbank.com', "name 'us bank'")
            >>> lead.record.account
            '001A'
        """
        # Accounts' values come with their first use, not with `import leadlife`.
        from leadlife._core.values.account import Account, AccountMatch  # noqa: PLC0415

        key: str | None = None
        basis: tuple[str, ...] = ()
        given: object = account  # checked as anything: a caller's types are not enforced
        if isinstance(given, Account):
            key, basis = given.key, (f"chosen by {actor}",)
        elif isinstance(given, AccountMatch) and given.account is not None:
            key, basis = given.account.key, given.basis
        elif given is not None:
            candidates = given.candidates if isinstance(given, AccountMatch) else ()
            raise ValidationError(
                owner="Lifecycle.link_account",
                field="account",
                value=str(given),
                expected="an Account, an AccountMatch that names one, or None"
                + _choose_from(candidates),
            )
        return self.engine.append(
            history,
            AccountLinked,
            actor=actor,
            reason=reason,
            payload=payload,
            account=key,
            basis=basis,
        )

    def join_deal(
        self,
        history: History[Any],
        deal: History[Opportunity],
        *,
        key: str,
        actor: str,
        method: Method = Method.CALL,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> JoinedDeal:
        """Bring the record's person into ``deal``'s buying committee, closing the record.

        Salesforce's "convert into an existing account, contact and
        opportunity": the deal gets a :class:`~leadlife.events.MemberAdded`
        naming the person as ``key``, with their contact, their role and
        their own consent (the record's id in its payload, as
        ``{"joined_from": ...}``), and the record a
        :class:`~leadlife.events.JoinedDeal`: it points at the deal
        (``merged_into``) and takes no further events. The deal is not
        linked to an account here; one already linked must be the record's.

        Raises:
            ValidationError: ``deal`` is not an opportunity's history, the
                record is a deal itself, or is merged or converted, the two
                are linked to different accounts, or ``key`` is taken on the
                deal's committee; nothing is recorded.
        """
        record, opened = history.record, deal.record
        called = "Lifecycle.join_deal"
        if not isinstance(opened, Opportunity):
            raise ValidationError(
                owner=called, field="deal", value=opened.id, expected="an opportunity's history"
            )
        if isinstance(record, Opportunity) or record.merged_into or record.converted_to:
            raise ValidationError(
                owner=called,
                field="record",
                value=record.id,
                expected="a lead or prospect neither merged nor converted",
            )
        if None not in (record.account, opened.account) and record.account != opened.account:
            raise ValidationError(
                owner=called,
                field="deal",
                value=opened.id,
                expected=f"a deal of the record's account {record.account!r}, "
                f"not of {opened.account!r}",
            )
        if find(opened.committee, key) is not None:
            raise ValidationError(
                owner=called, field="key", value=key, expected="a key not on the deal's committee"
            )
        at = self.engine.now(history)
        self.engine.now(deal)  # both histories take the one time, or neither moves
        self.committees.add_member(
            deal,
            key,
            record.contact,
            actor=actor,
            method=method,
            consent=record.consent,
            reason=reason,
            payload={**(payload or {}), "joined_from": record.id.value},
        )
        return self.engine.append(
            history,
            JoinedDeal,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            deal=opened.id,
            member=key,
        )


def _choose_from(candidates: tuple[Account, ...]) -> str:
    if not candidates:
        return ""
    return f" (choose one of {', '.join(account.key for account in candidates)})"
