"""Lifecycle is a facade over capabilities that hold the engine; none inherits from another."""

from __future__ import annotations

import inspect

import pytest

from leadlife import Lifecycle
from leadlife._lifecycle import engine as engine_module
from leadlife._lifecycle.delegate import Delegate
from leadlife._lifecycle.moves import Moves

DELEGATES = {name: value for name, value in vars(Lifecycle).items() if isinstance(value, Delegate)}


def test_lifecycle_inherits_from_nothing_of_leadlifes() -> None:
    assert [cls for cls in Lifecycle.__mro__ if cls.__module__.startswith("leadlife")] == [
        Lifecycle
    ]


def test_no_capability_inherits_from_another_or_from_the_engine() -> None:
    capabilities = {delegate.method.__qualname__.split(".")[0] for delegate in DELEGATES.values()}
    life = Lifecycle()
    for delegate in DELEGATES.values():
        capability = getattr(life, delegate.attribute)
        assert type(capability).__mro__[1:] == (object,), type(capability)
        assert isinstance(capability.engine, engine_module.Engine)
    assert len(capabilities) >= 12


@pytest.mark.parametrize("name", sorted(DELEGATES))
def test_each_method_is_its_capabilitys_with_its_signature_and_docstring(name: str) -> None:
    delegate = DELEGATES[name]
    life = Lifecycle()
    bound = getattr(life, name)
    assert bound.__self__ is getattr(life, delegate.attribute)
    assert bound.__func__ is delegate.method
    assert getattr(Lifecycle, name) is delegate.method  # what help() and the API docs read
    assert inspect.getdoc(delegate.method)


def test_every_public_method_of_a_capability_is_on_the_facade_or_only_for_capabilities() -> None:
    # Those only other capabilities call: the move a screening makes, a conversion's parts.
    internal = {"move", "conversion", "hand_over"}
    life = Lifecycle()
    seen = set()
    for delegate in DELEGATES.values():
        capability = type(getattr(life, delegate.attribute))
        seen |= {
            name
            for name, value in vars(capability).items()
            if inspect.isfunction(value) and not name.startswith("_")
        }
    assert seen - internal == set(DELEGATES)


def test_a_delegate_named_otherwise_than_its_method_is_refused() -> None:
    # Python 3.11 wraps an error of __set_name__ in a RuntimeError; 3.12 raises it as is.
    with pytest.raises((TypeError, RuntimeError)) as refused:

        class Wrong:
            go = Delegate("_moves", Moves.send)

    error = refused.value
    assert "delegates to send: name it so" in str(error.__cause__ or error)
