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
from leadlife._core.values.actions import ActionKind, DueAction
from leadlife._core.values.breach import Breach
from leadlife._lifecycle.engine import Engine, all_or_nothing

if TYPE_CHECKING:
    from leadlife._lifecycle.followups import FollowingUp
    from leadlife._lifecycle.moves import Moves

_MOVES = frozenset(
    {ActionKind.RECYCLE, ActionKind.REVIEW, ActionKind.SALES_READY, ActionKind.SCORE_DECAYED}
)
"""The actions that are a move: the proposed event, sent with the proposal's reason."""


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
        if action.kind in _MOVES and action.event is not None:
            return self.moves.send(
                history,
                action.event,
                actor=actor,
                reason=action.reason,
                review_on=action.review_on,
                payload=payload,
            )
        if action.kind is ActionKind.STOP_CHASE:
            return self.following_up.stop_chase(
                history, actor=actor, reason=action.reason, payload=payload
            )
        if action.kind is ActionKind.SLA_BREACHED and action.started_at is not None:
            if history.record.consent.do_not_contact:
                raise ValidationError(
                    owner="Lifecycle.apply",
                    field="action",
                    value=action.source,
                    expected="no service level for a person who asked not to be contacted",
                )
            breach = Breach(level=action.source, started_at=action.started_at, due_at=action.due_at)
            return self.engine.append(
                history,
                SlaBreached,
                actor=actor,
                reason=action.reason,
                payload=payload,
                breach=breach,
            )
        if action.kind is ActionKind.REASSIGN:
            return self._reassign(history, action, actor=actor, payload=payload)
        raise ValidationError(
            owner="Lifecycle",
            field="action",
            value=action.kind.value,
            expected="a recycle, a review, a move by score, a chase's stop, a breach or a "
            "reassignment; "
            "the others need a person",
        )

    def _reassign(
        self, history: History[Any], action: DueAction, *, actor: str, payload: dict[str, Any]
    ) -> LifecycleEvent:
        """Give the record the owner the routing chose, if its owner is still who it was."""
        facts = action.facts
        previous = facts["previous"] or None
        if history.record.owner != previous:
            raise ValidationError(
                owner="Lifecycle.apply",
                field="action",
                value=action.reason,
                expected=f"a reassignment from the record's owner now ({history.record.owner}); "
                "the owner changed since the agenda proposed it",
            )
        return self.engine.append(
            history,
            OwnerAssigned,
            actor=actor,
            reason=action.reason,
            payload=payload,
            owner=facts["owner"],
            policy=facts["policy"],
        )
