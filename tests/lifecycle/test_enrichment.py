"""Enrichment: a provider's findings fill what a record lacks, with provenance, never a fact."""

from __future__ import annotations

import itertools
import socket
from datetime import UTC, datetime

import pytest

from leadlife import (
    Company,
    CompanySize,
    Consent,
    ConsentStatus,
    Contact,
    FixedClock,
    LeadId,
    Lifecycle,
    Source,
    replay,
)
from leadlife.enrichment import EnrichmentProvider, Finding
from leadlife.errors import PluginError, ValidationError
from leadlife.events import CompanyChanged, ContactChanged
from leadlife.plugins import Registry
from leadlife.testing import ContractError, check_enrichment_provider

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


class Said:
    """A provider that says what it is given to say."""

    def __init__(self, *findings: Finding, key: str = "vendor") -> None:
        self.key = key
        self.said = findings

    def findings(self, contact, company):
        return list(self.said)


def found(field: str, value, confidence: float = 0.9, **more) -> Finding:
    return Finding(field=field, value=value, provider="vendor", confidence=confidence, **more)


def lead(company: Company | None = None, **contact):
    life = Lifecycle(clock=FixedClock(AT))
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada", **contact),
        company=company,
        source=Source(channel="web"),
        actor="form",
    )
    return life, history


def test_findings_fill_what_the_record_lacks_with_their_provenance():
    life, history = lead(Company(name="Acme", region="US"), email="ada@acme.com")
    vendor = Said(
        found("company.industry", "Software", source="https://registry.example/acme"),
        found("company.size", "50-249", observed_at=AT),
        found("company.region", "EMEA"),
        found("contact.title", "CFO", confidence=0.7),
        found("contact.phone", "+44 20 7946 0000", confidence=0.2),
    )
    done = life.enrich(history, vendor, actor="enricher", payload={"job": "nightly"})
    record = history.record
    assert (record.company.industry, record.company.size, record.company.region) == (
        "Software",
        CompanySize.MEDIUM,
        "US",
    )
    assert (record.contact.title, record.contact.phone) == ("CFO", None)
    assert [finding.field for finding in done.applied] == [
        "company.industry",
        "company.size",
        "contact.title",
    ]
    assert [(finding.field, why) for finding, why in done.declined] == [
        ("company.region", "the record has 'US': a fact given is never overwritten"),
        ("contact.phone", "less sure than 0.5"),
    ]
    company_changed, contact_changed = history.events[-2:]
    assert isinstance(company_changed, CompanyChanged)
    assert isinstance(contact_changed, ContactChanged)
    assert company_changed.payload["job"] == "nightly"
    assert company_changed.payload["enrichment"][0] == {
        "field": "company.industry",
        "value": "Software",
        "provider": "vendor",
        "confidence": 0.9,
        "source": "https://registry.example/acme",
    }
    assert company_changed.payload["enrichment"][1]["observed_at"] == AT.isoformat()
    assert contact_changed.payload["enrichment"] == (
        {"field": "contact.title", "value": "CFO", "provider": "vendor", "confidence": 0.7},
    )
    assert replay(history.events) == history.record


def test_a_company_is_described_only_when_named():
    life, history = lead()
    done = life.enrich(history, Said(found("company.industry", "Retail")), actor="x")
    assert done.applied == ()
    assert done.declined[0][1] == "no company to describe (no company.name)"
    assert len(history) == 1
    named = Said(found("company.name", "Acme"), found("company.industry", "Retail"))
    life.enrich(history, named, actor="x")
    assert history.record.company == Company(name="Acme", industry="Retail")


def test_the_surest_finding_of_a_field_is_the_one_taken():
    life, history = lead(Company(name="Acme"))
    vendor = Said(
        found("company.industry", "Retail", 0.6),
        found("company.industry", "Software", 0.8),
        found("company.industry", "Mining", 0.8),
    )
    life.enrich(history, vendor, actor="x")
    assert history.record.company.industry == "Software"


@pytest.mark.parametrize(
    "consent", [Consent(do_not_contact=True), Consent(status=ConsentStatus.REFUSED)]
)
def test_nobody_is_asked_about_a_person_who_refused(consent):
    life, history = lead(Company(name="Acme"))
    life.record_consent(history, consent, actor="sam")

    class Nosy:
        key = "nosy"

        def findings(self, contact, company):
            raise AssertionError("asked about a person who refused")

    done = life.enrich(history, Nosy(), actor="x")
    assert (done.asked, done.applied, done.why) == (
        False,
        (),
        "the person asked not to be contacted or refused consent",
    )


def test_a_provider_that_fails_or_says_what_is_not_its_own_is_named():
    life, history = lead(Company(name="Acme"))

    class Broken:
        key = "broken"

        def findings(self, contact, company):
            raise TimeoutError("the vendor is down")

    with pytest.raises(PluginError, match="findings\\(\\) raised TimeoutError: the vendor is down"):
        life.enrich(history, Broken(), actor="x")
    with pytest.raises(PluginError, match="only Findings of its own key"):
        life.enrich(history, Said(found("company.industry", "Retail"), key="other"), actor="x")
    with pytest.raises(PluginError, match="only Findings of its own key"):
        life.enrich(history, Said("Retail"), actor="x")  # type: ignore[arg-type]
    with pytest.raises(PluginError, match="not an EnrichmentProvider"):
        life.enrich(history, object(), actor="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="at_least: expected a confidence from 0 to 1"):
        life.enrich(history, Said(), actor="x", at_least=2)
    assert len(history) == 1


def test_a_provider_is_found_by_key_in_the_registry():
    registry = Registry(autoload=False)
    vendor = Said(found("company.industry", "Retail"))
    registry.register_enrichment_provider(vendor)
    assert registry.enrichment_provider("vendor") is vendor
    assert registry.enrichment_providers() == ["vendor"]
    assert [info.name for info in registry.installed() if info.group == "leadlife.enrichment"] == [
        "vendor"
    ]
    life = Lifecycle(clock=FixedClock(AT), registry=registry)
    history = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        company=Company(name="Acme"),
        source=Source(channel="web"),
        actor="form",
    )
    assert life.enrich(history, "vendor", actor="x").applied[0].value == "Retail"
    with pytest.raises(PluginError):
        registry.register_enrichment_provider(object())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"field": "company.ceo"}, "field: expected one of company.name"),
        ({"confidence": 1.5}, "confidence: expected a confidence from 0 to 1"),
        ({"confidence": True}, "confidence: expected a confidence from 0 to 1"),
        ({"provider": "Vendor X"}, "provider: expected"),
        ({"field": "company.size", "value": "huge"}, "value: expected a company size"),
        ({"field": "company.website", "value": "not a site"}, "value: expected company.website"),
        ({"field": "contact.title", "value": "  "}, "value: expected contact.title"),
    ],
)
def test_a_finding_is_checked_as_the_field_it_fills(given, expected):
    made = {"field": "company.industry", "value": "Retail", "provider": "vendor", "confidence": 0.5}
    with pytest.raises(ValidationError, match=expected):
        Finding(**(made | given))


def test_the_contract_check_passes_a_good_provider_and_names_a_bad_one():
    check_enrichment_provider(Said(found("company.industry", "Retail")), max_examples=10)
    counter = itertools.count()

    class Moody:
        key = "moody"

        def findings(self, contact, company):
            value = "Retail" if next(counter) % 2 else "Mining"
            return [Finding(field="company.industry", value=value, provider="moody", confidence=1)]

    class Online:
        key = "online"

        def findings(self, contact, company):
            socket.create_connection(("vendor.example", 443))
            return []

    class Raises:
        key = "raises"

        def findings(self, contact, company):
            raise KeyError(contact.name)

    cases = [
        (Moody(), "gave .* then .* for the same contact"),
        (Online(), "opened a network connection while checked"),
        (Raises(), "raised KeyError"),
        (Said("Retail"), "not a Finding of its own key"),
        (Said(key="Not A Key"), "is not lower_snake_case"),
        (object(), "is not an EnrichmentProvider"),
    ]
    for provider, problem in cases:
        with pytest.raises(ContractError, match=problem):
            check_enrichment_provider(provider, max_examples=10)  # type: ignore[arg-type]
    assert isinstance(Said(), EnrichmentProvider)
