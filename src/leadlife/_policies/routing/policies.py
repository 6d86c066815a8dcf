"""Who gets the lead: rules, a weighted round robin, capacity, and a chain of them.

Every policy is a pure function of the record, the owners' workload and the
time: it names an owner with the reason (an :class:`Assignment`), or says
why it could not (a :class:`Declined`). An owner's limits and calendar hold
whichever policy asks: nobody is given a lead on their day off, or beyond
what they may hold, by any of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._policies.routing.owners import Owner, Workload
from leadlife._policies.scoring.facts import FACTS, fact


@attrs.frozen(kw_only=True)
class Assignment:
    """An owner for a record, the policy that chose them, and why.

    Example:
        >>> from leadlife.routing import Assignment
        >>> Assignment(owner="kim", policy="round_robin", reason="next in turn").owner
        'kim'
    """

    owner: str = attrs.field(validator=check.text)
    policy: str = attrs.field(validator=check.text)
    reason: str = attrs.field(validator=check.text)


@attrs.frozen(kw_only=True)
class Declined:
    """A policy found nobody for the record, and says why.

    Example:
        >>> from leadlife.routing import Declined
        >>> Declined(policy="capacity", reason="everyone is at capacity").reason
        'everyone is at capacity'
    """

    policy: str = attrs.field(validator=check.text)
    reason: str = attrs.field(validator=check.text)


Routed = Assignment | Declined
"""What a policy gives: an assignment, or why there is none."""


@runtime_checkable
class RoutingPolicy(Protocol):
    """What a routing policy is: leadlife's own, or a plugin's (entry points ``leadlife.routing``).

    A policy has a lower_snake_case ``key`` and routes a record, given the
    workload and the time, to an :class:`Assignment` or a :class:`Declined`:
    purely (the same inputs, the same answer), and never to an owner whose
    :meth:`Owner.refuses` says no.

    Example:
        >>> from leadlife.routing import RoundRobin, RoutingPolicy
        >>> isinstance(RoundRobin(owners=["kim", "sam"]), RoutingPolicy)
        True
    """

    @property
    def key(self) -> str:
        """The policy's name, lower_snake_case."""

    def route(self, record: Record, workload: Workload, at: datetime) -> Routed:
        """The owner for ``record`` at ``at``, or why there is none."""


def _owners(value: Sequence[Owner | str]) -> tuple[Owner, ...]:
    given: object = value
    if isinstance(given, str) or not isinstance(given, Sequence):
        return check.refused(value, "a list of owners (Owner, or a key)")  # type: ignore[no-any-return]
    owners = tuple(Owner(key=item) if isinstance(item, str) else item for item in given)
    if not owners or not all(isinstance(owner, Owner) for owner in owners):
        return check.refused(value, "one or more owners (Owner, or a key)")  # type: ignore[no-any-return]
    keys = [owner.key for owner in owners]
    if len(set(keys)) != len(keys):
        return check.refused(value, "owners each listed once")  # type: ignore[no-any-return]
    return owners


def _available(
    owners: tuple[Owner, ...], workload: Workload, at: datetime
) -> tuple[list[Owner], list[str]]:
    """The owners who can take a lead now, and why each of the others cannot."""
    check.argument("route", "at", at, check.aware_datetime)
    free: list[Owner] = []
    refused: list[str] = []
    for owner in owners:
        why = owner.refuses(workload, at)
        if why is None:
            free.append(owner)
        else:
            refused.append(f"{owner.key}: {why}")
    return free, refused


def _nobody(policy: str, refused: list[str]) -> Declined:
    return Declined(policy=policy, reason="nobody can take it (" + "; ".join(refused) + ")")


@attrs.frozen(kw_only=True)
class RoundRobin:
    """Each owner in turn, as often as their weight says.

    The next lead goes by Balinski and Young's quota method: of the
    available owners still below their share once it is given, the one with
    the most weight per lead (ties to the first listed). Over any run, each
    owner's count stays within one lead of their exact share,
    ``n * weight / sum(weights)`` after ``n`` leads (a property test holds
    it to that). Shares count every lead an
    owner was given (the workload's ``total``), so an owner back from leave
    catches up on theirs.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.routing import Owner, RoundRobin, Workload
        >>> policy = RoundRobin(owners=[Owner(key="kim", weight=2), "sam"])
        >>> at, load, order = datetime(2026, 3, 2, 9, tzinfo=UTC), Workload(), []
        >>> for _ in range(6):
        ...     owner = policy.route(None, load, at).owner
        ...     order.append(owner)
        ...     load = load.taking(owner, at)
        >>> order
        ['kim', 'kim', 'sam', 'kim', 'kim', 'sam']
    """

    owners: tuple[Owner, ...] = attrs.field(converter=_owners, validator=check.converted)
    key: str = attrs.field(default="round_robin", validator=check.key)

    def route(self, record: Record | None, workload: Workload, at: datetime) -> Routed:  # noqa: ARG002 - a turn is the same whoever the lead
        """The available owner furthest behind their weighted share."""
        free, refused = _available(self.owners, workload, at)
        if not free:
            return _nobody(self.key, refused)
        given = sum(workload.total_of(owner.key) for owner in free)
        weights = sum(owner.weight for owner in free)
        # Balinski and Young's quota method: only owners still below their share once this
        # lead is given (given + 1 leads), and of those the one with the most weight per lead.
        # It keeps every owner within a lead of their share at every step; a plain "most
        # behind" does not (weights 1, 1, 1, 1, 1, 8, 8 drift past it).
        below = [o for o in free if workload.total_of(o.key) * weights < (given + 1) * o.weight]
        best = max(below, key=lambda o: Fraction(o.weight, workload.total_of(o.key) + 1))
        return Assignment(
            owner=best.key,
            policy=self.key,
            reason=(
                f"round robin: {best.key}'s turn (has {workload.total_of(best.key)} "
                f"of the {given} given, weight {best.weight} of {weights})"
            ),
        )


@attrs.frozen(kw_only=True)
class Capacity:
    """The owner with the most room: the fewest open records for what they may hold.

    Odoo's way: room is measured against ``max_open`` (or, without one,
    against the weight), ties to the one given fewest, then the first listed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.routing import Capacity, Owner, Workload
        >>> policy = Capacity(owners=[Owner(key="kim", max_open=10), Owner(key="sam", max_open=4)])
        >>> load = Workload(open={"kim": 5, "sam": 1})
        >>> policy.route(None, load, datetime(2026, 3, 2, 9, tzinfo=UTC)).owner
        'sam'
    """

    owners: tuple[Owner, ...] = attrs.field(converter=_owners, validator=check.converted)
    key: str = attrs.field(default="capacity", validator=check.key)

    def route(self, record: Record | None, workload: Workload, at: datetime) -> Routed:  # noqa: ARG002 - room is the same whoever the lead
        """The available owner whose open records fill the least of what they may hold."""
        free, refused = _available(self.owners, workload, at)
        if not free:
            return _nobody(self.key, refused)

        def load(owner: Owner) -> tuple[float, int]:
            room = owner.max_open if owner.max_open is not None else owner.weight
            return workload.open_of(owner.key) / max(room, 1), workload.total_of(owner.key)

        best = min(free, key=load)
        held = workload.open_of(best.key)
        limit = f"of {best.max_open}" if best.max_open is not None else "(no limit)"
        return Assignment(
            owner=best.key,
            policy=self.key,
            reason=f"capacity: {best.key} has the most room, {held} open {limit}",
        )


def _when(value: Mapping[str, Sequence[str]]) -> Mapping[str, frozenset[str]]:
    given: object = value
    if not isinstance(given, Mapping) or not given:
        return check.refused(value, "facts and the values they route on")  # type: ignore[no-any-return]
    found: dict[str, frozenset[str]] = {}
    for name, values in given.items():
        if name not in FACTS:
            return check.refused(value, f"facts among {', '.join(FACTS)}")  # type: ignore[no-any-return]
        texts: object = check.to_text_set(values)
        if not isinstance(texts, frozenset) or not texts:
            return check.refused(value, f"one or more values for {name}")  # type: ignore[no-any-return]
        found[name] = texts
    return found


def _target(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Owner | RoutingPolicy):
        check.refuse(instance, attribute, value, "an Owner or a routing policy")


@attrs.frozen(kw_only=True)
class Rule:
    """Leads whose facts match go to an owner, or to a policy of their own (a team's round robin).

    Args:
        key: The rule's name (``"emea"``).
        when: Facts (as scoring rules read them: ``"company.region"``,
            ``"source.channel"``...) and the values that match; every fact
            must match one of its values (``"unknown"`` matches a fact
            nobody knows).
        then: An :class:`Owner`, or a policy to route the matching leads.

    Example:
        >>> from leadlife.routing import Owner, Rule
        >>> Rule(key="emea", when={"company.region": ["EMEA"]}, then=Owner(key="kim")).key
        'emea'
    """

    key: str = attrs.field(validator=check.key)
    when: Mapping[str, frozenset[str]] = attrs.field(converter=_when, validator=check.converted)
    then: Owner | RoutingPolicy = attrs.field(validator=_target)

    def matches(self, record: Record) -> bool:
        """Whether every fact of ``record`` the rule reads is one of its values."""
        return all(fact(record, name) in values for name, values in self.when.items())

    def describe(self) -> str:
        """The rule in words: ``"emea (company.region is EMEA)"``."""
        parts = [f"{name} is {' or '.join(sorted(values))}" for name, values in self.when.items()]
        return f"{self.key} ({' and '.join(parts)})"


def _rules(value: Sequence[Rule]) -> tuple[Rule, ...]:
    rules: object = check.to_tuple_of(value, Rule, "a list of Rule")
    if isinstance(rules, tuple):
        keys = [rule.key for rule in rules]
        if not rules or len(set(keys)) != len(keys):
            return check.refused(value, "one or more rules, each key once")  # type: ignore[no-any-return]
    return rules  # type: ignore[return-value]


@attrs.frozen(kw_only=True)
class Rules:
    """Territories, segments, sources: the first rule the lead matches routes it.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Company, Contact, Lead, LeadId, Source
        >>> from leadlife.routing import Owner, RoundRobin, Rule, Rules, Workload
        >>> policy = Rules(
        ...     rules=[
        ...         Rule(key="emea", when={"company.region": ["EMEA"]}, then=Owner(key="kim")),
        ...         Rule(
        ...             key="partners",
        ...             when={"source.channel": ["partner"]},
        ...             then=RoundRobin(owners=["ana", "bo"]),
        ...         ),
        ...     ]
        ... )
        >>> at = datetime(2026, 3, 2, 9, tzinfo=UTC)
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="lead",
        ...     contact=Contact(name="Ada"),
        ...     company=Company(name="Acme", region="EMEA"),
        ...     source=Source(channel="web"),
        ...     created_at=at,
        ... )
        >>> routed = policy.route(lead, Workload(), at)
        >>> routed.owner, routed.reason
        ('kim', 'rule emea (company.region is EMEA): kim')
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_rules, validator=check.converted)
    key: str = attrs.field(default="rules", validator=check.key)

    def route(self, record: Record, workload: Workload, at: datetime) -> Routed:
        """The owner the first matching rule names, or its policy's choice."""
        for rule in self.rules:
            if not rule.matches(record):
                continue
            said = f"rule {rule.describe()}"
            if isinstance(rule.then, Owner):
                free, refused = _available((rule.then,), workload, at)
                if not free:
                    return Declined(policy=self.key, reason=f"{said}: {refused[0]}")
                return Assignment(
                    owner=rule.then.key, policy=self.key, reason=f"{said}: {free[0].key}"
                )
            routed = rule.then.route(record, workload, at)
            policy = f"{self.key}/{routed.policy}"
            if isinstance(routed, Declined):
                return Declined(policy=policy, reason=f"{said}: {routed.reason}")
            return Assignment(owner=routed.owner, policy=policy, reason=f"{said}; {routed.reason}")
        return Declined(policy=self.key, reason="no rule matches the lead")


def _policies(value: Sequence[RoutingPolicy]) -> tuple[RoutingPolicy, ...]:
    given: object = value
    if (
        isinstance(given, str)
        or not isinstance(given, Sequence)
        or not given
        or not all(isinstance(item, RoutingPolicy) for item in given)
    ):
        return check.refused(value, "one or more routing policies")  # type: ignore[no-any-return]
    return tuple(given)


@attrs.frozen(kw_only=True)
class Chain:
    """Policies tried in order: the first to assign wins; else the fallback, or nobody.

    Args:
        policies: The policies, in the order they are tried.
        fallback: Who gets what no policy could place (a queue's owner, a
            manager); ``None``: nobody, and :class:`Declined` says why each
            policy could not.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife.routing import Chain, Owner, RoundRobin, Workload
        >>> full = Owner(key="kim", max_open=1)
        >>> policy = Chain(policies=[RoundRobin(owners=[full])], fallback=Owner(key="queue"))
        >>> routed = policy.route(None, Workload(open={"kim": 1}), datetime(2026, 3, 2, tzinfo=UTC))
        >>> routed.owner, routed.policy
        ('queue', 'chain/fallback')
    """

    policies: tuple[RoutingPolicy, ...] = attrs.field(
        converter=_policies, validator=check.converted
    )
    fallback: Owner | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(check.instance_of(Owner, "an Owner or None")),
    )
    key: str = attrs.field(default="chain", validator=check.key)

    def route(self, record: Record, workload: Workload, at: datetime) -> Routed:
        """The first policy's assignment; else the fallback's, with why the others declined."""
        declined: list[str] = []
        for policy in self.policies:
            routed = policy.route(record, workload, at)
            if isinstance(routed, Assignment):
                return Assignment(
                    owner=routed.owner, policy=f"{self.key}/{routed.policy}", reason=routed.reason
                )
            declined.append(f"{routed.policy}: {routed.reason}")
        why = "; ".join(declined)
        if self.fallback is not None:
            refusal = self.fallback.refuses(workload, at)
            if refusal is None:
                return Assignment(
                    owner=self.fallback.key,
                    policy=f"{self.key}/fallback",
                    reason=f"fallback to {self.fallback.key}: {why}",
                )
            why += f"; fallback {self.fallback.key}: {refusal}"
        return Declined(policy=self.key, reason=why)
