"""The examples in the methods of public classes run too.

pytest's doctest collection reads a module's own objects: a class published
from a private module (``__module__`` set to the public one) is skipped in
the private module, and its methods (whose ``__module__`` is still the
private one) are skipped in the public module. So a method's example would
never run. This runs each of them, as a test of its own.
"""

from __future__ import annotations

import doctest
import inspect

import pytest
from test_public_api import MODULES


def _examples() -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(recurse=False)
    seen: set[type] = set()
    found = []
    for module in MODULES:
        for name in module.__all__:
            cls = getattr(module, name)
            if not isinstance(cls, type) or cls in seen:
                continue
            seen.add(cls)
            for attr, value in vars(cls).items():
                func = value.fget if isinstance(value, property) else value
                func = getattr(func, "__func__", func)
                if (
                    inspect.isfunction(func)
                    and (func.__module__ or "").startswith("leadlife._")  # the collection skips it
                    and ">>>" in (func.__doc__ or "")
                ):
                    found += finder.find(func, f"{cls.__module__}.{cls.__name__}.{attr}", globs={})
    return found


EXAMPLES = _examples()


def test_there_are_method_examples_to_run():
    assert len(EXAMPLES) >= 20  # the collection must not come back empty


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.name for example in EXAMPLES])
def test_a_method_example_runs(example: doctest.DocTest):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    said: list[str] = []
    result = runner.run(example, out=said.append)
    assert result.failed == 0, "".join(said)
