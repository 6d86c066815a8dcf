"""The agenda: what is due across many records at one time.

A pure function of the records and a time; no threads, no timers, no I/O.
The embedding app calls it from its own scheduler, shows the actions, and
applies those it accepts through :meth:`Lifecycle.apply`.

It is meant for a whole book of leads at once, so the rules and service
levels are sorted by the stages they watch when the agenda is made: for each
record, only what can fire in its stage runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from operator import attrgetter

from leadlife._agenda.actions import ActionKind, DueAction
from leadlife._errors import ValidationError
from leadlife._followup import cadence
from leadlife._records.records import Record
from leadlife._recycling.rules import BUILT_IN_RULES, RecyclingRule
from leadlife._sla.levels import DEFAULT_LEVELS, ServiceLevel, Starts

_DUE = attrgetter("due_at")


class Agenda:
    """Rules, service levels and thresholds, ready to run over many records.

    Args:
        rules: The recycling rules (each watches some stages).
        levels: The service levels.
        max_recycles: Flag a record recycled this many times or more.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Agenda, Contact, FixedClock, LeadId, Lifecycle, Source
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

    __slots__ = ("_answer_levels", "_levels_by_stage", "_max_recycles", "_rules_by_stage")

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
        self._rules_by_stage = {stage: tuple(found) for stage, found in by_stage.items()}
        levels_by_stage: dict[str, list[ServiceLevel]] = {}
        answer_levels: list[ServiceLevel] = []
        for level in levels:
            if not isinstance(level, ServiceLevel):
                raise ValidationError(
                    owner="Agenda", field="levels", value=level, expected="ServiceLevel objects"
                )
            if level.starts is Starts.ANSWERED:
                answer_levels.append(level)
            else:
                levels_by_stage.setdefault(str(level.stage), []).append(level)
        self._levels_by_stage = {stage: tuple(found) for stage, found in levels_by_stage.items()}
        self._answer_levels = tuple(answer_levels)
        self._max_recycles = max_recycles

    def __call__(self, records: Iterable[Record], at: datetime) -> list[DueAction]:
        """The actions due at ``at`` for ``records``, the longest overdue first.

        Raises:
            ValidationError: ``at`` is naive.
        """
        given: object = at
        if not isinstance(given, datetime) or given.utcoffset() is None:
            raise ValidationError(
                owner="Agenda", field="at", value=at, expected="a timezone-aware datetime"
            )
        due: list[DueAction] = []
        record_actions = self._record_actions
        add = due.append
        for record in records:
            record_actions(record, at, add)
        due.sort(key=_DUE)
        return due

    def _record_actions(
        self, record: Record, at: datetime, add: Callable[[DueAction], None]
    ) -> None:
        """Add what is due for one record: only what can fire in its stage runs."""
        stage = record.stage
        rules = self._rules_by_stage.get(stage)
        if rules is not None:
            for rule in rules:
                action = rule(record, at)
                if action is not None:
                    add(action)
        if record.follow_up is not None:
            _follow_up(record, at, add)
        levels = self._levels_by_stage.get(stage)
        if levels is not None:
            for level in levels:
                _service_level(level, record, at, add)
        if self._answer_levels and record.touches and record.touches[-1].outcome.answered:
            for level in self._answer_levels:
                _service_level(level, record, at, add)
        if record.recycled >= self._max_recycles:
            add(
                DueAction(
                    kind=ActionKind.FLAG,
                    record_id=record.id,
                    due_at=record.stage_since,
                    reason=f"recycled {record.recycled} times: is it worth another round?",
                    source="max_recycles",
                    facts={"recycled": record.recycled, "limit": self._max_recycles},
                )
            )


def _follow_up(record: Record, at: datetime, add: Callable[[DueAction], None]) -> None:
    follow_up = record.follow_up
    assert follow_up is not None  # noqa: S101 - the caller checked
    touches = record.touches
    give_up = cadence.give_up_at(follow_up, touches)
    if give_up is not None and give_up <= at:
        add(
            DueAction(
                kind=ActionKind.STOP_CHASE,
                record_id=record.id,
                due_at=give_up,
                reason=f"no answer for {follow_up.plan.give_up_after}: stop the chase",
                source="give_up_after",
                facts={"last_answer": cadence.last_answer_at(follow_up, touches).isoformat()},
            )
        )
        return
    next_touch = cadence.next_touch_at(follow_up, touches)
    if next_touch <= at:
        plan = follow_up.plan
        add(
            DueAction(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=next_touch,
                reason=f"the agreed {plan.channel.value} every {plan.every} is due",
                source="follow_up_plan",
                facts={"channel": plan.channel.value},
            )
        )


def _service_level(
    level: ServiceLevel, record: Record, at: datetime, add: Callable[[DueAction], None]
) -> None:
    started = level.open_clock(record)
    if started is None:
        return
    deadline = level.due(started)
    if at >= deadline:
        kind, words = ActionKind.SLA_BREACHED, "breached"
    elif at >= deadline - level.warn_before:
        kind, words = ActionKind.SLA_WARNING, "about to be breached"
    else:
        return
    add(
        DueAction(
            kind=kind,
            record_id=record.id,
            due_at=deadline,
            reason=f"service level {level.key} ({level.limit}) {words}",
            source=level.key,
            started_at=started,
            facts={"started_at": started.isoformat(), "limit_hours": level.limit / _HOUR},
        )
    )


_HOUR = timedelta(hours=1)


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
    make an :class:`Agenda` once to run it many times.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import agenda
        >>> agenda([], datetime(2026, 3, 2, tzinfo=UTC))
        []
    """
    return Agenda(rules=rules, levels=levels, max_recycles=max_recycles)(records, at)
