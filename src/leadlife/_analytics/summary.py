"""The book's funnel report in a few lines of text: what the demo ends with."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pyarrow.compute as pc

from leadlife._analytics.conversion import conversion, tier_ratios
from leadlife._analytics.event_table import event_table
from leadlife._analytics.funnel_roles import roles_of
from leadlife._analytics.velocity import time_in_stage
from leadlife._core.journal.events import LifecycleEvent
from leadlife._funnel.base import Funnel


def book_report(
    histories: Sequence[Sequence[LifecycleEvent]], *, funnel: type[Funnel] | None = None
) -> list[str]:
    """Tier ratios, conversion along the funnel's way forward, and time in stage, as text lines."""
    path = roles_of(funnel).forward
    table = event_table(histories)
    first, last = pc.min(table.column("at")).as_py(), pc.max(table.column("at")).as_py()
    end = last + timedelta(microseconds=1)
    tiers = tier_ratios(table, funnel=funnel).rows()
    lines = ["The book's funnel report (leadlife.analytics, on any dataframe engine):"]
    lines.append(
        "   Tiers (the 8-4-2-1 rule): "
        + " : ".join(f"{name} {count}" for name, count, *_ in tiers)
        + " = "
        + "-".join(f"{ratio:g}" for _, _, ratio, _ in tiers if ratio is not None)
    )
    steps = conversion(table, stages=path, since=first, until=end).rows()
    lines.append("   Conversion (cohort): " + ", ".join(_step(row) for row in steps))
    medians = {row[0]: row[3] for row in time_in_stage(table, at=last).rows()}
    shown = [f"{stage} {medians[stage]:.0f}h" for stage in path if medians.get(stage) is not None]
    lines.append("   Median time in stage (open stays censored): " + ", ".join(shown))
    return lines


def _step(row: tuple[Any, ...]) -> str:
    source, target, _, _, rate = row
    shown = "-" if rate is None else f"{rate:.0%}"
    return f"{source}->{target} {shown}"
