"""A record's history: its events, append-only, and the record they make."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial
from itertools import takewhile
from operator import attrgetter
from threading import Lock
from typing import Any, Generic, Protocol, TypeVar, cast, overload, runtime_checkable

from leadlife._core.journal.events import Created, LifecycleEvent, StageChanged
from leadlife._core.journal.events.fold_types import Refused
from leadlife._core.journal.fold import advance, apply
from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.support import display
from leadlife._core.support import validation as check
from leadlife._core.support.errors import HistoryError, ReplayError
from leadlife._core.support.log import Growing, Log
from leadlife._core.values.ids import RecordId, RecordKind

R = TypeVar("R", Lead, Prospect, Opportunity)
_AT = attrgetter("at")


def check_event(
    record: Record | None, last_at: datetime | None, event: object, funnel: FunnelRules | None
) -> None:
    """What a history asks of an event beyond the fold: its type, its time and the funnel.

    Raises:
        Refused: Why the event cannot come next.
    """
    if not isinstance(event, LifecycleEvent):
        raise Refused(f"{event!r} is not a leadlife event")
    if last_at is not None and event.at < last_at:
        raise Refused(f"it is dated {event.at}, before the last event ({last_at})")
    if funnel is None:
        return
    problem = None
    if isinstance(event, Created):
        created = event.record
        problem = funnel.refused_stage(created.kind, created.stage)
    elif isinstance(event, StageChanged) and record is not None:
        problem = funnel.refused_move(
            record.kind,
            event.from_stage,
            event.event,
            event.to_stage,
            converts=event.converted_to is not None,
        )
    if problem is not None:
        raise Refused(problem)


class Replaying:
    """One record's replay under way: the record its events have made so far.

    Only the last record is kept: the first event after the creation makes a
    new record with :func:`~leadlife._core.journal.fold.apply`, which nobody else
    holds, and the events after it change that one in place
    (:func:`~leadlife._core.journal.fold.advance` says why that is safe). So a step
    costs the fields its event changes, not a copy of the record. A
    :class:`History` replays through one; the bulk replay keeps one per record.
    """

    __slots__ = ("_ours", "funnel", "last_at", "record")

    def __init__(self, funnel: FunnelRules | None = None) -> None:
        # The funnel the next events are checked against (a store replays what it holds
        # unchecked, then checks what is appended against its own).
        self.funnel = funnel
        self._ours = False
        self.record: Record | None = None
        self.last_at: datetime | None = None

    def step(self, event: LifecycleEvent) -> None:
        """Apply ``event``; a refused one changes nothing.

        Raises:
            Refused: Why the event cannot come next.
        """
        record = self.record
        check_event(record, self.last_at, event, self.funnel)
        if self._ours:
            advance(record, event)  # type: ignore[arg-type]  # ours: there is a record
        else:
            self._ours = record is not None
            self.record = apply(record, event)
        self.last_at = event.at


@runtime_checkable
class FunnelRules(Protocol):
    """What a history asks of the funnel it is bound to (any :class:`~leadlife.Funnel` class).

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import FunnelRules
        >>> isinstance(DefaultFunnel, FunnelRules)
        True
    """

    def refused_stage(self, kind: RecordKind, stage: str) -> str | None:
        """Why a record of ``kind`` cannot stand in ``stage``."""
        ...

    def refused_move(
        self, kind: RecordKind, source: str, event: str, target: str, *, converts: bool
    ) -> str | None:
        """Why the funnel does not make this move."""
        ...


class History(display.ShownAsGrid, Sequence[LifecycleEvent], Generic[R]):
    """The events of one record, oldest first, and the record they make.

    A history starts with the record's creation event (:class:`~leadlife.events.LeadCaptured`,
    :class:`~leadlife.events.ProspectCreated` or :class:`~leadlife.events.OpportunityOpened`) and
    only grows:
    :meth:`append` checks that the event belongs to this record, is not dated
    before the last one, and follows from the record as it is; then it keeps
    the event and the changed record. There is no way to remove or reorder
    events.

    Building a history from events replays them; a bad event raises
    :class:`~leadlife.errors.ReplayError` naming its index.

    Usually a :class:`~leadlife.Lifecycle` makes and grows histories; build one
    yourself to load events from your own store.

    A history bound to a funnel (``funnel=``; a lifecycle binds the histories
    it makes to its own) also checks every move against it: a record created
    in a stage the funnel has (and that its kind may stand in), and every
    :class:`~leadlife.events.StageChanged` a move the funnel makes. So a history
    read back from storage is checked, not trusted: ``History(events,
    funnel=DefaultFunnel)``.

    Appending is atomic: threads that append to one history never lose an
    event, and each event is checked against the record as the one before it
    left it (a lock, cheap next to a move). Reading while another thread
    appends sees the history before or after that event, never between.
    Histories pickle and copy by their events, which replay on the other side.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, History, Lead, LeadId, Source
        >>> from leadlife.events import LeadCaptured, OwnerAssigned
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="suspect",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     created_at=at,
        ... )
        >>> history = History([LeadCaptured(record_id=lead.id, at=at, actor="import", lead=lead)])
        >>> history.append(OwnerAssigned(record_id=lead.id, at=at, actor="ops", owner="bob"))
        >>> history.record.owner, len(history)
        ('bob', 2)
    """

    __slots__ = ("_events", "_funnel", "_last_at", "_len", "_lock", "_record", "_view")

    _view: Growing[LifecycleEvent]

    _events: list[LifecycleEvent]
    _record: R
    _last_at: datetime

    def __init__(
        self, events: Iterable[LifecycleEvent], *, funnel: FunnelRules | None = None
    ) -> None:
        """Replay ``events`` into a history, bound to ``funnel`` when given.

        Raises:
            ReplayError: An event does not follow, or makes a move the funnel
                does not; ``index`` says which.
        """
        if funnel is not None and not is_funnel(funnel):
            raise ReplayError(index=0, event=None, problem=f"{funnel!r} is not a Funnel class")
        self._funnel = funnel
        self._events = []
        self._view = Growing(self._events)
        self._lock = Lock()
        replaying = Replaying(funnel)
        kept = self._events
        for index, event in enumerate(events):
            try:
                replaying.step(event)
            except Refused as refused:
                raise ReplayError(index=index, event=event, problem=str(refused)) from None
            kept.append(event)
        if replaying.record is None:
            raise ReplayError(index=0, event=None, problem="a history needs at least one event")
        # The events this history holds: the first _len of the list (see _draft).
        self._len = len(kept)
        self._record = cast(R, replaying.record)
        self._last_at = cast(datetime, replaying.last_at)  # set with the record

    def _fold(self, record: Record | None, event: LifecycleEvent) -> Record:
        check_event(record, self._last_at if record is not None else None, event, self._funnel)
        new = apply(record, event)
        if len(self._events) > self._len:
            self._view.truncate(self._len)  # staged by an operation that was not kept
        self._view.append(event)
        self._len += 1
        self._last_at = event.at
        return new

    def _draft(self) -> History[R]:
        """This history, to stage an operation's events on (see :class:`Staging`); O(1).

        The draft shares the list of events (and the lock): it appends after
        the events this history shows, which go on showing only their own
        number of them. Kept, the history takes the draft's length and
        record; dropped, its staged events are cut off at the next append.
        """
        draft: History[R] = object.__new__(type(self))
        draft._funnel = self._funnel
        draft._events = self._events
        draft._view = self._view
        draft._lock = self._lock
        draft._len = self._len
        draft._record = self._record
        draft._last_at = self._last_at
        return draft

    def _commit(self, draft: History[R], base: int, then: Callable[[], None]) -> None:
        """Put ``draft``'s events after ``base`` onto this history, with ``then`` done first.

        Under this history's lock: check that it is still ``base`` events
        long, run ``then`` (the other histories of the operation, chained the
        same way, so every lock is held and every check passed before anyone
        changes), and only then take the draft's events.

        Raises:
            HistoryError: This history grew while the operation ran.
        """
        with self._lock:
            if self._len != base or draft._events is not self._events:
                raise HistoryError(
                    event=self._record,
                    problem="another append came while the operation ran; nothing was kept",
                )
            then()
            # The draft's events are in the list already, after this history's own.
            self._len = draft._len
            self._record = draft._record
            self._last_at = draft._last_at

    def append(self, event: LifecycleEvent) -> None:
        """Append ``event`` and apply it to the record.

        Raises:
            HistoryError: The event belongs to another record, is dated before
                the last event, or does not follow from the record (for
                instance it leaves a stage the record is not in). The history
                is unchanged.
        """
        with self._lock:
            try:
                self._record = cast(R, self._fold(self._record, event))
            except Refused as refused:
                # Say where it would have gone: the index names it in the stored history.
                raise HistoryError(event=event, problem=str(refused), index=self._len) from None

    @property
    def record(self) -> R:
        """The record as the events have made it."""
        return self._record

    @property
    def funnel(self) -> FunnelRules | None:
        """The funnel the history checks moves against, if it is bound to one."""
        return self._funnel

    @property
    def record_id(self) -> RecordId:
        """The id of the record this history is of."""
        return self._record.id

    @property
    def events(self) -> Log[LifecycleEvent]:
        """The events, oldest first, as an immutable sequence (no copy is made).

        Events appended later do not show in it; ask again to see them.
        """
        return self._view(self._len)

    @property
    def last_at(self) -> datetime:
        """When the last event happened."""
        return self._last_at

    def as_of(self, at: datetime) -> R:
        """The record as it stood at ``at``: its events up to ``at`` (inclusive), replayed.

        Exact, like any replay: the record at a past time is what its events
        had made of it by then, whatever happened since.

        Raises:
            ValidationError: ``at`` is naive.
            HistoryError: The record did not exist yet at ``at``.

        Example:
            >>> from datetime import UTC, datetime, timedelta
            >>> from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock
            >>> clock = SteppingClock(
            ...     start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(days=1)
            ... )
            >>> life = Lifecycle(clock=clock)
            >>> history = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     source=Source(channel="web"),
            ...     actor="x",
            ... )
            >>> for event in ("engage", "mark_sales_ready"):
            ...     _ = life.send(history, event, actor="x")
            >>> history.as_of(datetime(2026, 3, 3, 12, tzinfo=UTC)).stage
            'lead'
        """
        check.argument("History.as_of", "at", at, check.aware_datetime)
        events = self._view(self._len)
        end = bisect_right(events, at, key=_AT)
        if end == 0:
            raise HistoryError(
                event=events[0],
                problem=f"{self.record_id} did not exist yet at {at}; it began at {events[0].at}",
            )
        then: History[R] = History(events[:end], funnel=self._funnel)
        return then.record

    @overload
    def __getitem__(self, index: int) -> LifecycleEvent: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[LifecycleEvent]: ...
    def __getitem__(self, index: int | slice) -> LifecycleEvent | Sequence[LifecycleEvent]:
        """Return the event at ``index``, or a tuple of events for a slice."""
        return self._view(self._len)[index]

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[LifecycleEvent]:
        # The events as they are now: later appends do not show in this pass.
        return iter(self._view(self._len))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return self.events == other.events

    __hash__ = None  # type: ignore[assignment]  # it grows, so it cannot be a dict key

    def __reduce__(self) -> tuple[Any, ...]:
        # A lock does not pickle; the events (and the funnel, a class) are the history.
        return (_rebuilt, (tuple(self.events), self._funnel))

    def __repr__(self) -> str:
        record = self._record
        return f"<History of {record.id!r}: {self._len} events, stage {record.stage!r}>"

    _SHOWN = 20
    """How many of the latest events a notebook shows."""

    def _grid(self) -> display.Grid:
        """The latest events, one line each: how a notebook shows the history."""
        events = self.events[-self._SHOWN :]
        first = self._len - len(events)
        rows = [
            (
                str(first + index),
                f"{event.at:%Y-%m-%d %H:%M}",
                type(event).__name__,
                _summary(event),
            )
            for index, event in enumerate(events)
        ]
        note = f"the first {first} events are not shown" if first else None
        return repr(self)[1:-1], _HEADER, rows, note


_HEADER = ("#", "at", "event", "what")


def _summary(event: LifecycleEvent) -> str:
    """One line on what ``event`` changed."""
    if isinstance(event, StageChanged):
        code = event.screening.reason if event.screening is not None else None
        why = f" ({code})" if code else ""
        return f"{event.event}: {event.from_stage} -> {event.to_stage}{why}"
    if isinstance(event, Created):
        return f"created at {event.record.stage}"
    return display.shorten(event.reason or "", 60) if event.reason else ""


class Staging:
    """One operation's drafts of its histories: :meth:`keep` keeps their events all, or none.

    The operation appends to :attr:`drafts` (checked as any append is);
    :meth:`keep` puts every draft's new events onto its history at once.
    Dropped (not kept), the histories are exactly as they were: no event of
    the operation, and nobody ever saw one. A history given twice gets one
    draft. A draft costs the same whatever its history's length (see
    :meth:`History._draft`).
    """

    __slots__ = ("_staged", "drafts")

    drafts: tuple[History[Any], ...]
    """The drafts, in the order of the histories given."""

    def __init__(self, histories: Sequence[History[Any]]) -> None:
        if len(histories) == 1:  # the common case, on every touch: no sorting
            (history,) = histories
            draft = history._draft()  # noqa: SLF001 - History's own, in its module
            self.drafts = (draft,)
            self._staged = [(history, draft, len(history))]
            return
        originals = {id(history): history for history in histories}
        # Staging is History's own business, done in History's module.
        staged = {
            key: (history, history._draft(), len(history))  # noqa: SLF001
            for key, history in originals.items()
        }
        self.drafts = tuple(staged[id(history)][1] for history in histories)
        self._staged = [staged[key] for key in sorted(staged)]  # one lock order: no deadlock

    def keep(self) -> None:
        """Put every draft's new events onto its history, all at once.

        Raises:
            HistoryError: A history grew while the operation ran (another
                thread appended to it): nothing is kept.
        """
        keep: Callable[[], None] = _nothing
        for history, draft, base in reversed(self._staged):
            keep = partial(history._commit, draft, base, keep)  # noqa: SLF001
        keep()


def _nothing() -> None:
    """The end of a chain of commits."""


def is_funnel(funnel: object) -> bool:
    # What isinstance(funnel, FunnelRules) says, without the protocol's
    # machinery: it cost a third of a short replay.
    return callable(getattr(funnel, "refused_stage", None)) and callable(
        getattr(funnel, "refused_move", None)
    )


def _rebuilt(events: tuple[LifecycleEvent, ...], funnel: FunnelRules | None) -> History[Any]:
    return History(events, funnel=funnel)


def replay(
    events: Iterable[LifecycleEvent],
    *,
    until: datetime | None = None,
    funnel: FunnelRules | None = None,
) -> Record:
    """Rebuild a record from its events; with ``until``, as it stood at that time.

    Args:
        events: The record's events, oldest first, starting with its creation
            event.
        until: Replay only the events up to this time (inclusive): the record
            as it stood then (see :meth:`History.as_of`).
        funnel: Check every move against this funnel (see :class:`History`).

    Returns:
        The record exactly as the events made it.

    Raises:
        ReplayError: The first event that does not follow, with its ``index``
            and the ``problem``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> history = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="ops",
        ... )
        >>> _ = life.send(history, "engage", actor="ops")
        >>> replay(history.events) == history.record
        True
    """
    if until is None:
        return History(events, funnel=funnel).record
    check.argument("replay", "until", until, check.aware_datetime)
    return History(takewhile(lambda event: event.at <= until, events), funnel=funnel).record
