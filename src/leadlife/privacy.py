"""Privacy: personal data in a vault, people erased, histories still exact (see :doc:`/privacy`).

A :class:`Vault` seals the personal fields of every contact in a history
(name, e-mail, phone, title) into its storage and leaves references, so what
is stored, exported or analysed holds no one's personal data; it unseals them
for whoever may read them; and erasing a person (:meth:`Vault.erase`, the
subjects :func:`person` finds) deletes them from the storage for good, while
every history still replays exactly, its contacts reporting the fields
erased.
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.consent import LawfulBasis, PurposeConsent
from leadlife._core.values.contact import PERSONAL_FIELDS, WITHHELD
from leadlife._policies.checks.retention import ConsentReviewDue, RetentionDue
from leadlife._privacy.sealing import subject_of
from leadlife._privacy.storage import InMemoryVaultStorage, SQLiteVaultStorage, VaultStorage
from leadlife._privacy.vault import Erasure, Vault, person

__all__ = [
    "PERSONAL_FIELDS",
    "WITHHELD",
    "ConsentReviewDue",
    "Erasure",
    "InMemoryVaultStorage",
    "LawfulBasis",
    "PurposeConsent",
    "RetentionDue",
    "SQLiteVaultStorage",
    "Vault",
    "VaultStorage",
    "person",
    "subject_of",
]

publish(__name__, globals(), __all__)
