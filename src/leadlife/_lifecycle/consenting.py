"""Double opt-in: consent asked for, then confirmed by the person, each an event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from leadlife._core.journal.events import ConsentRecorded
from leadlife._core.journal.history import History
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.consent import ConsentStatus
from leadlife._lifecycle.engine import Engine


class OptIns:
    """A double opt-in: the request (``pending``), then the person's confirmation (``granted``)."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def request_opt_in(
        self,
        history: History[Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ConsentRecorded:
        """Record that the person was asked to confirm their consent (the confirmation e-mail).

        The consent is ``pending`` until :meth:`confirm_opt_in`: asked for,
        not given. ``payload`` is the place for what the app sent (the
        message's id, the form's).

        Raises:
            ValidationError: The person asked not to be contacted (nothing may
                be sent to them, a confirmation request included), or gave
                their consent already.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="web"),
            ...     actor="form",
            ... )
            >>> _ = life.request_opt_in(lead, actor="mailer", payload={"message": "m-81"})
            >>> lead.record.consent.status.value
            'pending'
            >>> _ = life.confirm_opt_in(lead, actor="link", payload={"ip": "192.0.2.7"})
            >>> lead.record.consent.status.value, lead.record.consent.confirmed_at.hour
            ('granted', 9)
        """
        consent = history.record.consent
        if consent.do_not_contact or consent.status is ConsentStatus.GRANTED:
            raise ValidationError(
                owner="Lifecycle.request_opt_in",
                field="history",
                value=history.record_id,
                expected=(
                    "a person who has not asked to be left alone and has not consented yet"
                    f" (do_not_contact={consent.do_not_contact}, status {consent.status.value!r})"
                ),
            )
        at = self.engine.now(history)
        asked = attrs.evolve(consent, status=ConsentStatus.PENDING, recorded_at=at)
        return self.engine.append(
            history,
            ConsentRecorded,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            consent=asked,
        )

    def confirm_opt_in(
        self,
        history: History[Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ConsentRecorded:
        """Record the person's confirmation of a requested opt-in: consent granted, and when.

        ``payload`` is the place for the proof (the link's token, the
        address it was clicked from).

        Raises:
            HistoryError: No opt-in was requested (the consent is not
                ``pending``): a confirmation nobody asked for proves nothing.
        """
        at = self.engine.now(history)
        confirmed = attrs.evolve(
            history.record.consent, status=ConsentStatus.GRANTED, recorded_at=at, confirmed_at=at
        )
        return self.engine.append(
            history,
            ConsentRecorded,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,
            consent=confirmed,
        )
