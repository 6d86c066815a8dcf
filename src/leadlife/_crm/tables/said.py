"""What a table's rows say of one record: its facts, when it was created, the stages it reached.

A snapshot says it in one row (where the record stands now, and the dates
of the stages it reached); a change log in a row per change. Both come out
as a :class:`Said`: the stages in the reference funnel's words, each dated
as the table dates it, and the record's status now with its date, when the
table gives one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo

import attrs

from leadlife._crm.replay import RowRefused, cell, moment, needed, text
from leadlife._crm.tables.mapping import FACTS, TableMapping

Rows = Sequence[tuple[int, Mapping[str, str]]]
"""One record's rows, with their numbers."""

FREE_TEXT = frozenset(FACTS) - {"email", "phone", "amount", "currency", "close_date", "probability"}
"""Facts that are what a person typed (names, reasons): kept exactly, spaces and all."""


@attrs.frozen(kw_only=True)
class Said:
    """What the rows of one record say.

    Attributes:
        id: The record's id.
        numbers: Its rows' numbers.
        facts: Each fact the rows give (the latest row's, for a change log).
        custom: Each custom field the rows give.
        created: When the record was created.
        dated: Each stage the table dates, and when it was entered, in time order.
        current: The stage of its status now (``None``: the table has no status).
        since: When it entered that status, if the table says.
    """

    id: str
    numbers: tuple[int, ...]
    facts: Mapping[str, str]
    custom: Mapping[str, str]
    created: datetime
    dated: tuple[tuple[str, datetime], ...]
    current: str | None
    since: datetime | None

    @property
    def latest(self) -> datetime:
        """The latest time the rows give: creation or a dated stage."""
        return max([self.created, *(at for _, at in self.dated)])

    def fact(self, name: str) -> str | None:
        """A fact the rows give (``None``: they do not)."""
        return self.facts.get(name)


def said(mapping: TableMapping, ident: str, rows: Rows) -> Said:
    """What ``rows``, all of record ``ident``, say of it, read through ``mapping``.

    Raises:
        RowRefused: A status the mapping does not name, a time that is not a
            time, a creation or a change with no time.
    """
    zone = mapping.tz
    if mapping.shape == "snapshot":
        (_, row), *_ = rows
        created = needed(_time(row, mapping.created, zone), f"{mapping.created} (its creation)")
        dated = [
            (mapping.stage_of(stage), at)
            for column, stage in mapping.entered.items()
            if (at := _time(row, column, zone)) is not None
        ]
        value = cell(row, mapping.status) if mapping.status else None
        current = None if value is None else _stage(mapping, value)
        if mapping.status and value is None:
            raise RowRefused(f"the row has no {mapping.status} (its status)")
        since = _time(row, mapping.since, zone)
        ordered: Rows = rows
    else:
        ordered = sorted(rows, key=lambda numbered: _change_at(mapping, numbered[1], zone))
        dated = [
            (_stage(mapping, needed(cell(row, str(mapping.status)), str(mapping.status))), at)
            for _, row in ordered
            for at in (_change_at(mapping, row, zone),)
        ]
        given = [at for _, row in ordered if (at := _time(row, mapping.created, zone)) is not None]
        created = min([*given, dated[0][1]])
        current, since = dated[-1]
    dated.sort(key=lambda item: item[1])
    return Said(
        id=ident,
        numbers=tuple(number for number, _ in rows),
        facts=_latest(ordered, mapping.columns),
        custom=_latest(ordered, mapping.custom),
        created=created,
        dated=tuple(dated),
        current=current,
        since=since,
    )


def _latest(rows: Rows, columns: Mapping[str, str]) -> dict[str, str]:
    """Each fact's value in the latest row that gives it."""
    found: dict[str, str] = {}
    for _, row in rows:
        for fact, column in columns.items():
            value = text(row, column) if fact in FREE_TEXT else cell(row, column)
            if value is not None:
                found[fact] = value
    return found


def _stage(mapping: TableMapping, value: str) -> str:
    stage = mapping.stage(value)
    if stage is None:
        known = ", ".join(repr(known) for known in mapping.statuses) or "none"
        raise RowRefused(
            f"{mapping.status} {value!r} is not a status the mapping names (it names {known}): "
            "add it to the mapping's statuses"
        )
    return stage


def _time(row: Mapping[str, str], column: str | None, zone: tzinfo) -> datetime | None:
    if column is None:
        return None
    value = cell(row, column)
    try:
        return moment(value, zone)
    except ValueError:
        raise RowRefused(f"{column} {value!r} is not a time (such as 2026-03-02 09:15)") from None


def _change_at(mapping: TableMapping, row: Mapping[str, str], zone: tzinfo) -> datetime:
    return needed(_time(row, mapping.at, zone), f"{mapping.at} (the change's time)")


def day(value: str | None, zone: tzinfo, column: str) -> date | None:
    """A date column's value (``2017-03-01``, or a time, whose date in ``zone`` it is)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        found = moment(value, zone)
    except ValueError:
        raise RowRefused(f"{column} {value!r} is not a date (such as 2026-03-02)") from None
    return None if found is None else found.astimezone(zone).date()
