"""leadlife.testing: the kit plugin authors test with."""

import itertools
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadlife import Contact, Lead, LeadId, Lifecycle, Money, Opportunity, Source
from leadlife.plugins import Registry
from leadlife.qualification import (
    BANT,
    AllOf,
    Assessment,
    Evidence,
    Framework,
    FunctionCriterion,
    Judgement,
    criterion,
)
from leadlife.testing import ContractError, check_criterion, check_framework


# Every built-in criterion through the kit's whole contract: the slow tier.
@pytest.mark.slow
def test_every_built_in_criterion_keeps_the_contract():
    registry = Registry(autoload=False)
    for key in registry.criteria():
        check_criterion(registry.criterion(key), max_examples=15)


def test_a_built_in_framework_keeps_the_contract():
    check_framework(BANT, max_examples=10)


def broken(judge, key="broken", question="Does it hold?"):
    return FunctionCriterion(key=key, question=question, judge=judge)


counter = itertools.count()


def sometimes(evidence):
    """Behave on empty evidence, so that only the random examples show the fault."""
    return None if evidence.stakeholders else Judgement.unknown("broken", "nobody asked")


@pytest.mark.parametrize(
    ("criterion_", "problem"),
    [
        (broken(lambda e, at: 1 / 0), "raised ZeroDivisionError"),
        (broken(lambda e, at: "met"), "not a Judgement"),
        (broken(lambda e, at: Judgement.met("other", "yes")), "its key is 'broken'"),
        (broken(lambda e, at: Judgement.met("broken", str(next(counter)))), "differently"),
        (
            broken(lambda e, at: Judgement.not_met("broken", "no, since nobody said yes")),
            "nothing was asked",
        ),
        (broken(lambda e, at: sometimes(e) or 1 / 0), r"raised ZeroDivisionError.* on Evidence"),
        (
            broken(lambda e, at: sometimes(e) or Judgement.met("broken", str(next(counter)))),
            "differently",
        ),
    ],
)
def test_a_criterion_that_breaks_the_contract_is_caught(criterion_, problem):
    with pytest.raises(ContractError, match=problem):
        check_criterion(criterion_, max_examples=10, shrink=False)


class NoQuestion:
    key = "no_question"
    question = ""

    def __call__(self, evidence, at):
        return Judgement.unknown(self.key, "?")


class BadKey(NoQuestion):
    key = "Bad Key"
    question = "?"


def test_a_criterion_must_look_like_one():
    with pytest.raises(ContractError, match="is not a Criterion"):
        check_criterion(object())  # type: ignore[arg-type]
    with pytest.raises(ContractError, match="not lower_snake_case"):
        check_criterion(BadKey())
    with pytest.raises(ContractError, match="has no question"):
        check_criterion(NoQuestion())


def test_a_framework_that_qualifies_on_nothing_is_caught():
    @criterion(key="optimist", question="Is it fine?")
    def optimist(evidence: Evidence, at: datetime) -> Judgement:
        return Judgement.met("optimist", "surely")

    framework = Framework(key="hopeful", name="Hopeful", criteria=[optimist], policy=AllOf())
    with pytest.raises(ContractError, match="qualified a lead nobody asked anything"):
        check_framework(framework, max_examples=5)


@pytest.mark.slow  # four types drawn deep
@settings(max_examples=25)
@given(st.from_type(Lead), st.from_type(Opportunity), st.from_type(Assessment), st.from_type(Money))
def test_hypothesis_draws_valid_values_from_the_types(lead, deal, assessment, money):
    assert isinstance(lead, Lead)
    assert deal.prospect_id is not None
    assert 0 <= assessment.score <= 1
    assert money.currency


def test_the_pytest_fixtures(
    leadlife_clock, leadlife_lifecycle, leadlife_funnel, leadlife_registry
):
    assert leadlife_clock.now().isoformat() == "2026-01-05T09:00:00+00:00"
    assert isinstance(leadlife_lifecycle, Lifecycle)
    assert leadlife_lifecycle.funnel is leadlife_funnel
    assert leadlife_registry.framework("bant") is BANT
    lead = leadlife_lifecycle.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        actor="x",
    )
    assert lead.record.created_at == leadlife_clock.now()
