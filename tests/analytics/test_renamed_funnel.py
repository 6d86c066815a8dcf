"""Every report gives the same figures on a funnel whose stages are named otherwise.

A team's funnel may call its prospect stage ``sql``, its won stage ``closed_won`` and
its recycle stage ``recycled``: the reports ask the funnel for its roles, never spell a
stage, so the same journeys give the same figures (with the team's names in them).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import attrs
import pyarrow as pa
import pytest

from leadlife import DefaultFunnel, FunnelRoles, Money
from leadlife.analytics import (
    conversion,
    demo_events,
    flow,
    inventory,
    leakage,
    loss_reasons,
    potential_value,
    recycling,
    source_cost,
    source_quality,
    tier_ratios,
    time_in_stage,
    time_to_win,
    won_value,
)
from leadlife.errors import ValidationError
from leadlife.prototype import (
    TierModel,
    fit_behaviour,
    forecast,
    markov_chain,
    pipeline_value,
    simulate,
)
from renamed import RENAMED, Renamed, rename
from simulated import BEHAVIOUR, START

BACK = {new: old for old, new in RENAMED.items()}


def _back(value: Any) -> Any:
    if attrs.has(type(value)):
        return _back(attrs.asdict(value, recurse=True))
    if isinstance(value, str):
        return BACK.get(value, value)
    if isinstance(value, tuple):
        return tuple(_back(item) for item in value)
    if isinstance(value, list):
        return [_back(item) for item in value]
    if isinstance(value, dict):
        return {_back(key): _back(item) for key, item in value.items()}
    return value


def same(ours: Any, theirs: Any) -> bool:
    """Equal, floats to a part in 10^12 (sums over stages sorted by name add in another order)."""
    if isinstance(ours, float) and isinstance(theirs, float):
        return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(ours, (list, tuple)) and isinstance(theirs, (list, tuple)):
        return len(ours) == len(theirs) and all(map(same, ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in ours)
    return bool(ours == theirs)


def _rows(report: Any) -> Any:
    rows = report.rows() if hasattr(report, "rows") else report.segments
    return sorted((_back(row) for row in rows), key=repr)


def _behaviour(names: dict[str, str]) -> Any:
    return attrs.evolve(
        BEHAVIOUR,
        moves={names.get(stage, stage): moves for stage, moves in BEHAVIOUR.moves.items()},
    )


BOOKS = {
    "demo": demo_events,
    "simulated": lambda: simulate(BEHAVIOUR, journeys=400, seed=3, start=START).events(),
}


@pytest.fixture(scope="module", params=list(BOOKS))
def books(request: pytest.FixtureRequest) -> tuple[pa.Table, pa.Table]:
    """The same journeys on the default funnel and on the renamed one."""
    events = BOOKS[request.param]()
    return events, rename(events, RENAMED)


AT = datetime(2026, 6, 1, tzinfo=UTC)
SINCE, UNTIL = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
COSTS = {"web": Money.of("10", "USD"), "event": Money.of("200", "USD")}

REPORTS = {
    "inventory": lambda events, _: inventory(events, at=AT),
    "flow": lambda events, _: flow(events, since=SINCE, until=UNTIL),
    "time_in_stage": lambda events, _: time_in_stage(events, at=AT),
    "tier_ratios": lambda events, funnel: tier_ratios(events, funnel=funnel),
    "leakage": lambda events, funnel: leakage(events, since=SINCE, until=UNTIL, funnel=funnel),
    "recycling": lambda events, funnel: recycling(events, funnel=funnel),
    "loss_reasons": lambda events, funnel: loss_reasons(events, funnel=funnel),
    "source_quality": lambda events, funnel: source_quality(events, funnel=funnel),
    "won_value": lambda events, funnel: won_value(events, funnel=funnel),
    "time_to_win": lambda events, funnel: time_to_win(events, at=AT, funnel=funnel),
    "source_cost": lambda events, funnel: source_cost(events, COSTS, funnel=funnel),
    "potential_value": lambda events, funnel: potential_value(
        events, currency="USD", funnel=funnel
    ),
}


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_report_gives_the_same_figures_on_a_renamed_funnel(
    name: str, books: tuple[pa.Table, pa.Table]
) -> None:
    default, renamed = books
    report = REPORTS[name]
    # Rows sorted by stage come in another order when the names differ: compare as sets of rows.
    assert same(_rows(report(renamed, Renamed)), _rows(report(default, None)))


def test_conversion_along_the_way_forward_is_the_same_on_a_renamed_funnel(
    books: tuple[pa.Table, pa.Table],
) -> None:
    default, renamed = books
    ours = conversion(renamed, stages=Renamed.roles().forward, since=SINCE, until=UNTIL)
    theirs = conversion(default, stages=DefaultFunnel.roles().forward, since=SINCE, until=UNTIL)
    assert _back(ours.rows()) == theirs.rows()


def test_the_roles_follow_the_stages_not_their_names() -> None:
    ours, theirs = Renamed.roles(), DefaultFunnel.roles()
    assert _back(ours.forward) == theirs.forward
    assert _back(ours.tiers) == theirs.tiers
    for role in ("won", "lost", "recycle", "screened_out", "exits", "closed", "customer_life"):
        assert {BACK.get(s, s) for s in getattr(ours, role)} == getattr(theirs, role), role
    assert ours.path_to("closed_won")[-2:] == ("proposal", "closed_won")


def test_the_prototype_reads_a_renamed_funnel_alike(books: tuple[pa.Table, pa.Table]) -> None:
    default, renamed = books
    at = datetime(2026, 3, 24, tzinfo=UTC)
    assert same(
        _back(fit_behaviour(renamed, funnel=Renamed).to_dict()), fit_behaviour(default).to_dict()
    )
    ours = markov_chain(renamed, absorbing=["closed_won"], funnel=Renamed)
    theirs = markov_chain(default, absorbing=["customer"])
    assert same(_back(ours.chances(won=["closed_won"])), theirs.chances(won=["customer"]))
    ahead: dict[str, Any] = {"at": at, "periods": 2, "runs": 50, "currency": "USD"}
    assert same(
        forecast(renamed, funnel=Renamed, **ahead).rows(), forecast(default, **ahead).rows()
    )
    assert same(
        pipeline_value(renamed, at=at, funnel=Renamed, currency="USD").total,
        pipeline_value(default, at=at, currency="USD").total,
    )
    cost, value = Money.of("50", "USD"), Money.of("10000", "USD")
    if tier_ratios(default).rows()[-1][1]:
        assert (
            TierModel.from_book(renamed, cost=cost, deal_value=value, funnel=Renamed).ratios
            == TierModel.from_book(default, cost=cost, deal_value=value).ratios
        )


def test_the_simulator_walks_a_renamed_funnel_as_the_default_one() -> None:
    ours = simulate(_behaviour(RENAMED), journeys=200, seed=5, start=START, funnel=Renamed)
    theirs = simulate(BEHAVIOUR, journeys=200, seed=5, start=START)
    assert ours.events().equals(rename(theirs.events(), RENAMED))


def test_a_renamed_funnel_without_its_roles_would_count_no_prospects() -> None:
    # The figure the issue reproduced: the same journeys, prospects counted by the stage
    # the record stood in, not by a stage called "prospect".
    rows = source_quality(rename(demo_events(), RENAMED), funnel=Renamed).rows()
    assert sum(row[2] for row in rows) == 2


def test_roles_refuse_what_is_not_a_funnel() -> None:
    with pytest.raises(ValidationError, match="a Funnel class or a FunnelSpec"):
        FunnelRoles.of("DefaultFunnel")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="stage"):
        DefaultFunnel.roles().path_to("nowhere")
    with pytest.raises(ValidationError, match="reached forward"):
        DefaultFunnel.roles().path_to("suspect", start="customer")
    assert FunnelRoles.of(DefaultFunnel.spec()).forward == DefaultFunnel.roles().forward
