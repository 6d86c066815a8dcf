"""A converted lead's journey, continued: qualified into a prospect, a deal opened and moved on.

A CRM that converts a lead into an opportunity (Salesforce's standard
conversion) exports the two apart. Rebuilding the journey takes the lead to
a prospect when it was converted, opens the deal with its amount, close
date and probability when it was created, and moves it through the default
funnel at each stage change the deal's history records, to won or lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import attrs

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity, Prospect
from leadlife._core.values.ids import OpportunityId, ProspectId, RecordKind
from leadlife._core.values.money import Money
from leadlife._crm.replay import REFERENCE, RowRefused, Target, cell, not_before

DEAL_ORDER = tuple(
    stage
    for stage in REFERENCE.stages_for(RecordKind.OPPORTUNITY)
    if stage not in REFERENCE.closed and stage not in REFERENCE.customer_life
)
"""An open deal's stages, in the reference funnel's words, in the order it goes through them."""
DEAL_STAGES = (*DEAL_ORDER, *sorted(REFERENCE.won), *sorted(REFERENCE.lost))
"""The stages a deal's stage can mean: an open deal's, won or lost."""
WON_UNSAID = "unrecorded"
"""The win reason of an imported deal whose export does not say why it was won."""


@attrs.frozen(kw_only=True)
class Deal:
    """What an export says of the deal a lead was converted into (``None``: it does not say)."""

    opportunity_id: OpportunityId
    prospect_id: ProspectId
    name: str
    amount: Money | None
    expected_close: date | None
    win_probability: float | None
    owner: str | None
    converted: datetime
    created: datetime
    stages: Sequence[tuple[str, datetime]]
    """The deal's stages after its first, each when it was entered, in order."""
    unknown: tuple[str, ...] = ()
    """The columns the export left blank, each imported as a fact not known."""
    won_note: str | None = None
    """Why the export says the deal was won, in its words (``None``: it does not say)."""
    lost_note: str | None = None
    """Why the export says the deal was lost, in its words (``None``: it does not say)."""
    attributes: Mapping[str, Any] = attrs.field(factory=dict)
    """The deal's custom fields, set when it opens."""
    undated: frozenset[str] = frozenset()
    """The stages of :attr:`stages` the export says the deal reached, but not when."""
    implied: bool = False
    """The conversion is not dated by the data, only implied by the deal: its moves are inferred.

    A table import sets it for every deal (a table dates a deal's stages, not
    the lead's becoming a prospect); the CRM readers whose exports date the
    conversion (Salesforce's ConvertedDate...) leave it unset.
    """


def amount_of(value: str | None, currency: str | None) -> Money | None:
    """A deal's amount in ``currency``; ``None`` when the cell is blank (not known, not zero)."""
    if value is None:
        return None
    if currency is None:
        raise RowRefused(
            f"the amount {value} has no currency: the row names none, and none was given "
            "(currency=..., --currency): an amount is never assumed to be in dollars"
        )
    return Money.of(value, currency)


def date_of(value: str | None) -> date | None:
    """A deal's close date (``2026-06-30``); ``None`` when blank."""
    return None if value is None else date.fromisoformat(value)


def percent_of(value: str | None) -> float | None:
    """A probability written in percent (``40``); ``None`` when blank."""
    return None if value is None else float(value) / 100


def blank(row: Mapping[str, str], *columns: str) -> tuple[str, ...]:
    """The ``columns`` of ``row`` that are blank."""
    return tuple(column for column in columns if cell(row, column) is None)


def amount_written(money: Money | None) -> tuple[str, str]:
    """An amount and its currency as an export writes them; blank when not known."""
    return ("", "") if money is None else (str(money.amount), money.currency)


def date_written(day: date | None) -> str:
    """A close date as an export writes it; blank when not known."""
    return "" if day is None else day.isoformat()


def percent_written(chance: float | None) -> str:
    """A probability in percent as an export writes it; blank when not known."""
    return "" if chance is None else format(chance * 100, "g")


def continue_into_deal(
    lead: History[Lead],
    deal: Deal,
    *,
    system: str,
    review_after: timedelta,
    notices: list[str],
    target: Target | None = None,
) -> tuple[History[Prospect], History[Opportunity]]:
    """Qualify ``lead`` into a prospect, open ``deal`` and move it as its history says.

    The export says the lead was converted, not on what evidence: the
    conversion's guards are trusted (``trusted_guards``), never an assessment
    made up; every other rule of the funnel (a loss's reason and review date)
    holds.
    """
    onto = Target.of(None) if target is None else target
    actor, said = f"import:{system}", f"imported from {system}"
    clock, life = onto.clock, onto.converting
    clock.set(not_before(deal.converted, lead.last_at, "converted", notices))
    prospect = life.qualify(lead, prospect_id=deal.prospect_id, actor=actor, reason=said)
    if deal.implied:
        onto.guess(lead.events[-1], *prospect.events)
    clock.set(not_before(deal.created, prospect.last_at, "the deal opened", notices))
    opened = life.open_opportunity(
        prospect,
        opportunity_id=deal.opportunity_id,
        name=deal.name,
        amount=deal.amount,
        expected_close=deal.expected_close,
        win_probability=deal.win_probability,
        actor=actor,
        reason=said,
    )
    notices += [
        f"{column} is blank: the deal is imported with it not known" for column in deal.unknown
    ]
    if deal.attributes:
        life.set_attributes(opened, deal.attributes, actor=actor, reason=said)
    if deal.owner is not None and deal.owner != opened.record.owner:
        life.assign(opened, deal.owner, actor=actor, reason=said)
    reached = DEAL_ORDER[0]
    for stage, at in deal.stages:
        clock.set(not_before(at, opened.last_at, f"entered {stage}", notices))
        if reached not in DEAL_ORDER:
            notices.append(f"entered {stage} at {at:%Y-%m-%d} after it was closed: not moved")
        elif stage in REFERENCE.won | REFERENCE.lost:
            _close(opened, deal, stage, onto, system=system, review_after=review_after)
            reached = stage
        elif DEAL_ORDER.index(stage) > DEAL_ORDER.index(reached):
            dated = stage not in deal.undated
            onto.walk(life, opened, onto.stage(stage), dated=dated, actor=actor, reason=said)
            reached = stage
        elif stage != reached:
            notices.append(f"went back to {stage} at {at:%Y-%m-%d} from {reached}: not moved back")
    return prospect, opened


def _close(
    opened: History[Opportunity],
    deal: Deal,
    stage: str,
    onto: Target,
    *,
    system: str,
    review_after: timedelta,
) -> None:
    """Win or lose the deal, at the import's clock, as the export's ``stage`` says."""
    actor, said = f"import:{system}", f"imported from {system}"
    life = onto.converting
    if stage in REFERENCE.lost:
        closed = life.lose(
            opened,
            reason="other",
            note=deal.lost_note or f"lost in {system}; the export does not say why",
            review=onto.clock.now().date() + review_after,
            actor=actor,
        )
    else:
        won = onto.stage(stage)
        # The stages before a win, walked through: the export dates the win alone.
        onto.walk(
            life,
            opened,
            onto.roles.path_to(won, start=opened.record.stage)[-2],
            dated=False,
            actor=actor,
            reason=said,
        )
        closed = life.win(
            opened,
            WON_UNSAID if deal.won_note is None else "other",
            note=deal.won_note or f"won in {system}; the export does not say why",
            actor=actor,
        )
    if stage in deal.undated:
        onto.guess(closed)
