"""The demo: a few people walked through the default funnel, on built-in data.

Run it with ``python -m leadlife``. Every run prints the same thing: time
comes from a clock that keeps office hours, not from the wall.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs

from leadlife._adapters.documents import from_json, to_json
from leadlife._core.journal.events import (
    AccountLinked,
    Assessed,
    AttributesChanged,
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    ContactChanged,
    DealRevised,
    FollowUpAgreed,
    FollowUpEnded,
    JoinedDeal,
    LeadCaptured,
    LifecycleEvent,
    MemberAdded,
    MemberChanged,
    MemberRemoved,
    NurtureEnded,
    NurtureEnrolled,
    ObjectionAnswered,
    ObjectionRecorded,
    ObjectionResolved,
    OpportunityOpened,
    OwnerAssigned,
    PersonalDataErased,
    ProspectCreated,
    ScoreCrossed,
    SequenceEnded,
    SequenceEnrolled,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife._core.journal.history import History
from leadlife._core.journal.records import Lead, Opportunity
from leadlife._core.support.calendar import BusinessCalendar
from leadlife._core.support.clock import SteppingClock
from leadlife._core.support.errors import TouchRefusedError
from leadlife._core.values.actions import ActionKind, DueAction
from leadlife._core.values.company import Company, CompanySize
from leadlife._core.values.contact import Contact, DecisionRole
from leadlife._core.values.evidence import (
    Budget,
    Evidence,
    Fact,
    Method,
    NoAnswer,
    Provenance,
    Stakeholder,
    Timeline,
    Unanswered,
)
from leadlife._core.values.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife._core.values.ids import LeadId, OpportunityId, ProspectId
from leadlife._core.values.money import Money
from leadlife._core.values.nurture import NurtureProgramme
from leadlife._core.values.objection import ObjectionKind, ResponseTactic
from leadlife._core.values.screening import Reason, Screening, WinReason
from leadlife._core.values.source import Source
from leadlife._lifecycle.lifecycle import Lifecycle
from leadlife._policies import cadence
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


def _discovery(*, budget: str | None, decider: str) -> Evidence:
    """What a discovery call found: a budget (or "they don't know"), a decider, a need, a date."""
    said = Provenance(
        recorded_by="discovery", at=datetime(2026, 3, 1, 10, tzinfo=UTC), method=Method.CALL
    )
    unsure = NoAnswer(
        why=Unanswered.DONT_KNOW,
        provenance=said,
        detail="set in the spring budget round",
        ask_again_on=date(2026, 3, 17),
    )
    return Evidence(
        budget=unsure
        if budget is None
        else Budget.exactly(Money.of(budget, "GBP"), provenance=said),
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
    # A seasoned answer to "too expensive": spread the price over the years of use.
    life.answer_objection(
        deal, 0, ResponseTactic.SPREAD_THE_COST, note="26 GBP a working day", actor="sam"
    )
    life.send(deal, "propose", actor="sam")
    life.revise_deal(deal, amount=Money.of("45600.00", "GBP"), win_probability=0.7, actor="sam")
    life.resolve_objection(deal, 0, note="5% off for two engines", actor="sam")
    life.win(deal, WinReason.VALUE, note="signed: the monthly close in 2 days", actor="sam")
    life.send(deal, "expand", actor="cs-team", reason="third engine")
    return (history, prospect, deal)


def _recycled(life: Lifecycle, history: History[Lead]) -> Sequence[History[Any]]:
    """An event lead that stalls in the deal, is lost on timing, and recycled."""
    for event in ("engage", "mark_sales_ready", "accept"):
        life.send(history, event, actor="kim")
    # They don't know their budget yet: not a "no", a question to ask again.
    life.assess(history, _discovery(budget=None, decider="Grace Hopper"), actor="kim")
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
        # Lost on the stall it raised: win/loss review counts the objection too.
        screening=Screening(
            reason=Reason.BAD_TIMING, note="budget frozen until Q4", told=True, objection=0
        ),
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
    assert isinstance(clock, OfficeClock)  # noqa: S101 - run() makes it so
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
    # In nurture she is kept warm by gentler means, on a slower cadence: no calls.
    life.enrol(history, _DIGEST, actor="marketing", reason="not ready yet: keep warm")
    life.touch(history, channel=Channel.NEWSLETTER, outcome=TouchOutcome.NO_ANSWER, actor="mkt")
    clock.advance(timedelta(days=30))
    life.touch(history, channel=Channel.MAIL, outcome=TouchOutcome.REPLIED, actor="marketing")
    return (history,)  # the agenda makes her sales-ready again


_DIGEST = NurtureProgramme(
    key="monthly_digest",
    name="Monthly digest",
    channels={Channel.NEWSLETTER, Channel.CONTENT, Channel.MAIL},
    every=timedelta(days=30),
    description="The month's best article and an invitation, by e-mail or post.",
)


SCRIPTS: tuple[_Script, ...] = (_won, _recycled, _disqualified, _opted_out, _followed_up)


class OfficeClock:
    """A clock that moves on by ``step`` of working time each time it is read.

    People work office hours: each reading is the next moment ``step`` of
    working time later, in the business calendar (Monday to Friday, 9 to 5),
    so the demo's events happen when someone would be at their desk.
    """

    def __init__(self, start: datetime, step: timedelta) -> None:
        """Start at ``start`` (moved into working hours), reading by ``step``."""
        self._calendar = BusinessCalendar()
        self._step = step
        self._next = self._calendar.add(start, timedelta(0))

    def now(self) -> datetime:
        """The current time; the next reading is a step of working time later."""
        current = self._next
        self._next = self._calendar.add(current, self._step)
        return current

    def advance(self, delta: timedelta) -> None:
        """Jump ``delta`` of wall time ahead (a week, a month), into working hours."""
        self._next = self._calendar.add(self._next + delta, timedelta(0))


AGENDA_DAY = datetime(2026, 10, 5, 9, tzinfo=UTC)


def run() -> tuple[list[Sequence[History[Any]]], list[DueAction]]:
    """Walk the built-in people through the default funnel, then run the agenda.

    Returns:
        Each person's histories, and the agenda's actions that were applied.
    """
    clock = OfficeClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(hours=5))
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
    latest = [histories[-1] for histories in journeys]
    applied: list[DueAction] = []
    moved: set[object] = set()
    for history, action in Agenda()(latest, AGENDA_DAY):
        if action.kind.applicable and history.record_id not in moved:
            life.apply(history, action, actor="agenda")
            applied.append(action)
            if action.kind is not ActionKind.SLA_BREACHED:
                moved.add(history.record_id)
    return journeys, applied


def _describe(event: LifecycleEvent) -> str:
    """An event in plain words, as a salesperson would say it."""
    return _DESCRIPTIONS[type(event)](event)


def _moved(event: StageChanged) -> str:
    text = (
        f"{event.event.replace('_', ' ')}: {_stage(event.from_stage)} -> {_stage(event.to_stage)}"
    )
    if event.converted_to is not None:
        text += f" (now {event.converted_to})"
    if event.review_on is not None:
        text += f", to review on {event.review_on}"
    return text


def _words(code: str) -> str:
    return code.replace("_", " ")


def _stage(stage: str) -> str:
    return stage.replace("_", " ")


def _assessed(event: Assessed) -> str:
    found = event.assessment
    outcome = found.outcome.value.replace("_", " ")
    text = f"assessed under {found.framework.upper()}: {outcome} ({found.score:.0%} met)"
    # "They don't know yet" is an answer of its own: show it, and what to do.
    silences = [j for j in found.judgements if j.no_answer is not None]
    if silences:
        return f"{text}; {silences[0].criterion}: {silences[0].rationale}"
    if found.qualified or not found.next_questions:
        return text
    first = found.next_questions[0]
    return f"{text}; next: {first.question}"


def _touched(event: Touched) -> str:
    touch = event.touch
    text = f"{touch.channel.value}: {touch.outcome.value.replace('_', ' ')}"
    return text + (f" (broke the plan: {touch.violation})" if touch.violation else "")


def _agreed(event: FollowUpAgreed) -> str:
    plan = event.plan
    every = cadence.duration(plan.every)
    stop = f", stop after {plan.max_attempts} unanswered" if plan.max_attempts else ""
    return f"follow-up agreed: {plan.channel.value} every {every}{stop}"


def _consent(event: ConsentRecorded) -> str:
    if event.consent.do_not_contact:
        return "asked not to be contacted"
    return f"consent: {event.consent.status.value}"


_DESCRIPTIONS: dict[type, Callable[[Any], str]] = {
    LeadCaptured: lambda e: f"captured from {e.lead.source.channel}",
    ProspectCreated: lambda e: f"became a prospect, from {e.prospect.lead_id}",
    OpportunityOpened: lambda e: (
        f"deal opened: {e.opportunity.name}, {e.opportunity.amount} "
        f"at {e.opportunity.win_probability:.0%}"
    ),
    StageChanged: _moved,
    Assessed: _assessed,
    OwnerAssigned: lambda event: f"owner: {event.owner}",
    ObjectionRecorded: lambda e: (
        f"objection: {_words(e.objection.kind.value)} ({e.objection.note})"
    ),
    ObjectionAnswered: lambda e: (
        f"answered objection {e.objection}: {_words(e.tactic.value)}"
        + (f" ({e.note})" if e.note else "")
    ),
    ObjectionResolved: lambda e: (
        f"objection {e.objection} resolved" + (f": {e.note}" if e.note else "")
    ),
    NurtureEnrolled: lambda e: (
        f"nurtured by {e.programme.name}: "
        f"{' or '.join(sorted(c.value for c in e.programme.channels))}, "
        f"every {e.programme.every.days} days"
    ),
    NurtureEnded: lambda _: "nurture ended",
    SequenceEnrolled: lambda e: (
        f"sequence {e.sequence.name}: "
        + ", ".join(f"{s.channel.value} on day {s.after.days}" for s in e.sequence.steps)
    ),
    SequenceEnded: lambda _: "sequence ended",
    MemberAdded: lambda e: f"committee: {e.member.contact.name} ({_words(e.member.role.value)})",
    MemberChanged: lambda e: f"committee: {e.member.contact.name} changed",
    MemberRemoved: lambda e: f"committee: {e.key} left",
    DealRevised: lambda e: f"deal revised: {e.amount} at {e.win_probability:.0%}",
    CompetitorNoted: lambda e: f"competitor: {e.competitor}",
    Touched: _touched,
    FollowUpAgreed: _agreed,
    FollowUpEnded: lambda _: "follow-up ended",
    ConsentRecorded: _consent,
    SlaBreached: lambda e: f"service level breached: {e.breach.level}",
    ScoreCrossed: lambda e: (
        f"score {e.crossing.score:.4g} by {e.crossing.model}: "
        + ("sales-ready" if e.crossing.ready else "below the threshold")
    ),
    TagsChanged: lambda e: f"tags: +{sorted(e.added)} -{sorted(e.removed)}",
    AttributesChanged: lambda e: f"attributes changed: {sorted(e.updated) or sorted(e.removed)}",
    ContactChanged: lambda e: f"contact now {e.contact.name}",
    CompanyChanged: lambda e: f"company now {e.company.name if e.company else 'unknown'}",
    AccountLinked: lambda e: f"account now {e.account or 'none'}",
    JoinedDeal: lambda e: f"joined deal {e.deal} as {e.member}",
    PersonalDataErased: lambda e: f"personal data erased: {', '.join(e.subjects)}",
}


def _book(journeys: list[Sequence[History[Any]]], applied: list[DueAction]) -> list[str]:
    """A summary of the book, as a sales manager would ask for it."""
    latest = [histories[-1].record for histories in journeys]
    stages: dict[str, int] = {}
    for record in latest:
        stages[record.stage] = stages.get(record.stage, 0) + 1
    deals = [r for r in latest if isinstance(r, Opportunity)]
    won = [d for d in deals if d.stage in ("customer", "growing", "retained")]
    events = sum(len(history) for histories in journeys for history in histories)
    where = ", ".join(f"{count} {_stage(stage)}" for stage, count in sorted(stages.items()))
    winners = ", ".join(f"{deal.name} ({deal.amount})" for deal in won) or "none"
    recycled = sum(record.recycled for record in latest)
    return [
        f"The book: {len(latest)} people, {events} events.",
        f"   Where they stand: {where}",
        f"   Deals: {len(deals)}, won: {winners}",
        (
            f"   Recycled, not dropped: {recycled} time(s); the agenda proposed and applied "
            f"{len(applied)} move(s) on {AGENDA_DAY:%Y-%m-%d}."
        ),
    ]


def main(
    argv: Sequence[str] | None = None,
    *,
    report: Callable[[list[History[Any]]], list[str]] | None = None,
) -> None:
    """Print each journey: its records, their stages and their histories; then the book.

    ``report`` (the book's funnel report, when the analytics extra is
    installed) adds its lines at the end.
    """
    parser = argparse.ArgumentParser(
        prog="python -m leadlife",
        description="The leadlife demo: five people walked through the default funnel "
        "(qualified and won, lost and recycled, screened out and reopened, opted out, "
        "followed up and re-engaged), on built-in data and an office-hours clock, so "
        "every run prints the same.",
    )
    parser.add_argument("--version", action="version", version=f"leadlife {_version()}")
    parser.parse_args(argv)
    try:
        _print(*run(), report=report)
    except BrokenPipeError:
        # The reader went away (python -m leadlife | head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


def _version() -> str:
    from leadlife import __version__  # noqa: PLC0415 - the package imports this module

    return __version__


def _print(
    journeys: list[Sequence[History[Any]]],
    applied: list[DueAction],
    *,
    report: Callable[[list[History[Any]]], list[str]] | None = None,
) -> None:
    print("leadlife demo: five people through the default funnel\n")
    for histories in journeys:
        first = histories[0].record
        company = first.company.name if first.company else "-"
        print(f"== {first.contact.name}, {company} (source: {first.source.channel})")
        for history in histories:
            record = history.record
            print(f"   {type(record).__name__.lower()} {record.id}, now {_stage(record.stage)}:")
            for event in history:
                stamp = event.at.strftime("%a %Y-%m-%d %H:%M")
                why = f"  [{event.reason}]" if event.reason else ""
                print(f"      {stamp}  {event.actor:<10} {_describe(event)}{why}")
        print()
    print(f"The agenda on {AGENDA_DAY:%A %Y-%m-%d} applied {len(applied)} actions:")
    for action in applied:
        print(f"   {action.record_id}: {action.kind.value} ({action.source}): {action.reason}")
    print()
    for line in _book(journeys, applied):
        print(line)
    deal = journeys[0][-1]
    back = from_json(to_json(deal), History)
    same = "the same" if back.record == deal.record else "NOT the same"
    print(f"   Written as JSON and read back, the won deal's history replays into {same} record.")
    print()
    if report is not None:
        for line in report([history for histories in journeys for history in histories]):
            print(line)
        print()
    print("Read next: docs/quickstart.md (the basics), docs/concepts.md (records, events,")
    print("replay), docs/recycling.md (the agenda), and the examples in examples/.")
