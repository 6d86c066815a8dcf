"""A book to try the reports on: the demo's people, as an event table."""

from __future__ import annotations

import pyarrow as pa

from leadlife._adapters.demo import run
from leadlife._analytics.tables import event_table


def demo_events() -> pa.Table:
    """The demo's book (``python -m leadlife``) as an event table: five journeys to try reports on.

    Ada Lovelace's deal is won and grows; Grace Hopper's is lost on an
    objection and goes to nurture; Alan Turing is disqualified and reopened;
    Edsger Dijkstra opts out; Barbara Liskov is chased, recycled to nurture
    and re-engaged. The same table on every run.

    Example:
        >>> from leadlife.analytics import demo_events
        >>> events = demo_events()
        >>> events.num_rows, len(set(events.column("journey_id").to_pylist()))
        (54, 5)
    """
    journeys, _ = run()
    return event_table([history for journey in journeys for history in journey])
