"""Where journeys leak out of the funnel and why, and what recycling gets back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import narwhals.stable.v2 as nw

from leadlife._analytics.engine import in_their_engine
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.result import Report, report, small_frame
from leadlife._analytics.stays import lazy_events, stays, window, within
from leadlife._funnel.base import Funnel

LEAKAGE = (
    "exits: moves within [since, until) into a stage that takes a journey out of the way to "
    "a sale (the funnel's screened-out, recycle and final stages that are not won: "
    "disqualified, lost, churned, nurture, do_not_contact), by the stage left and the coded "
    "reason"
)
RECYCLING = (
    "recycled: journeys with a recycling move (recycles is true); won_after: those of them "
    "that entered a won stage after their first recycling; yield = won_after / recycled"
)


@in_their_engine
def leakage(
    events: Any, *, since: datetime, until: datetime, funnel: type[Funnel] | None = None
) -> Report:
    """Exits from the funnel within ``[since, until)``, per stage left and reason code.

    Args:
        events: An event table, in any engine narwhals reads.
        since: The window's start (inclusive).
        until: The window's end (exclusive).
        funnel: The funnel the events went through; the default funnel if ``None``.

    Returns:
        Columns ``from_stage``, ``to_stage``, ``reason_code`` (null when the
        move gave none), ``exits``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.analytics import demo_events, leakage
        >>> events = demo_events()
        >>> year = leakage(
        ...     events,
        ...     since=datetime(2026, 1, 1, tzinfo=UTC),
        ...     until=datetime(2027, 1, 1, tzinfo=UTC),
        ... )
        >>> year.rows()[1]
        ('discovery', 'lost', 'bad_timing', 1)
    """
    start, end = window("leakage", since, until)
    roles = roles_of(funnel)
    # Into nurture counts: the journey left the running, if only for a while.
    exits = sorted(roles.exits | roles.recycle)
    frame = (
        lazy_events(events)
        .filter(
            nw.col("entered")
            & (nw.col("event_type") == "StageChanged")
            & nw.col("to_stage").is_in(exits)
            & within("at", start, end)
        )
        .group_by("from_stage", "to_stage", "reason_code")
        .agg(nw.len().alias("exits"))
        .collect()
    )
    return report("leakage", LEAKAGE, frame, ("from_stage", "to_stage", "reason_code"))


@in_their_engine
def recycling(events: Any, *, funnel: type[Funnel] | None = None) -> Report:
    """How many journeys were recycled, and how many of those were won afterwards.

    Returns:
        One row: ``recycled``, ``won_after``, ``yield`` (``None`` when nothing was recycled).

    Example:
        >>> from leadlife.analytics import demo_events, recycling
        >>> recycling(demo_events()).rows()
        [(2, 0, 0.0)]
    """
    # Everything from the stays (a recycling move enters a stage): one engine, one source.
    all_stays = stays(events)
    first_recycled = (
        all_stays.filter(nw.col("recycles"))
        .group_by("journey_id")
        .agg(nw.col("entered_at").min().alias("recycled_at"))
    )
    won = all_stays.filter(nw.col("stage").is_in(sorted(roles_of(funnel).won))).select(
        "journey_id", "entered_at"
    )
    won_after = (
        first_recycled.join(won, on="journey_id", how="inner")
        .filter(nw.col("entered_at") > nw.col("recycled_at"))
        .unique(["journey_id"])
    )
    recycled = _count(first_recycled)
    after = _count(won_after)
    rows: dict[str, list[Any]] = {
        "recycled": [recycled],
        "won_after": [after],
        "yield": [after / recycled if recycled else None],
    }
    return report("recycling", RECYCLING, small_frame(rows, all_stays), ())


def _count(frame: nw.LazyFrame[Any]) -> int:
    return int(frame.select(nw.len().alias("n")).collect().item(0, "n"))
