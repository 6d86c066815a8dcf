"""Route a month of leads to a sales team by territory, partner desk and capacity, then reassign.

A chain of policies: leads from EMEA go to Ana; partner leads to a partner
desk that shares them two to one; everyone else to whoever of the inside
sales team has the most room; what nobody can take goes to the queue. Kim
is on holiday for a week, Sam takes at most 60 a month. Prints who got how
many and why the first few went where they did, checks no limit was broken,
then lets two sales-ready leads wait past their acceptance level and applies
the agenda's reassignments. Run: python examples/route_leads.py
"""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from leadlife import Company, Contact, FixedClock, LeadId, Lifecycle, Source
from leadlife.agenda import ActionKind, Agenda
from leadlife.routing import Capacity, Chain, Owner, RoundRobin, Rule, Rules, Workload
from leadlife.sla import BusinessCalendar

START = datetime(2026, 3, 2, 8, tzinfo=UTC)
SHOWN = 4
"""How many leads' reasons to print."""
KIM = Owner(
    key="kim",
    weight=2,
    max_open=80,
    calendar=BusinessCalendar(holidays=[date(2026, 3, 9) + timedelta(days=d) for d in range(5)]),
)
SAM = Owner(key="sam", max_assigned=60, period=timedelta(days=30))
LEE = Owner(key="lee", max_open=40)
POLICY = Chain(
    policies=[
        Rules(
            rules=[
                Rule(key="emea", when={"company.region": ["EMEA"]}, then=Owner(key="ana")),
                Rule(
                    key="partners",
                    when={"source.channel": ["partner"]},
                    then=RoundRobin(owners=[KIM, SAM], key="partner_desk"),
                ),
            ]
        ),
        Capacity(owners=[KIM, SAM, LEE], key="inside_sales"),
    ],
    fallback=Owner(key="queue"),
)


def route_a_month(leads: int = 400) -> None:
    """Capture and route a month of leads; print the shares and the first reasons."""
    rng = random.Random(7)  # noqa: S311 - a made-up book, not a secret
    clock = FixedClock(START)
    life = Lifecycle(clock=clock)
    load, reasons = Workload(), []
    for number in range(leads):
        clock.advance(timedelta(days=30) / leads)  # a month of leads, evenly
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name=f"Person {number}"),
            company=Company(name="Co", region=rng.choice(["EMEA", "AMER", "AMER", "APAC"])),
            source=Source(channel=rng.choice(["web", "web", "partner", "event"])),
            actor="web-form",
        )
        routed, load = life.route(history, POLICY, load, actor="router")
        if number < SHOWN:
            reasons.append(f"  L-{number} -> {history.record.owner}: {routed.reason}")
    print(f"== {leads} leads routed ==")
    for owner, count in Counter(load.total).most_common():
        print(f"  {owner:<6} {count:>4} leads, {load.open_of(owner):>3} open")
    print("\n".join(reasons))
    assert load.open_of("lee") <= LEE.max_open, "lee was given more than they may hold"
    assert load.assigned_since("sam", START) <= SAM.max_assigned, "sam was given too many"


def reassign_the_waiting() -> None:
    """Two leads handed to sales and left waiting: the agenda reassigns them by capacity."""
    life = Lifecycle(clock=FixedClock(START))
    histories = []
    for number, owner in ((1, "kim"), (2, "sam")):
        history = life.capture(
            id=LeadId(f"W-{number}"),
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            actor="web-form",
        )
        life.assign(history, owner, actor="ops")
        life.send(history, "engage", actor="marketing")
        life.send(history, "mark_sales_ready", actor="marketing")
        histories.append(history)
    due = Agenda(routing=Capacity(owners=[KIM, SAM, LEE]))(histories, START + timedelta(days=2))
    print("\n== reassigned after the acceptance level was breached ==")
    for item in due:
        if item.action.kind in (ActionKind.SLA_BREACHED, ActionKind.REASSIGN):
            life.apply(item.history, item.action, actor="agenda")
        if item.action.kind is ActionKind.REASSIGN:
            print(f"  {item.history.record_id.value}: {item.action.reason}")
    assert [h.record.owner for h in histories] == ["lee", "kim"]


if __name__ == "__main__":
    route_a_month()
    reassign_the_waiting()
