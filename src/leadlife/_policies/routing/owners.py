"""Who can take a lead, and how much each already has: owners and their workload.

An owner is someone leads are routed to: with a weight (their share of a
round robin), limits (open leads at once; leads given over a period, as Odoo
counts "per 30 days") and a working calendar (someone on holiday, or on a
day off, gets none). A workload is how much each owner has at a moment: it
is a value, so routing is a pure function of the record, the workload and
the time, and the same book routes the same way every time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.journal.events import OwnerAssigned
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._funnel.table import table
from leadlife._policies.default_funnel import DefaultFunnel

_AT_LEAST_ONE = check.whole_number(1, "a whole number, 1 or more")
_NONE_OR_MORE = check.whole_number(0, "a whole number, 0 or more")

KEPT = timedelta(days=366)
"""How long a workload remembers assignments: a period limit counts within at most a year."""


@attrs.frozen(kw_only=True)
class Owner:
    """Someone leads are routed to, with their share and their limits.

    Args:
        key: Who (a user id of the embedding app).
        weight: Their share of a round robin: an owner of weight 2 gets
            twice the leads of one of weight 1.
        max_open: The most open records they may hold at once (``None``: no
            limit).
        max_assigned: The most records they may be given within ``period``
            (``None``: no limit).
        period: The window ``max_assigned`` counts in (30 days unless told).
        calendar: Their working days and holidays: on a day off they get
            nothing (``None``: every day).

    Example:
        >>> from datetime import UTC, date, datetime
        >>> from leadlife.routing import Owner
        >>> from leadlife.sla import BusinessCalendar
        >>> kim = Owner(key="kim", calendar=BusinessCalendar(holidays=[date(2026, 8, 3)]))
        >>> kim.works_on(datetime(2026, 8, 3, 10, tzinfo=UTC))
        False
    """

    key: str = attrs.field(validator=check.text)
    weight: int = attrs.field(default=1, validator=_AT_LEAST_ONE)
    max_open: int | None = attrs.field(default=None, validator=optional(_NONE_OR_MORE))
    max_assigned: int | None = attrs.field(default=None, validator=optional(_NONE_OR_MORE))
    period: timedelta = attrs.field(default=timedelta(days=30), validator=check.positive_duration)
    calendar: BusinessCalendar | None = attrs.field(
        default=None, validator=optional(check.instance_of(BusinessCalendar, "a BusinessCalendar"))
    )

    def __attrs_post_init__(self) -> None:
        if self.period > KEPT:
            check.refuse(
                self,
                attrs.fields(Owner).period,
                self.period,
                f"a period of at most {KEPT.days} days",
            )

    def works_on(self, at: datetime) -> bool:
        """Whether ``at`` falls on one of their working days (in their calendar's zone)."""
        check.argument("Owner.works_on", "at", at, check.aware_datetime)
        return self.calendar is None or self.calendar.works_on(at)

    def refuses(self, workload: Workload, at: datetime) -> str | None:
        """Why they cannot take a lead at ``at``, or ``None`` if they can."""
        if self.key in workload.away:
            return "set aside"
        if not self.works_on(at):
            return "not working that day"
        if self.max_open is not None and workload.open_of(self.key) >= self.max_open:
            return f"at capacity ({self.max_open} open)"
        if self.max_assigned is not None:
            given = workload.assigned_since(self.key, at - self.period)
            if given >= self.max_assigned:
                return f"given {given} in {self.period.days} days, the most they take"
        return None


def _counts(value: Mapping[str, int]) -> Mapping[str, int]:
    given: object = value
    if not isinstance(given, Mapping) or not all(
        isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) and n >= 0
        for k, n in given.items()
    ):
        return check.refused(value, "a mapping of owner to a count, 0 or more")  # type: ignore[no-any-return]
    return MappingProxyType(dict(value))


def _times(value: Mapping[str, Iterable[datetime]]) -> Mapping[str, tuple[datetime, ...]]:
    given: object = value
    if not isinstance(given, Mapping):
        return check.refused(value, "a mapping of owner to assignment times")  # type: ignore[no-any-return]
    found: dict[str, tuple[datetime, ...]] = {}
    for owner, times in given.items():
        moments = tuple(times)
        if not isinstance(owner, str) or not all(check.is_aware(t) for t in moments):
            return check.refused(value, "a mapping of owner to timezone-aware times")  # type: ignore[no-any-return]
        found[owner] = tuple(sorted(moments))
    return MappingProxyType(found)


@attrs.frozen(kw_only=True)
class Workload:
    """How much each owner has at a moment: open records, and when they were given theirs.

    A value: :meth:`taking` returns the workload after one more assignment,
    so routing a stream of leads is a fold, and the same stream routes the
    same way every time.

    Args:
        open: Open records held, by owner.
        total: Every assignment each owner was given, ever: a round robin's shares.
        given: When each owner was given records lately (the last year at
            most): period limits count them.
        away: Owners set aside for now (a reassignment sets the owner who
            let the lead wait aside).

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.routing import Workload
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> after = Workload().taking("kim", at).taking("kim", at)
        >>> after.open_of("kim"), after.total_of("kim"), after.assigned_since("kim", at)
        (2, 2, 2)
    """

    open: Mapping[str, int] = attrs.field(
        factory=dict, converter=_counts, validator=check.converted
    )
    total: Mapping[str, int] = attrs.field(
        factory=dict, converter=_counts, validator=check.converted
    )
    given: Mapping[str, tuple[datetime, ...]] = attrs.field(
        factory=dict, converter=_times, validator=check.converted
    )
    away: frozenset[str] = attrs.field(
        default=frozenset(), converter=check.to_text_set, validator=check.converted
    )

    @classmethod
    def of(
        cls,
        book: Iterable[Record] | Iterable[History[Any]],
        *,
        funnel: type[Funnel] = DefaultFunnel,
    ) -> Workload:
        """The workload a book shows: records open per owner and, from histories, every assignment.

        A record is open while it is not converted, screened out, won or in
        a final stage of ``funnel``. Given histories, each
        :class:`~leadlife.events.OwnerAssigned` counts towards its owner's
        total and period; given records, only what they hold now is known.
        """
        closed = table(funnel).closed_stages
        open_: dict[str, int] = {}
        total: dict[str, int] = {}
        given: dict[str, list[datetime]] = {}
        for item in book:
            record = item.record if isinstance(item, History) else item
            if isinstance(item, History):
                for event in item.events:
                    if isinstance(event, OwnerAssigned) and event.owner is not None:
                        total[event.owner] = total.get(event.owner, 0) + 1
                        given.setdefault(event.owner, []).append(event.at)
            held = (
                record.owner is not None
                and record.converted_to is None
                and record.merged_into is None
            )
            if held and record.stage not in closed:
                assert record.owner is not None  # noqa: S101 - checked just above
                open_[record.owner] = open_.get(record.owner, 0) + 1
        return cls(open=open_, total=total, given=given)

    def open_of(self, owner: str) -> int:
        """How many open records ``owner`` holds."""
        return self.open.get(owner, 0)

    def total_of(self, owner: str) -> int:
        """How many records ``owner`` was ever given."""
        return self.total.get(owner, 0)

    def assigned_since(self, owner: str, since: datetime) -> int:
        """How many records ``owner`` was given at or after ``since``."""
        return sum(1 for at in self.given.get(owner, ()) if at >= since)

    def taking(self, owner: str, at: datetime) -> Workload:
        """The workload once ``owner`` is given one more record at ``at``."""
        check.argument("Workload.taking", "at", at, check.aware_datetime)
        recent = tuple(t for t in self.given.get(owner, ()) if t > at - KEPT)
        return Workload(
            open={**self.open, owner: self.open_of(owner) + 1},
            total={**self.total, owner: self.total_of(owner) + 1},
            given={**self.given, owner: (*recent, at)},
            away=self.away,
        )

    def releasing(self, owner: str) -> Workload:
        """The workload once one of ``owner``'s records is no longer open (closed, handed on)."""
        if self.open_of(owner) == 0:
            raise ValidationError(
                owner="Workload.releasing",
                field="owner",
                value=owner,
                expected="an owner who holds an open record",
            )
        return attrs.evolve(self, open={**self.open, owner: self.open_of(owner) - 1})

    def setting_aside(self, *owners: str) -> Workload:
        """The workload with ``owners`` given nothing more until put back."""
        return attrs.evolve(self, away=self.away | set(owners))
