"""The demo: a few leads walked through the default funnel, on built-in data.

Run it with ``python -m leadlife``. Every run prints the same thing: time
comes from a stepping clock, not the wall.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from leadlife._adapters.documents import from_json, to_json
from leadlife._core.actions import ActionKind, DueAction
from leadlife._core.clock import SteppingClock
from leadlife._core.company import Company, CompanySize
from leadlife._core.contact import Contact, DecisionRole
from leadlife._core.errors import TouchRefusedError
from leadlife._core.events import (
    Assessed,
    CompetitorNoted,
    DealRevised,
    LifecycleEvent,
    ObjectionRecorded,
    OwnerAssigned,
    StageChanged,
)
from leadlife._core.evidence import (
    Budget,
    Evidence,
    Fact,
    Method,
    Provenance,
    Stakeholder,
    Timeline,
)
from leadlife._core.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife._core.history import History
from leadlife._core.ids import LeadId, OpportunityId, ProspectId
from leadlife._core.money import Money
from leadlife._core.objection import ObjectionKind
from leadlife._core.records import Lead
from leadlife._core.screening import Reason, Screening
from leadlife._core.source import Source
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies.agenda import Agenda


@attrs.frozen(kw_only=True)
class _Person:
    key: str
    name: str
    email: str
    title: str
    role: DecisionRole
    company: str
    size: CompanySize
    channel: str
    campaign: str | None


PEOPLE = (
    _Person(
        key="1",
        name="Ada Lovelace",
        email="ada@analytical.example",
        title="Head of Engineering",
        role=DecisionRole.DECISION_MAKER,
        company="Analytical Engines Ltd",
        size=CompanySize.MEDIUM,
        channel="referral",
        campaign=None,
    ),
    _Person(
        key="2",
        name="Grace Hopper",
        email="grace@cobol.example",
        title="Rear Admiral",
        role=DecisionRole.CHAMPION,
        company="Compiler Works",
        size=CompanySize.LARGE,
        channel="event",
        campaign="spring-expo",
    ),
    _Person(
        key="3",
        name="Alan Turing",
        email="alan@bombe.example",
        title="Researcher",
        role=DecisionRole.INFLUENCER,
        company="Bletchley Partners",
        size=CompanySize.SMALL,
        channel="web",
        campaign="whitepaper",
    ),
    _Person(
        key="5",
        name="Barbara Liskov",
        email="barbara@substitution.example",
        title="CTO",
        role=DecisionRole.DECISION_MAKER,
        company="Substitution Systems",
        size=CompanySize.MEDIUM,
        channel="web",
        campaign="webinar",
    ),
    _Person(
        key="4",
        name="Edsger Dijkstra",
        email="ewd@shortest.example",
        title="Office Manager",
        role=DecisionRole.GATEKEEPER,
        company="Shortest Path BV",
        size=CompanySize.MICRO,
        channel="list purchase",
        campaign="phone-book-2026",
    ),
)

_Script = Callable[[Lifecycle, History[Lead]], Sequence[History[Any]]]


def _discovery(*, budget: str, decider: str) -> Evidence:
    """What a discovery call found: a budget, a decision maker, a need, a date."""
    said = Provenance(
        recorded_by="discovery", at=datetime(2026, 3, 1, 10, tzinfo=UTC), method=Method.CALL
    )
    return Evidence(
        budget=Budget.exactly(Money.of(budget, "GBP"), provenance=said),
        stakeholders=[
            Stakeholder(
                contact=Contact(name=decider, role=DecisionRole.DECISION_MAKER), provenance=said
            )
        ],
        need=Fact(holds=True, detail="manual reconciliation every month", provenance=said),
        timeline=Timeline(by=date(2026, 6, 30), event="end of the fiscal year", provenance=said),
    )


def _won(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """Referral, fast track, a deal with an objection, won and growing."""
    life.assign(history, "sam", actor="router", reason="enterprise territory")
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(history, event, actor="sam")
    prospect = life.qualify(
        history,
        prospect_id=ProspectId("P-1"),
        actor="sam",
        evidence=_discovery(budget="50000", decider="Ada Lovelace"),
        reason="discovery call",
    )
    deal = life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-1"),
        name="Two analytical engines",
        amount=Money.of("48000.00", "GBP"),
        expected_close=date(2026, 5, 29),
        win_probability=0.4,
        actor="sam",
    )
    life.send(deal, "present", actor="sam")
    life.record_objection(deal, ObjectionKind.PRICE, note="wants a volume discount", actor="sam")
    life.send(deal, "propose", actor="sam")
    life.revise_deal(deal, amount=Money.of("45600.00", "GBP"), win_probability=0.7, actor="sam")
    life.send(deal, "win", actor="sam", reason="signed")
    life.send(deal, "expand", actor="cs-team", reason="third engine")
    return (history, prospect, deal)


def _recycled(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """An event lead that stalls in the deal, is lost on timing, and recycled."""
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(history, event, actor="kim")
    prospect = life.qualify(
        history,
        prospect_id=ProspectId("P-2"),
        actor="kim",
        evidence=_discovery(budget="15000", decider="Grace Hopper"),
    )
    deal = life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-2"),
        name="Compiler pilot",
        amount=Money.of("12000.00", "USD"),
        expected_close=date(2026, 6, 30),
        win_probability=0.3,
        actor="kim",
    )
    life.note_competitor(deal, "Fortran Inc", actor="kim")
    life.record_objection(deal, ObjectionKind.STALL, note="after the budget round", actor="kim")
    life.send(
        deal,
        "lose",
        actor="kim",
        reason="budget frozen until Q4",
        screening=Screening(reason=Reason.BAD_TIMING, note="budget frozen until Q4", told=True),
        review_on=date(2026, 10, 1),
    )
    return (history, prospect, deal)  # the agenda recycles it: lost on timing


def _disqualified(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """A web lead screened out, with a reason and a review date; the agenda reopens it."""
    life.send(history, "engage", actor="sdr-bot", reason="downloaded the whitepaper")
    life.disqualify(
        history,
        reason=Reason.NO_NEED,
        note="still on paper, no project yet",
        review=date(2026, 9, 1),
        told=True,
        actor="lee",
    )
    return (history,)


def _opted_out(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """A purchased-list suspect who asks not to be contacted: that ends it for good."""
    life.opt_out(history, actor="lee", note="asked by phone not to be called again")
    return (history,)


def _followed_up(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """Followed up as she asked, weekly by e-mail; silent, nurtured, then she answers."""
    clock = life.clock
    assert isinstance(clock, SteppingClock)  # noqa: S101 - run() makes it so
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(history, event, actor="sam")
    life.touch(history, channel=Channel.PHONE, outcome=TouchOutcome.REACHED, actor="sam")
    plan = FollowUpPlan(channel=Channel.EMAIL, every=timedelta(days=7), max_attempts=3)
    life.agree_follow_up(history, plan, actor="sam", reason="weekly, by e-mail, she said")
    with contextlib.suppress(TouchRefusedError):  # too soon: the plan says weekly
        life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    for _ in range(3):  # three weekly e-mails, no answer: the chase stops, to nurture
        clock.advance(timedelta(days=7))
        life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="sam")
    clock.advance(timedelta(days=30))
    life.touch(history, channel=Channel.MAIL, outcome=TouchOutcome.REPLIED, actor="marketing")
    return (history,)  # the agenda makes her sales-ready again


SCRIPTS: tuple[_Script, ...] = (_won, _recycled, _disqualified, _opted_out, _followed_up)


AGENDA_DAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


def run() -> tuple[list[Sequence[History[Any]]], list[DueAction]]:
    """Walk the built-in people through the default funnel, then run the agenda.

    Returns:
        Each person's histories, and the agenda's actions that were applied.
    """
    clock = SteppingClock(
        start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(days=1, hours=3)
    )
    life = Lifecycle(clock=clock)
    journeys = []
    people = sorted(PEOPLE, key=lambda person: person.key)
    for person, script in zip(people, SCRIPTS, strict=True):
        history = life.capture(
            id=LeadId(f"L-{person.key}"),
            contact=Contact(
                name=person.name, email=person.email, title=person.title, role=person.role
            ),
            company=Company(name=person.company, size=person.size),
            source=Source(channel=person.channel, campaign=person.campaign),
            actor="import",
        )
        journeys.append(script(life, history))
    # Months later, the daily agenda: one move per record, applied through the
    # funnel by a lifecycle whose clock starts that morning, a minute per move.
    life = Lifecycle(clock=SteppingClock(start=AGENDA_DAY, step=timedelta(minutes=1)))
    latest = {histories[-1].record_id: histories[-1] for histories in journeys}
    applied: list[DueAction] = []
    moved: set[object] = set()
    for action in Agenda()([h.record for h in latest.values()], AGENDA_DAY):
        if action.kind.applicable and action.record_id not in moved:
            life.apply(latest[action.record_id], action, actor="agenda")
            applied.append(action)
            if action.kind is not ActionKind.SLA_BREACHED:
                moved.add(action.record_id)
    return journeys, applied


def _describe(event: LifecycleEvent) -> str:
    describe = _DESCRIPTIONS.get(type(event))
    return type(event).__name__ if describe is None else describe(event)


def _moved(event: StageChanged) -> str:
    text = f"{event.event}: {event.from_stage} -> {event.to_stage}"
    if event.converted_to is not None:
        text += f" (converted to {event.converted_to})"
    if event.review_on is not None:
        text += f", review on {event.review_on}"
    return text


def _assessed(event: Assessed) -> str:
    found = event.assessment
    return f"assessed ({found.framework}): {found.outcome.value}, score {found.score:.2f}"


_DESCRIPTIONS: dict[type, Callable[[Any], str]] = {
    StageChanged: _moved,
    Assessed: _assessed,
    OwnerAssigned: lambda event: f"owner: {event.owner}",
    ObjectionRecorded: lambda e: f"objection: {e.objection.kind.value} ({e.objection.note})",
    DealRevised: lambda e: f"deal revised: {e.amount} at {e.win_probability:.0%}",
    CompetitorNoted: lambda e: f"competitor: {e.competitor}",
}


def main() -> None:
    """Print each journey: its records, their stages and their histories."""
    journeys, applied = run()
    print("leadlife demo: five leads through the default funnel\n")
    for histories in journeys:
        first = histories[0].record
        company = first.company.name if first.company else "-"
        print(f"== {first.contact.name}, {company} (source: {first.source.channel})")
        for history in histories:
            record = history.record
            print(f"   {type(record).__name__} {record.id}: stage {record.stage!r}")
            for event in history:
                stamp = event.at.strftime("%Y-%m-%d %H:%M")
                why = f"  [{event.reason}]" if event.reason else ""
                print(f"      {stamp}  {event.actor:<10} {_describe(event)}{why}")
        print()
    print(f"The agenda on {AGENDA_DAY:%Y-%m-%d} applied {len(applied)} actions:")
    for action in applied:
        print(f"   {action.record_id}: {action.kind.value} ({action.source}): {action.reason}")
    print()
    deal = journeys[0][-1]
    stored = to_json(deal)
    back = from_json(stored, History)
    same = "the same" if back.record == deal.record else "NOT the same"
    print(f"The won deal's history as JSON is {len(stored)} characters; read back and")
    print(f"replayed, it gives {same} record: {back.record.stage!r}, {back.record.amount}.")
