"""The public surface: one namespace, every name documented."""

import inspect
import pkgutil
import re
from pathlib import Path

import leadlife

ROOT = Path(__file__).parents[2]


def test_all_names_exist():
    for name in leadlife.__all__:
        assert hasattr(leadlife, name), name


def test_every_module_behind_the_namespace_is_private_but_the_test_kit():
    for module in pkgutil.walk_packages(leadlife.__path__, "leadlife."):
        parts = module.name.split(".")[1:]
        assert parts[0].startswith("_") or parts[0] == "testing", module.name
        if parts[0] == "testing":
            assert all(part.startswith("_") for part in parts[1:]), module.name


def test_every_public_class_and_function_has_a_docstring():
    for name in leadlife.__all__:
        value = getattr(leadlife, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), name
            for member_name, member in vars(value).items():
                if not member_name.startswith("_") and inspect.isfunction(member):
                    assert inspect.getdoc(member), f"{name}.{member_name}"


def test_every_public_class_and_function_shows_an_example():
    for name in leadlife.__all__:
        value = getattr(leadlife, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert ">>>" in inspect.getdoc(value), name


def test_every_public_name_is_in_the_api_reference():
    reference = (ROOT / "docs" / "api.md").read_text()
    documented = set(re.findall(r"leadlife\.(\w+)", reference))
    missing = set(leadlife.__all__) - documented - {"__version__"}
    assert not missing


def test_readme_starts_with_the_two_commands_and_ci_runs_the_same_tests():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```sh\n(.+)\n```", readme)[:2]
    assert commands[0].endswith("python -m leadlife")
    assert "[test]" in commands[1]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
