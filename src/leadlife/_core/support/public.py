"""Giving public names their public home.

Implementation lives in private modules; users meet it through
``leadlife`` and its public modules (``leadlife.errors``...). A class keeps the
``__module__`` of the file that defined it unless told otherwise, so tracebacks
and reprs would say ``leadlife._core.support.errors.ValidationError`` and pickles would
depend on the private layout. :func:`publish` gives each public class and
function the module users import it from.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterable, Mapping
from types import CodeType, FunctionType
from typing import Any

import attrs


def publish(module: str, namespace: Mapping[str, Any], names: Iterable[str]) -> None:
    """Say that ``names`` in ``namespace`` live in ``module``.

    A name published already (the top level publishes first) keeps its home.
    A class's annotations are resolved first, in the module that wrote them:
    ``typing.get_type_hints`` (which cattrs and Hypothesis use) reads string
    annotations in the namespace of ``__module__``, where their names may
    not be.
    """
    for name in names:
        value = namespace[name]
        if isinstance(value, type | FunctionType) and value.__module__.startswith("leadlife._"):
            if isinstance(value, type):
                _resolve(value)
            value.__module__ = module


def _resolve(cls: type) -> None:
    # The class's own annotations first, evaluated where they were written: then
    # attrs (typing.get_type_hints) finds objects, not strings, for most of them, and
    # compiles only what is left (forward references inside generics, bases'
    # annotations). Compiling every annotation for every class was a quarter of the
    # time `import leadlife` took.
    own = inspect.get_annotations(cls)
    if any(isinstance(hint, str) for hint in own.values()):
        where = vars(sys.modules[cls.__module__])
        local = dict(vars(cls))
        resolved = {}
        for key, hint in own.items():
            try:
                # The class's own annotations only: its bases (python-statemachine's)
                # may name types that exist only for type checkers.
                resolved[key] = _evaluated(hint, where, local)
            except NameError:
                resolved[key] = hint
        cls.__annotations__ = resolved
    if attrs.has(cls):
        attrs.resolve_types(cls)


_COMPILED: dict[str, CodeType] = {}


def _evaluated(hint: Any, where: dict[str, Any], local: dict[str, Any]) -> Any:
    """An annotation's value; a string compiled once however many classes write it."""
    if not isinstance(hint, str):
        return hint
    code = _COMPILED.get(hint)
    if code is None:
        code = _COMPILED[hint] = compile(hint, "<annotation>", "eval")
    return eval(code, where, local)  # noqa: S307 - annotations leadlife wrote
