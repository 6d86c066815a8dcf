"""A facade's method that is a capability's: one line in the facade, typed as the capability's.

``Lifecycle.send = Delegate("moves", Moves.send)`` makes ``life.send(...)`` call
``life.moves.send(...)``: type checkers see the capability method's own
signature (without ``self``), and documentation tools its docstring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar, overload

C = TypeVar("C")
P = ParamSpec("P")
R = TypeVar("R")


class Delegate(Generic[C, P, R]):
    """A method of a facade that calls the same method of one of its collaborators.

    Args:
        attribute: The facade's attribute holding the collaborator.
        method: The collaborator's method (``Moves.send``).
    """

    __slots__ = ("attribute", "method", "name")

    def __init__(self, attribute: str, method: Callable[Concatenate[C, P], R]) -> None:
        self.attribute = attribute
        self.method = method
        self.name: str = method.__name__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        if name != self.name:
            # One name for one method: the facade's docs are the capability's.
            raise TypeError(f"{owner.__name__}.{name} delegates to {self.name}: name it so")

    @overload
    def __get__(self, instance: None, owner: type[Any]) -> Callable[Concatenate[C, P], R]: ...

    @overload
    def __get__(self, instance: object, owner: type[Any] | None = None) -> Callable[P, R]: ...

    def __get__(self, instance: object, owner: type[Any] | None = None) -> Any:
        if instance is None:
            # On the class (documentation, help()): the capability's function itself.
            return self.method
        bound: Callable[P, R] = getattr(getattr(instance, self.attribute), self.name)
        return bound
