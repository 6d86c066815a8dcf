"""Criteria, policies and frameworks: asking, not guessing."""

from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import Contact, DecisionRole, Money
from leadlife.errors import CriterionError, ValidationError
from leadlife.plugins import Registry
from leadlife.qualification import (
    ANUM,
    BANT,
    BANT_DT,
    CHAMP,
    FAINT,
    GPCT,
    MEDDIC,
    MEDDPICC,
    NEAT,
    ZIGLAR,
    AllOf,
    AtLeast,
    Budget,
    BudgetCriterion,
    Competition,
    CompetitionCriterion,
    Evidence,
    Fact,
    FactCriterion,
    Framework,
    FunctionCriterion,
    Judgement,
    Method,
    MustHave,
    Outcome,
    Provenance,
    RoleCriterion,
    Stakeholder,
    Timeline,
    TimelineCriterion,
    Verdict,
    Weighted,
    criterion,
)
from strategies import qualifying_evidence

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)
CALL = Provenance(recorded_by="sam", at=AT, method=Method.CALL)
FORM = Provenance(recorded_by="web", at=AT, method=Method.FORM)
REGISTRY = Registry(autoload=False)


def judge(key, **evidence):
    return REGISTRY.criterion(key)(Evidence(**evidence), AT)


def person(role, provenance=CALL, name="Ada"):
    return Stakeholder(contact=Contact(name=name, role=role), provenance=provenance)


# -- evidence ---------------------------------------------------------------


def test_an_unasked_question_is_unknown_for_every_criterion():
    for key in REGISTRY.criteria():
        assert judge(key).verdict is Verdict.UNKNOWN, key


def test_budget_ranges_must_be_ordered_and_in_one_currency():
    with pytest.raises(ValidationError, match=r"Budget\.high"):
        Budget(low=Money.of("10", "EUR"), high=Money.of("5", "EUR"), provenance=CALL)
    with pytest.raises(ValidationError, match="an amount in EUR"):
        Budget(low=Money.of("10", "EUR"), high=Money.of("50", "USD"), provenance=CALL)
    with pytest.raises(ValidationError, match="0 <= low"):
        Budget.exactly(Money.of("-1", "EUR"), provenance=CALL)


def test_evidence_fields_are_typed():
    with pytest.raises(
        ValidationError, match="a Fact, a NoAnswer when asked in vain, or None when unasked"
    ):
        Evidence(need=True)
    with pytest.raises(ValidationError, match=r"Evidence\.stakeholders"):
        Evidence(stakeholders=[Contact(name="Ada")])
    with pytest.raises(ValidationError, match=r"Evidence\.other"):
        Evidence(other={"x": True})


def test_other_topics_are_read_only_and_found_by_name():
    evidence = Evidence(other={"security_review": Fact(holds=True, provenance=CALL)})
    assert evidence.fact("security_review").holds
    assert evidence.fact("nothing") is None
    with pytest.raises(TypeError):
        evidence.other["x"] = Fact(holds=True, provenance=CALL)  # type: ignore[index]


def test_evidence_is_a_hashable_value():
    given = Evidence(other={"security_review": Fact(holds=True, provenance=CALL)})
    same = Evidence(other={"security_review": Fact(holds=True, provenance=CALL)})
    assert given == same
    assert hash(given) == hash(same)


# -- the criteria -----------------------------------------------------------


def test_a_fact_is_met_when_yes_and_not_met_when_no():
    yes = judge("need", need=Fact(holds=True, detail="9-day close", provenance=CALL))
    assert (yes.verdict, yes.rationale, yes.evidence) == (
        Verdict.MET,
        "yes, per sam (call): 9-day close",
        ("need",),
    )
    no = judge("need", need=Fact(holds=False, provenance=CALL))
    assert (no.verdict, no.rationale) == (Verdict.NOT_MET, "no, per sam (call)")


def test_a_fact_criterion_on_a_topic_of_ones_own():
    review = FactCriterion(key="security", question="Signed off?", topic="security_review")
    judgement = review(Evidence(other={"security_review": Fact(holds=True, provenance=CALL)}), AT)
    assert judgement.evidence == ("other.security_review",)


def test_budget():
    assert (
        judge("budget", budget=Budget.exactly(Money.of("0", "EUR"), provenance=CALL)).verdict
        is Verdict.NOT_MET
    )
    ranged = judge(
        "budget",
        budget=Budget(low=Money.of("1", "EUR"), high=Money.of("2", "EUR"), provenance=CALL),
    )
    assert ranged.rationale == "a budget of 1.00 EUR to 2.00 EUR"
    minimum = BudgetCriterion(minimum=Money.of("10000", "EUR"))
    enough = Evidence(budget=Budget.exactly(Money.of("12000", "EUR"), provenance=CALL))
    assert minimum(enough, AT).verdict is Verdict.MET
    dollars = Evidence(budget=Budget.exactly(Money.of("12000", "USD"), provenance=CALL))
    assert minimum(dollars, AT).verdict is Verdict.UNKNOWN


def test_authority_needs_a_decision_maker_not_a_gatekeeper():
    assert (
        judge("authority", stakeholders=[person(DecisionRole.DECISION_MAKER)]).verdict
        is Verdict.MET
    )
    gatekept = judge("authority", stakeholders=[person(DecisionRole.GATEKEEPER)])
    assert gatekept.verdict is Verdict.NOT_MET
    assert (
        judge("authority", stakeholders=[person(DecisionRole.UNKNOWN)]).verdict is Verdict.UNKNOWN
    )


def test_the_economic_buyer_must_be_met_not_just_named():
    named = judge("economic_buyer", stakeholders=[person(DecisionRole.DECISION_MAKER, FORM)])
    assert named.verdict is Verdict.UNKNOWN
    assert "nobody has met them" in named.rationale
    met = judge(
        "economic_buyer",
        stakeholders=[
            person(DecisionRole.DECISION_MAKER, FORM),
            person(DecisionRole.DECISION_MAKER, CALL, "Bo"),
        ],
    )
    assert (met.verdict, met.evidence) == (Verdict.MET, ("stakeholders[1]",))


def test_champion():
    assert judge("champion", stakeholders=[person(DecisionRole.CHAMPION)]).verdict is Verdict.MET
    assert judge("champion", stakeholders=[person(DecisionRole.USER)]).verdict is Verdict.NOT_MET


def test_timeline_within_the_horizon_beyond_it_and_stale():
    def by(day):
        return judge("timeline", timeline=Timeline(by=day, provenance=CALL)).verdict

    assert by(date(2026, 6, 30)) is Verdict.MET
    assert by(date(2028, 1, 1)) is Verdict.NOT_MET
    assert by(date(2026, 1, 1)) is Verdict.UNKNOWN
    short = TimelineCriterion(horizon=timedelta(days=30))
    assert (
        short(Evidence(timeline=Timeline(by=date(2026, 6, 30), provenance=CALL)), AT).verdict
        is Verdict.NOT_MET
    )


def test_competition_known_even_when_nobody_else_is_in_it():
    assert (
        judge("competition", competition=Competition(competitors=[], provenance=CALL)).verdict
        is Verdict.MET
    )
    rivals = CompetitionCriterion()(
        Evidence(competition=Competition(competitors=["Acme"], provenance=CALL)), AT
    )
    assert rivals.rationale == "also considering Acme"


def test_criteria_validate_their_keys():
    with pytest.raises(ValidationError, match="lower_snake_case"):
        FactCriterion(key="Need!", question="?", topic="need")
    with pytest.raises(ValidationError, match="lower_snake_case"):
        RoleCriterion(key="", question="?", role=DecisionRole.CHAMPION)


# -- policies ---------------------------------------------------------------

M, N, U = Verdict.MET, Verdict.NOT_MET, Verdict.UNKNOWN


@pytest.mark.parametrize(
    ("policy", "verdicts", "outcome"),
    [
        (AllOf(), {"a": M, "b": M}, Outcome.QUALIFIED),
        (AllOf(), {"a": M, "b": N}, Outcome.NOT_QUALIFIED),
        (AllOf(), {"a": M, "b": U}, Outcome.INSUFFICIENT_EVIDENCE),
        (AtLeast(2), {"a": M, "b": M, "c": N}, Outcome.QUALIFIED),
        (AtLeast(2), {"a": M, "b": N, "c": N}, Outcome.NOT_QUALIFIED),
        (AtLeast(2), {"a": M, "b": U, "c": N}, Outcome.INSUFFICIENT_EVIDENCE),
        (Weighted(0.5, weights={"a": 3}), {"a": M, "b": N, "c": N}, Outcome.QUALIFIED),
        (Weighted(0.5, weights={"a": 3}), {"a": N, "b": U, "c": U}, Outcome.NOT_QUALIFIED),
        (Weighted(0.5, weights={"a": 3}), {"a": U, "b": M, "c": N}, Outcome.INSUFFICIENT_EVIDENCE),
        (Weighted(0.5), {}, Outcome.NOT_QUALIFIED),
        (MustHave(must={"a"}, nice_needed=1), {"a": M, "b": M, "c": N}, Outcome.QUALIFIED),
        (MustHave(must={"a"}, nice_needed=1), {"a": N, "b": M}, Outcome.NOT_QUALIFIED),
        (MustHave(must={"a"}, nice_needed=2), {"a": M, "b": M, "c": N}, Outcome.NOT_QUALIFIED),
        (MustHave(must={"a"}, nice_needed=1), {"a": U, "b": M}, Outcome.INSUFFICIENT_EVIDENCE),
        (MustHave(must={"a"}, nice_needed=1), {"a": M, "b": U}, Outcome.INSUFFICIENT_EVIDENCE),
    ],
)
def test_policies_decide_honestly_about_unknowns(policy, verdicts, outcome):
    assert policy.decide(verdicts) is outcome


def test_policies_describe_themselves():
    assert AllOf().describe() == "all criteria met"
    assert AtLeast(3).describe() == "at least 3 criteria met"
    assert Weighted(0.75).describe() == "weighted score at least 75%"
    assert "pain x2" in Weighted(0.75, weights={"pain": 2}).describe()
    assert MustHave(must={"need"}, nice_needed=1).describe() == "all of need, and 1 of the others"


@pytest.mark.parametrize(
    "build",
    [
        lambda: AtLeast(0),
        lambda: AtLeast(True),
        lambda: Weighted(0),
        lambda: Weighted(1.5),
        lambda: Weighted(0.5, weights={"a": -1}),
        lambda: MustHave(must=set()),
        lambda: MustHave(must="need"),
    ],
)
def test_policies_validate(build):
    with pytest.raises(ValidationError):
        build()


# -- frameworks -------------------------------------------------------------


def test_every_built_in_framework_qualifies_full_evidence_and_doubts_none():
    for framework in (BANT, BANT_DT, ZIGLAR, ANUM, CHAMP, FAINT, GPCT, MEDDIC, MEDDPICC, NEAT):
        full = framework.assess(qualifying_evidence(AT), at=AT)
        assert (full.outcome, full.score, full.next_questions) == (Outcome.QUALIFIED, 1.0, ()), (
            framework.key
        )
        empty = framework.assess(Evidence(), at=AT)
        assert empty.outcome is Outcome.INSUFFICIENT_EVIDENCE
        assert [q.criterion for q in empty.next_questions] != []


def test_bant_qualifies_on_three_of_four():
    evidence = Evidence(
        budget=Budget.exactly(Money.of("1", "EUR"), provenance=CALL),
        need=Fact(holds=True, provenance=CALL),
        timeline=Timeline(by=date(2026, 6, 1), provenance=CALL),
        stakeholders=[person(DecisionRole.GATEKEEPER)],
    )
    assessment = BANT.assess(evidence, at=AT)
    assert assessment.qualified
    assert assessment.verdict("authority") is Verdict.NOT_MET
    with pytest.raises(KeyError):
        assessment.verdict("trust")


def test_questions_that_can_decide_come_first():
    evidence = Evidence(
        budget=Budget.exactly(Money.of("1", "EUR"), provenance=CALL),
        need=Fact(holds=True, provenance=CALL),
        desire=Fact(holds=True, provenance=CALL),
    )
    assessment = BANT_DT.assess(evidence, at=AT)
    questions = assessment.next_questions
    assert [q.criterion for q in questions] == ["trust", "authority", "timeline"]
    assert [q.decisive for q in questions] == [True, False, False]
    assert questions[0].influence > questions[1].influence > 0


def test_a_criterion_that_raises_is_named():
    @criterion(key="fragile", question="Will it break?")
    def fragile(evidence, at):
        raise ZeroDivisionError

    framework = Framework(key="frail", name="Frail", criteria=[fragile], policy=AllOf())
    with pytest.raises(CriterionError, match="criterion 'fragile': raised ZeroDivisionError"):
        framework.assess(Evidence(), at=AT)


def test_a_criterion_answering_for_another_key_is_named():
    liar = FunctionCriterion(
        key="liar", question="?", judge=lambda e, at: Judgement.met("budget", "yes")
    )
    framework = Framework(key="liars", name="Liars", criteria=[liar], policy=AllOf())
    with pytest.raises(CriterionError, match="not a Judgement of its own key"):
        framework.assess(Evidence(), at=AT)


def test_assess_checks_its_arguments():
    with pytest.raises(ValidationError, match="an Evidence"):
        BANT.assess({"budget": 1}, at=AT)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="timezone-aware"):
        BANT.assess(Evidence(), at=datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Bad Key"}, "lower_snake_case"),
        ({"criteria": []}, "non-empty list of criteria"),
        ({"criteria": ["budget"]}, "a Criterion"),
        ({"criteria": [BANT.criteria[0], BANT.criteria[0]]}, "distinct keys"),
        ({"policy": "all"}, "a Policy"),
        ({"policy": MustHave(must={"trust"})}, r"naming only its criteria, not \['trust'\]"),
        ({"policy": Weighted(0.5, weights={"trust": 2})}, "naming only its criteria"),
    ],
)
def test_frameworks_validate(changes, message):
    fields = {"key": "mine", "name": "Mine", "criteria": list(BANT.criteria), "policy": AllOf()}
    with pytest.raises(ValidationError, match=message):
        Framework(**{**fields, **changes})


def test_many_open_questions_are_ranked_in_bounded_time():
    topics = [f"t{i}" for i in range(12)]
    wide = Framework(
        key="wide",
        name="Wide",
        criteria=[FactCriterion(key=t, question=f"{t}?", topic=t) for t in topics],
        policy=AtLeast(6),
    )
    assessment = wide.assess(Evidence(), at=AT)
    assert len(assessment.next_questions) == 12
    assert all(0 < q.influence <= 1 for q in assessment.next_questions)
