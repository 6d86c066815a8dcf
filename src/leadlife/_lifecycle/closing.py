"""Closing a deal won, with the reason it was won."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadlife._core.errors import TransitionRefusedError
from leadlife._core.events import StageChanged
from leadlife._core.history import History
from leadlife._core.records import Opportunity
from leadlife._core.screening import Win
from leadlife._lifecycle.moves import Moves


class Closing(Moves):
    """Win deals, saying why: the other half of win/loss review (losing is screening out)."""

    __slots__ = ()

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
            event = self._event_into(record, self._table.won_stages)
            if event is None:
                raise TransitionRefusedError(
                    record_id=record.id,
                    stage=record.stage,
                    event="win",
                    allowed=self.allowed_events(record),
                )
        return self.send(
            history, event, actor=actor, reason=decided.describe(), win=decided, payload=payload
        )
