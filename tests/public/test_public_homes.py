"""Every public name reports its public module, whatever was imported first."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from collections import defaultdict

import pytest

# The public modules `import leadlife` does not import, and a private module behind each:
# imported first, in a fresh interpreter, it must bring its names' public home with it.
LAZY = {
    "leadlife.agenda": "leadlife._policies.agenda",
    "leadlife.analytics": "leadlife._analytics.stays",
    "leadlife.bulk": "leadlife._bulk.moves",
    "leadlife.crm": "leadlife._crm.mappings",
    "leadlife.duplicates": "leadlife._duplicates",
    "leadlife.plugins": "leadlife._policies.registry",
    "leadlife.predict": "leadlife._predict.estimators",
    "leadlife.prototype": "leadlife._prototype.markov",
    "leadlife.routing": "leadlife._policies.routing.policies",
    "leadlife.scoring": "leadlife._policies.scoring.rules",
    "leadlife.serialization": "leadlife._adapters.converter",
    "leadlife.store": "leadlife._store.base",
}

CHECK = """
import importlib, inspect, sys
importlib.import_module({private!r})
assert {public!r} in sys.modules, "the private package did not bring its public home"
public = sys.modules[{public!r}]
wrong = [
    (name, value.__module__)
    for name in public.__all__
    if (inspect.isclass(value := getattr(public, name)) or inspect.isfunction(value))
    and value.__module__.startswith("leadlife._")
]
print(wrong)
"""


@pytest.mark.parametrize("public", sorted(LAZY))
def test_names_have_their_public_home_when_a_private_module_is_imported_first(public):
    code = CHECK.format(private=LAZY[public], public=public)
    done = subprocess.run(  # noqa: S603 - our own code, in a fresh interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_no_object_is_published_by_two_public_modules():
    # One home per object: were two public modules to export it, the first imported would win.
    homes: dict[int, set[str]] = defaultdict(set)
    named: dict[int, str] = {}
    for module in (*LAZY, "leadlife.agenda", "leadlife.errors", "leadlife.events"):
        public = importlib.import_module(module)
        for name in public.__all__:
            value = getattr(public, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                homes[id(value)].add(module)
                named[id(value)] = name
    assert {named[key]: sorted(found) for key, found in homes.items() if len(found) > 1} == {}


DEFERRED = """
import sys
import leadlife
print(sorted(name for name in {names!r} if name in sys.modules))
leadlife.serialization.make_converter()
print("leadlife.serialization" in sys.modules, "cattrs" in sys.modules)
"""


def test_import_leadlife_leaves_what_only_some_uses_need_for_later():
    # cattrs (and the converter) come with the first document read or written, or with
    # leadlife.serialization; importlib.metadata with the first look for installed plugins.
    # The agenda, the plugins' registry, scoring and routing come with their first use.
    deferred = ("cattrs", "importlib.metadata", "leadlife.serialization", "leadlife.agenda")
    deferred += ("leadlife.plugins", "leadlife._policies.registry", "leadlife.scoring")
    code = DEFERRED.format(names=(*deferred, "leadlife.routing"))
    done = subprocess.run(  # noqa: S603 - our own code, in a fresh interpreter
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]
