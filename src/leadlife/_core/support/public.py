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
from types import FunctionType
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
    if attrs.has(cls):
        attrs.resolve_types(cls)
    own = inspect.get_annotations(cls)
    if not any(isinstance(hint, str) for hint in own.values()):
        return
    where = vars(sys.modules[cls.__module__])
    resolved = {}
    for key, hint in own.items():
        try:
            # The class's own annotations only: its bases (python-statemachine's)
            # may name types that exist only for type checkers.
            resolved[key] = eval(hint, where, dict(vars(cls))) if isinstance(hint, str) else hint  # noqa: S307 - annotations leadlife wrote
        except NameError:
            resolved[key] = hint
    cls.__annotations__ = resolved
