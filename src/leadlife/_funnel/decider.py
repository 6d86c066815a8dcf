"""Moves decided by table, with the guards the machine would ask, asked the way it asks them.

python-statemachine is the definition and the reference: sending an event
tries the stage's transitions on that event in declaration order and takes
the first whose guards all hold, then runs the callbacks. Building a machine
costs about a millisecond and sending an event through one tens of
microseconds; most of that is machinery a funnel whose only callbacks are its
guards never uses. For such a funnel (the default funnel, every funnel built
from a spec, most subclasses) a move is decided here instead:

* a transition without guards is taken by lookup, no machine built;
* a guarded one asks its guards through the machine's own resolved guard
  callbacks (python-statemachine's signature adapter, its ``unless``
  negation, its order), with the same keyword arguments the machine passes
  (``machine``, ``model``, ``event``, ``transition``, ``state``, ``source``,
  ``target`` and the event's own): a guard cannot tell the difference.

A funnel with callbacks of any other kind (``before_``/``on_``/``after_``
an event or a transition, ``on_enter_``/``on_exit_`` a stage, validators,
``prepare_event``, class-level listeners that define any of these) or whose
guards ask for python-statemachine's ``event_data``, or take ``*args`` or
``**kwargs``, runs on the machine, so its callbacks run in python-statemachine's
order: :attr:`Plan.machine_only` says why. The differential property tests drive
both paths with the same operations and compare histories and errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

import attrs

if TYPE_CHECKING:
    from statemachine.callbacks import CallbacksExecutor
    from statemachine.state import State
    from statemachine.transition import Transition

    from leadlife._funnel.base import Funnel

# The arguments python-statemachine adds that only a machine can give.
_MACHINE_ONLY_ARGUMENTS = frozenset({"event_data"})


@attrs.frozen(kw_only=True)
class Choice:
    """One transition an event may take from a stage, in the order the machine tries them.

    Attributes:
        target: The target stage's value (what the record's stage becomes).
        transition: The class's transition (its guards' key, the ``transition`` argument).
        source: The source state (the ``state`` and ``source`` arguments).
        into: The target state (the ``target`` argument).
        guarded: Whether the machine asks guards before taking it.
    """

    target: str
    transition: Transition
    source: State
    into: State
    guarded: bool


@attrs.frozen(kw_only=True)
class Plan:
    """A funnel class's moves as choices by ``(stage, event)``, or why only its machine will do.

    Attributes:
        choices: The transitions tried for each ``(stage value, event)``.
        machine_only: Why the machine must run every move (its callbacks), or ``None``.
    """

    choices: Mapping[tuple[str, str], tuple[Choice, ...]]
    machine_only: str | None


_PLANS: WeakKeyDictionary[type[Funnel], Plan] = WeakKeyDictionary()


def plan(
    funnel: type[Funnel], probe: Callable[[], Funnel], trusted: frozenset[str] = frozenset()
) -> Plan:
    """The plan of ``funnel``, read once per class from an instance ``probe()`` makes.

    The instance must be bound to a model with no callbacks of its own (the
    lifecycle's cursor): what a machine calls is resolved on the funnel, its
    class-level listeners and the model. A transition whose guards are all
    ``trusted`` (found met without asking, see ``Lifecycle(trusted_guards=)``)
    is taken as if it had none. A class is planned with one set of trusted
    guards: the lifecycle makes a class of its own for each set.
    """
    found = _PLANS.get(funnel)
    if found is None:
        found = _PLANS[funnel] = _read(funnel, probe(), trusted)
    return found


def _read(funnel: type[Funnel], probe: Funnel, trusted: frozenset[str]) -> Plan:
    choices: dict[tuple[str, str], tuple[Choice, ...]] = {}
    for state in funnel.states:
        for transition in state.transitions:
            guarded = any(
                not (callback.meta.expected_value and callback.meta.attr_name in trusted)
                for callback in executor(probe, transition)
            )
            for event in transition.events:
                key = (str(state.value), str(event.id))
                choice = Choice(
                    target=str(transition.target.value),
                    transition=transition,
                    source=state,
                    into=transition.target,
                    guarded=guarded,
                )
                choices[key] = (*choices.get(key, ()), choice)
    return Plan(choices=choices, machine_only=_why_machine(funnel, probe))


def executor(machine: Funnel, transition: Transition) -> CallbacksExecutor:
    """The guard callbacks ``machine`` resolved for ``transition``, in the order it asks them."""
    return machine._callbacks[transition.cond.key]  # noqa: SLF001 - see _why_machine


def _why_machine(funnel: type[Funnel], probe: Funnel) -> str | None:
    # python-statemachine keeps what it resolved for an instance in a registry keyed
    # "GROUP@id(specs)"; the public API lists specs, not which names resolved. Its
    # version is pinned (pyproject.toml), and a test asserts this reading on it.
    registry = probe._callbacks._registry  # noqa: SLF001
    callbacks = sorted(
        {
            str(callback)
            for key, executor in registry.items()
            if not key.startswith("COND@")
            for callback in executor
        }
    )
    if callbacks:
        return f"funnel {funnel.__name__} has callbacks ({', '.join(callbacks)})"
    for state in funnel.states:
        for transition in state.transitions:
            for spec in transition.cond:
                problem = _guard_problem(probe, spec.func)
                if problem is not None:
                    return f"funnel {funnel.__name__}'s guard {spec.attr_name} {problem}"
    return None


def _guard_problem(probe: Funnel, func: Any) -> str | None:
    """Why a guard cannot be asked without a machine's event data, if it cannot."""
    if isinstance(func, str):
        if not func.isidentifier():
            return "is an expression (the machine evaluates it)"
        func = getattr(probe, func, None)
    if not callable(func):
        return None  # an attribute or a property: read, never called with arguments
    # python-statemachine read the same signature when it built the probe.
    for parameter in inspect.signature(func).parameters.values():
        if parameter.kind in {parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD}:
            return "takes *args or **kwargs"
        if parameter.name in _MACHINE_ONLY_ARGUMENTS:
            return f"asks for {parameter.name}"
    return None
