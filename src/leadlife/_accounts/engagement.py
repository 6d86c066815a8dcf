"""A book by account: each account's people, its buying group, how engaged it is, its pipeline.

A conversion carries a record's facts (its touches, its committee) into the
record it becomes, so only the end of each lineage is counted for them: a
touch is counted once however deep its lead went. People are counted once
across the account's records, by address or else by plain name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity, Record
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.contact import Contact, DecisionRole
from leadlife._core.values.ids import RecordId
from leadlife._core.values.money import Money
from leadlife._duplicates.keys import email_key, name_key
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles
from leadlife._policies.default_funnel import DefaultFunnel

BUYING_ROLES = (DecisionRole.DECISION_MAKER, DecisionRole.CHAMPION)
"""The roles a buying group should have someone in: whoever decides, and who sells for us inside."""


@attrs.frozen(kw_only=True)
class AccountEngagement:
    """One account's people, buying group, engagement and deals.

    Attributes:
        account: The account's key.
        records: Every record linked to it, by id.
        open: How many of them are still in the running (not converted,
            merged, won, screened out or in a final stage).
        people: The people known at the account (records' contacts and
            committee members), each once, by name.
        roles: The decision roles somebody there holds.
        missing: Of the roles a buying group needs (:data:`BUYING_ROLES`),
            those nobody holds yet.
        touches: Touches made with its people.
        answered: How many of them were answered.
        last_touch: When the last one was, if any.
        pipeline: The amounts of its open deals, a sum per currency.
        unpriced: Open deals whose amount is not known (not counted as zero).
        won: The amounts of its won deals, a sum per currency.

    Example:
        >>> from leadlife.accounts import AccountEngagement
        >>> AccountEngagement(account="001A").missing
        ()
    """

    account: str
    records: tuple[RecordId, ...] = ()
    open: int = 0
    people: tuple[str, ...] = ()
    roles: frozenset[DecisionRole] = frozenset()
    missing: tuple[DecisionRole, ...] = ()
    touches: int = 0
    answered: int = 0
    last_touch: datetime | None = None
    pipeline: tuple[Money, ...] = ()
    unpriced: int = 0
    won: tuple[Money, ...] = ()

    def row(self) -> dict[str, Any]:
        """The account as one flat row (for ``pandas.DataFrame`` or ``polars.DataFrame``).

        Sums of money are written per currency as ``"12000.00 EUR"`` texts,
        joined by ``"; "``: one currency is not added to another.
        """
        return {
            "account": self.account,
            "records": len(self.records),
            "open": self.open,
            "people": len(self.people),
            "roles": ", ".join(sorted(role.value for role in self.roles)),
            "missing": ", ".join(role.value for role in self.missing),
            "touches": self.touches,
            "answered": self.answered,
            "last_touch": self.last_touch,
            "pipeline": "; ".join(str(money) for money in self.pipeline),
            "unpriced": self.unpriced,
            "won": "; ".join(str(money) for money in self.won),
        }


@attrs.frozen(kw_only=True)
class AccountReport:
    """A book by account, and the records linked to none (counted, not dropped).

    Example:
        >>> from leadlife.accounts import by_account
        >>> report = by_account([])
        >>> report.accounts, report.unlinked
        ((), ())
    """

    accounts: tuple[AccountEngagement, ...]
    unlinked: tuple[RecordId, ...]

    def __getitem__(self, key: str) -> AccountEngagement:
        """The account of ``key``; a :class:`KeyError` when no record is linked to it."""
        for engagement in self.accounts:
            if engagement.account == key:
                return engagement
        raise KeyError(key)

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per account (see :meth:`AccountEngagement.row`)."""
        return [engagement.row() for engagement in self.accounts]


class _Tally:
    """What one account's records add up to, as they are read."""

    __slots__ = (
        "answered",
        "last",
        "open",
        "people",
        "pipeline",
        "records",
        "roles",
        "touches",
        "unpriced",
        "won",
    )

    def __init__(self) -> None:
        self.records: list[RecordId] = []
        self.people: dict[str, str] = {}
        self.roles: set[DecisionRole] = set()
        self.open = self.touches = self.answered = self.unpriced = 0
        self.last: datetime | None = None
        self.pipeline: dict[str, Decimal] = {}
        self.won: dict[str, Decimal] = {}

    def person(self, contact: Contact) -> None:
        key = email_key(contact.email) or name_key(contact.name)
        self.people.setdefault(key, contact.name)
        if contact.role is not DecisionRole.UNKNOWN:
            self.roles.add(contact.role)

    def add(self, record: Record, roles: FunnelRoles) -> None:
        self.records.append(record.id)
        closed = record.merged_into is not None or record.stage in roles.closed
        converted = getattr(record, "converted_to", None) is not None
        if not closed and not converted:
            self.open += 1
        self.person(record.contact)
        for member in record.committee:
            self.person(member.contact)
        if converted:
            return  # its touches and deal live on in the record it became
        for touch in record.touches:
            self.touches += 1
            self.answered += touch.outcome.answered
            if self.last is None or touch.at > self.last:
                self.last = touch.at
        if isinstance(record, Opportunity) and record.merged_into is None:
            if record.stage in roles.won:
                _add(self.won, record)
            elif not closed:
                if record.amount is None:
                    self.unpriced += 1
                else:
                    _add(self.pipeline, record)

    def engagement(self, account: str) -> AccountEngagement:
        return AccountEngagement(
            account=account,
            records=tuple(sorted(self.records, key=str)),
            open=self.open,
            people=tuple(sorted(self.people.values())),
            roles=frozenset(self.roles),
            missing=tuple(role for role in BUYING_ROLES if role not in self.roles),
            touches=self.touches,
            answered=self.answered,
            last_touch=self.last,
            pipeline=_sums(self.pipeline),
            unpriced=self.unpriced,
            won=_sums(self.won),
        )


def _add(sums: dict[str, Decimal], deal: Opportunity) -> None:
    if deal.amount is not None:
        currency = deal.amount.currency
        sums[currency] = sums.get(currency, Decimal(0)) + deal.amount.amount


def _sums(sums: dict[str, Decimal]) -> tuple[Money, ...]:
    return tuple(Money(amount=sums[currency], currency=currency) for currency in sorted(sums))


def by_account(
    book: Iterable[Record] | Iterable[History[Any]],
    *,
    funnel: type[Funnel] = DefaultFunnel,
) -> AccountReport:
    """The book by account: people, buying group, engagement and deals of each.

    ``book`` is records or histories (their records are read); what is won,
    closed or still open is what ``funnel``'s roles say.

    Raises:
        ValidationError: Something in ``book`` is not a record or a history.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.accounts import Account, by_account
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada", role=DecisionRole.CHAMPION),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> _ = life.link_account(lead, Account(key="001A", name="Acme"), actor="sam")
        >>> report = by_account([lead])
        >>> report["001A"].people, [role.value for role in report["001A"].missing]
        (('Ada',), ['decision_maker'])
    """
    roles = funnel.roles()
    tallies: dict[str, _Tally] = {}
    unlinked: list[RecordId] = []
    for item in book:
        record = item.record if isinstance(item, History) else item
        if not isinstance(record, Record):
            raise ValidationError(
                owner="by_account", field="book", value=item, expected="records or histories"
            )
        if record.account is None:
            unlinked.append(record.id)
            continue
        tally = tallies.get(record.account)
        if tally is None:
            tally = tallies[record.account] = _Tally()
        tally.add(record, roles)
    return AccountReport(
        accounts=tuple(tallies[key].engagement(key) for key in sorted(tallies)),
        unlinked=tuple(sorted(unlinked, key=str)),
    )
