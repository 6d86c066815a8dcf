"""A small book of leads for the policy tests: a Monday morning, and helpers to walk leads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs

from leadlife import Contact, DefaultFunnel, History, LeadId, Lifecycle, Source

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)  # a Monday
DAY = timedelta(days=1)


def captured(life: Lifecycle, key: str = "L-1", owner: str | None = None) -> History[Any]:
    """A lead captured now, as a web form would."""
    return life.capture(
        id=LeadId(key),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        owner=owner,
        actor="x",
    )


def default_rule(cls: type, **changes: Any) -> Any:
    """The default funnel's rule of ``cls``, with ``changes``."""
    rule = next(rule for rule in DefaultFunnel.rules if isinstance(rule, cls))
    return attrs.evolve(rule, **changes)


def walk(life: Lifecycle, history: History[Any], *events: str) -> History[Any]:
    """Send ``events`` in order."""
    for event in events:
        life.send(history, event, actor="x")
    return history
