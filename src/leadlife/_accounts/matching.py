"""Which account a person belongs to, by their domain and their company's name, explained.

A match says only what the data says. The evidence is the company's website
and the person's work address (a free mail domain says nothing), matched to
an account's domains, a subdomain to its domain (``uk.acme.com`` is
``acme.com``); and the company's name, compared plain as the duplicate
finder compares it (``"U.S. Bank"`` is ``"US Bank"``). When the evidence
points at one account, that is the match; when it points at several, or the
domain at one account and the name at another, there is no match, and the
candidates are named for a person to choose from.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import Any

from leadlife._core.journal.records import Record
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.account import Account, AccountMatch
from leadlife._core.values.company import Company
from leadlife._core.values.contact import Contact
from leadlife._duplicates.keys import FREE_MAIL, company_key, website_domain


class AccountIndex:
    """The user's accounts, looked up by domain and by plain name.

    Args:
        accounts: The accounts; their keys must be distinct. Two accounts may
            share a domain or a name (a group and its subsidiary): a person
            they both fit matches neither, and is asked about.

    Raises:
        ValidationError: Something given is not an :class:`Account`, or two
            accounts have one key.

    Example:
        >>> from leadlife.accounts import Account, AccountIndex
        >>> index = AccountIndex([Account(key="001A", name="Acme GmbH", domains={"acme.de"})])
        >>> str(index.match_facts(contact=None, company=None, website="https://shop.acme.de"))
        '001A (Acme GmbH): domain acme.de'
    """

    __slots__ = ("_by_domain", "_by_key", "_by_name")

    def __init__(self, accounts: Iterable[Account]) -> None:
        self._by_key: dict[str, Account] = {}
        self._by_domain: dict[str, list[Account]] = {}
        self._by_name: dict[str, list[Account]] = {}
        for account in accounts:
            if not isinstance(account, Account):
                raise ValidationError(
                    owner="AccountIndex", field="accounts", value=account, expected="Account values"
                )
            if account.key in self._by_key:
                raise ValidationError(
                    owner="AccountIndex",
                    field="accounts",
                    value=account.key,
                    expected="distinct account keys",
                )
            self._by_key[account.key] = account
            for domain in sorted(account.domains):
                self._by_domain.setdefault(domain, []).append(account)
            name = company_key(account.name)
            if name is not None:
                self._by_name.setdefault(name, []).append(account)

    def __len__(self) -> int:
        return len(self._by_key)

    def __getitem__(self, key: str) -> Account:
        """The account of ``key``; a :class:`KeyError` when there is none."""
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def match(self, record: Record) -> AccountMatch:
        """The account ``record``'s person belongs to, from its contact and its company."""
        return self.match_facts(contact=record.contact, company=record.company)

    def match_facts(
        self,
        *,
        contact: Contact | None,
        company: Company | None,
        website: str | None = None,
    ) -> AccountMatch:
        """The account these facts point at: a person's address, a company's name and website.

        ``website`` defaults to ``company.website``.
        """
        if website is None and company is not None:
            website = company.website
        domains = _domains(contact, website)
        by_domain: dict[str, Account] = {}
        basis_of: dict[str, list[str]] = {}
        for domain in domains:
            for account in self._domain_owners(domain):
                by_domain[account.key] = account
                said = f"domain {_parent(domain, account)}"
                if said not in basis_of.setdefault(account.key, []):  # a site and an address
                    basis_of[account.key].append(said)
        name = company_key(None if company is None else company.name)
        by_name = {account.key: account for account in self._by_name.get(name or "", ())}
        for key in by_name:
            basis_of.setdefault(key, []).append(f"name {name!r}")
        candidates = tuple(sorted({**by_domain, **by_name}.values(), key=attrgetter("key")))
        fit = _fitting(by_domain, by_name)
        if fit is not None:
            return AccountMatch(account=fit, basis=tuple(basis_of[fit.key]), candidates=candidates)
        return AccountMatch(
            account=None,
            candidates=candidates,
            why=_why_not(domains, name, by_domain, by_name),
        )

    def _domain_owners(self, domain: str) -> list[Account]:
        """The accounts of ``domain`` or of the nearest parent domain that has any."""
        labels = domain.split(".")
        for start in range(len(labels) - 1):
            owners = self._by_domain.get(".".join(labels[start:]))
            if owners:
                return owners
        return []


def _domains(contact: Contact | None, website: str | None) -> tuple[str, ...]:
    """The work domains the facts show: the website's, then the address's (not free mail)."""
    found: list[str] = []
    site = website_domain(website)
    if site:
        found.append(site)
    email = None if contact is None else contact.email
    if email:
        domain = email.strip().lower().rpartition("@")[2]
        if domain and domain not in FREE_MAIL and domain not in found:
            found.append(domain)
    return tuple(found)


def _parent(domain: str, account: Account) -> str:
    """The account's domain that ``domain`` is, or is under."""
    for own in sorted(account.domains, key=len, reverse=True):
        if domain == own or domain.endswith("." + own):
            return own
    return domain  # pragma: no cover - only owners of the domain are asked


def _fitting(by_domain: dict[str, Account], by_name: dict[str, Account]) -> Account | None:
    """One account all the evidence agrees on, if there is one."""
    if by_domain:
        if len(by_domain) == 1:
            (key,) = by_domain
            # A name pointing elsewhere only contradicts it.
            return by_domain[key] if not by_name or key in by_name else None
        # Several own the domain: the name may settle it, if it names exactly one of them.
        both = [key for key in by_domain if key in by_name]
        return by_domain[both[0]] if len(both) == 1 else None
    if len(by_name) == 1:
        return next(iter(by_name.values()))
    return None


def _why_not(
    domains: tuple[str, ...], name: str | None, by_domain: dict[str, Any], by_name: dict[str, Any]
) -> str:
    if not domains and name is None:
        return "no work domain and no company name to match"
    if by_domain and by_name and set(by_domain) != set(by_name):
        return (
            f"the domain points at {', '.join(sorted(by_domain))}, "
            f"the name at {', '.join(sorted(by_name))}"
        )
    if len(by_domain) > 1:
        return f"{', '.join(sorted(by_domain))} share the domain"
    if len(by_name) > 1:
        return f"{', '.join(sorted(by_name))} share the name {name!r}"
    said = [f"domain {domain}" for domain in domains]
    if name is not None:
        said.append(f"name {name!r}")
    return f"no account has {' or '.join(said)}"
