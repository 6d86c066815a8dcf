"""Objections raised during a deal, how they were answered, and how they ended.

Eight objections come up again and again, and, for each, the ways a seasoned
salesperson answers it. An objection here is raised, answered (by whom, how),
and ends resolved, or as the reason the deal was lost; until then it is open,
and the agenda says so when nobody has answered it.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


class ResponseTactic(Enum):
    """Ways to answer an objection, as seasoned salespeople do (see :attr:`ObjectionKind.tactics`).

    Example:
        >>> from leadlife.values import ObjectionKind, ResponseTactic
        >>> ResponseTactic.SPREAD_THE_COST in ObjectionKind.PRICE.tactics
        True
    """

    ASK_WHY = "ask_why"
    """Ask what is unclear or what holds them back, then answer that ("I'll think about it")."""
    ASSUME_THE_SALE = "assume_the_sale"
    """Show what they gain by deciding now and lose by waiting."""
    BE_DIRECT = "be_direct"
    """Name the real obstacle straight out ("is it the money?")."""
    COMPARE = "compare"
    """Compare with similar products, or with what the same money buys elsewhere."""
    BREAK_DOWN = "break_down"
    """Price the parts one by one: each is cheap."""
    SPREAD_THE_COST = "spread_the_cost"
    """Spread the price over the months or days of use."""
    COMPLIMENT = "compliment"
    """Appeal to their standards and taste."""
    BUY_WHEN_OTHERS_SELL = "buy_when_others_sell"
    """A bad market is when the wise buy."""
    MAKE_IT_SMALL = "make_it_small"
    """The market is big and far away; their own business goes on as before."""
    GIVE_EXAMPLES = "give_examples"
    """Tell of others who bought in the same position and did well."""
    GAIN_AND_LOSS = "gain_and_loss"
    """A purchase is an investment: price alone misses quality, service, value."""
    BOTTOM_LINE = "bottom_line"
    """This is the lowest price there is."""
    BE_HONEST = "be_honest"
    """Nobody sells the best for the least; offer a cheaper product if that is what they need."""
    ANALYSE = "analyse"
    """Walk through quality, price and after-sales service together."""
    POINT_TO_THEIR_WEAKNESS = "point_to_their_weakness"
    """Show, fairly, what the cheaper offer lacks."""
    WARN_OF_FALSE_ECONOMY = "warn_of_false_economy"
    """Remind them what a cheap imitation costs in the end."""
    LOOK_AHEAD = "look_ahead"
    """Show the benefit, and help them plan the budget for it."""
    APPEAL_TO_OTHERS = "appeal_to_others"
    """Show what it does for the people around the buyer (their boss, their team)."""
    INVESTMENT = "investment"
    """Its worth shows in use: treat it as an investment decision."""
    REBUT = "rebut"
    """Remind them of the good reasons behind their own choice."""
    AFFIRM = "affirm"
    """Say yes, it is worth it, and show why (compare, break down, give examples)."""
    SHOW_RESOLVE = "show_resolve"
    """Show the commitment behind the offer."""
    EMPATHY = "empathy"
    """Share your own position honestly, and ask for theirs."""
    PERSIST = "persist"
    """Keep at it, within the follow-up plan they agreed to."""
    OTHER = "other"
    """Anything else; needs a note saying what."""


class ObjectionKind(Enum):
    """The objections salespeople meet (see :doc:`/concepts`).

    Example:
        >>> from leadlife.values import ObjectionKind
        >>> [kind.value for kind in ObjectionKind][:4]
        ['stall', 'price', 'market', 'discount']
    """

    STALL = "stall"
    """"I'll think about it"."""
    PRICE = "price"
    """"Too expensive"."""
    MARKET = "market"
    """"The market is bad right now"."""
    DISCOUNT = "discount"
    """"Can it be cheaper?"."""
    CHEAPER_ELSEWHERE = "cheaper_elsewhere"
    """"It's cheaper elsewhere"."""
    NO_BUDGET = "no_budget"
    """"There is no budget"."""
    VALUE_DOUBT = "value_doubt"
    """"Is it really worth it?"."""
    FLAT_NO = "flat_no"
    """A plain "no"."""
    OTHER = "other"
    """Anything else; needs a note saying what."""

    @property
    def tactics(self) -> tuple[ResponseTactic, ...]:
        """The seasoned answers to this kind of objection, most used first (none for ``OTHER``)."""
        return _PLAYBOOK[self]


_T = ResponseTactic
_PLAYBOOK: dict[ObjectionKind, tuple[ResponseTactic, ...]] = {
    ObjectionKind.STALL: (_T.ASK_WHY, _T.ASSUME_THE_SALE, _T.BE_DIRECT),
    ObjectionKind.PRICE: (_T.COMPARE, _T.BREAK_DOWN, _T.SPREAD_THE_COST, _T.COMPLIMENT),
    ObjectionKind.MARKET: (_T.BUY_WHEN_OTHERS_SELL, _T.MAKE_IT_SMALL, _T.GIVE_EXAMPLES),
    ObjectionKind.DISCOUNT: (_T.GAIN_AND_LOSS, _T.BOTTOM_LINE, _T.BE_HONEST),
    ObjectionKind.CHEAPER_ELSEWHERE: (
        _T.ANALYSE,
        _T.POINT_TO_THEIR_WEAKNESS,
        _T.WARN_OF_FALSE_ECONOMY,
    ),
    ObjectionKind.NO_BUDGET: (_T.LOOK_AHEAD, _T.APPEAL_TO_OTHERS),
    ObjectionKind.VALUE_DOUBT: (_T.INVESTMENT, _T.REBUT, _T.AFFIRM),
    ObjectionKind.FLAT_NO: (_T.SHOW_RESOLVE, _T.EMPATHY, _T.PERSIST),
    ObjectionKind.OTHER: (),
}


class ObjectionStatus(Enum):
    """Where an objection stands.

    Example:
        >>> from leadlife.values import ObjectionStatus
        >>> [status.value for status in ObjectionStatus]
        ['open', 'resolved', 'lost_on']
    """

    OPEN = "open"
    """Raised and not settled, answered or not."""
    RESOLVED = "resolved"
    """They accepted the answer."""
    LOST_ON = "lost_on"
    """The deal was lost on it."""


def _response_note(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    optional(check.text)(instance, attribute, value)
    if value is None and instance.tactic is ResponseTactic.OTHER:
        check.refuse(instance, attribute, value, "a note saying what the OTHER answer was")


@attrs.frozen(kw_only=True)
class ObjectionResponse:
    """How someone answered an objection.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.values import ObjectionResponse, ResponseTactic
        >>> ObjectionResponse(
        ...     tactic=ResponseTactic.SPREAD_THE_COST,
        ...     by="sam",
        ...     at=datetime(2026, 3, 4, 10, tzinfo=UTC),
        ...     note="3.20 EUR a seat a day",
        ... ).tactic.value
        'spread_the_cost'
    """

    tactic: ResponseTactic = attrs.field(validator=check.member_of(ResponseTactic))
    by: str = attrs.field(validator=check.text)
    at: datetime = attrs.field(validator=check.aware_datetime)
    note: str | None = attrs.field(default=None, validator=_response_note)


def _to_responses(value: Any) -> tuple[ObjectionResponse, ...]:
    return check.to_tuple_of(value, ObjectionResponse, "a list of ObjectionResponse")


def _settled_at(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.status is ObjectionStatus.OPEN:
        if value is not None:
            check.refuse(instance, attribute, value, "None while the objection is open")
        return
    check.aware_datetime(instance, attribute, value)
    if value < instance.raised_at:
        check.refuse(
            instance, attribute, value, f"a time after it was raised, {instance.raised_at}"
        )


def _note(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    optional(check.text)(instance, attribute, value)
    if value is None and instance.kind is ObjectionKind.OTHER:
        check.refuse(instance, attribute, value, "a note saying what the OTHER objection was")


@attrs.frozen(kw_only=True)
class Objection:
    """One objection, as the prospect raised it, the answers it got, and how it ended.

    Args:
        kind: Which of the eight objections (or ``OTHER``, with a note).
        raised_at: When they raised it.
        note: What they said.
        responses: How it was answered, oldest first.
        status: Open, resolved, or the reason the deal was lost.
        settled_at: When it was resolved or the deal lost on it; ``None`` while open.
        settled_note: What settled it, in words.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.values import Objection, ObjectionKind
        >>> Objection(
        ...     kind=ObjectionKind.CHEAPER_ELSEWHERE,
        ...     note="Competitor quoted 20% less",
        ...     raised_at=datetime(2026, 2, 3, 14, tzinfo=UTC),
        ... ).kind.value
        'cheaper_elsewhere'
    """

    kind: ObjectionKind = attrs.field(validator=check.member_of(ObjectionKind))
    raised_at: datetime = attrs.field(validator=check.aware_datetime)
    note: str | None = attrs.field(default=None, validator=_note)
    responses: tuple[ObjectionResponse, ...] = attrs.field(
        default=(), converter=_to_responses, validator=check.converted
    )
    status: ObjectionStatus = attrs.field(
        default=ObjectionStatus.OPEN, validator=check.member_of(ObjectionStatus)
    )
    settled_at: datetime | None = attrs.field(default=None, validator=_settled_at)
    settled_note: str | None = attrs.field(default=None, validator=optional(check.text))

    @property
    def open(self) -> bool:
        """Whether it is still open (answered or not)."""
        return self.status is ObjectionStatus.OPEN

    @property
    def answered(self) -> bool:
        """Whether anyone has answered it."""
        return bool(self.responses)
