"""Routing: shares as weighted, limits never exceeded, days off kept, every assignment explained."""

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadlife import (
    Company,
    Contact,
    FixedClock,
    Lead,
    LeadId,
    Lifecycle,
    Source,
    SteppingClock,
    replay,
)
from leadlife.agenda import ActionKind, Agenda, DueAction, Reassign
from leadlife.errors import ValidationError
from leadlife.events import OwnerAssigned
from leadlife.plugins import Registry
from leadlife.routing import (
    Assignment,
    Capacity,
    Chain,
    Declined,
    Owner,
    RoundRobin,
    RoutingPolicy,
    Rule,
    Rules,
    Workload,
)
from leadlife.sla import BusinessCalendar

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def lead(number=1, *, region=None, channel="web", owner=None, at=MONDAY):
    company = None if region is None else Company(name="Acme", region=region)
    return Lead(
        id=LeadId(f"L-{number}"),
        stage="lead",
        contact=Contact(name="Ada"),
        company=company,
        source=Source(channel=channel),
        owner=owner,
        created_at=at,
    )


def run(policy, count, workload=None, at=MONDAY, step=timedelta(0)):
    """Route ``count`` leads one after another; the owners chosen and the final workload."""
    load = Workload() if workload is None else workload
    chosen = []
    for number in range(count):
        routed = policy.route(lead(number), load, at + number * step)
        if isinstance(routed, Assignment):
            load = load.taking(routed.owner, at + number * step)
        chosen.append(routed)
    return chosen, load


@given(
    weights=st.lists(st.integers(1, 9), min_size=1, max_size=7),
    count=st.integers(0, 300),
)
def test_each_owners_share_stays_within_a_lead_of_their_weight(weights, count):
    owners = [Owner(key=f"o{i}", weight=w) for i, w in enumerate(weights)]
    policy = RoundRobin(owners=owners)
    load = Workload()
    total = sum(weights)
    for n in range(1, count + 1):
        routed = policy.route(lead(), load, MONDAY)
        load = load.taking(routed.owner, MONDAY)
        for owner in owners:
            # The stated bound: within one lead of the exact share, at any point (exact,
            # in integers: |given - n * weight / total| < 1).
            assert abs(load.total_of(owner.key) * total - n * owner.weight) < total


def test_the_weights_that_drift_a_most_behind_rule_past_its_share_stay_within_it():
    owners = [Owner(key=f"o{i}", weight=w) for i, w in enumerate([1, 1, 1, 1, 1, 8, 8])]
    _, load = run(RoundRobin(owners=owners), 16)
    assert all(abs(load.total_of(o.key) * 21 - 16 * o.weight) < 21 for o in owners)
    assert (load.total_of("o5"), load.total_of("o6")) == (7, 6)


def test_round_robin_goes_round_in_the_listed_order():
    chosen, _ = run(RoundRobin(owners=["kim", "sam", "ana"]), 6)
    assert [r.owner for r in chosen] == ["kim", "sam", "ana"] * 2
    assert chosen[1].reason == "round robin: sam's turn (has 0 of the 1 given, weight 1 of 3)"
    assert chosen[1].policy == "round_robin"


OWNER = st.builds(
    Owner,
    key=st.sampled_from(["kim", "sam", "ana", "bo"]),
    weight=st.integers(1, 3),
    max_open=st.none() | st.integers(0, 6),
    max_assigned=st.none() | st.integers(0, 8),
    period=st.sampled_from([timedelta(days=1), timedelta(days=7), timedelta(days=30)]),
    calendar=st.none() | st.just(BusinessCalendar(holidays=[date(2026, 3, 4)])),
)


@given(
    owners=st.lists(OWNER, min_size=1, max_size=4, unique_by=lambda o: o.key),
    policy_kind=st.sampled_from(["round_robin", "capacity"]),
    steps=st.lists(st.tuples(st.integers(0, 20), st.booleans()), max_size=120),
)
def test_no_owner_is_ever_given_more_than_their_limits_or_a_lead_on_a_day_off(
    owners, policy_kind, steps
):
    policy = RoundRobin(owners=owners) if policy_kind == "round_robin" else Capacity(owners=owners)
    by_key = {owner.key: owner for owner in owners}
    load, at, given_at = Workload(), MONDAY, {owner.key: [] for owner in owners}
    for hours, close_one in steps:
        at += timedelta(hours=hours)
        if close_one:  # a lead is won or lost: its owner holds one fewer
            holding = [key for key in by_key if load.open_of(key) > 0]
            if holding:
                load = load.releasing(holding[0])
        routed = policy.route(lead(), load, at)
        if isinstance(routed, Declined):
            # Declined only when every owner had a reason, named in the words.
            assert all(by_key[key].refuses(load, at) for key in by_key)
            assert all(key in routed.reason for key in by_key)
            continue
        owner = by_key[routed.owner]
        assert owner.works_on(at)
        load = load.taking(owner.key, at)
        given_at[owner.key].append(at)
        if owner.max_open is not None:
            assert load.open_of(owner.key) <= owner.max_open
        if owner.max_assigned is not None:
            recent = [t for t in given_at[owner.key] if t >= at - owner.period]
            assert len(recent) <= owner.max_assigned


def test_capacity_goes_to_the_most_room_and_says_so():
    policy = Capacity(owners=[Owner(key="kim", max_open=10), Owner(key="sam", max_open=4)])
    routed = policy.route(lead(), Workload(open={"kim": 5, "sam": 1}), MONDAY)
    assert (routed.owner, routed.reason) == ("sam", "capacity: sam has the most room, 1 open of 4")
    routed = policy.route(lead(), Workload(open={"kim": 5, "sam": 3}), MONDAY)
    assert routed.owner == "kim"
    # Without limits, room is the weight: the heavier owner holds more before it is their turn.
    weighted = Capacity(owners=[Owner(key="kim", weight=3), "sam"])
    assert weighted.route(lead(), Workload(open={"kim": 2, "sam": 1}), MONDAY).owner == "kim"


def test_someone_on_holiday_gets_nothing_and_the_lead_goes_to_who_works():
    holiday = date(2026, 3, 4)
    kim = Owner(key="kim", calendar=BusinessCalendar(holidays=[holiday]))
    policy = RoundRobin(owners=[kim, "sam"])
    on_holiday = datetime(2026, 3, 4, 10, tzinfo=UTC)
    chosen, _ = run(policy, 3, at=on_holiday)
    assert [r.owner for r in chosen] == ["sam"] * 3
    alone = RoundRobin(owners=[kim]).route(lead(), Workload(), on_holiday)
    assert alone == Declined(
        policy="round_robin", reason="nobody can take it (kim: not working that day)"
    )
    saturday = datetime(2026, 3, 7, 10, tzinfo=UTC)
    assert not kim.works_on(saturday)
    assert RoundRobin(owners=[kim]).route(lead(), Workload(), MONDAY).owner == "kim"


def test_a_period_limit_counts_what_was_given_in_the_period():
    kim = Owner(key="kim", max_assigned=2, period=timedelta(days=7))
    policy = Chain(policies=[RoundRobin(owners=[kim])], fallback=Owner(key="queue"))
    chosen, load = run(policy, 4, step=timedelta(days=3))
    # Days 0 and 3 go to kim; day 6 is within seven days of both; day 9 is a week after day 0...
    assert [r.owner for r in chosen] == ["kim", "kim", "queue", "kim"]
    assert "given 2 in 7 days, the most they take" in chosen[2].reason
    assert chosen[2].policy == "chain/fallback"
    assert load.assigned_since("kim", MONDAY) == 3


def test_rules_route_by_territory_segment_and_source_and_say_which_rule():
    emea = Rule(key="emea", when={"company.region": ["EMEA"]}, then=Owner(key="kim"))
    partners = Rule(
        key="partners",
        when={"source.channel": ["partner", "reseller"]},
        then=RoundRobin(owners=["ana", "bo"], key="partner_desk"),
    )
    unknown = Rule(
        key="unknown_region", when={"company.region": ["unknown"]}, then=Owner(key="sam")
    )
    policy = Rules(rules=[emea, partners, unknown])
    routed = policy.route(lead(region="EMEA", channel="partner"), Workload(), MONDAY)
    assert routed == Assignment(
        owner="kim", policy="rules", reason="rule emea (company.region is EMEA): kim"
    )
    routed = policy.route(lead(region="APAC", channel="reseller"), Workload(), MONDAY)
    assert routed.owner == "ana"
    assert routed.policy == "rules/partner_desk"
    assert routed.reason.startswith("rule partners (source.channel is partner or reseller); ")
    # "unknown" is an answer: a lead whose region nobody knows has a rule of its own.
    assert policy.route(lead(channel="web"), Workload(), MONDAY).owner == "sam"
    nothing = Rules(rules=[emea]).route(lead(region="APAC"), Workload(), MONDAY)
    assert nothing == Declined(policy="rules", reason="no rule matches the lead")
    busy = Workload(open={"kim": 1})
    full = Rules(
        rules=[
            Rule(key="emea", when={"company.region": ["EMEA"]}, then=Owner(key="kim", max_open=1))
        ]
    )
    assert full.route(lead(region="EMEA"), busy, MONDAY).reason == (
        "rule emea (company.region is EMEA): kim: at capacity (1 open)"
    )


def test_a_chain_tries_each_policy_then_the_fallback_and_keeps_every_reason():
    full = Owner(key="kim", max_open=0)
    rules = Rules(rules=[Rule(key="emea", when={"company.region": ["EMEA"]}, then=full)])
    policy = Chain(policies=[rules, Capacity(owners=[full])], fallback=Owner(key="queue"))
    routed = policy.route(lead(region="EMEA"), Workload(), MONDAY)
    assert routed.owner == "queue"
    assert routed.reason == (
        "fallback to queue: rules: rule emea (company.region is EMEA): kim: at capacity (0 open); "
        "capacity: nobody can take it (kim: at capacity (0 open))"
    )
    no_fallback = Chain(policies=[rules])
    declined = no_fallback.route(lead(region="APAC"), Workload(), MONDAY)
    assert declined == Declined(policy="chain", reason="rules: no rule matches the lead")
    on_leave = Chain(
        policies=[rules],
        fallback=Owner(key="queue", calendar=BusinessCalendar(weekdays=[5, 6])),
    )
    assert on_leave.route(lead(region="APAC"), Workload(), MONDAY).reason.endswith(
        "fallback queue: not working that day"
    )
    nested = Chain(policies=[Chain(policies=[RoundRobin(owners=["bo"])], key="inner")])
    assert nested.route(lead(), Workload(), MONDAY).policy == "chain/inner/round_robin"


def test_the_lifecycle_records_each_assignment_with_its_policy_and_replays_it():
    life = Lifecycle(clock=SteppingClock(start=MONDAY, step=timedelta(minutes=5)))
    policy = RoundRobin(owners=["kim", "sam"])
    histories, load = [], Workload()
    for number in range(4):
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            actor="form",
        )
        routed, load = life.route(history, policy, load, actor="router")
        histories.append(history)
        event = history.events[-1]
        assert isinstance(event, OwnerAssigned)
        assert (event.owner, event.policy, event.reason) == (
            routed.owner,
            "round_robin",
            routed.reason,
        )
        assert replay(history.events) == history.record
    assert [h.record.owner for h in histories] == ["kim", "sam", "kim", "sam"]
    assert Workload.of(histories) == load
    # Reassigned: never back to whoever had it, and their open count falls.
    routed, after = life.route(histories[0], policy, load, actor="router")
    assert routed.owner == "sam"
    assert (after.open_of("kim"), after.open_of("sam")) == (1, 3)
    assert Workload.of(histories).open == after.open
    # Nobody to give it to: nothing recorded, the workload unchanged, the reason said.
    lonely = RoundRobin(owners=["sam"])
    length = len(histories[0])
    routed, same = life.route(histories[0], lonely, after, actor="router")
    assert isinstance(routed, Declined)
    assert "sam: set aside" in routed.reason
    assert (len(histories[0]), same) == (length, after)


def _breached_book():
    """Two leads handed to sales on Monday at 9 and left unaccepted: kim and sam own them."""
    life = Lifecycle(clock=FixedClock(MONDAY))
    histories = []
    for number, owner in ((1, "kim"), (2, "sam")):
        history = life.capture(
            id=LeadId(f"L-{number}"),
            contact=Contact(name="Ada"),
            source=Source(channel="web"),
            actor="form",
        )
        life.assign(history, owner, actor="ops")
        life.send(history, "engage", actor="x")
        life.send(history, "mark_sales_ready", actor="x")
        histories.append(history)
    return life, histories


def test_the_agenda_reassigns_a_lead_left_past_its_acceptance_level_by_the_policy():
    life, histories = _breached_book()
    team = Capacity(
        owners=[
            Owner(key="kim", max_open=5),
            Owner(key="sam", max_open=5),
            Owner(key="ana", max_open=1),
        ]
    )
    later = MONDAY + timedelta(days=2)
    due = Agenda(routing=team)(histories, later)
    moves = [d for d in due if d.action.kind is ActionKind.REASSIGN]
    assert len(moves) == 2
    first, second = (d.action for d in moves)
    # Never to whoever let it wait; and ana, who takes one, is given one only.
    assert first.applies == Reassign(owner="ana", previous="kim", policy="capacity")
    assert second.applies == Reassign(owner="kim", previous="sam", policy="capacity")
    assert (first.facts["previous"], first.facts["owner"]) == ("kim", "ana")  # for people
    assert first.reason.startswith(
        "service level acceptance breached while with kim: reassign to ana"
    )
    assert first.source == "capacity"
    # Applied (with the breach), the owner changes with the policy and reason; replay agrees.
    for item in due:
        if item.action.kind in (ActionKind.SLA_BREACHED, ActionKind.REASSIGN):
            life.apply(item.history, item.action, actor="agenda")
    record = histories[0].record
    assert record.owner == "ana"
    event = histories[0].events[-1]
    assert (event.policy, event.reason) == ("capacity", first.reason)
    assert replay(histories[0].events) == record
    # The breach is recorded: the next run proposes no reassignment again.
    assert not [
        d for d in Agenda(routing=team)(histories, later) if d.action.kind is ActionKind.REASSIGN
    ]
    # A proposal whose owner changed meanwhile is refused, not applied over someone's choice.
    with pytest.raises(ValidationError, match="the owner changed"):
        life.apply(moves[0].history, first, actor="agenda")


def test_without_anyone_to_take_it_the_agenda_flags_the_lead_with_the_reason():
    _, histories = _breached_book()
    due = Agenda(routing=RoundRobin(owners=["kim"]))(histories, MONDAY + timedelta(days=2))
    flags = [d.action for d in due if d.action.kind is ActionKind.FLAG]
    reassign = [d.action for d in due if d.action.kind is ActionKind.REASSIGN]
    assert [a.facts["owner"] for a in reassign] == ["kim"]  # sam's lead goes to kim
    assert len(flags) == 1
    assert flags[0].reason == (
        "service level acceptance breached while with kim; nobody to reassign it to: "
        "nobody can take it (kim: set aside)"
    )
    assert not ActionKind.FLAG.applicable
    # No routing, no reassignment: the agenda is as it was.
    assert not [
        d
        for d in Agenda()(histories, MONDAY + timedelta(days=2))
        if d.action.kind is ActionKind.REASSIGN
    ]


def test_routing_policies_are_plugins_with_the_registrys_guarantees():
    registry = Registry(autoload=False)
    team = RoundRobin(owners=["kim"], key="inside_sales")
    registry.register_routing_policy(team)
    assert registry.routing_policy("inside_sales") is team
    assert registry.routing_policies() == ["inside_sales"]
    assert isinstance(team, RoutingPolicy)
    assert any(info.group == "leadlife.routing" for info in registry.installed())
    with pytest.raises(Exception, match="inside_sales"):
        registry.register_routing_policy(RoundRobin(owners=["sam"], key="inside_sales"))


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Owner(key="kim", weight=0), "weight"),
        (lambda: Owner(key="kim", max_open=-1), "max_open"),
        (lambda: Owner(key="kim", period=timedelta(days=400)), "period"),
        (lambda: RoundRobin(owners=[]), "owners"),
        (lambda: RoundRobin(owners=["kim", "kim"]), "owners"),
        (lambda: RoundRobin(owners="kim"), "owners"),
        (lambda: Rule(key="r", when={"company.colour": ["red"]}, then=Owner(key="k")), "when"),
        (lambda: Rule(key="r", when={"company.region": []}, then=Owner(key="k")), "when"),
        (lambda: Rule(key="r", when={"company.region": ["EU"]}, then="kim"), "then"),
        (lambda: Rules(rules=[]), "rules"),
        (lambda: Chain(policies=["kim"]), "policies"),
        (lambda: Workload(open={"kim": -1}), "open"),
        (lambda: Workload(given={"kim": [datetime(2026, 3, 2)]}), "given"),
        (lambda: Workload().releasing("kim"), "owner"),
        (lambda: Agenda(routing="round robin"), "routing"),
        (
            lambda: Agenda(routing=RoundRobin(owners=["k"]), reassign_on=["first_reply"]),
            "reassign_on",
        ),
        (lambda: RoundRobin(owners=["k"]).route(lead(), Workload(), datetime(2026, 3, 2)), "at"),
    ],
)
def test_what_cannot_route_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as caught:
        make()
    assert caught.value.field == field


def test_apply_reads_the_typed_payload_not_the_facts_shown_to_people():
    life, histories = _breached_book()
    history = histories[0]
    shown = DueAction(
        kind=ActionKind.REASSIGN,
        record_id=history.record_id,
        due_at=MONDAY,
        reason="waited: reassign",
        source="capacity",
        facts={"owner": "mallory", "previous": "nobody"},
        reassign=Reassign(owner="ana", previous="kim", policy="capacity"),
    )
    life.apply(history, shown, actor="agenda")
    assert history.record.owner == "ana"
    without = attrs.evolve(shown, reassign=None)
    assert without.applies is None
    with pytest.raises(ValidationError, match="need a person"):
        life.apply(history, without, actor="agenda")
