import copy
import pickle
import sys
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from leadlife import (
    Contact,
    FixedClock,
    History,
    Lead,
    LeadId,
    Lifecycle,
    LifecycleEvent,
    Money,
    ProspectId,
    Source,
    replay,
)
from leadlife.errors import HistoryError, ReplayError, ValidationError
from leadlife.events import (
    CompanyChanged,
    CompetitorNoted,
    ConsentRecorded,
    DealRevised,
    LeadCaptured,
    ObjectionRecorded,
    OwnerAssigned,
    StageChanged,
    TagsChanged,
)
from leadlife.followup import Channel, FollowUpPlan, TouchOutcome
from leadlife.values import Objection, ObjectionKind

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
L1 = LeadId("L-1")


def captured(**changes) -> LeadCaptured:
    lead = Lead(
        id=L1,
        stage="suspect",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        created_at=AT,
    )
    return LeadCaptured(record_id=L1, at=AT, actor="import", lead=lead, **changes)


def later(hours: int) -> datetime:
    return AT + timedelta(hours=hours)


def owner(name, hours=1, record_id=L1) -> OwnerAssigned:
    return OwnerAssigned(record_id=record_id, at=later(hours), actor="ops", owner=name)


def move(source, target, hours=1, **changes) -> StageChanged:
    return StageChanged(
        record_id=L1,
        at=later(hours),
        actor="ops",
        event="go",
        from_stage=source,
        to_stage=target,
        **changes,
    )


def test_the_record_is_the_fold_of_the_events():
    history = History([captured(), owner("bob"), move("suspect", "lead", 2)])
    assert history.record.owner == "bob"
    assert history.record.stage == "lead"
    assert history.record.stage_since == history.record.updated_at == later(2)


def test_append_keeps_the_event_and_the_new_record():
    history = History([captured()])
    history.append(owner("bob"))
    assert len(history) == 2
    assert history[-1] == owner("bob")
    assert history[0:1] == (captured(),)
    assert history.record.owner == "bob"
    assert history.last_at == later(1)
    assert history.record_id == L1


def test_a_refused_append_leaves_the_history_unchanged():
    history = History([captured(), owner("bob", 2)])
    with pytest.raises(HistoryError, match="before the last event"):
        history.append(owner("eve", 1))
    assert len(history) == 2
    assert history.record.owner == "bob"


def test_events_at_the_same_time_are_fine():
    history = History([captured(), owner("bob", 1), owner("eve", 1)])
    assert history.record.owner == "eve"


def test_an_event_of_another_record_is_refused():
    history = History([captured()])
    with pytest.raises(HistoryError, match="belongs to LeadId"):
        history.append(owner("bob", record_id=LeadId("L-2")))


def test_a_move_from_the_wrong_stage_is_refused():
    history = History([captured()])
    with pytest.raises(HistoryError, match="leaves stage 'lead' but the record is in 'suspect'"):
        history.append(move("lead", "sales_ready"))


def test_a_self_transition_keeps_the_stage_time():
    history = History([captured(), move("suspect", "suspect", 3)])
    assert history.record.stage_since == AT
    assert history.record.updated_at == later(3)


def test_review_date_lives_until_the_next_move():
    history = History([captured(), move("suspect", "disqualified", 1, review_on=date(2026, 9, 1))])
    assert history.record.review_on == date(2026, 9, 1)
    history.append(move("disqualified", "lead", 2))
    assert history.record.review_on is None


def test_a_converted_record_takes_no_more_events():
    history = History([captured(), move("suspect", "prospect", 1, converted_to=ProspectId("P-1"))])
    assert history.record.converted_to == ProspectId("P-1")
    with pytest.raises(HistoryError, match="was converted to P-1"):
        history.append(owner("bob", 2))


def test_a_second_creation_is_refused():
    history = History([captured()])
    with pytest.raises(HistoryError, match="one creation event"):
        history.append(captured())


def test_no_op_changes_are_refused():
    history = History([captured()])
    with pytest.raises(HistoryError, match="owner is already None"):
        history.append(owner(None))
    with pytest.raises(HistoryError, match="consent is already"):
        history.append(
            ConsentRecorded(record_id=L1, at=later(1), actor="x", consent=history.record.consent)
        )
    with pytest.raises(HistoryError, match="company is already None"):
        history.append(CompanyChanged(record_id=L1, at=later(1), actor="x", company=None))


def test_tags_can_only_be_added_once_and_removed_if_present():
    history = History(
        [captured(), TagsChanged(record_id=L1, at=later(1), actor="x", added={"vip"})]
    )
    assert history.record.tags == {"vip"}
    with pytest.raises(HistoryError, match="already on the record"):
        history.append(TagsChanged(record_id=L1, at=later(2), actor="x", added={"vip"}))
    with pytest.raises(HistoryError, match="not on the record"):
        history.append(TagsChanged(record_id=L1, at=later(2), actor="x", removed={"hot"}))


def test_deal_events_apply_to_opportunities_only():
    history = History([captured()])
    for event in (
        CompetitorNoted(record_id=L1, at=later(1), actor="x", competitor="Acme"),
        ObjectionRecorded(
            record_id=L1,
            at=later(1),
            actor="x",
            objection=Objection(kind=ObjectionKind.PRICE, raised_at=AT),
        ),
        DealRevised(
            record_id=L1,
            at=later(1),
            actor="x",
            name="d",
            amount=Money.of("1", "EUR"),
            expected_close=date(2026, 5, 1),
            win_probability=0.5,
        ),
    ):
        with pytest.raises(HistoryError, match="applies to opportunities"):
            history.append(event)


def test_a_history_starts_with_a_creation_event():
    with pytest.raises(ReplayError, match="starts with LeadCaptured") as caught:
        History([owner("bob")])
    assert caught.value.index == 0


def test_an_empty_history_is_refused():
    with pytest.raises(ReplayError, match="at least one event"):
        History([])


def test_replay_names_the_first_bad_event():
    events = [captured(), owner("bob", 1), owner("eve", 3), owner("ann", 2), owner("ann", 4)]
    with pytest.raises(ReplayError) as caught:
        replay(events)
    assert caught.value.index == 3
    assert caught.value.event == events[3]
    assert "before the last event" in caught.value.problem


def test_replay_refuses_what_is_not_an_event():
    with pytest.raises(ReplayError, match="is not a leadlife event"):
        replay([captured(), "owner bob"])  # type: ignore[list-item]


def test_the_base_event_type_has_no_meaning_of_its_own():
    with pytest.raises(ReplayError) as caught:
        replay([captured(), LifecycleEvent(record_id=L1, at=later(1), actor="x")])
    assert caught.value.problem == "LifecycleEvent is not one of leadlife's event types"


def test_a_snapshot_updated_after_its_creation_event_is_refused():
    lead = Lead(
        id=L1,
        stage="suspect",
        contact=Contact(name="Ada"),
        source=Source(channel="web"),
        created_at=later(5),
    )
    with pytest.raises(ReplayError, match="last updated"):
        replay([LeadCaptured(record_id=L1, at=AT, actor="import", lead=lead)])


def test_histories_compare_by_events_and_are_not_hashable():
    assert History([captured()]) == History([captured()])
    assert History([captured()]) != History([captured(), owner("bob")])
    assert History([captured()]) != [captured()]
    with pytest.raises(TypeError):
        hash(History([captured()]))


def test_iteration_and_repr():
    history = History([captured(), owner("bob")])
    assert list(history) == [captured(), owner("bob")]
    assert history.events == (captured(), owner("bob"))
    assert repr(history) == "<History of LeadId(value='L-1'): 2 events, stage 'suspect'>"


def test_threads_appending_to_one_history_lose_nothing(life, lead_history):
    at = lead_history.last_at
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def tagger(worker: int) -> None:
        barrier.wait()
        for n in range(200):
            event = TagsChanged(
                record_id=lead_history.record_id, at=at, actor="x", added=[f"t{worker}-{n}"]
            )
            try:
                lead_history.append(event)
            except BaseException as error:  # noqa: BLE001 - collected and asserted on
                errors.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=tagger, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert len(lead_history.record.tags) == 8 * 200
    assert len(lead_history) == 1 + 8 * 200
    assert replay(lead_history.events) == lead_history.record


def test_a_history_pickles_and_copies_by_its_events(life, lead_history):
    life.send(lead_history, "engage", actor="ada")
    for twin in (
        pickle.loads(pickle.dumps(lead_history)),  # noqa: S301 - our own bytes
        copy.copy(lead_history),
        copy.deepcopy(lead_history),
    ):
        assert twin == lead_history
        assert twin.record == lead_history.record
        assert twin is not lead_history


def test_a_step_shares_what_the_record_holds_instead_of_copying_it():
    clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=UTC))
    life = Lifecycle(clock=clock, pressure_cap=None)
    history = life.capture(
        id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    life.agree_follow_up(
        history, FollowUpPlan(channel=Channel.EMAIL, every=timedelta(hours=1)), actor="x"
    )
    records = []
    for _ in range(50):
        clock.advance(timedelta(hours=1))
        life.touch(history, channel=Channel.EMAIL, outcome=TouchOutcome.NO_ANSWER, actor="x")
        records.append(history.record)
    assert len({id(record.touches._storage) for record in records}) == 1
    assert replay(history.events).touches == records[-1].touches


def test_reading_the_events_copies_nothing(lead_history):
    assert lead_history.events._storage.items is lead_history._events
    seen = lead_history.events
    lead_history.append(
        OwnerAssigned(
            record_id=lead_history.record_id, at=lead_history.last_at, actor="x", owner="z"
        )
    )
    assert len(seen) == 1  # a view as it was when asked for
    assert len(lead_history.events) == 2


def test_the_record_as_it_stood_at_a_past_time(life, lead_history):
    life.send(lead_history, "engage", actor="ada")
    engaged_at = lead_history.last_at
    life.assign(lead_history, "sam", actor="router")
    assert lead_history.as_of(engaged_at).stage == "lead"
    assert lead_history.as_of(engaged_at).owner is None
    assert lead_history.as_of(lead_history.last_at) == lead_history.record
    assert replay(lead_history.events, until=engaged_at) == lead_history.as_of(engaged_at)
    created = lead_history[0].at
    with pytest.raises(HistoryError, match="did not exist yet"):
        lead_history.as_of(created - timedelta(seconds=1))
    with pytest.raises(ValidationError, match=r"History\.as_of\.at"):
        lead_history.as_of(datetime(2026, 3, 2))


def test_an_event_appended_after_a_membership_test_is_a_member():
    history = History([captured()])
    assert history[0] in history.events  # builds the log's index
    history.append(owner("bob"))
    assert history[1] in history.events
    assert owner("sam") not in history.events


def test_staged_events_are_kept_together_or_not_at_all():
    from leadlife._core.journal.history import Staging  # noqa: PLC0415

    first, second = History([captured()]), History([captured()])
    staging = Staging([first, second, first])
    a, b, again = staging.drafts
    assert a is again  # a history given twice has one draft
    a.append(owner("bob"))
    b.append(owner("sam"))
    assert len(first) == len(second) == 1  # nobody sees a staged event
    staging.keep()
    assert (first.record.owner, second.record.owner) == ("bob", "sam")

    (draft,) = Staging([first]).drafts  # staged, never kept
    draft.append(owner("ann", hours=2))
    assert first.record.owner == "bob"
    assert len(first) == 2


def test_a_history_that_grew_meanwhile_keeps_none_of_the_staged_events():
    from leadlife._core.journal.history import Staging  # noqa: PLC0415

    first, second = History([captured()]), History([captured()])
    staging = Staging([first, second])
    for draft in staging.drafts:
        draft.append(owner("bob"))
    second.append(owner("sam"))  # another thread's append, say
    with pytest.raises(HistoryError, match="another append came"):
        staging.keep()
    assert len(first) == 1
    assert [e.owner for e in second.events[1:]] == ["sam"]


def test_events_staged_and_dropped_are_never_seen_and_leave_no_trace():
    from leadlife._core.journal.history import Staging  # noqa: PLC0415

    history = History([captured()])
    before = history.events
    assert history[0] in before  # the membership index is built
    staging = Staging([history])
    (draft,) = staging.drafts
    dropped = owner("bob")
    draft.append(dropped)
    assert draft.record.owner == "bob"
    assert len(history) == 1
    assert history.record.owner is None
    assert dropped not in history.events
    assert list(history) == [history[0]]
    # Not kept: the next append cuts the staged event off.
    kept = owner("sam")
    history.append(kept)
    assert [e.owner for e in history.events[1:]] == ["sam"]
    assert dropped not in history.events
    assert kept in history.events
    assert before == (history[0],)  # a view taken before is as it was
    with pytest.raises(HistoryError, match="another append came"):
        staging.keep()  # the history grew meanwhile
    assert len(history) == 2
