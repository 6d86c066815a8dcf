"""A book's service levels: what marketing owes sales over a period, not per lead.

The service-level agreement between marketing and sales binds marketing to the quality and the
flow of what it hands over: enough sales-ready leads each month, and leads
good enough that sales accepts most of them. Neither is a timer on one
record, so these levels are measured over the book, period by period
(:func:`book_compliance`), and a period that fell short is a
:class:`~leadlife.sla.BookLevelBreached`, the book's event
(:func:`book_breaches`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any

import attrs

from leadlife._core.journal.events import Created, LifecycleEvent, StageChanged
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.breach import BookLevelBreached, Side


class Period(StrEnum):
    """The periods a book's service level is measured over, in the level's time zone.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import Period
        >>> Period.MONTH.start(datetime(2026, 3, 17, 9, tzinfo=UTC), UTC)
        datetime.datetime(2026, 3, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """

    WEEK = "week"
    """Monday to Monday."""
    MONTH = "month"
    QUARTER = "quarter"

    def start(self, moment: datetime, zone: tzinfo) -> datetime:
        """The start of the period ``moment`` falls in, at midnight in ``zone``."""
        local = moment.astimezone(zone)
        if self is Period.WEEK:
            monday = local.date() - timedelta(days=local.weekday())
            return datetime(monday.year, monday.month, monday.day, tzinfo=zone)
        month = local.month if self is Period.MONTH else local.month - (local.month - 1) % 3
        return datetime(local.year, month, 1, tzinfo=zone)

    def after(self, start: datetime) -> datetime:
        """The start of the period after the one starting at ``start``."""
        if self is Period.WEEK:
            # Local midnight a week later, whatever daylight saving did meanwhile.
            day = start.date() + timedelta(days=7)
            return datetime(day.year, day.month, day.day, tzinfo=start.tzinfo)
        months = start.month - 1 + (1 if self is Period.MONTH else 3)
        return datetime(start.year + months // 12, months % 12 + 1, 1, tzinfo=start.tzinfo)


def _zone(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tzinfo):
        check.refuse(instance, attribute, value, "a tzinfo (UTC, ZoneInfo('Europe/Paris'), ...)")


def _some(instance: object, attribute: attrs.Attribute[frozenset[str]], value: object) -> None:
    if not value:
        check.refuse(instance, attribute, value, "at least one funnel event")


@attrs.frozen(kw_only=True)
class VolumeLevel:
    """At least ``at_least`` records enter ``stage`` in every period.

    A record counts when it enters the stage: created in it, or moved into it
    from another stage. A conversion (a lead qualified into a prospect) counts
    once, as the new record's creation.

    Args:
        key: A stable key (``"mql_volume"``).
        stage: The stage whose entries are counted (``"sales_ready"``: MQLs).
        at_least: The fewest entries a period may have.
        period: The period measured.
        zone: The time zone the periods start in.
        side: Who owes it; marketing, by default.

    Example:
        >>> from leadlife.sla import Period, VolumeLevel
        >>> VolumeLevel(
        ...     key="mql_volume", stage="sales_ready", at_least=40, period=Period.MONTH
        ... ).side
        <Side.MARKETING: 'marketing'>
    """

    key: str = attrs.field(validator=check.key)
    stage: str = attrs.field(validator=check.text)
    at_least: int = attrs.field(validator=check.whole_number(1, "a whole number of 1 or more"))
    period: Period = attrs.field(validator=check.member_of(Period))
    zone: tzinfo = attrs.field(default=UTC, validator=_zone)
    side: Side = attrs.field(default=Side.MARKETING, validator=check.member_of(Side))

    @property
    def required(self) -> float:
        """The minimum, as :class:`BookPeriod` states it."""
        return float(self.at_least)


@attrs.frozen(kw_only=True)
class AcceptanceLevel:
    """Sales accepts at least ``at_least`` of the hand-offs it decides on in each period.

    The agreement's "lead quality": marketing forwards leads sales takes. A
    hand-off is decided when the record leaves ``stage``; it was accepted
    when the move was one of ``accepted_by``, and refused otherwise (a
    rejection with a reason, a recycle because nobody took it in time, a
    disqualification). Decisions count in the period they were made, so a
    closed period's share never changes afterwards.

    Args:
        key: A stable key (``"mql_acceptance"``).
        stage: The hand-off stage (``"sales_ready"``).
        accepted_by: The funnel events that accept a hand-off (``{"accept"}``).
        at_least: The smallest share accepted, between 0 and 1.
        period: The period measured.
        zone: The time zone the periods start in.
        side: Who owes it; marketing, by default.

    Example:
        >>> from leadlife.sla import AcceptanceLevel, Period
        >>> AcceptanceLevel(
        ...     key="mql_acceptance",
        ...     stage="sales_ready",
        ...     accepted_by={"accept"},
        ...     at_least=0.7,
        ...     period=Period.MONTH,
        ... ).accepted_by
        frozenset({'accept'})
    """

    key: str = attrs.field(validator=check.key)
    stage: str = attrs.field(validator=check.text)
    accepted_by: frozenset[str] = attrs.field(
        converter=check.to_text_set, validator=[check.converted, _some]
    )
    at_least: float = attrs.field(validator=check.probability)
    period: Period = attrs.field(validator=check.member_of(Period))
    zone: tzinfo = attrs.field(default=UTC, validator=_zone)
    side: Side = attrs.field(default=Side.MARKETING, validator=check.member_of(Side))

    @property
    def required(self) -> float:
        """The minimum, as :class:`BookPeriod` states it."""
        return float(self.at_least)


BookLevel = VolumeLevel | AcceptanceLevel
"""A book's service level: a volume or an acceptance share per period."""


@attrs.frozen(kw_only=True)
class BookPeriod:
    """How one book level went over one period.

    Attributes:
        level: The level's key.
        side: Who owes it.
        start: When the period began (inclusive).
        end: When it ends (exclusive).
        count: Entries into the stage (a volume), or hand-offs accepted (a share).
        out_of: Hand-offs decided, for a share; ``None`` for a volume.
        required: The level's minimum (a count, or a share).
        closed: The period has ended, so its figures are final.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import BookPeriod, Side
        >>> period = BookPeriod(
        ...     level="mql_volume",
        ...     side=Side.MARKETING,
        ...     start=datetime(2026, 3, 1, tzinfo=UTC),
        ...     end=datetime(2026, 4, 1, tzinfo=UTC),
        ...     count=35,
        ...     out_of=None,
        ...     required=40.0,
        ...     closed=True,
        ... )
        >>> period.met
        False
    """

    level: str
    side: Side
    start: datetime
    end: datetime
    count: int
    out_of: int | None
    required: float
    closed: bool

    @property
    def measured(self) -> float | None:
        """The count for a volume, the accepted share for a share (``None`` before any decision)."""
        if self.out_of is None:
            return float(self.count)
        return self.count / self.out_of if self.out_of else None

    @property
    def met(self) -> bool | None:
        """Whether the level was met; ``None`` while the period runs or nothing was decided.

        A volume already reached is met before its period ends: nothing can
        take entries back.
        """
        measured = self.measured
        if measured is None:
            return None
        if measured >= self.required:
            return True if self.out_of is None or self.closed else None
        return False if self.closed else None


def book_compliance(
    histories: Iterable[Sequence[LifecycleEvent]],
    levels: Sequence[BookLevel],
    *,
    since: datetime,
    at: datetime,
) -> list[BookPeriod]:
    """How every book level went in every period from ``since`` to ``at``, from the histories.

    Every period of each level that overlaps ``since`` to ``at`` is reported,
    empty ones too (a month without a single sales-ready lead is the first
    thing a volume level is for); the period holding ``at`` is open and its
    figures count only what happened before ``at``.

    Args:
        histories: The book's histories (or lists of events), read once.
        levels: The book's levels.
        since: The first moment measured; its period is reported whole.
        at: Now.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import Period, VolumeLevel, book_compliance
        >>> level = VolumeLevel(key="mqls", stage="sales_ready", at_least=1, period=Period.MONTH)
        >>> [
        ...     (p.start.month, p.count, p.met)
        ...     for p in book_compliance(
        ...         [],
        ...         [level],
        ...         since=datetime(2026, 1, 5, tzinfo=UTC),
        ...         at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     )
        ... ]
        [(1, 0, False), (2, 0, False), (3, 0, None)]
    """
    check.argument("book_compliance", "since", since, check.aware_datetime)
    check.argument("book_compliance", "at", at, check.aware_datetime)
    if at < since:
        raise ValidationError(
            owner="book_compliance",
            field="at",
            value=at,
            expected=f"a time at or after since ({since.isoformat()})",
        )
    starts = [_period_starts(level, since, at) for level in levels]
    counts = [[[0, 0] for _ in periods] for periods in starts]
    for events in histories:
        for event in events:
            if not since <= event.at < at or not isinstance(event, Created | StageChanged):
                continue
            for level, periods, tally in zip(levels, starts, counts, strict=True):
                counted = _counts(level, event)
                if counted is not None:
                    index = _index(periods, event.at)
                    tally[index][0] += counted
                    tally[index][1] += 1
    return [
        BookPeriod(
            level=level.key,
            side=level.side,
            start=start,
            end=level.period.after(start),
            count=count,
            out_of=decided if isinstance(level, AcceptanceLevel) else None,
            required=level.required,
            closed=level.period.after(start) <= at,
        )
        for level, periods, tally in zip(levels, starts, counts, strict=True)
        for start, (count, decided) in zip(periods, tally, strict=True)
    ]


def book_breaches(
    histories: Iterable[Sequence[LifecycleEvent]],
    levels: Sequence[BookLevel],
    *,
    since: datetime,
    at: datetime,
    recorded: Iterable[BookLevelBreached] = (),
) -> list[BookLevelBreached]:
    """The book's breaches: every closed period that fell short, not yet ``recorded``.

    Run it as often as you like (a nightly job, say) and append what it
    returns to your ledger: given the breaches already recorded, it returns
    only new ones, and the same histories always give the same breaches.

    Args:
        histories: The book's histories (or lists of events).
        levels: The book's levels.
        since: The first moment measured.
        at: Now: only periods ended by then can be breached.
        recorded: Breaches already in your ledger.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.sla import Period, VolumeLevel, book_breaches
        >>> level = VolumeLevel(key="mqls", stage="sales_ready", at_least=1, period=Period.MONTH)
        >>> [
        ...     b.period_start.month
        ...     for b in book_breaches(
        ...         [],
        ...         [level],
        ...         since=datetime(2026, 1, 5, tzinfo=UTC),
        ...         at=datetime(2026, 3, 2, tzinfo=UTC),
        ...     )
        ... ]
        [1, 2]
    """
    seen = {(breach.level, breach.period_start) for breach in recorded}
    return [
        BookLevelBreached(
            level=period.level,
            side=period.side,
            period_start=period.start,
            period_end=period.end,
            count=period.count,
            out_of=period.out_of,
            required=period.required,
        )
        for period in book_compliance(histories, levels, since=since, at=at)
        if period.met is False and (period.level, period.start) not in seen
    ]


def _period_starts(level: BookLevel, since: datetime, at: datetime) -> list[datetime]:
    starts = [level.period.start(since, level.zone)]
    while level.period.after(starts[-1]) < at:
        starts.append(level.period.after(starts[-1]))
    return starts


def _index(starts: list[datetime], moment: datetime) -> int:
    """The period ``moment`` falls in (``starts`` is short: a few dozen periods at most)."""
    index = len(starts) - 1
    while starts[index] > moment:
        index -= 1
    return index


def _counts(level: BookLevel, event: Created | StageChanged) -> int | None:
    """What ``event`` adds to ``level``'s count: ``None`` if it is not counted at all.

    A volume counts entries (1); a share counts decisions, 1 when accepted
    and 0 when not.
    """
    if isinstance(level, VolumeLevel):
        if isinstance(event, Created):
            return 1 if event.record.stage == level.stage else None
        entered = event.to_stage == level.stage != event.from_stage
        # A conversion is counted as the new record's creation.
        return 1 if entered and event.converted_to is None else None
    if isinstance(event, StageChanged) and event.from_stage == level.stage != event.to_stage:
        return 1 if event.event in level.accepted_by else 0
    return None
