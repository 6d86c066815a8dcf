"""The buying committee: who joins it, how they change, who leaves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from leadlife._core.journal.events import MemberAdded, MemberChanged, MemberRemoved
from leadlife._core.journal.history import History
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.committee import Member, find, keys_of
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.evidence import Method, Provenance
from leadlife._lifecycle.engine import Engine


class Committees:
    """Name the people behind a decision, one event each."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_member(
        self,
        history: History[Any],
        key: str,
        contact: Contact,
        *,
        actor: str,
        method: Method = Method.CALL,
        consent: Consent | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MemberAdded:
        """Add someone to the record's buying committee, with their role (``contact.role``).

        Args:
            history: The record's history.
            key: How the record names them (lower_snake_case): touches with
                them say ``member=key``.
            contact: Who they are, with their :class:`~leadlife.DecisionRole`.
            actor: Who learned of them.
            method: How: met on a call or in a meeting counts as met in person
                (MEDDIC's economic buyer must be met).
            consent: What they said about being contacted, if anything yet.
            reason: Why now.
            payload: JSON-safe context of your own.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, DecisionRole, FixedClock, LeadId, Lifecycle, Source
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Bo", role=DecisionRole.GATEKEEPER),
            ...     source=Source(channel="web"),
            ...     actor="ops",
            ... )
            >>> _ = life.add_member(
            ...     lead,
            ...     "cfo",
            ...     Contact(name="Grace", role=DecisionRole.DECISION_MAKER),
            ...     actor="sam",
            ... )
            >>> [member.key for member in lead.record.committee if member.decides]
            ['cfo']

        Raises:
            ValidationError: The key is taken, or a value is malformed.
        """
        record = history.record
        at = self.engine.now(history)
        if find(record.committee, key) is not None:
            raise ValidationError(
                owner="Lifecycle.add_member",
                field="key",
                value=key,
                expected=f"a key not on the committee yet ({keys_of(record.committee)})",
            )
        member = Member(
            key=key,
            contact=contact,
            provenance=Provenance(recorded_by=actor, at=at, method=method),
            consent=Consent() if consent is None else consent,
        )
        return self.engine.append(
            history, MemberAdded, actor=actor, reason=reason, payload=payload, at=at, member=member
        )

    def change_member(
        self,
        history: History[Any],
        key: str,
        *,
        actor: str,
        contact: Contact | None = None,
        consent: Consent | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MemberChanged:
        """Change a member's details or role (``contact``) or their consent.

        A member who asks not to be contacted gets ``consent=Consent(do_not_contact=True)``:
        touches with them are refused from then on, the rest of the committee
        is unaffected.

        Raises:
            ValidationError: No member has that key, or nothing would change.
        """
        member = self._member(history, key, "Lifecycle.change_member")
        changed = attrs.evolve(
            member,
            contact=member.contact if contact is None else contact,
            consent=member.consent if consent is None else consent,
        )
        if changed == member:
            raise ValidationError(
                owner="Lifecycle.change_member",
                field="contact",
                value=contact,
                expected=f"a change: member {key!r} is already as given",
            )
        return self.engine.append(
            history, MemberChanged, actor=actor, reason=reason, payload=payload, member=changed
        )

    def remove_member(
        self,
        history: History[Any],
        key: str,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> MemberRemoved:
        """Take someone off the committee (their touches stay in the record's history).

        Raises:
            ValidationError: No member has that key.
        """
        self._member(history, key, "Lifecycle.remove_member")
        return self.engine.append(
            history, MemberRemoved, actor=actor, reason=reason, payload=payload, key=key
        )

    @staticmethod
    def _member(history: History[Any], key: str, called: str) -> Member:
        committee = history.record.committee
        found = find(committee, key)
        if found is None:
            raise ValidationError(
                owner=called,
                field="key",
                value=key,
                expected=f"a member of the committee ({keys_of(committee)})",
            )
        return found
