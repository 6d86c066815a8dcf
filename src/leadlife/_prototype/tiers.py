"""The 8-4-2-1 rule's arithmetic: how many of each tier one sale takes, and what they cost.

8-4-2-1 says: of every 8 leads that pass the first qualification, 4 get a
presentation, 2 a quote, 1 buys. Read backwards it is a plan: for N sales
you handle 8N leads, 4N presentations and 2N quotes, and pay for each. A
:class:`TierModel` holds the ratios with what a tier costs per item, how
many items a period can handle, and how long an item stays; :meth:`plan`
answers "what does a target take", :meth:`changed` asks "what if", and
:func:`~leadlife.prototype.sensitivity` "which change moves revenue most".

Counts are whole items (nobody handles half a lead): the items a tier needs
are rounded up. Money stays :class:`~leadlife.Money`; ratios are decimals
(``2.5`` quotes per sale is a fine ratio), never floats.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, cast

import attrs

from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import Money
from leadlife._funnel.base import Funnel

_DAY = timedelta(days=1)


def _positive_decimal(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        check.refuse(instance, attribute, value, "a positive Decimal (or int, or decimal string)")


def _to_decimal(value: Any) -> Any:
    # Exact inputs only: a float would carry binary rounding into the ratios.
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return value  # the validator names what was given
    try:
        return Decimal(value)
    except ArithmeticError:
        return value


def _capacity(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        check.refuse(instance, attribute, value, "None (no limit) or an int >= 1 per period")


@attrs.frozen(kw_only=True)
class Tier:
    """One tier of a funnel's arithmetic: how many per sale, at what cost, how fast.

    Args:
        name: The tier's name (``"lead"``, ``"presentation"``...).
        per_sale: How many items of this tier one sale takes (8 leads, 4
            presentations...): a positive int, Decimal or decimal string.
        cost: What handling one item of this tier costs (a contact, a
            meeting, a quote); zero if you do not count it.
        capacity: How many items of this tier a period can handle (the
            team's capacity); ``None`` for no limit.
        cycle: How long an item stays in this tier before it moves on.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import Tier
        >>> Tier(name="lead", per_sale=8, cost=Money.of("40", "EUR")).per_sale
        Decimal('8')
    """

    name: str = attrs.field(validator=check.text)
    per_sale: Decimal = attrs.field(converter=_to_decimal, validator=_positive_decimal)
    cost: Money = attrs.field(validator=check.instance_of(Money, "a Money"))
    capacity: int | None = attrs.field(default=None, validator=_capacity)
    cycle: timedelta = attrs.field(default=timedelta(0), validator=check.duration)


def _tiers(instance: TierModel, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) < 2  # noqa: PLR2004 - two tiers make a ratio
        or not all(isinstance(tier, Tier) for tier in value)
    ):
        check.refuse(instance, attribute, value, "two or more Tier objects, widest first")
    names = [tier.name for tier in value]
    if len(set(names)) != len(names):
        check.refuse(instance, attribute, names, "tiers with distinct names")
    for wider, narrower in pairwise(value):
        if narrower.per_sale > wider.per_sale:
            check.refuse(
                instance,
                attribute,
                f"{wider.name} {wider.per_sale}, {narrower.name} {narrower.per_sale}",
                "per-sale counts that never grow down the funnel (a tier holds "
                "what passed the one above it)",
            )
    if value[-1].per_sale != 1:
        check.refuse(instance, attribute, value[-1].per_sale, "the last tier, the sale, at 1")
    currencies = {tier.cost.currency for tier in value}
    if len(currencies) > 1:
        check.refuse(instance, attribute, sorted(currencies), "costs in one currency")


def _as_tuple(value: Iterable[Tier]) -> tuple[Tier, ...]:
    return tuple(value) if isinstance(value, list | tuple) else value  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class TierModel:
    """A funnel as the 8-4-2-1 rule draws it: tiers from the widest to the sale, and their cost.

    Args:
        tiers: The tiers, widest first; the last is the sale (``per_sale`` 1).
        deal_value: What one sale brings, in the currency of the costs.
        period: The period capacities are counted in (30 days by default).

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import TierModel
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> model.ratios, [tier.name for tier in model.tiers]
        ('8-4-2-1', ['lead', 'presentation', 'quote', 'sale'])
        >>> model.plan(sales=10).handling_cost
        Money(amount=Decimal('7500'), currency='EUR')
    """

    tiers: tuple[Tier, ...] = attrs.field(converter=_as_tuple, validator=_tiers)
    deal_value: Money = attrs.field(validator=check.instance_of(Money, "a Money"))
    period: timedelta = attrs.field(default=timedelta(days=30), validator=check.positive_duration)

    def __attrs_post_init__(self) -> None:
        if self.deal_value.currency != self.tiers[0].cost.currency:
            raise ValidationError(
                owner="TierModel",
                field="deal_value",
                value=self.deal_value,
                expected=f"a Money in {self.tiers[0].cost.currency}, the currency of the costs",
            )

    NAMES = ("lead", "presentation", "quote", "sale")
    """The tiers the 8-4-2-1 rule names, for :meth:`of`."""

    @classmethod
    def of(
        cls,
        ratios: str,
        *,
        cost: Money | Sequence[Money],
        deal_value: Money,
        names: Sequence[str] = NAMES,
        capacity: Sequence[int | None] | None = None,
        cycle: Sequence[timedelta] | None = None,
        period: timedelta = timedelta(days=30),
    ) -> TierModel:
        """A model from ratios written as the 8-4-2-1 rule writes them (``"8-4-2-1"``).

        Args:
            ratios: The per-sale counts, widest first, joined by ``-``.
            cost: One cost per item for every tier, or one per tier.
            deal_value: What one sale brings.
            names: The tiers' names (the 8-4-2-1 rule's four by default).
            capacity: Each tier's items per period (``None`` for no limit).
            cycle: Each tier's time per item.
            period: The period capacities are counted in.

        Raises:
            ValidationError: The ratios, names, costs, capacities or cycles do
                not line up, or a value is out of range.
        """
        given: object = ratios
        counts = given.split("-") if isinstance(given, str) else None
        if not counts or len(counts) != len(names):
            raise ValidationError(
                owner="TierModel.of",
                field="ratios",
                value=ratios,
                expected=f"{len(names)} counts joined by '-' (one per tier: {', '.join(names)})",
            )
        costs = [cost] * len(names) if isinstance(cost, Money) else list(cost)
        capacities = [None] * len(names) if capacity is None else list(capacity)
        cycles = [timedelta(0)] * len(names) if cycle is None else list(cycle)
        for field, given in (("cost", costs), ("capacity", capacities), ("cycle", cycles)):
            if len(given) != len(names):
                raise ValidationError(
                    owner="TierModel.of",
                    field=field,
                    value=given,
                    expected=f"one per tier ({len(names)})",
                )
        return cls(
            tiers=tuple(
                Tier(name=name, per_sale=count, cost=each, capacity=limit, cycle=stay)
                for name, count, each, limit, stay in zip(
                    names, counts, costs, capacities, cycles, strict=True
                )
            ),
            deal_value=deal_value,
            period=period,
        )

    @classmethod
    def from_book(
        cls,
        events: Any,
        *,
        cost: Money | Sequence[Money],
        deal_value: Money,
        tiers: Sequence[tuple[str, Sequence[str]]] | None = None,
        funnel: type[Funnel] | None = None,
        capacity: Sequence[int | None] | None = None,
        cycle: Sequence[timedelta] | None = None,
        period: timedelta = timedelta(days=30),
    ) -> TierModel:
        """A model with a book's own ratios (:func:`~leadlife.analytics.tier_ratios`).

        Each tier's per-sale count is its journeys over the last tier's,
        to two decimals (a book at 17.91-9.04-4.19-1 reads so).

        Args:
            events: An event table, in any engine narwhals reads.
            cost: One cost per item for every tier, or one per tier.
            deal_value: What one sale brings.
            tiers: The tiers and their stages, widest first (the 8-4-2-1 rule's four on
                the funnel unless given).
            funnel: The funnel the events went through; the default funnel if ``None``.
            capacity: Each tier's items per period.
            cycle: Each tier's time per item.
            period: The period capacities are counted in.

        Raises:
            ValidationError: The book has no journey in the last tier (no sale
                to count the others by), or see :meth:`of`.

        Example:
            >>> from leadlife import Money
            >>> from leadlife.analytics import demo_events
            >>> from leadlife.prototype import TierModel
            >>> TierModel.from_book(
            ...     demo_events(), cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
            ... ).ratios
            '5-4-2-1'
        """
        from leadlife._analytics.conversion import tier_ratios  # noqa: PLC0415

        rows = tier_ratios(events, tiers=tiers, funnel=funnel).rows()
        last = rows[-1][1]
        if not last:
            raise ValidationError(
                owner="TierModel.from_book",
                field="events",
                value=[(row[0], row[1]) for row in rows],
                expected=f"a book with journeys in the last tier ({rows[-1][0]}): the sales "
                "the other tiers are counted by",
            )
        counts = [
            _plain((Decimal(row[1]) / Decimal(last)).quantize(Decimal("0.01"))) for row in rows
        ]
        return cls.of(
            "-".join(counts),
            cost=cost,
            deal_value=deal_value,
            names=[row[0] for row in rows],
            capacity=capacity,
            cycle=cycle,
            period=period,
        )

    @property
    def ratios(self) -> str:
        """The per-sale counts as the 8-4-2-1 rule writes them: ``"8-4-2-1"``."""
        return "-".join(_plain(tier.per_sale) for tier in self.tiers)

    @property
    def currency(self) -> str:
        """The currency of the costs and the deal value."""
        return self.deal_value.currency

    def tier(self, name: str) -> Tier:
        """The tier called ``name``.

        Raises:
            ValidationError: There is no such tier (the error lists them).
        """
        for tier in self.tiers:
            if tier.name == name:
                return tier
        raise ValidationError(
            owner="TierModel",
            field="tier",
            value=name,
            expected=f"one of {', '.join(tier.name for tier in self.tiers)}",
        )

    def changed(self, tier: str | None = None, **changes: Any) -> TierModel:
        """The model with one thing changed: a tier's field, or the deal value or period.

        Example:
            >>> from leadlife import Money
            >>> from leadlife.prototype import TierModel
            >>> model = TierModel.of(
            ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
            ... )
            >>> model.changed("lead", per_sale=4).changed("presentation", per_sale=2).ratios
            '4-2-2-1'

        Raises:
            ValidationError: No such tier or field, or the result is not a valid model.
        """
        if tier is None:
            return cast(TierModel, _evolve(self, changes))
        index = self.tiers.index(self.tier(name=tier))
        tiers = list(self.tiers)
        tiers[index] = _evolve(tiers[index], changes)
        return attrs.evolve(self, tiers=tuple(tiers))

    def plan(self, *, sales: int | None = None, revenue: Money | None = None) -> TierPlan:
        """What a target takes: the items of every tier, their cost, and the time.

        Give the sales wanted, or the revenue (the sales are then the revenue
        over the deal value, rounded up).

        Raises:
            ValidationError: Neither or both given, or a target that is not positive.
        """
        wanted = self._sales(sales, revenue)
        items = tuple(math.ceil(tier.per_sale * wanted) for tier in self.tiers)
        costs = tuple(tier.cost * count for tier, count in zip(self.tiers, items, strict=True))
        periods = max(
            (
                Decimal(count) / tier.capacity
                for tier, count in zip(self.tiers, items, strict=True)
                if tier.capacity is not None
            ),
            default=None,
        )
        flow = sum((tier.cycle for tier in self.tiers), timedelta(0))
        took = None if periods is None else flow + self.period * float(periods)
        return TierPlan(
            model=self,
            sales=wanted,
            items=items,
            costs=costs,
            periods=periods,
            time_to_target=took,
        )

    def _sales(self, sales: int | None, revenue: Money | None) -> int:
        if (sales is None) == (revenue is None):
            raise ValidationError(
                owner="TierModel.plan",
                field="sales",
                value=(sales, revenue),
                expected="sales= or revenue=, one of them",
            )
        if revenue is not None:
            check.argument("TierModel.plan", "revenue", revenue, _MONEY)
            if revenue.currency != self.currency or revenue.amount <= 0:
                raise ValidationError(
                    owner="TierModel.plan",
                    field="revenue",
                    value=revenue,
                    expected=f"a positive Money in {self.currency}",
                )
            return math.ceil(revenue.amount / self.deal_value.amount)
        check.argument("TierModel.plan", "sales", sales, _AT_LEAST_ONE)
        return sales  # type: ignore[return-value]  # checked: an int >= 1


_MONEY = check.instance_of(Money, "a Money")
_AT_LEAST_ONE = check.whole_number(1, "an int >= 1")


def _evolve(instance: Any, changes: dict[str, Any]) -> Any:
    known = {field.name for field in attrs.fields(type(instance))}
    if unknown := sorted(set(changes) - known):
        raise ValidationError(
            owner=type(instance).__name__,
            field=unknown[0],
            value=changes[unknown[0]],
            expected=f"a field among {', '.join(sorted(known))}",
        )
    return attrs.evolve(instance, **changes)


def _plain(number: Decimal) -> str:
    return f"{number.normalize():f}"


@attrs.frozen(kw_only=True)
class TierPlan(display.ShownAsGrid):
    """What a target takes under a :class:`TierModel`.

    Attributes:
        model: The model planned with.
        sales: The sales the target needs.
        items: Each tier's items (leads, presentations...), rounded up.
        costs: Each tier's handling cost.
        periods: Periods the busiest tier needs at its capacity (``None``
            if no tier has a capacity).
        time_to_target: The time until the target's last sale: the tiers'
            cycles (the first items flowing through) plus the periods the
            busiest tier needs; ``None`` without capacities.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import TierModel
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> plan = model.plan(sales=3)
        >>> plan.items, str(plan.cost_per_sale)
        ((24, 12, 6, 3), '750.00 EUR')
    """

    model: TierModel
    sales: int
    items: tuple[int, ...]
    costs: tuple[Money, ...]
    periods: Decimal | None
    time_to_target: timedelta | None

    @property
    def handling_cost(self) -> Money:
        """What handling every item of every tier costs."""
        total = Money(amount=Decimal(0), currency=self.model.currency)
        for cost in self.costs:
            total += cost
        return total

    @property
    def cost_per_sale(self) -> Money:
        """The handling cost over the sales, rounded to the currency's minor units."""
        return self.handling_cost.share(Decimal(1) / self.sales)

    @property
    def revenue(self) -> Money:
        """The sales times the deal value."""
        return self.model.deal_value * self.sales

    def rows(self) -> list[tuple[str, int, Money]]:
        """One row per tier: its name, its items, their cost."""
        names = [tier.name for tier in self.model.tiers]
        return list(zip(names, self.items, self.costs, strict=True))

    def _grid(self) -> display.Grid:
        title = f"{self.model.ratios}: {self.sales} sales, {self.revenue}"
        rows = [(name, f"{count:,}", str(cost)) for name, count, cost in self.rows()]
        took = (
            f"{self.time_to_target / _DAY:.0f} days to target"
            if self.time_to_target is not None
            else "no capacities given: no time to target"
        )
        note = f"handling {self.handling_cost}, {self.cost_per_sale} a sale; {took}"
        return title, ("tier", "items", "cost"), rows, note
