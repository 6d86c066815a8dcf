"""The funnel: a python-statemachine machine with a funnel's rules.

A funnel is declared as a class, the python-statemachine way: stages are
``State`` attributes, events are transition lists, guards are named. The
:class:`~leadlife.Funnel` base adds what a funnel must guarantee, checked when the class
is defined: one initial stage, every stage reachable, no dead end without a
recycle path or a terminal stage. It also uses ``StateMachine`` semantics, so
an exception in a callback is never swallowed and an unknown event is an
error (python-statemachine's ``StateChart`` default does both).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from statemachine import State, StateMachine
from statemachine.exceptions import InvalidDefinition, TransitionNotAllowed
from statemachine.factory import StateMachineMetaclass

from leadlife._core.support import validation as check
from leadlife._core.support.errors import FunnelDefinitionError, FunnelError, TransitionRefusedError
from leadlife._core.values.ids import RecordKind
from leadlife._core.values.screening import Reason, Screening
from leadlife._funnel import graph
from leadlife._funnel.refusal import refused, unknown_event
from leadlife._funnel.roles import FunnelRoles
from leadlife._funnel.spec import FunnelSpec
from leadlife._funnel.table import table

if TYPE_CHECKING:
    from leadlife._policies.recycling import RecyclingRule
    from leadlife._policies.sla import ServiceLevel


class FunnelMeta(StateMachineMetaclass):
    """Metaclass of :class:`~leadlife.Funnel`: validates a funnel when it is defined."""

    # Ours replace these three: they name one stage and know recycle stages.
    validate_disconnected_states = False
    validate_trap_states = False
    validate_final_reachability = False

    def __init__(cls, name: str, bases: tuple[type], attrs: dict[str, Any]) -> None:  # noqa: N805
        try:
            super().__init__(name, bases, attrs)
        except InvalidDefinition as error:
            raise FunnelDefinitionError(
                funnel=name, stage=_blame(attrs), problem=str(error)
            ) from error
        if cls.states:  # the abstract base has none
            _check_shape(cls)
            graph.validate(FunnelSpec.of(cls))  # type: ignore[arg-type]


def _blame(attrs: dict[str, Any]) -> str | None:
    """The stage python-statemachine objected to, for the two checks it always runs."""
    states = [value for value in attrs.values() if isinstance(value, State)]
    for state in states:
        if state.final and state.transitions:
            return str(state.id)
    initials = [state for state in states if state.initial]
    return str(initials[1].id) if len(initials) > 1 else None


def _check_shape(cls: Any) -> None:
    """A funnel is flat, its stage values are strings, its moves are events."""

    def fail(stage: str | None, problem: str) -> NoReturn:
        raise FunnelDefinitionError(funnel=cls.__name__, stage=stage, problem=problem)

    declared = {id(state) for state in cls.states_map.values()}
    for state in cls.states_map.values():
        if state.states or state.parallel or state.is_history or state.parent is not None:
            fail(state.id, "is compound, parallel or a history state; a funnel's stages are flat")
        if not isinstance(state.value, str) or not state.value.strip():
            fail(state.id, f"has value {state.value!r}; a stage's value must be a non-blank str")
        for transition in state.transitions:
            if not list(transition.events):
                fail(state.id, "has a transition without an event; a funnel moves only on events")
            if len(transition.targets) != 1:
                fail(state.id, "has a transition without exactly one target stage")
            if id(transition.targets[0]) not in declared:
                fail(state.id, "has a transition to a stage the funnel does not declare")
    _check_settings(cls, fail)
    _check_qualification(cls, fail)


# python-statemachine's StateChart settings a funnel must keep as StateMachine
# sets them: each of the others would let a move happen without its event,
# or an event without its move.
_REQUIRED_SETTINGS = {
    "catch_errors_as_events": (
        False,
        "an error in a callback would be swallowed and the move recorded anyway",
    ),
    "allow_event_without_transition": (
        False,
        "an unknown or refused event would be silently ignored",
    ),
    "atomic_configuration_update": (
        True,
        "the stage would be written before the move is recorded",
    ),
}


def _check_settings(cls: Any, fail: Callable[[str | None, str], NoReturn]) -> None:
    for name, (required, because) in _REQUIRED_SETTINGS.items():
        if getattr(cls, name) is not required:
            fail(
                None, f"sets {name} = {getattr(cls, name)!r}; a funnel needs {required}: {because}"
            )


def _check_qualification(cls: Any, fail: Callable[[str | None, str], NoReturn]) -> None:
    """``qualification`` and ``scoring`` name keys, and their guards are only used with one."""
    if cls.qualification is not None and not check.valid_key(cls.qualification):
        fail(None, f"qualification {cls.qualification!r} is not a framework key such as 'bant'")
    if cls.scoring is not None and not check.valid_key(cls.scoring):
        fail(None, f"scoring {cls.scoring!r} is not a scoring model's key such as 'b2b'")
    for state in cls.states_map.values():
        for transition in state.transitions:
            uses = {spec.attr_name for spec in transition.cond}
            if "is_qualified" in uses and cls.qualification is None:
                fail(state.id, "is_qualified guards a move, but the funnel has no qualification")
            if "is_sales_ready" in uses and cls.scoring is None:
                fail(state.id, "is_sales_ready guards a move, but the funnel names no scoring")


class Funnel(StateMachine, metaclass=FunnelMeta):
    """Base class of funnels: subclass it and declare stages and events.

    Declare stages and events exactly as in python-statemachine. A stage is a
    :class:`~leadlife.Stage` (a ``State`` that knows what it means for a lead: which
    record may stand there, whether it recycles, screens out, or closes a
    deal won or lost) or a plain ``State`` (none of these). One class
    attribute adds funnel knowledge:

    * ``qualification``: the key of the qualification framework
      (``"bant"``...) whose assessment the ``is_qualified`` guard reads.
    * ``scoring``: the key of the scoring model whose sales-ready threshold
      the ``is_sales_ready`` guard reads (see :func:`~leadlife.funnels.scored_funnel`).
    * ``rules`` and ``levels``: the recycling rules and service levels an
      :class:`~leadlife.agenda.Agenda` runs on this funnel, written with its
      stage names (none unless declared); the agenda checks them against the
      funnel's stages and events.

    A funnel keeps python-statemachine's ``StateMachine`` settings: a class
    that sets ``catch_errors_as_events = True`` (errors swallowed, the move
    recorded anyway), ``allow_event_without_transition = True`` or
    ``atomic_configuration_update = False`` is refused when defined.

    Guards ``has_reason``, ``has_screening``, ``has_review_date``,
    ``is_their_request``, ``is_qualified`` and ``is_sales_ready`` are built
    in; they read the ``reason``, ``screening``, ``review_on``, ``at``,
    ``record`` and ``assessment`` arguments of the event.

    A funnel instance binds to any object with a stage attribute (``model=``,
    ``state_field=``, which defaults to ``"stage"``): your ORM row, a
    dataclass, a plain object.

    Example:
        >>> from statemachine import State
        >>> from leadlife import Funnel, Stage
        >>> class TinyFunnel(Funnel):
        ...     new = State(initial=True)
        ...     working = State()
        ...     nurture = Stage(recycle=True)
        ...     closed = State(final=True)
        ...     work = new.to(working)
        ...     park = working.to(nurture)
        ...     revive = nurture.to(working)
        ...     close = closed.from_(new, working, nurture, cond="has_reason")
        >>> class Row:
        ...     stage = None
        >>> row = Row()
        >>> funnel = TinyFunnel(model=row)
        >>> funnel.send("work")
        >>> row.stage
        'working'
    """

    qualification: ClassVar[str | None] = None
    scoring: ClassVar[str | None] = None
    rules: ClassVar[tuple[RecyclingRule, ...]] = ()
    levels: ClassVar[tuple[ServiceLevel, ...]] = ()

    def __init__(
        self,
        model: Any = None,
        state_field: str = "stage",
        start_value: Any = None,
        listeners: list[object] | None = None,
        **kwargs: Any,
    ) -> None:
        """Bind the funnel to ``model``'s ``state_field`` (see python-statemachine)."""
        super().__init__(
            model=model,
            state_field=state_field,
            start_value=start_value,
            listeners=listeners,
            **kwargs,
        )

    @classmethod
    def spec(cls) -> FunnelSpec:
        """This funnel as data: its stages and transitions."""
        return FunnelSpec.of(cls)

    @classmethod
    def roles(cls) -> FunnelRoles:
        """What each stage is for (won, lost, recycle, the way forward...), read once.

        Reports, importers and rules ask these rather than spell stage names.

        Example:
            >>> from leadlife import DefaultFunnel
            >>> sorted(DefaultFunnel.roles().exits)
            ['churned', 'disqualified', 'do_not_contact', 'lost']
        """
        return FunnelRoles.of(cls)

    @classmethod
    def refused_stage(cls, kind: RecordKind, stage: str) -> str | None:
        """Why a record of ``kind`` cannot stand in ``stage``; ``None`` if it can.

        A :class:`~leadlife.History` bound to the funnel asks this of its
        creation event's record.
        """
        return table(cls).refused_stage(kind, stage)

    @classmethod
    def refused_move(
        cls, kind: RecordKind, source: str, event: str, target: str, *, converts: bool
    ) -> str | None:
        """Why the funnel does not make this move; ``None`` if it does (guards aside).

        A :class:`~leadlife.History` bound to the funnel asks this of every
        :class:`~leadlife.events.StageChanged`, so histories read back from
        storage are checked against the funnel, not trusted.

        Example:
            >>> from leadlife import DefaultFunnel, RecordKind
            >>> DefaultFunnel.refused_move(
            ...     RecordKind.LEAD, "suspect", "win", "customer", converts=False
            ... )
            "funnel DefaultFunnel has no 'win' from 'suspect' (it allows engage, disqualify, \
opt_out)"
        """
        return table(cls).refused_move(kind, source, event, target, converts=converts)

    def send(self, event: str, *args: Any, **kwargs: Any) -> Any:
        """Send ``event``, as python-statemachine does; a refusal is leadlife's error.

        Raises:
            UnknownEventError: The funnel has no such event (with the events
                it may have meant, and what the stage allows).
            TransitionRefusedError: The stage does not allow it, or a guard
                said no (with why, in words).

        Both are python-statemachine ``TransitionNotAllowed`` errors too.
        """
        try:
            return super().send(event, *args, **kwargs)
        except TransitionRefusedError as error:
            # Now the arguments are known: say why each guard said no.
            raise refused(self, error.stage, str(error.event), kwargs) from None

    def _processing_loop(self, *args: Any, **kwargs: Any) -> Any:
        # Every event, sent or called as a method (funnel.win()), passes here: the one
        # place to catch both, but a private method of python-statemachine, so its
        # version is pinned (pyproject.toml) and the override tested against it.
        # A move is all or nothing: python-statemachine writes the new stage on
        # the model before the after_ callbacks run, so if one raises, the
        # stage is put back where it was.
        model, field = self.model, self.state_field
        before = getattr(model, field, None)
        try:
            return self._translated(*args, **kwargs)
        except BaseException:
            if getattr(model, field, None) != before:
                setattr(model, field, before)
            raise

    def _translated(self, *args: Any, **kwargs: Any) -> Any:
        # python-statemachine's refusal becomes leadlife's.
        try:
            return super()._processing_loop(*args, **kwargs)
        except TransitionNotAllowed as error:
            if isinstance(error, FunnelError):
                raise
            event = str(error.event)
            stage = self._stage()
            if event not in self.spec().events:
                raise unknown_event(type(self), event, stage) from None
            # No arguments here to ask the guards again with: name them (send
            # adds why each said no).
            raise refused(self, str(stage), event, None) from None

    def _stage(self) -> str | None:
        values = list(self.configuration_values)
        return str(values[0]) if len(values) == 1 else None

    def has_reason(self, reason: str | None = None) -> bool:
        """Guard: the event was given a non-blank ``reason``."""
        return isinstance(reason, str) and bool(reason.strip())

    def is_qualified(self, assessment: Any = None, record: Any = None) -> bool:
        """Guard: the ``assessment`` qualifies, and was made since ``record`` entered its stage.

        An assessment from before the record's last move (say, before it was
        recycled) is stale and does not count.
        """
        if getattr(assessment, "qualified", False) is not True:
            return False
        return record is None or assessment.at >= record.stage_since

    def is_sales_ready(self, record: Any = None) -> bool:
        """Guard: the record's score by the funnel's scoring model last crossed up to sales-ready.

        DOMAIN: "sales-ready" is defined objectively, by a score threshold
        both sides agreed on; the last :class:`~leadlife.events.ScoreCrossed`
        says where the score stands.
        """
        score = getattr(record, "score", None)
        return score is not None and score.model == self.scoring and score.ready is True

    def has_screening(self, screening: Any = None) -> bool:
        """Guard: the event was given a Screening (a reason from the taxonomy)."""
        return isinstance(screening, Screening)

    def is_their_request(self, screening: Any = None) -> bool:
        """Guard: the move is the person's own request not to be contacted."""
        return (
            isinstance(screening, Screening)
            and screening.reason == Reason.ASKED_NOT_TO_BE_CONTACTED
        )

    def has_review_date(self, review_on: date | None = None, at: datetime | None = None) -> bool:
        """Guard: the event was given a ``review_on`` date, not before the day of ``at``.

        DOMAIN: a disqualification without a review date is incomplete.
        """
        if not isinstance(review_on, date) or isinstance(review_on, datetime):
            return False
        return at is None or review_on >= at.date()
