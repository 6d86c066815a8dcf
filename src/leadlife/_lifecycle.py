"""The lifecycle: a funnel and a clock, turning requests into events.

Records are frozen values and python-statemachine writes the stage onto a
mutable model, so the two meet here, on a small mutable cursor: the machine
is built once, the cursor is loaded with a record's stage, the machine runs
its guards and picks the target, and the result becomes a ``StageChanged``
event appended to the record's history. The record itself is never mutated;
the history derives the next record from the event. That keeps a single
source of truth (the events), makes replay exact, and costs one machine per
lifecycle instead of one per record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar

import attrs
from statemachine.exceptions import InvalidDefinition

from leadlife._core import trusted
from leadlife._core import validation as check
from leadlife._core.actions import ActionKind, DueAction
from leadlife._core.assessment import Assessment, Outcome
from leadlife._core.breach import Breach
from leadlife._core.clock import Clock, SystemClock
from leadlife._core.company import Company
from leadlife._core.consent import Consent
from leadlife._core.contact import Contact
from leadlife._core.errors import (
    ConversionError,
    FunnelDefinitionError,
    HistoryError,
    InsufficientEvidenceError,
    NotQualifiedError,
    QualificationError,
    TouchRefusedError,
    TransitionRefusedError,
    UnknownStageError,
    ValidationError,
)
from leadlife._core.events import (
    Assessed,
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    Created,
    DealRevised,
    FollowUpAgreed,
    FollowUpEnded,
    LeadCaptured,
    LifecycleEvent,
    ObjectionRecorded,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife._core.evidence import Evidence
from leadlife._core.followup import (
    Channel,
    FollowUpPlan,
    OnViolation,
    PressureCap,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife._core.history import History
from leadlife._core.ids import LeadId, OpportunityId, ProspectId, RecordKind
from leadlife._core.json import EMPTY, JsonError, JsonMap
from leadlife._core.money import Money
from leadlife._core.objection import Objection, ObjectionKind
from leadlife._core.records import Lead, Opportunity, Prospect, Record
from leadlife._core.screening import Reason, Screening
from leadlife._core.source import Source
from leadlife._funnel.base import Funnel
from leadlife._funnel.default import DefaultFunnel
from leadlife._funnel.refusal import unknown_event
from leadlife._funnel.spec import FunnelSpec, TransitionSpec
from leadlife._funnel.table import table
from leadlife._policies import cadence
from leadlife._policies.framework import Framework
from leadlife._policies.registry import Registry, default_registry
from leadlife._policies.review import ReviewPolicy

R = TypeVar("R", Lead, Prospect, Opportunity)
E = TypeVar("E", bound=LifecycleEvent)

_CREATED: dict[type[Record], type[Created]] = {
    Lead: LeadCaptured,
    Prospect: ProspectCreated,
    Opportunity: OpportunityOpened,
}


class _Request(NamedTuple):
    """What a caller asked for, with the time it was asked."""

    at: datetime
    actor: str
    reason: str | None
    review_on: date | None
    payload: JsonMap
    screening: Screening | None = None

    def arguments(self, record: Record) -> dict[str, Any]:
        """The keyword arguments the funnel's guards and callbacks may name.

        ``record``, ``at`` and ``actor`` always; ``reason``, ``review_on``
        and ``payload`` only when given, and ``assessment`` (the record's
        latest) when it has one: each keyword argument costs
        python-statemachine time on every callback it resolves.
        """
        arguments: dict[str, Any] = {"record": record, "at": self.at, "actor": self.actor}
        if record.assessment is not None:
            arguments["assessment"] = record.assessment
        if self.reason is not None:
            arguments["reason"] = self.reason
        if self.review_on is not None:
            arguments["review_on"] = self.review_on
        if self.payload:
            arguments["payload"] = self.payload
        if self.screening is not None:
            arguments["screening"] = self.screening
        return arguments


DEFAULT_PRESSURE_CAP = PressureCap(touches=3, window=timedelta(days=7))
"""At most three touches a week, across channels, unless a lifecycle or a plan says otherwise."""

# What a caller gives is checked against the fields of the event it becomes,
# before any guard or callback sees it.
_EVENT_FIELDS = attrs.fields_dict(StageChanged)


class _Cursor:
    """The mutable model the machine writes the stage on."""

    __slots__ = ("stage",)

    def __init__(self, stage: str) -> None:
        self.stage = stage


class Lifecycle:
    """Moves records through a funnel and records every change as an event.

    Args:
        funnel: The funnel class; :class:`DefaultFunnel` unless given.
        clock: Where event times come from; the system clock unless given.
            Pass a :class:`FixedClock` or :class:`SteppingClock` for tests,
            examples and simulations.

    Every method that changes a record takes the record's :class:`History`,
    appends one event to it and returns that event (conversions return the new
    record's history). The history's ``record`` is then the changed record.

    A lifecycle keeps one machine instance for all records, so it is cheap to
    use for many records but is not meant to be shared between threads: give
    each thread its own.

    Example:
        >>> from datetime import UTC, date, datetime, timedelta
        >>> from leadlife import Contact, LeadId, Lifecycle, Reason, Source, SteppingClock
        >>> clock = SteppingClock(
        ...     start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=1)
        ... )
        >>> life = Lifecycle(clock=clock)
        >>> history = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="web-form",
        ... )
        >>> _ = life.send(history, "engage", actor="ada")
        >>> _ = life.disqualify(
        ...     history, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), told=True, actor="bob"
        ... )
        >>> history.record.stage, history.record.review_on
        ('disqualified', datetime.date(2026, 9, 1))
        >>> [event.to_stage for event in history.events[1:]]
        ['lead', 'disqualified']
    """

    __slots__ = (
        "_allowed",
        "_cap",
        "_clock",
        "_cursor",
        "_deepest",
        "_framework",
        "_funnel",
        "_machine",
        "_moves",
        "_spec",
        "_table",
    )

    def __init__(
        self,
        funnel: type[Funnel] = DefaultFunnel,
        *,
        clock: Clock | None = None,
        registry: Registry | None = None,
        pressure_cap: PressureCap | None = DEFAULT_PRESSURE_CAP,
    ) -> None:
        given: object = funnel  # checked at run time too: notebooks pass anything
        if not (isinstance(given, type) and issubclass(given, Funnel)):
            raise ValidationError(
                owner="Lifecycle", field="funnel", value=funnel, expected="a Funnel subclass"
            )
        if clock is not None and not isinstance(clock, Clock):
            raise ValidationError(
                owner="Lifecycle", field="clock", value=clock, expected="a Clock (has now())"
            )
        self._funnel = funnel
        self._clock: Clock = clock if clock is not None else SystemClock()
        # The funnel's transitions as lookup tables, read once per class.
        self._table = table(funnel)
        self._spec = self._table.spec
        self._moves = self._table.moves
        self._allowed = self._table.allowed
        self._deepest = self._table.deepest
        if pressure_cap is not None and not isinstance(pressure_cap, PressureCap):
            raise ValidationError(
                owner="Lifecycle",
                field="pressure_cap",
                value=pressure_cap,
                expected="a PressureCap or None",
            )
        self._cap = pressure_cap
        self._cursor = _Cursor(self._spec.initial.id)
        self._machine = self._new_machine()
        qualification = funnel.qualification
        self._framework: Framework | None = None
        if qualification is not None:
            chosen = default_registry() if registry is None else registry
            self._framework = chosen.framework(qualification)

    def _new_machine(self) -> Funnel:
        try:
            return self._funnel(model=self._cursor)
        except InvalidDefinition as error:
            # Guards named in the funnel are only resolved on an instance.
            raise FunnelDefinitionError(funnel=self._funnel.__name__, problem=str(error)) from error

    @property
    def funnel(self) -> type[Funnel]:
        """The funnel class records move through."""
        return self._funnel

    @property
    def clock(self) -> Clock:
        """The clock event times come from."""
        return self._clock

    @property
    def spec(self) -> FunnelSpec:
        """The funnel as data."""
        return self._spec

    @property
    def pressure_cap(self) -> PressureCap | None:
        """The contact-pressure cap for records without a plan of their own."""
        return self._cap

    @property
    def framework(self) -> Framework | None:
        """The qualification framework of the funnel, if it has one."""
        return self._framework

    # -- starting histories -------------------------------------------------

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
            The lead's history, holding its :class:`LeadCaptured` event.

        Raises:
            ValidationError: A field is invalid.
            UnknownStageError: ``stage`` is not a stage of the funnel.
            ConversionError: ``stage`` needs a deeper record than a lead.
        """
        at = self._now()
        lead = Lead(
            id=id,
            stage=self._spec.initial.id if stage is None else stage,
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
        return self._open(record, at=self._now(), actor=actor, reason=reason, payload=payload)

    def _open(
        self,
        record: R,
        *,
        at: datetime,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
    ) -> History[R]:
        self._check_stage(record)
        needed = self._kind(record.stage)
        if needed.depth > record.kind.depth:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"the stage needs {needed.noun}, this is {record.kind.noun}",
            )
        event = _CREATED[type(record)](
            record_id=record.id,
            at=at,
            actor=actor,
            reason=reason,
            payload=_payload(payload),
            **{record.kind.value: record},
        )
        return History([event])

    # -- moving records -----------------------------------------------------

    def allowed_events(self, record: Record) -> tuple[str, ...]:
        """The events the funnel allows from the record's stage (guards not run).

        Raises:
            UnknownStageError: The record's stage is not a stage of the funnel.
        """
        self._check_stage(record)
        return self._allowed[record.stage]

    def send(
        self,
        history: History[R],
        event: str,
        *,
        actor: str,
        reason: str | None = None,
        review_on: date | None = None,
        screening: Screening | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Send ``event`` to the record: run the funnel and record the move.

        The funnel's guards and callbacks see the keyword arguments
        ``record``, ``at`` and ``actor``, and ``reason``, ``review_on`` and
        ``payload`` when given: give those parameters a default.

        Args:
            history: The record's history; the event is appended to it.
            event: The funnel event (``"engage"``, ``"disqualify"``...).
            actor: Who does it.
            reason: Why; some guards require one (``has_reason``).
            review_on: When the decision is reviewed; some guards require one
                (``has_review_date``), and the record keeps it.
            screening: Why the record is screened out, for a move that does
                (``has_screening``); the record keeps it. See :meth:`disqualify`.
            payload: JSON-safe context of your own, kept in the event.

        Returns:
            The :class:`StageChanged` event, already appended.

        Raises:
            UnknownEventError: The funnel has no such event.
            TransitionRefusedError: The event is not allowed from the record's
                stage, or a guard said no; the error lists what is allowed.
            ConversionError: The move needs a deeper record: use
                :meth:`qualify` or :meth:`open_opportunity`; or the record was
                converted already.
        """
        record = history.record
        request = self._request(history, actor, reason, review_on, payload, screening=screening)
        self._moves_from(record, event)
        if self._deepest[(record.stage, event)] > record.kind.depth:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{event!r} leads to a stage that needs a deeper record; "
                "use Lifecycle.qualify or Lifecycle.open_opportunity",
            )
        target = self._fire(record, event, request)
        # Every part was checked already: the request by _request, the event
        # and the stages by the funnel. So skip the validators on the hot path.
        changed = trusted.build(
            StageChanged,
            self._table.move(
                record_id=record.id,
                at=request.at,
                actor=actor,
                reason=reason,
                payload=request.payload,
                event=event,
                source=record.stage,
                target=target,
                review_on=review_on,
                screening=screening,
            ),
        )
        history.append(changed)
        return changed

    def disqualify(
        self,
        history: History[Any],
        *,
        reason: str,
        review: date | ReviewPolicy,
        actor: str,
        note: str | None = None,
        mutual: bool = False,
        told: bool = False,
        event: str = "disqualify",
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Screen the record out, with both screening decisions made.

        DOMAIN: there are two screening decisions, whether to treat the person
        as a prospect, and when to review that. This records the first with a
        reason from the taxonomy (:class:`Reason`, or a team's own code),
        whether it was mutual and whether the person was told, and the second
        as a date or a :class:`ReviewPolicy` that computes one.

        A do-not-contact request is not a screen-out: it is the person's own
        choice and ends the lead for good; use :meth:`opt_out`.

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: The funnel refuses (for instance, the
                review date is in the past).
        """
        if reason == Reason.ASKED_NOT_TO_BE_CONTACTED:
            raise ValidationError(
                owner="Lifecycle",
                field="reason",
                value=reason,
                expected="a screening reason; a do-not-contact request goes through opt_out()",
            )
        check.argument(
            "Lifecycle.disqualify",
            "review",
            review,
            check.instance_of((date, ReviewPolicy), "a date or a ReviewPolicy"),
        )
        if isinstance(review, datetime):
            check.argument("Lifecycle.disqualify", "review", review, check.calendar_date)
        screening = Screening(reason=reason, note=note, mutual=mutual, told=told)
        if isinstance(review, ReviewPolicy):
            review = review.review_on(screening, self._now(history))
        return self.send(
            history,
            event,
            actor=actor,
            reason=screening.describe(),
            review_on=review,
            screening=screening,
            payload=payload,
        )

    def lose(
        self,
        history: History[Opportunity],
        *,
        reason: str,
        review: date | ReviewPolicy,
        actor: str,
        note: str | None = None,
        mutual: bool = False,
        told: bool = False,
        event: str = "lose",
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Close a deal lost, with the reason (from the taxonomy) and a review date.

        Losing screens the deal out, so it takes what :meth:`disqualify`
        takes and the record keeps the same facts: the :class:`Screening`
        (which win/loss review counts and :class:`LostToNurture` reads) and
        the review date. The deal's win probability becomes 0. A lost deal is
        not gone: it can be reopened or recycled.

        Example:
            >>> from datetime import UTC, date, datetime
            >>> from leadlife import (
            ...     Contact,
            ...     FixedClock,
            ...     Lifecycle,
            ...     Money,
            ...     Opportunity,
            ...     OpportunityId,
            ...     ProspectId,
            ...     Reason,
            ...     Source,
            ... )
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> deal = life.start(
            ...     Opportunity(
            ...         id=OpportunityId("O-1"),
            ...         prospect_id=ProspectId("P-1"),
            ...         stage="proposal",
            ...         contact=Contact(name="Ada"),
            ...         source=Source(channel="web"),
            ...         name="Pilot",
            ...         amount=Money.of("5000", "EUR"),
            ...         expected_close=date(2026, 6, 1),
            ...         win_probability=0.4,
            ...         created_at=datetime(2026, 3, 1, tzinfo=UTC),
            ...     ),
            ...     actor="import",
            ... )
            >>> _ = life.lose(deal, reason=Reason.NO_BUDGET, review=date(2026, 9, 1), actor="sam")
            >>> record = deal.record
            >>> record.stage, str(record.screening.reason), record.review_on, record.win_probability
            ('lost', 'no_budget', datetime.date(2026, 9, 1), 0.0)

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: The funnel refuses (the review date is in
                the past, or the deal's stage cannot be lost from).
        """
        return self.disqualify(
            history,
            reason=reason,
            review=review,
            actor=actor,
            note=note,
            mutual=mutual,
            told=told,
            event=event,
            payload=payload,
        )

    def opt_out(
        self,
        history: History[Any],
        *,
        actor: str,
        note: str | None = None,
        event: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Record the person's request not to be contacted; it ends the lead for good.

        Two events: a :class:`ConsentRecorded` with ``do_not_contact`` set, and
        the move into the funnel's terminal stage, recorded as the person's
        own choice (a mutual screening with reason
        ``asked_not_to_be_contacted``).

        Args:
            history: The record's history.
            actor: Who took the request.
            note: What the person said.
            event: The funnel event to use; found when exactly one event
                leads from the record's stage into a terminal stage.
            payload: JSON-safe context of your own.
        """
        record = history.record
        if event is None:
            allowed = self.allowed_events(record)
            event = self._event_into(record, self._table.final_stages)
            if event is None:
                raise TransitionRefusedError(
                    record_id=record.id, stage=record.stage, event="opt_out", allowed=allowed
                )
        self._moves_from(record, event)
        if not record.consent.do_not_contact:
            consent = attrs.evolve(
                record.consent, do_not_contact=True, recorded_at=self._now(history)
            )
            self.record_consent(history, consent, actor=actor, reason=note, payload=payload)
        choice = Screening(
            reason=Reason.ASKED_NOT_TO_BE_CONTACTED, note=note, mutual=True, told=True
        )
        return self.send(
            history, event, actor=actor, reason=choice.describe(), screening=choice, payload=payload
        )

    # -- following up -------------------------------------------------------

    def agree_follow_up(
        self,
        history: History[Any],
        plan: FollowUpPlan,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> FollowUpAgreed:
        """Record the follow-up plan the person agreed to; it replaces any earlier one."""
        return self._append(
            history, FollowUpAgreed, actor=actor, reason=reason, payload=payload, plan=plan
        )

    def touch(
        self,
        history: History[Any],
        *,
        channel: Channel,
        outcome: TouchOutcome,
        actor: str,
        note: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> Touched:
        """Log a follow-up touch made now, and stop the chase if a stop rule says so.

        The touch must keep to the plan the person agreed to (its channel and
        interval) and to the contact-pressure cap; one that does not is
        refused, saying when the next touch is allowed, unless the plan says
        to record it as a visible violation. Nobody who asked not to be
        contacted is ever touched.

        After the touch, if the plan's attempts are used up without an
        answer, the chase stops (:meth:`stop_chase`).

        Raises:
            TouchRefusedError: The touch would pester; ``allowed_at`` says when
                one is allowed.
        """
        record = history.record
        at = self._now(history)
        if record.consent.do_not_contact:
            raise TouchRefusedError(
                record_id=record.id, problems=["the person asked not to be contacted"]
            )
        if self._spec.stage(record.stage).final:
            raise TouchRefusedError(
                record_id=record.id, problems=[f"{record.stage!r} is a final stage"]
            )
        problems, allowed_at = cadence.breaches(
            record.follow_up, record.touches, self._cap, channel, at
        )
        violation = None
        if problems:
            plan = None if record.follow_up is None else record.follow_up.plan
            if plan is None or plan.on_violation is OnViolation.REFUSE:
                raise TouchRefusedError(
                    record_id=record.id, problems=problems, allowed_at=allowed_at or at
                )
            violation = "; ".join(problems)
        touched = self._append(
            history,
            Touched,
            actor=actor,
            reason=None,
            payload=payload,
            at=at,
            touch=Touch(at=at, channel=channel, outcome=outcome, note=note, violation=violation),
        )
        follow_up = history.record.follow_up
        if follow_up is not None and cadence.attempts_exhausted(follow_up, history.record.touches):
            unanswered = cadence.unanswered(follow_up, history.record.touches)
            self.stop_chase(history, actor=actor, reason=f"{unanswered} touches without an answer")
        return touched

    def stop_chase(
        self,
        history: History[Any],
        *,
        actor: str,
        reason: str,
        payload: Mapping[str, Any] | None = None,
    ) -> FollowUpEnded:
        """End the follow-up, and move the record as its plan says.

        A plan that stops to nurture moves the record into the funnel's
        recycle stage, if a move leads there from its stage; a plan that
        closes screens it out as unresponsive, with the plan's review date.

        Raises:
            HistoryError: No plan is in force.
        """
        record = history.record
        follow_up = record.follow_up
        ended = self._append(history, FollowUpEnded, actor=actor, reason=reason, payload=payload)
        assert follow_up is not None  # noqa: S101 - the append above refused otherwise
        plan = follow_up.plan
        if plan.when_stopped is WhenStopped.CLOSE:
            event = self._event_into(record, self._table.screened_out_stages)
            if event is not None:
                self.disqualify(
                    history,
                    reason=Reason.UNRESPONSIVE,
                    note=reason,
                    review=(ended.at + plan.review_after).date(),
                    actor=actor,
                    event=event,
                    payload=payload,
                )
            return ended
        event = self._event_into(record, self._table.recycle_stages)
        if event is not None:
            self.send(history, event, actor=actor, reason=reason, payload=payload)
        return ended

    def _event_into(self, record: Record, stages: Iterable[str]) -> str | None:
        """The one event that leads from the record's stage into ``stages``, if exactly one."""
        wanted = set(stages)
        events = [
            event
            for event in self._allowed[record.stage]
            if all(move.target in wanted for move in self._moves[(record.stage, event)])
        ]
        return events[0] if len(events) == 1 else None

    # -- the agenda ---------------------------------------------------------

    def apply(self, history: History[Any], action: DueAction, *, actor: str) -> LifecycleEvent:
        """Carry out a due action from the agenda, through the funnel.

        A recycle or a review sends the proposed event, with the proposal's
        reason, review date, rule and facts (in the payload); a chase's stop
        ends the plan as it says; a breach is recorded as :class:`SlaBreached`.

        The agenda proposes from a snapshot of the records: apply at most one
        move (a recycle, a review, a chase's stop) per record per run, and let
        the next run propose from the new stage; breaches may go along.
        Follow-ups, warnings and flags are for a person to act on.

        Returns:
            The event recorded last.

        Raises:
            ValidationError: The action is not for this record, or is not one
                that can be applied.
        """
        if action.record_id != history.record_id:
            raise ValidationError(
                owner="Lifecycle",
                field="action",
                value=action.record_id,
                expected=f"an action for {history.record_id!r}",
            )
        payload = {"source": action.source, **action.facts.thaw()}
        if action.kind in (ActionKind.RECYCLE, ActionKind.REVIEW) and action.event is not None:
            return self.send(
                history,
                action.event,
                actor=actor,
                reason=action.reason,
                review_on=action.review_on,
                payload=payload,
            )
        if action.kind is ActionKind.STOP_CHASE:
            return self.stop_chase(history, actor=actor, reason=action.reason, payload=payload)
        if action.kind is ActionKind.SLA_BREACHED and action.started_at is not None:
            if history.record.consent.do_not_contact:
                raise ValidationError(
                    owner="Lifecycle.apply",
                    field="action",
                    value=action.source,
                    expected="no service level for a person who asked not to be contacted",
                )
            breach = Breach(level=action.source, started_at=action.started_at, due_at=action.due_at)
            return self._append(
                history,
                SlaBreached,
                actor=actor,
                reason=action.reason,
                payload=payload,
                breach=breach,
            )
        raise ValidationError(
            owner="Lifecycle",
            field="action",
            value=action.kind.value,
            expected="a recycle, a review, a chase's stop or a breach; the others need a person",
        )

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
        one (an :class:`Assessed` event each), so re-assessing with new
        evidence never loses the earlier verdicts. Nothing moves.

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
        chosen = self._framework if framework is None else framework
        if chosen is None:
            raise QualificationError(
                f"funnel {self._funnel.__name__} has no qualification framework: pass framework="
            )
        request = self._request(history, actor, reason, None, payload)
        return self._assess(history, evidence, chosen, request)

    def _assess(
        self, history: History[Any], evidence: Evidence, framework: Framework, request: _Request
    ) -> Assessment:
        assessment = framework.assess(evidence, at=request.at)
        self._append(
            history,
            Assessed,
            actor=request.actor,
            reason=request.reason,
            payload=request.payload,
            at=request.at,
            assessment=assessment,
        )
        return assessment

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
        first (on ``evidence``, or on the evidence of its latest assessment)
        and the assessment is recorded, whatever the outcome. Only a
        qualifying assessment lets the funnel's ``is_qualified`` guard pass.

        Then the lead's history gets a :class:`StageChanged` with
        ``converted_to``, and the prospect's history starts with
        :class:`ProspectCreated` at the same time. The lead takes no further
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
        event = self._conversion(lead, RecordKind.PROSPECT, event)
        # One time for the whole act: the assessment, the move and the new record.
        request = self._request(history, actor, reason, None, payload)
        if self._framework is not None:
            self._check_qualifies(history, evidence, self._framework, request)
            lead = history.record
        target = self._fire(lead, event, request)
        prospect = Prospect.from_lead(lead, id=prospect_id, stage=target, at=request.at)
        return self._hand_over(history, event, prospect, request)

    def _check_qualifies(
        self,
        history: History[Lead],
        evidence: Evidence | None,
        framework: Framework,
        request: _Request,
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
                    for event in self.allowed_events(record)
                    if self._deepest[(record.stage, event)] <= record.kind.depth
                ],
            )
        if assessment.outcome is Outcome.INSUFFICIENT_EVIDENCE:
            raise InsufficientEvidenceError(record_id=record.id, assessment=assessment)

    def open_opportunity(
        self,
        history: History[Prospect],
        *,
        opportunity_id: OpportunityId,
        name: str,
        amount: Money,
        expected_close: date,
        win_probability: float,
        actor: str,
        event: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[Opportunity]:
        """Convert a prospect into an opportunity: a concrete deal opens.

        Works like :meth:`qualify`, one level deeper: the prospect's history
        gets the move with ``converted_to``, the opportunity's history starts
        with :class:`OpportunityOpened`.

        Returns:
            The new opportunity's history.

        Raises:
            ConversionError: The record is not an unconverted prospect, or no
                (or more than one) event opens a deal from its stage.
            TransitionRefusedError: The funnel refused the move.
            ValidationError: A term of the deal is invalid.
        """
        prospect = history.record
        if not isinstance(prospect, Prospect):
            raise ConversionError(
                record_id=prospect.id,
                stage=prospect.stage,
                problem="only a prospect opens an opportunity",
            )
        event = self._conversion(prospect, RecordKind.OPPORTUNITY, event)
        request = self._request(history, actor, reason, None, payload)
        target = self._fire(prospect, event, request)
        deal = Opportunity.from_prospect(
            prospect,
            id=opportunity_id,
            stage=target,
            at=request.at,
            name=name,
            amount=amount,
            expected_close=expected_close,
            win_probability=win_probability,
        )
        return self._hand_over(history, event, deal, request)

    def _conversion(self, record: Record, kind: RecordKind, event: str | None) -> str:
        """The event that converts ``record`` into ``kind`` from its stage, checked."""
        if event is None:
            event = self._conversion_event(record, kind)
        moves = self._moves_from(record, event)
        if any(self._kind(move.target) is not kind for move in moves):
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{event!r} does not lead into a stage that needs {kind.noun}",
            )
        return event

    def _conversion_event(self, record: Record, kind: RecordKind) -> str:
        candidates = [
            event
            for event in self.allowed_events(record)
            if all(self._kind(m.target) is kind for m in self._moves[(record.stage, event)])
        ]
        if len(candidates) != 1:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"{len(candidates)} events lead into a {kind.value} stage from here"
                + (f" ({', '.join(candidates)}): pass event=" if candidates else ""),
            )
        return candidates[0]

    def _hand_over(
        self, history: History[Any], event: str, new: R, request: _Request
    ) -> History[R]:
        """Start the new record's history, then close the old one towards it."""
        record: Record = history.record
        created = _CREATED[type(new)](
            record_id=new.id,
            at=request.at,
            actor=request.actor,
            reason=request.reason,
            payload=request.payload,
            **{new.kind.value: new},
        )
        new_history: History[R] = History([created])
        history.append(
            StageChanged(
                **self._table.move(
                    record_id=record.id,
                    at=request.at,
                    actor=request.actor,
                    reason=request.reason,
                    payload=request.payload,
                    event=event,
                    source=record.stage,
                    target=new.stage,
                    converted_to=new.id,
                )
            )
        )
        return new_history

    def _fire(self, record: Record, event: str, request: _Request) -> str:
        """Run the machine from the record's stage; return the stage it reached."""
        if self._machine.is_terminated:
            # python-statemachine stops an engine that entered a final stage;
            # this lifecycle's next record needs a running one.
            self._machine = self._new_machine()
        self._cursor.stage = record.stage
        arguments = request.arguments(record)
        try:
            self._machine.send(event, **arguments)
        except TransitionRefusedError as error:
            # The funnel said why; this lifecycle knows whose record it is.
            raise TransitionRefusedError(
                record_id=record.id,
                stage=record.stage,
                event=event,
                allowed=error.allowed,
                failed_guards=error.failed_guards,
                reasons=error.reasons,
            ) from None
        return self._cursor.stage

    def _moves_from(self, record: Record, event: str) -> tuple[TransitionSpec, ...]:
        if record.converted_to is not None:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"it was converted to {record.converted_to}; send events to that record",
            )
        self._check_stage(record)
        moves = self._moves.get((record.stage, event))
        if moves is None:
            if event not in self._spec.events:
                raise unknown_event(self._funnel, event, record.stage)
            raise TransitionRefusedError(
                record_id=record.id,
                stage=record.stage,
                event=event,
                allowed=self.allowed_events(record),
            )
        return moves

    def _check_stage(self, record: Record) -> None:
        if record.stage not in self._allowed:
            raise UnknownStageError(
                stage=record.stage,
                funnel=self._funnel.__name__,
                stages=[stage.id for stage in self._spec.stages],
            )

    def _request(
        self,
        history: History[Any],
        actor: str,
        reason: str | None,
        review_on: date | None,
        payload: Mapping[str, Any] | None,
        *,
        screening: Screening | None = None,
        called: str = "send",
    ) -> _Request:
        where = f"Lifecycle.{called}"
        check.argument(where, "actor", actor, check.text)
        check.argument(where, "reason", reason, check.optional_text)
        check.argument(where, "review_on", review_on, check.optional_calendar_date)
        check.argument(
            where, "screening", screening, check.optional_instance_of(Screening, "a Screening")
        )
        at = self._now(history)
        return _Request(at, actor, reason, review_on, _payload(payload), screening)

    def _kind(self, stage: str) -> RecordKind:
        return self._table.kinds[stage]

    def _now(self, history: History[Any] | None = None) -> datetime:
        at: object = self._clock.now()  # a clock of the user's may return anything
        if not isinstance(at, datetime) or at.utcoffset() is None:
            raise ValidationError(
                owner=type(self._clock).__name__,
                field="now()",
                value=at,
                expected="a timezone-aware datetime",
            )
        if history is not None and at < history.last_at:
            raise HistoryError(
                event=history.record,
                problem=f"the clock says {at}, before the last event ({history.last_at})",
            )
        return at

    # -- changing details ---------------------------------------------------

    def _append(
        self,
        history: History[Any],
        event_type: type[E],
        *,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
        at: datetime | None = None,
        **fields: Any,
    ) -> E:
        event = event_type(
            record_id=history.record_id,
            at=self._now(history) if at is None else at,
            actor=actor,
            reason=reason,
            payload=_payload(payload),
            **fields,
        )
        history.append(event)
        return event

    def assign(
        self,
        history: History[Any],
        owner: str | None,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> OwnerAssigned:
        """Give the record a new owner (``None``: nobody)."""
        return self._append(
            history, OwnerAssigned, actor=actor, reason=reason, payload=payload, owner=owner
        )

    def tag(
        self,
        history: History[Any],
        *tags: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> TagsChanged:
        """Add tags that the record does not have yet."""
        return self._append(
            history, TagsChanged, actor=actor, reason=reason, payload=payload, added=tags
        )

    def untag(
        self,
        history: History[Any],
        *tags: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> TagsChanged:
        """Remove tags that the record has."""
        return self._append(
            history, TagsChanged, actor=actor, reason=reason, payload=payload, removed=tags
        )

    def set_attributes(
        self,
        history: History[Any],
        values: Mapping[str, Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> AttributesChanged:
        """Set custom attributes (JSON-safe values), keeping the others."""
        return self._append(
            history, AttributesChanged, actor=actor, reason=reason, payload=payload, updated=values
        )

    def remove_attributes(
        self,
        history: History[Any],
        *keys: str,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> AttributesChanged:
        """Remove custom attributes that the record has."""
        return self._append(
            history, AttributesChanged, actor=actor, reason=reason, payload=payload, removed=keys
        )

    def record_consent(
        self,
        history: History[Any],
        consent: Consent,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ConsentRecorded:
        """Record what the person now says about being contacted.

        A do-not-contact request ends any follow-up plan and every service
        level's clock, and the agenda proposes nothing for the record again;
        :meth:`opt_out` also moves the record to the funnel's terminal stage.
        """
        return self._append(
            history, ConsentRecorded, actor=actor, reason=reason, payload=payload, consent=consent
        )

    def change_contact(
        self,
        history: History[Any],
        contact: Contact,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ContactChanged:
        """Correct or complete the contact."""
        return self._append(
            history, ContactChanged, actor=actor, reason=reason, payload=payload, contact=contact
        )

    def change_company(
        self,
        history: History[Any],
        company: Company | None,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> CompanyChanged:
        """Correct or complete the company (``None``: unknown)."""
        return self._append(
            history, CompanyChanged, actor=actor, reason=reason, payload=payload, company=company
        )

    def revise_deal(
        self,
        history: History[Opportunity],
        *,
        actor: str,
        name: str | None = None,
        amount: Money | None = None,
        expected_close: date | None = None,
        win_probability: float | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> DealRevised:
        """Change an opportunity's terms; those not given stay as they are."""
        deal = _deal(history)
        return self._append(
            history,
            DealRevised,
            actor=actor,
            reason=reason,
            payload=payload,
            name=deal.name if name is None else name,
            amount=deal.amount if amount is None else amount,
            expected_close=deal.expected_close if expected_close is None else expected_close,
            win_probability=deal.win_probability if win_probability is None else win_probability,
        )

    def record_objection(
        self,
        history: History[Opportunity],
        kind: ObjectionKind,
        *,
        actor: str,
        note: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> ObjectionRecorded:
        """Record an objection the prospect raises now."""
        _deal(history)
        at = self._now(history)
        return self._append(
            history,
            ObjectionRecorded,
            actor=actor,
            reason=reason,
            payload=payload,
            at=at,  # read the clock once: the objection is raised when recorded
            objection=Objection(kind=kind, note=note, raised_at=at),
        )

    def note_competitor(
        self,
        history: History[Opportunity],
        competitor: str,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> CompetitorNoted:
        """Note a competitor in the deal."""
        return self._append(
            history,
            CompetitorNoted,
            actor=actor,
            reason=reason,
            payload=payload,
            competitor=competitor,
        )


def _deal(history: History[Any]) -> Opportunity:
    record = history.record
    if not isinstance(record, Opportunity):
        raise HistoryError(event=record, problem=f"{record.id!r} is not an opportunity")
    return record


def _payload(payload: Mapping[str, Any] | None) -> JsonMap:
    """The payload, frozen; checked before any guard sees it."""
    if payload is None:
        return EMPTY
    if isinstance(payload, JsonMap):
        return payload
    try:
        return JsonMap(payload)
    except JsonError as error:
        raise ValidationError(
            owner="payload", field=error.path, value=error.value, expected=error.expected
        ) from None
