"""Service levels: how long a hand-off or a follow-up may wait.

A service-level agreement (see :doc:`/recycling`) governs the hand-off between
marketing and sales: sales follow up received leads in time, marketing gets
back what sales does not take. A level's timer starts on an event (a record
enters a stage, or the person answers a touch) and stops on another (the
record leaves the stage, or someone touches it); the limit counts working
hours when the level has a calendar.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import attrs
from attrs.validators import optional

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.values.breach import Side


class Starts(StrEnum):
    """What starts a service level's timer.

    Example:
        >>> from leadlife.sla import Starts
        >>> Starts.ENTERED_STAGE.value
        'entered_stage'
    """

    ENTERED_STAGE = "entered_stage"
    """The record entered the level's stage."""
    ANSWERED = "answered"
    """The person answered a touch: we owe them a follow-up."""
    HANDED_BACK = "handed_back"
    """Sales handed the record back into the level's stage, saying why (a rejection):
    marketing owes it rework."""


class Ends(StrEnum):
    """What stops a service level's timer, meeting the level if in time.

    Example:
        >>> from leadlife.sla import Ends
        >>> Ends.TOUCHED.value
        'touched'
    """

    LEFT_STAGE = "left_stage"
    """The record left the stage (accepted, recycled...)."""
    TOUCHED = "touched"
    """Someone touched the record."""


_IN_A_STAGE = frozenset({Starts.ENTERED_STAGE, Starts.HANDED_BACK})


@attrs.frozen(kw_only=True)
class ServiceLevel:
    """How long something may wait, and what starts and stops the timer.

    Args:
        key: A stable key (``"acceptance"``).
        starts: What starts the timer.
        ends: What stops it.
        limit: How long it may run.
        stage: The stage it is about (for ``ENTERED_STAGE``); leaving it
            stops the timer, whatever ``ends`` says.
        calendar: Count working hours in this calendar; wall time if ``None``.
        warn_before: How long before the limit to warn that it is about to
            be breached.
        side: Who owes it: sales (accepting, touching, replying) or marketing
            (reworking what sales handed back).

    Example:
        >>> from datetime import UTC, datetime, timedelta
        >>> from leadlife.sla import BusinessCalendar, Ends, ServiceLevel, Starts
        >>> acceptance = ServiceLevel(
        ...     key="acceptance",
        ...     starts=Starts.ENTERED_STAGE,
        ...     stage="sales_ready",
        ...     ends=Ends.LEFT_STAGE,
        ...     limit=timedelta(hours=8),
        ...     calendar=BusinessCalendar(),
        ... )
        >>> acceptance.due(datetime(2026, 3, 6, 15, tzinfo=UTC))  # Friday 3 pm
        datetime.datetime(2026, 3, 9, 15, 0, tzinfo=datetime.timezone.utc)
    """

    key: str = attrs.field(validator=check.key)
    starts: Starts = attrs.field(validator=check.instance_of(Starts, "a Starts"))
    ends: Ends = attrs.field(validator=check.instance_of(Ends, "an Ends"))
    limit: timedelta = attrs.field(validator=check.duration)
    stage: str | None = attrs.field(default=None, validator=optional(check.text))
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=optional(check.instance_of(BusinessCalendar, "a BusinessCalendar"))
    )
    warn_before: timedelta = attrs.field(default=timedelta(0), validator=check.duration)
    side: Side = attrs.field(default=Side.SALES, validator=check.member_of(Side))

    def __attrs_post_init__(self) -> None:
        if (self.starts in _IN_A_STAGE) != (self.stage is not None):
            check.refuse(
                self,
                attrs.fields(ServiceLevel).stage,
                self.stage,
                "a stage exactly when the timer starts on entering one",
            )

    def due(self, started: datetime) -> datetime:
        """When a timer started at ``started`` runs out."""
        if self.calendar is None:
            return started + self.limit
        return self.calendar.add(started, self.limit)

    def open_timer(self, record: Record) -> datetime | None:
        """When this level's timer started on ``record``, if it is running now.

        No timer runs for a person who asked not to be contacted.
        """
        started = self._started(record)
        if started is None:
            return None
        if self.ends is Ends.TOUCHED and record.touches and record.touches[-1].at > started:
            return None
        if self.ends is Ends.LEFT_STAGE and record.stage_since > started:
            return None  # started before the record entered the stage it is in
        key = self.key
        for breach in record.breaches:
            if breach.level == key and breach.started_at == started:
                return None  # breached and recorded already
        return started

    def _started(self, record: Record) -> datetime | None:
        """When the timer's start event last happened on ``record``, if it counts."""
        if record.consent.do_not_contact:
            return None
        if self.starts is Starts.ENTERED_STAGE:
            return record.stage_since if record.stage == self.stage else None
        if self.starts is Starts.HANDED_BACK:
            handed_back = record.stage == self.stage and record.screening is not None
            return record.stage_since if handed_back else None
        last = record.touches[-1] if record.touches else None
        return last.at if last is not None and last.outcome.answered else None
