"""Six months of follow-ups, recycling and service levels for a few hundred leads.

Every working day: new leads arrive; marketing engages them and hands some to
sales; sales accepts them (not always in time), follows up by the channel and
interval each person chose, qualifies, screens out with a reason and a review
date, loses deals and wins some. Then the agenda runs, and what it proposes is
applied: recycles, reviews, chases stopped, breaches recorded. Time comes from
a stepping clock, and chance from a seeded generator: every run is the same.

Run: python examples/six_months.py
"""

import random
from collections import Counter
from datetime import UTC, datetime, timedelta

from leadlife import (
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
)
from leadlife.agenda import ActionKind, Agenda
from leadlife.errors import TouchRefusedError
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome, WhenStopped
from leadlife.qualification import Budget, Evidence, Fact, Method, Provenance, Stakeholder, Timeline
from leadlife.screening import ChurnReason, Reason, ReviewAfter, Screening
from leadlife.screening import unexplained as unexplained_screen_outs
from leadlife.sla import compliance

START = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday
DAYS = 182
rng = random.Random(2026)  # noqa: S311 - a reproducible simulation, not secrets
clock = SteppingClock(start=START, step=timedelta(minutes=3))
life = Lifecycle(clock=clock)
agenda = Agenda()

journeys: dict[LeadId, History] = {}  # the current history of each journey, by lead id
done: list[History] = []  # histories closed by a conversion
applied: Counter[str] = Counter()
refused_touches = 0
SOURCES = ["web", "event", "referral", "list purchase"]
OWNERS = ["sam", "kim", "lee"]


def chance(p: float) -> bool:
    """True with probability ``p``."""
    return rng.random() < p


def evidence_for(good: bool) -> Evidence:
    """What discovery found: enough for BANT, or a budget of nothing."""
    said = Provenance(recorded_by="sdr", at=clock.peek(), method=Method.CALL)
    budget = Money.of(rng.choice(["5000", "12000", "40000"]) if good else "0", "EUR")
    return Evidence(
        budget=Budget.exactly(budget, provenance=said),
        stakeholders=[
            Stakeholder(
                contact=Contact(name="Boss", role=DecisionRole.DECISION_MAKER), provenance=said
            )
        ],
        need=Fact(holds=good, provenance=said),
        timeline=Timeline(by=(clock.peek() + timedelta(days=90)).date(), provenance=said),
    )


def first_call(history: History) -> None:
    """Sales' first call: ask how and how often the person wants to hear from us."""
    if chance(0.2):
        return  # forgotten: the first-touch service level will say so
    life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="sam")
    plan = FollowUpPlan(
        channel=rng.choice([Channel.EMAIL, Channel.PHONE]),
        every=timedelta(days=rng.choice([3, 7, 14])),
        max_attempts=3,
        give_up_after=timedelta(days=45),
        when_stopped=rng.choice(list(WhenStopped)),
    )
    life.agree_follow_up(history, plan, actor="sam", reason="agreed on the first call")


def work(key: LeadId, history: History) -> None:  # noqa: C901, PLR0912 - a day's work
    """One working day's move on one journey, by what stage it is in."""
    global refused_touches  # noqa: PLW0603 - the example's own tally
    record = history.record
    stage = record.stage
    if stage == "suspect" and chance(0.3):
        life.send(history, "engage", actor="marketing")
    elif stage == "lead" and chance(0.15):
        life.send(history, "mark_sales_ready", actor="scoring")
    elif stage == "accepted" and record.follow_up is None:
        first_call(history)
    elif stage == "accepted" and record.follow_up is not None:
        if chance(0.5):
            try:
                life.touch(
                    history,
                    channel=record.follow_up.plan.channel,
                    outcome=rng.choice([TouchOutcome.NO_ANSWER, TouchOutcome.REPLIED]),
                    actor=record.owner or "sam",
                )
            except TouchRefusedError:
                refused_touches += 1  # too soon: the agenda says when
        elif chance(0.08):
            good = chance(0.7)
            try:
                prospect = life.qualify(
                    history,
                    prospect_id=ProspectId(f"P-{key}"),
                    actor="sam",
                    evidence=evidence_for(good),
                )
            except Exception:  # noqa: BLE001 - not qualified: screen out with respect instead
                life.disqualify(
                    history,
                    reason=Reason.NO_BUDGET,
                    review=(clock.peek() + timedelta(days=60)).date(),
                    told=chance(0.8),
                    actor="sam",
                )
            else:
                done.append(history)
                journeys[key] = prospect
    elif stage == "prospect" and chance(0.2):
        deal = life.open_opportunity(
            history,
            opportunity_id=OpportunityId(f"O-{key}"),
            name=f"Deal {key}",
            amount=Money.of(rng.choice(["8000", "20000", "55000"]), "EUR"),
            expected_close=(clock.peek() + timedelta(days=60)).date(),
            win_probability=0.3,
            actor="sam",
        )
        done.append(history)
        journeys[key] = deal
    elif stage in ("discovery", "presentation", "proposal") and chance(0.1):
        if chance(0.35):
            life.send(
                history,
                "lose",
                actor="sam",
                reason="budget moved to next year",
                screening=Screening(
                    reason=rng.choice([Reason.BAD_TIMING, Reason.NO_BUDGET]), told=True
                ),
                review_on=(clock.peek() + timedelta(days=120)).date(),
            )
        elif stage == "proposal":
            life.send(history, "win", actor="sam", reason="signed")
        else:
            life.send(
                history, {"discovery": "present", "presentation": "propose"}[stage], actor="sam"
            )
    elif stage == "nurture" and chance(0.03):
        outcome = TouchOutcome.REPLIED if chance(0.3) else TouchOutcome.NO_ANSWER
        try:
            life.touch(history, channel=Channel.MAIL, outcome=outcome, actor="marketing")
        except TouchRefusedError:
            refused_touches += 1
    elif stage == "sales_ready" and chance(0.7):
        life.send(history, "accept", actor=record.owner or "sam")
        first_call(history)
    elif stage == "customer" and chance(0.01):
        # A churn is a screen-out: a reason, and when to try to win them back.
        life.churn(history, reason=ChurnReason.PRICE, review=ReviewAfter(days=120), actor="cs")
    if chance(0.0005) and history.record.stage != "do_not_contact":
        life.opt_out(history, actor="sam", note="asked not to be contacted")


for day in range(DAYS):
    today = START + timedelta(days=day)
    if today.weekday() >= 5:  # noqa: PLR2004 - Saturday and Sunday
        continue
    clock.advance(max(timedelta(0), today - clock.peek()))
    for _ in range(rng.randint(0, 4)):  # new leads
        key = LeadId(f"L-{len(journeys) + 1}")
        journeys[key] = life.capture(
            id=key,
            contact=Contact(name=f"Person {len(journeys) + 1}"),
            source=Source(channel=rng.choice(SOURCES)),
            owner=rng.choice(OWNERS),
            actor="import",
        )
    for key, history in list(journeys.items()):
        if history.record.stage != "do_not_contact":
            work(key, history)
    by_id = {history.record_id: history for history in journeys.values()}
    moved = set()  # one move per record per run: the next run sees the new stage
    for action in agenda([h.record for h in journeys.values()], clock.peek()):
        if not action.kind.applicable or action.record_id in moved:
            continue
        life.apply(by_id[action.record_id], action, actor="agenda")
        applied[action.kind.value] += 1
        if action.kind is not ActionKind.SLA_BREACHED:
            moved.add(action.record_id)

records = [history.record for history in journeys.values()]
events = sum(len(h) for h in [*journeys.values(), *done])
print(f"six months, {len(journeys)} journeys, {events} events")
print("where they stand:", dict(sorted(Counter(r.stage for r in records).items())))
print("applied from the agenda:", dict(sorted(applied.items())))
print(f"touches refused as too soon: {refused_touches}")
print(f"records recycled at least once: {sum(1 for r in records if r.recycled)}")
print(f"screen-outs nobody explained: {len(unexplained_screen_outs(records))}")
print("service levels (met / breached / running):")
totals: dict[str, list[int]] = {}
for row in compliance([*journeys.values(), *done], at=clock.peek()):
    total = totals.setdefault(row.level, [0, 0, 0])
    total[0] += row.met
    total[1] += row.breached
    total[2] += row.running
for level, (met, breached, running) in sorted(totals.items()):
    print(f"   {level:<12} {met:>4} / {breached:>4} / {running:>3}")
