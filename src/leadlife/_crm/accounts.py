"""A CRM's accounts export, read into the accounts leads are matched to.

Accounts are reference data: a row that cannot be an account (no key, no
name, a website that is not one, a key twice) stops the file with its line,
rather than leaving a lead to match a half-read list.
"""

from __future__ import annotations

from collections.abc import Sequence

from leadlife._accounts.matching import AccountIndex
from leadlife._core.support.errors import ImportFileError, ValidationError
from leadlife._core.values.account import Account
from leadlife._crm.files import ExportFile, read_table
from leadlife._duplicates.keys import website_domain


def read_accounts(
    source: ExportFile,
    *,
    key: str = "Id",
    name: str = "Name",
    websites: Sequence[str] = ("Website",),
) -> AccountIndex:
    """The accounts of a CRM's export (Salesforce's Account report by default), ready to match.

    Args:
        source: A path, an open file, or rows already read.
        key: The column of the account's id (recorded on linked records).
        name: The column of its name.
        websites: The columns of its websites (or bare domains); their domains
            become the account's (``https://www.acme.com/about`` is ``acme.com``);
            a blank cell adds none.

    Raises:
        ImportFileError: The file lacks a column named, or a row has no key, no
            name, a website that is not one, or a key another row has.

    Example:
        >>> from leadlife.crm import read_accounts
        >>> index = read_accounts(
        ...     [{"Id": "001A", "Name": "U.S. Bank", "Website": "https://www.usbank.com"}]
        ... )
        >>> index["001A"].domains
        frozenset({'usbank.com'})
    """
    columns = (key, name, *websites)
    table = read_table(source, columns=columns, required=columns, file="accounts").whole()
    label = table.name
    accounts = []
    seen: dict[str, int] = {}
    for line, cells in table.rows:
        account_key, account_name = cells[key].strip(), cells[name].strip()
        if not account_key or not account_name:
            raise ImportFileError(
                file=label, line=line, problem=f"an account needs its {key!r} and its {name!r}"
            )
        if account_key in seen:
            raise ImportFileError(
                file=label,
                line=line,
                problem=f"{key} {account_key!r} is on line {seen[account_key]} too",
            )
        seen[account_key] = line
        domains = set()
        for column in websites:
            cell = cells[column].strip()
            domain = website_domain(cell if "://" in cell else f"https://{cell}") if cell else None
            if domain is not None:
                domains.add(domain)
        try:
            accounts.append(Account(key=account_key, name=account_name, domains=domains))
        except ValidationError as error:
            raise ImportFileError(
                file=label, line=line, problem=f"{error.field}: {error.expected}"
            ) from None
    return AccountIndex(accounts)
