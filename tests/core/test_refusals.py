"""Every refusal in the core names exactly what was refused and why.

Errors teach only if they say the right thing; these pin the owner, the
field, the value and what was expected of each validator, and the exact
problem of each event a history refuses.
"""

from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import (
    Contact,
    History,
    Lead,
    LeadId,
    Money,
    Opportunity,
    OpportunityId,
    ProspectId,
    Source,
    replay,
)
from leadlife.errors import HistoryError, ReplayError, ValidationError
from leadlife.events import (
    Assessed,
    AttributesChanged,
    CompetitorNoted,
    DealRevised,
    FollowUpEnded,
    LeadCaptured,
    ObjectionRecorded,
    OpportunityOpened,
    OwnerAssigned,
    ProspectCreated,
    SlaBreached,
    StageChanged,
    TagsChanged,
    Touched,
)
from leadlife.followup import Channel, Touch, Touches, TouchOutcome
from leadlife.qualification import BANT, Evidence
from leadlife.screening import Reason, Screening
from leadlife.sla import Breach
from leadlife.values import Objection, ObjectionKind

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
L, DEAL = LeadId("L-1"), OpportunityId("O-1")
LEAD = Lead(
    id=L,
    stage="suspect",
    contact=Contact(name="A"),
    source=Source(channel="web"),
    created_at=AT,
    attributes={"a": 1},
    tags=["t"],
)
LATER = BANT.assess(Evidence(), at=AT + timedelta(days=1))
TOUCH_LATER = Touch(at=AT + timedelta(days=1), channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED)
EMPTY: frozenset[str] = frozenset()
BOTH = frozenset({"a"})


@pytest.mark.parametrize(
    ("build", "owner", "field", "value", "expected"),
    [
        (
            lambda: LeadCaptured(record_id=LeadId("L-2"), at=AT, actor="x", lead=LEAD),
            "LeadCaptured",
            "lead",
            LEAD,
            "a Lead whose id is the event's record_id",
        ),
        (
            lambda: ProspectCreated(record_id=ProspectId("P-1"), at=AT, actor="x", prospect=LEAD),
            "ProspectCreated",
            "prospect",
            LEAD,
            "a Prospect whose id is the event's record_id",
        ),
        (
            lambda: StageChanged(
                record_id=L,
                at=AT,
                actor="x",
                event="e",
                from_stage="a",
                to_stage="b",
                converted_to=DEAL,
            ),
            "StageChanged",
            "converted_to",
            DEAL,
            "the id of the next deeper record, or None",
        ),
        (
            lambda: TagsChanged(record_id=L, at=AT, actor="x"),
            "TagsChanged",
            "removed",
            EMPTY,
            "at least one tag added or removed",
        ),
        (
            lambda: TagsChanged(record_id=L, at=AT, actor="x", added=["a"], removed=["a"]),
            "TagsChanged",
            "removed",
            BOTH,
            "tags not both added and removed",
        ),
        (
            lambda: AttributesChanged(record_id=L, at=AT, actor="x"),
            "AttributesChanged",
            "removed",
            EMPTY,
            "at least one attribute updated or removed",
        ),
        (
            lambda: AttributesChanged(
                record_id=L, at=AT, actor="x", updated={"a": 1}, removed=["a"]
            ),
            "AttributesChanged",
            "removed",
            BOTH,
            "keys not both updated and removed",
        ),
        (
            lambda: Assessed(record_id=L, at=AT, actor="x", assessment=LATER),
            "Assessed",
            "assessment",
            LATER,
            "an Assessment made no later than the event",
        ),
        (
            lambda: Assessed(record_id=L, at=AT, actor="x", assessment="x"),
            "Assessed",
            "assessment",
            "x",
            "an Assessment made no later than the event",
        ),
        (
            lambda: Touched(record_id=L, at=AT, actor="x", touch=TOUCH_LATER),
            "Touched",
            "touch",
            TOUCH_LATER,
            "a Touch made no later than the event",
        ),
        (
            lambda: Touched(record_id=L, at=AT, actor="x", touch="t"),
            "Touched",
            "touch",
            "t",
            "a Touch made no later than the event",
        ),
        (
            lambda: Screening(reason="No Budget"),
            "Screening",
            "reason",
            "No Budget",
            "a reason code such as 'no_budget' (lower_snake_case)",
        ),
        (
            lambda: Screening(reason=Reason.OTHER),
            "Screening",
            "note",
            None,
            "a note saying what the OTHER reason is",
        ),
        (
            lambda: Screening(reason=Reason.NO_NEED, note=" "),
            "Screening",
            "note",
            " ",
            "a non-blank string",
        ),
        (
            lambda: Screening(reason=Reason.NO_NEED, told="yes"),
            "Screening",
            "told",
            "yes",
            "True or False",
        ),
        (
            lambda: replay([], until=datetime(2026, 1, 1)),
            "replay",
            "until",
            datetime(2026, 1, 1),
            "a timezone-aware datetime",
        ),
    ],
)
def test_a_refused_value_is_named_with_what_was_expected(build, owner, field, value, expected):
    with pytest.raises(ValidationError) as caught:
        build()
    error = caught.value
    assert (error.owner, error.field, error.value, error.expected) == (
        owner,
        field,
        value,
        expected,
    )


def test_touches_out_of_order_say_so():
    later = Touch(at=AT + timedelta(hours=1), channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED)
    earlier = Touch(at=AT, channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED)
    with pytest.raises(ValueError, match=r"^touches must be in time order, oldest first$"):
        Touches([later, earlier])


def test_an_empty_history_is_refused_at_index_0():
    with pytest.raises(ReplayError) as caught:
        History([])
    assert (caught.value.index, caught.value.event) == (0, None)
    assert str(caught.value) == "event 0: a history needs at least one event"


def lead_history():
    return History([LeadCaptured(record_id=L, at=AT, actor="x", lead=LEAD)])


def deal_history():
    deal = Opportunity(
        id=DEAL,
        prospect_id=ProspectId("P-1"),
        stage="discovery",
        contact=Contact(name="A"),
        source=Source(channel="web"),
        name="d",
        amount=Money.of("1", "EUR"),
        expected_close=date(2026, 5, 1),
        win_probability=0.5,
        created_at=AT,
        competitors=["Acme"],
    )
    return History([OpportunityOpened(record_id=DEAL, at=AT, actor="x", opportunity=deal)])


def terms(record_id=DEAL, name="d"):
    return DealRevised(
        record_id=record_id,
        at=AT,
        actor="x",
        name=name,
        amount=Money.of("1", "EUR"),
        expected_close=date(2026, 5, 1),
        win_probability=0.5,
    )


def objection(record_id, raised_at):
    return ObjectionRecorded(
        record_id=record_id,
        at=AT,
        actor="x",
        objection=Objection(kind=ObjectionKind.PRICE, raised_at=raised_at),
    )


@pytest.mark.parametrize(
    ("history", "event", "problem"),
    [
        (
            lead_history,
            LeadCaptured(record_id=L, at=AT, actor="x", lead=LEAD),
            "L-1 already exists: a history has one creation event",
        ),
        (
            lead_history,
            AttributesChanged(record_id=L, at=AT, actor="x", removed=["zz"]),
            "attributes ['zz'] are not on the record",
        ),
        (
            lead_history,
            terms(record_id=L),
            "DealRevised applies to opportunities, not to LeadId(value='L-1')",
        ),
        (deal_history, terms(), "the deal's terms are already these"),
        (
            deal_history,
            objection(DEAL, AT + timedelta(days=1)),
            "the objection is dated after the event that records it",
        ),
        (
            lead_history,
            objection(L, AT),
            "ObjectionRecorded applies to opportunities, not to LeadId(value='L-1')",
        ),
        (
            deal_history,
            CompetitorNoted(record_id=DEAL, at=AT, actor="x", competitor="Acme"),
            "competitor 'Acme' is already noted",
        ),
        (
            lead_history,
            CompetitorNoted(record_id=L, at=AT, actor="x", competitor="Acme"),
            "CompetitorNoted applies to opportunities, not to LeadId(value='L-1')",
        ),
        (
            lead_history,
            FollowUpEnded(record_id=L, at=AT, actor="x"),
            "no follow-up plan is in force",
        ),
        (
            lead_history,
            StageChanged(
                record_id=L,
                at=AT,
                actor="x",
                event="e",
                from_stage="suspect",
                to_stage="x",
                win_probability=1.0,
            ),
            "StageChanged applies to opportunities, not to LeadId(value='L-1')",
        ),
    ],
)
def test_an_event_that_does_not_follow_is_refused_saying_why(history, event, problem):
    found = history()
    with pytest.raises(HistoryError) as caught:
        found.append(event)
    assert caught.value.problem == problem
    assert caught.value.event is event
    assert caught.value.index == len(found)
    assert str(caught.value) == f"{type(event).__name__} refused as event {len(found)}: {problem}"


def test_a_touch_dated_before_the_last_one_names_the_last_ones_time():
    history = lead_history()
    for hours in (1, 2, 3):
        touch = Touch(
            at=AT + timedelta(hours=hours), channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED
        )
        history.append(Touched(record_id=L, at=touch.at, actor="x", touch=touch))
    earlier = Touch(
        at=AT + timedelta(hours=2, minutes=30), channel=Channel.EMAIL, outcome=TouchOutcome.REPLIED
    )
    with pytest.raises(HistoryError) as caught:
        history.append(Touched(record_id=L, at=AT + timedelta(hours=3), actor="x", touch=earlier))
    assert (
        caught.value.problem == "the touch is dated before the last one (2026-03-02 12:00:00+00:00)"
    )


def test_a_breach_recorded_twice_is_refused():
    history = lead_history()
    breach = Breach(level="acceptance", started_at=AT, due_at=AT)
    history.append(SlaBreached(record_id=L, at=AT, actor="x", breach=breach))
    with pytest.raises(HistoryError) as caught:
        history.append(SlaBreached(record_id=L, at=AT, actor="x", breach=breach))
    assert caught.value.problem == "the breach of acceptance is recorded already"


@pytest.mark.parametrize(
    ("events", "index", "problem"),
    [
        (
            [OwnerAssigned(record_id=L, at=AT, actor="x", owner="a")],
            0,
            (
                "a history starts with LeadCaptured, ProspectCreated or OpportunityOpened, "
                "not OwnerAssigned"
            ),
        ),
        (
            [LeadCaptured(record_id=L, at=AT, actor="x", lead=LEAD), "x"],
            1,
            "'x' is not a leadlife event",
        ),
    ],
)
def test_replay_names_the_first_bad_event(events, index, problem):
    with pytest.raises(ReplayError) as caught:
        History(events)
    assert (caught.value.index, caught.value.problem) == (index, problem)
    assert caught.value.event is events[index]


def test_as_of_before_the_record_names_its_beginning():
    history = lead_history()
    with pytest.raises(HistoryError) as caught:
        history.as_of(AT - timedelta(hours=1))
    assert caught.value.event is history[0]
    assert caught.value.problem == (
        "L-1 did not exist yet at 2026-03-02 08:00:00+00:00; it began at 2026-03-02 09:00:00+00:00"
    )


def test_a_replayed_record_is_the_record_of_its_kind():
    history = lead_history()
    assert type(history.record) is Lead
    assert type(replay(history.events)) is Lead
