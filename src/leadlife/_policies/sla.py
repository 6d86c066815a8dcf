"""Service levels: how long a hand-off or a follow-up may wait.

DOMAIN (seed 004): a service-level agreement governs the hand-off between
marketing and sales: sales follow up received leads in time, marketing gets
back what sales does not take. A level's timer starts on an event (a record
enters a stage, or the person answers a touch) and stops on another (the
record leaves the stage, or someone touches it); the limit counts working
hours when the level has a calendar.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum

import attrs

from leadlife._core import validation as check
from leadlife._core.calendar import BusinessCalendar
from leadlife._core.events import (
    ConsentRecorded,
    Created,
    LifecycleEvent,
    OwnerAssigned,
    StageChanged,
    Touched,
)
from leadlife._core.records import Record


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
    stage: str | None = attrs.field(default=None, validator=check.optional_text)
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=check.optional_instance_of(BusinessCalendar, "a BusinessCalendar")
    )
    warn_before: timedelta = attrs.field(default=timedelta(0), validator=check.duration)

    def __attrs_post_init__(self) -> None:
        if (self.starts is Starts.ENTERED_STAGE) != (self.stage is not None):
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
        if any(b.level == self.key and b.started_at == started for b in record.breaches):
            return None  # breached and recorded already
        return started

    def _started(self, record: Record) -> datetime | None:
        """When the timer's start event last happened on ``record``, if it counts."""
        if record.consent.do_not_contact:
            return None
        if self.starts is Starts.ENTERED_STAGE:
            return record.stage_since if record.stage == self.stage else None
        last = record.touches[-1] if record.touches else None
        return last.at if last is not None and last.outcome.answered else None


DEFAULT_LEVELS: tuple[ServiceLevel, ...] = (
    ServiceLevel(
        key="acceptance",
        starts=Starts.ENTERED_STAGE,
        stage="sales_ready",
        ends=Ends.LEFT_STAGE,
        limit=timedelta(hours=8),
        calendar=BusinessCalendar(),
        warn_before=timedelta(hours=2),
    ),
    ServiceLevel(
        key="first_touch",
        starts=Starts.ENTERED_STAGE,
        stage="accepted",
        ends=Ends.TOUCHED,
        limit=timedelta(hours=4),
        calendar=BusinessCalendar(),
        warn_before=timedelta(hours=1),
    ),
    ServiceLevel(
        key="reply",
        starts=Starts.ANSWERED,
        ends=Ends.TOUCHED,
        limit=timedelta(hours=8),
        calendar=BusinessCalendar(),
        warn_before=timedelta(hours=2),
    ),
)
"""Service levels for the default funnel: accept a sales-ready lead within a
working day, touch an accepted one within half a day, follow up an answer
within a working day (all in business hours, Monday to Friday, 9 to 5 UTC)."""


@attrs.frozen(kw_only=True)
class Compliance:
    """How one service level went, for one owner in one stage.

    Every timer counts once: met in time, breached, still running, or
    withdrawn (the person asked not to be contacted before it ran out; nobody
    owes them anything after that, so it is neither met nor breached).

    Example:
        >>> from leadlife.sla import Compliance
        >>> Compliance(level="acceptance", owner="sam", stage="sales_ready", met=9, breached=1).rate
        0.9
    """

    level: str
    owner: str | None
    stage: str
    met: int = 0
    breached: int = 0
    running: int = 0
    withdrawn: int = 0
    """Timers the person's do-not-contact request ended before their deadline."""

    @property
    def rate(self) -> float | None:
        """Met over decided (met + breached); ``None`` before anything was decided."""
        decided = self.met + self.breached
        return None if decided == 0 else self.met / decided


def compliance(
    histories: Iterable[Sequence[LifecycleEvent]],
    levels: Sequence[ServiceLevel] = DEFAULT_LEVELS,
    *,
    at: datetime,
) -> list[Compliance]:
    """How every service level went, per owner and per stage, from the histories.

    Each timer is replayed from the events: it started, then stopped in time
    (met), stopped late or ran out (breached), or is still running.

    Args:
        histories: The histories (or lists of events) to measure.
        levels: The service levels.
        at: Now: a timer still running past its limit counts as breached.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import compliance
        >>> compliance([], at=datetime(2026, 3, 2, tzinfo=UTC))
        []
    """
    tally: dict[tuple[str, str | None, str], list[int]] = {}
    for events in histories:
        for level, owner, stage, outcome in _timers(events, levels, at):
            counts = tally.setdefault((level, owner, stage), [0, 0, 0, 0])
            counts[outcome] += 1
    return [
        Compliance(
            level=level,
            owner=owner,
            stage=stage,
            met=c[_MET],
            breached=c[_BREACHED],
            running=c[_RUNNING],
            withdrawn=c[_WITHDRAWN],
        )
        for (level, owner, stage), c in sorted(tally.items(), key=lambda item: str(item[0]))
    ]


_MET, _BREACHED, _RUNNING, _WITHDRAWN = 0, 1, 2, 3
_Outcome = tuple[str, str | None, str, int]


class _Timers:
    """Replays one history's events, running each service level's timer."""

    def __init__(self, levels: Sequence[ServiceLevel]) -> None:
        self.levels = {level.key: level for level in levels}
        self.owner: str | None = None
        self.stage = ""
        self.running: dict[str, tuple[datetime, str | None, str]] = {}

    def start(self, starts: Starts, at: datetime) -> None:
        for key, level in self.levels.items():
            if level.starts is starts and (starts is Starts.ANSWERED or level.stage == self.stage):
                self.running[key] = (at, self.owner, self.stage)

    def stop(self, ends: Ends, at: datetime) -> Iterable[_Outcome]:
        """Stop the timers that ``ends`` stops; leaving a stage stops its own timers too.

        The agenda only watches a stage's timer while the record is in the
        stage, so a timer about a stage is judged when the record leaves it,
        whatever else would have stopped it.
        """
        for key in [key for key in self.running if self._stops(self.levels[key], ends)]:
            started, owner, stage = self.running.pop(key)
            late = at > self.levels[key].due(started)
            yield key, owner, stage, _BREACHED if late else _MET

    def withdraw(self, at: datetime) -> Iterable[_Outcome]:
        """The person asked not to be contacted: every timer ends."""
        for key, (started, owner, stage) in self.running.items():
            late = at > self.levels[key].due(started)
            yield key, owner, stage, _BREACHED if late else _WITHDRAWN
        self.running = {}

    @staticmethod
    def _stops(level: ServiceLevel, ends: Ends) -> bool:
        if level.ends is ends:
            return True
        return ends is Ends.LEFT_STAGE and level.starts is Starts.ENTERED_STAGE

    def replay(self, events: Sequence[LifecycleEvent], at: datetime) -> Iterable[_Outcome]:
        for event in events:
            if isinstance(event, Created):
                self.owner, self.stage = event.record.owner, event.record.stage
                self.start(Starts.ENTERED_STAGE, event.record.stage_since)
            elif isinstance(event, OwnerAssigned):
                self.owner = event.owner
            elif isinstance(event, ConsentRecorded) and event.consent.do_not_contact:
                yield from self.withdraw(event.at)
                return
            elif isinstance(event, StageChanged) and event.to_stage != event.from_stage:
                yield from self.stop(Ends.LEFT_STAGE, event.at)
                self.stage = event.to_stage
                self.start(Starts.ENTERED_STAGE, event.at)
            elif isinstance(event, Touched):
                yield from self.stop(Ends.TOUCHED, event.touch.at)
                if event.touch.outcome.answered:
                    self.start(Starts.ANSWERED, event.touch.at)
        for key, (started, owner, stage) in self.running.items():
            running = at < self.levels[key].due(started)
            yield key, owner, stage, _RUNNING if running else _BREACHED


def _timers(
    events: Sequence[LifecycleEvent], levels: Sequence[ServiceLevel], at: datetime
) -> Iterable[_Outcome]:
    """(level, owner, stage, outcome) for every timer the events ran."""
    return _Timers(levels).replay(events, at)
