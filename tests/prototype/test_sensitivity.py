"""Which change moves revenue most for the same handling budget."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import Money
from leadlife.charts import plan_chart, tornado_chart
from leadlife.errors import ValidationError
from leadlife.prototype import TierModel, sensitivity


def eur(amount) -> Money:
    return Money.of(amount, "EUR")


def model(ratios="8-4-2-1", cost=None) -> TierModel:
    return TierModel.of(ratios, cost=cost or eur(50), deal_value=eur(10_000))


def test_the_base_is_what_the_budget_buys():
    result = sensitivity(model(), budget=eur(7_500))  # 750 a sale: 10 sales
    assert result.base == eur(100_000)
    deal = next(swing for swing in result.swings if swing.parameter == "deal value")
    assert (deal.low, deal.high) == (eur(90_000), eur(110_000))


@given(st.integers(1, 400), st.sampled_from(["0.05", "0.1", "0.2"]))
def test_with_equal_costs_a_conversion_lower_in_the_funnel_swings_more(cost, step):
    # It saves the handling of every tier above it.
    result = sensitivity(model(cost=eur(cost)), step=step)
    swings = {swing.parameter: swing.swing for swing in result.swings}
    lower = [
        swings["conversion lead -> presentation"],
        swings["conversion presentation -> quote"],
        swings["conversion quote -> sale"],
    ]
    assert lower == sorted(lower)
    assert lower[0] < lower[-1]
    ordered = [swing.swing for swing in result.swings]
    assert ordered == sorted(ordered, reverse=True)
    for swing in result.swings:
        assert swing.low <= result.base <= swing.high


def test_a_conversion_already_whole_cannot_get_better():
    result = sensitivity(model("4-2-2-1"))
    whole = next(s for s in result.swings if s.parameter == "conversion presentation -> quote")
    assert whole.high == result.base
    assert whole.low < result.base


def test_a_tier_not_paid_for_is_not_a_parameter():
    free = model(cost=[eur(50), eur(0), eur(0), eur(0)])
    parameters = [swing.parameter for swing in sensitivity(free).swings]
    assert "cost of a lead" in parameters
    assert "cost of a quote" not in parameters


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"step": "1.5"}, "step"),
        ({"step": 0.1}, "step"),
        ({"step": "x"}, "step"),
        ({"budget": Money.of(5, "USD")}, "budget"),
        ({"budget": eur(0)}, "budget"),
        ({"budget": 5}, "budget"),
    ],
)
def test_bad_arguments_are_refused_by_name(kwargs, field):
    with pytest.raises(ValidationError) as caught:
        sensitivity(model(), **kwargs)
    assert caught.value.field == field


def test_a_model_that_costs_nothing_has_no_revenue_per_budget():
    with pytest.raises(ValidationError, match="costs something"):
        sensitivity(model(cost=eur(0)))


def test_the_tornado_chart_draws_every_swing_widest_on_top():
    result = sensitivity(model())
    spec = tornado_chart(result).to_dict()
    bars, rule = spec["layer"]
    assert bars["encoding"]["y"]["sort"] == [swing.parameter for swing in result.swings]
    assert rule["mark"]["type"] == "rule"
    rows = bars["data"]["values"]
    assert [row["parameter"] for row in rows] == [swing.parameter for swing in result.swings]
    assert rows[0]["high"] - rows[0]["low"] == pytest.approx(float(result.swings[0].swing.amount))
    assert rule["data"]["values"] == [{"base": float(result.base.amount)}]
    with pytest.raises(ValidationError, match="Sensitivity"):
        tornado_chart(object())


def test_the_result_shows_itself_in_a_notebook():
    result = sensitivity(model())
    assert "conversion quote -&gt; sale" in result._repr_html_()
    assert "| deal value |" in result._repr_markdown_()
    assert result.step == Decimal("0.1")


def test_the_plan_chart_sets_plans_side_by_side_tier_by_tier():
    base = model()
    better = base.changed("lead", per_sale=4).changed("presentation", per_sale=2)
    plans = (base.plan(sales=10), better.plan(sales=10))
    spec = plan_chart(*plans).to_dict()
    rows = spec["data"]["values"]
    assert len(rows) == 8
    assert {row["plan"] for row in rows} == {"8-4-2-1: 7500.00 EUR", "4-2-2-1: 4500.00 EUR"}
    lead = {row["plan"][:7]: row["cost"] for row in rows if row["tier"] == "lead"}
    assert lead == {"8-4-2-1": 4000.0, "4-2-2-1": 2000.0}
    with pytest.raises(ValidationError, match="TierPlans"):
        plan_chart()
    dollars = TierModel.of(
        "2-1", cost=Money.of(1, "USD"), deal_value=Money.of(9, "USD"), names=["a", "b"]
    )
    with pytest.raises(ValidationError, match="one currency"):
        plan_chart(plans[0], dollars.plan(sales=1))
