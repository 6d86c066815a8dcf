"""The 8-4-2-1 rule's arithmetic: what a target takes, and what a change of ratios saves."""

import math
from datetime import timedelta
from decimal import Decimal

import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import Money
from leadlife.analytics import tier_ratios
from leadlife.errors import ValidationError
from leadlife.prototype import Tier, TierModel, simulate
from simulated import BEHAVIOUR, START

EUR = "EUR"


def eur(amount: str | int) -> Money:
    return Money.of(amount, EUR)


def seed_model(ratios: str = "8-4-2-1", **kwargs) -> TierModel:
    return TierModel.of(ratios, cost=eur(50), deal_value=eur(10_000), **kwargs)


def test_seed_000_four_two_two_one_halves_the_lead_handling_cost():
    # "If you can reduce 8-4-2-1 to 4-2-2-1, you save half the lead-handling cost."
    before = seed_model("8-4-2-1").plan(sales=25)
    after = seed_model("8-4-2-1").changed("lead", per_sale=4).changed("presentation", per_sale=2)
    assert after.ratios == "4-2-2-1"
    after_plan = after.plan(sales=25)
    assert after_plan.sales == before.sales == 25
    leads_before, leads_after = before.rows()[0], after_plan.rows()[0]
    assert leads_after[1] * 2 == leads_before[1] == 200
    assert leads_after[2] * 2 == leads_before[2] == eur(10_000)
    # Counting only the handling of leads (what the rule counts), the total halves too.
    leads_only = [eur(50), eur(0), eur(0), eur(0)]
    only_before = TierModel.of("8-4-2-1", cost=leads_only, deal_value=eur(10_000))
    only_after = TierModel.of("4-2-2-1", cost=leads_only, deal_value=eur(10_000))
    assert only_after.plan(sales=25).handling_cost * 2 == only_before.plan(sales=25).handling_cost


ratios = st.lists(st.decimals(min_value=1, max_value=50, places=1), min_size=2, max_size=5).map(
    lambda counts: [*sorted(counts, reverse=True)[:-1], Decimal(1)]
)


@given(ratios, st.integers(1, 10_000), st.integers(0, 500))
def test_a_plan_handles_whole_items_enough_for_the_target(counts, sales, cost):
    counts = sorted(counts, reverse=True)
    model = TierModel.of(
        "-".join(str(count) for count in counts),
        cost=eur(cost),
        deal_value=eur(1_000),
        names=[f"tier{index}" for index in range(len(counts))],
    )
    plan = model.plan(sales=sales)
    for count, items in zip(counts, plan.items, strict=True):
        assert count * sales <= items < count * sales + 1
    assert plan.items[-1] == sales
    assert plan.costs == tuple(eur(cost) * items for items in plan.items)
    assert plan.handling_cost == eur(cost) * sum(plan.items)
    assert plan.revenue == eur(1_000) * sales


def test_a_revenue_target_is_the_sales_it_needs_rounded_up():
    plan = seed_model().plan(revenue=eur(95_001))
    assert plan.sales == 10
    assert plan.cost_per_sale == eur(750)


def test_the_time_to_target_is_the_flow_plus_the_busiest_tier_at_its_capacity():
    model = seed_model(
        capacity=[100, 10, None, None],
        cycle=[timedelta(days=2), timedelta(days=5), timedelta(days=3), timedelta(0)],
    )
    plan = model.plan(sales=10)  # 80 leads (0.8 periods), 40 presentations (4 periods)
    assert plan.periods == 4
    assert plan.time_to_target == timedelta(days=10 + 4 * 30)
    assert seed_model().plan(sales=10).time_to_target is None


def test_a_better_ratio_shortens_the_time_to_target():
    model = seed_model(capacity=[100, 10, None, None])
    faster = model.changed("presentation", per_sale=2)
    assert faster.plan(sales=10).time_to_target < model.plan(sales=10).time_to_target


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: seed_model("8-4-2"), "ratios"),
        (lambda: seed_model("4-8-2-1"), "tiers"),
        (lambda: seed_model("8-4-2-2"), "tiers"),
        (lambda: TierModel.of("8-1", cost=eur(1), deal_value=eur(9), names=["a", "a"]), "tiers"),
        (lambda: Tier(name="lead", per_sale=8.0, cost=eur(1)), "per_sale"),
        (lambda: Tier(name="lead", per_sale="eight", cost=eur(1)), "per_sale"),
        (lambda: Tier(name="lead", per_sale=8, cost=eur(1), capacity=0), "capacity"),
        (
            lambda: TierModel.of(
                "2-1", cost=eur(1), deal_value=Money.of(9, "USD"), names=["a", "b"]
            ),
            "deal_value",
        ),
        (
            lambda: TierModel.of(
                "2-1", cost=[eur(1), Money.of(1, "USD")], deal_value=eur(9), names=["a", "b"]
            ),
            "tiers",
        ),
        (lambda: seed_model(capacity=[1]), "capacity"),
        (lambda: seed_model().changed("meeting", per_sale=2), "tier"),
        (lambda: seed_model().changed("lead", price=2), "price"),
        (lambda: seed_model().changed(deal_value=3), "deal_value"),
        (lambda: seed_model().plan(), "sales"),
        (lambda: seed_model().plan(sales=1, revenue=eur(1)), "sales"),
        (lambda: seed_model().plan(sales=0), "sales"),
        (lambda: seed_model().plan(revenue=Money.of(5, "USD")), "revenue"),
        (lambda: seed_model().plan(revenue=5), "revenue"),
    ],
)
def test_what_does_not_make_a_model_or_a_plan_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


def test_a_plan_shows_itself_in_a_notebook():
    plan = seed_model().plan(sales=10)
    html, markdown = plan._repr_html_(), plan._repr_markdown_()
    for shown in (html, markdown):
        assert "8-4-2-1: 10 sales" in shown
        assert "presentation" in shown
        assert "750.00 EUR a sale" in shown
    assert "| lead | 80 | 4000.00 EUR |" in markdown


def test_ratios_read_back_as_written():
    assert seed_model("8-4-2.5-1").ratios == "8-4-2.5-1"
    assert math.isclose(float(seed_model().tier("quote").per_sale), 2)


def test_a_model_from_a_book_has_the_book_s_ratios():
    events = simulate(BEHAVIOUR, journeys=3_000, seed=5, start=START).events()
    model = TierModel.from_book(events, cost=eur(50), deal_value=eur(10_000))
    rows = tier_ratios(events).rows()
    assert [tier.name for tier in model.tiers] == [row[0] for row in rows]
    for tier, row in zip(model.tiers, rows, strict=True):
        assert float(tier.per_sale) == pytest.approx(row[2], abs=0.005)
    assert model.tiers[-1].per_sale == 1


def test_a_book_without_a_sale_gives_no_ratios():
    events = simulate(BEHAVIOUR, journeys=200, seed=5, start=START).events()
    early = events.filter(pc.less_equal(events.column("at"), START + timedelta(days=3)))
    with pytest.raises(ValidationError, match="last tier"):
        TierModel.from_book(early, cost=eur(50), deal_value=eur(10_000))
