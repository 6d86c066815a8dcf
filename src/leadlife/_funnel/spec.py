"""A funnel as plain data: its stages and transitions.

Two directions: :meth:`FunnelSpec.of <leadlife.FunnelSpec.of>` reads any funnel class into data (for
docs, tooling, and the table later compiled from it for bulk work), and
:func:`~leadlife.funnel_from_spec` builds a funnel class from data a team
wrote down (a dict, or JSON).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, Self, cast

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.brief import brief
from leadlife._core.support.errors import FunnelDefinitionError, ValidationError
from leadlife._core.support.json import JsonError, parse
from leadlife._core.values.ids import RecordKind

if TYPE_CHECKING:
    from leadlife._funnel.base import Funnel


def _names(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        check.refuse(instance, attribute, value, "a tuple of guard names")


_FLAG = check.instance_of(bool, "True or False")


@attrs.frozen(kw_only=True)
class StageSpec:
    """One stage of a funnel, as data.

    Args:
        id: The stage's id, which is also the value stored on records.
        name: A human name for diagrams (``"Sales-ready (MQL)"``).
        initial: Whether new records start here; exactly one stage is.
        final: Whether it is terminal: nothing leaves it.
        kind: The least deep record that may stand here; moving a shallower
            record in converts it (``PROSPECT`` on the stage that means
            "qualified"). ``None``: any record.
        recycle: Whether it is a recycle stage (nurture): a stage that takes
            records back into the funnel later rather than ending them.
        screens_out: Whether records enter it only screened out, with a
            reason and a review date (disqualified, lost).
        won: Whether entering it closes a deal won.
        lost: Whether entering it closes a deal lost.

    See :class:`~leadlife.Stage` for what each means.

    Example:
        >>> from leadlife import DefaultFunnel, RecordKind
        >>> stage = DefaultFunnel.spec().stage("prospect")
        >>> stage.name, stage.kind is RecordKind.PROSPECT
        ('Prospect (SQL)', True)
    """

    id: str = attrs.field(validator=check.text)
    name: str | None = attrs.field(default=None, validator=optional(check.text))
    initial: bool = attrs.field(default=False, validator=_FLAG)
    final: bool = attrs.field(default=False, validator=_FLAG)
    kind: RecordKind | None = attrs.field(
        default=None, validator=optional(check.instance_of(RecordKind, "a RecordKind or None"))
    )
    recycle: bool = attrs.field(default=False, validator=_FLAG)
    screens_out: bool = attrs.field(default=False, validator=_FLAG)
    won: bool = attrs.field(default=False, validator=_FLAG)
    lost: bool = attrs.field(default=False, validator=_FLAG)

    @property
    def flags(self) -> tuple[str, ...]:
        """The names of the flags set on the stage, in declaration order."""
        return tuple(flag for flag in _FLAGS if getattr(self, flag))


_FLAGS = ("initial", "final", "recycle", "screens_out", "won", "lost")


@attrs.frozen(kw_only=True)
class TransitionSpec:
    """One transition of a funnel, as data.

    Args:
        event: The event that triggers it.
        source: The stage it leaves.
        target: The stage it enters.
        guards: Names of guards that must all say yes (``cond``).
        unless: Names of guards that must all say no (``unless``).

    Example:
        >>> from leadlife import DefaultFunnel
        >>> move = [t for t in DefaultFunnel.spec().transitions if t.event == "disqualify"][0]
        >>> move.source, move.target, move.guards
        ('suspect', 'disqualified', ('has_screening', 'has_review_date'))
    """

    event: str = attrs.field(validator=check.text)
    source: str = attrs.field(validator=check.text)
    target: str = attrs.field(validator=check.text)
    guards: tuple[str, ...] = attrs.field(default=(), validator=_names)
    unless: tuple[str, ...] = attrs.field(default=(), validator=_names)


def _to_stages(value: Sequence[StageSpec]) -> tuple[StageSpec, ...]:
    return check.to_tuple_of(value, StageSpec, "a list of StageSpec")


def _to_transitions(value: Sequence[TransitionSpec]) -> tuple[TransitionSpec, ...]:
    return check.to_tuple_of(value, TransitionSpec, "a list of TransitionSpec")


@attrs.frozen(kw_only=True)
class FunnelSpec:
    """A whole funnel as data: what :func:`~leadlife.funnel_from_spec` builds from.

    Example:
        >>> from leadlife import DefaultFunnel, FunnelSpec
        >>> spec = FunnelSpec.of(DefaultFunnel)
        >>> spec.initial.id
        'suspect'
        >>> [t.target for t in spec.transitions if t.source == "accepted"]
        ['prospect', 'nurture', 'disqualified', 'do_not_contact']
    """

    name: str = attrs.field(validator=check.text)
    stages: tuple[StageSpec, ...] = attrs.field(converter=_to_stages, validator=check.converted)
    transitions: tuple[TransitionSpec, ...] = attrs.field(
        converter=_to_transitions, validator=check.converted
    )
    qualification: str | None = attrs.field(default=None, validator=optional(check.text))
    """The key of the framework the ``is_qualified`` guard reads."""
    scoring: str | None = attrs.field(default=None, validator=optional(check.text))
    """The key of the scoring model the ``is_sales_ready`` guard reads."""

    @property
    def initial(self) -> StageSpec:
        """The stage new records start in."""
        return next(stage for stage in self.stages if stage.initial)

    @property
    def events(self) -> tuple[str, ...]:
        """The funnel's events, each once, in declaration order."""
        return tuple(dict.fromkeys(t.event for t in self.transitions))

    def stage(self, stage_id: str) -> StageSpec:
        """Return the stage with id ``stage_id``.

        Raises:
            KeyError: No such stage.
        """
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    @classmethod
    def of(cls, funnel: type[Funnel]) -> Self:
        """Read a funnel class into data (what the diagrams and tables use).

        Raises:
            FunnelDefinitionError: A stage's meaning is malformed (a kind that
                is not a :class:`~leadlife.RecordKind`, a flag that is not a bool).
        """
        return cls(
            name=funnel.__name__,
            stages=[_stage_spec(funnel.__name__, state) for state in funnel.states],
            transitions=[
                TransitionSpec(
                    event=event.id,
                    source=state.value,
                    target=transition.target.value,
                    guards=tuple(s.attr_name for s in transition.cond if s.expected_value),
                    unless=tuple(s.attr_name for s in transition.cond if not s.expected_value),
                )
                for state in funnel.states
                for transition in state.transitions
                for event in transition.events
            ],
            qualification=funnel.qualification,
            scoring=funnel.scoring,
        )

    @property
    def recycle_stages(self) -> frozenset[str]:
        """The ids of the recycle stages."""
        return frozenset(stage.id for stage in self.stages if stage.recycle)

    @property
    def final_stages(self) -> frozenset[str]:
        """The ids of the terminal stages."""
        return frozenset(stage.id for stage in self.stages if stage.final)

    @property
    def screened_out_stages(self) -> frozenset[str]:
        """The ids of the stages records enter only screened out."""
        return frozenset(stage.id for stage in self.stages if stage.screens_out)

    def to_dict(self) -> dict[str, Any]:
        """The plain, JSON-ready form that :meth:`~leadlife.from_dict` reads.

        Stages are keyed by id; defaults are left out so the dict stays the
        way a person would write it.
        """
        stages: dict[str, Any] = {}
        for stage in self.stages:
            entry: dict[str, Any] = {}
            if stage.name is not None:
                entry["name"] = stage.name
            for flag in stage.flags:
                entry[flag] = True
            if stage.kind is not None:
                entry["kind"] = stage.kind.value
            stages[stage.id] = entry
        transitions = []
        for t in self.transitions:
            entry = {"event": t.event, "source": t.source, "target": t.target}
            if t.guards:
                entry["guards"] = list(t.guards)
            if t.unless:
                entry["unless"] = list(t.unless)
            transitions.append(entry)
        plain: dict[str, Any] = {"name": self.name, "stages": stages, "transitions": transitions}
        if self.qualification is not None:
            plain["qualification"] = self.qualification
        if self.scoring is not None:
            plain["scoring"] = self.scoring
        return plain

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str | bytes) -> FunnelSpec:
        """Read the plain form (a mapping, or JSON text or its UTF-8 bytes) of a funnel.

        A transition's ``source`` may be a list: one transition per source.
        This is also the form a ``FunnelSpec`` takes in a document
        (:func:`~leadlife.to_dict`).

        Raises:
            FunnelDefinitionError: The data is malformed; the message gives
                the path to the bad entry, such as ``stages.nurture.kind``.
        """
        reader = _Reader()
        try:
            if isinstance(data, str | bytes):
                try:
                    data = parse(data)
                except JsonError as error:
                    reader.fail("$", f"is not {error.expected}")
            return reader.read(data)
        except SpecProblem as problem:
            raise FunnelDefinitionError(
                funnel=reader.funnel, problem=f"{problem.path} {problem.problem}"
            ) from None


class SpecProblem(Exception):  # noqa: N818 - internal, turned into the reader's caller's error
    """The plain form of a funnel is malformed at ``path``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path} {problem}")


def read_spec(data: object) -> FunnelSpec:
    """Read the plain form of a funnel (already parsed from JSON).

    Raises:
        SpecProblem: The data is malformed at ``path``.
    """
    return _Reader().read(data)


class _Reader:
    """Reads the plain form, naming the path of anything wrong."""

    _ROOT_KEYS = frozenset({"name", "stages", "transitions", "qualification", "scoring"})
    _STAGE_KEYS = frozenset({"name", "kind", *_FLAGS})
    _TRANSITION_KEYS = frozenset({"event", "source", "target", "guards", "unless"})

    def __init__(self) -> None:
        self.funnel = "?"

    def fail(self, path: str, problem: str) -> NoReturn:
        raise SpecProblem(path, problem)

    def mapping(
        self, value: object, path: str, allowed: frozenset[str] | None = None
    ) -> Mapping[str, object]:
        if not isinstance(value, Mapping):
            self.fail(path, f"must be an object, got {brief(value)}")
        if allowed is not None and (extra := set(value) - allowed):
            self.fail(path, f"has unknown keys {sorted(extra)}; allowed: {sorted(allowed)}")
        return cast(Mapping[str, object], value)

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"must be a non-blank string, got {brief(value)}")
        return value

    def flag(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(path, f"must be true or false, got {brief(value)}")
        return value

    def texts(self, value: object, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            return (self.text(value, path),)
        if not isinstance(value, list | tuple) or not value:
            self.fail(path, f"must be a string or a non-empty list of strings, got {brief(value)}")
        return tuple(self.text(item, f"{path}[{i}]") for i, item in enumerate(value))

    def read(self, data: object) -> FunnelSpec:
        root = self.mapping(data, "$")
        if "name" not in root:
            self.fail("name", "is missing")
        # The name first, so that every later error names the funnel.
        self.funnel = self.text(root["name"], "name")
        self.mapping(root, "$", self._ROOT_KEYS)
        stages = [
            self.stage(stage_id, entry)
            for stage_id, entry in self.mapping(root.get("stages"), "stages").items()
        ]
        raw_transitions = root.get("transitions")
        if not isinstance(raw_transitions, list | tuple):
            self.fail("transitions", f"must be a list, got {brief(raw_transitions)}")
        transitions = [
            transition
            for index, entry in enumerate(raw_transitions)
            for transition in self.transition(entry, f"transitions[{index}]")
        ]
        qualification, scoring = root.get("qualification"), root.get("scoring")
        for key, value in (("qualification", qualification), ("scoring", scoring)):
            if value is not None:
                self.text(value, key)
        return FunnelSpec(
            name=self.funnel,
            stages=stages,
            transitions=transitions,
            qualification=cast(str | None, qualification),
            scoring=cast(str | None, scoring),
        )

    def stage(self, stage_id: str, entry: object) -> StageSpec:
        path = f"stages.{stage_id}"
        if not stage_id.strip():
            self.fail("stages", f"has a blank stage id {stage_id!r}")
        fields = self.mapping(entry, path, self._STAGE_KEYS)
        kind = fields.get("kind")
        kinds = [k.value for k in RecordKind]
        if kind is not None and kind not in kinds:
            self.fail(f"{path}.kind", f"must be one of {kinds}, got {brief(kind)}")
        name = fields.get("name")
        flags = {flag: self.flag(fields.get(flag, False), f"{path}.{flag}") for flag in _FLAGS}
        return StageSpec(
            id=stage_id,
            name=None if name is None else self.text(name, f"{path}.name"),
            kind=None if kind is None else RecordKind(kind),
            **flags,
        )

    def transition(self, entry: object, path: str) -> list[TransitionSpec]:
        fields = self.mapping(entry, path, self._TRANSITION_KEYS)
        for key in ("event", "source", "target"):
            if key not in fields:
                self.fail(f"{path}.{key}", "is missing")
        event = self.text(fields["event"], f"{path}.event")
        target = self.text(fields["target"], f"{path}.target")
        guards = self.texts(fields["guards"], f"{path}.guards") if "guards" in fields else ()
        unless = self.texts(fields["unless"], f"{path}.unless") if "unless" in fields else ()
        return [
            TransitionSpec(event=event, source=source, target=target, guards=guards, unless=unless)
            for source in self.texts(fields["source"], f"{path}.source")
        ]


def _stage_spec(funnel: str, state: Any) -> StageSpec:
    """The spec of one stage of a funnel class, read from its ``State`` (or ``Stage``)."""
    meaning = {
        attribute: getattr(state, attribute)
        for attribute in ("kind", "recycle", "screens_out", "won", "lost")
        if hasattr(state, attribute)  # a plain State means nothing more
    }
    try:
        return StageSpec(
            id=state.value, name=state.name, initial=state.initial, final=state.final, **meaning
        )
    except ValidationError as error:
        raise FunnelDefinitionError(
            funnel=funnel,
            stage=str(state.value),
            problem=f"its {error.field} must be {error.expected}, got {brief(error.value)}",
        ) from None
