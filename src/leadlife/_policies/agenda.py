"""The agenda: what is due across many records at one time.

A pure function of the records and a time; no threads, no timers, no I/O.
The embedding app calls it from its own scheduler, shows the actions, and
applies those it accepts through :meth:`Lifecycle.apply <leadlife.Lifecycle.apply>`.

It is meant for a whole book of leads at once, so the rules and service
levels are sorted by the stages they watch when the agenda is made: for each
record, only what can fire in its stage runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from operator import attrgetter

from leadlife._core.actions import ActionKind, DueAction, quick
from leadlife._core.errors import ValidationError
from leadlife._core.followup import Channel
from leadlife._core.records import Record
from leadlife._policies import cadence
from leadlife._policies.recycling import BUILT_IN_RULES, RecyclingRule
from leadlife._policies.sla import DEFAULT_LEVELS, ServiceLevel, Starts

_DUE = attrgetter("due_at")


class Agenda:
    """Rules, service levels and thresholds, ready to run over many records.

    Args:
        rules: The recycling rules (each watches some stages).
        levels: The service levels.
        max_recycles: Flag a record recycled this many times or more.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.agenda import Agenda
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="x",
        ... )
        >>> for event in ("engage", "mark_sales_ready"):
        ...     _ = life.send(lead, event, actor="x")
        >>> due = Agenda()([lead.record], at=datetime(2026, 3, 5, 9, tzinfo=UTC))
        >>> [(action.kind.value, action.source) for action in due]
        [('sla_breached', 'acceptance'), ('recycle', 'unaccepted_to_marketing')]
    """

    __slots__ = ("_answer_checks", "_checks_by_stage", "_max_recycles")

    def __init__(
        self,
        *,
        rules: Sequence[RecyclingRule] = BUILT_IN_RULES,
        levels: Sequence[ServiceLevel] = DEFAULT_LEVELS,
        max_recycles: int = 3,
    ) -> None:
        given: object = max_recycles
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            raise ValidationError(
                owner="Agenda", field="max_recycles", value=max_recycles, expected="an int >= 1"
            )
        by_stage: dict[str, list[RecyclingRule]] = {}
        for rule in rules:
            if not isinstance(rule, RecyclingRule):
                raise ValidationError(
                    owner="Agenda", field="rules", value=rule, expected="RecyclingRule objects"
                )
            for stage in rule.stages:
                by_stage.setdefault(stage, []).append(rule)
        checks: dict[str, list[Callable[[Record, datetime], DueAction | None]]] = {
            stage: list(found) for stage, found in by_stage.items()
        }
        answer_checks: list[Callable[[Record, datetime], DueAction | None]] = []
        for level in levels:
            if not isinstance(level, ServiceLevel):
                raise ValidationError(
                    owner="Agenda", field="levels", value=level, expected="ServiceLevel objects"
                )
            if level.starts is Starts.ANSWERED:
                answer_checks.append(_level_check(level))
            else:
                checks.setdefault(str(level.stage), []).append(_level_check(level))
        self._checks_by_stage = {stage: tuple(found) for stage, found in checks.items()}
        self._answer_checks = tuple(answer_checks)
        self._max_recycles = max_recycles

    def __call__(self, records: Iterable[Record], at: datetime) -> list[DueAction]:  # noqa: C901 - the hot loop is inlined on purpose
        """The actions due at ``at`` for ``records``, the longest overdue first.

        Nothing is ever due for a person who asked not to be contacted: no
        follow-up, no service level, no move.

        Raises:
            ValidationError: ``at`` is naive.
        """
        _check_at(at, "Agenda.__call__")
        due: list[DueAction] = []
        add = due.append
        checks_by_stage = self._checks_by_stage
        answer_checks = self._answer_checks
        max_recycles = self._max_recycles
        # The hot loop over a whole book: one pass, only what can fire per stage.
        for record in records:
            if record.consent.do_not_contact:
                continue  # nothing is due for someone who asked to be left alone
            checks = checks_by_stage.get(record.stage)
            if checks is not None:
                for check in checks:
                    action = check(record, at)
                    if action is not None:
                        add(action)
            if record.follow_up is not None:
                _follow_up(record, at, add)
            if answer_checks and record.touches and record.touches[-1].outcome.answered:
                for check in answer_checks:
                    action = check(record, at)
                    if action is not None:
                        add(action)
            if record.recycled >= max_recycles:
                add(_flag(record, max_recycles))
        due.sort(key=_DUE)
        return due


def _check_at(at: object, called: str) -> None:
    if not isinstance(at, datetime) or at.utcoffset() is None:
        raise ValidationError(
            owner=called, field="at", value=at, expected="a timezone-aware datetime"
        )


def _flag(record: Record, max_recycles: int) -> DueAction:
    return quick(
        kind=ActionKind.FLAG,
        record_id=record.id,
        due_at=record.stage_since,
        reason=f"recycled {record.recycled} times: is it worth another round?",
        source="max_recycles",
        facts={"recycled": record.recycled, "limit": max_recycles},
    )


def _follow_up(record: Record, at: datetime, add: Callable[[DueAction], None]) -> None:
    follow_up = record.follow_up
    assert follow_up is not None  # noqa: S101 - the caller checked
    touches = record.touches
    give_up = cadence.give_up_at(follow_up, touches)
    if give_up is not None and give_up <= at:
        add(
            quick(
                kind=ActionKind.STOP_CHASE,
                record_id=record.id,
                due_at=give_up,
                reason="no answer for too long: stop the chase, as the plan says",
                source="give_up_after",
                facts={"last_answer": cadence.last_answer_at(follow_up, touches).isoformat()},
            )
        )
        return
    next_touch = cadence.next_touch_at(follow_up, touches)
    if next_touch <= at:
        plan = follow_up.plan
        add(
            quick(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=next_touch,
                reason=_FOLLOW_UP_DUE[plan.channel],
                source="follow_up_plan",
                facts={"channel": plan.channel.value, "every_days": plan.every / _DAY},
            )
        )


def _level_check(level: ServiceLevel) -> Callable[[Record, datetime], DueAction | None]:
    """The agenda's check of one service level, with its arithmetic done once."""
    # Working time runs no faster than wall time, so a timer younger than its
    # limit (less the warning) cannot be due: no calendar arithmetic for it.
    earliest = level.limit - level.warn_before
    on_entry = level.starts is Starts.ENTERED_STAGE
    breached = f"service level {level.key} ({level.limit}) breached"
    warning = f"service level {level.key} ({level.limit}) about to be breached"

    def check(record: Record, at: datetime) -> DueAction | None:
        if on_entry and at < record.stage_since + earliest:
            return None
        started = level.open_timer(record)
        if started is None or at < started + earliest:
            return None
        deadline = level.due(started)
        if at >= deadline:
            kind, words = ActionKind.SLA_BREACHED, breached
        elif at >= deadline - level.warn_before:
            kind, words = ActionKind.SLA_WARNING, warning
        else:
            return None
        return quick(
            kind=kind,
            record_id=record.id,
            due_at=deadline,
            reason=words,
            source=level.key,
            started_at=started,
            facts={"started_at": started.isoformat(), "limit_hours": level.limit / _HOUR},
        )

    return check


_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_FOLLOW_UP_DUE = {channel: f"the agreed follow-up by {channel.value} is due" for channel in Channel}


def agenda(
    records: Iterable[Record],
    at: datetime,
    *,
    rules: Sequence[RecyclingRule] = BUILT_IN_RULES,
    levels: Sequence[ServiceLevel] = DEFAULT_LEVELS,
    max_recycles: int = 3,
) -> list[DueAction]:
    """The actions due at ``at`` for ``records``, the longest overdue first.

    A shortcut for ``Agenda(rules=..., levels=..., max_recycles=...)(records, at)``;
    make an :class:`~leadlife.agenda.Agenda` once to run it many times.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.agenda import agenda
        >>> agenda([], datetime(2026, 3, 2, tzinfo=UTC))
        []
    """
    _check_at(at, "agenda")
    return Agenda(rules=rules, levels=levels, max_recycles=max_recycles)(records, at)
