"""Accounts: which company a person belongs to, and the book read by company (see :doc:`/accounts`).

leadlife keeps no accounts: the user's CRM does. Give it the accounts as
:class:`Account` values, and an :class:`AccountIndex` matches people to them
by domain and plain name, saying on what grounds (an :class:`AccountMatch`),
or naming the candidates when the evidence does not settle on one.
:meth:`Lifecycle.link_account <leadlife.Lifecycle.link_account>` records the
link on the record, :meth:`Lifecycle.join_deal <leadlife.Lifecycle.join_deal>`
brings a person into a deal already open, and :func:`by_account` reads a book
by account: its people, its buying group, its engagement, its deals.
"""

from __future__ import annotations

from leadlife._accounts.engagement import (
    BUYING_ROLES,
    AccountEngagement,
    AccountReport,
    by_account,
)
from leadlife._accounts.matching import AccountIndex
from leadlife._core.support.public import publish
from leadlife._core.values.account import Account, AccountMatch

__all__ = [
    "BUYING_ROLES",
    "Account",
    "AccountEngagement",
    "AccountIndex",
    "AccountMatch",
    "AccountReport",
    "by_account",
]

publish(__name__, globals(), __all__)
