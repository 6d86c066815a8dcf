"""Not asked, asked and they don't know, asked and they won't say, answered: four states."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Money, ProspectId, Source
from leadlife.errors import InsufficientEvidenceError, ValidationError
from leadlife.qualification import (
    BANT,
    BANT_DT,
    AnswerStatus,
    Budget,
    Competition,
    CompetitionCriterion,
    Evidence,
    Fact,
    FactCriterion,
    Judgement,
    Method,
    NoAnswer,
    Provenance,
    Timeline,
    Unanswered,
    Verdict,
)
from leadlife.serialization import from_json, to_json
from leadlife.testing import evidence as any_evidence

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
SAID = Provenance(recorded_by="sam", at=AT, method=Method.CALL)


def dont_know(**extra):
    return NoAnswer(why=Unanswered.DONT_KNOW, provenance=SAID, **extra)


def wont_say(**extra):
    return NoAnswer(why=Unanswered.WONT_SAY, provenance=SAID, **extra)


def test_each_question_is_in_one_of_four_states():
    evidence = Evidence(
        budget=dont_know(),
        need=wont_say(),
        desire=Fact(holds=False, provenance=SAID),
        other={"security": dont_know(), "legal": Fact(holds=True, provenance=SAID)},
    )
    assert [
        evidence.status(topic)
        for topic in ("budget", "need", "desire", "trust", "stakeholders", "security", "legal")
    ] == [
        AnswerStatus.DONT_KNOW,
        AnswerStatus.WONT_SAY,
        AnswerStatus.ANSWERED,
        AnswerStatus.NOT_ASKED,
        AnswerStatus.NOT_ASKED,
        AnswerStatus.DONT_KNOW,
        AnswerStatus.ANSWERED,
    ]
    assert evidence.status("nobody_asked_this") is AnswerStatus.NOT_ASKED


def test_fact_gives_answers_only_so_older_criteria_keep_working():
    evidence = Evidence(need=wont_say(), other={"security": dont_know()})
    assert evidence.fact("need") is None
    assert evidence.fact("security") is None
    assert evidence.no_answer("need") == wont_say()
    assert evidence.no_answer("security") == dont_know()
    assert evidence.no_answer("desire") is None
    assert evidence.answer("need") == wont_say()
    assert evidence.answer("budget") is None


@pytest.mark.parametrize(
    ("silence", "advice"),
    [
        (dont_know(), "ask again later"),
        (dont_know(ask_again_on=date(2026, 4, 20)), "ask again on 2026-04-20"),
        (wont_say(), "ask someone else"),
        (wont_say(ask_instead="their CFO"), "ask their CFO instead"),
        (
            dont_know(ask_instead="the board", ask_again_on=date(2026, 4, 20)),
            "ask the board instead",
        ),
    ],
)
def test_a_no_answer_says_what_to_do_next(silence, advice):
    assert silence.advice == advice


def test_a_no_answer_says_what_happened():
    assert dont_know().words == "asked; they don't know yet, per sam (call)"
    assert wont_say(detail="internal matter").words == (
        "asked; they won't say, per sam (call): internal matter"
    )
    assert dont_know().status is AnswerStatus.DONT_KNOW
    assert wont_say().status is AnswerStatus.WONT_SAY


def test_asking_again_cannot_be_planned_before_the_asking():
    with pytest.raises(
        ValidationError, match=r"ask_again_on: expected a date on or after the asking, 2026-03-02"
    ):
        dont_know(ask_again_on=date(2026, 3, 1))
    assert dont_know(ask_again_on=date(2026, 3, 2)).ask_again_on == date(2026, 3, 2)
    with pytest.raises(ValidationError, match=r"NoAnswer\.why"):
        NoAnswer(why="dont_know", provenance=SAID)


def test_evidence_takes_a_no_answer_wherever_an_answer_goes():
    for field in ("budget", "timeline", "competition", "need", "economic_impact"):
        assert Evidence(**{field: dont_know()}).status(field) is AnswerStatus.DONT_KNOW
    with pytest.raises(
        ValidationError, match=r"Evidence\.budget: expected a Budget, a NoAnswer or None"
    ):
        Evidence(budget=Fact(holds=True, provenance=SAID))
    with pytest.raises(ValidationError, match=r"a mapping of topic names to Fact or NoAnswer"):
        Evidence(other={"x": None})


@pytest.mark.parametrize(
    ("criterion", "field", "where"),
    [
        (BANT.criteria[0], "budget", "budget"),
        (BANT.criteria[3], "timeline", "timeline"),
        (CompetitionCriterion(), "competition", "competition"),
        (FactCriterion(key="need", question="Need?", topic="need"), "need", "need"),
        (FactCriterion(key="sec", question="Signed off?", topic="sec"), "other", "other.sec"),
    ],
)
def test_criteria_say_they_asked_and_what_to_do(criterion, field, where):
    silence = dont_know(detail="decided in April", ask_again_on=date(2026, 4, 20))
    given = {"other": {"sec": silence}} if field == "other" else {field: silence}
    judgement = criterion(Evidence(**given), AT)
    assert judgement == Judgement(
        criterion=criterion.key,
        verdict=Verdict.UNKNOWN,
        rationale="asked; they don't know yet, per sam (call): decided in April: "
        "ask again on 2026-04-20",
        evidence=(where,),
        no_answer=silence,
    )


def test_unasked_still_reads_nobody_asked():
    judgement = BANT.criteria[0](Evidence(), AT)
    assert judgement.rationale == "nobody has asked about the budget yet"
    assert judgement.no_answer is None


def test_only_an_unknown_verdict_carries_a_no_answer():
    with pytest.raises(
        ValidationError, match=r"Judgement\.no_answer: expected None unless the verdict is unknown"
    ):
        Judgement(criterion="budget", verdict=Verdict.MET, rationale="yes", no_answer=dont_know())
    with pytest.raises(ValidationError, match="a NoAnswer or None"):
        Judgement(criterion="budget", verdict=Verdict.UNKNOWN, rationale="?", no_answer="later")


def test_next_questions_ask_the_untried_first_then_someone_else_then_later():
    evidence = Evidence(budget=dont_know(), need=wont_say(ask_instead="the CTO"))
    questions = BANT_DT.assess(evidence, at=AT).next_questions
    assert {(q.criterion, q.status, q.advice) for q in questions[:4]} == {
        ("authority", AnswerStatus.NOT_ASKED, "ask"),
        ("timeline", AnswerStatus.NOT_ASKED, "ask"),
        ("desire", AnswerStatus.NOT_ASKED, "ask"),
        ("trust", AnswerStatus.NOT_ASKED, "ask"),
    }
    assert [(q.criterion, q.status, q.advice) for q in questions[4:]] == [
        ("need", AnswerStatus.WONT_SAY, "ask the CTO instead"),
        ("budget", AnswerStatus.DONT_KNOW, "ask again later"),
    ]
    # Within a group, decisive questions still come first.
    untried = BANT_DT.assess(Evidence(), at=AT).next_questions
    assert [q.criterion for q in questions[:4]] == [
        q.criterion for q in untried if q.criterion in {"authority", "timeline", "desire", "trust"}
    ]


@given(any_evidence())
def test_next_questions_never_put_a_later_state_before_an_earlier_one(evidence):
    order = [AnswerStatus.NOT_ASKED, AnswerStatus.WONT_SAY, AnswerStatus.DONT_KNOW]
    for framework in (BANT, BANT_DT):
        assessment = framework.assess(evidence, at=AT)
        ranks = [order.index(q.status) for q in assessment.next_questions]
        assert ranks == sorted(ranks)
        silences = {j.criterion: j.no_answer for j in assessment.judgements}
        for question in assessment.next_questions:
            assert question.no_answer == silences[question.criterion]


def test_a_lead_that_cannot_qualify_yet_is_told_what_to_ask_again():
    life = Lifecycle(clock=FixedClock(AT))
    lead = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="ops"
    )
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(lead, event, actor="ops")
    evidence = Evidence(
        budget=dont_know(ask_again_on=date(2026, 4, 20)),
        need=Fact(holds=True, provenance=SAID),
        timeline=Timeline(by=date(2026, 6, 30), provenance=SAID),
        competition=Competition(competitors=[], provenance=SAID),
    )
    with pytest.raises(InsufficientEvidenceError) as raised:
        life.qualify(lead, prospect_id=ProspectId("P-1"), actor="ops", evidence=evidence)
    assert str(raised.value) == (
        "L-1 cannot be qualified under bant yet; ask: Are we talking to someone who can decide?; "
        "Is there a budget for this? (ask again on 2026-04-20)"
    )
    assert raised.value.assessment.evidence.status("budget") is AnswerStatus.DONT_KNOW
    assert lead.record.assessment is None  # the call raised: nothing recorded


def test_a_no_answer_travels_in_documents():
    evidence = Evidence(
        budget=wont_say(ask_instead="the CFO"),
        timeline=dont_know(ask_again_on=date(2026, 5, 1), detail="after the reorganisation"),
        need=Fact(holds=True, provenance=SAID),
        other={"sec": dont_know()},
    )
    assert from_json(to_json(evidence)) == evidence
    assessment = BANT.assess(evidence, at=AT)
    assert from_json(to_json(assessment)) == assessment
    budget = Budget.exactly(Money.of("100", "EUR"), provenance=SAID)
    assert from_json(to_json(Evidence(budget=budget))).budget == budget
