"""The facts a fit rule can read off a record, each as text: ``"unknown"`` when nobody knows.

Unknown is an answer of its own, never a silent "no": a rule may give (or
take) points for a company whose size nobody has asked, and a rule for
large companies does not fire for it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum

from leadlife._core.journal.records import Record

UNKNOWN = "unknown"
"""The value of a fact nobody knows."""


def _text(value: object) -> str:
    if value is None:
        return UNKNOWN
    return str(value.value) if isinstance(value, Enum) else str(value)


def _domain(record: Record) -> object:
    email = record.contact.email
    # Domains are case-insensitive: "Example.COM" is example.com.
    return None if email is None else email.rpartition("@")[2].lower()


_READERS: dict[str, Callable[[Record], object]] = {
    "company.size": lambda record: None if record.company is None else record.company.size,
    "company.industry": lambda record: None if record.company is None else record.company.industry,
    "company.region": lambda record: None if record.company is None else record.company.region,
    "contact.role": lambda record: record.contact.role,
    "contact.title": lambda record: record.contact.title,
    "email.domain": _domain,
    "source.channel": lambda record: record.source.channel,
    "source.campaign": lambda record: record.source.campaign,
    "record.kind": lambda record: record.kind,
}

FACTS: tuple[str, ...] = tuple(_READERS)
"""The facts a fit rule may read, by name."""


def fact(record: Record, name: str) -> str:
    """The fact ``name`` of ``record``, as text (``"unknown"`` when nobody knows it)."""
    return _text(_READERS[name](record))
