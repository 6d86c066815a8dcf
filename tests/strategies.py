"""Hypothesis strategies shared by the tests: valid values of every type.

Every strategy here produces values that pass the records' validators; tests
of bad input build their own bad values on purpose.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta

from hypothesis import strategies as st

from leadlife import (
    Consent,
    ConsentStatus,
    Contact,
    DecisionRole,
    FixedClock,
    History,
    Lead,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    Prospect,
    ProspectId,
)
from leadlife import testing as kit
from leadlife._core.values.evidence import FACT_TOPICS
from leadlife.agenda import agenda
from leadlife.errors import TouchRefusedError, TransitionRefusedError
from leadlife.followup import Channel, OnViolation, SalesSequence, SequenceStep, TouchOutcome
from leadlife.nurture import NurtureProgramme
from leadlife.qualification import (
    Budget,
    Competition,
    Evidence,
    Fact,
    Method,
    Provenance,
    Stakeholder,
    Timeline,
)
from leadlife.scoring import Activity, ActivityRule, Decay, ScoringModel
from leadlife.screening import Reason, Screening, WinReason
from leadlife.values import ObjectionKind, ResponseTactic

START = datetime(2026, 1, 5, 9, tzinfo=UTC)

# The test kit's strategies, as values: the tests use them directly.
text = kit.texts()
words = kit.words()
aware_datetimes = kit.aware_datetimes()
dates = kit.dates()
emails = kit.emails()
contacts = kit.contacts()
companies = kit.companies()
sources = kit.sources()
consents = kit.consents()
money = kit.money()
probabilities = kit.probabilities()
json_maps = kit.json_maps()
tags = st.frozensets(words, max_size=4)
objections = kit.objections
lead_ids = text.map(LeadId)
prospect_ids = text.map(ProspectId)
opportunity_ids = text.map(OpportunityId)
leads = kit.leads
prospects = kit.prospects
opportunities = kit.opportunities
records = kit.records()
evidence = kit.evidence()
assessments = kit.assessments()


# -- histories made by driving a lifecycle --------------------------------------

REVIEW_ON = date(2027, 1, 4)
ENGAGED = ScoringModel(
    key="engaged",
    activities=[ActivityRule(key="views", kind="page_view", points=10)],
    decay=Decay(half_life=timedelta(days=7)),
    sales_ready=25,
)
"""A model whose score crosses its threshold up and down as page views come and age."""
SCREEN_OUTS = [r for r in Reason if r not in (Reason.OTHER, Reason.ASKED_NOT_TO_BE_CONTACTED)]


SEQUENCE = SalesSequence(
    key="first_week",
    name="First week",
    steps=[
        SequenceStep(after=timedelta(0), channel=Channel.EMAIL),
        SequenceStep(after=timedelta(days=3), channel=Channel.PHONE),
    ],
)


@st.composite
def journeys(draw: st.DrawFn, max_steps: int = 25, name: str = "1") -> list[History]:
    """The histories of one random journey through the default funnel.

    Its records' ids end in ``name`` (``L-1``, ``P-3-1``...): journeys of
    different names have different records.

    Each step picks one allowed move (a funnel event with the arguments its
    guards need, a conversion, or a change of details) for the record the
    journey is on; refused moves are simply not taken.
    """
    clock = FixedClock(START)
    life = Lifecycle(clock=clock)
    history: History = life.capture(
        id=LeadId(f"L-{name}"),
        contact=draw(contacts),
        source=draw(sources),
        company=draw(st.none() | companies),
        actor="capture",
        tags=draw(tags),
        attributes=draw(json_maps),
    )
    histories = [history]
    for step in range(draw(st.integers(min_value=0, max_value=max_steps))):
        clock.advance(draw(PAUSES))
        record = history.record
        if record.stage == "do_not_contact":
            break
        options = [*life.allowed_events(record), "assign", "tag", "attributes", "company"]
        options += ["agree", "touch", "touch", "agenda", "opt_out_by_request", "add_member"]
        options += ["score", "score", "opt_in", "sequence"]
        if record.committee:
            options += ["touch_member", "member_opts_out", "remove_member"]
        if record.stage == "nurture":
            options += ["enrol", "enrol"]
        if isinstance(record, Opportunity):
            options += ["objection", "competitor", "revise", "win_with_reason"]
            if record.open_objections:
                options += ["answer_objection", "resolve_objection", "lose_on_objection"]
        choice = draw(st.sampled_from(options))
        actor = draw(st.sampled_from(["ada", "bob", "system"]))
        if choice == "qualify" and isinstance(record, Lead):
            history = life.qualify(
                history,
                prospect_id=ProspectId(f"P-{step}" if name == "1" else f"P-{step}-{name}"),
                actor=actor,
                evidence=qualifying_evidence(clock.now()),
            )
            histories.append(history)
        elif choice == "open_opportunity" and isinstance(record, Prospect):
            history = life.open_opportunity(
                history,
                opportunity_id=OpportunityId(f"O-{step}" if name == "1" else f"O-{step}-{name}"),
                name=draw(text),
                # Sometimes not known, as an import of a blank cell leaves it.
                amount=draw(money | st.none()),
                expected_close=draw(dates | st.none()),
                win_probability=draw(probabilities | st.none()),
                actor=actor,
            )
            histories.append(history)
        elif choice == "agree":
            life.agree_follow_up(history, draw(kit.follow_up_plans()), actor=actor)
        elif choice == "touch":
            with contextlib.suppress(TouchRefusedError):
                life.touch(
                    history,
                    channel=draw(st.sampled_from(Channel)),
                    outcome=draw(st.sampled_from(TouchOutcome)),
                    actor=actor,
                )
        elif choice == "agenda":
            for action in agenda([record], clock.now()):
                if action.kind.applicable:
                    life.apply(history, action, actor="agenda")
                    break
        elif choice == "score":
            now = clock.now()
            ages = draw(st.lists(st.integers(min_value=0, max_value=30), max_size=5))
            views = [Activity(kind="page_view", at=now - timedelta(days=age)) for age in ages]
            life.score(history, ENGAGED, views, actor=actor)
        elif choice == "enrol":
            life.enrol(history, draw(st.sampled_from(PROGRAMMES)), actor=actor)
        elif choice == "add_member":
            key = draw(words)
            if all(member.key != key for member in record.committee):
                life.add_member(history, key, draw(contacts), actor=actor)
        elif choice == "touch_member":
            member = draw(st.sampled_from(record.committee))
            with contextlib.suppress(TouchRefusedError):
                life.touch(
                    history,
                    channel=draw(st.sampled_from(Channel)),
                    outcome=draw(st.sampled_from(TouchOutcome)),
                    member=member.key,
                    actor=actor,
                )
        elif choice == "member_opts_out":
            member = draw(st.sampled_from(record.committee))
            if not member.consent.do_not_contact:
                life.change_member(
                    history, member.key, consent=Consent(do_not_contact=True), actor=actor
                )
        elif choice == "remove_member":
            life.remove_member(history, draw(st.sampled_from(record.committee)).key, actor=actor)
        elif choice == "sequence":  # enrolled, or taken out; an answer ends it on its own
            if record.sequence is not None:
                life.end_sequence(history, actor=actor)
            elif not record.consent.do_not_contact:
                life.enrol_in_sequence(history, SEQUENCE, actor=actor)
        elif choice == "opt_in":  # a double opt-in: asked, then (maybe later) confirmed
            consent = record.consent
            if consent.status is ConsentStatus.PENDING:
                life.confirm_opt_in(history, actor=actor)
            elif consent.status is not ConsentStatus.GRANTED and not consent.do_not_contact:
                life.request_opt_in(history, actor=actor)
        elif choice == "opt_out_by_request":
            life.opt_out(history, actor=actor, note="asked")
        elif choice == "assign":
            owner = draw(st.sampled_from(["ada", "bob", None]))
            if owner != record.owner:
                life.assign(history, owner, actor=actor)
        elif choice == "company":
            company = draw(st.none() | companies)
            if company != record.company:  # the same again is refused: nothing changed
                life.change_company(history, company, actor=actor)
        elif choice == "tag":
            new = draw(words)
            if new in record.tags:
                life.untag(history, new, actor=actor)
            else:
                life.tag(history, new, actor=actor)
        elif choice == "attributes":
            life.set_attributes(history, draw(json_maps.filter(bool)), actor=actor)
        elif choice == "objection":
            life.record_objection(
                history, draw(st.sampled_from(ObjectionKind)), note="noted", actor=actor
            )
        elif choice == "answer_objection":
            index = draw(st.sampled_from(sorted(record.open_objections)))  # type: ignore[union-attr]
            life.answer_objection(
                history, index, draw(st.sampled_from(ResponseTactic)), note="said", actor=actor
            )
        elif choice == "resolve_objection":
            index = draw(st.sampled_from(sorted(record.open_objections)))  # type: ignore[union-attr]
            life.resolve_objection(history, index, actor=actor, note=draw(st.none() | text))
        elif choice == "lose_on_objection":
            index = draw(st.sampled_from(sorted(record.open_objections)))  # type: ignore[union-attr]
            with contextlib.suppress(TransitionRefusedError):
                life.lose(
                    history,
                    reason=draw(st.sampled_from(SCREEN_OUTS)),
                    review=REVIEW_ON,
                    actor=actor,
                    objection=index,
                )
        elif choice == "win_with_reason":
            with contextlib.suppress(TransitionRefusedError):
                life.win(history, draw(st.sampled_from(WinReason)), note="said", actor=actor)
        elif choice == "competitor":
            name = draw(text)
            if name not in record.competitors:  # type: ignore[union-attr]
                life.note_competitor(history, name, actor=actor)
        elif choice == "revise":
            odds = draw(probabilities)
            if odds != record.win_probability:  # type: ignore[union-attr]
                life.revise_deal(history, actor=actor, win_probability=odds)
        else:
            # A guard may say no: then the journey simply does not take that move.
            with contextlib.suppress(TransitionRefusedError):
                life.send(
                    history,
                    choice,
                    actor=actor,
                    reason=draw(st.none() | text),
                    review_on=draw(st.none() | st.just(REVIEW_ON)),
                    screening=draw(
                        st.none() | st.builds(Screening, reason=st.sampled_from(SCREEN_OUTS))
                    ),
                    payload=draw(st.none() | json_maps),
                )
    return histories


PROGRAMMES = [
    NurtureProgramme(
        key="digest", name="Digest", channels={Channel.NEWSLETTER}, every=timedelta(days=30)
    ),
    NurtureProgramme(
        key="lenient",
        name="Lenient",
        channels={Channel.MAIL, Channel.SOCIAL},
        every=timedelta(days=7),
        on_violation=OnViolation.RECORD,
    ),
]

PAUSES = st.sampled_from(
    [timedelta(0), timedelta(minutes=7), timedelta(hours=5), timedelta(days=1), timedelta(days=40)]
)


def qualifying_evidence(at: datetime = START) -> Evidence:
    """Evidence that meets every criterion of every built-in framework at ``at``."""
    said = Provenance(recorded_by="sam", at=at, method=Method.MEETING)
    yes = Fact(holds=True, detail="confirmed", provenance=said)
    return Evidence(
        budget=Budget.exactly(Money.of("25000", "EUR"), provenance=said),
        timeline=Timeline(by=at.date() + timedelta(days=90), provenance=said),
        stakeholders=[
            Stakeholder(
                contact=Contact(name="Dee", role=DecisionRole.DECISION_MAKER), provenance=said
            ),
            Stakeholder(contact=Contact(name="Cham", role=DecisionRole.CHAMPION), provenance=said),
        ],
        competition=Competition(competitors=[], provenance=said),
        **dict.fromkeys(FACT_TOPICS, yes),
    )
