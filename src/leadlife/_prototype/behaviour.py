"""How people move through a funnel, declared as data: what a simulation draws from.

A :class:`Behaviour` holds, per stage, the moves out of it (each a
:class:`Move`: a funnel event, its chance, the :class:`Delay` before it), the
follow-up plans the people in a stage choose (each a :class:`Chase`: a plan
with its stop rules, and how often a touch gets an answer), and the book's
other rates (arrivals, sources, owners and what they can take on, deals). It travels as plain JSON
(:meth:`Behaviour.to_dict`, :meth:`Behaviour.from_dict`), so a model can live
in a file next to its funnel's spec.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import attrs
from cattrs.errors import ClassValidationError, IterableValidationError

from leadlife._adapters.converter import BadValue
from leadlife._adapters.documents import default_converter, messages
from leadlife._core.support import validation as check
from leadlife._core.support.errors import StructureError, ValidationError
from leadlife._core.support.json import JsonError, parse
from leadlife._core.values.followup import FollowUpPlan
from leadlife._core.values.money import Money


def _chance(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        check.refuse(instance, attribute, value, "a chance above 0 and at most 1")


def _spread(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 5:  # noqa: PLR2004 - a log-normal sigma past 5 is no stay
        check.refuse(instance, attribute, value, "a log-normal spread (sigma) from 0 to 5")


def _shares(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, Mapping)
        or not value
        or not all(isinstance(key, str) and key.strip() for key in value)
        or not all(
            not isinstance(share, bool) and isinstance(share, int | float) and share > 0
            for share in value.values()
        )
    ):
        check.refuse(instance, attribute, value, "a non-empty mapping of names to positive shares")


@attrs.frozen(kw_only=True)
class Delay:
    """How long a journey stays before a move: log-normal around a median.

    Args:
        median: Half the stays are shorter, half longer.
        spread: The log-normal's sigma: 0 for always the median, 1 for stays
            that often differ by a factor of e^1 (about 2.7).

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.prototype import Delay
        >>> Delay(median=timedelta(days=3)).spread
        0.5
    """

    median: timedelta = attrs.field(validator=check.duration)
    spread: float = attrs.field(default=0.5, validator=_spread)


@attrs.frozen(kw_only=True)
class Move:
    """One way out of a stage: a funnel event, its chance, and the stay before it.

    Args:
        event: The funnel event (``"engage"``, ``"disqualify"``...).
        chance: The chance a journey in the stage makes this move.
        after: How long it stays first.
        reasons: For a move that screens out, the reason codes and their
            shares (every screen-out carries its reason, and a review date).
        to: The target, when the event leads to more than one stage from
            here (by default the funnel's first).

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.prototype import Delay, Move
        >>> Move(event="engage", chance=0.6, after=Delay(median=timedelta(days=2))).chance
        0.6
    """

    event: str = attrs.field(validator=check.text)
    chance: float = attrs.field(validator=_chance)
    after: Delay = attrs.field(validator=check.instance_of(Delay, "a Delay"))
    reasons: Mapping[str, float] | None = attrs.field(
        default=None, validator=attrs.validators.optional(_shares)
    )
    to: str | None = attrs.field(default=None, validator=attrs.validators.optional(check.text))


def _answer(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        check.refuse(instance, attribute, value, "a chance from 0 to 1")


def _share(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        check.refuse(instance, attribute, value, "a positive share")


def _uncapped(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, FollowUpPlan):
        check.refuse(instance, attribute, value, "a FollowUpPlan")
    if value.cap is not None:
        # A simulated chase keeps to its cadence; a cap that delays touches is the
        # lifecycle's to enforce, and leaving it out silently would misstate the plan.
        check.refuse(
            instance,
            attribute,
            value.cap,
            "a plan without a pressure cap (a simulated chase keeps to the cadence, uncapped)",
        )


@attrs.frozen(kw_only=True)
class Chase:
    """A follow-up plan people in a stage choose, and how they answer it.

    Each stay in the stage draws one of its chases (by ``share``: the
    prospect chooses the channel and the cadence). The plan is agreed on
    entering the stage; a touch follows every ``plan.every``, each answered
    with chance ``answered``; the plan's stop rules end the chase (so many
    touches without an answer, so long without one) and move the journey as
    the plan says (to nurture, or screened out as unresponsive with a review
    date), before its own move if they fire first. Leaving the stage ends the
    chase.

    Args:
        plan: The follow-up plan: channel, interval, stop rules, where to go
            when stopped. Without a pressure cap (the simulation keeps to the
            cadence).
        answered: The chance that a touch gets an answer (which resets the
            stop rules' counts).
        share: Its share of the stays, among the stage's chases.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.followup import Channel, FollowUpPlan
        >>> from leadlife.prototype import Chase
        >>> plan = FollowUpPlan(channel=Channel.PHONE, every=timedelta(days=3), max_attempts=4)
        >>> Chase(plan=plan, answered=0.25).share
        1.0
    """

    plan: FollowUpPlan = attrs.field(validator=_uncapped)
    answered: float = attrs.field(validator=_answer)
    share: float = attrs.field(default=1.0, validator=_share)


def _chases(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(stage, str)
        and isinstance(chases, tuple)
        and chases
        and all(isinstance(chase, Chase) for chase in chases)
        for stage, chases in value.items()
    ):
        check.refuse(instance, attribute, value, "a mapping of stages to one or more Chase objects")


def _capacity(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(owner, str)
        and not isinstance(rate, bool)
        and isinstance(rate, int | float)
        and math.isfinite(rate)
        and rate > 0
        for owner, rate in value.items()
    ):
        check.refuse(instance, attribute, value, "a mapping of owners to leads a day (above 0)")
    unknown = sorted(set(value) - set(instance.owners))
    if unknown:
        check.refuse(
            instance, attribute, unknown, f"owners of the behaviour ({', '.join(instance.owners)})"
        )


def _moves(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Mapping) or not all(
        isinstance(stage, str)
        and isinstance(moves, tuple)
        and all(isinstance(move, Move) for move in moves)
        for stage, moves in value.items()
    ):
        check.refuse(instance, attribute, value, "a mapping of stages to Move objects")
    for stage, moves in value.items():
        total = sum(move.chance for move in moves)
        if total > 1 + 1e-9:  # rounding of chances that add up to 1
            check.refuse(
                instance,
                attribute,
                {stage: [move.event for move in moves]},
                f"chances out of {stage!r} that add up to at most 1 (they add up to {total})",
            )


def _rate(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        check.refuse(instance, attribute, value, "a positive number of arrivals a day")


def _some(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        check.refuse(instance, attribute, value, "one or more owners")


def _tuples(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            stage: tuple(items) if isinstance(items, list | tuple) else items
            for stage, items in value.items()
        }
    return value


@attrs.frozen(kw_only=True)
class Behaviour:
    """How people move through a funnel: what a simulation draws from.

    Args:
        moves: For each stage, the moves out of it; a stage with none keeps
            its journeys. What is left of a stage's chances is the journeys
            that stay there for good.
        arrivals_per_day: New journeys a day (a Poisson process).
        sources: Channels and their shares of the arrivals.
        owners: Who owns new leads (drawn evenly).
        capacity: How many new leads an owner takes on a day, for the owners
            who cannot take them all: the others wait their turn in the
            first stage (first come, first served, at an even pace), and the
            wait is part of their stay there. Owners not named take every
            lead at once.
        chases: For each stage where people are chased, the follow-up plans
            they choose (see :class:`Chase`); not in a final stage, nor in a
            recycle stage (nurture keeps leads warm, it does not chase them).
        deal_size: The median amount of a deal opened.
        deal_spread: The log-normal spread of deal amounts.
        win_probability: The probability a deal opens with.
        review_after: How long after a screen-out its review is due.
        max_moves: A journey's moves at most (a loop may not run for ever).
        max_touches: A stay's touches at most: a chase its stop rules never
            end (the person keeps answering, and never moves) is left there,
            as a chase nobody keeps up; a time stop rule still ends it.

    Example:
        >>> from datetime import timedelta
        >>> from leadlife.prototype import Behaviour, Delay, Move
        >>> behaviour = Behaviour(
        ...     moves={
        ...         "suspect": [
        ...             Move(event="engage", chance=0.5, after=Delay(median=timedelta(days=2)))
        ...         ]
        ...     }
        ... )
        >>> behaviour.arrivals_per_day, behaviour.sources
        (100.0, {'web': 1.0})
    """

    moves: Mapping[str, tuple[Move, ...]] = attrs.field(converter=_tuples, validator=_moves)
    arrivals_per_day: float = attrs.field(default=100.0, validator=_rate)
    sources: Mapping[str, float] = attrs.field(factory=lambda: {"web": 1.0}, validator=_shares)
    owners: tuple[str, ...] = attrs.field(
        default=("sam",), converter=check.to_text_tuple, validator=[check.converted, _some]
    )
    capacity: Mapping[str, float] = attrs.field(factory=dict, validator=_capacity)
    chases: Mapping[str, tuple[Chase, ...]] = attrs.field(
        factory=dict, converter=_tuples, validator=_chases
    )
    deal_size: Money = attrs.field(
        factory=lambda: Money.of("10000", "EUR"), validator=check.instance_of(Money, "a Money")
    )
    deal_spread: float = attrs.field(default=0.5, validator=_spread)
    win_probability: float = attrs.field(default=0.3, validator=check.probability)
    review_after: timedelta = attrs.field(
        default=timedelta(days=90), validator=check.positive_duration
    )
    max_moves: int = attrs.field(default=30, validator=check.whole_number(1, "an int >= 1"))
    max_touches: int = attrs.field(default=50, validator=check.whole_number(1, "an int >= 1"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str | bytes) -> Behaviour:
        """A behaviour from its plain form (a dict, or JSON text): what :meth:`to_dict` gives.

        Stays and review delays are ``{"days": 2}`` (with ``"seconds"`` if any),
        the deal size ``{"amount": "10000", "currency": "EUR"}``; every field
        but ``moves`` may be left out for its default. Read strictly: a
        string where a number belongs, an unknown key, a chance of 1.5 are
        refused, each with its path.

        Raises:
            StructureError: The data is not a behaviour; ``errors`` name each
                problem's path (``$.moves.suspect[0].chance``).

        Example:
            >>> from leadlife.prototype import Behaviour
            >>> behaviour = Behaviour.from_dict(
            ...     '{"moves": {"suspect": [{"event": "engage", "chance": 0.6,'
            ...     ' "after": {"median": {"days": 2}}}]}, "arrivals_per_day": 40}'
            ... )
            >>> behaviour.moves["suspect"][0].after.median.days, behaviour.arrivals_per_day
            (2, 40.0)
        """
        if isinstance(data, str | bytes):
            try:
                data = parse(data)
            except JsonError as error:
                raise StructureError(
                    target="Behaviour", errors=[f"expected {error.expected} @ $"]
                ) from None
        try:
            return default_converter().structure(data, cls)
        except (ClassValidationError, IterableValidationError, BadValue, ValidationError) as error:
            raise StructureError(target="Behaviour", errors=messages(error, "$")) from None

    def to_dict(self) -> dict[str, Any]:
        """The plain form :meth:`from_dict` reads (JSON-safe).

        Example:
            >>> from leadlife.prototype import Behaviour
            >>> Behaviour(moves={}).to_dict()["review_after"]
            {'days': 90}
        """
        return default_converter().unstructure(self, Behaviour)  # type: ignore[no-any-return]
