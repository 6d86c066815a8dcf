"""Following up without pestering: the agreed plan, touches, and the chase's stop."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import (
    FollowUpAgreed,
    FollowUpEnded,
    NurtureEnded,
    NurtureEnrolled,
    Touched,
)
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import TouchRefusedError, ValidationError
from leadlife._core.values.committee import find, keys_of
from leadlife._core.values.followup import (
    Channel,
    FollowUpPlan,
    Touch,
    TouchOutcome,
    WhenStopped,
)
from leadlife._core.values.nurture import NurtureProgramme
from leadlife._core.values.screening import Reason
from leadlife._lifecycle.engine import Engine, all_or_nothing
from leadlife._policies import cadence

if TYPE_CHECKING:
    from leadlife._lifecycle.moves import Moves
    from leadlife._lifecycle.screening import ScreeningOut


class FollowingUp:
    """Agree follow-up plans, log touches, stop the chase."""

    __slots__ = ("engine", "moves", "screening")

    def __init__(self, engine: Engine, moves: Moves, screening: ScreeningOut) -> None:
        self.engine = engine
        self.moves = moves
        self.screening = screening

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
        return self.engine.append(
            history, FollowUpAgreed, actor=actor, reason=reason, payload=payload, plan=plan
        )

    @all_or_nothing
    def touch(
        self,
        history: History[Any],
        *,
        channel: Channel,
        outcome: TouchOutcome,
        actor: str,
        note: str | None = None,
        member: str | None = None,
        requested: bool = False,
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

        ``member`` says whom the touch was with, by their key on the buying
        committee (:meth:`add_member`); ``None`` is the record's own contact.
        A member who asked not to be contacted is never touched either.

        In a nurture programme (:meth:`enrol`), a touch must use one of its
        gentle channels, at its cadence: a call or a visit is refused (or
        recorded as a violation, as the programme says) unless the person
        asked for it (``requested=True``).

        Raises:
            TouchRefusedError: The touch would pester; ``allowed_at`` says when
                one is allowed.
            ValidationError: ``member`` is not on the committee.
        """
        record = history.record
        at = self.engine.now(history)
        found = None
        if member is not None:
            found = find(record.committee, member)
            if found is None:
                raise ValidationError(
                    owner="Lifecycle.touch",
                    field="member",
                    value=member,
                    expected=f"a member of the committee ({keys_of(record.committee)})",
                )
        problems, refuse, allowed_at = cadence.touch_verdict(
            record,
            channel,
            at,
            cap=self.engine.cap,
            final=record.stage in self.engine.table.final_stages,
            member=found,
            requested=requested,
        )
        if refuse:
            raise TouchRefusedError(record_id=record.id, problems=problems, allowed_at=allowed_at)
        violation = "; ".join(problems) or None
        touched = self.engine.append(
            history,
            Touched,
            actor=actor,
            reason=None,
            payload=payload,
            at=at,
            touch=Touch(
                at=at,
                channel=channel,
                outcome=outcome,
                note=note,
                violation=violation,
                member=member,
                requested=requested,
            ),
        )
        follow_up = history.record.follow_up
        if follow_up is not None and cadence.attempts_exhausted(follow_up, history.record.touches):
            unanswered = cadence.unanswered(follow_up, history.record.touches)
            self.stop_chase(history, actor=actor, reason=f"{unanswered} touches without an answer")
        return touched

    def enrol(
        self,
        history: History[Any],
        programme: NurtureProgramme,
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> NurtureEnrolled:
        """Keep a record in a recycle stage (nurture) warm by ``programme``: gentle, slow.

        The programme holds while the record stays in its stage: re-engaging
        (any move out) ends it, as does :meth:`end_nurture`. Enrolling again
        replaces the programme.

        Example:
            >>> from datetime import UTC, datetime, timedelta
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.errors import TouchRefusedError
            >>> from leadlife.followup import Channel, TouchOutcome
            >>> from leadlife.nurture import NurtureProgramme
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="web"),
            ...     stage="nurture",
            ...     actor="ops",
            ... )
            >>> digest = NurtureProgramme(
            ...     key="digest", name="Digest", channels={Channel.NEWSLETTER}, every=timedelta(30)
            ... )
            >>> _ = life.enrol(lead, digest, actor="ops")
            >>> try:
            ...     life.touch(lead, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="x")
            ... except TouchRefusedError as refused:
            ...     print(refused.problems[0])
            nurture programme digest reaches out by newsletter, not phone (it presses: only when \
the person asks for it)

        Raises:
            ValidationError: The record is not in one of the funnel's recycle
                stages, or ``programme`` is not a :class:`~leadlife.nurture.NurtureProgramme`.
        """
        check.argument(
            "Lifecycle.enrol",
            "programme",
            programme,
            check.instance_of(NurtureProgramme, "a NurtureProgramme"),
        )
        record = history.record
        if record.stage not in self.engine.table.recycle_stages:
            raise ValidationError(
                owner="Lifecycle.enrol",
                field="history",
                value=record.stage,
                expected="a record in a recycle stage ("
                + (", ".join(sorted(self.engine.table.recycle_stages)) or "the funnel has none")
                + "): nurture is for leads kept warm, not chased",
            )
        return self.engine.append(
            history,
            NurtureEnrolled,
            actor=actor,
            reason=reason,
            payload=payload,
            programme=programme,
        )

    def end_nurture(
        self,
        history: History[Any],
        *,
        actor: str,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> NurtureEnded:
        """End the record's nurture programme where it stands (a move out of its stage ends it)."""
        return self.engine.append(
            history, NurtureEnded, actor=actor, reason=reason, payload=payload
        )

    @all_or_nothing
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
        ended = self.engine.append(
            history, FollowUpEnded, actor=actor, reason=reason, payload=payload
        )
        assert follow_up is not None  # noqa: S101 - the append above refused otherwise
        plan = follow_up.plan
        if plan.when_stopped is WhenStopped.CLOSE:
            event = self.engine.event_into(record, self.engine.table.screened_out_stages)
            if event is not None:
                self.screening.disqualify(
                    history,
                    reason=Reason.UNRESPONSIVE,
                    note=reason,
                    review=(ended.at + plan.review_after).date(),
                    actor=actor,
                    event=event,
                    payload=payload,
                )
            return ended
        event = self.engine.event_into(record, self.engine.table.recycle_stages)
        if event is not None:
            self.moves.send(history, event, actor=actor, reason=reason, payload=payload)
        return ended
