"""The buying committee: the people behind a deal, each with a role and a consent of their own.

DOMAIN: talking only to a gatekeeper is a classic failure, and MEDDIC and
friends ask for the economic buyer and a champion. A record's ``contact`` is
the person it started with; its committee names the others, with their
decision roles. Each member's consent is their own: one person's "do not call
me" does not silence the others, and the others' yes does not reach them.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from leadlife._core.support import validation as check
from leadlife._core.values.consent import Consent, unknown_consent
from leadlife._core.values.contact import Contact, DecisionRole
from leadlife._core.values.evidence import Provenance


@attrs.frozen(kw_only=True)
class Member:
    """One person of the buying committee.

    Args:
        key: How the record names them (lower_snake_case, unique on the record):
            touches say whom they reached by this key.
        contact: Who they are, with their :class:`~leadlife.DecisionRole`.
        provenance: Who learned of them and their role, when, and how (a
            member met on a call or in a meeting counts as met in person).
        consent: What they said about being contacted.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, DecisionRole, Member
        >>> from leadlife.qualification import Method, Provenance
        >>> cfo = Member(
        ...     key="cfo",
        ...     contact=Contact(name="Grace", title="CFO", role=DecisionRole.DECISION_MAKER),
        ...     provenance=Provenance(
        ...         recorded_by="sam", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.MEETING
        ...     ),
        ... )
        >>> cfo.decides
        True
    """

    key: str = attrs.field(validator=check.key)
    contact: Contact = attrs.field(validator=check.instance_of(Contact, "a Contact"))
    provenance: Provenance = attrs.field(validator=check.instance_of(Provenance, "a Provenance"))
    consent: Consent = attrs.field(
        factory=unknown_consent, validator=check.instance_of(Consent, "a Consent")
    )

    @property
    def role(self) -> DecisionRole:
        """Their role in the decision."""
        return self.contact.role

    @property
    def decides(self) -> bool:
        """Whether they make the decision (``DecisionRole.DECISION_MAKER``)."""
        return self.contact.role is DecisionRole.DECISION_MAKER


def to_committee(value: Sequence[Member]) -> tuple[Member, ...]:
    """The members as a tuple, refusing anything else and two members with one key."""
    members: object = check.to_tuple_of(value, Member, "a list of Member")
    if not isinstance(members, tuple):
        return members  # type: ignore[return-value]  # refused: ``converted`` reports it
    keys = [member.key for member in members]
    if len(set(keys)) != len(keys):
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        return check.refused(value, f"members with distinct keys (twice: {duplicated})")  # type: ignore[no-any-return]
    return members


def find(committee: tuple[Member, ...], key: str) -> Member | None:
    """The member with ``key``, if any."""
    for member in committee:
        if member.key == key:
            return member
    return None


def keys_of(committee: tuple[Member, ...]) -> str:
    """The members' keys, in order, for error messages."""
    return ", ".join(member.key for member in committee) or "nobody yet"
