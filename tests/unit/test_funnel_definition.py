import pytest
from statemachine import State

from leadlife import Funnel, FunnelDefinitionError, LeadlifeError, RecordKind


def test_a_valid_funnel_is_accepted():
    class Good(Funnel):
        new = State(initial=True)
        working = State()
        nurture = State()
        closed = State(final=True)
        work = new.to(working)
        park = working.to(nurture)
        revive = nurture.to(working)
        close = closed.from_(new, working, nurture)
        recycle_stages = frozenset({"nurture"})

    assert [stage.id for stage in Good.spec().stages] == ["new", "working", "nurture", "closed"]


def test_two_initial_stages_are_refused_naming_the_second():
    with pytest.raises(FunnelDefinitionError) as caught:

        class TwoStarts(Funnel):
            a = State(initial=True)
            b = State(initial=True)
            c = State(final=True)
            go = a.to(c) | b.to(c)

    assert caught.value.stage == "b"
    assert caught.value.funnel == "TwoStarts"
    assert isinstance(caught.value, LeadlifeError)


def test_an_unreachable_stage_is_refused_by_name():
    with pytest.raises(FunnelDefinitionError, match="cannot be reached") as caught:

        class Orphan(Funnel):
            a = State(initial=True)
            b = State(final=True)
            lonely = State()
            go = a.to(b)
            wander = lonely.to(b)

    assert caught.value.stage == "lonely"


def test_a_stage_with_no_way_out_is_a_dead_end():
    with pytest.raises(FunnelDefinitionError, match="no event leaves it") as caught:

        class Stuck(Funnel):
            a = State(initial=True)
            b = State()
            c = State(final=True)
            go = a.to(b)
            stop = a.to(c)

    assert caught.value.stage == "b"


def test_a_loop_with_no_exit_is_a_dead_end():
    with pytest.raises(FunnelDefinitionError, match="no path from it reaches") as caught:

        class Loop(Funnel):
            a = State(initial=True)
            b = State()
            c = State()
            end = State(final=True)
            go = a.to(b)
            stop = a.to(end)
            ping = b.to(c)
            pong = c.to(b)

    assert caught.value.stage == "b"


def test_a_loop_through_a_recycle_stage_is_no_dead_end():
    class Recycling(Funnel):
        a = State(initial=True)
        b = State()
        nurture = State()
        go = a.to(b)
        park = b.to(nurture)
        revive = nurture.to(b)
        recycle_stages = frozenset({"nurture"})

    assert Recycling.spec().stage("nurture").recycle


def test_without_terminal_or_recycle_stages_every_stage_is_a_dead_end():
    with pytest.raises(FunnelDefinitionError, match="dead end") as caught:

        class Circle(Funnel):
            a = State(initial=True)
            b = State()
            go = a.to(b)
            back = b.to(a)

    assert caught.value.stage == "a"


def test_transitions_out_of_a_terminal_stage_are_refused():
    with pytest.raises(FunnelDefinitionError) as caught:

        class Leaky(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            back = b.to(a)

    assert caught.value.stage == "b"


def test_stage_values_must_be_strings():
    with pytest.raises(FunnelDefinitionError, match="must be a non-blank str") as caught:

        class Numbered(Funnel):
            a = State(initial=True, value=1)
            b = State(final=True)
            go = a.to(b)

    assert caught.value.stage == "a"


def test_compound_stages_are_refused():
    with pytest.raises(FunnelDefinitionError, match="flat"):

        class Nested(Funnel):
            class outer(State.Compound):  # noqa: N801
                inner = State(initial=True)
                done = State(final=True)
                finish = inner.to(done)

            end = State(final=True)
            leave = outer.to(end)


def test_eventless_transitions_are_refused():
    with pytest.raises(FunnelDefinitionError, match="without an event"):

        class Automatic(Funnel):
            a = State(initial=True)
            b = State(final=True)
            a.to(b)


def test_stage_kinds_and_recycle_stages_must_name_stages():
    with pytest.raises(FunnelDefinitionError, match="stage_kinds") as caught:

        class BadKinds(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            stage_kinds = {"c": RecordKind.PROSPECT}

    assert caught.value.stage == "c"
    with pytest.raises(FunnelDefinitionError, match="RecordKind"):

        class BadKind(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            stage_kinds = {"b": "prospect"}

    with pytest.raises(FunnelDefinitionError, match="recycle_stages"):

        class BadRecycle(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            recycle_stages = frozenset({"nurture"})


def test_a_recycle_stage_cannot_be_terminal():
    with pytest.raises(FunnelDefinitionError, match="both terminal and a recycle"):

        class Confused(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            recycle_stages = frozenset({"b"})
