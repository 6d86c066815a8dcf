"""Drive the default funnel with random events; check it against a reference.

The reference below is written out by hand from the domain, independently of
the funnel's class: if the two ever disagree, one of them is wrong.
"""

from datetime import date, timedelta

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import strategies as s
from leadlife import (
    Contact,
    DefaultFunnel,
    Lead,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    Prospect,
    ProspectId,
    Source,
    SteppingClock,
    replay,
)
from leadlife.errors import (
    ConversionError,
    InsufficientEvidenceError,
    TransitionRefusedError,
    UnknownEventError,
)
from leadlife.screening import Reason, Screening

DEAL = ("discovery", "presentation", "proposal", "negotiation")
MARKETING = ("suspect", "lead", "sales_ready", "accepted", "prospect", "nurture")
RECYCLABLE = (
    "lead",
    "sales_ready",
    "accepted",
    "prospect",
    *DEAL,
    "lost",
    "churned",
    "winning_back",
)

# (stage, event) -> target
REFERENCE: dict[tuple[str, str], str] = {
    ("suspect", "engage"): "lead",
    ("lead", "mark_sales_ready"): "sales_ready",
    ("sales_ready", "accept"): "accepted",
    ("sales_ready", "reject"): "lead",
    ("accepted", "qualify"): "prospect",
    ("prospect", "open_opportunity"): "discovery",
    ("discovery", "present"): "presentation",
    ("presentation", "propose"): "proposal",
    ("proposal", "negotiate"): "negotiation",
    ("proposal", "win"): "customer",
    ("negotiation", "win"): "customer",
    ("customer", "expand"): "growing",
    ("retained", "expand"): "growing",
    ("customer", "renew"): "retained",
    ("growing", "renew"): "retained",
    ("customer", "churn"): "churned",
    ("growing", "churn"): "churned",
    ("retained", "churn"): "churned",
    ("churned", "win_back"): "winning_back",
    ("nurture", "reengage"): "sales_ready",
    ("lost", "reopen"): "discovery",
    ("winning_back", "reopen"): "discovery",
    ("disqualified", "reopen"): "lead",
    **{(stage, "lose"): "lost" for stage in DEAL},
    **{(stage, "recycle"): "nurture" for stage in RECYCLABLE},
    **{(stage, "disqualify"): "disqualified" for stage in MARKETING},
}
STAGES = {stage for pair in REFERENCE for stage in pair[:1]} | set(REFERENCE.values())
REFERENCE.update({(stage, "opt_out"): "do_not_contact" for stage in STAGES})
EVENTS = sorted({event for _, event in REFERENCE} | {"teleport"})
DEPTH = {
    "prospect": 1,
    **dict.fromkeys(
        (*DEAL, "customer", "lost", "growing", "retained", "churned", "winning_back"), 2
    ),
}
REVIEW = date(2030, 1, 1)
NOT_A_FIT = Screening(reason=Reason.NOT_A_FIT, told=True)
THEIR_REQUEST = Screening(reason=Reason.ASKED_NOT_TO_BE_CONTACTED, mutual=True, told=True)


def guards_pass(  # noqa: PLR0917 - one flag per guard of the default funnel
    event: str,
    reason: str | None,
    review_on: date | None,
    assessed: bool,
    screening: bool,
    their_request: bool,
) -> bool:
    if event == "qualify":
        return assessed
    if event in ("disqualify", "lose", "churn"):
        # Screening out, a lead, a deal or a customer, takes a screening and a review date.
        return review_on is not None and screening
    if event == "reject":
        # Sales hands a lead back saying why: a screening, no review date.
        return screening
    if event == "opt_out":
        return their_request
    return True


class FunnelMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.life = Lifecycle(clock=SteppingClock(start=s.START, step=timedelta(hours=5)))
        self.history = self.life.capture(
            id=LeadId("L-1"),
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            actor="test",
        )
        self.stage = "suspect"  # the reference model's own idea of where the record is
        self.depth = 0
        self.converted = 0
        self.assessed = False  # a qualifying assessment since the last move
        self.has_evidence = False  # any assessment: qualify() reuses its evidence

    @precondition(lambda self: self.stage != "do_not_contact")
    @rule(
        event=st.sampled_from(EVENTS),
        reason=st.none() | st.just("because"),
        review_on=st.none() | st.just(REVIEW),
        screening=st.sampled_from([None, NOT_A_FIT, THEIR_REQUEST]),
    )
    def send(self, event, reason, review_on, screening):
        asked = screening is THEIR_REQUEST
        target = REFERENCE.get((self.stage, event))
        length = len(self.history)
        try:
            self.life.send(
                self.history,
                event,
                actor="test",
                reason=reason,
                review_on=review_on,
                screening=screening,
            )
        except UnknownEventError:
            assert event not in {e for _, e in REFERENCE}
        except TransitionRefusedError as error:
            assert target is None or not guards_pass(
                event, reason, review_on, self.assessed, screening is not None, asked
            )
            assert error.stage == self.stage
            assert set(error.allowed) == {e for (stage, e) in REFERENCE if stage == self.stage}
        except ConversionError:
            assert target is not None
            assert DEPTH.get(target, 0) > self.depth
        else:
            assert target is not None
            assert guards_pass(
                event, reason, review_on, self.assessed, screening is not None, asked
            )
            assert DEPTH.get(target, 0) <= self.depth
            self.stage, self.assessed = target, False
            assert len(self.history) == length + 1
            return
        assert len(self.history) == length

    @precondition(lambda self: self.stage != "do_not_contact")
    @rule()
    def assess(self):
        evidence = s.qualifying_evidence(self.life.clock.peek())
        self.life.assess(self.history, evidence, actor="test")
        self.assessed = self.has_evidence = True

    @precondition(lambda self: self.stage == "accepted" and self.depth == 0)
    @rule(evidence=st.sampled_from(["qualifying", "latest"]))
    def qualify(self, evidence):
        length = len(self.history)
        given = s.qualifying_evidence(self.life.clock.peek()) if evidence == "qualifying" else None
        prospect_id = ProspectId(f"P-{self.converted + 1}")
        if evidence == "qualifying" or (evidence == "latest" and self.has_evidence):
            self.converted += 1
            self.history = self.life.qualify(
                self.history, prospect_id=prospect_id, actor="test", evidence=given
            )
            self.stage, self.depth, self.assessed = "prospect", 1, False
            self.has_evidence = True
            return
        with pytest.raises(InsufficientEvidenceError) as caught:
            self.life.qualify(self.history, prospect_id=prospect_id, actor="test", evidence=given)
        assert caught.value.questions
        assert len(self.history) == length  # a call that raises records nothing

    @precondition(lambda self: self.stage == "prospect" and self.depth == 1)
    @rule(odds=s.probabilities)
    def open_opportunity(self, odds):
        self.converted += 1
        self.history = self.life.open_opportunity(
            self.history,
            opportunity_id=OpportunityId(f"O-{self.converted}"),
            name="deal",
            amount=Money.of("100", "EUR"),
            expected_close=date(2026, 12, 31),
            win_probability=odds,
            actor="test",
        )
        self.stage, self.depth, self.assessed = "discovery", 2, False

    @precondition(lambda self: self.stage == "do_not_contact")
    @rule()
    def capture_another_lead(self):
        # The same lifecycle must keep working after a record reached a terminal stage.
        self.converted += 1
        self.history = self.life.capture(
            id=LeadId(f"L-{self.converted}"),
            contact=Contact(name="Bo"),
            source=Source(channel="web"),
            actor="test",
        )
        self.stage, self.depth, self.assessed = "suspect", 0, False
        self.has_evidence = False

    @invariant()
    def the_record_is_where_the_reference_says(self):
        record = self.history.record
        assert record.stage == self.stage
        assert isinstance(record, (Lead, Prospect, Opportunity)[self.depth])

    @invariant()
    def the_history_replays_to_the_record(self):
        assert replay(self.history.events) == self.history.record

    @invariant()
    def a_disqualified_record_has_a_review_date(self):
        if self.stage == "disqualified":
            assert self.history.record.review_on is not None


TestFunnel = FunnelMachine.TestCase


def test_the_reference_and_the_funnel_declare_the_same_moves():
    declared = {(t.source, t.event): t.target for t in DefaultFunnel.spec().transitions}
    assert declared == REFERENCE
