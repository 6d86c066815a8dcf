"""The person behind a lead, and the part they play in the buying decision."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.json import OMIT_IF_DEFAULT
from leadlife._core.values.hours import ContactHours, business_hours
from leadlife._core.values.hours import time_zone as _a_time_zone


class DecisionRole(Enum):
    """The part a contact plays in the buying decision.

    Talking to a gatekeeper instead of the decision maker is the classic
    failure (see :doc:`/qualification`), so the role is recorded, and ``UNKNOWN`` is an
    answer of its own: nobody asked yet.

    Example:
        >>> from leadlife import DecisionRole
        >>> DecisionRole("gatekeeper")
        <DecisionRole.GATEKEEPER: 'gatekeeper'>
    """

    DECISION_MAKER = "decision_maker"
    INFLUENCER = "influencer"
    CHAMPION = "champion"
    GATEKEEPER = "gatekeeper"
    USER = "user"
    UNKNOWN = "unknown"


# Deliberately plain: one "@", no spaces, a dot in the domain. Full RFC 5322
# accepts addresses no CRM can mail; a stricter check would refuse real ones.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
# Digits with the usual separators and an optional leading "+" (or an area code
# in brackets, as "(415) 555-0132" is written in the US).
_PHONE = re.compile(r"\+?\(?[0-9][0-9 ().\-/]*")
# The shortest internal extensions to the longest international numbers.
_PHONE_DIGITS = range(5, 21)


def _email(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _EMAIL.fullmatch(value)):
        check.refuse(instance, attribute, value, "an e-mail address such as name@example.com")


def _phone(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    digits = sum(c.isdigit() for c in value) if isinstance(value, str) else 0
    if not isinstance(value, str) or not _PHONE.fullmatch(value) or digits not in _PHONE_DIGITS:
        check.refuse(instance, attribute, value, "a phone number such as '+49 30 1234567'")


PERSONAL_FIELDS = ("name", "email", "phone", "title")
"""The fields of a :class:`Contact` that say who the person is: a vault can hold them."""

WITHHELD = "(withheld)"
"""A withheld name, as a :class:`Contact` shows it: held in a vault, or erased."""

_WITHHELD_ENTRY = re.compile(r"(name|email|phone|title)=[0-9a-f]{32}")


def references(contact: Contact) -> dict[str, str]:
    """The vault reference (digest) of each of ``contact``'s withheld fields, by field."""
    return {field: digest for field, _, digest in map(_entry, contact.withheld)}


def _entry(entry: str) -> tuple[str, str, str]:
    return entry.partition("=")


def _withheld(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not all(isinstance(entry, str) and _WITHHELD_ENTRY.fullmatch(entry) for entry in value):
        check.refuse(
            instance, attribute, value, "'field=digest' references into a vault (32 hex digits)"
        )
    fields = [_entry(entry)[0] for entry in value]
    if len(set(fields)) != len(fields):
        check.refuse(instance, attribute, value, "one reference a field")
    for field in fields:
        held = getattr(instance, field)
        if held != (WITHHELD if field == "name" else None):
            check.refuse(
                instance,
                attribute,
                value,
                f"{field} withheld ({WITHHELD!r} for a name, None otherwise), not {held!r}",
            )


@attrs.frozen(kw_only=True)
class Contact:
    """A person: how to reach them and what part they play.

    Args:
        name: How they are called; required (a suspect is at least a name).
        email: An e-mail address, kept exactly as given.
        phone: A phone number with optional ``+`` and separators.
        title: Their job title.
        role: Their :class:`~leadlife.DecisionRole`; ``UNKNOWN`` until someone asks.
        time_zone: Where their clock is (an IANA name, ``"Europe/Berlin"``):
            touches keep to their hours there (see :meth:`window`).
        hours: The hours they gave for being contacted, on their clock; by
            default their country's business hours.
        withheld: The personal fields (:data:`~leadlife.privacy.PERSONAL_FIELDS`) this contact
            does not hold, each as a reference into a vault (see
            :doc:`/privacy`): the name shows :data:`~leadlife.privacy.WITHHELD`, the others
            ``None``. Once the vault has erased the person, they stay so.

    Example:
        >>> from leadlife import Contact, DecisionRole
        >>> Contact(name="Ada Lovelace", email="ada@example.com", role=DecisionRole.CHAMPION).role
        <DecisionRole.CHAMPION: 'champion'>
    """

    name: str = attrs.field(validator=check.text)
    email: str | None = attrs.field(default=None, validator=_email)
    phone: str | None = attrs.field(default=None, validator=_phone)
    title: str | None = attrs.field(default=None, validator=optional(check.text))
    role: DecisionRole = attrs.field(
        default=DecisionRole.UNKNOWN, validator=check.member_of(DecisionRole)
    )
    time_zone: str | None = attrs.field(
        default=None,
        validator=_a_time_zone,
        metadata={OMIT_IF_DEFAULT: True},  # a contact without one reads and writes as before
    )
    hours: ContactHours | None = attrs.field(
        default=None,
        validator=optional(check.instance_of(ContactHours, "ContactHours")),
        metadata={OMIT_IF_DEFAULT: True},
    )
    withheld: tuple[str, ...] = attrs.field(
        default=(),
        converter=check.to_text_tuple,
        validator=[check.converted, _withheld],
        metadata={OMIT_IF_DEFAULT: True},  # a contact holding its own fields writes as before
    )

    @hours.validator
    def _on_a_clock(self, attribute: attrs.Attribute[Any], value: ContactHours | None) -> None:
        if value is not None and self.time_zone is None:
            check.refuse(self, attribute, value, "None unless the contact has a time_zone")

    def window(self) -> ContactHours | None:
        """When the person may be contacted: their hours, else their country's business hours.

        ``None`` without a time zone: nothing is known, so nothing is refused.

        Example:
            >>> from leadlife import Contact
            >>> str(Contact(name="Ada", time_zone="Europe/London").window())
            'Mon-Fri 09:00-18:00'
        """
        if self.hours is not None or self.time_zone is None:
            return self.hours
        return business_hours(self.time_zone)
