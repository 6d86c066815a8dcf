"""The cost of a source: what each lead and each customer it brought cost.

A book does not know what a campaign cost: the team does, and says it. Put
beside the journeys each source brought and the customers they became, a
spend says which sources are cheap leads and dear customers (a list bought
cheaply whose leads never buy), and which cost more per lead and less per
customer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from leadlife._analytics.closed_loop import source_quality
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import lazy_events
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.money import Money
from leadlife._funnel.base import Funnel

SOURCE_COST = (
    "journeys, customers: as in source_quality; cost: what the team said the source cost, in its "
    "currency; cost_per_lead = cost / journeys; cost_per_customer = cost / customers; both rounded "
    "half to even to the currency's minor units, none when there is nothing to divide by. Sources "
    "the book saw without a cost given have none; a cost for a source the book never saw has 0 "
    "journeys"
)

_COLUMNS = (
    "source",
    "journeys",
    "customers",
    "currency",
    "cost",
    "cost_per_lead",
    "cost_per_customer",
)


@in_their_engine
def source_cost(
    events: Any,
    costs: Mapping[str, Money],
    *,
    by: str = "source_channel",
    funnel: type[Funnel] | None = None,
) -> Report:
    """What each lead and each customer cost, by source, from what each source cost.

    Args:
        events: An event table, in any engine narwhals reads.
        costs: What each source cost over the book's time, by source (as
            ``by`` names it): what was spent on a campaign, paid for a
            list, a stand at a trade show.
        by: ``"source_channel"`` or ``"source_campaign"``.
        funnel: The funnel whose won stages count as customers; the default
            funnel if ``None``.

    Returns:
        Columns ``source``, ``journeys``, ``customers``, ``currency``,
        ``cost``, ``cost_per_lead``, ``cost_per_customer`` (exact decimals).

    Raises:
        ValidationError: A cost is not :class:`~leadlife.Money`, or a source
            is not text.

    Example:
        >>> from leadlife import Money
        >>> from leadlife.analytics import demo_events, source_cost
        >>> costs = {"event": Money.of("1200", "GBP"), "referral": Money.of("300", "GBP")}
        >>> for row in source_cost(demo_events(weeks=4), costs).rows():
        ...     print(*row)
        event 4 0 GBP 1200 300.00 None
        list purchase 4 0 None None None None
        referral 4 4 GBP 300 75.00 75.00
        web 8 0 None None None None
    """
    given: object = costs
    if not isinstance(given, Mapping):
        raise ValidationError(
            owner="source_cost", field="costs", value=costs, expected="a mapping of source to Money"
        )
    for source, spent in given.items():
        if not isinstance(source, str) or not isinstance(spent, Money):
            raise ValidationError(
                owner="source_cost",
                field="costs",
                value={source: spent},
                expected="a source's name (text) and what it cost (Money)",
            )
    counts: dict[str | None, tuple[int, int]] = {
        source: (journeys, customers)
        for source, journeys, _, customers, *_ in source_quality(
            events, by=by, funnel=funnel
        ).rows()
    }
    sources = sorted(set(counts) | set(costs), key=lambda s: (s is None, s or ""))
    columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}
    for source in sources:
        journeys, customers = counts.get(source, (0, 0))
        cost: Money | None = costs.get(source) if source is not None else None
        columns["source"].append(source)
        columns["journeys"].append(journeys)
        columns["customers"].append(customers)
        columns["currency"].append(None if cost is None else cost.currency)
        columns["cost"].append(None if cost is None else cost.amount)
        columns["cost_per_lead"].append(_per(cost, journeys))
        columns["cost_per_customer"].append(_per(cost, customers))
    frame = small_frame(columns, lazy_events(events))
    return report("source_cost", SOURCE_COST, frame, ("source",))


def _per(cost: Money | None, count: int) -> Decimal | None:
    """``cost`` shared over ``count``, to the currency's minor units (``None`` without either)."""
    if cost is None or count == 0:
        return None
    places = cost.minor_units if cost.minor_units is not None else 6
    return (cost.amount / count).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
