"""Conformance: which journeys, as their data shows them, deviate from the funnel, and how often.

Process mining's conformance checking replays each trace of a log on a model
and reports where the two part. Here the traces are the journeys as their
data shows them: each journey's stage entries, leaving out the ones an import
inferred (a stage walked through to reach one the data dates, a move the data
does not date: :class:`~leadlife.LifecycleEvent`'s ``inferred``).
Each step from one observed stage to the next is one the funnel declares, or
a deviation: it skips stages on the way forward, goes back, or has no way in
the funnel at all. A history leadlife recorded itself conforms by
construction; an imported one shows what its data really says.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.backends import neighbours
from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import kind_order, stays
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles

CONFORMANCE = (
    "each step of a journey from one stage its data shows to the next (entries an import "
    "inferred left out) that is not a move the funnel declares; deviation: 'skips' and the "
    "stages skipped on the way forward, 'goes back', or 'no way' (the funnel has no way "
    "from one to the other, or does not know a stage); journeys: how many journeys take the "
    "step; moves: how many times; share: journeys over all journeys with a step"
)


@in_their_engine
def conformance(events: Any, *, funnel: type[Funnel] | None = None) -> Report:
    """The steps the journeys' data shows that the funnel does not declare, and how often.

    Args:
        events: An event table (or a :class:`~leadlife.analytics.Book`), in any engine.
        funnel: The funnel to check against (the default funnel if ``None``).

    Returns:
        Columns ``from_stage``, ``to_stage``, ``deviation``, ``journeys``,
        ``moves``, ``share``: one row per kind of deviating step, the most
        frequent first. The definition ends with how many journeys conform.

    Example:
        >>> from leadlife.analytics import conformance, demo_events
        >>> checked = conformance(demo_events())
        >>> checked.rows(), checked.definition.split("; ")[-1]
        ([], '5 of 5 journeys with a step conform')
    """
    roles = roles_of(funnel)
    all_stays = stays(events)
    entries = all_stays.filter(~nw.col("inferred")).select(
        "journey_id",
        "stage",
        "entered_at",
        "seq",
        kind_order().alias("_kind_order"),
        nw.lit(value=False).alias("inferred"),
    )
    steps = (
        neighbours(entries, "journey_id", ("entered_at", "_kind_order", "seq"))
        .filter(~nw.col("next_stage").is_null())
        .select("journey_id", "stage", "next_stage")
    )
    pairs = (
        steps.group_by("stage", "next_stage")
        .agg(nw.col("journey_id").n_unique().alias("journeys"), nw.len().alias("moves"))
        .collect()
        .to_arrow()
        .to_pylist()
    )
    deviating = {
        (pair["stage"], pair["next_stage"]): found
        for pair in pairs
        if (found := deviation(roles, pair["stage"], pair["next_stage"])) is not None
    }
    with_steps = _count(steps.select("journey_id"))
    off = _count(
        steps.filter(_any_of(deviating)).select("journey_id") if deviating else steps.head(0)
    )
    columns: dict[str, list[Any]] = {
        "from_stage": [],
        "to_stage": [],
        "deviation": [],
        "journeys": [],
        "moves": [],
        "share": [],
    }
    ranked = sorted(
        (pair for pair in pairs if (pair["stage"], pair["next_stage"]) in deviating),
        key=lambda pair: (-pair["journeys"], pair["stage"], pair["next_stage"]),
    )
    for pair in ranked:
        columns["from_stage"].append(pair["stage"])
        columns["to_stage"].append(pair["next_stage"])
        columns["deviation"].append(deviating[pair["stage"], pair["next_stage"]])
        columns["journeys"].append(int(pair["journeys"]))
        columns["moves"].append(int(pair["moves"]))
        columns["share"].append(pair["journeys"] / with_steps if with_steps else None)
    definition = f"{CONFORMANCE}; {with_steps - off} of {with_steps} journeys with a step conform"
    return report("conformance", definition, small_frame(columns, all_stays), ())


def deviation(roles: FunnelRoles, source: str, target: str) -> str | None:
    """How a step from ``source`` to ``target`` deviates from the funnel; ``None``: it does not.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife._analytics.conformance import deviation
        >>> roles = DefaultFunnel.roles()
        >>> deviation(roles, "lead", "sales_ready") is None
        True
        >>> deviation(roles, "lead", "prospect"), deviation(roles, "accepted", "lead")
        ('skips sales_ready, accepted', 'goes back')
    """
    if source == target or roles.allows(source, target):
        return None
    if source not in roles.kinds or target not in roles.kinds:
        return "no way"
    try:
        way = roles.path_to(target, start=source)
    except ValidationError:
        order = roles.stages
        return "goes back" if order.index(target) < order.index(source) else "no way"
    return "skips " + ", ".join(way[1:-1])


def _any_of(pairs: dict[tuple[str, str], str]) -> nw.Expr:
    found = nw.lit(value=False)
    for source, target in pairs:
        found = found | ((nw.col("stage") == source) & (nw.col("next_stage") == target))
    return found


def _count(journeys: nw.LazyFrame[Any]) -> int:
    counted = journeys.select(nw.col("journey_id").n_unique().alias("n")).collect()
    return int(counted["n"].to_list()[0] or 0)
