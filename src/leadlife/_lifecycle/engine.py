"""The lifecycle's engine: a funnel and a clock, turning requests into events.

Records are frozen values; the funnel decides where a move leads and the
result becomes a ``StageChanged`` event appended to the record's history.
The record itself is never mutated: the history derives the next record from
the event. That keeps a single source of truth (the events) and makes replay
exact.

Moves are decided by the funnel's table (``_funnel/decider.py``): a
transition without guards by lookup, a guarded one by asking its guards as
python-statemachine asks them. python-statemachine writes the stage onto a
mutable model, so where its machine runs (to ask guards, or to run the
callbacks of a funnel that declares them) it runs on a small mutable cursor
loaded with the record's stage: one machine per lifecycle, built on first
need, instead of one per record.

Each capability of :class:`~leadlife.Lifecycle` (moves, screening,
follow-up, conversions, qualification, details, the agenda) is a module of
its own, built on this engine; a new capability lands as a new module.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, Concatenate, NamedTuple, ParamSpec, Protocol, TypeVar, cast

from attrs.validators import optional
from statemachine.exceptions import InvalidDefinition

from leadlife._core.journal.events import (
    Created,
    LeadCaptured,
    LifecycleEvent,
    OpportunityOpened,
    ProspectCreated,
)
from leadlife._core.journal.history import History, Staging
from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.support import validation as check
from leadlife._core.support.clock import Clock, SystemClock
from leadlife._core.support.errors import (
    ConversionError,
    FunnelDefinitionError,
    HistoryError,
    QualificationError,
    TransitionRefusedError,
    UnknownStageError,
    ValidationError,
)
from leadlife._core.support.json import EMPTY, JsonError, JsonMap
from leadlife._core.values.followup import PressureCap
from leadlife._core.values.ids import RecordKind
from leadlife._core.values.screening import Screening, Win
from leadlife._funnel.base import Funnel
from leadlife._funnel.decider import Choice, executor, plan
from leadlife._funnel.refusal import refused, unknown_event
from leadlife._funnel.spec import FunnelSpec, TransitionSpec
from leadlife._funnel.table import table
from leadlife._policies.cadence import DEFAULT_PRESSURE_CAP
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.framework import Framework

if TYPE_CHECKING:
    from leadlife._policies.registry import Registry

R = TypeVar("R", Lead, Prospect, Opportunity)
E = TypeVar("E", bound=LifecycleEvent)
S = TypeVar("S", bound="Capability")
T = TypeVar("T")
P = ParamSpec("P")

CREATED: dict[type[Record], type[Created]] = {
    Lead: LeadCaptured,
    Prospect: ProspectCreated,
    Opportunity: OpportunityOpened,
}
"""The event that starts the history of each kind of record."""


class _FromTheFunnel:
    """The default for ``framework=``: the one the funnel names, if it names one."""

    def __repr__(self) -> str:
        return "<the funnel's>"


FROM_THE_FUNNEL: Any = _FromTheFunnel()


class Request(NamedTuple):
    """What a caller asked for, with the time it was asked."""

    at: datetime
    actor: str
    reason: str | None
    review_on: date | None
    payload: JsonMap
    screening: Screening | None = None
    win: Win | None = None

    def arguments(self, record: Record) -> dict[str, Any]:
        """The keyword arguments the funnel's guards and callbacks may name.

        ``record``, ``at`` and ``actor`` always; ``reason``, ``review_on``
        and ``payload`` only when given, and ``assessment`` (the record's
        latest) when it has one: each keyword argument costs
        python-statemachine time on every callback it resolves.
        """
        arguments: dict[str, Any] = {"record": record, "at": self.at, "actor": self.actor}
        if record.assessment is not None:
            arguments["assessment"] = record.assessment
        if self.reason is not None:
            arguments["reason"] = self.reason
        if self.review_on is not None:
            arguments["review_on"] = self.review_on
        if self.payload:
            arguments["payload"] = self.payload
        if self.screening is not None:
            arguments["screening"] = self.screening
        if self.win is not None:
            arguments["win"] = self.win
        return arguments


class Cursor:
    """The mutable model the machine writes the stage on."""

    __slots__ = ("stage",)

    def __init__(self, stage: str) -> None:
        self.stage = stage


_A_FUNNEL = check.subclass_of(Funnel, "a Funnel subclass")
_A_CLOCK = optional(check.instance_of(Clock, "a Clock (has now())"))
_A_CAP = optional(check.instance_of(PressureCap, "a PressureCap or None"))
_A_HISTORY = check.instance_of(History, "a History")


def _framework(
    funnel: type[Funnel],
    framework: Framework | str | None,
    registry: Registry | None,
    kinds: Mapping[str, RecordKind],
) -> Framework | None:
    """The framework leads are assessed under: chosen, named by the funnel, or none."""
    if framework is FROM_THE_FUNNEL:
        framework = funnel.qualification
        if framework is None and RecordKind.PROSPECT in kinds.values():
            raise QualificationError(
                f"funnel {funnel.__name__} converts leads into prospects but names no "
                "qualification framework: pass framework='bant' (a key, or a Framework) to "
                "assess leads before they convert, or framework=None to convert them "
                "without an assessment"
            )
    if framework is None or isinstance(framework, Framework):
        return framework
    if isinstance(framework, str):
        # The registry (and the plugins it finds) is imported when a key is first looked up.
        from leadlife._policies.registry import default_registry  # noqa: PLC0415

        return (default_registry() if registry is None else registry).framework(framework)
    raise ValidationError(
        owner="Lifecycle",
        field="framework",
        value=framework,
        expected="a Framework, the key of one, or None",
    )


class Engine:
    """The state every capability of a lifecycle shares, and the steps they share.

    Each capability holds the engine (it does not inherit it): what a
    capability may touch is what this class offers. See
    :class:`~leadlife.Lifecycle` for the arguments.
    """

    __slots__ = (
        "_clock",
        "_cursor",
        "_events",
        "_framework",
        "_funnel",
        "_machine",
        "_machine_class",
        "_now_pinned",
        "_operations",
        "_plan",
        "cap",
        "on_table",
        "registry",
        "table",
    )

    def __init__(
        self,
        funnel: type[Funnel] = DefaultFunnel,
        *,
        clock: Clock | None = None,
        framework: Framework | str | None = FROM_THE_FUNNEL,
        registry: Registry | None = None,
        pressure_cap: PressureCap | None = DEFAULT_PRESSURE_CAP,
        trusted_guards: Collection[str] = (),
    ) -> None:
        check.argument("Lifecycle", "funnel", funnel, _A_FUNNEL)
        check.argument("Lifecycle", "clock", clock, _A_CLOCK)
        check.argument("Lifecycle", "pressure_cap", pressure_cap, _A_CAP)
        self._funnel = funnel
        trusted = _trusted(funnel, trusted_guards)
        self._machine_class = _trusting(funnel, trusted)
        self._clock: Clock = clock if clock is not None else SystemClock()
        # The funnel's stages and moves as lookup tables, read once per class.
        self.table = table(funnel)
        self.cap = pressure_cap
        # While an operation runs (see operation): how deep, and the one time its events share.
        self._operations = 0
        self._now_pinned: datetime | None = None
        self._cursor = Cursor(self.table.spec.initial.id)
        # How moves are decided, read once per class (a first machine resolves the guards,
        # so a funnel naming one it lacks fails here). The machine of this lifecycle is
        # built when a move first needs it: a guard to ask, or a callback to run.
        self._plan = plan(self._machine_class, self._new_machine, trusted)
        self._machine: Funnel | None = None
        self._events: dict[str, Any] = {}
        # Moves decided by the plan's table; False runs every move on the machine (the
        # reference the differential tests compare with).
        self.on_table = self._plan.machine_only is None
        self._framework = _framework(funnel, framework, registry, self.table.kinds)
        self.registry = registry  # the one keys are looked up in (None: the default one)

    def _new_machine(self) -> Funnel:
        try:
            return self._machine_class(model=self._cursor)
        except InvalidDefinition as error:
            # Guards named in the funnel are only resolved on an instance.
            raise FunnelDefinitionError(funnel=self._funnel.__name__, problem=str(error)) from error

    @property
    def funnel(self) -> type[Funnel]:
        """The funnel class records move through."""
        return self._funnel

    @property
    def clock(self) -> Clock:
        """The clock event times come from."""
        return self._clock

    @property
    def spec(self) -> FunnelSpec:
        """The funnel as data."""
        return self.table.spec

    @property
    def pressure_cap(self) -> PressureCap | None:
        """The contact-pressure cap for records without a plan of their own."""
        return self.cap

    @property
    def framework(self) -> Framework | None:
        """The qualification framework of the funnel, if it has one."""
        return self._framework

    def fire(self, record: Record, event: str, request: Request) -> str:
        """Move the record by ``event`` as the funnel says; return the stage it reaches.

        Raises:
            TransitionRefusedError: No transition's guards all hold.
        """
        if self.on_table:
            choices = self._plan.choices.get((record.stage, event))
            if choices is not None:
                return self._decide(record, event, request, choices)
        return self._run_machine(record, event, request)

    def _decide(
        self, record: Record, event: str, request: Request, choices: tuple[Choice, ...]
    ) -> str:
        """The table's decision: the first transition whose guards hold, asked as machines ask."""
        arguments: dict[str, Any] = {}
        machine: Funnel | None = None
        for choice in choices:
            if not choice.guarded:
                return choice.target
            if machine is None:
                machine = self._running()
                self._cursor.stage = record.stage
                arguments = request.arguments(record)
                arguments["machine"] = machine
                arguments["model"] = self._cursor
                arguments["event"] = self._events[event]
            arguments["transition"] = choice.transition
            arguments["state"] = arguments["source"] = choice.source
            arguments["target"] = choice.into
            if executor(machine, choice.transition).all(**arguments):
                return choice.target
        raise refused(
            self._running(), record.stage, event, request.arguments(record), record_id=record.id
        )

    def _running(self) -> Funnel:
        """This lifecycle's machine: built on first need, and never one stopped in a final stage."""
        machine = self._machine
        if machine is None or machine.is_terminated:
            # python-statemachine stops an engine that entered a final stage;
            # this lifecycle's next record needs a running one.
            machine = self._machine = self._new_machine()
            self._events = {str(bound): bound for bound in machine.events}
        return machine

    def _run_machine(self, record: Record, event: str, request: Request) -> str:
        """The machine's decision: it runs the guards and every callback the funnel declares."""
        machine = self._running()
        self._cursor.stage = record.stage
        arguments = request.arguments(record)
        try:
            machine.send(event, **arguments)
        except TransitionRefusedError as error:
            # The funnel said why; this lifecycle knows whose record it is.
            raise TransitionRefusedError(
                record_id=record.id,
                stage=record.stage,
                event=event,
                allowed=error.allowed,
                failed_guards=error.failed_guards,
                reasons=error.reasons,
            ) from None
        return self._cursor.stage

    def allowed_events(self, record: Record) -> tuple[str, ...]:
        """The events the funnel allows from the record's stage (guards not run).

        Raises:
            UnknownStageError: The record's stage is not a stage of the funnel.
        """
        self.check_stage(record)
        return self.table.allowed[record.stage]

    def moves_from(self, record: Record, event: str) -> tuple[TransitionSpec, ...]:
        if record.converted_to is not None:
            raise ConversionError(
                record_id=record.id,
                stage=record.stage,
                problem=f"it was converted to {record.converted_to}; send events to that record",
            )
        self.check_stage(record)
        moves = self.table.moves.get((record.stage, event))
        if moves is None:
            if event not in self.table.spec.events:
                raise unknown_event(self._funnel, event, record.stage)
            raise TransitionRefusedError(
                record_id=record.id,
                stage=record.stage,
                event=event,
                allowed=self.table.allowed[record.stage],
            )
        return moves

    def check_stage(self, record: Record) -> None:
        if record.stage not in self.table.allowed:
            raise UnknownStageError(
                stage=record.stage,
                funnel=self._funnel.__name__,
                stages=[stage.id for stage in self.table.spec.stages],
            )

    def request(
        self,
        history: History[Any],
        actor: str,
        reason: str | None,
        review_on: date | None,
        payload: Mapping[str, Any] | None,
        *,
        screening: Screening | None = None,
        win: Win | None = None,
        called: str = "send",
    ) -> Request:
        where = f"Lifecycle.{called}"
        check.argument(where, "actor", actor, check.text)
        check.argument(where, "reason", reason, optional(check.text))
        check.argument(where, "review_on", review_on, optional(check.calendar_date))
        check.argument(
            where, "screening", screening, optional(check.instance_of(Screening, "a Screening"))
        )
        check.argument(where, "win", win, optional(check.instance_of(Win, "a Win")))
        at = self.now(history)
        return Request(at, actor, reason, review_on, frozen_payload(payload), screening, win)

    def kind(self, stage: str) -> RecordKind:
        return self.table.kinds[stage]

    @contextmanager
    def operation(
        self, called: str, *histories: History[Any]
    ) -> Iterator[tuple[History[Any], ...]]:
        """One public call's work: all its events kept, or none, at one time.

        The call works on drafts of ``histories`` (see
        :class:`~leadlife._core.journal.history.Staging`); if it raises, the histories
        are exactly as they were. The clock is read once, at the first event,
        and every event of the call (those of the calls it makes too) shares
        that time. Calls nest: an inner one joins the outer one's time.

        Raises:
            ValidationError: Something given as a history is not one.
        """
        staging = self.begin(called, histories)
        try:
            yield staging.drafts
            staging.keep()
        finally:
            self.end()

    def begin(self, called: str, histories: Sequence[History[Any]]) -> Staging:
        """An operation starts: its histories staged, the clock to be read once."""
        for history in histories:
            check.argument(f"Lifecycle.{called}", "history", history, _A_HISTORY)
        staging = Staging(histories)
        self._operations += 1
        return staging

    def end(self) -> None:
        """An operation ends (kept or not): the next one reads the clock anew."""
        self._operations -= 1
        if not self._operations:
            self._now_pinned = None

    def now(self, history: History[Any] | None = None) -> datetime:
        at = self._now_pinned
        if at is None:
            at = self._clock.now()
            # A clock of the user's may return anything.
            check.argument(type(self._clock).__name__, "now()", at, check.aware_datetime)
            if self._operations:
                self._now_pinned = at
        if history is not None and at < history.last_at:
            raise HistoryError(
                event=history.record,
                problem=f"the clock says {at}, before the last event ({history.last_at})",
            )
        return at

    def append(
        self,
        history: History[Any],
        event_type: type[E],
        *,
        actor: str,
        reason: str | None,
        payload: Mapping[str, Any] | None,
        at: datetime | None = None,
        **fields: Any,
    ) -> E:
        event = event_type(
            record_id=history.record_id,
            at=self.now(history) if at is None else at,
            actor=actor,
            reason=reason,
            payload=frozen_payload(payload),
            **fields,
        )
        history.append(event)
        return event

    def event_into(self, record: Record, stages: Iterable[str]) -> str | None:
        """The one event that leads from the record's stage into ``stages``, if exactly one."""
        return self.table.event_into(record.stage, stages)


def _trusted(funnel: type[Funnel], guards: Collection[str]) -> frozenset[str]:
    """The guards a lifecycle is told to trust, each one the funnel uses and defines."""
    given: object = guards
    if isinstance(given, str) or not isinstance(given, Collection):
        raise ValidationError(
            owner="Lifecycle",
            field="trusted_guards",
            value=guards,
            expected="a collection of guard names, not one string",
        )
    used = {name for move in table(funnel).spec.transitions for name in move.guards}
    for name in guards:
        if name not in used or not callable(getattr(funnel, name, None)):
            raise ValidationError(
                owner="Lifecycle",
                field="trusted_guards",
                value=name,
                expected=f"guards funnel {funnel.__name__} uses: {', '.join(sorted(used))}",
            )
    return frozenset(guards)


def _met(_machine: object) -> bool:
    """A trusted guard: met, asked nothing (so the table may take its move without asking)."""
    return True


@cache
def _trusting(funnel: type[Funnel], guards: frozenset[str]) -> type[Funnel]:
    """The machine to run: the funnel itself, or, with guards to trust, one that finds them met.

    Histories stay the funnel's own (:attr:`Engine.funnel`): only the machine
    that picks the moves skips asking the trusted guards.
    """
    if not guards:
        return funnel
    methods: dict[str, Any] = dict.fromkeys(guards, _met)
    methods["__module__"] = funnel.__module__
    return type(funnel.__name__, (funnel,), methods)


class Capability(Protocol):
    """What a capability of the lifecycle is: an object holding the engine it works through."""

    @property
    def engine(self) -> Engine:
        """The engine: the funnel, the clock, and the steps every capability shares."""
        ...


def all_or_nothing(
    method: Callable[Concatenate[S, History[Any], P], T],
) -> Callable[Concatenate[S, History[Any], P], T]:
    """Make a method that records several events on its history one operation.

    Every event it records (those of the methods it calls too) is kept, or,
    if it raises, none is: the history is exactly as it was. They share one
    time. See :meth:`Engine.operation`.
    """
    call: Callable[..., T] = method
    name = method.__name__

    @wraps(method)
    def operation(self: S, *args: Any, **kwargs: Any) -> T:
        # The history may come by position or by name, as the method's signature allows.
        if args:
            history, rest = args[0], args[1:]
        elif "history" in kwargs:
            history, rest = kwargs.pop("history"), ()
        else:
            return call(self, **kwargs)  # Python says what is missing
        # As Engine.operation does, without a generator's cost: this runs on every touch.
        engine = self.engine
        staging = engine.begin(name, (history,))
        try:
            result = call(self, *staging.drafts, *rest, **kwargs)
            staging.keep()
        finally:
            engine.end()
        return result

    return cast(Callable[Concatenate[S, History[Any], P], T], operation)


def frozen_payload(payload: Mapping[str, Any] | None) -> JsonMap:
    """The payload, frozen; checked before any guard sees it."""
    if payload is None:
        return EMPTY
    if isinstance(payload, JsonMap):
        return payload
    try:
        return JsonMap(payload)
    except JsonError as error:
        raise ValidationError(
            owner="payload", field=error.path, value=error.value, expected=error.expected
        ) from None
