"""The plugin's own tests, written with leadlife's test kit."""

from datetime import timedelta

import attrs
import pytest
from hypothesis import given
from leadlife_security_review import (
    BANT_SECURITY,
    SECURITY_MINDED,
    SECURITY_PAGES,
    SECURITY_REVIEW,
)

from leadlife import (
    Contact,
    DefaultFunnel,
    LeadId,
    Lifecycle,
    Money,
    ProspectId,
    Source,
    funnel_from_spec,
)
from leadlife.errors import InsufficientEvidenceError
from leadlife.plugins import installed_plugins
from leadlife.qualification import Budget, Evidence, Fact, Method, Provenance, Timeline, Verdict
from leadlife.scoring import Activity
from leadlife.testing import (
    check_criterion,
    check_framework,
    check_scoring_rule,
    evidence,
    facts,
    leads,
)


def test_the_criterion_keeps_leadlifes_contract():
    check_criterion(SECURITY_REVIEW)


def test_the_framework_keeps_leadlifes_contract():
    check_framework(BANT_SECURITY, max_examples=50)


@given(evidence(), facts())
def test_the_verdict_follows_the_recorded_sign_off(found, fact):
    at = fact.provenance.at
    signed = attrs.evolve(found, other={"security_review": fact})
    judged = SECURITY_REVIEW(signed, at)
    assert judged.verdict is (Verdict.MET if fact.holds else Verdict.NOT_MET)
    assert judged.evidence == ("other.security_review",)
    unasked = attrs.evolve(found, other={})
    assert SECURITY_REVIEW(unasked, at).verdict is Verdict.UNKNOWN


def test_leadlife_finds_the_plugin_by_entry_point(leadlife_registry):
    assert leadlife_registry.criterion("security_review") is SECURITY_REVIEW
    assert leadlife_registry.framework("bant_security") is BANT_SECURITY
    listed = {(p.name, p.distribution) for p in installed_plugins()}
    assert ("security_review", "leadlife-security-review") in listed
    assert ("bant_security", "leadlife-security-review") in listed


@pytest.fixture
def secure_lifecycle(leadlife_clock, leadlife_registry):
    spec = DefaultFunnel.spec().to_dict()
    spec.update(name="SecureFunnel", qualification="bant_security")
    return Lifecycle(funnel_from_spec(spec), clock=leadlife_clock, registry=leadlife_registry)


def test_the_funnel_guard_uses_the_plugin(secure_lifecycle, leadlife_clock):
    life = secure_lifecycle
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="form"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="sam")
    said = Provenance(recorded_by="sam", at=leadlife_clock.now(), method=Method.CALL)
    bant = Evidence(
        budget=Budget.exactly(Money.of("10000", "EUR"), provenance=said),
        need=Fact(holds=True, provenance=said),
        timeline=Timeline(by=leadlife_clock.now().date() + timedelta(days=60), provenance=said),
    )
    with pytest.raises(InsufficientEvidenceError) as caught:
        life.qualify(lead, prospect_id=ProspectId("P-1"), actor="sam", evidence=bant)
    assert caught.value.questions[0].criterion == "security_review"

    signed = Evidence(
        budget=bant.budget,
        need=bant.need,
        timeline=bant.timeline,
        other={"security_review": Fact(holds=True, provenance=said)},
    )
    prospect = life.qualify(lead, prospect_id=ProspectId("P-1"), actor="sam", evidence=signed)
    assert prospect.record.assessment.framework == "bant_security"
    assert prospect.record.stage == "prospect"


def test_the_scoring_rule_keeps_leadlifes_contract():
    check_scoring_rule(SECURITY_PAGES, max_examples=100)


@given(leads())
def test_reading_the_security_pages_makes_an_enterprise_lead_sales_ready(lead):
    at = lead.updated_at + timedelta(days=1)
    read = [
        Activity(kind="page_view", at=at - timedelta(days=days), detail=page)
        for days, page in ((1, "/trust"), (2, "/dpa"), (3, "/dpa"), (100, "/pentest"))
    ]
    score = SECURITY_MINDED.score(lead, read, at=at)
    assert score.engagement == 16  # two pages within 90 days, each once
    enterprise = lead.company is not None and lead.company.size.value == "1000+"
    assert score.sales_ready is enterprise


def test_leadlife_finds_the_scoring_rule_and_model_by_entry_point(leadlife_registry):
    assert leadlife_registry.scoring_rule("security_pages") is SECURITY_PAGES
    assert leadlife_registry.scoring_model("security_minded") is SECURITY_MINDED
    listed = {(p.group, p.name) for p in installed_plugins()}
    assert ("leadlife.scoring_rules", "security_pages") in listed
    assert ("leadlife.scoring", "security_minded") in listed
