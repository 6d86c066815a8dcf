"""Pictures of prototypes, with Vega-Altair (the ``plots`` extra)."""

from __future__ import annotations

from typing import cast

import altair as alt

from leadlife._core.support.errors import ValidationError
from leadlife._prototype.forecast import Forecast
from leadlife._prototype.sensitivity import Sensitivity
from leadlife._prototype.tiers import TierPlan


def tornado_chart(result: Sensitivity) -> alt.LayerChart:
    """A tornado chart: each parameter's revenue moved down and up, the widest bar on top.

    Takes :func:`~leadlife.prototype.sensitivity`; the rule marks the base revenue.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.charts import tornado_chart
        >>> from leadlife.prototype import TierModel, sensitivity
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> [
        ...     layer["mark"]["type"]
        ...     for layer in tornado_chart(sensitivity(model)).to_dict()["layer"]
        ... ]
        ['bar', 'rule']
    """
    if not isinstance(result, Sensitivity):
        raise ValidationError(
            owner="tornado_chart",
            field="result",
            value=result,
            expected="the Sensitivity that leadlife.prototype.sensitivity returns",
        )
    order = [swing.parameter for swing in result.swings]
    rows = [
        {
            "parameter": swing.parameter,
            "low": float(swing.low.amount),
            "high": float(swing.high.amount),
        }
        for swing in result.swings
    ]
    currency = result.base.currency
    bars = (
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]  # Altair's schema classes
        .mark_bar()
        .encode(
            y=alt.Y("parameter:N", sort=order, title=None),
            x=alt.X("low:Q", title=f"revenue ({currency})"),
            x2="high:Q",
            tooltip=["parameter:N", "low:Q", "high:Q"],
        )
    )
    base = (
        alt.Chart(alt.Data(values=[{"base": float(result.base.amount)}]))  # type: ignore[no-untyped-call]
        .mark_rule(color="black")
        .encode(x="base:Q")
    )
    title = f"{result.model.ratios}: each parameter moved {result.step:.0%} each way"
    return cast("alt.LayerChart", (bars + base).properties(title=title, width=480))


def fan_chart(result: Forecast, what: str = "wins") -> alt.LayerChart:
    """A fan chart of a forecast: the p10-p90 band of each period, and the p50 line.

    Takes :func:`~leadlife.prototype.forecast`; ``what`` is ``"wins"`` or ``"revenue"``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events
        >>> from leadlife.charts import fan_chart
        >>> from leadlife.prototype import forecast
        >>> ahead = forecast(
        ...     demo_events(), at=datetime(2026, 3, 24, tzinfo=UTC), periods=3, currency="USD"
        ... )
        >>> [layer["mark"]["type"] for layer in fan_chart(ahead).to_dict()["layer"]]
        ['area', 'line']
    """
    if not isinstance(result, Forecast):
        raise ValidationError(
            owner="fan_chart",
            field="result",
            value=result,
            expected="the Forecast that leadlife.prototype.forecast returns",
        )
    band = result.quantiles(what)
    rows = [
        {"period": start.isoformat(), "p10": low, "p50": mid, "p90": high}
        for start, (low, mid, high) in zip(result.starts, band.tolist(), strict=True)
    ]
    base = alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]  # Altair's schema classes
    unit = f" ({result.currency})" if what == "revenue" and result.currency else ""
    area = base.mark_area(opacity=0.3).encode(
        x=alt.X("period:T", title="period starting"),
        y=alt.Y("p10:Q", title=f"{what}{unit}"),
        y2="p90:Q",
    )
    line = base.mark_line(point=True).encode(
        x="period:T", y="p50:Q", tooltip=["period:T", "p10:Q", "p50:Q", "p90:Q"]
    )
    title = f"{what} from {result.at:%Y-%m-%d}: p10-p90 and p50 over {result.runs} runs"
    return cast("alt.LayerChart", (area + line).properties(title=title, width=480))


def plan_chart(*plans: TierPlan) -> alt.Chart:
    """Plans side by side: each tier's handling cost under each plan (a what-if, compared).

    Takes :meth:`TierModel.plan <leadlife.prototype.TierModel.plan>` results,
    in one currency; each plan is named by its ratios and its total.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.charts import plan_chart
        >>> from leadlife.prototype import TierModel
        >>> model = TierModel.of(
        ...     "8-4-2-1", cost=Money.of("50", "EUR"), deal_value=Money.of("10000", "EUR")
        ... )
        >>> better = model.changed("lead", per_sale=4).changed("presentation", per_sale=2)
        >>> chart = plan_chart(model.plan(sales=10), better.plan(sales=10))
        >>> chart.to_dict()["mark"]["type"]
        'bar'
    """
    if not plans or not all(isinstance(plan, TierPlan) for plan in plans):
        raise ValidationError(
            owner="plan_chart",
            field="plans",
            value=plans,
            expected="one or more TierPlans (TierModel.plan)",
        )
    currencies = {plan.model.currency for plan in plans}
    if len(currencies) > 1:
        raise ValidationError(
            owner="plan_chart",
            field="plans",
            value=sorted(currencies),
            expected="plans in one currency",
        )
    rows = [
        {
            "plan": f"{plan.model.ratios}: {plan.handling_cost}",
            "tier": name,
            "items": items,
            "cost": float(cost.amount),
        }
        for plan in plans
        for name, items, cost in plan.rows()
    ]
    tiers = list(dict.fromkeys(name for plan in plans for name, _, _ in plan.rows()))
    return cast(
        "alt.Chart",
        alt.Chart(alt.Data(values=rows))  # type: ignore[no-untyped-call]  # Altair's schema classes
        .mark_bar()
        .encode(
            x=alt.X("tier:N", sort=tiers, title=None),
            xOffset="plan:N",
            y=alt.Y("cost:Q", title=f"handling cost ({currencies.pop()})"),
            color=alt.Color("plan:N", title=None),
            tooltip=["plan:N", "tier:N", "items:Q", "cost:Q"],
        )
        .properties(title="what each plan costs, tier by tier", width=480),
    )
