"""Every way a funnel is refused when defined, with its exact message and stage."""

import pytest
from statemachine import State

from leadlife import Funnel, FunnelSpec, Stage, funnel_from_spec
from leadlife.errors import FunnelDefinitionError


def spec(**changes):
    data = {
        "name": "F",
        "stages": {"new": {"initial": True}, "done": {"final": True}},
        "transitions": [{"event": "go", "source": "new", "target": "done"}],
    }
    data.update(changes)
    return data


def twice():
    good = FunnelSpec.from_dict(spec())
    return FunnelSpec(name="F", stages=[*good.stages, good.stages[0]], transitions=good.transitions)


@pytest.mark.parametrize(  # one refusal per line: the table reads better unwrapped
    ("define", "stage", "message"),
    [
        pytest.param(
            lambda: funnel_from_spec(FunnelSpec(name="F", stages=[], transitions=[])),
            None,
            "funnel F: declares no stages",
            id="no stages",
        ),
        pytest.param(
            lambda: funnel_from_spec(twice()),
            "new",
            "stage 'new' of funnel F: is declared twice",
            id="twice",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(stages={"new": {"initial": True}, "done": {"final": True, "recycle": True}})
            ),
            "done",
            "stage 'done' of funnel F: cannot be both terminal and a recycle stage",
            id="recycle final",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "done": {"final": True, "screens_out": True}}
                )
            ),
            "done",
            "stage 'done' of funnel F: screens out, so its decision is reviewed later: it cannot be terminal",  # noqa: E501
            id="screens final",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={
                        "new": {"initial": True},
                        "done": {"final": True, "won": True, "lost": True},
                    }
                )
            ),
            "done",
            "stage 'done' of funnel F: cannot close a deal both won and lost",
            id="won lost",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(transitions=[{"event": "go", "source": "new", "target": "limbo"}])
            ),
            "limbo",
            "stage 'limbo' of funnel F: is used by event 'go' but is not declared",
            id="undeclared",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={
                        "new": {"initial": True},
                        "old": {"initial": True},
                        "done": {"final": True},
                    },
                    transitions=[{"event": "go", "source": ["new", "old"], "target": "done"}],
                )
            ),
            "old",
            "stage 'old' of funnel F: needs exactly one initial stage, has ['new', 'old']",
            id="two initial",
        ),
        pytest.param(
            lambda: funnel_from_spec(spec(stages={"new": {}, "done": {"final": True}})),
            None,
            "funnel F: needs exactly one initial stage, has []",
            id="no initial",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "back", "source": "done", "target": "new"},
                    ]
                )
            ),
            "done",
            "stage 'done' of funnel F: is terminal, yet event 'back' leaves it",
            id="leaves final",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={
                        "new": {"initial": True},
                        "out": {"screens_out": True},
                        "done": {"final": True},
                    },
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "drop", "source": "new", "target": "out"},
                        {"event": "back", "source": "out", "target": "new"},
                    ],
                )
            ),
            "out",
            "stage 'out' of funnel F: screens out, yet event 'drop' enters it from 'new' without the guards has_screening and has_review_date: nobody is screened out without a reason and a review date",  # noqa: E501
            id="screen guard",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "lonely": {}, "done": {"final": True}},
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "w", "source": "lonely", "target": "done"},
                    ],
                )
            ),
            "lonely",
            "stage 'lonely' of funnel F: cannot be reached from the initial stage 'new'",
            id="unreachable",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "stuck": {}, "done": {"final": True}},
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "w", "source": "new", "target": "stuck"},
                    ],
                )
            ),
            "stuck",
            "stage 'stuck' of funnel F: is a dead end: no event leaves it, and it is not terminal",
            id="dead end",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "done": {"final": True}, "stuck": {}},
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "w", "source": "new", "target": "stuck"},
                    ],
                )
            ),
            "stuck",
            "stage 'stuck' of funnel F: is a dead end: no event leaves it, and it is not terminal",
            id="dead end declared after a terminal stage",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "a": {}, "b": {}, "done": {"final": True}},
                    transitions=[
                        {"event": "go", "source": "new", "target": "done"},
                        {"event": "w", "source": "new", "target": "a"},
                        {"event": "p", "source": "a", "target": "b"},
                        {"event": "q", "source": "b", "target": "a"},
                    ],
                )
            ),
            "a",
            "stage 'a' of funnel F: is a dead end: no path from it reaches a terminal stage or a recycle stage",  # noqa: E501
            id="loop",
        ),
        pytest.param(
            lambda: funnel_from_spec(spec(name="my funnel")),
            None,
            "funnel my funnel: its name must be a Python identifier that does not start with _",
            id="bad name",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "send": {"final": True}},
                    transitions=[{"event": "go", "source": "new", "target": "send"}],
                )
            ),
            "send",
            "stage 'send' of funnel F: an id must be an identifier that does not start with _ "
            "(those are Python's and the class's own) and is not a Funnel attribute name",
            id="bad stage id",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(transitions=[{"event": "new", "source": "new", "target": "done"}])
            ),
            "new",
            "stage 'new' of funnel F: event 'new' must be an identifier that does not start with "
            "_, and not a stage or a Funnel attribute",
            id="bad event",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    transitions=[
                        {"event": "go", "source": "new", "target": "done", "guards": ["is_fit"]}
                    ]
                )
            ),
            "new",
            "stage 'new' of funnel F: event 'go' uses guard 'is_fit', which is neither built in (has_reason, has_review_date, has_screening, is_qualified, is_sales_ready, is_their_request) nor given in guards=",  # noqa: E501
            id="unknown guard",
        ),
        pytest.param(
            lambda: funnel_from_spec(spec(), guards={"new": lambda: True}),
            None,
            "funnel F: guard 'new' needs an identifier name that does not start with _ and is "
            "not otherwise used, and a callable",
            id="bad guard name",
        ),
        pytest.param(
            lambda: funnel_from_spec(
                spec(
                    stages={"new": {"initial": True}, "done": {"final": True}},
                    transitions=[
                        {
                            "event": "go",
                            "source": "new",
                            "target": "done",
                            "guards": ["is_qualified"],
                        }
                    ],
                )
            ),
            "new",
            "stage 'new' of funnel F: is_qualified guards a move, but the funnel has no qualification",  # noqa: E501
            id="is_qualified no qual",
        ),
        pytest.param(
            lambda: funnel_from_spec(spec(qualification="Not A Key")),
            None,
            "funnel F: qualification 'Not A Key' is not a framework key such as 'bant'",
            id="bad qual key",
        ),
    ],
)
def test_a_funnel_is_refused_with_the_stage_at_fault_and_why(define, stage, message):
    with pytest.raises(FunnelDefinitionError) as caught:
        define()
    assert (caught.value.stage, str(caught.value)) == (stage, message)
    assert caught.value.funnel in ("F", "my funnel")


def test_a_compound_stage_is_named():
    with pytest.raises(FunnelDefinitionError) as caught:

        class Nested(Funnel):
            class outer(State.Compound):  # noqa: N801
                inner = State(initial=True)
                done = State(final=True)
                finish = inner.to(done)

            end = State(final=True)
            leave = outer.to(end)

    assert caught.value.funnel == "Nested"
    assert caught.value.problem == (
        "is compound, parallel or a history state; a funnel's stages are flat"
    )


def test_an_eventless_transition_is_named():
    with pytest.raises(FunnelDefinitionError) as caught:

        class Automatic(Funnel):
            a = State(initial=True)
            b = State(final=True)
            a.to(b)

    assert (caught.value.funnel, caught.value.stage) == ("Automatic", "a")
    assert (
        caught.value.problem == "has a transition without an event; a funnel moves only on events"
    )


def test_a_transition_without_a_target_stage_is_named():
    with pytest.raises(FunnelDefinitionError) as caught:

        class Internal(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            stay = a.to(None)  # python-statemachine's internal transition

    assert (caught.value.funnel, caught.value.stage) == ("Internal", "a")
    assert caught.value.problem == "has a transition without exactly one target stage"


def test_a_transition_to_a_stage_declared_elsewhere_is_named():
    elsewhere = State()
    with pytest.raises(FunnelDefinitionError) as caught:

        class Stray(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            wander = a.to(elsewhere)

    assert (caught.value.funnel, caught.value.stage) == ("Stray", "a")
    assert caught.value.problem == "has a transition to a stage the funnel does not declare"


def test_python_statemachines_own_checks_name_the_stage():
    with pytest.raises(FunnelDefinitionError) as caught:

        class TwoStarts(Funnel):
            a = State(initial=True)
            b = State(initial=True)
            c = State(final=True)
            go = a.to(c) | b.to(c)

    assert (caught.value.funnel, caught.value.stage) == ("TwoStarts", "b")
    assert caught.value.problem
    assert caught.value.__cause__ is not None
    with pytest.raises(FunnelDefinitionError) as caught:

        class OneStart(Funnel):
            a = State(initial=True)
            b = State(final=True)
            go = a.to(b)
            back = b.to(a)

    assert caught.value.stage == "b"


def test_a_stage_keeps_the_state_arguments_it_is_given():
    entered = []

    class Named(Funnel):
        new = Stage("Brand new", "fresh", initial=True, enter=lambda: entered.append("in"))
        done = Stage("All done", final=True, won=True, exit=None)
        go = new.to(done)

    spec = Named.spec()
    assert [(s.id, s.name, s.initial, s.final, s.won, s.lost) for s in spec.stages] == [
        ("fresh", "Brand new", True, False, False, False),
        ("done", "All done", False, True, True, False),
    ]
    machine = Named()
    machine.send("go")
    assert entered == ["in"]


def test_a_stage_without_a_name_is_named_after_its_attribute():
    class Plain(Funnel):
        brand_new = Stage(initial=True)
        done = Stage(final=True)
        go = brand_new.to(done)

    assert [s.name for s in Plain.spec().stages] == ["Brand new", "Done"]
