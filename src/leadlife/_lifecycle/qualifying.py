"""Qualification: assessing evidence, and qualifying a lead into a prospect."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from leadlife._core.journal.events import (
    Assessed,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Prospect
from leadlife._core.support.errors import (
    ConversionError,
    InsufficientEvidenceError,
    NotQualifiedError,
    QualificationError,
)
from leadlife._core.values.assessment import Assessment, Outcome
from leadlife._core.values.committee import Member
from leadlife._core.values.evidence import Evidence, Stakeholder
from leadlife._core.values.ids import ProspectId, RecordKind
from leadlife._lifecycle.engine import Engine, Request, all_or_nothing
from leadlife._policies.framework import Framework

if TYPE_CHECKING:
    from leadlife._lifecycle.converting import Converting
    from leadlife._lifecycle.moves import Moves


def with_committee(evidence: Evidence, committee: tuple[Member, ...]) -> Evidence:
    """``evidence`` with the committee's members among its stakeholders (those not there yet)."""
    listed = {stakeholder.contact for stakeholder in evidence.stakeholders}
    joining = [
        Stakeholder(contact=member.contact, provenance=member.provenance)
        for member in committee
        if member.contact not in listed
    ]
    if not joining:
        return evidence
    return attrs.evolve(evidence, stakeholders=(*evidence.stakeholders, *joining))


class Qualifying:
    """Assess records under a framework, and qualify leads."""

    __slots__ = ("converting", "engine", "moves")

    def __init__(self, engine: Engine, moves: Moves, converting: Converting) -> None:
        self.engine = engine
        self.moves = moves
        self.converting = converting

    def assess(
        self,
        history: History[Any],
        evidence: Evidence,
        *,
        actor: str,
        framework: Framework | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Assessment:
        """Assess the record's evidence now, and record the assessment.

        The record keeps the latest assessment and its history keeps every
        one (an :class:`~leadlife.events.Assessed` event each), so re-assessing with new
        evidence never loses the earlier verdicts. Nothing moves.

        The record's buying committee joins the evidence's stakeholders (each
        member not listed already, with how we learned of them), so the
        criteria that ask who decides, who signs and who champions read it.

        Args:
            history: The record's history.
            evidence: What discovery found out.
            actor: Who assesses.
            framework: The framework to use; the funnel's unless given.
            reason: Why now.
            payload: JSON-safe context of your own.

        Raises:
            QualificationError: Neither the funnel nor the call names a framework.
            CriterionError: A criterion broke its contract.
        """
        chosen = self.engine.framework if framework is None else framework
        if chosen is None:
            funnel = self.engine.funnel.__name__
            raise QualificationError(
                f"funnel {funnel} has no qualification framework: pass framework="
            )
        request = self.engine.request(history, actor, reason, None, payload, called="assess")
        return self._assess(history, evidence, chosen, request)

    def _assess(
        self, history: History[Any], evidence: Evidence, framework: Framework, request: Request
    ) -> Assessment:
        evidence = with_committee(evidence, history.record.committee)
        assessment = framework.assess(evidence, at=request.at)
        self.engine.append(
            history,
            Assessed,
            actor=request.actor,
            reason=request.reason,
            payload=request.payload,
            at=request.at,
            assessment=assessment,
        )
        return assessment

    @all_or_nothing
    def qualify(
        self,
        history: History[Lead],
        *,
        prospect_id: ProspectId,
        actor: str,
        evidence: Evidence | None = None,
        event: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[Prospect]:
        """Assess a lead and, if it qualifies, convert it into a prospect.

        With a qualification framework on the funnel, the lead is assessed
        first (on ``evidence``, or on the evidence of its latest assessment).
        Only a qualifying assessment lets the funnel's ``is_qualified`` guard
        pass; it is recorded with the conversion. One that does not qualify
        is raised with the error and recorded nowhere, as with every call
        that raises (the history is as it was): record it with
        :meth:`assess` to keep the verdict and its unknowns in the history.

        Then the lead's history gets a :class:`~leadlife.events.StageChanged` with
        ``converted_to``, and the prospect's history starts with
        :class:`~leadlife.events.ProspectCreated` at the same time. The lead takes no further
        events: its journey goes on as the prospect, which carries all its
        facts, its id and the assessment.

        Args:
            history: The lead's history.
            prospect_id: The id of the new prospect.
            actor: Who qualifies it.
            evidence: What discovery found out.
            event: The funnel event to use; found from the funnel when only
                one event leads from the lead's stage into a prospect stage.
            reason: Why.
            payload: JSON-safe context of your own.

        Returns:
            The new prospect's history.

        Raises:
            NotQualifiedError: The assessment says no; the lead stays, and the
                error lists what it may do instead (disqualify, recycle).
            InsufficientEvidenceError: The assessment cannot decide; the lead
                stays, and the error lists the questions to ask next.
            ConversionError: The record is not an unconverted lead, or no
                (or more than one) event qualifies it from its stage.
            TransitionRefusedError: The funnel refused the move.
        """
        lead = history.record
        if not isinstance(lead, Lead):
            raise ConversionError(
                record_id=lead.id, stage=lead.stage, problem="only a lead is qualified"
            )
        event = self.converting.conversion(lead, RecordKind.PROSPECT, event)
        # One time for the whole act: the assessment, the move and the new record.
        request = self.engine.request(history, actor, reason, None, payload, called="qualify")
        if self.engine.framework is not None:
            self._check_qualifies(history, evidence, self.engine.framework, request)
            lead = history.record
        target = self.engine.fire(lead, event, request)
        prospect = Prospect.from_lead(lead, id=prospect_id, stage=target, at=request.at)
        return self.converting.hand_over(history, event, prospect, request)

    def _check_qualifies(
        self,
        history: History[Lead],
        evidence: Evidence | None,
        framework: Framework,
        request: Request,
    ) -> None:
        """Assess (and record it); raise unless the assessment qualifies."""
        record = history.record
        if evidence is None:
            latest = record.assessment
            evidence = Evidence() if latest is None else latest.evidence
        assessment = self._assess(history, evidence, framework, request)
        if assessment.outcome is Outcome.NOT_QUALIFIED:
            raise NotQualifiedError(
                record_id=record.id,
                assessment=assessment,
                allowed=[
                    event
                    for event in self.engine.allowed_events(record)
                    if self.engine.table.deepest[(record.stage, event)] <= record.kind.depth
                ],
            )
        if assessment.outcome is Outcome.INSUFFICIENT_EVIDENCE:
            raise InsufficientEvidenceError(record_id=record.id, assessment=assessment)
