"""Carrying out what the agenda proposes, through the funnel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import (
    LifecycleEvent,
    OwnerAssigned,
    SlaBreached,
)
from leadlife._core.journal.history import History
from leadlife._core.support.errors import (
    ValidationError,
)
from leadlife._core.values.actions import (
    DueAction,
    Reassign,
    RecordBreach,
    SendEvent,
    StopChase,
)
from leadlife._core.values.breach import Breach
from leadlife._lifecycle.engine import Engine, all_or_nothing

if TYPE_CHECKING:
    from leadlife._lifecycle.followups import FollowingUp
    from leadlife._lifecycle.moves import Moves


class Applying:
    """Apply due actions from the agenda."""

    __slots__ = ("engine", "following_up", "moves")

    def __init__(self, engine: Engine, moves: Moves, following_up: FollowingUp) -> None:
        self.engine = engine
        self.moves = moves
        self.following_up = following_up

    @all_or_nothing
    def apply(self, history: History[Any], action: DueAction, *, actor: str) -> LifecycleEvent:
        """Carry out a due action from the agenda, through the funnel.

        A recycle, a review or a hand-off by score (and its way back) sends
        the proposed event, with the proposal's reason, review date, rule and
        facts (in the payload); a chase's stop
        ends the plan as it says; a breach is recorded as :class:`~leadlife.events.SlaBreached`.

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
        match action.applies:
            case SendEvent(event=event, review_on=review_on):
                return self.moves.send(
                    history,
                    event,
                    actor=actor,
                    reason=action.reason,
                    review_on=review_on,
                    payload=payload,
                )
            case StopChase():
                return self.following_up.stop_chase(
                    history, actor=actor, reason=action.reason, payload=payload
                )
            case RecordBreach() as breach:
                return self._breach(history, breach, action.reason, actor=actor, payload=payload)
            case Reassign() as reassign:
                return self._reassign(
                    history, reassign, action.reason, actor=actor, payload=payload
                )
            case None:
                raise ValidationError(
                    owner="Lifecycle",
                    field="action",
                    value=action.kind.value,
                    expected="a recycle, a review, a move by score, a chase's stop, a breach or "
                    "a reassignment; the others need a person",
                )

    def _breach(
        self,
        history: History[Any],
        breach: RecordBreach,
        reason: str,
        *,
        actor: str,
        payload: dict[str, Any],
    ) -> LifecycleEvent:
        """Record a service level's breach, unless the person asked not to be contacted."""
        if history.record.consent.do_not_contact:
            raise ValidationError(
                owner="Lifecycle.apply",
                field="action",
                value=breach.level,
                expected="no service level for a person who asked not to be contacted",
            )
        return self.engine.append(
            history,
            SlaBreached,
            actor=actor,
            reason=reason,
            payload=payload,
            breach=Breach(level=breach.level, started_at=breach.started_at, due_at=breach.due_at),
        )

    def _reassign(
        self,
        history: History[Any],
        reassign: Reassign,
        reason: str,
        *,
        actor: str,
        payload: dict[str, Any],
    ) -> LifecycleEvent:
        """Give the record the owner the routing chose, if its owner is still who it was."""
        if history.record.owner != reassign.previous:
            raise ValidationError(
                owner="Lifecycle.apply",
                field="action",
                value=reason,
                expected=f"a reassignment from the record's owner now ({history.record.owner}); "
                "the owner changed since the agenda proposed it",
            )
        return self.engine.append(
            history,
            OwnerAssigned,
            actor=actor,
            reason=reason,
            payload=payload,
            owner=reassign.owner,
            policy=reassign.policy,
        )
