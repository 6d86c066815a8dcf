"""The agenda: what is due across many records at one time.

A pure function of the records and a time; no threads, no timers, no I/O.
The embedding app calls it from its own scheduler, shows the actions, and
applies those it accepts through :meth:`Lifecycle.apply <leadlife.Lifecycle.apply>`.

It is meant for a whole book of leads at once, so the rules and service
levels are sorted by the stages they watch when the agenda is made: for each
record, only what can fire in its stage runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple, overload

from leadlife._core import validation as check
from leadlife._core.actions import ActionKind, DueAction, quick
from leadlife._core.assessment import Outcome
from leadlife._core.commitment import CommitmentKind
from leadlife._core.committee import find
from leadlife._core.contact import DecisionRole
from leadlife._core.errors import ValidationError
from leadlife._core.followup import Channel
from leadlife._core.history import History
from leadlife._core.ids import RecordId, RecordKind
from leadlife._core.json import JsonValue
from leadlife._core.objection import ObjectionKind
from leadlife._core.records import Record
from leadlife._funnel.base import Funnel
from leadlife._funnel.table import FunnelTable, table
from leadlife._policies import cadence
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.hand_offs import HandOffs
from leadlife._policies.recycling import RecyclingRule
from leadlife._policies.registry import Registry, default_registry
from leadlife._policies.routing.owners import Workload
from leadlife._policies.routing.policies import RoutingPolicy
from leadlife._policies.routing.reassign import Reassigning
from leadlife._policies.sla import ServiceLevel, Starts

_DUE = attrgetter("due_at")
_DEAL = RecordKind.OPPORTUNITY
_LEAD = RecordKind.LEAD


class Due(NamedTuple):
    """An action due for a record, with the history it is for.

    What an agenda run over histories gives, so applying it needs no lookup:
    ``for history, action in agenda(histories, at): life.apply(history, action, ...)``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source
        >>> from leadlife.agenda import agenda
        >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
        >>> lead = life.capture(
        ...     id=LeadId("L-1"),
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     actor="x",
        ... )
        >>> for event in ("engage", "mark_sales_ready"):
        ...     _ = life.send(lead, event, actor="x")
        >>> for history, action in agenda([lead], datetime(2026, 3, 5, 9, tzinfo=UTC)):
        ...     if action.kind.applicable:
        ...         _ = life.apply(history, action, actor="agenda")
        >>> lead.record.stage
        'nurture'
    """

    history: History[Any]
    action: DueAction


class Agenda:
    """A funnel's rules, service levels and thresholds, ready to run over a book.

    Args:
        funnel: The funnel the records move through; the rules and levels it
            declares run unless others are given. :class:`~leadlife.DefaultFunnel`
            unless given.
        rules: The recycling rules (each watches some stages); unless given,
            the funnel's own, and the rules plugins add (installed by entry
            point or registered on ``registry``) that fit the funnel: those
            that watch stages it has and propose moves it allows. The others
            are listed in :attr:`skipped`.
        levels: The service levels; the funnel's unless given.
        max_recycles: Flag a record recycled this many times or more.
        answer_objections_within: Flag an open deal with an objection nobody
            has answered for this long ("objection raised 10 days ago, no
            answer recorded").
        decision_maker_within: Flag a prospect or an open deal touched this
            many times without reaching anyone who decides (the record's
            contact or a committee member with the decision-maker role).
        next_step_within: Flag a meeting with no next step agreed this long after it.
        silent_after: Flag a record in an open stage that was touched before
            but not for this long, with no plan in force and no screening: a
            lead gone silent on our side.
        registry: Where plugin rules are found; the default registry unless
            given (``Registry(autoload=False)`` or ``LEADLIFE_NO_PLUGINS``
            leaves installed plugins out).
        routing: Reassign a lead whose ``reassign_on`` level was breached,
            by this routing policy (see :mod:`leadlife.routing`): never to
            the owner who let it wait, within every owner's limits given the
            workload the book shows; when nobody can take it, a flag says why.
        reassign_on: The service levels whose breach moves a lead on.

    Attributes:
        rules: The recycling rules this agenda runs, the funnel's first.
        skipped: The plugin rules left out, each with why: they do not fit
            the funnel.

    Every rule and level is checked against the funnel when the agenda is
    made: a rule that watches a stage the funnel does not have, or proposes an
    event the funnel does not allow from it, is refused, never silently idle.

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

    __slots__ = (
        "_answer_checks",
        "_answer_objections_within",
        "_checks_by_stage",
        "_closed",
        "_decision_maker_within",
        "_funnel",
        "_hand_offs",
        "_max_recycles",
        "_next_step_within",
        "_parked",
        "_reassigning",
        "_silent_after",
        "rules",
        "skipped",
    )

    def __init__(
        self,
        funnel: type[Funnel] = DefaultFunnel,
        *,
        rules: Sequence[RecyclingRule] | None = None,
        levels: Sequence[ServiceLevel] | None = None,
        max_recycles: int = 3,
        answer_objections_within: timedelta = timedelta(days=7),
        decision_maker_within: int = 3,
        next_step_within: timedelta = timedelta(days=1),
        silent_after: timedelta = timedelta(days=30),
        registry: Registry | None = None,
        routing: RoutingPolicy | None = None,
        reassign_on: Sequence[str] = ("acceptance",),
    ) -> None:
        check.argument("Agenda", "funnel", funnel, _A_FUNNEL)
        check.argument("Agenda", "routing", routing, _A_POLICY)
        check.argument("Agenda", "max_recycles", max_recycles, _AT_LEAST_ONE)
        check.argument(
            "Agenda", "answer_objections_within", answer_objections_within, check.duration
        )
        check.argument("Agenda", "decision_maker_within", decision_maker_within, _AT_LEAST_ONE)
        check.argument("Agenda", "next_step_within", next_step_within, check.duration)
        check.argument("Agenda", "silent_after", silent_after, check.positive_duration)
        found = table(funnel)
        by_stage: dict[str, list[Callable[[Record, datetime], DueAction | None]]] = {}
        self.skipped: list[tuple[str, str]] = []
        if rules is None:
            rules = [*funnel.rules, *self._fitting(funnel, found, registry)]
        self.rules: tuple[RecyclingRule, ...] = tuple(rules)
        for rule in self.rules:
            _check_rule(funnel.__name__, found, rule)
            for stage in rule.stages:
                by_stage.setdefault(stage, []).append(rule)
        answer_checks: list[Callable[[Record, datetime], DueAction | None]] = []
        for level in funnel.levels if levels is None else levels:
            _check_level(funnel.__name__, found, level)
            if level.starts is Starts.ANSWERED:
                answer_checks.append(_level_check(level))
            else:
                by_stage.setdefault(str(level.stage), []).append(_level_check(level))
        self._checks_by_stage = {stage: tuple(found) for stage, found in by_stage.items()}
        self._answer_checks = tuple(answer_checks)
        self._max_recycles = max_recycles
        self._answer_objections_within = answer_objections_within
        self._decision_maker_within = decision_maker_within
        self._next_step_within = next_step_within
        self._silent_after = silent_after
        # A deal that is won, lost or otherwise out of the running owes no answer.
        self._closed = found.closed_stages
        # Nurtured records are kept warm by other means: not chased, not "silent".
        self._parked = self._closed | found.recycle_stages
        self._hand_offs = HandOffs.of(found)
        self._funnel = funnel
        known = {level.key for level in (funnel.levels if levels is None else levels)}
        self._reassigning = (
            None
            if routing is None
            else Reassigning(policy=routing, levels=_level_keys(reassign_on, known))
        )

    def _failures(self, record: Record, at: datetime, add: Callable[[DueAction], None]) -> None:
        """The named follow-up failures of a record in an open stage it has touched."""
        meeting = _last_meeting(record)
        if meeting is not None and meeting + self._next_step_within <= at:
            agreed = any(
                c.kind is CommitmentKind.NEXT_STEP and c.made_at >= meeting
                for c in record.commitments
            )
            if not agreed:
                add(
                    _failure(
                        record,
                        meeting + self._next_step_within,
                        f"no agreed next step after the meeting on {meeting:%Y-%m-%d}: "
                        "the sale is in their court with no date",
                        "no_next_step",
                        {"meeting": meeting.isoformat()},
                    )
                )
        assessment = record.assessment
        if (
            record.follow_up is not None
            and assessment is not None
            and assessment.outcome is Outcome.NOT_QUALIFIED
        ):
            add(
                _failure(
                    record,
                    max(record.follow_up.since, assessment.at),
                    f"chasing a lead that failed qualification ({assessment.framework} on "
                    f"{assessment.at:%Y-%m-%d}): it goes nowhere",
                    "chasing_unqualified",
                    {"framework": assessment.framework},
                )
            )
        last = record.touches[-1].at if record.touches else None
        if (
            last is not None
            and record.follow_up is None
            and record.screening is None
            and last + self._silent_after <= at
        ):
            add(
                _failure(
                    record,
                    last + self._silent_after,
                    f"gone silent on our side: last touch {(at - last).days} days ago, "
                    "no plan, no stop rule, no screening",
                    "gone_silent",
                    {"last_touch": last.isoformat()},
                )
            )

    def _fitting(
        self, funnel: type[Funnel], found: FunnelTable, registry: Registry | None
    ) -> list[RecyclingRule]:
        own = {rule.key for rule in funnel.rules}
        fitting = []
        for rule in (default_registry() if registry is None else registry).added_rules():
            if rule.key in own:
                continue
            try:
                _check_rule(funnel.__name__, found, rule)
            except ValidationError as error:
                self.skipped.append((rule.key, error.expected))
                continue
            fitting.append(rule)
        return fitting

    @overload
    def __call__(self, book: Iterable[History[Any]], at: datetime) -> list[Due]: ...
    @overload
    def __call__(self, book: Iterable[Record], at: datetime) -> list[DueAction]: ...
    def __call__(
        self, book: Iterable[Record] | Iterable[History[Any]], at: datetime
    ) -> list[DueAction] | list[Due]:
        """The actions due at ``at`` across ``book``, the longest overdue first.

        Give records and get :class:`DueAction` values; give histories and get
        :class:`Due` pairs of the history and its action, ready for
        :meth:`Lifecycle.apply <leadlife.Lifecycle.apply>`. Nothing is ever
        due for a person who asked not to be contacted: no follow-up, no
        service level, no move.

        Raises:
            ValidationError: ``at`` is naive, or ``book`` mixes records and
                histories.
        """
        _check_at(at, "Agenda.__call__")
        items = iter(book)
        first = next(items, None)
        if first is None:
            return []
        if not isinstance(first, History):
            return self._due(chain((first,), items), at)  # type: ignore[arg-type]
        histories: dict[RecordId, History[Any]] = {}
        due = self._due(_records_of(chain((first,), items), histories), at)
        return [Due(histories[action.record_id], action) for action in due]

    def _due(self, records: Iterable[Record], at: datetime) -> list[DueAction]:  # noqa: C901, PLR0912 - the hot loop is inlined on purpose
        reassigning = self._reassigning
        book: dict[RecordId, Record] = {}
        if reassigning is not None:
            # A reassignment weighs the whole book's workload: keep the records seen.
            book = {record.id: record for record in records}
            records = book.values()
        due: list[DueAction] = []
        add = due.append
        checks_by_stage = self._checks_by_stage
        answer_checks = self._answer_checks
        max_recycles = self._max_recycles
        closed, within = self._closed, self._answer_objections_within
        dm_within = self._decision_maker_within
        parked = self._parked
        # The hot loop over a whole book: one pass, only what can fire per stage.
        for record in records:
            if record.consent.do_not_contact:
                continue  # nothing is due for someone who asked to be left alone
            if record.converted_to is not None:
                continue  # its journey goes on in the record it became; this one takes no more
            if record.merged_into is not None:
                continue  # one person, one record: the survivor's agenda is theirs
            checks = checks_by_stage.get(record.stage)
            if checks is not None:
                for check_one in checks:
                    action = check_one(record, at)
                    if action is not None:
                        add(action)
            if record.follow_up is not None:
                _follow_up(record, at, add)
            if record.nurture is not None:
                _nurture(record, at, add)
            if answer_checks and record.touches and record.touches[-1].outcome.answered:
                for check_one in answer_checks:
                    action = check_one(record, at)
                    if action is not None:
                        add(action)
            if record.score is not None and record.score.model == self._hand_offs.model:
                self._hand_offs.propose(record, add)
            if record.recycled >= max_recycles:
                add(_flag(record, max_recycles))
            if record.commitments:
                _broken_commitments(record, at, add)
            if (record.touches or record.follow_up is not None) and record.stage not in parked:
                self._failures(record, at, add)
            if record.kind is not _LEAD and record.stage not in closed:
                if record.kind is _DEAL:
                    _unanswered_objections(record, at, within, add)
                if len(record.touches) >= dm_within:
                    _no_decision_maker(record, dm_within, add)
        if reassigning is not None:
            due.sort(key=_DUE)  # the longest waiting are reassigned first
            load = Workload.of(book.values(), funnel=self._funnel)
            due += reassigning.propose(due, book, load, at)
        due.sort(key=_DUE)
        return due


def _records_of(
    histories: Iterable[object], seen: dict[RecordId, History[Any]]
) -> Iterator[Record]:
    """The records of ``histories``, noting whose each is; records among them are refused."""
    for history in histories:
        if not isinstance(history, History):
            raise ValidationError(
                owner="Agenda.__call__",
                field="book",
                value=history,
                expected="records or histories, not both",
            )
        record = history.record
        if record.id in seen:
            raise ValidationError(
                owner="Agenda.__call__",
                field="book",
                value=record.id,
                expected="one history per record",
            )
        seen[record.id] = history
        yield record


_A_FUNNEL = check.subclass_of(Funnel, "a Funnel subclass")
_AT_LEAST_ONE = check.whole_number(1, "an int >= 1")


def _check_rule(funnel: str, found: FunnelTable, rule: object) -> None:
    if not isinstance(rule, RecyclingRule):
        raise ValidationError(
            owner="Agenda", field="rules", value=rule, expected="RecyclingRule objects"
        )
    event = getattr(rule, "event", None)
    for stage in sorted(rule.stages):
        if stage not in found.allowed:
            raise ValidationError(
                owner="Agenda",
                field="rules",
                value=rule.key,
                expected=f"rules that watch stages of funnel {funnel}; {rule.key!r} watches "
                f"{stage!r}, which it does not have (its stages: {', '.join(found.allowed)})",
            )
        if isinstance(event, str) and event not in found.allowed[stage]:
            raise ValidationError(
                owner="Agenda",
                field="rules",
                value=rule.key,
                expected=f"rules that propose moves funnel {funnel} allows; {rule.key!r} "
                f"proposes {event!r} from {stage!r}, which allows "
                f"{', '.join(found.allowed[stage]) or 'nothing'}",
            )


def _check_level(funnel: str, found: FunnelTable, level: object) -> None:
    if not isinstance(level, ServiceLevel):
        raise ValidationError(
            owner="Agenda", field="levels", value=level, expected="ServiceLevel objects"
        )
    if level.stage is not None and level.stage not in found.allowed:
        raise ValidationError(
            owner="Agenda",
            field="levels",
            value=level.key,
            expected=f"levels about stages of funnel {funnel}; {level.key!r} is about "
            f"{level.stage!r}, which it does not have",
        )


def _check_at(at: object, called: str) -> None:
    check.argument(called, "at", at, check.aware_datetime)


def _flag(record: Record, max_recycles: int) -> DueAction:
    return quick(
        kind=ActionKind.FLAG,
        record_id=record.id,
        due_at=record.stage_since,
        reason=f"recycled {record.recycled} times: is it worth another round?",
        source="max_recycles",
        facts={"recycled": record.recycled, "limit": max_recycles},
    )


def _nurture(record: Record, at: datetime, add: Callable[[DueAction], None]) -> None:
    nurture = record.nurture
    assert nurture is not None  # noqa: S101 - the caller checked
    due = cadence.next_nurture_at(nurture, record.touches)
    if due <= at:
        programme = nurture.programme
        gentle = sorted(channel.value for channel in programme.channels)
        add(
            quick(
                kind=ActionKind.FOLLOW_UP,
                record_id=record.id,
                due_at=due,
                reason=f"keep them warm: {' or '.join(gentle)} ({programme.name})",
                source="nurture_programme",
                facts={"programme": programme.key, "channels": tuple(gentle)},
            )
        )


def _unanswered_objections(
    deal: Any, at: datetime, within: timedelta, add: Callable[[DueAction], None]
) -> None:
    for index, objection in enumerate(deal.objections):
        if not objection.open or objection.responses:
            continue
        due_at = objection.raised_at + within
        if due_at <= at:
            days = (at - objection.raised_at).days
            add(
                quick(
                    kind=ActionKind.FLAG,
                    record_id=deal.id,
                    due_at=due_at,
                    reason=f"objection raised {days} days ago ({_said(objection.kind)}), "
                    "no answer recorded",
                    source="unanswered_objection",
                    facts={
                        "objection": index,
                        "kind": objection.kind.value,
                        "raised_at": objection.raised_at.isoformat(),
                    },
                )
            )


def _last_meeting(record: Record) -> datetime | None:
    """When the record's last meeting took place (a touch by meeting that reached them)."""
    for touch in reversed(record.touches):
        if touch.channel is Channel.MEETING and touch.outcome.answered:
            return touch.at
    return None


def _failure(
    record: Record, due_at: datetime, reason: str, source: str, facts: dict[str, JsonValue]
) -> DueAction:
    return quick(
        kind=ActionKind.FLAG,
        record_id=record.id,
        due_at=due_at,
        reason=reason,
        source=source,
        facts=facts,
    )


def _broken_commitments(record: Record, at: datetime, add: Callable[[DueAction], None]) -> None:
    for index, commitment in enumerate(record.commitments):
        if not commitment.broken(at):
            continue
        due = f"{commitment.due_at:%Y-%m-%d}"
        if commitment.kind is CommitmentKind.PROMISE:
            reason = f"promised {commitment.what!r} by {due}, not kept"
            source = "broken_promise"
        else:
            reason = f"the agreed next step {commitment.what!r} was due {due}, not taken"
            source = "missed_next_step"
        add(
            _failure(
                record,
                commitment.due_at,
                reason,
                source,
                {"commitment": index, "by": commitment.by},
            )
        )


def _no_decision_maker(record: Record, within: int, add: Callable[[DueAction], None]) -> None:
    deciders = {member.key for member in record.committee if member.decides}
    contact_decides = record.contact.role is DecisionRole.DECISION_MAKER
    for touch in record.touches:
        if touch.outcome.answered and (
            touch.member in deciders if touch.member is not None else contact_decides
        ):
            return
    touches = record.touches
    reached = sorted({_whom(record, touch.member) for touch in touches if touch.outcome.answered})
    add(
        quick(
            kind=ActionKind.FLAG,
            record_id=record.id,
            due_at=touches[within - 1].at,
            reason=f"{len(touches)} touches and no contact with a decision maker"
            + (f" (reached: {', '.join(reached)})" if reached else ""),
            source="no_decision_maker",
            facts={"touches": len(touches), "reached": tuple(reached)},
        )
    )


def _whom(record: Record, member: str | None) -> str:
    if member is None:
        return f"{record.contact.name} ({record.contact.role.value})"
    found = find(record.committee, member)
    role = "no longer on the committee" if found is None else found.role.value
    return f"{member} ({role})"


def _said(kind: ObjectionKind) -> str:
    return kind.value.replace("_", " ")


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


@overload
def agenda(
    book: Iterable[History[Any]],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    max_recycles: int = 3,
) -> list[Due]: ...
@overload
def agenda(
    book: Iterable[Record],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    max_recycles: int = 3,
) -> list[DueAction]: ...
def agenda(
    book: Iterable[Record] | Iterable[History[Any]],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    max_recycles: int = 3,
) -> list[DueAction] | list[Due]:
    """The actions due at ``at`` across ``book`` (records or histories), the longest overdue first.

    A shortcut for ``Agenda(funnel, rules=..., levels=..., max_recycles=...)(book, at)``;
    make an :class:`Agenda` once to run it many times.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.agenda import agenda
        >>> agenda([], datetime(2026, 3, 2, tzinfo=UTC))
        []
    """
    _check_at(at, "agenda")
    made = Agenda(funnel, rules=rules, levels=levels, max_recycles=max_recycles)
    return made(book, at)


_A_POLICY = check.instance_of((RoutingPolicy, type(None)), "a routing policy or None")


def _level_keys(keys: Sequence[str], known: set[str]) -> frozenset[str]:
    """The levels a reassignment watches: some of the agenda's (another would never fire)."""
    chosen: object = keys
    if (
        isinstance(chosen, str)
        or not isinstance(chosen, Sequence)
        or not chosen
        or not set(chosen) <= known
    ):
        raise ValidationError(
            owner="Agenda",
            field="reassign_on",
            value=keys,
            expected=f"one or more of the agenda's service levels: {', '.join(sorted(known))}",
        )
    return frozenset(chosen)
