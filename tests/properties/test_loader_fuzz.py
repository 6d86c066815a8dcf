"""Whatever a loader is given, only leadlife's own errors come out.

The loaders read data from outside (files, requests, other systems), so they
are fuzzed three ways: arbitrary JSON, arbitrary data in a valid envelope, and
documents the library wrote, mutated. Run with HYPOTHESIS_PROFILE=thorough for
many more examples than CI's default.
"""

import copy
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strategies as s
from leadlife import (
    DefaultFunnel,
    FunnelSpec,
    LeadlifeError,
    from_dict,
    from_json,
    funnel_from_spec,
    load,
    to_dict,
)
from leadlife import testing as kit
from leadlife._adapters.documents import _types

FUZZ = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=25,
)


def check_loads_or_refuses(load_it, value):
    """``load_it(value)`` loads what writes back to itself, or refuses with our error."""
    try:
        loaded = load_it(value)
    except LeadlifeError as error:
        assert str(error).strip(), "a refusal says why"
        return
    assert writes_back(loaded), f"{loaded!r} does not survive being written and read again"


def writes_back(loaded):
    """Whether what was loaded reads back equal from what it writes."""
    if isinstance(loaded, list):
        return all(writes_back(item) for item in loaded)
    if isinstance(loaded, type):  # a funnel class
        return FunnelSpec.from_dict(loaded.spec().to_dict()) == loaded.spec()
    if isinstance(loaded, FunnelSpec):
        return FunnelSpec.from_dict(loaded.to_dict()) == loaded
    return from_dict(to_dict(loaded)) == loaded


def read_all(lines):
    return list(load(lines))


LOADERS = [
    from_dict,
    lambda value: from_json(json.dumps(value)),
    lambda value: read_all(io.StringIO(json.dumps(value) + "\n")),
    FunnelSpec.from_dict,
    lambda value: FunnelSpec.from_dict(json.dumps(value)),
    funnel_from_spec,
]


@FUZZ
@given(json_values)
def test_arbitrary_json_raises_check_loads_or_refuses(value):
    for load_it in LOADERS:
        check_loads_or_refuses(load_it, value)


@FUZZ
@given(st.binary(max_size=64) | st.text(max_size=64))
def test_arbitrary_text_raises_check_loads_or_refuses(text):
    check_loads_or_refuses(from_json, text)
    check_loads_or_refuses(read_all, [text])
    if isinstance(text, str):
        check_loads_or_refuses(FunnelSpec.from_dict, text)


@FUZZ
@given(st.sampled_from(sorted(_types())), json_values)
def test_arbitrary_data_in_a_valid_envelope_raises_check_loads_or_refuses(type_name, data):
    check_loads_or_refuses(from_dict, {"schema": 1, "type": type_name, "data": data})


def paths(document, prefix=()):
    """Every path into a JSON document, the root included."""
    yield prefix
    if isinstance(document, dict):
        for key, value in document.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from paths(value, (*prefix, index))


written = st.one_of(
    s.journeys().map(lambda histories: histories[-1]),
    s.records,
    s.evidence,
    s.assessments,
    kit.follow_up_plans(),
    st.just(DefaultFunnel.spec()),
).map(to_dict)


def mutated(document, data, replacements):
    """A copy of ``document`` with one to three parts deleted, replaced or duplicated.

    ``replacements`` maps each way of replacing a part to what it draws from.
    """
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        inner = [path for path in paths(document) if path]
        if not inner:
            break
        path = data.draw(st.sampled_from(inner), label="path")
        parent = document
        for key in path[:-1]:
            parent = parent[key]
        how = data.draw(st.sampled_from(["delete", "duplicate", *replacements]), label="how")
        if how == "delete":
            del parent[path[-1]]
        elif how != "duplicate":
            parent[path[-1]] = data.draw(replacements[how], label="new value")
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
    return document


@FUZZ
@given(written, st.data())
def test_mutated_documents_raise_check_loads_or_refuses(document, data):
    document = mutated(document, data, {"replace": json_values})
    check_loads_or_refuses(from_dict, document)
    check_loads_or_refuses(from_json, json.dumps(document))


# -- predictive models ---------------------------------------------------------------------


def _models():
    from leadlife.predict import Calibrated, Logistic, NaiveBayes  # noqa: PLC0415

    train = {"size": ["big", "big", "small", "small"] * 5, "source": ["web", "fair"] * 10}
    won = [True, True, False, True] * 5
    bayes = NaiveBayes.fit(train, won, features=["size", "source"])
    logistic = Logistic.fit(train, won, features=["size", "source"])
    return [
        bayes.to_dict(),
        logistic.to_dict(),
        Calibrated.fit(bayes, train, won, method="isotonic").to_dict(),
        Calibrated.fit(logistic, train, won, method="platt").to_dict(),
    ]


MODELS = _models()


def check_model_loads_or_refuses(document):
    from leadlife.predict import load_model  # noqa: PLC0415

    try:
        loaded = load_model(document)
    except LeadlifeError as error:
        assert str(error).strip(), "a refusal says why"
        return
    assert load_model(loaded.to_dict()).to_dict() == loaded.to_dict()


@FUZZ
@given(json_values)
def test_arbitrary_json_is_a_model_or_refused(value):
    check_model_loads_or_refuses(value)
    check_model_loads_or_refuses({"schema": 1, "type": "NaiveBayes", "data": value})


HOSTILE = st.sampled_from(
    [None, True, 10**400, -(10**400), float("inf"), float("nan"), "1", [], {}, [[1.0]], 1e308]
).map(copy.deepcopy)  # a fresh list or dict each time: a later mutation must not reach the next


@FUZZ
@given(st.sampled_from(MODELS), st.data())
def test_mutated_models_are_models_or_refused(document, data):
    document = mutated(document, data, {"replace": json_values, "hostile": HOSTILE})
    check_model_loads_or_refuses(document)


def test_a_model_nested_in_itself_is_refused_before_it_is_read():
    from leadlife.predict import load_model  # noqa: PLC0415

    document = MODELS[2]
    for _ in range(5000):
        document = {
            "schema": 1,
            "type": "Calibrated",
            "data": {"method": "platt", "model": document},
        }
    try:
        load_model(document)
    except LeadlifeError as error:
        assert "wraps a model, not a calibrated one @ $.data.model" in str(error)
    else:
        raise AssertionError("a model nested in itself was read")


written_specs = st.just(DefaultFunnel.spec().to_dict())


@FUZZ
@given(written_specs, st.data())
def test_mutated_funnel_specs_build_or_are_refused(document, data):
    dunders = st.sampled_from(["__init__", "__class__", "__dict__", "_hidden", "send"])
    document = mutated(document, data, {"replace": json_values, "dunder": dunders})
    check_loads_or_refuses(funnel_from_spec, document)
