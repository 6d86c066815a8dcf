"""Enrichment as a plugin: a provider says facts about a person's company or job, with provenance.

A provider (a data vendor's client, a lookup in the app's own warehouse, a
model) is asked about a contact and their company and answers with
:class:`Finding` objects: which field, what value, how sure, from where. The
lifecycle records what it takes of them (see :meth:`Lifecycle.enrich
<leadlife.Lifecycle.enrich>`): only fields the record lacks (a fact the
person gave is never overwritten), each with its provenance, and nothing at
all for a person who refused contact. Providers are plugins of the
``leadlife.enrichment`` entry-point group, held to their contract by
:func:`leadlife.testing.check_enrichment_provider`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._core.values.company import Company, CompanySize
from leadlife._core.values.contact import Contact

ENRICHABLE = (
    "company.name",
    "company.industry",
    "company.size",
    "company.region",
    "company.website",
    "contact.title",
    "contact.phone",
)
"""The fields a provider may fill: ``company.<field>`` or ``contact.<field>``."""

_SAMPLE: dict[str, Any] = {"company": Company(name="-"), "contact": Contact(name="-")}


def _enrichable(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in ENRICHABLE:
        check.refuse(instance, attribute, value, f"one of {', '.join(ENRICHABLE)}")


def _confidence(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        check.refuse(instance, attribute, value, "a confidence from 0 to 1")


A_CONFIDENCE = _confidence
"""How a confidence is checked: a number from 0 to 1."""


@attrs.frozen(kw_only=True)
class Finding:
    """One fact a provider says about a person's company or job, and where it comes from.

    Attributes:
        field: What it fills (one of :data:`ENRICHABLE`).
        value: The value, valid for the field (a company size is a
            :class:`~leadlife.CompanySize` or its value, ``"50-249"``).
        provider: The key of the provider that said it.
        confidence: How sure the provider is, from 0 to 1.
        source: Where the provider found it (a URL, a dataset), if it says.
        observed_at: When it was true, if the provider says.

    Example:
        >>> from leadlife.enrichment import Finding
        >>> Finding(field="company.size", value="50-249", provider="registry", confidence=0.9).value
        <CompanySize.MEDIUM: '50-249'>
    """

    field: str = attrs.field(validator=_enrichable)
    value: Any
    provider: str = attrs.field(validator=check.key)
    confidence: float = attrs.field(validator=_confidence)
    source: str | None = attrs.field(default=None, validator=optional(check.text))
    observed_at: datetime | None = attrs.field(
        default=None, validator=optional(check.aware_datetime)
    )

    def __attrs_post_init__(self) -> None:
        """Check the value as the field's own class would (and keep it as that class holds it)."""
        part, name = self.field.split(".")
        value = self.value
        if name == "size" and not isinstance(value, CompanySize):
            try:
                value = CompanySize(value)
            except ValueError:
                raise ValidationError(
                    owner="Finding",
                    field="value",
                    value=value,
                    expected=f"a company size ({', '.join(size.value for size in CompanySize)})",
                ) from None
        try:
            attrs.evolve(_SAMPLE[part], **{name: value})
        except ValidationError as error:
            raise ValidationError(
                owner="Finding",
                field="value",
                value=value,
                expected=f"{self.field}: {error.expected}",
            ) from None
        object.__setattr__(self, "value", value)

    def to_dict(self) -> dict[str, Any]:
        """The fact as provenance for a record's history (plain JSON)."""
        value = self.value.value if isinstance(self.value, CompanySize) else self.value
        said: dict[str, Any] = {
            "field": self.field,
            "value": value,
            "provider": self.provider,
            "confidence": self.confidence,
        }
        if self.source is not None:
            said["source"] = self.source
        if self.observed_at is not None:
            said["observed_at"] = self.observed_at.isoformat()
        return said


@runtime_checkable
class EnrichmentProvider(Protocol):
    """What an enrichment plugin is: a key, and the facts it says about a contact.

    ``facts`` must be deterministic for the same contact and company, must
    not change them (they are frozen), must give facts of its own key only,
    and is never asked about a person who refused contact. A provider that
    calls a service over the network is the app's to wire; the contract
    check (:func:`leadlife.testing.check_enrichment_provider`) refuses one
    that opens a connection while checked, so the tests of a plugin stay
    deterministic.

    Example:
        >>> from leadlife import Contact
        >>> from leadlife.enrichment import EnrichmentProvider, Finding
        >>> class Titles:
        ...     key = "titles"
        ...
        ...     def findings(self, contact, company):
        ...         if contact.email and contact.email.startswith("cfo@"):
        ...             yield Finding(
        ...                 field="contact.title", value="CFO", provider="titles", confidence=0.6
        ...             )
        >>> isinstance(Titles(), EnrichmentProvider)
        True
        >>> [
        ...     fact.value
        ...     for fact in Titles().findings(Contact(name="Ada", email="cfo@acme.com"), None)
        ... ]
        ['CFO']
    """

    key: str

    def findings(self, contact: Contact, company: Company | None) -> Iterable[Finding]:
        """What the provider says about ``contact`` (of ``company``, if known)."""
        ...
