"""Qualification in the funnel: the move to prospect is guarded by an assessment."""

from datetime import UTC, date, datetime, timedelta

import pytest
from statemachine import State

from leadlife import (
    Contact,
    DefaultFunnel,
    FixedClock,
    Funnel,
    LeadId,
    Lifecycle,
    Money,
    ProspectId,
    Source,
    funnel_from_spec,
)
from leadlife.errors import (
    ConversionError,
    FunnelDefinitionError,
    InsufficientEvidenceError,
    NotQualifiedError,
    QualificationError,
    TransitionRefusedError,
    UnknownKeyError,
    ValidationError,
)
from leadlife.events import Assessed
from leadlife.plugins import Registry
from leadlife.qualification import (
    BANT,
    BANT_DT,
    Budget,
    Evidence,
    Fact,
    Method,
    Outcome,
    Provenance,
)
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock, registry=Registry(autoload=False))


@pytest.fixture
def accepted(life):
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(history, event, actor="x")
    return history


def no_budget():
    said = Provenance(recorded_by="sam", at=AT, method=Method.CALL)
    return Evidence(
        budget=Budget.exactly(Money.of("0", "EUR"), provenance=said),
        need=Fact(holds=False, provenance=said),
    )


def test_the_default_funnel_qualifies_with_bant(life):
    assert life.framework.key == "bant"
    assert DefaultFunnel.spec().qualification == "bant"


def test_qualifying_evidence_converts_and_the_prospect_keeps_the_assessment(life, accepted):
    prospect = life.qualify(
        accepted, prospect_id=ProspectId("P-1"), actor="sam", evidence=qualifying_evidence(AT)
    )
    assessed = [event for event in accepted if isinstance(event, Assessed)]
    assert len(assessed) == 1
    assert prospect.record.assessment == assessed[0].assessment
    assert prospect.record.assessment.outcome is Outcome.QUALIFIED


def test_not_qualified_keeps_the_lead_and_offers_disqualifying_or_recycling(life, accepted):
    with pytest.raises(NotQualifiedError) as caught:
        life.qualify(accepted, prospect_id=ProspectId("P-1"), actor="sam", evidence=no_budget())
    error = caught.value
    assert error.allowed == ("recycle", "disqualify", "opt_out")
    assert "not met: budget, need" in str(error)
    assert accepted.record.stage == "accepted"
    assert accepted.record.assessment is None  # a call that raises records nothing
    life.assess(accepted, no_budget(), actor="sam")  # the verdict, kept on purpose
    assert accepted.record.assessment == error.assessment
    life.disqualify(accepted, reason="no_budget", review=date(2027, 1, 1), actor="sam")
    assert accepted.record.stage == "disqualified"


def test_insufficient_evidence_lists_the_questions_to_ask(life, accepted):
    with pytest.raises(InsufficientEvidenceError) as caught:
        life.qualify(accepted, prospect_id=ProspectId("P-1"), actor="sam")
    assert [q.criterion for q in caught.value.questions] == [
        "budget",
        "authority",
        "need",
        "timeline",
    ]
    assert "ask: Is there a budget for this?" in str(caught.value)
    assert accepted.record.stage == "accepted"


def test_reassessing_keeps_every_assessment_in_the_history(life, accepted, clock):
    life.assess(accepted, Evidence(), actor="sam")
    clock.advance(timedelta(days=1))
    life.assess(accepted, qualifying_evidence(clock.now()), actor="sam")
    outcomes = [e.assessment.outcome for e in accepted if isinstance(e, Assessed)]
    assert outcomes == [Outcome.INSUFFICIENT_EVIDENCE, Outcome.QUALIFIED]
    # qualify without new evidence reuses the latest assessment's evidence
    prospect = life.qualify(accepted, prospect_id=ProspectId("P-1"), actor="sam")
    assert prospect.record.assessment.outcome is Outcome.QUALIFIED
    assert len([e for e in accepted if isinstance(e, Assessed)]) == 3


def test_assess_with_another_framework(life, accepted):
    assessment = life.assess(accepted, qualifying_evidence(AT), actor="sam", framework=BANT_DT)
    assert assessment.framework == "bant_dt"
    assert accepted.record.assessment is assessment


def test_a_lead_in_the_wrong_stage_is_not_assessed(life):
    lead = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    with pytest.raises(ConversionError, match="0 events lead into a prospect stage"):
        life.qualify(
            lead, prospect_id=ProspectId("P-1"), actor="x", evidence=qualifying_evidence(AT)
        )
    assert len(lead) == 1


def test_a_stale_assessment_does_not_open_the_guard(life, accepted, clock):
    life.assess(accepted, qualifying_evidence(AT), actor="sam")
    clock.advance(timedelta(hours=1))
    life.send(accepted, "recycle", actor="sam")
    life.send(accepted, "reengage", actor="sam")
    life.send(accepted, "accept", actor="sam")
    assert accepted.record.assessment.outcome is Outcome.QUALIFIED  # kept, but from before
    assert not DefaultFunnel().is_qualified(
        assessment=accepted.record.assessment, record=accepted.record
    )


def test_the_guard_without_a_record_only_checks_the_outcome():
    funnel = DefaultFunnel()
    assert funnel.is_qualified(assessment=BANT_DT.assess(qualifying_evidence(AT), at=AT))
    assert not funnel.is_qualified(assessment=BANT_DT.assess(Evidence(), at=AT))
    assert not funnel.is_qualified()


def test_a_funnel_without_qualification_converts_without_assessing(clock):
    spec = DefaultFunnel.spec().to_dict()
    spec.update(name="Trusting", qualification=None)
    for transition in spec["transitions"]:
        if transition["event"] == "qualify":
            transition.pop("guards")
    trusting = funnel_from_spec(spec)
    with pytest.raises(QualificationError, match=r"pass framework='bant'.* or framework=None"):
        Lifecycle(trusting, clock=clock)  # converting without assessing is a choice to make
    life = Lifecycle(trusting, clock=clock, framework=None)
    assert life.framework is None
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="x")
    prospect = life.qualify(lead, prospect_id=ProspectId("P-1"), actor="x")
    assert prospect.record.assessment is None
    with pytest.raises(QualificationError, match="no qualification framework"):
        life.assess(prospect, Evidence(), actor="x")


def test_the_framework_is_a_choice_of_the_lifecycle_too(clock):
    meddic = Lifecycle(clock=clock, framework="meddic")
    assert meddic.framework.key == "meddic"
    assert Lifecycle(clock=clock, framework=BANT).framework is BANT
    assert Lifecycle(clock=clock).framework.key == "bant"  # the funnel's
    with pytest.raises(UnknownKeyError, match="did you mean 'meddic'"):
        Lifecycle(clock=clock, framework="medic")
    with pytest.raises(ValidationError, match=r"Lifecycle\.framework"):
        Lifecycle(clock=clock, framework=3)  # type: ignore[arg-type]


def test_is_qualified_needs_a_qualification():
    with pytest.raises(FunnelDefinitionError, match="is_qualified guards a move") as caught:

        class Careless(Funnel):
            new = State(initial=True)
            done = State(final=True)
            finish = new.to(done, cond="is_qualified")

    assert caught.value.stage == "new"


def test_the_qualification_must_be_a_key():
    with pytest.raises(FunnelDefinitionError, match="not a framework key"):

        class Odd(Funnel):
            new = State(initial=True)
            done = State(final=True)
            finish = new.to(done)
            qualification = "B.A.N.T"


def test_an_unknown_qualification_is_found_when_the_lifecycle_is_built():
    spec = DefaultFunnel.spec().to_dict()
    spec.update(name="Spin", qualification="spin")
    with pytest.raises(UnknownKeyError, match="'spin'"):
        Lifecycle(funnel_from_spec(spec), registry=Registry(autoload=False))


def test_sending_qualify_to_a_lead_is_still_a_conversion(life, accepted):
    life.assess(accepted, qualifying_evidence(AT), actor="sam")
    with pytest.raises(ConversionError):
        life.send(accepted, "qualify", actor="sam")


def test_a_recycled_prospect_needs_a_fresh_assessment_to_be_a_prospect_again(life, accepted, clock):
    prospect = life.qualify(
        accepted, prospect_id=ProspectId("P-1"), actor="sam", evidence=qualifying_evidence(AT)
    )
    clock.advance(timedelta(hours=1))
    for event in ("recycle", "reengage", "accept"):
        life.send(prospect, event, actor="sam")
    with pytest.raises(TransitionRefusedError) as caught:
        life.send(prospect, "qualify", actor="sam")
    assert caught.value.failed_guards == ("is_qualified",)
    life.assess(prospect, qualifying_evidence(clock.now()), actor="sam")
    life.send(prospect, "qualify", actor="sam")
    assert prospect.record.stage == "prospect"


def test_a_trusted_guard_is_met_without_asking_and_only_that_one(clock):
    from leadlife import ProspectId  # noqa: PLC0415
    from leadlife.errors import TransitionRefusedError, ValidationError  # noqa: PLC0415

    trusting = Lifecycle(clock=clock, framework=None, trusted_guards=["is_qualified"])
    lead = trusting.capture(
        id=LeadId("L-9"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        trusting.send(lead, event, actor="x")
    prospect = trusting.qualify(lead, prospect_id=ProspectId("P-9"), actor="import:crm")
    assert prospect.record.stage == "prospect"
    assert prospect.record.assessment is None  # trusted, not made up
    assert trusting.funnel is DefaultFunnel  # histories stay the funnel's own
    # Every other guard still holds: a disqualification needs its screening and review date.
    other = trusting.capture(
        id=LeadId("L-10"), contact=Contact(name="Bo"), source=Source(channel="web"), actor="x"
    )
    with pytest.raises(TransitionRefusedError):
        trusting.send(other, "disqualify", actor="x")
    # Without trust, the same conversion is refused.
    plain = Lifecycle(clock=clock, framework=None)
    again = plain.capture(
        id=LeadId("L-11"), contact=Contact(name="Cy"), source=Source(channel="web"), actor="x"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        plain.send(again, event, actor="x")
    with pytest.raises(TransitionRefusedError):
        plain.qualify(again, prospect_id=ProspectId("P-11"), actor="x")
    with pytest.raises(ValidationError, match="guards funnel DefaultFunnel uses"):
        Lifecycle(trusted_guards=["is_lucky"])
    with pytest.raises(ValidationError, match="not one string"):
        Lifecycle(trusted_guards="is_qualified")
