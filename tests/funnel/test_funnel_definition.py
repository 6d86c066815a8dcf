import pytest
from statemachine import State

from leadlife import Funnel, LeadlifeError, Stage
from leadlife.errors import FunnelDefinitionError


def test_a_valid_funnel_is_accepted():
    class Good(Funnel):
        new = State(initial=True)
        working = State()
        nurture = Stage(recycle=True)
        closed = State(final=True)
        work = new.to(working)
        park = working.to(nurture)
        revive = nurture.to(working)
        close = closed.from_(new, working, nurture)

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
        nurture = Stage(recycle=True)
        go = a.to(b)
        park = b.to(nurture)
        revive = nurture.to(b)

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


def test_a_stages_meaning_is_checked_and_names_the_stage():
    with pytest.raises(FunnelDefinitionError, match="its kind must be a RecordKind") as caught:

        class BadKind(Funnel):
            a = State(initial=True)
            b = Stage(final=True, kind="prospect")  # type: ignore[arg-type]
            go = a.to(b)

    assert caught.value.stage == "b"
    with pytest.raises(FunnelDefinitionError, match="its recycle must be True or False"):

        class BadFlag(Funnel):
            a = State(initial=True)
            b = Stage(final=True, recycle="yes")  # type: ignore[arg-type]
            go = a.to(b)


def test_a_recycle_stage_cannot_be_terminal():
    with pytest.raises(FunnelDefinitionError, match="both terminal and a recycle"):

        class Confused(Funnel):
            a = State(initial=True)
            b = Stage(final=True, recycle=True)
            go = a.to(b)


def test_a_screened_out_stage_cannot_be_terminal():
    with pytest.raises(FunnelDefinitionError, match="reviewed later: it cannot be terminal"):

        class Forever(Funnel):
            a = State(initial=True)
            out = Stage(final=True, screens_out=True)
            drop = a.to(out, cond=["has_screening", "has_review_date"])


def test_a_stage_closes_a_deal_won_or_lost_not_both():
    with pytest.raises(FunnelDefinitionError, match="both won and lost") as caught:

        class Both(Funnel):
            a = State(initial=True)
            done = Stage(final=True, won=True, lost=True)
            go = a.to(done)

    assert caught.value.stage == "done"


@pytest.mark.parametrize(
    ("guards", "missing"),
    [
        ([], "the guards has_screening and has_review_date"),
        (["has_reason", "has_review_date"], "the guard has_screening"),
        (["has_screening"], "the guard has_review_date"),
    ],
)
def test_every_way_into_a_screened_out_stage_needs_a_screening_and_a_review_date(guards, missing):
    with pytest.raises(FunnelDefinitionError, match=f"without {missing}") as caught:

        class Careless(Funnel):
            a = State(initial=True)
            b = State()
            out = Stage(screens_out=True)
            end = State(final=True)
            go = a.to(b)
            drop = out.from_(a, cond=["has_screening", "has_review_date"])
            slip = b.to(out, cond=guards or None)
            back = out.to(a)
            stop = end.from_(a, b)

    assert caught.value.stage == "out"


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("catch_errors_as_events", True),
        ("allow_event_without_transition", True),
        ("atomic_configuration_update", False),
    ],
)
def test_statechart_settings_that_lose_events_are_refused(setting, value):
    start, end = State(initial=True), State(final=True)
    namespace = {"a": start, "b": end, "go": start.to(end), setting: value}
    with pytest.raises(FunnelDefinitionError, match=f"sets {setting} = {value}"):
        type(Funnel)("Swallowing", (Funnel,), namespace)
