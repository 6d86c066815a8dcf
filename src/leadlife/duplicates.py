"""Finding the same person twice in a book (see :doc:`/duplicates`).

:func:`find_duplicates` compares only contacts that share a block (a
normalised e-mail, a phone number in E.164, a company and the start of a
word of the name), so a million contacts take seconds, not a lifetime; a
:class:`Match` says why two records are one person. Merging them, and
undoing the merge, is :meth:`Lifecycle.merge <leadlife.Lifecycle.merge>`.
Fuzzy names and phone numbers need the ``dedupe`` extra (rapidfuzz,
phonenumbers).
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._duplicates.find import CONTACT_COLUMNS, Duplicates, Match, find_duplicates
from leadlife._duplicates.keys import (
    FREE_MAIL,
    company_domain,
    company_key,
    email_key,
    name_key,
    phone_key,
)
from leadlife._duplicates.planted import planted_book
from leadlife._policies.merging import FIELDS, WINNERS, MergePolicy

__all__ = [
    "CONTACT_COLUMNS",
    "FIELDS",
    "FREE_MAIL",
    "WINNERS",
    "Duplicates",
    "Match",
    "MergePolicy",
    "company_domain",
    "company_key",
    "email_key",
    "find_duplicates",
    "name_key",
    "phone_key",
    "planted_book",
]

publish(__name__, globals(), __all__)
