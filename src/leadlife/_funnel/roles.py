"""What each stage of a funnel is for: the one vocabulary the book level speaks.

Reports, importers and the prototype never spell a stage's name: a team's
funnel may call its prospect stage ``sql`` and its won stage ``closed_won``.
They ask the funnel's :class:`FunnelRoles` instead (which stages win, lose,
screen out, recycle; which record stands where; the way forward to a win),
read once from the funnel's spec and passed down.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import attrs

from leadlife._core.support.errors import ValidationError
from leadlife._core.values.ids import RecordKind
from leadlife._funnel.spec import FunnelSpec

if TYPE_CHECKING:
    from leadlife._funnel.base import Funnel

TIER_NAMES = ("suspect", "lead", "prospect", "customer")
"""The 8-4-2-1 rule's tiers, by their domain names (not stage names): every funnel has them."""


@attrs.frozen(kw_only=True, eq=False)
class FunnelRoles:
    """A funnel's stages by what they mean, read once from its spec.

    Get one with :meth:`FunnelRoles.of` (a funnel class or a
    :class:`~leadlife.FunnelSpec`) or ``SomeFunnel.roles()``.

    Attributes:
        name: The funnel's name.
        stages: Every stage, in declaration order.
        initial: The stage new records start in.
        kinds: The least deep record each stage takes.
        won: Stages that close a deal won.
        lost: Stages that close a deal lost.
        screened_out: Stages a record enters only screened out (with a reason
            and a review date).
        final: Terminal stages: nothing leaves them.
        recycle: Stages that take records back into the funnel later.
        closed: Out of the running: won, screened out or final.
        exits: Where a journey leaves the running without a win: screened out
            or final, and not won.
        forward: The way to a win: the shortest path from the initial stage to
            a won stage moving only forward (to stages declared later), through
            no recycle, screened-out or terminal stage; the longest such path
            from the initial stage in a funnel that wins nothing.
        customer_life: The won stages and what a won deal goes on to (growth,
            renewal, churn, win-back): the stages of deals reached from a win
            before the funnel sends them back to the way forward or to a
            recycle stage.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> roles = DefaultFunnel.roles()
        >>> roles.forward[:5]
        ('suspect', 'lead', 'sales_ready', 'accepted', 'prospect')
        >>> roles.forward[5:]
        ('discovery', 'presentation', 'proposal', 'customer')
        >>> sorted(roles.won), sorted(roles.recycle)
        (['customer'], ['nurture'])
        >>> roles.path_to("negotiation")[-3:]
        ('presentation', 'proposal', 'negotiation')
    """

    name: str
    stages: tuple[str, ...]
    initial: str
    kinds: Mapping[str, RecordKind]
    won: frozenset[str]
    lost: frozenset[str]
    screened_out: frozenset[str]
    final: frozenset[str]
    recycle: frozenset[str]
    closed: frozenset[str]
    exits: frozenset[str]
    forward: tuple[str, ...]
    customer_life: frozenset[str]
    _steps: Mapping[tuple[str, str], str] = attrs.field(alias="steps", repr=False)
    # The ways path_to found, by (start, stage): an import asks the same few a million times.
    _paths: dict[tuple[str, str], tuple[str, ...]] = attrs.field(
        factory=dict, init=False, repr=False
    )

    @classmethod
    def of(cls, funnel: type[Funnel] | FunnelSpec) -> FunnelRoles:
        """The roles of a funnel class or a funnel spec (read once per class).

        Raises:
            ValidationError: ``funnel`` is neither.
        """
        if isinstance(funnel, FunnelSpec):
            return _from_spec(funnel)
        given: object = funnel  # a caller without a type checker may pass anything
        spec = getattr(given, "spec", None)
        if not isinstance(given, type) or spec is None:
            raise ValidationError(
                owner="FunnelRoles",
                field="funnel",
                value=funnel,
                expected="a Funnel class or a FunnelSpec",
            )
        found = _ROLES.get(funnel)
        if found is None:
            found = _ROLES[funnel] = _from_spec(spec())
        return found

    def kind_of(self, stage: str) -> RecordKind:
        """The least deep record that may stand in ``stage``.

        Raises:
            ValidationError: The funnel has no such stage.
        """
        self._known(stage)
        return self.kinds[stage]

    def stages_for(self, kind: RecordKind) -> tuple[str, ...]:
        """The stages whose least record is ``kind``, in declaration order.

        Example:
            >>> from leadlife import DefaultFunnel, RecordKind
            >>> DefaultFunnel.roles().stages_for(RecordKind.PROSPECT)
            ('prospect',)
        """
        return tuple(stage for stage in self.stages if self.kinds[stage] is kind)

    def at_least(self, kind: RecordKind) -> frozenset[str]:
        """The stages only a ``kind`` of record or a deeper one stands in.

        A journey that ever stood in one of them became that kind of record:
        how reports count prospects on any funnel.
        """
        return frozenset(s for s in self.stages if self.kinds[s].depth >= kind.depth)

    def path_to(self, stage: str, *, start: str | None = None) -> tuple[str, ...]:
        """The shortest way forward from ``start`` (the initial stage) to ``stage``, both included.

        Moves only forward (to stages declared later) and, before ``stage``,
        through no recycle, screened-out or terminal stage: the journey an
        importer replays when a file shows only where a record ended up.

        Raises:
            ValidationError: A stage is unknown, or there is no such way.
        """
        begin = self.initial if start is None else start
        found = self._paths.get((begin, stage))
        if found is None:
            found = self._paths[begin, stage] = self._path(begin, stage)
        return found

    def _path(self, begin: str, stage: str) -> tuple[str, ...]:
        self._known(begin)
        self._known(stage)
        order = {name: index for index, name in enumerate(self.stages)}
        passable = set(self.stages) - self.recycle - self.screened_out - self.final
        came_from: dict[str, str | None] = {begin: None}
        queue = deque([begin])
        while queue and stage not in came_from:
            here = queue.popleft()
            if here != begin and here not in passable:
                continue
            for source, target in self._steps:
                if source == here and target not in came_from and order[target] > order[here]:
                    came_from[target] = here
                    queue.append(target)
        if stage not in came_from:
            raise ValidationError(
                owner=f"funnel {self.name}",
                field="stage",
                value=stage,
                expected=f"a stage reached forward from {begin!r}",
            )
        path = [stage]
        while (before := came_from[path[-1]]) is not None:
            path.append(before)
        return tuple(reversed(path))

    def allows(self, source: str, target: str) -> bool:
        """Whether an event the funnel declares moves ``source`` straight to ``target``.

        Example:
            >>> from leadlife import DefaultFunnel
            >>> roles = DefaultFunnel.roles()
            >>> roles.allows("lead", "sales_ready"), roles.allows("lead", "customer")
            (True, False)
        """
        return (source, target) in self._steps

    def event_between(self, source: str, target: str) -> str:
        """The first declared event that moves ``source`` to ``target``.

        Raises:
            ValidationError: No event does.
        """
        event = self._steps.get((source, target))
        if event is None:
            raise ValidationError(
                owner=f"funnel {self.name}",
                field="move",
                value=f"{source} -> {target}",
                expected="a move the funnel declares",
            )
        return event

    def role_of(self, stage: str) -> tuple[object, ...]:
        """What ``stage`` is for, as a key two funnels can compare (not its name).

        The initial stage; the won, lost, recycle or terminal stage (when the
        funnel has one such); a screened-out stage by the record it takes; a
        stage on the way forward by the record it takes and its place among
        that record's stages there; otherwise the stage the way to it leaves
        from, by role, and the event that leads in.

        Raises:
            ValidationError: The funnel has no such stage.
        """
        self._known(stage)
        kind = self.kinds[stage]
        if stage == self.initial:
            return ("initial",)
        for role in ("won", "lost", "recycle", "final"):
            among: frozenset[str] = getattr(self, role)
            if stage in among and len(among) == 1:
                return (role,)
        if stage in self.screened_out:
            return ("screened_out", kind)
        if stage in self.forward:
            same = [s for s in self.forward if self.kinds[s] is kind]
            return ("forward", kind, same.index(stage))
        try:
            way = self.path_to(stage)
        except ValidationError:
            return ("named", stage)
        before = way[-2]
        return ("after", self.role_of(before), self.event_between(before, stage))

    def counterparts(self, reference: FunnelRoles) -> Mapping[str, str]:
        """For each stage of ``reference``, the stage of this funnel that plays its role.

        A stage is matched by its role (:meth:`role_of`), else by its name;
        one with neither has no counterpart (it is left out). How an import
        written for one funnel (the default funnel's stages, as the CRM
        mappings name them) replays onto another.

        Example:
            >>> from leadlife import DefaultFunnel
            >>> found = DefaultFunnel.roles().counterparts(DefaultFunnel.roles())
            >>> all(ours == theirs for theirs, ours in found.items())
            True
        """
        by_role: dict[tuple[object, ...], list[str]] = {}
        for stage in self.stages:
            by_role.setdefault(self.role_of(stage), []).append(stage)
        found: dict[str, str] = {}
        for stage in reference.stages:
            ours = by_role.get(reference.role_of(stage), [])
            if len(ours) == 1:
                found[stage] = ours[0]
            elif stage in self.kinds:
                found[stage] = stage
        return MappingProxyType(found)

    @property
    def tiers(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The 8-4-2-1 rule's tiers on this funnel, each with the stages that mean it was reached.

        Every journey is a suspect; a lead once it stood in a lead's stage on
        the way forward past the first, or in a recycle stage; a prospect once
        it stood in a stage for a prospect or a deal before the win; a
        customer once a deal was won (and stays one after churning: the sale
        happened).

        Example:
            >>> from leadlife import DefaultFunnel
            >>> for tier in DefaultFunnel.roles().tiers:
            ...     print(tier)
            ('suspect', ('suspect',))
            ('lead', ('lead', 'sales_ready', 'accepted', 'nurture'))
            ('prospect', ('prospect', 'discovery', 'presentation', 'proposal'))
            ('customer', ('customer', 'growing', 'retained', 'churned', 'winning_back'))
        """
        on_way = [s for s in self.forward if s not in self.customer_life]
        leads = tuple(
            s
            for s in self.stages
            if (s in on_way[1:] and self.kinds[s] is RecordKind.LEAD) or s in self.recycle
        )
        deeper = tuple(s for s in on_way if self.kinds[s] is not RecordKind.LEAD)
        customers = tuple(s for s in self.stages if s in self.customer_life)
        return tuple(zip(TIER_NAMES, ((self.initial,), leads, deeper, customers), strict=True))

    def _known(self, stage: str) -> None:
        if stage not in self.kinds:
            raise ValidationError(
                owner=f"funnel {self.name}",
                field="stage",
                value=stage,
                expected="one of " + ", ".join(self.stages),
            )


_ROLES: WeakKeyDictionary[type[Funnel], FunnelRoles] = WeakKeyDictionary()


def _from_spec(spec: FunnelSpec) -> FunnelRoles:
    stages = tuple(stage.id for stage in spec.stages)
    kinds = {
        stage.id: RecordKind.LEAD if stage.kind is None else stage.kind for stage in spec.stages
    }
    steps: dict[tuple[str, str], str] = {}
    for move in spec.transitions:
        steps.setdefault((move.source, move.target), move.event)
    won = frozenset(stage.id for stage in spec.stages if stage.won)
    lost = frozenset(stage.id for stage in spec.stages if stage.lost)
    screened_out, final, recycle = spec.screened_out_stages, spec.final_stages, spec.recycle_stages
    partial = FunnelRoles(
        name=spec.name,
        stages=stages,
        initial=spec.initial.id,
        kinds=MappingProxyType(kinds),
        won=won,
        lost=lost,
        screened_out=screened_out,
        final=final,
        recycle=recycle,
        closed=won | screened_out | final,
        exits=(screened_out | final) - won,
        forward=(),
        customer_life=frozenset(),
        steps=MappingProxyType(steps),
    )
    forward = _forward(partial)
    return attrs.evolve(partial, forward=forward, customer_life=_after_win(partial, forward))


def _forward(roles: FunnelRoles) -> tuple[str, ...]:
    ways = []
    for stage in roles.stages:
        try:
            ways.append(roles.path_to(stage))
        except ValidationError:
            continue
    winning = [way for way in ways if way[-1] in roles.won]
    if winning:
        return min(winning, key=len)
    passable = [way for way in ways if way[-1] not in roles.closed | roles.recycle]
    return max(passable, key=len)


def _after_win(roles: FunnelRoles, forward: tuple[str, ...]) -> frozenset[str]:
    # What a won deal goes on to: deal stages reached from a win, stopping where the
    # funnel sends the deal back to the way forward (a win-back reopening a deal) or out.
    seen = set(roles.won)
    queue = deque(roles.won)
    while queue:
        here = queue.popleft()
        for source, target in roles._steps:  # noqa: SLF001 - the class's own table
            if (
                source == here
                and target not in seen
                and target not in forward
                and target not in roles.recycle
                and target not in roles.final
                and roles.kinds[target].depth >= roles.kinds[here].depth
            ):
                seen.add(target)
                queue.append(target)
    return frozenset(seen)
