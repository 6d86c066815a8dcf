"""Which change moves revenue most for the same effort: the numbers behind a tornado chart.

The effort is a budget: what handling the tiers may cost. For that budget, a
model sells ``budget / cost of one sale`` (fractional sales: this is a rate,
not a plan). Each parameter is moved down and up by the same step (a
conversion between two tiers, a tier's cost per item, the deal value) and
the revenue the budget then brings is set beside the base. In a chain of
conversions every ratio moves the sales of a *fixed number of leads* by the
same factor; for a fixed *budget* they differ, because a better conversion
low in the funnel saves the handling of every tier above it. That
difference is what the chart shows.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import MAX_DECIMAL_PLACES, Money
from leadlife._prototype.tiers import TierModel


@attrs.frozen(kw_only=True)
class Swing:
    """One parameter moved down and up by the step, and the revenue each way.

    Attributes:
        parameter: What was moved (``"conversion quote -> sale"``,
            ``"cost of a lead"``, ``"deal value"``).
        low: The revenue with the parameter moved the bad way.
        high: The revenue with it moved the good way.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import Swing
        >>> Swing(
        ...     parameter="deal value", low=Money.of("90", "EUR"), high=Money.of("110", "EUR")
        ... ).swing
        Money(amount=Decimal('20'), currency='EUR')
    """

    parameter: str
    low: Money
    high: Money

    @property
    def swing(self) -> Money:
        """How far apart the two are: the bar's length in a tornado chart."""
        return self.high - self.low


@attrs.frozen(kw_only=True)
class Sensitivity(display.ShownAsGrid):
    """The swings of every parameter around a base, the widest first.

    Attributes:
        model: The model moved about.
        budget: The handling budget held fixed.
        step: How far each parameter was moved each way (0.1 is 10%).
        base: The revenue the budget brings with nothing moved.
        swings: One :class:`Swing` per parameter, the widest first.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import TierModel, sensitivity
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> result = sensitivity(model, budget=Money.of("7500", "EUR"))
        >>> str(result.base), len(result.swings)
        ('100000.00 EUR', 8)
    """

    model: TierModel
    budget: Money
    step: Decimal
    base: Money
    swings: tuple[Swing, ...]

    def _grid(self) -> display.Grid:
        title = (
            f"{self.model.ratios}: revenue of {self.budget} of handling, "
            f"each parameter moved {self.step:%} (base {self.base})"
        )
        rows = [
            (swing.parameter, str(swing.low), str(swing.high), str(swing.swing))
            for swing in self.swings
        ]
        return title, _HEADER, rows, None


_HEADER = ("parameter", "low", "high", "swing")


def sensitivity(
    model: TierModel, *, budget: Money | None = None, step: Decimal | str = "0.1"
) -> Sensitivity:
    """Move each parameter of ``model`` down and up by ``step``; the revenue ``budget`` brings.

    Args:
        model: The model.
        budget: The handling budget held fixed; by default what 100 sales
            cost under the model, unrounded.
        step: The relative move each way, between 0 and 1 (``"0.1"``: 10%).
            A conversion moved up is held at 1 (nothing converts more than
            all of it).

    Returns:
        The swings, widest first: the bars of a tornado chart
        (:func:`leadlife.charts.tornado_chart`).

    Example:
        >>> from leadlife import Money
        >>> from leadlife.prototype import TierModel, sensitivity
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> [swing.parameter for swing in sensitivity(model).swings][:2]
        ['deal value', 'conversion quote -> sale']
    """
    moved = _step(step)
    per_sale = [tier.per_sale for tier in model.tiers]
    costs = [tier.cost.amount for tier in model.tiers]
    value = model.deal_value.amount
    if budget is None:
        budget = _money(_cost_of_a_sale(per_sale, costs) * 100, model.currency)
    check.argument("sensitivity", "budget", budget, _MONEY)
    if budget.currency != model.currency or budget.amount <= 0:
        raise ValidationError(
            owner="sensitivity",
            field="budget",
            value=budget,
            expected=f"a positive Money in {model.currency}",
        )

    def revenue(per: list[Decimal], cost: list[Decimal], deal: Decimal) -> Money:
        sales = budget.amount / _cost_of_a_sale(per, cost)
        return _money(sales * deal, model.currency)

    base = revenue(per_sale, costs, value)
    swings = []
    names = [tier.name for tier in model.tiers]
    for index in range(len(per_sale) - 1):
        # Conversion index -> index + 1: every tier up to ``index`` needs fewer per sale.
        conversion = per_sale[index + 1] / per_sale[index]
        ways = []
        for factor in (1 - moved, 1 + moved):
            scale = min(conversion * factor, Decimal(1)) / conversion
            ways.append(revenue(_scaled(per_sale, index, scale), costs, value))
        parameter = f"conversion {names[index]} -> {names[index + 1]}"
        swings.append(Swing(parameter=parameter, low=ways[0], high=ways[1]))
    for index, name in enumerate(names):
        if costs[index] == 0:
            continue  # a tier not paid for moves nothing
        ways = []
        for factor in (1 + moved, 1 - moved):  # dearer is the bad way
            cost = [*costs[:index], costs[index] * factor, *costs[index + 1 :]]
            ways.append(revenue(per_sale, cost, value))
        swings.append(Swing(parameter=f"cost of a {name}", low=ways[0], high=ways[1]))
    low, high = (revenue(per_sale, costs, value * factor) for factor in (1 - moved, 1 + moved))
    swings.append(Swing(parameter="deal value", low=low, high=high))
    swings.sort(key=lambda swing: (-swing.swing.amount, swing.parameter))
    return Sensitivity(model=model, budget=budget, step=moved, base=base, swings=tuple(swings))


_MONEY = check.instance_of(Money, "a Money")


def _money(amount: Decimal, currency: str) -> Money:
    """``amount`` as Money, rounded to the currency's minor units (a rate's result is no price)."""
    places = Money(amount=Decimal(0), currency=currency).minor_units
    quantum = Decimal(1).scaleb(-(MAX_DECIMAL_PLACES if places is None else places))
    return Money(amount=amount.quantize(quantum, rounding=ROUND_HALF_EVEN), currency=currency)


def _step(step: Any) -> Decimal:
    try:
        moved = Decimal(step) if isinstance(step, str | Decimal) else None
    except ArithmeticError:
        moved = None
    if moved is None or not moved.is_finite() or not 0 < moved < 1:
        raise ValidationError(
            owner="sensitivity",
            field="step",
            value=step,
            expected="a Decimal or decimal string between 0 and 1, such as '0.1'",
        )
    return moved


def _cost_of_a_sale(per_sale: list[Decimal], costs: list[Decimal]) -> Decimal:
    spent = sum((count * cost for count, cost in zip(per_sale, costs, strict=True)), Decimal(0))
    if spent <= 0:
        raise ValidationError(
            owner="sensitivity",
            field="model",
            value=costs,
            expected="a model where handling costs something (every cost is zero)",
        )
    return spent


def _scaled(per_sale: list[Decimal], upto: int, scale: Decimal) -> list[Decimal]:
    """The per-sale counts with a conversion into tier ``upto + 1`` multiplied by ``scale``."""
    return [count / scale if index <= upto else count for index, count in enumerate(per_sale)]
