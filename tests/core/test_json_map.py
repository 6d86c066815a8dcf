import copy
import pickle
from decimal import Decimal

import pytest

from leadlife._core.support.json import JsonError
from leadlife.values import JsonMap


def test_equal_to_the_dict_it_was_built_from():
    data = {"a": 1, "b": [1, {"c": None}], "d": 1.5, "e": True}
    frozen = JsonMap(data)
    assert frozen == data
    assert frozen.thaw() == data
    assert frozen == JsonMap(data)
    assert frozen != {"a": 2}
    assert frozen != [1]


def test_nested_values_are_read_only():
    frozen = JsonMap({"list": [1, 2], "map": {"x": 1}})
    assert frozen["list"] == (1, 2)
    assert isinstance(frozen["map"], JsonMap)
    with pytest.raises(AttributeError, match="read-only"):
        frozen.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        frozen["list"] = 3  # type: ignore[index]


def test_the_argument_is_copied_not_kept():
    data = {"a": [1]}
    frozen = JsonMap(data)
    data["a"].append(2)
    assert frozen["a"] == (1,)


def test_hashable_and_hash_agrees_with_equality():
    assert hash(JsonMap({"a": [1, {"b": 2}]})) == hash(JsonMap({"a": (1, {"b": 2})}))
    assert len({JsonMap({"a": 1}), JsonMap({"a": 1})}) == 1


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"a": Decimal(1)}, "['a']"),
        ({"a": [1, float("nan")]}, "['a'][1]"),
        ({"a": {"b": {1: 2}}}, "['a']['b'][1]"),
        ({"a": {"b": object()}}, "['a']['b']"),
    ],
)
def test_non_json_values_are_refused_with_their_path(data, path):
    with pytest.raises(JsonError) as caught:
        JsonMap(data)
    assert caught.value.path == path


def test_a_non_mapping_is_refused():
    with pytest.raises(JsonError, match="mapping"):
        JsonMap([1])  # type: ignore[arg-type]


def test_merged_and_without_make_new_maps():
    base = JsonMap({"a": 1, "b": 2})
    assert base.merged({"b": 3, "c": [4]}) == {"a": 1, "b": 3, "c": [4]}
    assert base.without(frozenset({"a"})) == {"b": 2}
    assert base == {"a": 1, "b": 2}


def test_mapping_protocol():
    frozen = JsonMap({"a": 1, "b": 2})
    assert list(frozen) == ["a", "b"]
    assert len(frozen) == 2
    assert "a" in frozen
    assert repr(frozen) == "JsonMap({'a': 1, 'b': 2})"


def test_nesting_is_bounded_with_a_named_limit():
    deep: dict = {}
    for _ in range(40):
        deep = {"a": deep}
    with pytest.raises(JsonError, match="at most 32 levels"):
        JsonMap(deep)
    within: list = []
    for _ in range(30):
        within = [within]
    assert JsonMap({"a": within})["a"] == JsonMap({"a": within})["a"]


def test_an_error_about_a_hostile_value_does_not_recurse_through_it():
    hostile: list = []
    for _ in range(100_000):
        hostile = [hostile]
    with pytest.raises(JsonError) as caught:
        JsonMap({"a": hostile})
    assert len(str(caught.value)) < 200


def test_pickles_and_copies_as_itself():
    frozen = JsonMap({"a": [1, {"b": None}]})
    unpickled = pickle.loads(pickle.dumps(frozen))  # noqa: S301 - our own bytes
    for twin in (unpickled, copy.copy(frozen), copy.deepcopy(frozen)):
        assert twin == frozen
        assert isinstance(twin["a"][1], JsonMap)
        assert hash(twin) == hash(frozen)
