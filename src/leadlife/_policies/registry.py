"""The registry of criteria, frameworks, recycling rules, agenda checks, scoring, routing.

They are built in, installed, or registered. Third-party packages declare
them under the entry-point groups ``leadlife.criteria``,
``leadlife.frameworks``, ``leadlife.recycling``, ``leadlife.checks`` (agenda
checks), ``leadlife.scoring`` (scoring models), ``leadlife.scoring_rules`` and
``leadlife.routing``; leadlife's own are built
in, declared once, in code. Discovery is lazy and cached: the entry points are read once, and
a plugin is imported only when its name is first asked for, so a broken
plugin breaks nothing but itself. ``LEADLIFE_NO_PLUGINS=1`` turns autoloading
off; explicit registration works either way (notebooks, tests).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.errors import PluginConflictError, PluginError, UnknownKeyError
from leadlife._policies.checks.check import Check
from leadlife._policies.checks.defaults import default_checks
from leadlife._policies.criteria import BUILT_IN_CRITERIA
from leadlife._policies.criterion import Criterion
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife._policies.enrichment import EnrichmentProvider
from leadlife._policies.framework import Framework
from leadlife._policies.frameworks import BUILT_IN_FRAMEWORKS
from leadlife._policies.recycling import RecyclingRule
from leadlife._policies.routing.policies import RoutingPolicy
from leadlife._policies.scoring.model import ScoringModel
from leadlife._policies.scoring.rules import ScoringRule

if TYPE_CHECKING:
    from importlib import metadata

CRITERIA_GROUP = "leadlife.criteria"
FRAMEWORKS_GROUP = "leadlife.frameworks"
RULES_GROUP = "leadlife.recycling"
SCORING_GROUP = "leadlife.scoring"
SCORING_RULES_GROUP = "leadlife.scoring_rules"
ROUTING_GROUP = "leadlife.routing"
CHECKS_GROUP = "leadlife.checks"
ENRICHMENT_GROUP = "leadlife.enrichment"
NO_PLUGINS = "LEADLIFE_NO_PLUGINS"
_LEADLIFE = "leadlife"
_EXPLICIT = "registered explicitly"

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class PluginInfo:
    """One criterion or framework the registry knows, and where it comes from.

    Example:
        >>> from leadlife.plugins import Registry
        >>> info = Registry(autoload=False).installed()[0]
        >>> info.group, info.name, info.distribution
        ('leadlife.criteria', 'budget', 'leadlife')
    """

    group: str = attrs.field(validator=check.text)
    name: str = attrs.field(validator=check.text)
    distribution: str = attrs.field(validator=check.text)
    value: str | None = attrs.field(default=None, validator=optional(check.text))
    """The entry point's target (``"package.module:NAME"``) for installed plugins."""


@cache
def _entry_points(group: str) -> tuple[metadata.EntryPoint, ...]:
    # Reading every distribution's metadata is the slow part: once per process, and
    # importlib.metadata itself is imported only then (it costs an import of leadlife 10%).
    from importlib import metadata  # noqa: PLC0415

    return tuple(metadata.entry_points(group=group))


def _distribution(entry_point: metadata.EntryPoint) -> str:
    # A distribution whose metadata is broken or half-removed (an
    # uninstall under way) has no name: still name it, never crash sorting.
    dist = entry_point.dist
    name: str | None = dist.name if dist is not None else None
    return name or "an unknown distribution"


class _Shelf(Generic[T]):
    """The items of one group: built in, installed, or registered explicitly."""

    def __init__(
        self,
        group: str,
        kind: str,
        built_in: tuple[T, ...],
        accepts: Callable[[Any], bool],
        autoload: bool,
    ) -> None:
        self.group = group
        self.kind = kind
        self.accepts = accepts
        self.autoload = autoload
        self.built_in: dict[str, T] = {item.key: item for item in built_in}  # type: ignore[attr-defined]
        self.explicit: dict[str, T] = {}
        self.loaded: dict[str, T] = {}
        self.failed: dict[str, PluginError] = {}

    def register(self, item: T, *, replace: bool) -> None:
        key = getattr(item, "key", None)
        if not self.accepts(item) or not check.valid_key(key):
            raise PluginError(
                group=self.group,
                name=str(key),
                distribution=_EXPLICIT,
                problem=f"{item!r} is not a {self.kind} with a lower_snake_case key",
            )
        assert isinstance(key, str)  # noqa: S101 - valid_key checked it
        if key in self.explicit and not replace:
            raise PluginConflictError(
                group=self.group, name=key, distributions=[_EXPLICIT, _EXPLICIT]
            )
        self.explicit[key] = item

    def _installed(self) -> list[metadata.EntryPoint]:
        """Entry points of other distributions; leadlife's own are its built-ins."""
        if not self.autoload:
            return []
        return [ep for ep in _entry_points(self.group) if _distribution(ep) != _LEADLIFE]

    def get(self, name: str) -> T:
        if name in self.explicit:
            return self.explicit[name]
        claims = [ep for ep in self._installed() if ep.name == name]
        if claims:
            owners = {_distribution(ep) for ep in claims}
            if name in self.built_in:
                owners.add(_LEADLIFE)
            if len(owners) > 1:
                raise PluginConflictError(group=self.group, name=name, distributions=sorted(owners))
            return self._load(claims[0])
        if name in self.built_in:
            return self.built_in[name]
        raise UnknownKeyError(kind=self.kind, key=name, known=self.names())

    def _load(self, entry_point: metadata.EntryPoint) -> T:
        name = entry_point.name
        if name in self.loaded:
            return self.loaded[name]
        if name in self.failed:
            raise self.failed[name]
        distribution = _distribution(entry_point)
        try:
            item = entry_point.load()
        # Any import-time failure is the plugin's, a sys.exit() at its import too; it is
        # kept, so the plugin is not imported again on every call.
        except (Exception, SystemExit) as error:
            self.failed[name] = PluginError(
                group=self.group,
                name=name,
                distribution=distribution,
                problem=f"failed to load {entry_point.value!r}: {type(error).__name__}: {error}",
            )
            raise self.failed[name] from error
        if not self.accepts(item) or getattr(item, "key", None) != name:
            self.failed[name] = PluginError(
                group=self.group,
                name=name,
                distribution=distribution,
                problem=f"{entry_point.value!r} is not a {self.kind} whose key is {name!r}",
            )
            raise self.failed[name]
        self.loaded[name] = item
        return item  # type: ignore[no-any-return]  # accepts() checked its type

    def names(self) -> list[str]:
        names = [*self.built_in, *(ep.name for ep in self._installed()), *self.explicit]
        return list(dict.fromkeys(names))

    def added(self) -> list[str]:
        """The names beyond leadlife's own: installed by other distributions, or registered."""
        installed = [ep.name for ep in self._installed() if _distribution(ep) != _LEADLIFE]
        names = [name for name in installed if name not in self.built_in]
        return list(dict.fromkeys([*names, *self.explicit]))

    def info(self) -> Iterator[PluginInfo]:
        for name in self.built_in:
            yield PluginInfo(group=self.group, name=name, distribution=_LEADLIFE)
        for ep in self._installed():
            yield PluginInfo(
                group=self.group, name=ep.name, distribution=_distribution(ep), value=ep.value
            )
        for name in self.explicit:
            yield PluginInfo(group=self.group, name=name, distribution=_EXPLICIT)


def _autoload_default() -> bool:
    return os.environ.get(NO_PLUGINS, "").strip().lower() in ("", "0", "false", "no")


class Registry:
    """Where criteria and frameworks are found by key.

    A registry knows leadlife's built-in criteria and frameworks, finds
    installed plugins by entry point (unless ``autoload`` is off), and takes
    explicit registrations, which win over both.

    Args:
        autoload: Whether to look at installed plugins; by default yes,
            unless the environment variable ``LEADLIFE_NO_PLUGINS`` is set
            (to anything but ``0``, ``false`` or ``no``).

    Example:
        >>> from leadlife.plugins import Registry
        >>> from leadlife.qualification import AllOf, Framework
        >>> registry = Registry(autoload=False)
        >>> registry.framework("bant").name
        'BANT'
        >>> lean = Framework(
        ...     key="lean",
        ...     name="Need and budget",
        ...     criteria=[registry.criterion("need"), registry.criterion("budget")],
        ...     policy=AllOf(),
        ... )
        >>> registry.register_framework(lean)
        >>> registry.framework("lean") is lean
        True
    """

    def __init__(self, *, autoload: bool | None = None) -> None:
        self._autoload = _autoload_default() if autoload is None else autoload
        self._criteria: _Shelf[Criterion] = _Shelf(
            CRITERIA_GROUP,
            "Criterion",
            BUILT_IN_CRITERIA,
            lambda item: isinstance(item, Criterion),
            self._autoload,
        )
        self._frameworks: _Shelf[Framework] = _Shelf(
            FRAMEWORKS_GROUP,
            "Framework",
            BUILT_IN_FRAMEWORKS,
            lambda item: isinstance(item, Framework),
            self._autoload,
        )
        self._rules: _Shelf[RecyclingRule] = _Shelf(
            RULES_GROUP,
            "RecyclingRule",
            DefaultFunnel.rules,
            lambda item: isinstance(item, RecyclingRule),
            self._autoload,
        )
        self._scoring_models: _Shelf[ScoringModel] = _Shelf(
            SCORING_GROUP,
            "ScoringModel",
            (),
            lambda item: isinstance(item, ScoringModel),
            self._autoload,
        )
        self._scoring_rules: _Shelf[ScoringRule] = _Shelf(
            SCORING_RULES_GROUP,
            "ScoringRule",
            (),
            lambda item: isinstance(item, ScoringRule),
            self._autoload,
        )
        self._checks: _Shelf[Check] = _Shelf(
            CHECKS_GROUP,
            "Check",
            default_checks(),
            lambda item: isinstance(item, Check),
            self._autoload,
        )
        self._routing: _Shelf[RoutingPolicy] = _Shelf(
            ROUTING_GROUP,
            "RoutingPolicy",
            (),
            lambda item: isinstance(item, RoutingPolicy),
            self._autoload,
        )
        self._enrichment: _Shelf[EnrichmentProvider] = _Shelf(
            ENRICHMENT_GROUP,
            "EnrichmentProvider",
            (),
            lambda item: isinstance(item, EnrichmentProvider),
            self._autoload,
        )

    @property
    def autoload(self) -> bool:
        """Whether installed plugins are looked at."""
        return self._autoload

    def criterion(self, key: str) -> Criterion:
        """The criterion with ``key``.

        Raises:
            UnknownKeyError: No criterion has that key.
            PluginError: The plugin that declares it failed to load or is
                not a criterion.
            PluginConflictError: Two distributions declare it.
        """
        return self._criteria.get(key)

    def framework(self, key: str) -> Framework:
        """The framework with ``key`` (see :meth:`criterion` for the errors)."""
        return self._frameworks.get(key)

    def rule(self, key: str) -> RecyclingRule:
        """The recycling rule with ``key`` (see :meth:`criterion` for the errors)."""
        return self._rules.get(key)

    def scoring_model(self, key: str) -> ScoringModel:
        """The scoring model with ``key`` (see :meth:`criterion` for the errors)."""
        return self._scoring_models.get(key)

    def scoring_rule(self, key: str) -> ScoringRule:
        """The scoring rule with ``key`` (see :meth:`criterion` for the errors)."""
        return self._scoring_rules.get(key)

    def register_scoring_model(self, model: ScoringModel, *, replace: bool = False) -> None:
        """Register a scoring model under its key (see :meth:`register_criterion`)."""
        self._scoring_models.register(model, replace=replace)

    def register_scoring_rule(self, rule: ScoringRule, *, replace: bool = False) -> None:
        """Register a scoring rule of your own under its key (see :meth:`register_criterion`).

        Example:
            >>> from leadlife.plugins import Registry
            >>> from leadlife.scoring import FactRule
            >>> registry = Registry(autoload=False)
            >>> rule = FactRule(key="big", fact="company.size", values=["1000+"], points=5)
            >>> registry.register_scoring_rule(rule)
            >>> registry.scoring_rule("big") is rule
            True
        """
        self._scoring_rules.register(rule, replace=replace)

    def routing_policy(self, key: str) -> RoutingPolicy:
        """The routing policy with ``key`` (see :meth:`criterion` for the errors)."""
        return self._routing.get(key)

    def register_routing_policy(self, policy: RoutingPolicy, *, replace: bool = False) -> None:
        """Register a routing policy under its key (see :meth:`register_criterion`).

        Example:
            >>> from leadlife.plugins import Registry
            >>> from leadlife.routing import RoundRobin
            >>> registry = Registry(autoload=False)
            >>> team = RoundRobin(owners=["kim", "sam"], key="inside_sales")
            >>> registry.register_routing_policy(team)
            >>> registry.routing_policy("inside_sales") is team
            True
        """
        self._routing.register(policy, replace=replace)

    def enrichment_provider(self, key: str) -> EnrichmentProvider:
        """The enrichment provider with ``key`` (see :meth:`criterion` for the errors)."""
        return self._enrichment.get(key)

    def register_enrichment_provider(
        self, provider: EnrichmentProvider, *, replace: bool = False
    ) -> None:
        """Register an enrichment provider under its key (see :meth:`register_criterion`)."""
        self._enrichment.register(provider, replace=replace)

    def enrichment_providers(self) -> list[str]:
        """The keys of every enrichment provider known, installed or registered."""
        return self._enrichment.names()

    def routing_policies(self) -> list[str]:
        """The keys of every routing policy known, installed or registered."""
        return self._routing.names()

    def scoring_models(self) -> list[str]:
        """The keys of every scoring model known, installed or registered."""
        return self._scoring_models.names()

    def scoring_rules(self) -> list[str]:
        """The keys of every scoring rule known, installed or registered."""
        return self._scoring_rules.names()

    def register_criterion(self, criterion: Criterion, *, replace: bool = False) -> None:
        """Register ``criterion`` under its key; it wins over built-ins and plugins.

        Raises:
            PluginError: It is not a :class:`~leadlife.qualification.Criterion` with a valid key.
            PluginConflictError: A criterion was already registered explicitly
                under that key and ``replace`` is false.
        """
        self._criteria.register(criterion, replace=replace)

    def register_framework(self, framework: Framework, *, replace: bool = False) -> None:
        """Register ``framework`` under its key (see :meth:`register_criterion`)."""
        self._frameworks.register(framework, replace=replace)

    def register_rule(self, rule: RecyclingRule, *, replace: bool = False) -> None:
        """Register a recycling rule under its key (see :meth:`register_criterion`)."""
        self._rules.register(rule, replace=replace)

    def added_rules(self) -> list[RecyclingRule]:
        """The recycling rules beyond leadlife's own: installed plugins and registered ones.

        :class:`~leadlife.agenda.Agenda` runs them beside a funnel's own rules.
        """
        return [self._rules.get(name) for name in self._rules.added()]

    def rules(self) -> list[str]:
        """The keys of every recycling rule known, built in, installed or registered."""
        return self._rules.names()

    def agenda_check(self, key: str) -> Check:
        """The agenda check with ``key`` (see :meth:`criterion` for the errors)."""
        return self._checks.get(key)

    def register_check(self, check: Check, *, replace: bool = False) -> None:
        """Register an agenda check under its key (see :meth:`register_criterion`).

        Example:
            >>> from leadlife.agenda import RecycledTooOften
            >>> from leadlife.plugins import Registry
            >>> registry = Registry(autoload=False)
            >>> registry.register_check(RecycledTooOften(key="recycled_twice", limit=2))
            >>> [check.key for check in registry.added_checks()]
            ['recycled_twice']
        """
        self._checks.register(check, replace=replace)

    def added_checks(self) -> list[Check]:
        """The agenda checks beyond leadlife's own: installed plugins and registered ones.

        :class:`~leadlife.agenda.Agenda` runs them beside its own checks.
        """
        return [self._checks.get(name) for name in self._checks.added()]

    def checks(self) -> list[str]:
        """The keys of every agenda check known, built in, installed or registered."""
        return self._checks.names()

    def criteria(self) -> list[str]:
        """The keys of every criterion known, built in, installed or registered."""
        return self._criteria.names()

    def frameworks(self) -> list[str]:
        """The keys of every framework known, built in, installed or registered."""
        return self._frameworks.names()

    def installed(self) -> list[PluginInfo]:
        """Every criterion and framework with the distribution it comes from.

        Nothing is imported to list them: a broken plugin is listed too, and
        fails only when used.
        """
        return [
            *self._criteria.info(),
            *self._frameworks.info(),
            *self._rules.info(),
            *self._checks.info(),
            *self._scoring_models.info(),
            *self._scoring_rules.info(),
            *self._routing.info(),
            *self._enrichment.info(),
        ]


@cache
def default_registry() -> Registry:
    """The registry leadlife uses when none is given; made on first use.

    Example:
        >>> from leadlife.plugins import default_registry
        >>> default_registry() is default_registry()
        True
    """
    return Registry()


def installed_plugins() -> list[PluginInfo]:
    """Every criterion and framework available, with the distribution it comes from.

    Example:
        >>> from leadlife.plugins import installed_plugins
        >>> [p.name for p in installed_plugins() if p.group == "leadlife.frameworks"][:3]
        ['bant', 'bant_dt', 'nmh']
    """
    return default_registry().installed()


# The public home of this module's names, imported whoever imports it first: their
# __module__ is leadlife.plugins whatever the order of imports (see _core/public.py).
import leadlife.plugins  # noqa: E402, F401
