from datetime import UTC, date, datetime, timedelta

import pytest
from statemachine import State

from leadlife import (
    Company,
    Consent,
    ConsentStatus,
    Contact,
    DefaultFunnel,
    FixedClock,
    Funnel,
    History,
    Lead,
    LeadId,
    Lifecycle,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    RecordKind,
    Source,
    Stage,
    replay,
)
from leadlife.agenda import agenda
from leadlife.errors import (
    ConversionError,
    FunnelDefinitionError,
    HistoryError,
    TransitionRefusedError,
    UnknownEventError,
    UnknownStageError,
    ValidationError,
)
from leadlife.events import LeadCaptured, OpportunityOpened, ProspectCreated, StageChanged
from leadlife.screening import Reason, Screening
from leadlife.values import ObjectionKind
from strategies import qualifying_evidence

REVIEW = date(2026, 9, 1)
NO_BUDGET = Screening(reason=Reason.NO_BUDGET)


def walk(life, history, *events):
    for event in events:
        life.send(history, event, actor="bob")
    return history


def to_prospect(life, history):
    walk(life, history, "engage", "mark_sales_ready", "accept")
    evidence = qualifying_evidence(life.clock.peek())
    return life.qualify(history, prospect_id=ProspectId("P-1"), actor="bob", evidence=evidence)


def to_opportunity(life, history):
    prospect = to_prospect(life, history)
    return life.open_opportunity(
        prospect,
        opportunity_id=OpportunityId("O-1"),
        name="Two engines",
        amount=Money.of("24000", "GBP"),
        expected_close=date(2026, 6, 30),
        win_probability=0.3,
        actor="bob",
    )


# -- capture and start ------------------------------------------------------


def test_capture_starts_in_the_initial_stage(lead_history, clock):
    lead = lead_history.record
    assert isinstance(lead, Lead)
    assert lead.stage == "suspect"
    assert lead.created_at == clock.start
    assert len(lead_history) == 1


def test_capture_keeps_every_field(life):
    history = life.capture(
        id=LeadId("L-9"),
        contact=Contact(name="Bo"),
        source=Source(channel="event"),
        company=Company(name="Acme"),
        owner="ada",
        consent=Consent(status=ConsentStatus.GRANTED),
        tags=["vip"],
        attributes={"segment": "smb"},
        stage="lead",
        reason="booth scan",
        payload={"badge": 42},
        actor="import",
    )
    lead = history.record
    assert (lead.owner, lead.tags, lead.attributes, lead.stage) == (
        "ada",
        {"vip"},
        {"segment": "smb"},
        "lead",
    )
    assert history[0].reason == "booth scan"
    assert history[0].payload == {"badge": 42}


def test_capture_in_an_unknown_stage_is_refused(life):
    with pytest.raises(
        UnknownStageError, match="'limbo' is not a stage of funnel DefaultFunnel"
    ) as caught:
        life.capture(
            id=LeadId("L-1"),
            contact=Contact(name="A"),
            source=Source(channel="w"),
            actor="x",
            stage="limbo",
        )
    assert "suspect" in caught.value.stages


def test_a_lead_cannot_start_in_a_deal_stage(life):
    with pytest.raises(ConversionError, match="needs an opportunity, this is a lead"):
        life.capture(
            id=LeadId("L-1"),
            contact=Contact(name="A"),
            source=Source(channel="w"),
            actor="x",
            stage="proposal",
        )


def test_start_imports_an_existing_record(life, clock):
    deal = Opportunity(
        id=OpportunityId("O-7"),
        prospect_id=ProspectId("P-7"),
        stage="proposal",
        contact=Contact(name="Cy"),
        source=Source(channel="crm import"),
        name="Renewal",
        amount=Money.of("100", "EUR"),
        expected_close=date(2026, 4, 1),
        win_probability=0.8,
        created_at=clock.start - timedelta(days=30),
    )
    history = life.start(deal, actor="import")
    assert isinstance(history[0], OpportunityOpened)
    assert history.record is deal
    life.send(history, "win", actor="bob")
    assert history.record.stage == "customer"


def test_start_refuses_a_record_updated_in_the_future(life, clock):
    lead = Lead(
        id=LeadId("L-1"),
        stage="suspect",
        contact=Contact(name="A"),
        source=Source(channel="w"),
        created_at=clock.start + timedelta(days=1),
    )
    with pytest.raises(HistoryError, match="last updated"):
        life.start(lead, actor="import")


def test_payload_must_be_json_safe(life):
    with pytest.raises(ValidationError) as caught:
        life.capture(
            id=LeadId("L-1"),
            contact=Contact(name="A"),
            source=Source(channel="w"),
            actor="x",
            payload={"x": {1}},
        )
    assert caught.value.field == "['x']"


# -- moving -----------------------------------------------------------------


def test_send_moves_the_record_and_records_the_event(life, lead_history, clock):
    event = life.send(lead_history, "engage", actor="ada", reason="replied", payload={"mail": 3})
    assert isinstance(event, StageChanged)
    assert (event.event, event.from_stage, event.to_stage) == ("engage", "suspect", "lead")
    assert event.at == clock.start + timedelta(hours=1)
    assert lead_history[-1] is event
    assert lead_history.record.stage == "lead"
    assert lead_history.record.stage_since == event.at


def test_the_record_itself_never_changes(life, lead_history):
    before = lead_history.record
    life.send(lead_history, "engage", actor="ada")
    assert before.stage == "suspect"
    assert lead_history.record is not before


def test_a_move_not_allowed_from_the_stage_lists_what_is(life, lead_history):
    with pytest.raises(TransitionRefusedError) as caught:
        life.send(lead_history, "win", actor="ada")
    error = caught.value
    assert (error.record_id, error.stage, error.event) == (LeadId("L-1"), "suspect", "win")
    assert error.allowed == ("engage", "disqualify", "opt_out")
    assert error.failed_guards == ()
    assert len(lead_history) == 1


def test_an_unknown_event_is_an_error(life, lead_history):
    with pytest.raises(UnknownEventError, match="'teleport' is not an event") as caught:
        life.send(lead_history, "teleport", actor="ada")
    assert "engage" in caught.value.events


def test_a_failing_guard_is_named(life, lead_history):
    with pytest.raises(TransitionRefusedError, match="has_review_date") as caught:
        life.send(lead_history, "disqualify", actor="ada", screening=NO_BUDGET)
    assert caught.value.failed_guards == ("has_review_date",)
    with pytest.raises(TransitionRefusedError) as caught:
        life.send(lead_history, "disqualify", actor="ada", reason="no budget", review_on=REVIEW)
    assert caught.value.failed_guards == ("has_screening",)


def test_a_review_date_in_the_past_is_refused(life, lead_history):
    with pytest.raises(TransitionRefusedError, match="has_review_date"):
        life.disqualify(lead_history, reason="no_budget", review=date(2020, 1, 1), actor="ada")


def test_disqualifying_keeps_the_reason_and_the_review_date(life, lead_history):
    event = life.disqualify(lead_history, reason="no_budget", note="Q3", review=REVIEW, actor="ada")
    assert (event.reason, event.review_on) == ("no budget: Q3", REVIEW)
    assert lead_history.record.screening == Screening(reason=Reason.NO_BUDGET, note="Q3")
    assert lead_history.record.review_on == REVIEW
    life.send(lead_history, "reopen", actor="ada")
    assert lead_history.record.stage == "lead"
    assert lead_history.record.review_on is None


def test_send_refuses_a_move_that_needs_a_conversion(life, lead_history):
    walk(life, lead_history, "engage", "mark_sales_ready", "accept")
    with pytest.raises(ConversionError, match=r"use Lifecycle\.qualify"):
        life.send(lead_history, "qualify", actor="bob")
    assert lead_history.record.stage == "accepted"


def test_allowed_events(life, lead_history):
    assert life.allowed_events(lead_history.record) == ("engage", "disqualify", "opt_out")


def test_a_record_in_a_stage_the_funnel_lacks_is_refused(life, clock):
    lead = Lead(
        id=LeadId("L-1"),
        stage="limbo",
        contact=Contact(name="A"),
        source=Source(channel="w"),
        created_at=clock.start,
    )
    history = History([lead_captured(lead)])
    with pytest.raises(UnknownStageError):
        life.send(history, "engage", actor="x")


def lead_captured(lead):
    return LeadCaptured(record_id=lead.id, at=lead.created_at, actor="x", lead=lead)


def test_a_clock_going_backwards_is_refused(lead_history):
    life = Lifecycle(clock=FixedClock(datetime(2020, 1, 1, tzinfo=UTC)))
    with pytest.raises(HistoryError, match="before the last event"):
        life.send(lead_history, "engage", actor="x")
    assert len(lead_history) == 1


def test_a_clock_giving_naive_times_is_refused():
    class NaiveClock:
        def now(self):
            return datetime(2026, 1, 1)

    life = Lifecycle(clock=NaiveClock())
    with pytest.raises(ValidationError, match=r"NaiveClock\.now\(\)"):
        life.capture(
            id=LeadId("L-1"), contact=Contact(name="A"), source=Source(channel="w"), actor="x"
        )


def test_the_machine_survives_records_reaching_a_terminal_stage(life, lead_history):
    life.opt_out(lead_history, actor="ada", note="asked by phone")
    assert lead_history.record.stage == "do_not_contact"
    other = life.capture(
        id=LeadId("L-2"), contact=Contact(name="Bo"), source=Source(channel="w"), actor="x"
    )
    life.send(other, "engage", actor="ada")
    assert other.record.stage == "lead"


# -- conversions --------------------------------------------------------------


def test_qualify_converts_the_lead_into_a_prospect(life, lead_history):
    prospect_history = to_prospect(life, lead_history)
    prospect = prospect_history.record
    lead = lead_history.record
    assert isinstance(prospect_history[0], ProspectCreated)
    assert (prospect.stage, prospect.lead_id, prospect.contact) == (
        "prospect",
        lead.id,
        lead.contact,
    )
    assert (lead.stage, lead.converted_to) == ("prospect", prospect.id)
    assert lead_history[-1].converted_to == prospect.id
    assert lead_history[-1].at == prospect_history[0].at


def test_a_converted_lead_takes_no_more_moves(life, lead_history):
    to_prospect(life, lead_history)
    with pytest.raises(ConversionError, match="converted to P-1"):
        life.send(lead_history, "recycle", actor="bob")


def test_only_a_lead_is_qualified(life, lead_history):
    prospect = to_prospect(life, lead_history)
    with pytest.raises(ConversionError, match="only a lead"):
        life.qualify(prospect, prospect_id=ProspectId("P-2"), actor="bob")  # type: ignore[arg-type]


def test_qualify_from_a_stage_with_no_qualifying_move(life, lead_history):
    with pytest.raises(ConversionError, match="0 events lead into a prospect stage"):
        life.qualify(lead_history, prospect_id=ProspectId("P-1"), actor="bob")


def test_qualify_with_an_event_that_does_not_qualify(life, lead_history):
    walk(life, lead_history, "engage", "mark_sales_ready", "accept")
    with pytest.raises(
        ConversionError, match="'recycle' does not lead into a stage that needs a prospect"
    ):
        life.qualify(lead_history, prospect_id=ProspectId("P-1"), actor="bob", event="recycle")


def test_open_opportunity_converts_the_prospect(life, lead_history):
    deal_history = to_opportunity(life, lead_history)
    deal = deal_history.record
    assert isinstance(deal_history[0], OpportunityOpened)
    assert (deal.stage, deal.prospect_id, deal.amount) == (
        "discovery",
        ProspectId("P-1"),
        Money.of("24000", "GBP"),
    )


def test_only_a_prospect_opens_an_opportunity(life, lead_history):
    with pytest.raises(ConversionError, match="only a prospect"):
        life.open_opportunity(
            lead_history,  # type: ignore[arg-type]
            opportunity_id=OpportunityId("O-1"),
            name="x",
            amount=Money.of("1", "EUR"),
            expected_close=REVIEW,
            win_probability=0.5,
            actor="bob",
        )


def test_a_deal_is_not_lost_without_a_screening(life, lead_history):
    deal = to_opportunity(life, lead_history)
    with pytest.raises(TransitionRefusedError, match="has_screening"):
        life.send(deal, "lose", actor="bob", reason=Reason.NO_BUDGET, review_on=REVIEW)
    assert deal.record.stage == "discovery"


@pytest.mark.parametrize("how", ["lose", "send"])
def test_every_way_to_lose_a_deal_records_the_same_screening(life, lead_history, how):
    deal = to_opportunity(life, lead_history)
    screening = Screening(reason=Reason.NO_BUDGET, told=True)
    if how == "lose":
        life.lose(deal, reason=Reason.NO_BUDGET, told=True, review=REVIEW, actor="bob")
    else:
        life.send(deal, "lose", actor="bob", screening=screening, review_on=REVIEW)
    record = deal.record
    assert (record.stage, record.screening, record.review_on) == ("lost", screening, REVIEW)
    assert record.win_probability == 0.0
    due = agenda([record], datetime.combine(REVIEW, datetime.min.time(), tzinfo=UTC))
    assert [a.source for a in due if a.kind.value == "recycle"] == ["lost_to_nurture"]


def test_winning_settles_the_odds_and_replays(life, lead_history):
    deal = to_opportunity(life, lead_history)
    walk(life, deal, "present", "propose", "win")
    assert deal.record.win_probability == 1.0
    assert deal[-1].win_probability == 1.0
    assert replay(deal.events) == deal.record
    assert deal.record.weighted_amount == deal.record.amount


def test_a_lost_deal_comes_back_as_the_same_record(life, lead_history):
    deal = to_opportunity(life, lead_history)
    life.lose(deal, reason=Reason.BAD_TIMING, review=REVIEW, actor="bob")
    walk(life, deal, "recycle", "reengage", "accept")
    with pytest.raises(TransitionRefusedError, match="is_qualified"):
        life.send(deal, "qualify", actor="bob")  # its old assessment is stale
    life.assess(deal, qualifying_evidence(life.clock.peek()), actor="bob")
    walk(life, deal, "qualify", "open_opportunity")
    assert deal.record.stage == "discovery"
    assert deal.record.id == OpportunityId("O-1")


def test_a_conversion_with_several_candidate_events_needs_one_named(clock):
    class TwoDoors(Funnel):
        new = State(initial=True)
        fit = Stage(kind=RecordKind.PROSPECT)
        gone = State(final=True)
        by_call = new.to(fit)
        by_form = new.to(fit)
        drop = gone.from_(new, fit)

    life = Lifecycle(TwoDoors, clock=clock, framework=None)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="A"), source=Source(channel="w"), actor="x"
    )
    with pytest.raises(ConversionError, match=r"2 events .* \(by_call, by_form\): pass event="):
        life.qualify(history, prospect_id=ProspectId("P-1"), actor="x")
    prospect = life.qualify(history, prospect_id=ProspectId("P-1"), actor="x", event="by_form")
    assert prospect.record.stage == "fit"
    assert history[-1].event == "by_form"


# -- guards see the record ----------------------------------------------------


def test_guards_receive_the_record_and_the_payload(clock):
    seen = {}

    class Picky(Funnel):
        new = State(initial=True)
        done = State(final=True)
        finish = new.to(done, cond="is_vip")

        def is_vip(self, record, payload=None):
            seen["record"], seen["payload"] = record, payload
            return "vip" in record.tags

    life = Lifecycle(Picky, clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="A"), source=Source(channel="w"), actor="x"
    )
    with pytest.raises(TransitionRefusedError, match="is_vip"):
        life.send(history, "finish", actor="x", payload={"k": 1})
    assert seen["record"] is history.record
    assert seen["payload"] == {"k": 1}
    life.tag(history, "vip", actor="x")
    life.send(history, "finish", actor="x")
    assert history.record.stage == "done"


def test_unless_guards_are_named_when_they_block(clock):
    class Careful(Funnel):
        new = State(initial=True)
        done = State(final=True)
        finish = new.to(done, unless="is_blocked")

        def is_blocked(self, **_arguments):
            return True

    life = Lifecycle(Careful, clock=clock)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="A"), source=Source(channel="w"), actor="x"
    )
    with pytest.raises(TransitionRefusedError) as caught:
        life.send(history, "finish", actor="x")
    assert caught.value.failed_guards == ("not is_blocked",)


def test_a_misspelled_guard_surfaces_when_the_lifecycle_is_built():
    class Typo(Funnel):
        new = State(initial=True)
        done = State(final=True)
        finish = new.to(done, cond="has_reasno")

    with pytest.raises(FunnelDefinitionError, match="has_reasno"):
        Lifecycle(Typo)


def test_a_lifecycle_needs_a_funnel_class_and_a_clock():
    with pytest.raises(ValidationError, match="a Funnel subclass"):
        Lifecycle(DefaultFunnel())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="a Clock"):
        Lifecycle(clock=datetime.now)  # type: ignore[arg-type]


def test_a_lifecycle_tells_its_funnel_clock_and_spec(life, clock):
    assert life.funnel is DefaultFunnel
    assert life.clock is clock
    assert life.spec == DefaultFunnel.spec()
    assert isinstance(Lifecycle().clock.now(), datetime)


# -- details ------------------------------------------------------------------


def test_details_change_through_events(life, lead_history):
    life.assign(lead_history, "bob", actor="ops")
    life.tag(lead_history, "vip", "hot", actor="ops")
    life.untag(lead_history, "hot", actor="ops")
    life.set_attributes(lead_history, {"segment": "smb", "score": 40}, actor="ops")
    life.remove_attributes(lead_history, "score", actor="ops")
    life.record_consent(lead_history, Consent(status=ConsentStatus.GRANTED), actor="ops")
    life.change_contact(
        lead_history, Contact(name="Ada King", email="ada@example.com"), actor="ops"
    )
    life.change_company(lead_history, Company(name="Engines Ltd"), actor="ops")
    lead = lead_history.record
    assert (lead.owner, lead.tags, lead.attributes) == ("bob", {"vip"}, {"segment": "smb"})
    assert lead.consent.status is ConsentStatus.GRANTED
    assert lead.contact.email == "ada@example.com"
    assert lead.company == Company(name="Engines Ltd")
    assert lead.stage_since < lead.updated_at
    assert replay(lead_history.events) == lead


def test_deal_details(life, lead_history):
    deal = to_opportunity(life, lead_history)
    life.revise_deal(deal, actor="bob", amount=Money.of("20000", "GBP"), win_probability=0.5)
    life.record_objection(deal, ObjectionKind.PRICE, actor="bob", note="too dear")
    life.note_competitor(deal, "Difference Engines plc", actor="bob")
    record = deal.record
    assert (record.amount, record.win_probability, record.name) == (
        Money.of("20000", "GBP"),
        0.5,
        "Two engines",
    )
    assert record.objections[0].kind is ObjectionKind.PRICE
    assert record.objections[0].raised_at == deal[-2].at
    assert record.competitors == ("Difference Engines plc",)
    with pytest.raises(HistoryError, match="already these"):
        life.revise_deal(deal, actor="bob")


def test_deal_details_need_an_opportunity(life, lead_history):
    with pytest.raises(HistoryError, match="is not an opportunity"):
        life.revise_deal(lead_history, actor="bob", name="x")  # type: ignore[arg-type]
    with pytest.raises(HistoryError, match="is not an opportunity"):
        life.record_objection(lead_history, ObjectionKind.STALL, actor="bob")  # type: ignore[arg-type]
    with pytest.raises(HistoryError, match="applies to opportunities"):
        life.note_competitor(lead_history, "Acme", actor="bob")  # type: ignore[arg-type]
