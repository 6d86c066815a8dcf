"""Asking an enrichment provider about a record, and recording what it may take, with provenance."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from leadlife._core.journal.history import History
from leadlife._core.support import validation as check
from leadlife._core.support.errors import PluginError
from leadlife._core.values.company import Company, CompanySize
from leadlife._core.values.consent import ConsentStatus
from leadlife._lifecycle.engine import Engine
from leadlife._policies.enrichment import A_CONFIDENCE, EnrichmentProvider, Finding

if TYPE_CHECKING:  # a capability holds another, given; it does not import it
    from leadlife._lifecycle.details import Details

GROUP = "leadlife.enrichment"
ENRICHMENT = "enrichment"
"""The purpose a consent names to allow or refuse enrichment (see ``Consent.purposes``)."""


@attrs.frozen(kw_only=True)
class Enrichment:
    """What one provider was asked about a record, and what came of each fact.

    Attributes:
        provider: The provider's key.
        asked: Whether it was asked (not for a person who refused contact).
        applied: The facts recorded, each in a field the record lacked.
        declined: The facts not recorded, each with why (the record has the
            field already: a fact given is never overwritten; below the
            confidence asked for; no company to describe).
        why: Why the provider was not asked, if it was not.

    Example:
        >>> from leadlife.enrichment import Enrichment
        >>> Enrichment(provider="registry", asked=False, why="refused contact").applied
        ()
    """

    provider: str
    asked: bool
    applied: tuple[Finding, ...] = ()
    declined: tuple[tuple[Finding, str], ...] = ()
    why: str | None = None


class Enriching:
    """Ask providers about records; record the facts the records lack, each with its provenance."""

    __slots__ = ("details", "engine")

    def __init__(self, engine: Engine, details: Details) -> None:
        self.engine = engine
        self.details = details

    def enrich(
        self,
        history: History[Any],
        provider: EnrichmentProvider | str,
        *,
        actor: str,
        at_least: float = 0.5,
        payload: Mapping[str, Any] | None = None,
    ) -> Enrichment:
        """Ask ``provider`` (or the registry's provider of that key) about the record.

        The provider is not asked about a person who asked not to be
        contacted or refused consent, or who refused (or objected to) the
        purpose ``"enrichment"`` (see :doc:`/privacy`). Of its facts (the surest one per
        field), each at least ``at_least`` sure fills a field the record
        lacks; a field the record has is never overwritten. What is taken is
        recorded as one :class:`~leadlife.events.CompanyChanged` and one
        :class:`~leadlife.events.ContactChanged` at most, their payload
        naming each fact's provider, confidence and source
        (``{"enrichment": [...]}``, beside your ``payload``).

        Raises:
            PluginError: The provider failed, or gave something that is not a
                fact of its own.
            ValidationError: ``at_least`` is not a confidence from 0 to 1.

        Example:
            >>> from datetime import UTC, datetime
            >>> from leadlife import Company, Contact, FixedClock, LeadId, Lifecycle, Source
            >>> from leadlife.enrichment import Finding
            >>> class Registry:
            ...     key = "registry"
            ...
            ...     def findings(self, contact, company):
            ...         yield Finding(
            ...             field="company.industry",
            ...             value="Software",
            ...             provider="registry",
            ...             confidence=0.9,
            ...             source="https://ex.org",
            ...         )
            ...         yield Finding(
            ...             field="company.region",
            ...             value="EMEA",
            ...             provider="registry",
            ...             confidence=0.95,
            ...         )
            >>> life = Lifecycle(clock=FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
            >>> lead = life.capture(
            ...     id=LeadId("L-1"),
            ...     contact=Contact(name="Ada"),
            ...     company=Company(name="Acme", region="US"),
            ...     source=Source(channel="web"),
            ...     actor="form",
            ... )
            >>> done = life.enrich(lead, Registry(), actor="enricher")
            >>> lead.record.company.industry, lead.record.company.region
            ('Software', 'US')
            >>> [(fact.field, why) for fact, why in done.declined]
            [('company.region', "the record has 'US': a fact given is never overwritten")]
        """
        check.argument("Lifecycle.enrich", "at_least", at_least, A_CONFIDENCE)
        chosen = self._provider(provider)
        key = str(getattr(chosen, "key", chosen))
        consent = history.record.consent
        if consent.do_not_contact or consent.status is ConsentStatus.REFUSED:
            return Enrichment(
                provider=key,
                asked=False,
                why="the person asked not to be contacted or refused consent",
            )
        if consent.allows(ENRICHMENT) is False:
            return Enrichment(
                provider=key,
                asked=False,
                why=f"the person refused or objected to the purpose {ENRICHMENT!r}",
            )
        company, contact, declined = _taken(self._asked(chosen, key, history), history, at_least)
        applied: list[Finding] = []
        said = dict(payload or {})
        if company:
            base = history.record.company or Company(name=company["name"].value)
            values = {name: fact.value for name, fact in company.items() if name != "name"}
            said["enrichment"] = [fact.to_dict() for fact in company.values()]
            changed = attrs.evolve(base, **values)
            self.details.change_company(history, changed, actor=actor, payload=said)
            applied += company.values()
        if contact:
            values = {name: fact.value for name, fact in contact.items()}
            said["enrichment"] = [fact.to_dict() for fact in contact.values()]
            person = attrs.evolve(history.record.contact, **values)
            self.details.change_contact(history, person, actor=actor, payload=said)
            applied += contact.values()
        return Enrichment(
            provider=key, asked=True, applied=tuple(applied), declined=tuple(declined)
        )

    def _provider(self, provider: EnrichmentProvider | str) -> EnrichmentProvider:
        if isinstance(provider, str):
            from leadlife._policies.registry import default_registry  # noqa: PLC0415 - on use

            return (self.engine.registry or default_registry()).enrichment_provider(provider)
        given: object = provider
        if not isinstance(given, EnrichmentProvider):
            raise PluginError(
                group=GROUP,
                name=str(getattr(given, "key", given)),
                distribution="given",
                problem="not an EnrichmentProvider: it needs a key and findings(contact, company)",
            )
        return provider

    @staticmethod
    def _asked(provider: EnrichmentProvider, key: str, history: History[Any]) -> list[Finding]:
        """The provider's facts, the surest per field (the first of equals), checked as its own."""
        record = history.record
        try:
            given: list[object] = list(provider.findings(record.contact, record.company))
        except Exception as error:
            raise PluginError(
                group=GROUP,
                name=key,
                distribution="given",
                problem=f"findings() raised {type(error).__name__}: {error}",
            ) from error
        surest: dict[str, Finding] = {}
        for fact in given:
            if not isinstance(fact, Finding) or fact.provider != key:
                raise PluginError(
                    group=GROUP,
                    name=key,
                    distribution="given",
                    problem=f"gave {fact!r}: only Findings of its own key ({key!r})",
                )
            if fact.field not in surest or fact.confidence > surest[fact.field].confidence:
                surest[fact.field] = fact
        return list(surest.values())


Taken = tuple[dict[str, Finding], dict[str, Finding], list[tuple[Finding, str]]]


def _taken(facts: list[Finding], history: History[Any], at_least: float) -> Taken:
    """The facts to record, by company and contact field; and the others, with why not."""
    record = history.record
    company: dict[str, Finding] = {}
    contact: dict[str, Finding] = {}
    declined: list[tuple[Finding, str]] = []
    for fact in facts:
        part, name = fact.field.split(".")
        holder = record.company if part == "company" else record.contact
        current = None if holder is None else getattr(holder, name)
        if fact.confidence < at_least:
            declined.append((fact, f"less sure than {at_least}"))
        elif current is not None and current != CompanySize.UNKNOWN:
            shown = current.value if isinstance(current, CompanySize) else current
            declined.append((fact, f"the record has {shown!r}: a fact given is never overwritten"))
        else:
            (company if part == "company" else contact)[name] = fact
    if company and record.company is None and "name" not in company:
        nameless = "no company to describe (no company.name)"
        declined += [(fact, nameless) for fact in company.values()]
        company = {}
    return company, contact, declined
