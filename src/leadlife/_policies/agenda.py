"""The agenda: what is due across many records at one time.

A pure function of the records and a time; no threads, no timers, no I/O.
The embedding app calls it from its own scheduler, shows the actions, and
applies those it accepts through :meth:`Lifecycle.apply <leadlife.Lifecycle.apply>`.

It is meant for a whole book of leads at once, so its checks (the funnel's
rules and service levels, leadlife's own, those of plugins: see
:mod:`leadlife._policies.checks`) are sorted by the stages they watch when
the agenda is made: for each record, only what can fire in its stage runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple, overload

from leadlife._core.journal.history import History
from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.actions import DueAction
from leadlife._core.values.ids import RecordId
from leadlife._funnel.base import Funnel
from leadlife._funnel.roles import FunnelRoles
from leadlife._funnel.table import FunnelTable, table
from leadlife._policies.checks.check import NEEDABLE, Check
from leadlife._policies.checks.defaults import default_checks
from leadlife._policies.checks.dispatch import Run, stage_run
from leadlife._policies.checks.funnel_own import LevelCheck, RuleCheck
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.hand_offs import HandOffs
from leadlife._policies.recycling import RecyclingRule
from leadlife._policies.registry import Registry, default_registry
from leadlife._policies.routing.owners import Workload
from leadlife._policies.routing.policies import RoutingPolicy
from leadlife._policies.routing.reassign import Reassigning
from leadlife._policies.sla import ServiceLevel

_DUE = attrgetter("due_at")


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
    """A funnel's checks, sorted by the stages they watch, ready to run over a book.

    What it looks for is a list of :class:`Check` objects: the funnel's own
    (its recycling rules, its service levels, its hand-offs by score), then
    leadlife's (:func:`default_checks`: follow-ups due, nurture, broken
    promises, the named follow-up failures, unanswered objections, no decision
    maker reached, recycled too often) and those plugins add.

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
        checks: The other checks; unless given, :func:`default_checks` and
            the checks plugins add that fit the funnel (watch stages it has).
            Tune leadlife's with ``checks=default_checks(max_recycles=5)``.
        registry: Where plugin rules and checks are found; the default
            registry unless given (``Registry(autoload=False)`` or
            ``LEADLIFE_NO_PLUGINS`` leaves installed plugins out).
        routing: Reassign a lead whose ``reassign_on`` level was breached,
            by this routing policy (see :mod:`leadlife.routing`): never to
            the owner who let it wait, within every owner's limits given the
            workload the book shows; when nobody can take it, a flag says why.
        reassign_on: The service levels whose breach moves a lead on.

    Attributes:
        rules: The recycling rules this agenda runs, the funnel's first.
        checks: Every check this agenda runs, in the order it runs them.
        skipped: The plugin rules and checks left out, each with why: they do
            not fit the funnel.

    Every rule, level and check is checked against the funnel when the agenda
    is made: one that watches a stage the funnel does not have, or a rule that
    proposes an event the funnel does not allow from it, is refused, never
    silently idle.

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
        "_by_stage",
        "_everywhere",
        "_funnel",
        "_reassigning",
        "checks",
        "rules",
        "skipped",
    )

    def __init__(
        self,
        funnel: type[Funnel] = DefaultFunnel,
        *,
        rules: Sequence[RecyclingRule] | None = None,
        levels: Sequence[ServiceLevel] | None = None,
        checks: Sequence[Check] | None = None,
        registry: Registry | None = None,
        routing: RoutingPolicy | None = None,
        reassign_on: Sequence[str] = ("acceptance",),
    ) -> None:
        check.argument("Agenda", "funnel", funnel, _A_FUNNEL)
        check.argument("Agenda", "routing", routing, _A_POLICY)
        found, roles = table(funnel), funnel.roles()
        chosen_registry = default_registry() if registry is None else registry
        self.skipped: list[tuple[str, str]] = []
        if rules is None:
            rules = [*funnel.rules, *self._fitting_rules(funnel, found, chosen_registry)]
        self.rules: tuple[RecyclingRule, ...] = tuple(rules)
        for rule in self.rules:
            _check_rule(funnel.__name__, found, rule)
        chosen_levels = funnel.levels if levels is None else levels
        for level in chosen_levels:
            _check_level(funnel.__name__, found, level)
        own: list[Check] = [RuleCheck(rule) for rule in self.rules]
        own += [LevelCheck(level) for level in chosen_levels]
        hand_offs = HandOffs.of(found)
        if hand_offs.model is not None:
            own.append(hand_offs)
        if checks is None:
            checks = [*default_checks(), *self._fitting_checks(roles, chosen_registry)]
        for given in checks:
            _check_check(roles, given)
        self.checks: tuple[Check, ...] = (*own, *checks)
        # The stage index: for each stage, only the checks that watch it, with their hint.
        # The index: for each stage, the checks that watch it, grouped by the field of the
        # record they need (one read of it for them all), each __call__ bound once.
        indexed = [(one, one.watches(roles), getattr(one, "needs", None)) for one in self.checks]
        # Each stage's groups written out as one function (see checks/dispatch.py).
        self._everywhere = stage_run(
            _grouped([(one, needs) for one, where, needs in indexed if where is None])
        )
        self._by_stage = {
            stage: stage_run(
                _grouped(
                    [
                        (one, needs)
                        for one, where, needs in indexed
                        if where is None or stage in where
                    ]
                )
            )
            for stage in roles.stages
        }
        self._funnel = funnel
        known = {level.key for level in chosen_levels}
        self._reassigning = (
            None
            if routing is None
            else Reassigning(policy=routing, levels=_level_keys(reassign_on, known))
        )

    def _fitting_rules(
        self, funnel: type[Funnel], found: FunnelTable, registry: Registry
    ) -> list[RecyclingRule]:
        own = {rule.key for rule in funnel.rules}
        fitting = []
        for rule in registry.added_rules():
            if rule.key in own:
                continue
            try:
                _check_rule(funnel.__name__, found, rule)
            except ValidationError as error:
                self.skipped.append((rule.key, error.expected))
                continue
            fitting.append(rule)
        return fitting

    def _fitting_checks(self, roles: FunnelRoles, registry: Registry) -> list[Check]:
        fitting = []
        for added in registry.added_checks():
            try:
                _check_check(roles, added)
            except ValidationError as error:
                self.skipped.append((added.key, error.expected))
                continue
            fitting.append(added)
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

    def _due(self, records: Iterable[Record], at: datetime) -> list[DueAction]:
        reassigning = self._reassigning
        book: dict[RecordId, Record] = {}
        if reassigning is not None:
            # A reassignment weighs the whole book's workload: keep the records seen.
            book = {record.id: record for record in records}
            records = book.values()
        due: list[DueAction] = []
        by_stage, everywhere = self._by_stage, self._everywhere
        # The hot loop over a whole book: one pass, only the checks of the record's stage,
        # and of those only the ones whose field the record has.
        for record in records:
            if record.consent.do_not_contact:
                continue  # nothing is due for someone who asked to be left alone
            if record.converted_to is not None:
                continue  # its journey goes on in the record it became; this one takes no more
            if record.merged_into is not None:
                continue  # one person, one record: the survivor's agenda is theirs
            by_stage.get(record.stage, everywhere)(record, at, due)
        if reassigning is not None:
            due.sort(key=_DUE)  # the longest waiting are reassigned first
            load = Workload.of(book.values(), funnel=self._funnel)
            due += reassigning.propose(due, book, load, at)
        due.sort(key=_DUE)
        return due


def _grouped(checks: list[tuple[Check, str | None]]) -> list[tuple[str | None, list[Run]]]:
    """The checks by the field of the record they need, each bound once, in the order given."""
    groups: dict[str | None, list[Run]] = {}
    for one, needs in checks:
        groups.setdefault(needs, []).append(one.__call__)
    return list(groups.items())


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
    _check_needs("rules", "rule", rule.key, getattr(rule, "needs", None))
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


def _check_needs(field: str, what: str, key: str, needs: object) -> None:
    """Refuse a ``needs`` that names no field of a record: the agenda would skip it everywhere."""
    if needs is not None and needs not in NEEDABLE:
        raise ValidationError(
            owner="Agenda",
            field=field,
            value=key,
            expected=f"a {what} whose needs is None or a field of a record "
            f"({', '.join(sorted(NEEDABLE))}); {key!r} needs {needs!r}",
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


def _check_check(roles: FunnelRoles, given: object) -> None:
    if not isinstance(given, Check):
        raise ValidationError(
            owner="Agenda",
            field="checks",
            value=given,
            expected="Check objects (a key, watches(roles) and __call__(record, at))",
        )
    _check_needs("checks", "check", given.key, getattr(given, "needs", None))
    watched = given.watches(roles)
    if watched is not None and (unknown := sorted(set(watched) - set(roles.stages))):
        raise ValidationError(
            owner="Agenda",
            field="checks",
            value=given.key,
            expected=f"checks that watch stages of funnel {roles.name}; {given.key!r} watches "
            f"{', '.join(map(repr, unknown))}, which it does not have",
        )


def _check_at(at: object, called: str) -> None:
    check.argument(called, "at", at, check.aware_datetime)


@overload
def agenda(
    book: Iterable[History[Any]],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    checks: Sequence[Check] | None = None,
) -> list[Due]: ...
@overload
def agenda(
    book: Iterable[Record],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    checks: Sequence[Check] | None = None,
) -> list[DueAction]: ...
def agenda(
    book: Iterable[Record] | Iterable[History[Any]],
    at: datetime,
    *,
    funnel: type[Funnel] = DefaultFunnel,
    rules: Sequence[RecyclingRule] | None = None,
    levels: Sequence[ServiceLevel] | None = None,
    checks: Sequence[Check] | None = None,
) -> list[DueAction] | list[Due]:
    """The actions due at ``at`` across ``book`` (records or histories), the longest overdue first.

    A shortcut for ``Agenda(funnel, rules=..., levels=..., checks=...)(book, at)``;
    make an :class:`Agenda` once to run it many times.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.agenda import agenda
        >>> agenda([], datetime(2026, 3, 2, tzinfo=UTC))
        []
    """
    _check_at(at, "agenda")
    made = Agenda(funnel, rules=rules, levels=levels, checks=checks)
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


# The public home of this module's names, imported whoever imports it first: their
# __module__ is leadlife.agenda whatever the order of imports (see _core/public.py).
import leadlife.agenda  # noqa: E402, F401
