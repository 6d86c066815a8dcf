"""Replaying a whole book at once: the events of many records, interleaved, into their records."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from leadlife._core.journal.events import LifecycleEvent
from leadlife._core.journal.events.fold_types import Refused
from leadlife._core.journal.history import FunnelRules, Replaying, is_funnel
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ReplayError
from leadlife._core.values.ids import RecordId


def replay_book(
    events: Iterable[LifecycleEvent],
    *,
    until: datetime | None = None,
    funnel: FunnelRules | None = None,
) -> dict[RecordId, Record]:
    """Rebuild every record of a book from one stream of their events.

    The stream may interleave records (a store's :meth:`~leadlife.store.EventStore.events`,
    a JSON Lines file of events, an import sorted by time): each record's own
    events must come in their order, as for :func:`~leadlife.replay`. Every
    record is exactly what :func:`~leadlife.replay` makes of its events, and
    every event is checked as a :class:`~leadlife.History` checks it; but no
    history is kept and only each record's latest state is held, so a book
    of millions of events replays in one pass, in the memory its records take.

    Args:
        events: The events of any number of records.
        until: Each record as it stood at this time (see :meth:`History.as_of`);
            a record created later is not in the result.
        funnel: Check every move against this funnel (see :class:`~leadlife.History`).

    Returns:
        The records by id, in the order their first events came.

    Raises:
        ReplayError: The first event that does not follow; its ``index`` counts
            in the whole stream, from 0.
        ValidationError: ``until`` is naive.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay_book
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> ada, bo = (
        ...     life.capture(
        ...         id=LeadId(name),
        ...         contact=Contact(name=name),
        ...         source=Source(channel="web"),
        ...         actor="ops",
        ...     )
        ...     for name in ("Ada", "Bo")
        ... )
        >>> _ = life.send(bo, "engage", actor="ops")
        >>> book = replay_book([*ada.events, *bo.events])
        >>> {str(key): record.stage for key, record in book.items()}
        {'Ada': 'suspect', 'Bo': 'lead'}
    """
    if until is not None:
        check.argument("replay_book", "until", until, check.aware_datetime)
    if funnel is not None and not is_funnel(funnel):
        raise ReplayError(index=0, event=None, problem=f"{funnel!r} is not a Funnel class")
    replays: dict[RecordId, Replaying] = {}
    # A record's events after ``until`` are not replayed, nor anything after them,
    # as replay(until=) stops at the first.
    done: set[RecordId] = set()
    # Streams often hold a record's events together: the last record's replay is
    # kept at hand, and a key compared by identity first (events of one history
    # often share their id object).
    key: RecordId | None = None
    replaying = Replaying(funnel)
    # Typed as objects: a stream read from elsewhere may hold anything.
    for index, event in enumerate(cast(Iterable[object], events)):
        if not isinstance(event, LifecycleEvent):
            problem = f"{event!r} is not a leadlife event"
            raise ReplayError(index=index, event=event, problem=problem)
        if until is not None and (event.record_id in done or event.at > until):
            done.add(event.record_id)
            continue
        if event.record_id is not key and event.record_id != key:
            key = event.record_id
            found = replays.get(key)
            if found is None:
                found = replays[key] = Replaying(funnel)
            replaying = found
        try:
            replaying.step(event)
        except Refused as refused:
            raise ReplayError(index=index, event=event, problem=str(refused)) from None
    # A record is in ``replays`` once its first event has replayed: it has a record.
    return {key: cast(Record, replaying.record) for key, replaying in replays.items()}
