"""Scoring a record, recording the crossings of the sales-ready threshold, and the hand-off."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import ScoreCrossed
from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.values.activity import Activity, ScoreCrossing
from leadlife._lifecycle.engine import Engine, all_or_nothing

if TYPE_CHECKING:
    from leadlife._lifecycle.moves import Moves
    from leadlife._policies.scoring.model import Score, ScoringModel

# Scoring models and hand-offs are imported when a record is first scored: an app
# that never scores never pays for them (nor does `import leadlife`).


class Scoring:
    """Score records; a crossing of the sales-ready threshold is an event, and may hand off."""

    __slots__ = ("engine", "moves")

    def __init__(self, engine: Engine, moves: Moves) -> None:
        self.engine = engine
        self.moves = moves

    @all_or_nothing
    def score(
        self,
        history: History[Any],
        model: ScoringModel,
        activities: Iterable[Activity] = (),
        *,
        actor: str,
        hand_off: bool = True,
        payload: Mapping[str, Any] | None = None,
    ) -> Score:
        """Score the record now by ``model``; record a crossing of its threshold; hand off.

        The score itself is not recorded (scores change with every activity
        and every day of decay); a crossing of the model's sales-ready
        threshold is, as :class:`~leadlife.events.ScoreCrossed` with the
        score's largest contributions: up when the score reaches it, down
        when it falls below again. When it crosses up, the funnel's
        scoring model is ``model`` (:func:`~leadlife.funnels.scored_funnel`)
        and ``hand_off`` is true, the lead is moved on by the event its
        ``is_sales_ready`` guard guards from its stage, with the score as the
        reason.

        Returns:
            The score, with every contribution.

        Raises:
            ValidationError: ``model`` is not a
                :class:`~leadlife.scoring.ScoringModel`, or an activity is
                not an :class:`~leadlife.scoring.Activity`.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.funnels import scored_funnel
            >>> from leadlife.scoring import FactRule, ScoringModel
            >>> model = ScoringModel(
            ...     key="b2b",
            ...     facts=[
            ...         FactRule(
            ...             key="referred", fact="source.channel", values=["referral"], points=60
            ...         )
            ...     ],
            ...     sales_ready=50,
            ... )
            >>> life = Lifecycle(
            ...     funnel=scored_funnel("b2b"), clock=FixedClock(datetime(2026, 3, 2, tzinfo=UTC))
            ... )
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="referral"),
            ...     stage="lead",
            ...     actor="form",
            ... )
            >>> life.score(lead, model, actor="scoring").total
            60.0
            >>> [type(event).__name__ for event in lead.events]
            ['LeadCaptured', 'ScoreCrossed', 'StageChanged']
            >>> lead.record.stage, lead.events[-1].reason
            ('sales_ready', 'score 60 by b2b reached its threshold of 50')
        """
        check.argument(
            "Lifecycle.score", "model", model, check.instance_of(_scoring_model(), "a ScoringModel")
        )
        record = history.record
        at = self.engine.now(history)
        score = model.score(record, activities, at=at)
        threshold = model.sales_ready
        if threshold is None or score.sales_ready is None:
            return score  # a model without a threshold has nothing to cross
        last = record.score
        was_ready = last is not None and last.model == model.key and last.ready
        if score.sales_ready == was_ready:
            return score
        crossing = ScoreCrossing(
            model=model.key,
            score=score.total,
            threshold=threshold,
            ready=score.sales_ready,
            at=at,
            reasons=score.explain(top=5),
        )
        self.engine.append(
            history, ScoreCrossed, actor=actor, reason=None, payload=payload, crossing=crossing
        )
        if crossing.ready and hand_off and self.engine.funnel.scoring == model.key:
            from leadlife._policies.hand_offs import HandOffs  # noqa: PLC0415 - see above

            event = HandOffs.of(self.engine.table).forward.get(record.stage)
            if event is not None:
                reason = (
                    f"score {score.total:.4g} by {model.key} reached its threshold of {threshold:g}"
                )
                self.moves.send(history, event, actor=actor, reason=reason, payload=payload)
        return score


def _scoring_model() -> type:
    from leadlife._policies.scoring.model import ScoringModel  # noqa: PLC0415 - see the top

    return ScoringModel
