"""Starting histories: a lead captured now, or a record imported as it stands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from leadlife._core.journal.events.creation import holding
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead
from leadlife._core.support.errors import (
    ConversionError,
)
from leadlife._core.support.json import EMPTY
from leadlife._core.values.company import Company
from leadlife._core.values.consent import Consent
from leadlife._core.values.contact import Contact
from leadlife._core.values.ids import LeadId
from leadlife._core.values.source import Source
from leadlife._lifecycle.engine import CREATED, Engine, R, frozen_payload


class Starting:
    """Capture new leads and start the histories of existing records."""

    __slots__ = ("engine",)

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def capture(
        self,
        *,
        id: LeadId,  # noqa: A002 - the field is called id everywhere else
        contact: Contact,
        source: Source,
        actor: str,
        company: Company | None = None,
        owner: str | None = None,
        consent: Consent | None = None,
        tags: Iterable[str] = (),
        attributes: Mapping[str, Any] | None = None,
        stage: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[Lead]:
        """Capture a new lead now, in the funnel's initial stage unless ``stage`` says.

        Returns:
            The lead's history, holding its :class:`~leadlife.events.LeadCaptured` event.

        Raises:
            ValidationError: A field is invalid.
            UnknownStageError: ``stage`` is not a stage of the funnel.
            ConversionError: ``stage`` needs a deeper record than a lead.
        """
        at = self.engine.now()
        lead = Lead(
            id=id,
            stage=self.engine.table.spec.initial.id if stage is None else stage,
            contact=contact,
            source=source,
            company=company,
            owner=owner,
            consent=Consent() if consent is None else consent,
            tags=tags,
            attributes=EMPTY if attributes is None else attributes,
            created_at=at,
        )
        return self._open(lead, at=at, actor=actor, reason=reason, payload=payload)

    def start(
        self,
        record: R,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[R]:
        """Start the history of an existing record (an import), dated now.

        Raises:
            UnknownStageError: The record's stage is not a stage of the funnel.
            ConversionError: The stage needs a deeper record.
            HistoryError: The record was updated after now.
        """
        return self._open(record, at=self.engine.now(), actor=actor, reason=reason, payload=payload)

    def _open(
        self,
        record: R,
        *,
        at: datetime,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
    ) -> History[R]:
        self.engine.check_stage(record)
        needed = self.engine.kind(record.stage)
        if needed.depth > record.kind.depth:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"the stage needs {needed.noun}, this is {record.kind.noun}",
            )
        event = CREATED[type(record)](
            record_id=record.id,
            at=at,
            actor=actor,
            reason=reason,
            payload=frozen_payload(payload),
            **holding(record),
        )
        return History([event], funnel=self.engine.funnel)
