"""An account: the company a book sells to, as the user's own records name it.

DOMAIN: leads belong to companies, and a company is sold to as one account
whoever of its people came in first. leadlife does not keep accounts; the
user's CRM or database does. An :class:`Account` is what leadlife needs to
know of one to match people to it and report by it: the user's key, its name
and the web domains its people write from.
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from leadlife._core.support import validation as check

# A host name as people write it in an address or a website: labels of letters,
# digits and hyphens, at least one dot. A URL or an address is not a domain.
_DOMAIN = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+")


def _domains(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    for domain in value:
        if _DOMAIN.fullmatch(domain) is None:
            check.refuse(
                instance,
                attribute,
                domain,
                "lower-case web domains such as 'acme.com' (no scheme, path or '@')",
            )


@attrs.frozen(kw_only=True)
class Account:
    """A company the book sells to, as the user's records name it.

    Args:
        key: The user's id for the account (their CRM's account id), recorded
            on every record linked to it.
        name: The company's name; matching compares it plain (case, accents,
            punctuation and legal forms aside, initials run together), as the
            duplicate finder does.
        domains: The web domains its people write from and its website is on,
            lower case (``"acme.com"``). A free mail domain matches nobody.

    Example:
        >>> from leadlife.accounts import Account
        >>> Account(key="001A", name="U.S. Bank", domains={"usbank.com"}).domains
        frozenset({'usbank.com'})
    """

    key: str = attrs.field(validator=check.text)
    name: str = attrs.field(validator=check.text)
    domains: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=check.to_text_set,
        validator=[check.converted, _domains],
    )


@attrs.frozen(kw_only=True)
class AccountMatch:
    """The account a person belongs to, if the evidence names one, and why.

    Attributes:
        account: The account matched; ``None`` when no account or several fit.
        basis: The evidence for it, in words a person can check
            (``"domain usbank.com"``, ``"name 'us bank'"``); recorded on the
            record when it is linked.
        candidates: Every account some evidence pointed at, by key.
        why: Why there is no match, when there is none.

    Example:
        >>> from leadlife import Company, Contact
        >>> from leadlife.accounts import Account, AccountIndex
        >>> index = AccountIndex([Account(key="001A", name="U.S. Bank", domains={"usbank.com"})])
        >>> match = index.match_facts(
        ...     contact=Contact(name="Ada", email="ada@usbank.com"),
        ...     company=Company(name="US Bank"),
        ... )
        >>> match.account.key, match.basis
        ('001A', ('domain usbank.com', "name 'us bank'"))
    """

    account: Account | None
    basis: tuple[str, ...] = ()
    candidates: tuple[Account, ...] = ()
    why: str | None = None

    @property
    def ambiguous(self) -> bool:
        """Whether several accounts fit and none was chosen."""
        return self.account is None and len(self.candidates) > 1

    def __str__(self) -> str:
        if self.account is not None:
            return f"{self.account.key} ({self.account.name}): {', '.join(self.basis)}"
        return f"no account: {self.why}"
