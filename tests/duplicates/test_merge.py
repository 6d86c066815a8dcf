"""Merges: an event in both histories, conflicts settled by a declared policy, undone exactly."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import strategies as s
from leadlife import (
    Company,
    Consent,
    ConsentStatus,
    Contact,
    DecisionRole,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    from_json,
    replay,
    to_json,
)
from leadlife.agenda import Agenda
from leadlife.duplicates import MergePolicy
from leadlife.errors import HistoryError, ValidationError
from leadlife.events import MergedInto, MergeUndone, RecordsMerged
from leadlife.routing import Workload
from leadlife.values import MergedFacts

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def life():
    return Lifecycle(clock=SteppingClock(start=START, step=timedelta(minutes=10)))


def two(lifecycle):
    web = lifecycle.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada Lovelace", phone="+44 20 7946 0000"),
        source=Source(channel="web"),
        tags={"newsletter"},
        attributes={"plan": "free", "seats": 3},
        actor="form",
    )
    fair = lifecycle.capture(
        id=LeadId("L-2"),
        contact=Contact(
            name="Ada L.", email="ada@acme.com", title="CTO", role=DecisionRole.DECISION_MAKER
        ),
        company=Company(name="Acme"),
        source=Source(channel="event"),
        tags={"fair-2026"},
        attributes={"plan": "team"},
        actor="import",
    )
    return web, fair


def test_a_merge_is_an_event_in_both_histories_and_the_survivor_takes_what_it_lacked():
    lifecycle = life()
    web, fair = two(lifecycle)
    survivor_before, absorbed_before = web.record, fair.record
    event = lifecycle.merge(web, fair, actor="ops", reason="same person: same phone")
    assert isinstance(event, RecordsMerged)
    assert isinstance(fair.events[-1], MergedInto)
    record = web.record
    # The survivor keeps its own where both know; takes what only the other knew.
    assert record.contact.name == "Ada Lovelace"
    assert (record.contact.email, record.contact.title) == ("ada@acme.com", "CTO")
    assert record.contact.role is DecisionRole.DECISION_MAKER
    assert record.company == Company(name="Acme")
    assert record.tags == {"newsletter", "fair-2026"}
    assert record.attributes.thaw() == {"plan": "free", "seats": 3}
    assert record.absorbed == (LeadId("L-2"),)
    assert event.before == MergedFacts.of(survivor_before)
    assert event.policy == "survivor"
    assert fair.record.merged_into == LeadId("L-1")
    # Both replay to what they are, and travel as JSON.
    for history in (web, fair):
        assert replay(history.events) == history.record
        assert (
            from_json(to_json(history.events[-1]), type(history.events[-1])) == history.events[-1]
        )
    # A merged record takes nothing more, in the fold and through the lifecycle.
    with pytest.raises(HistoryError, match="merged into L-1"):
        lifecycle.tag(fair, "vip", actor="ops")
    # Undone: both exactly as they were, but for when they last changed.
    undone = lifecycle.unmerge(web, fair, actor="ops", reason="two people after all")
    assert isinstance(undone, MergeUndone)
    assert web.record == _as(survivor_before, web.record)
    assert fair.record == _as(absorbed_before, fair.record)
    for history in (web, fair):
        assert replay(history.events) == history.record
    lifecycle.tag(fair, "vip", actor="ops")  # open again


def _as(before, now):
    """``before`` with the moment ``now`` last changed: what undoing restores, exactly."""
    return type(before)(**{**_fields(before), "updated_at": now.updated_at})


def _fields(record):
    import attrs  # noqa: PLC0415

    return {f.name: getattr(record, f.name) for f in attrs.fields(type(record)) if f.init}


@pytest.mark.parametrize(
    ("policy", "name", "plan"),
    [
        (MergePolicy(), "Ada Lovelace", "free"),
        (MergePolicy(default="absorbed"), "Ada L.", "team"),
        (MergePolicy(default="newest"), "Ada L.", "team"),  # the fair's record changed last
        (MergePolicy(fields={"contact.name": "absorbed"}), "Ada L.", "free"),
        (MergePolicy(default="absorbed", fields={"attributes": "survivor"}), "Ada L.", "free"),
    ],
)
def test_conflicts_are_settled_as_the_policy_says(policy, name, plan):
    lifecycle = life()
    web, fair = two(lifecycle)
    event = lifecycle.merge(web, fair, actor="ops", policy=policy)
    assert web.record.contact.name == name
    assert web.record.attributes["plan"] == plan
    assert event.policy == policy.name
    # Whatever the policy: tags joined, facts only one side knew kept.
    assert web.record.tags == {"newsletter", "fair-2026"}
    assert web.record.contact.phone == "+44 20 7946 0000"
    assert web.record.attributes["seats"] == 3


def test_a_request_not_to_be_contacted_on_either_record_survives_the_merge():
    lifecycle = life()
    web, fair = two(lifecycle)
    lifecycle.record_consent(
        fair,
        Consent(status=ConsentStatus.REFUSED, do_not_contact=True, recorded_at=START),
        actor="ops",
    )
    lifecycle.merge(web, fair, actor="ops", policy=MergePolicy(default="survivor"))
    assert web.record.consent.do_not_contact


def test_undoing_is_refused_when_the_merged_facts_changed_since_and_nothing_is_recorded():
    lifecycle = life()
    web, fair = two(lifecycle)
    lifecycle.merge(web, fair, actor="ops")
    lifecycle.tag(web, "vip", actor="ops")
    lengths = len(web), len(fair)
    with pytest.raises(ValidationError, match="changed since"):
        lifecycle.unmerge(web, fair, actor="ops")
    assert (len(web), len(fair)) == lengths
    lifecycle.untag(web, "vip", actor="ops")
    lifecycle.unmerge(web, fair, actor="ops")
    assert fair.record.merged_into is None


def test_a_merged_record_leaves_the_agenda_and_the_workload():
    lifecycle = life()
    web, fair = two(lifecycle)
    lifecycle.assign(fair, "kim", actor="ops")
    lifecycle.merge(web, fair, actor="ops")
    # The survivor took kim on; the absorbed record no longer counts: one open, not two.
    assert web.record.owner == "kim"
    assert Workload.of([web, fair]).open_of("kim") == 1
    assert all(d.history is web for d in Agenda()([web, fair], START + timedelta(days=400)))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda lc, a, b: lc.merge(a, a, actor="ops"), "record"),
        (lambda lc, a, b: lc.merge(a, b, actor="ops", policy="newest"), "policy"),
        (lambda lc, a, b: lc.unmerge(a, b, actor="ops"), "record"),
        (lambda lc, a, b: MergePolicy(default="oldest"), "default"),
        (lambda lc, a, b: MergePolicy(fields={"contact.colour": "survivor"}), "fields"),
    ],
)
def test_what_cannot_be_merged_is_refused_by_name(make, field):
    lifecycle = life()
    web, fair = two(lifecycle)
    with pytest.raises(ValidationError) as caught:
        make(lifecycle, web, fair)
    assert caught.value.field == field


def test_a_record_merged_once_cannot_be_merged_again_or_absorb():
    lifecycle = life()
    web, fair = two(lifecycle)
    third = lifecycle.capture(
        id=LeadId("L-3"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
    )
    lifecycle.merge(web, fair, actor="ops")
    with pytest.raises(ValidationError, match="neither merged nor converted"):
        lifecycle.merge(third, fair, actor="ops")
    with pytest.raises(ValidationError, match="neither merged nor converted"):
        lifecycle.merge(fair, third, actor="ops")
    lifecycle.merge(web, third, actor="ops")
    assert web.record.absorbed == (LeadId("L-2"), LeadId("L-3"))
    # Undo the first merge while the second stands: each merge undone on its own.
    lifecycle.unmerge(web, third, actor="ops")
    lifecycle.unmerge(web, fair, actor="ops")
    assert web.record.absorbed == ()


@given(ours=s.journeys(max_steps=10), theirs=s.journeys(max_steps=10, name="2"), data=st.data())
def test_any_two_records_of_a_kind_merge_and_unmerge_back_to_what_they_were(ours, theirs, data):
    # Each journey's record now (its last history); two of one kind are merged.
    first, second = ours[-1], theirs[-1]
    assume(first.record_id.kind is second.record_id.kind)
    policy = MergePolicy(default=data.draw(st.sampled_from(["survivor", "newest", "absorbed"])))
    at = max(first.last_at, second.last_at) + timedelta(days=1)
    lifecycle = Lifecycle(clock=SteppingClock(start=at, step=timedelta(minutes=1)))
    before = first.record, second.record
    lifecycle.merge(first, second, actor="ops", policy=policy)
    assert replay(first.events) == first.record
    assert replay(second.events) == second.record
    assert first.record.tags >= before[1].tags
    lifecycle.unmerge(first, second, actor="ops")
    assert first.record == _as(before[0], first.record)
    assert second.record == _as(before[1], second.record)
