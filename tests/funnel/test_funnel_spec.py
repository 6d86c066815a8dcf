import json

import pytest

from leadlife import (
    Contact,
    DefaultFunnel,
    FunnelSpec,
    LeadId,
    Lifecycle,
    RecordKind,
    Source,
    funnel_from_spec,
)
from leadlife.errors import FunnelDefinitionError, ValidationError
from leadlife.funnels import StageSpec, TransitionSpec

SIMPLE = {
    "name": "SimpleFunnel",
    "stages": {
        "new": {"initial": True, "name": "New"},
        "working": {},
        "qualified": {"kind": "prospect"},
        "nurture": {"recycle": True},
        "gone": {"final": True},
    },
    "transitions": [
        {"event": "work", "source": ["new", "nurture"], "target": "working"},
        {"event": "qualify", "source": "working", "target": "qualified", "guards": "is_fit"},
        {"event": "park", "source": ["working", "qualified"], "target": "nurture"},
        {
            "event": "drop",
            "source": ["new", "working", "nurture", "qualified"],
            "target": "gone",
            "guards": ["has_reason"],
            "unless": ["is_fit"],
        },
    ],
}


def is_fit(payload=None) -> bool:
    return bool(payload and payload.get("fit"))


def test_a_funnel_from_a_dict_behaves_like_a_class():
    funnel = funnel_from_spec(SIMPLE, guards={"is_fit": is_fit})
    assert funnel.__name__ == "SimpleFunnel"
    spec = funnel.spec()
    assert spec.initial.id == "new"
    assert spec.stage("new").name == "New"
    assert spec.stage("working").name == "Working"
    assert spec.stage("qualified").kind is RecordKind.PROSPECT
    assert spec.stage("nurture").recycle
    assert spec.stage("gone").final
    assert spec.events == ("work", "drop", "qualify", "park")
    drop = next(t for t in spec.transitions if t.event == "drop" and t.source == "new")
    assert (drop.guards, drop.unless) == (("has_reason",), ("is_fit",))


def test_guards_from_the_mapping_run_in_the_funnel(life_for):
    life, history = life_for(funnel_from_spec(SIMPLE, guards={"is_fit": is_fit}))
    life.send(history, "work", actor="x")
    with pytest.raises(Exception, match="is_fit"):
        life.send(history, "drop", actor="x", reason="fit after all", payload={"fit": True})
    life.send(history, "drop", actor="x", reason="not a fit", payload={"fit": False})
    assert history.record.stage == "gone"


def test_json_text_is_read_too():
    funnel = funnel_from_spec(json.dumps(SIMPLE), guards={"is_fit": is_fit})
    assert (
        funnel.spec().to_dict()
        == funnel_from_spec(SIMPLE, guards={"is_fit": is_fit}).spec().to_dict()
    )


def test_the_default_funnel_survives_a_round_trip_through_data():
    data = DefaultFunnel.spec().to_dict()
    rebuilt = funnel_from_spec(json.loads(json.dumps(data)))
    assert rebuilt.spec() == DefaultFunnel.spec()
    assert f"{rebuilt:md}" == f"{DefaultFunnel:md}"


def test_a_spec_value_builds_too():
    assert funnel_from_spec(DefaultFunnel.spec()).spec() == DefaultFunnel.spec()


def test_an_unknown_guard_name_is_refused_not_imported():
    spec = {**SIMPLE}
    with pytest.raises(FunnelDefinitionError, match="guard 'is_fit', which is neither built in"):
        funnel_from_spec(spec)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("name"), "name is missing"),
        (lambda d: d.update(extra=1), "unknown keys"),
        (
            lambda d: d["stages"]["new"].update(initial="yes"),
            "stages.new.initial must be true or false",
        ),
        (
            lambda d: d["stages"]["nurture"].update(kind="prospekt"),
            "stages.nurture.kind must be one of",
        ),
        (lambda d: d["stages"]["new"].update(colour="red"), "stages.new has unknown keys"),
        (lambda d: d["stages"].update(working=[]), "stages.working must be an object"),
        (lambda d: d["transitions"][0].pop("target"), r"transitions\[0\].target is missing"),
        (
            lambda d: d["transitions"][0].update(source=[]),
            r"transitions\[0\].source must be a string",
        ),
        (lambda d: d["transitions"][1].update(guards=[3]), r"transitions\[1\].guards\[0\]"),
        (lambda d: d.update(transitions={}), "transitions must be a list"),
        (lambda d: d["stages"]["new"].update(name=""), "stages.new.name must be a non-blank"),
    ],
)
def test_malformed_data_is_refused_with_its_path(mutate, message):
    data = json.loads(json.dumps(SIMPLE))
    mutate(data)
    with pytest.raises(FunnelDefinitionError, match=message) as caught:
        funnel_from_spec(data, guards={"is_fit": is_fit})
    assert caught.value.funnel == data.get("name", "?")


def test_a_document_that_is_not_an_object_is_refused_at_the_root():
    with pytest.raises(FunnelDefinitionError) as caught:
        funnel_from_spec("[]")
    assert (caught.value.funnel, caught.value.problem) == ("?", "$ must be an object, got []")


def test_guards_and_unless_are_written_as_lists():
    data = funnel_from_spec(SIMPLE, guards={"is_fit": is_fit}).spec().to_dict()
    drops = [t for t in data["transitions"] if t["event"] == "drop"]
    assert {(tuple(t["guards"]), tuple(t["unless"])) for t in drops} == {
        (("has_reason",), ("is_fit",))
    }
    work = next(t for t in data["transitions"] if t["event"] == "work")
    assert "guards" not in work
    assert "unless" not in work


def test_invalid_json_is_refused():
    with pytest.raises(FunnelDefinitionError, match="not valid JSON"):
        funnel_from_spec("{nope")


def test_structural_faults_name_the_stage():
    data = json.loads(json.dumps(SIMPLE))
    data["stages"]["orphan"] = {}
    with pytest.raises(FunnelDefinitionError, match="cannot be reached") as caught:
        funnel_from_spec(data, guards={"is_fit": is_fit})
    assert caught.value.stage == "orphan"


def test_transitions_must_use_declared_stages():
    data = json.loads(json.dumps(SIMPLE))
    data["transitions"][0]["target"] = "wroking"
    with pytest.raises(FunnelDefinitionError, match="not declared") as caught:
        funnel_from_spec(data, guards={"is_fit": is_fit})
    assert caught.value.stage == "wroking"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(name="my funnel"), "its name must be a Python identifier"),
        (lambda d: d["stages"].update({"send": {}}), "an id must be an identifier"),
        (
            lambda d: d["transitions"][0].update(event="working"),
            "event 'working' must be an identifier",
        ),
        (
            lambda d: d["stages"]["new"].pop("initial"),
            "needs exactly one initial stage, has \\[\\]",
        ),
    ],
)
def test_names_must_not_collide(mutate, message):
    data = json.loads(json.dumps(SIMPLE))
    mutate(data)
    with pytest.raises(FunnelDefinitionError, match=message):
        funnel_from_spec(data, guards={"is_fit": is_fit})


def test_guard_names_must_be_free_identifiers_and_callables():
    with pytest.raises(FunnelDefinitionError, match="guard 'is_fit' needs"):
        funnel_from_spec(SIMPLE, guards={"is_fit": "yes"})  # type: ignore[dict-item]
    with pytest.raises(FunnelDefinitionError, match="guard 'new' needs"):
        funnel_from_spec(SIMPLE, guards={"is_fit": is_fit, "new": is_fit})


def test_duplicate_and_missing_stages():
    spec = DefaultFunnel.spec()
    twice = FunnelSpec(
        name="Twice", stages=[*spec.stages, spec.stages[0]], transitions=spec.transitions
    )
    with pytest.raises(FunnelDefinitionError, match="declared twice"):
        funnel_from_spec(twice)
    with pytest.raises(FunnelDefinitionError, match="declares no stages"):
        funnel_from_spec(FunnelSpec(name="Empty", stages=[], transitions=[]))


def test_spec_values_validate():
    with pytest.raises(ValidationError, match=r"FunnelSpec\.stages"):
        FunnelSpec(name="X", stages=["new"], transitions=[])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"TransitionSpec\.guards"):
        TransitionSpec(event="go", source="a", target="b", guards=("",))
    with pytest.raises(ValidationError, match=r"StageSpec\.kind"):
        StageSpec(id="a", kind="lead")  # type: ignore[arg-type]


def test_stage_lookup_by_id():
    with pytest.raises(KeyError) as caught:
        DefaultFunnel.spec().stage("nowhere")
    assert caught.value.args == ("nowhere",)


@pytest.fixture
def life_for(clock):
    def make(funnel):
        life = Lifecycle(funnel, clock=clock, framework=None)
        history = life.capture(
            id=LeadId("L-1"), contact=Contact(name="Ada"), source=Source(channel="web"), actor="x"
        )
        return life, history

    return make


def test_a_stage_without_a_name_reads_its_id_as_words():
    data = json.loads(json.dumps(SIMPLE))
    data["stages"]["in_progress"] = data["stages"].pop("working")
    for transition in data["transitions"]:
        for key in ("source", "target"):
            value = transition[key]
            if isinstance(value, list):
                transition[key] = ["in_progress" if v == "working" else v for v in value]
            elif value == "working":
                transition[key] = "in_progress"
    funnel = funnel_from_spec(data, guards={"is_fit": is_fit})
    assert funnel.spec().stage("in_progress").name == "In progress"
    assert funnel.__doc__ == "SimpleFunnel: built by funnel_from_spec."


def _minimal():
    return {
        "name": "F",
        "stages": {"new": {"initial": True}, "done": {"final": True}},
        "transitions": [{"event": "go", "source": "new", "target": "done"}],
    }


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (lambda d: d.update(name=" "), "name must be a non-blank string, got ' '"),
        (lambda d: d.update(stages=[1]), "stages must be an object, got [1]"),
        (lambda d: d["stages"].update({" ": {}}), "stages has a blank stage id ' '"),
        (lambda d: d.update(transitions={"a": 1}), "transitions must be a list, got {'a': 1}"),
        (
            lambda d: d["stages"]["new"].update(kind=3),
            "stages.new.kind must be one of ['lead', 'prospect', 'opportunity'], got 3",
        ),
        (
            lambda d: d["stages"]["done"].update(final="yes"),
            "stages.done.final must be true or false, got 'yes'",
        ),
        (
            lambda d: d.update(qualification=""),
            "qualification must be a non-blank string, got ''",
        ),
        (
            lambda d: d["transitions"][0].update(when="now"),
            (
                "transitions[0] has unknown keys ['when']; "
                "allowed: ['event', 'guards', 'source', 'target', 'unless']"
            ),
        ),
        (
            lambda d: d["transitions"].append("go"),
            "transitions[1] must be an object, got 'go'",
        ),
        (lambda d: d["transitions"][0].pop("event"), "transitions[0].event is missing"),
        (
            lambda d: d["transitions"][0].update(event=""),
            "transitions[0].event must be a non-blank string, got ''",
        ),
        (
            lambda d: d["transitions"][0].update(target=None),
            "transitions[0].target must be a non-blank string, got None",
        ),
        (
            lambda d: d["transitions"][0].update(source=""),
            "transitions[0].source must be a non-blank string, got ''",
        ),
        (
            lambda d: d["transitions"][0].update(unless=[""]),
            "transitions[0].unless[0] must be a non-blank string, got ''",
        ),
        (
            lambda d: d["transitions"][0].update(unless=[]),
            "transitions[0].unless must be a string or a non-empty list of strings, got []",
        ),
        (
            lambda d: d["transitions"][0].update(guards=7),
            "transitions[0].guards must be a string or a non-empty list of strings, got 7",
        ),
    ],
)
def test_each_fault_in_the_data_form_is_named_exactly(mutate, problem):
    data = _minimal()
    mutate(data)
    with pytest.raises(FunnelDefinitionError) as caught:
        funnel_from_spec(data)
    assert caught.value.problem == problem
    name = data["name"] if data["name"].strip() else "?"
    assert str(caught.value) == f"funnel {name}: {problem}"


@pytest.mark.parametrize(
    ("build", "field", "expected"),
    [
        (
            lambda: TransitionSpec(event="go", source="a", target="b", guards=["x", 3]),
            "TransitionSpec.guards",
            "a tuple of guard names",
        ),
        (
            lambda: FunnelSpec(name="X", stages=[1], transitions=[]),
            "FunnelSpec.stages",
            "a list of StageSpec",
        ),
        (
            lambda: FunnelSpec(name="X", stages=[], transitions=[1]),
            "FunnelSpec.transitions",
            "a list of TransitionSpec",
        ),
    ],
)
def test_spec_values_name_the_field_and_what_it_takes(build, field, expected):
    with pytest.raises(ValidationError) as caught:
        build()
    owner, name = field.split(".")
    assert (caught.value.owner, caught.value.field, caught.value.expected) == (
        owner,
        name,
        expected,
    )
    assert caught.value.value is not None


@pytest.mark.parametrize("name", ["__init__", "__slots__", "__class__", "__dict__", "__qualname__"])
@pytest.mark.parametrize("where", ["stage", "event", "guard", "name"])
def test_names_python_or_the_class_own_are_refused_when_defined(name, where):
    data = json.loads(json.dumps(SIMPLE))
    guards = {"is_fit": is_fit}
    if where == "stage":
        data["stages"][name] = data["stages"].pop("working")
        for move in data["transitions"]:
            for key in ("source", "target"):
                value = move[key]
                move[key] = (
                    [name if v == "working" else v for v in value]
                    if isinstance(value, list)
                    else (name if value == "working" else value)
                )
    elif where == "event":
        data["transitions"][0]["event"] = name
    elif where == "guard":
        guards[name] = is_fit
    else:
        data["name"] = name
    with pytest.raises(FunnelDefinitionError, match="does not start with _"):
        funnel_from_spec(data, guards=guards)


def test_a_funnel_built_from_data_pickles_by_its_spec():
    import pickle  # noqa: PLC0415

    def again(value):
        return pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes

    built = funnel_from_spec({**SIMPLE, "name": "PickledFunnel"}, guards={"is_fit": is_fit})
    assert again(built) is built  # in this process: the very class
    assert again({"funnel": built})["funnel"].spec() == built.spec()
    assert again(DefaultFunnel) is DefaultFunnel  # by name, as before


def test_a_funnel_built_from_data_pickles_into_another_process():
    import multiprocessing  # noqa: PLC0415

    built = funnel_from_spec(SIMPLE, guards={"is_fit": is_fit})
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.apply(_events_of, (built,)) == built.spec().events


def _events_of(funnel):
    return funnel.spec().events
