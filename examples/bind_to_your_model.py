"""Bind the funnel to your own model: a plain class standing in for an ORM row.

Your application owns its rows and its event table. The funnel writes the
stage on your row; a StageRecorder turns every move into a leadlife event for
your event table. Run: python examples/bind_to_your_model.py
"""

from datetime import UTC, date, datetime, timedelta

from statemachine.exceptions import TransitionNotAllowed

from leadlife import (
    Contact,
    DefaultFunnel,
    History,
    Lead,
    LeadId,
    Source,
    StageRecorder,
    SteppingClock,
    from_json,
    to_json,
)
from leadlife.events import LeadCaptured, StageChanged
from leadlife.screening import Reason, Screening


class LeadRow:
    """What a Django or SQLAlchemy model would be: columns, and a primary key."""

    def __init__(self, pk: int, name: str, email: str, status: str | None = None) -> None:
        self.pk = pk
        self.name = name
        self.email = email
        self.status = status  # the funnel stage column; None for a new row


class EventTable:
    """Stands in for an append-only table of JSON documents."""

    def __init__(self) -> None:
        self.rows: list[str] = []

    def insert(self, event: StageChanged) -> None:
        self.rows.append(to_json(event))


clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=4))
events = EventTable()
row = LeadRow(pk=42, name="Grace Hopper", email="grace@example.com")


def funnel_for(row: LeadRow) -> DefaultFunnel:
    """One funnel per request: bound to the row's status column, recording every move."""
    recorder = StageRecorder(
        record_id=lambda model: LeadId(f"lead-{model.pk}"),
        clock=clock,
        sink=events.insert,
    )
    return DefaultFunnel(model=row, state_field="status", listeners=[recorder])


funnel = funnel_for(row)  # a new row starts in the initial stage
print(f"row {row.pk}: status {row.status!r}")

funnel.send("engage", actor="sdr-1", reason="replied to the first e-mail")
funnel.send("mark_sales_ready", actor="scoring", payload={"score": 87})
print(f"row {row.pk}: status {row.status!r}")

# Later, in another request: the row comes back from the database with its status.
funnel = funnel_for(row)
no_budget = Screening(reason=Reason.NO_BUDGET, note="frozen until Q3", told=True)
try:
    funnel.send("disqualify", actor="ae-2", screening=no_budget)  # no review date
except TransitionNotAllowed:
    print("refused: disqualifying needs a reason and a review date")
funnel.send("disqualify", actor="ae-2", screening=no_budget, review_on=date(2026, 9, 1))
print(f"row {row.pk}: status {row.status!r}")

print(f"{len(events.rows)} events in the table:")
for stored in events.rows:
    event = from_json(stored, StageChanged)
    print(
        f"  {event.at:%H:%M} {event.actor:<8} {event.event}: {event.from_stage} -> {event.to_stage}"
    )

# The event table plus a snapshot at capture time rebuild the lead exactly.
captured = Lead(
    id=LeadId("lead-42"),
    stage="suspect",
    contact=Contact(name=row.name, email=row.email),
    source=Source(channel="web"),
    created_at=datetime(2026, 3, 2, 8, tzinfo=UTC),
)
history = History(
    [
        LeadCaptured(record_id=captured.id, at=captured.created_at, actor="import", lead=captured),
        *(from_json(stored, StageChanged) for stored in events.rows),
    ]
)
assert history.record.stage == row.status
print(f"replayed from the table: {history.record.stage!r}, review on {history.record.review_on}")
