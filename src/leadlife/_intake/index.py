"""The book's contacts by their blocks, so one new contact is compared only with its likely twins.

:func:`~leadlife.duplicates.find_duplicates` compares a whole book at once.
At intake one contact arrives and the book is already known: the index keeps
every record's keys (its mailbox, phone, company and the start of each word
of its name, as the finder blocks them) and finds a newcomer's candidates by
those keys, then judges each pair as the finder does (the same rule, one
function), so the check at intake and a sweep of the book agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from leadlife._core.journal.records import Lead, Record
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.company import Company
from leadlife._core.values.contact import Contact
from leadlife._core.values.ids import ID_TYPES, RecordId, RecordKind
from leadlife._duplicates.find import A_SCORE, WORDS, Keys, judged, names_alike, strong
from leadlife._duplicates.keys import company_domain, company_key, email_key, name_key, phone_key


@attrs.frozen(kw_only=True)
class Candidate:
    """A record of the book a new contact is likely the same person as, and why.

    Attributes:
        record_id: The record.
        score: How alike the names are, 0 to 100.
        reasons: What they share: ``"same e-mail"``, ``"same phone"``, ``"same company"``.
        open: Whether the record is a lead a new one can be merged into (not a
            deeper record, not merged or converted itself).

    Example:
        >>> from leadlife import LeadId
        >>> from leadlife.intake import Candidate
        >>> Candidate(
        ...     record_id=LeadId("L-1"), score=100.0, reasons=("same e-mail",), open=True
        ... ).strong
        True
    """

    record_id: RecordId
    score: float
    reasons: tuple[str, ...]
    open: bool

    @property
    def strong(self) -> bool:
        """Whether the evidence is a shared mailbox or phone (not only a company)."""
        return strong(self.reasons)

    @classmethod
    def from_dict(cls, said: Mapping[str, Any]) -> Candidate:
        """As :meth:`to_dict` wrote it (an intake decision read back); ``open`` is not recorded."""
        kind = ID_TYPES[RecordKind(said["kind"])]
        return cls(
            record_id=kind(said["record"]),
            score=float(said["score"]),
            reasons=tuple(said["reasons"]),
            open=False,
        )

    def to_dict(self) -> dict[str, Any]:
        """As an intake decision records it (plain JSON)."""
        return {
            "record": str(self.record_id),
            "kind": self.record_id.kind.value,
            "score": round(self.score, 1),
            "reasons": list(self.reasons),
        }


class ContactIndex:
    """The book's contacts, kept by the keys the duplicate finder blocks them by.

    Add records as the book grows (:meth:`add` replaces a record's earlier
    entry); :meth:`candidates` says which of them a new contact is likely to
    be, best first. Records merged into others, or converted into deeper ones,
    are not candidates, as the duplicate finder does not compare them (the
    person is the record they became: a lead converted into a prospect is
    found as the prospect, once the prospect is added). Needs the ``dedupe``
    extra (rapidfuzz, phonenumbers).

    Args:
        region: The country phone numbers without ``+`` are dialled from.
        threshold: How alike names at one company must be (0-100).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.intake import ContactIndex
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> ada = life.capture(
        ...     id=LeadId("L-1"),
        ...     actor="form",
        ...     source=Source(channel="web"),
        ...     contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        ... )
        >>> index = ContactIndex([ada.record])
        >>> [
        ...     (str(c.record_id), c.reasons)
        ...     for c in index.candidates(Contact(name="A. Lovelace", email="Ada@Example.com"))
        ... ]
        [('L-1', ('same e-mail', 'same company'))]
    """

    def __init__(
        self, records: Iterable[Record] = (), *, region: str = "US", threshold: float = 90.0
    ) -> None:
        check.argument("ContactIndex", "threshold", threshold, A_SCORE)
        self.region, self.threshold = region, threshold
        self._entries: dict[RecordId, tuple[Keys, bool]] = {}
        self._blocks: dict[str, set[RecordId]] = {}
        for record in records:
            self.add(record)

    def __len__(self) -> int:
        """How many records the index holds."""
        return len(self._entries)

    def add(self, record: Record) -> None:
        """Index ``record`` (again, if it changed): its keys as they are now.

        Raises:
            ValidationError: ``record`` is not a record.
        """
        given: object = record
        if not isinstance(given, Record):
            raise ValidationError(
                owner="ContactIndex.add", field="record", value=record, expected="a Record"
            )
        self._forget(record.id)
        if record.merged_into is not None or getattr(record, "converted_to", None) is not None:
            return  # the same person on purpose: found as the record it became
        keys = self._keys(record.contact, record.company)
        mergeable = isinstance(record, Lead)
        self._entries[record.id] = (keys, mergeable)
        for block in _blocks(keys):
            self._blocks.setdefault(block, set()).add(record.id)

    def candidates(self, contact: Contact, company: Company | None = None) -> list[Candidate]:
        """The records ``contact`` (of ``company``) is likely the same person as, best first.

        Best first: a shared mailbox or phone before a shared company only,
        then the names most alike, then the record's id.
        """
        given: object = contact
        if not isinstance(given, Contact):
            raise ValidationError(
                owner="ContactIndex.candidates",
                field="contact",
                value=contact,
                expected="a Contact",
            )
        keys = self._keys(contact, company)
        found = sorted(
            {record for block in _blocks(keys) for record in self._blocks.get(block, ())},
            key=str,
        )
        names = [keys[4], *(self._entries[record][0][4] for record in found)]
        scores = names_alike(names, [(0, row) for row in range(1, len(names))])
        chosen = []
        for record, score in zip(found, scores, strict=True):
            theirs, mergeable = self._entries[record]
            reasons = judged(score, keys, theirs, self.threshold)
            if reasons is not None:
                chosen.append(
                    Candidate(record_id=record, score=score, reasons=reasons, open=mergeable)
                )
        chosen.sort(key=lambda one: (not one.strong, -one.score, str(one.record_id)))
        return chosen

    def _keys(self, contact: Contact, company: Company | None) -> Keys:
        website = None if company is None else company.website
        return (
            email_key(contact.email),
            phone_key(contact.phone, self.region),
            company_domain(contact.email, website),
            company_key(None if company is None else company.name),
            name_key(contact.name),
        )

    def _forget(self, record_id: RecordId) -> None:
        known = self._entries.pop(record_id, None)
        if known is not None:
            for block in _blocks(known[0]):
                self._blocks[block].discard(record_id)


def _blocks(keys: Keys) -> list[str]:
    """The blocks a contact falls in, as the finder makes them (prefixed: no two kinds meet)."""
    email, phone, domain, firm, name = keys
    blocks = [] if email is None else [f"e|{email}"]
    if phone is not None:
        blocks.append(f"p|{phone}")
    words = name.split()
    for kind, company in (("d", domain), ("f", firm)):
        if company is not None:
            blocks.extend(f"{kind}|{company}|{word[:2]}" for word in words[:WORDS])
    return blocks
