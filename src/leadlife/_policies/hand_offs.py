"""The agenda's moves by score: hand a sales-ready lead off, or send a decayed one back.

A funnel whose hand-off waits for a score (:func:`~leadlife.funnels.scored_funnel`)
says where: the moves guarded by ``is_sales_ready``. A record whose last
:class:`~leadlife.events.ScoreCrossed` went up, still standing where such a
move leaves from, is due to be handed off; one whose score went down again,
standing where the hand-off led, is due to go back to nurture.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support.json import JsonValue
from leadlife._core.values.actions import ActionKind, DueAction, quick
from leadlife._funnel.roles import FunnelRoles
from leadlife._funnel.table import FunnelTable
from leadlife._policies.checks.check import NOTHING

SALES_READY = "is_sales_ready"
"""The guard that reads a record's score crossing."""


@attrs.frozen(kw_only=True)
class HandOffs:
    """Where a funnel hands leads off by score, and the way back to nurture from there.

    The agenda's check of a funnel that hands off by score (made from the funnel).

    Attributes:
        model: The funnel's scoring model (``None``: it hands nothing off by score).
        forward: By stage, the event that hands a lead off from it.
        back: By stage a hand-off leads to, the event into the funnel's recycle stage.
    """

    model: str | None
    forward: dict[str, str]
    back: dict[str, str]
    key: str = "hand_offs"
    needs: str = "score"

    @classmethod
    def of(cls, found: FunnelTable) -> HandOffs:
        """The hand-offs of the funnel ``found`` describes."""
        forward: dict[str, str] = {}
        back: dict[str, str] = {}
        for transition in found.spec.transitions:
            if SALES_READY in transition.guards:
                forward.setdefault(transition.source, transition.event)
                event = found.event_into(transition.target, found.recycle_stages)
                if event is not None:
                    back.setdefault(transition.target, event)
        return cls(model=found.spec.scoring, forward=forward, back=back)

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:  # noqa: ARG002 - its own funnel's
        """Where a hand-off leaves from, and where it leads."""
        return frozenset(self.forward) | frozenset(self.back)

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:  # noqa: ARG002 - due when scored
        """A lead whose score crossed up and is not handed off yet; or that fell back below."""
        score = record.score
        if score is None or score.model != self.model:
            return NOTHING
        if score.ready and record.stage in self.forward:
            kind, event = ActionKind.SALES_READY, self.forward[record.stage]
            reason = (
                f"score {score.score:.4g} by {score.model} reached its threshold of "
                f"{score.threshold:g}: hand the lead to sales"
            )
        elif not score.ready and record.stage in self.back:
            kind, event = ActionKind.SCORE_DECAYED, self.back[record.stage]
            reason = (
                f"score by {score.model} fell to {score.score:.4g}, below its threshold of "
                f"{score.threshold:g}: back to nurture"
            )
        else:
            return NOTHING
        facts: dict[str, JsonValue] = {
            "model": score.model,
            "score": score.score,
            "threshold": score.threshold,
            "scored_at": score.at.isoformat(),
            "reasons": score.reasons,
        }
        return (
            quick(
                kind=kind,
                record_id=record.id,
                due_at=score.at,
                reason=reason,
                source=score.model,
                event=event,
                facts=facts,
            ),
        )
