"""Quickstart: capture a lead, walk it through the default funnel, keep its history.

Run: python examples/quickstart.py
"""

from datetime import UTC, date, datetime, timedelta

import attrs

from leadlife import (
    Company,
    Contact,
    DecisionRole,
    History,
    LeadId,
    Lifecycle,
    Money,
    OpportunityId,
    ProspectId,
    Source,
    SteppingClock,
    from_json,
    replay,
    to_json,
)
from leadlife.errors import InsufficientEvidenceError, TransitionRefusedError
from leadlife.qualification import Budget, Evidence, Fact, Method, Provenance, Stakeholder

# Time comes from a clock you choose; this one moves one business day per event.
clock = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(days=1))
life = Lifecycle(clock=clock)  # the default funnel

lead = life.capture(
    id=LeadId("L-100"),
    contact=Contact(name="Ada Lovelace", email="ada@example.com", role=DecisionRole.DECISION_MAKER),
    company=Company(name="Analytical Engines Ltd"),
    source=Source(channel="web", campaign="spring-webinar"),
    attributes={"webinar_minutes": 54},
    actor="web-form",
)
print(f"captured {lead.record.id} as {lead.record.stage!r}")

for event in ("engage", "mark_sales_ready", "accept"):
    life.send(lead, event, actor="sam")
print(f"after the hand-off: {lead.record.stage!r}")

# A move the funnel does not allow is refused, and the error says what is allowed.
try:
    life.send(lead, "win", actor="sam")
except TransitionRefusedError as error:
    print(f"refused: {error}")

# Qualification is done by asking: discovery records evidence, with who said what and how.
said = Provenance(recorded_by="sam", at=clock.peek(), method=Method.CALL)
evidence = Evidence(
    budget=Budget.exactly(Money.of("24000.00", "GBP"), provenance=said),
    need=Fact(holds=True, detail="manual reconciliation every month", provenance=said),
)
try:
    life.qualify(lead, prospect_id=ProspectId("P-100"), actor="sam", evidence=evidence)
except InsufficientEvidenceError as error:  # BANT wants 3 of 4: 2 are known
    print(f"not yet: {error}")

# With the decision maker found, qualifying converts the lead into a prospect.
ada = Contact(name="Ada Lovelace", role=DecisionRole.DECISION_MAKER)
evidence = attrs.evolve(evidence, stakeholders=[Stakeholder(contact=ada, provenance=said)])
prospect = life.qualify(lead, prospect_id=ProspectId("P-100"), actor="sam", evidence=evidence)
print(f"qualified: score {prospect.record.assessment.score:.2f} under {life.framework.name}")
deal = life.open_opportunity(
    prospect,
    opportunity_id=OpportunityId("O-100"),
    name="Analytical Engine",
    amount=Money.of("24000.00", "GBP"),
    expected_close=date(2026, 6, 30),
    win_probability=0.35,
    actor="sam",
)
for event in ("present", "propose"):
    life.send(deal, event, actor="sam")
life.send(deal, "win", actor="sam", reason="signed")

print(
    f"the lead's journey went on as {lead.record.converted_to}, then {prospect.record.converted_to}"
)
print(f"the deal is {deal.record.stage!r}, weighted {deal.record.weighted_amount}")
print("its history:")
for event in deal:
    print(f"  {event.at:%Y-%m-%d} {type(event).__name__:<18} {getattr(event, 'to_stage', '')}")

# Histories serialize to JSON and replay into the very same record.
stored = to_json(deal)
restored = from_json(stored, History)
assert restored.record == deal.record == replay(deal.events)
print(f"stored as {len(stored)} characters of JSON; replays to the same record")
