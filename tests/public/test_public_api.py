"""The public surface: a small top level, public modules named for what they hold."""

import ast
import importlib
import inspect
import pickle
import pkgutil
import re
from pathlib import Path

import pytest

import leadlife
from leadlife.errors import TransitionRefusedError, ValidationError

ROOT = Path(__file__).parents[2]
PUBLIC_MODULES = (
    "accounts",
    "agenda",
    "analytics",
    "bulk",
    "charts",
    "crm",
    "django",
    "duplicates",
    "enrichment",
    "errors",
    "events",
    "followup",
    "funnels",
    "intake",
    "nurture",
    "plugins",
    "privacy",
    "predict",
    "prototype",
    "qualification",
    "recycling",
    "routing",
    "scoring",
    "screening",
    "serialization",
    "sla",
    "sqlalchemy",
    "store",
    "values",
)
MODULES = [leadlife] + [importlib.import_module(f"leadlife.{name}") for name in PUBLIC_MODULES]


def public_names():
    for module in MODULES:
        for name in module.__all__:
            yield module, name, getattr(module, name)


def test_all_names_exist():
    for module in MODULES:
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_the_top_level_holds_what_a_newcomer_needs():
    assert len(leadlife.__all__) <= 45
    for needed in ("Lead", "Lifecycle", "DefaultFunnel", "History", "replay", "LeadlifeError"):
        assert needed in leadlife.__all__


def test_every_module_behind_the_namespace_is_private_but_the_public_ones():
    for module in pkgutil.walk_packages(leadlife.__path__, "leadlife."):
        parts = module.name.split(".")[1:]
        if parts[0] == "testing":
            assert all(part.startswith("_") for part in parts[1:]), module.name
        else:
            assert parts[0].startswith("_") or parts[0] in PUBLIC_MODULES, module.name


def test_every_public_class_and_function_says_where_it_lives():
    for module, name, value in public_names():
        if inspect.isclass(value) or inspect.isfunction(value):
            home = value.__module__
            assert not home.startswith("leadlife._"), (module.__name__, name, home)
            assert getattr(importlib.import_module(home), name) is value


def test_tracebacks_and_pickles_name_the_public_module():
    assert TransitionRefusedError.__module__ == "leadlife.errors"
    error = ValidationError(owner="X", field="y", value=1, expected="z")
    assert type(pickle.loads(pickle.dumps(error))) is ValidationError  # noqa: S301 - our own bytes
    assert pickle.dumps(leadlife.Lead).find(b"leadlife._") == -1


def test_every_public_class_and_function_has_a_docstring():
    for _, name, value in public_names():
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and inspect.isfunction(member):
                    assert inspect.getdoc(member), f"{name}.{member_name}"


def test_every_public_class_and_function_shows_an_example():
    for _, name, value in public_names():
        if inspect.isclass(value) or inspect.isfunction(value):
            assert ">>>" in inspect.getdoc(value), name


def test_every_public_name_is_in_the_api_reference():
    reference = (ROOT / "docs" / "api.md").read_text()
    documented = set(re.findall(r"(leadlife(?:\.\w+)*)\.(\w+)", reference))
    # A module's re-export of a top-level name is documented at the top level.
    missing = [
        (module.__name__, name)
        for module in MODULES
        for name in module.__all__
        if name != "__version__"
        and (module.__name__, name) not in documented
        and ("leadlife", name) not in documented
    ]
    assert not missing


def test_every_public_module_has_a_docstring():
    for module in MODULES:
        assert inspect.getdoc(module), module.__name__


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("BANT", "leadlife.qualification"),
        ("ValidationError", "leadlife.errors"),
        ("make_converter", "leadlife.serialization"),  # a module imported on first use
    ],
)
def test_a_name_of_a_public_module_is_not_at_the_top_level_and_the_error_says_where(name, home):
    assert hasattr(importlib.import_module(home), name)
    with pytest.raises(AttributeError, match=rf"no attribute '{name}'; import it from {home}$"):
        getattr(leadlife, name)
    with pytest.raises(AttributeError, match=r"no attribute 'nothing'$"):
        _ = leadlife.nothing


def test_readme_starts_with_the_two_commands_and_ci_runs_the_same_tests():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+)\n```", readme)[:2]
    assert commands[0].endswith("python -m leadlife")
    assert "[test]" in commands[1]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()


def leadlife_imports(path):
    """The names a file imports from the top level: ``from leadlife import ...``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "leadlife":
            for alias in node.names:
                yield node.lineno, alias.name


def test_examples_and_the_plugin_import_only_what_the_top_level_holds():
    """Our code shows the current homes: a moved name warns, the plugin's pytest errors on it."""
    shown = sorted(ROOT.glob("examples/**/*.py")) + sorted(ROOT.glob("src/leadlife/*/**/*.py"))
    stale = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for path in shown
        for line, name in leadlife_imports(path)
        if name not in leadlife.__all__
    ]
    assert stale == []
