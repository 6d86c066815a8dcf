"""Build a funnel class from data: a team's own funnel, written down."""

from __future__ import annotations

import copyreg
import json
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, NoReturn, cast

from statemachine.transition_list import TransitionList

from leadlife._core.support.errors import FunnelDefinitionError
from leadlife._funnel import graph
from leadlife._funnel.base import Funnel, FunnelMeta
from leadlife._funnel.spec import FunnelSpec
from leadlife._funnel.stage import Stage

Guard = Callable[..., bool]
"""A guard: a function of the event's keyword arguments that says yes or no."""

BUILT_IN_GUARDS = frozenset(
    {
        "has_reason",
        "has_screening",
        "has_review_date",
        "is_their_request",
        "is_qualified",
        "is_sales_ready",
    }
)
# Set on machine instances, so a stage or event by these names would clash.
_INSTANCE_NAMES = frozenset({"model", "state_field", "start_value", "history_values"})


def funnel_from_spec(
    spec: FunnelSpec | Mapping[str, Any] | str,
    *,
    guards: Mapping[str, Guard] | None = None,
) -> type[Funnel]:
    """Build a funnel class from its description as data.

    Args:
        spec: A :class:`~leadlife.FunnelSpec`, its plain dict form (see
            :meth:`FunnelSpec.to_dict <leadlife.FunnelSpec.to_dict>`), or that dict as JSON text.
        guards: Guard functions by name, for the guard names the spec uses
            beyond the built-in ``has_reason`` and ``has_review_date``. A
            guard takes any of the event's keyword arguments it names
            (``record``, ``reason``, ``review_on``, ``at``, ``payload``...)
            and returns a bool. Names are looked up here only: nothing is ever
            imported by a name taken from the data.

    Returns:
        A :class:`~leadlife.Funnel` subclass, validated like a hand-written one.

    Raises:
        FunnelDefinitionError: The data is malformed (the message gives the
            path), names an unknown guard, or describes an invalid funnel
            (the error names the stage).

    Example:
        >>> from leadlife import funnel_from_spec
        >>> Simple = funnel_from_spec(
        ...     {
        ...         "name": "SimpleFunnel",
        ...         "stages": {
        ...             "new": {"initial": True},
        ...             "working": {},
        ...             "won": {"kind": "opportunity"},
        ...             "nurture": {"recycle": True},
        ...             "gone": {"final": True},
        ...         },
        ...         "transitions": [
        ...             {"event": "work", "source": ["new", "nurture"], "target": "working"},
        ...             {"event": "win", "source": "working", "target": "won"},
        ...             {"event": "park", "source": ["working", "won"], "target": "nurture"},
        ...             {
        ...                 "event": "drop",
        ...                 "source": ["new", "working", "nurture"],
        ...                 "target": "gone",
        ...                 "guards": ["has_reason"],
        ...             },
        ...         ],
        ...     }
        ... )
        >>> Simple.spec().events
        ('work', 'drop', 'win', 'park')
    """
    if not isinstance(spec, FunnelSpec):
        spec = FunnelSpec.from_dict(spec)
    guards = dict(guards or {})
    _check_names(spec, guards)
    graph.validate(spec)

    states = {
        stage.id: Stage(
            stage.name or stage.id.replace("_", " ").capitalize(),
            value=stage.id,
            initial=stage.initial,
            final=stage.final,
            kind=stage.kind,
            recycle=stage.recycle,
            screens_out=stage.screens_out,
            won=stage.won,
            lost=stage.lost,
        )
        for stage in spec.stages
    }
    events: dict[str, TransitionList] = {}
    for t in spec.transitions:
        moves = states[t.source].to(
            states[t.target], cond=list(t.guards) or None, unless=list(t.unless) or None
        )
        events[t.event] = events[t.event] | moves if t.event in events else moves
    namespace: dict[str, Any] = {
        **states,
        **events,
        **{name: staticmethod(guard) for name, guard in guards.items()},
        "__doc__": f"{spec.name}: built by funnel_from_spec.",
        "__module__": __name__,
        "qualification": spec.qualification,
        "scoring": spec.scoring,
        # What it was built from: it pickles by that (it has no importable name).
        "_built_from": (spec, MappingProxyType(guards)),
    }
    built = cast(type[Funnel], FunnelMeta(spec.name, (Funnel,), namespace))
    # Unpickled in this process, it is this very class (the first of its description).
    _BUILT.setdefault(_key(spec.to_dict(), guards), built)
    return built


def _pickled(funnel: FunnelMeta) -> str | tuple[Callable[..., FunnelMeta], tuple[Any, ...]]:
    """How a funnel class pickles: by its name, or, if built from a spec, by the spec.

    A class built by :func:`funnel_from_spec` lives in no module; it pickles
    as its spec and guards (which pickle by name), and unpickles as the one
    class built from them in that process.
    """
    built = funnel.__dict__.get("_built_from")
    if built is None:
        return funnel.__qualname__  # as any class: by its module and name
    spec, guards = built
    return (_rebuilt, (spec.to_dict(), dict(guards)))


Key = tuple[str, tuple[tuple[str, Guard], ...]]

_BUILT: dict[Key, type[Funnel]] = {}
"""Each funnel class built from a spec, by its spec and guards: one class per description."""


def _key(spec: Mapping[str, Any], guards: Mapping[str, Guard]) -> Key:
    return json.dumps(spec, sort_keys=True), tuple(sorted(guards.items()))


def _rebuilt(spec: Mapping[str, Any], guards: Mapping[str, Guard]) -> type[Funnel]:
    """The funnel class of ``spec`` and ``guards``: the one this process built, or a new one."""
    known = _BUILT.get(_key(spec, guards))
    return known if known is not None else funnel_from_spec(spec, guards=guards)


copyreg.pickle(FunnelMeta, _pickled)


def _public(name: str) -> bool:
    """An identifier a class may take from data: not one of Python's or the class's own."""
    return name.isidentifier() and not name.startswith("_")


def _check_names(spec: FunnelSpec, guards: Mapping[str, Guard]) -> None:
    """Names become class attributes: they must be identifiers and not collide."""

    def fail(stage: str | None, problem: str) -> NoReturn:
        raise FunnelDefinitionError(funnel=spec.name, stage=stage, problem=problem)

    if not _public(spec.name):
        fail(None, "its name must be a Python identifier that does not start with _")
    reserved = {name for name in dir(Funnel) if not name.startswith("__")} | _INSTANCE_NAMES
    stage_ids = {stage.id for stage in spec.stages}
    for stage in spec.stages:
        if not _public(stage.id) or stage.id in reserved:
            fail(
                stage.id,
                "an id must be an identifier that does not start with _ (those are Python's "
                "and the class's own) and is not a Funnel attribute name",
            )
    for t in spec.transitions:
        if not _public(t.event) or t.event in reserved | stage_ids:
            fail(
                t.source,
                f"event {t.event!r} must be an identifier that does not start with _, and not "
                "a stage or a Funnel attribute",
            )
        if unknown := [n for n in (*t.guards, *t.unless) if n not in {*guards, *BUILT_IN_GUARDS}]:
            fail(
                t.source,
                f"event {t.event!r} uses guard {unknown[0]!r}, which is neither built in "
                f"({', '.join(sorted(BUILT_IN_GUARDS))}) nor given in guards=",
            )
    for name, guard in guards.items():
        if not _public(name) or name in reserved | stage_ids or not callable(guard):
            fail(
                None,
                f"guard {name!r} needs an identifier name that does not start with _ and is not "
                "otherwise used, and a callable",
            )
