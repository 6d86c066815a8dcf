"""A funnel compiled to a transition table: python-statemachine's decisions, by lookup.

python-statemachine is the definition and the reference semantics: sending
an event from a stage tries the stage's transitions on that event in the
order they were declared and takes the first whose guards all say yes (and
whose ``unless`` guards all say no); if none does, the event is refused.
For one lead at a time that engine is the right tool. For books of millions
of events, where the guards' answers are already known (read from the
events themselves), the same decision is a table lookup: stages, events and
guards become small integers, each transition a pair of guard bit masks and
a target, and deciding a move costs a dictionary lookup and a few integer
operations. The property tests prove the table and the engine agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import attrs

from leadlife._core.support.errors import ValidationError

if TYPE_CHECKING:
    from leadlife._funnel.base import Funnel

REFUSED = -1
"""The target code of a refused move."""


@attrs.frozen(kw_only=True)
class Rule:
    """One transition, compiled: the guards it needs true and false, and where it goes.

    Attributes:
        needs: Bit mask of the guards that must say yes.
        refuses: Bit mask of the guards that must say no (``unless``).
        target: The target stage's code.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import compile_funnel
        >>> table = compile_funnel(DefaultFunnel)
        >>> lead, disqualify = table.stage_codes["lead"], table.event_codes["disqualify"]
        >>> (rule,) = table.rules[lead, disqualify]
        >>> (
        ...     table.stages[rule.target],
        ...     rule.needs == table.mask(["has_screening", "has_review_date"]),
        ... )
        ('disqualified', True)
    """

    needs: int
    refuses: int
    target: int


@attrs.frozen(kw_only=True, repr=False)
class CompiledFunnel:
    """A funnel class as a transition table (see :func:`compile_funnel`).

    Stages, events and guards are numbered in the order the funnel declares
    them; a set of guard answers is a bit mask (bit ``i`` is ``guards[i]``).

    Attributes:
        name: The funnel class's name.
        stages: Stage ids; a stage's code is its index.
        events: Event names; an event's code is its index.
        guards: Guard names the transitions use; guard ``i`` is bit ``1 << i``.
        rules: ``(stage code, event code)`` -> the transitions tried, in order.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import compile_funnel
        >>> table = compile_funnel(DefaultFunnel)
        >>> table.decide("suspect", "engage")
        'lead'
        >>> table.decide("lead", "disqualify", {"has_screening"}) is None  # no review date
        True
        >>> table.decide("lead", "disqualify", {"has_screening", "has_review_date"})
        'disqualified'
    """

    name: str
    stages: tuple[str, ...]
    events: tuple[str, ...]
    guards: tuple[str, ...]
    rules: Mapping[tuple[int, int], tuple[Rule, ...]]
    stage_codes: Mapping[str, int] = attrs.field(init=False)
    event_codes: Mapping[str, int] = attrs.field(init=False)
    guard_bits: Mapping[str, int] = attrs.field(init=False)

    @stage_codes.default
    def _stage_codes(self) -> Mapping[str, int]:
        return {stage: code for code, stage in enumerate(self.stages)}

    @event_codes.default
    def _event_codes(self) -> Mapping[str, int]:
        return {event: code for code, event in enumerate(self.events)}

    @guard_bits.default
    def _guard_bits(self) -> Mapping[str, int]:
        return {guard: 1 << index for index, guard in enumerate(self.guards)}

    def step(self, stage: int, event: int, guards: int = 0) -> int:
        """The target's code of ``event`` sent from ``stage`` (codes), or :data:`REFUSED`.

        ``guards`` is the bit mask of the guards that say yes.
        """
        for rule in self.rules.get((stage, event), ()):
            if guards & rule.needs == rule.needs and not guards & rule.refuses:
                return rule.target
        return REFUSED

    def mask(self, true_guards: Iterable[str]) -> int:
        """The bit mask of guards that say yes; a guard no transition uses changes nothing.

        Raises:
            ValidationError: A name is not a string.
        """
        bits = 0
        for guard in true_guards:
            if not isinstance(guard, str):
                raise ValidationError(
                    owner=f"compiled {self.name}",
                    field="guards",
                    value=guard,
                    expected="guard names (str)",
                )
            bits |= self.guard_bits.get(guard, 0)
        return bits

    def decide(self, stage: str, event: str, true_guards: Iterable[str] = ()) -> str | None:
        """Where ``event`` takes a record in ``stage`` given the guards that say yes; None: refused.

        An unknown stage or event is refused too, as python-statemachine
        refuses it.
        """
        stage_code = self.stage_codes.get(stage)
        event_code = self.event_codes.get(event)
        if stage_code is None or event_code is None:
            return None
        target = self.step(stage_code, event_code, self.mask(true_guards))
        return None if target == REFUSED else self.stages[target]

    def __repr__(self) -> str:
        return (
            f"<CompiledFunnel {self.name}: {len(self.stages)} stages, {len(self.events)} events, "
            f"{sum(len(rules) for rules in self.rules.values())} transitions>"
        )


_COMPILED: WeakKeyDictionary[type[Funnel], CompiledFunnel] = WeakKeyDictionary()


def compile_funnel(funnel: type[Funnel]) -> CompiledFunnel:
    """Compile a funnel class into a transition table, once per class.

    The class is read by introspection (its :meth:`~leadlife.Funnel.spec`):
    a default, a subclass or a funnel built from a spec alike. The class
    stays the definition; the table decides moves the way its
    python-statemachine engine would, given the guards' answers.

    Raises:
        ValidationError: ``funnel`` is not a :class:`~leadlife.Funnel` class.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import compile_funnel
        >>> compile_funnel(DefaultFunnel).decide("suspect", "engage")
        'lead'
    """
    from leadlife._funnel.base import Funnel  # noqa: PLC0415 - the base imports this module's users

    given: object = funnel
    if not (isinstance(given, type) and issubclass(given, Funnel) and given.states):
        raise ValidationError(
            owner="compile_funnel", field="funnel", value=funnel, expected="a Funnel class"
        )
    found = _COMPILED.get(funnel)
    if found is None:
        found = _COMPILED[funnel] = _compile(funnel)
    return found


def _compile(funnel: type[Funnel]) -> CompiledFunnel:
    spec = funnel.spec()
    stages = tuple(stage.id for stage in spec.stages)
    events = spec.events
    guards = tuple(
        dict.fromkeys(name for move in spec.transitions for name in (*move.guards, *move.unless))
    )
    stage_code = {stage: code for code, stage in enumerate(stages)}
    event_code = {event: code for code, event in enumerate(events)}
    bit = {guard: 1 << index for index, guard in enumerate(guards)}
    rules: dict[tuple[int, int], tuple[Rule, ...]] = {}
    for move in spec.transitions:  # in the order python-statemachine tries them
        key = (stage_code[move.source], event_code[move.event])
        rule = Rule(
            needs=sum(bit[name] for name in set(move.guards)),
            refuses=sum(bit[name] for name in set(move.unless)),
            target=stage_code[move.target],
        )
        rules[key] = (*rules.get(key, ()), rule)
    return CompiledFunnel(name=spec.name, stages=stages, events=events, guards=guards, rules=rules)
