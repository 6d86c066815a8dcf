"""Compliance: how each service level went, replayed from the histories.

Each level's timer is replayed from the events (it started, then stopped in
time, stopped late, ran out, or was withdrawn), per owner and per stage, so
marketing and sales see the same numbers (see :doc:`/recycling`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import attrs

from leadlife._core.journal.events import (
    ConsentRecorded,
    Created,
    LifecycleEvent,
    OwnerAssigned,
    StageChanged,
    Touched,
)
from leadlife._policies.default_funnel import DEFAULT_LEVELS
from leadlife._policies.sla import Ends, ServiceLevel, Starts


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
        return ends is Ends.LEFT_STAGE and level.starts in (
            Starts.ENTERED_STAGE,
            Starts.HANDED_BACK,
        )

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
                if event.screening is not None:
                    self.start(Starts.HANDED_BACK, event.at)
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
