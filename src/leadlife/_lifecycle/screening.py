"""Screening out with respect: disqualifying, losing, and the person's own opt-out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from leadlife._core.journal.events import (
    ConsentRecorded,
    StageChanged,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Opportunity
from leadlife._core.support import validation as check
from leadlife._core.support.errors import (
    TransitionRefusedError,
    ValidationError,
)
from leadlife._core.values.screening import Reason, Screening
from leadlife._lifecycle.deals import open_objection
from leadlife._lifecycle.engine import Engine, all_or_nothing
from leadlife._policies.review import ReviewPolicy

if TYPE_CHECKING:
    from leadlife._lifecycle.moves import Moves


def _a_review(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, ReviewPolicy):
        return
    if not isinstance(value, date) or isinstance(value, datetime):
        check.refuse(instance, attribute, value, "a date (not a datetime) or a ReviewPolicy")


class ScreeningOut:
    """Screen records out with both decisions made, or record the person's opt-out."""

    __slots__ = ("engine", "moves")

    def __init__(self, engine: Engine, moves: Moves) -> None:
        self.engine = engine
        self.moves = moves

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
        reason from the taxonomy (:class:`~leadlife.screening.Reason`, or a team's own code),
        whether it was mutual and whether the person was told, and the second
        as a date or a :class:`~leadlife.screening.ReviewPolicy` that computes one.

        A do-not-contact request is not a screen-out: it is the person's own
        choice and ends the lead for good; use :meth:`opt_out`.

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: The funnel refuses (for instance, the
                review date is in the past).
        """
        return self._screen_out(
            history,
            called="disqualify",
            event=event,
            screening=_decided("disqualify", reason, note=note, mutual=mutual, told=told),
            review=review,
            actor=actor,
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
        objection: int | None = None,
        event: str = "lose",
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Close a deal lost, with the reason (from the taxonomy) and a review date.

        ``objection`` names the objection the deal died of (its index in the
        deal's ``objections``): it ends ``LOST_ON``, and win/loss review
        counts it.

        Losing screens the deal out, so it takes what :meth:`disqualify`
        takes and the record keeps the same facts: the :class:`~leadlife.screening.Screening`
        (which win/loss review counts and :class:`~leadlife.recycling.LostToNurture` reads) and
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
            ...     Source,
            ... )
            >>> from leadlife.screening import Reason
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
            ValidationError: The reason is not a code, OTHER has no note, or
                ``objection`` names no open objection of the deal.
            TransitionRefusedError: The funnel refuses (the review date is in
                the past, or the deal's stage cannot be lost from).
        """
        if objection is not None:
            open_objection(history, objection, "Lifecycle.lose")
        return self._screen_out(
            history,
            called="lose",
            event=event,
            screening=_decided(
                "lose", reason, note=note, mutual=mutual, told=told, objection=objection
            ),
            review=review,
            actor=actor,
            payload=payload,
        )

    def reject(
        self,
        history: History[Any],
        *,
        reason: str,
        actor: str,
        note: str | None = None,
        event: str = "reject",
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Hand a sales-ready lead back to marketing, saying why (the closed loop).

        Not a silent drop: the move back records a
        :class:`~leadlife.screening.Screening` with the reason (a
        :class:`~leadlife.screening.RejectReason`, or a team's own code) and
        the note, which the lead keeps until its next move, so marketing sees
        what sales could not use and the book can count it.

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: The funnel refuses (the lead is not sales-ready).
        """
        decided = Screening(reason=reason, note=note)
        return self.moves.send(
            history,
            event,
            actor=actor,
            reason=decided.describe(),
            screening=decided,
            payload=payload,
        )

    def churn(
        self,
        history: History[Opportunity],
        *,
        reason: str,
        review: date | ReviewPolicy,
        actor: str,
        note: str | None = None,
        mutual: bool = False,
        told: bool = False,
        event: str = "churn",
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Record that a customer left, with the reason and when to try to win them back.

        A churn is a screen-out like any other: a reason from a taxonomy
        (:class:`~leadlife.screening.ChurnReason`, or a team's own code), a
        note, whether it was mutual and whether we said our piece, and a
        review date, on which :class:`~leadlife.recycling.ChurnedToWinBack`
        proposes the win-back.

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: The funnel refuses (the review date is in
                the past, or the deal is not a customer's).
        """
        return self._screen_out(
            history,
            called="churn",
            event=event,
            screening=_decided("churn", reason, note=note, mutual=mutual, told=told),
            review=review,
            actor=actor,
            payload=payload,
        )

    def _screen_out(
        self,
        history: History[Any],
        *,
        called: str,
        event: str,
        screening: Screening,
        review: date | ReviewPolicy,
        actor: str,
        payload: Mapping[str, Any] | None,
    ) -> StageChanged:
        """Screen out with both decisions made; the clock is read once for both."""
        check.argument(f"Lifecycle.{called}", "review", review, _a_review)
        request = self.engine.request(
            history, actor, screening.describe(), None, payload, screening=screening, called=called
        )
        if isinstance(review, ReviewPolicy):
            review = review.review_on(screening, request.at)
        return self.moves.move(history, event, request._replace(review_on=review))

    @all_or_nothing
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

        Two events: a :class:`~leadlife.events.ConsentRecorded` with ``do_not_contact`` set, and
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
            allowed = self.engine.allowed_events(record)
            event = self.engine.event_into(record, self.engine.table.final_stages)
            if event is None:
                raise TransitionRefusedError(
                    record_id=record.id, stage=record.stage, event="opt_out", allowed=allowed
                )
        self.engine.moves_from(record, event)
        if not record.consent.do_not_contact:
            consent = attrs.evolve(
                record.consent, do_not_contact=True, recorded_at=self.engine.now(history)
            )
            self.engine.append(
                history,
                ConsentRecorded,
                actor=actor,
                reason=note,
                payload=payload,
                consent=consent,
            )
        choice = Screening(
            reason=Reason.ASKED_NOT_TO_BE_CONTACTED, note=note, mutual=True, told=True
        )
        return self.moves.send(
            history, event, actor=actor, reason=choice.describe(), screening=choice, payload=payload
        )


def _decided(
    called: str,
    reason: Reason | str,
    *,
    note: str | None,
    mutual: bool,
    told: bool,
    objection: int | None = None,
) -> Screening:
    """The screening a call decided, its reason one for screening out (not an opt-out's)."""
    if reason == Reason.ASKED_NOT_TO_BE_CONTACTED:
        raise ValidationError(
            owner=f"Lifecycle.{called}",
            field="reason",
            value=reason,
            expected="a screening reason; a do-not-contact request goes through opt_out()",
        )
    return Screening(reason=reason, note=note, mutual=mutual, told=told, objection=objection)
