"""Assess a handful of leads under BANT and under BANT + Desire + Trust.

The same evidence, two frameworks: BANT (3 of 4) and the argument that
desire and trust must come back. Prints each assessment and the questions to
ask next. Run: python examples/qualify_leads.py
"""

from datetime import UTC, date, datetime

from leadlife import Contact, DecisionRole, Money
from leadlife.qualification import (
    BANT,
    BANT_DT,
    Budget,
    Evidence,
    Fact,
    Method,
    Provenance,
    Stakeholder,
    Timeline,
)

NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)
CALL = Provenance(recorded_by="sam", at=datetime(2026, 3, 12, tzinfo=UTC), method=Method.CALL)
FORM = Provenance(recorded_by="web-form", at=datetime(2026, 3, 2, tzinfo=UTC), method=Method.FORM)


def yes(detail: str | None = None, said: Provenance = CALL) -> Fact:
    """A yes, as somebody recorded it."""
    return Fact(holds=True, detail=detail, provenance=said)


def no(detail: str | None = None) -> Fact:
    """A no, as somebody recorded it."""
    return Fact(holds=False, detail=detail, provenance=CALL)


LEADS = {
    "Ada (all of BANT, no word on trust)": Evidence(
        budget=Budget.exactly(Money.of("40000", "EUR"), provenance=CALL),
        stakeholders=[
            Stakeholder(
                contact=Contact(name="Ada", role=DecisionRole.DECISION_MAKER), provenance=CALL
            )
        ],
        need=yes("month-end close takes 9 days"),
        timeline=Timeline(by=date(2026, 6, 30), event="fiscal year end", provenance=CALL),
        desire=yes("asked for a pilot"),
    ),
    "Grace (talks to a gatekeeper)": Evidence(
        budget=Budget(low=Money.of("10000", "EUR"), high=Money.of("20000", "EUR"), provenance=FORM),
        stakeholders=[
            Stakeholder(contact=Contact(name="Bo", role=DecisionRole.GATEKEEPER), provenance=CALL)
        ],
        need=yes(),
        timeline=Timeline(by=date(2026, 9, 1), provenance=FORM),
        desire=yes(),
        trust=yes("reference call went well"),
    ),
    "Alan (no budget, does not trust us)": Evidence(
        budget=Budget.exactly(Money.of("0", "EUR"), provenance=CALL),
        need=yes(),
        trust=no("burnt by a vendor last year"),
    ),
    "Edsger (a form, nothing asked yet)": Evidence(need=yes("ticked 'interested'", said=FORM)),
}

for name, evidence in LEADS.items():
    print(f"== {name}")
    for framework in (BANT, BANT_DT):
        assessment = framework.assess(evidence, at=NOW)
        verdicts = ", ".join(
            f"{j.criterion} {j.verdict.value.replace('_', ' ')}" for j in assessment.judgements
        )
        print(
            f"   {framework.name:<22} {assessment.outcome.value:<22} score {assessment.score:.2f}"
        )
        print(f"      {verdicts}")
        for question in assessment.next_questions[:2]:
            flag = "decides it" if question.decisive else f"influence {question.influence:.2f}"
            print(f"      ask: {question.question} ({flag})")
    print()
