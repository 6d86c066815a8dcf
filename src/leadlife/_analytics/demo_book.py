"""A book to try the reports on: the demo's people, as an event table."""

from __future__ import annotations

from datetime import timedelta

import pyarrow as pa
import pyarrow.compute as pc

from leadlife._adapters.demo import run
from leadlife._analytics.event_table import event_table
from leadlife._core.support import validation as check

_IDS = ("journey_id", "record_id", "converted_to")
"""The columns that name records: each week's copies get their own names."""


def demo_events(weeks: int = 1) -> pa.Table:
    """The demo's book (``python -m leadlife``) as an event table: five journeys to try reports on.

    Ada Lovelace's deal is won and grows; Grace Hopper's is lost on an
    objection and goes to nurture; Alan Turing is disqualified and reopened;
    Edsger Dijkstra opts out; Barbara Liskov is chased, recycled to nurture
    and re-engaged. The same table on every run.

    Args:
        weeks: Capture the same five people again every week for this many
            weeks: week ``n``'s copies happen ``n`` weeks later and their ids
            end in ``#n`` (``L-1#3``), so they are other journeys. A book that
            overlaps itself in time, for reports over periods.

    Example:
        >>> from leadlife.analytics import demo_events
        >>> events = demo_events()
        >>> events.num_rows, len(set(events.column("journey_id").to_pylist()))
        (54, 5)
        >>> sorted(set(demo_events(weeks=12).column("journey_id").to_pylist()))[:2]
        ['L-1#0', 'L-1#1']
    """
    weeks_of = check.whole_number(1, "a whole number of weeks, 1 or more")
    check.argument("demo_events", "weeks", weeks, weeks_of)
    journeys, _ = run()
    demo = event_table([history for journey in journeys for history in journey])
    if weeks == 1:
        return demo
    return pa.concat_tables([_week(demo, number) for number in range(weeks)])


def _week(demo: pa.Table, number: int) -> pa.Table:
    later = pa.scalar(timedelta(days=7 * number))
    moved = demo
    for name in ("at", "review_on"):
        index = demo.schema.get_field_index(name)
        shifted = pc.add(demo.column(name), later).cast(demo.schema.field(name).type)
        moved = moved.set_column(index, name, shifted)
    for name in _IDS:
        renamed = pc.binary_join_element_wise(demo.column(name), f"#{number}", "")
        moved = moved.set_column(demo.schema.get_field_index(name), name, renamed)
    return moved
