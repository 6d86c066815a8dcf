"""Closing a deal won, with the reason it was won."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from leadlife._core.journal.events import StageChanged
from leadlife._core.journal.history import History
from leadlife._core.journal.records import DealMotion, Opportunity
from leadlife._core.support.errors import ConversionError, TransitionRefusedError
from leadlife._core.values.ids import OpportunityId, RecordKind
from leadlife._core.values.money import Money
from leadlife._core.values.screening import Win
from leadlife._lifecycle.engine import Engine

if TYPE_CHECKING:
    from leadlife._lifecycle.moves import Moves
    from leadlife._lifecycle.starting import Starting


class Closing:
    """Win deals, saying why, and grow the customers they made with new deals."""

    __slots__ = ("engine", "moves", "starting")

    def __init__(self, engine: Engine, moves: Moves, starting: Starting) -> None:
        self.engine = engine
        self.moves = moves
        self.starting = starting

    def open_growth(
        self,
        history: History[Opportunity],
        *,
        opportunity_id: OpportunityId,
        motion: DealMotion,
        name: str,
        amount: Money,
        expected_close: date,
        win_probability: float,
        actor: str,
        stage: str | None = None,
        reason: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> History[Opportunity]:
        """Open a deal that grows a won customer: an upsell, a cross-sell, a renewal.

        Growth is a new opportunity with its own history and its own win or
        loss, linked to the won deal it grows (``grows``), never a stage of the
        old deal: the old deal stays won, and win/loss review counts each. It
        starts in the funnel's first deal stage unless ``stage`` says where.

        Returns:
            The new deal's history.

        Raises:
            ConversionError: The deal was never won, or ``motion`` is new business.
        """
        deal = history.record
        # Any history may come in: a lead's has neither a win nor odds of 1.
        if getattr(deal, "win", None) is None and getattr(deal, "win_probability", None) != 1:
            raise ConversionError(
                record_id=deal.id,
                stage=deal.stage,
                problem="only a won deal's customer can be grown: win it first",
            )
        if motion is DealMotion.NEW_BUSINESS:
            raise ConversionError(
                record_id=deal.id,
                stage=deal.stage,
                problem="growth is an upsell, a cross-sell or a renewal, not new business",
            )
        first = stage if stage is not None else self._first_deal_stage()
        grown = Opportunity(
            id=opportunity_id,
            prospect_id=deal.prospect_id,
            stage=first,
            contact=deal.contact,
            source=deal.source,
            company=deal.company,
            owner=deal.owner,
            consent=deal.consent,
            committee=deal.committee,
            name=name,
            amount=amount,
            expected_close=expected_close,
            win_probability=win_probability,
            motion=motion,
            grows=deal.id,
            created_at=self.engine.now(history),
        )
        return self.starting.start(grown, actor=actor, reason=reason, payload=payload)

    def _first_deal_stage(self) -> str:
        return next(
            stage.id
            for stage in self.engine.table.spec.stages
            if self.engine.table.kinds[stage.id] is RecordKind.OPPORTUNITY
        )

    def win(
        self,
        history: History[Opportunity],
        reason: str,
        *,
        actor: str,
        note: str | None = None,
        event: str | None = None,
        payload: Mapping[str, Any] | None = None,
    ) -> StageChanged:
        """Close a deal won, with the reason (a code from the taxonomy) and a note.

        The deal keeps the :class:`~leadlife.screening.Win` (``record.win``),
        its win probability becomes 1, and win/loss review counts the reason
        beside the loss reasons.

        Args:
            history: The deal's history.
            reason: A :class:`~leadlife.screening.WinReason`, or a team's own
                lower_snake_case code.
            actor: Who closed it.
            note: What was said; required for ``WinReason.OTHER``.
            event: The funnel event to use; found when exactly one event
                leads from the deal's stage into a won stage.
            payload: JSON-safe context of your own.

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
            >>> from leadlife.screening import WinReason
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> deal = life.start(
            ...     Opportunity(
            ...         id=OpportunityId("O-1"),
            ...         prospect_id=ProspectId("P-1"),
            ...         stage="negotiation",
            ...         contact=Contact(name="Ada"),
            ...         source=Source(channel="web"),
            ...         name="Pilot",
            ...         amount=Money.of("5000", "EUR"),
            ...         expected_close=date(2026, 6, 1),
            ...         win_probability=0.6,
            ...         created_at=datetime(2026, 3, 1, tzinfo=UTC),
            ...     ),
            ...     actor="import",
            ... )
            >>> _ = life.win(deal, WinReason.SERVICE, note="on-site training", actor="sam")
            >>> deal.record.stage, deal.record.win.describe(), deal.record.win_probability
            ('customer', 'service: on-site training', 1.0)

        Raises:
            ValidationError: The reason is not a code, or OTHER has no note.
            TransitionRefusedError: No (or more than one) event wins the deal
                from its stage, or the funnel refuses.
        """
        decided = Win(reason=reason, note=note)
        record = history.record
        if event is None:
            event = self.engine.event_into(record, self.engine.table.won_stages)
            if event is None:
                raise TransitionRefusedError(
                    record_id=record.id,
                    stage=record.stage,
                    event="win",
                    allowed=self.engine.allowed_events(record),
                )
        return self.moves.send(
            history, event, actor=actor, reason=decided.describe(), win=decided, payload=payload
        )
