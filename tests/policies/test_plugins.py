"""Plugins by entry point: found lazily, failing alone, clashing loudly."""

from importlib import metadata
from textwrap import dedent

import pytest

from leadlife import LeadlifeError
from leadlife._policies import registry as registry_module
from leadlife._policies.criteria import BUILT_IN_CRITERIA
from leadlife._policies.frameworks import BUILT_IN_FRAMEWORKS
from leadlife.errors import PluginConflictError, PluginError, UnknownKeyError
from leadlife.plugins import Registry, default_registry, installed_plugins
from leadlife.qualification import BANT

GOOD = dedent(
    """
    from leadlife.qualification import Judgement, criterion

    @criterion(key="gdpr", question="May we lawfully contact them?")
    def GDPR(evidence, at):
        return Judgement.unknown("gdpr", "nobody asked")

    NOT_A_CRITERION = object()

    @criterion(key="other_key", question="Whose key is it?")
    def WRONG_KEY(evidence, at):
        return Judgement.unknown("other_key", "nobody asked")
    """
)


@pytest.fixture
def install(tmp_path, monkeypatch):
    """Install a fake distribution: a dist-info folder and modules on sys.path."""

    def make(distribution, entry_points, modules=None):
        for name, source in (modules or {}).items():
            (tmp_path / f"{name}.py").write_text(source)
        info = tmp_path / f"{distribution.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n"
        )
        lines = []
        for group, names in entry_points.items():
            lines.append(f"[{group}]")
            lines += [f"{name} = {value}" for name, value in names.items()]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n")
        monkeypatch.syspath_prepend(str(tmp_path))
        registry_module._entry_points.cache_clear()

    yield make
    registry_module._entry_points.cache_clear()


def test_an_installed_criterion_is_found_and_listed(install):
    install(
        "gdpr-plugin", {"leadlife.criteria": {"gdpr": "gdpr_plugin:GDPR"}}, {"gdpr_plugin": GOOD}
    )
    registry = Registry(autoload=True)
    assert registry.criterion("gdpr").question == "May we lawfully contact them?"
    assert "gdpr" in registry.criteria()
    listed = [p for p in registry.installed() if p.name == "gdpr"]
    assert [(p.group, p.distribution, p.value) for p in listed] == [
        ("leadlife.criteria", "gdpr-plugin", "gdpr_plugin:GDPR")
    ]


def test_a_plugin_that_fails_to_import_names_its_distribution_and_breaks_nothing_else(install):
    install(
        "broken-plugin",
        {"leadlife.criteria": {"broken": "broken_plugin:CRITERION"}},
        {"broken_plugin": "raise RuntimeError('boom')\n"},
    )
    registry = Registry(autoload=True)
    with pytest.raises(PluginError) as caught:
        registry.criterion("broken")
    error = caught.value
    assert (error.group, error.name, error.distribution) == (
        "leadlife.criteria",
        "broken",
        "broken-plugin",
    )
    assert "RuntimeError: boom" in error.problem
    assert isinstance(error, LeadlifeError)
    assert registry.criterion("budget") is BUILT_IN_CRITERIA[0]
    assert any(p.name == "broken" for p in registry.installed())  # listed without importing
    with pytest.raises(PluginError) as again:
        registry.criterion("broken")
    assert again.value is error  # remembered, not imported twice


def test_a_plugin_that_exits_at_import_is_a_failed_plugin_not_the_end_of_the_program(install):
    install(
        "exiting-plugin",
        {"leadlife.criteria": {"exits": "exiting_plugin:CRITERION"}},
        {
            "exiting_plugin": "import sys\nIMPORTS = getattr(sys, 'exits_imported', 0) + 1\n"
            "sys.exits_imported = IMPORTS\nsys.exit(3)\n"
        },
    )
    import sys  # noqa: PLC0415

    registry = Registry(autoload=True)
    for _ in range(3):
        with pytest.raises(PluginError, match="SystemExit: 3"):
            registry.criterion("exits")
    assert sys.exits_imported == 1  # remembered as failed, not imported on every call
    del sys.exits_imported


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("gdpr_plugin:NOT_A_CRITERION", "is not a Criterion whose key is 'gdpr'"),
        ("gdpr_plugin:WRONG_KEY", "is not a Criterion whose key is 'gdpr'"),
    ],
)
def test_a_plugin_that_is_not_what_it_claims_is_refused(install, value, problem):
    install("odd-plugin", {"leadlife.criteria": {"gdpr": value}}, {"gdpr_plugin": GOOD})
    with pytest.raises(PluginError, match=problem) as caught:
        Registry(autoload=True).criterion("gdpr")
    assert caught.value.distribution == "odd-plugin"


def test_a_framework_plugin_must_be_a_framework(install):
    install(
        "odd-plugin", {"leadlife.frameworks": {"gdpr": "gdpr_plugin:GDPR"}}, {"gdpr_plugin": GOOD}
    )
    with pytest.raises(PluginError, match="is not a Framework"):
        Registry(autoload=True).framework("gdpr")


def test_two_distributions_claiming_one_name_are_named_together(install):
    install(
        "first-plugin", {"leadlife.criteria": {"gdpr": "gdpr_plugin:GDPR"}}, {"gdpr_plugin": GOOD}
    )
    install("second-plugin", {"leadlife.criteria": {"gdpr": "gdpr_plugin:GDPR"}})
    with pytest.raises(PluginConflictError) as caught:
        Registry(autoload=True).criterion("gdpr")
    assert caught.value.distributions == ("first-plugin", "second-plugin")
    assert "'first-plugin' and 'second-plugin'" in str(caught.value)


def test_a_distribution_with_broken_metadata_is_still_named(install, tmp_path):
    install(
        "nameless", {"leadlife.criteria": {"budget": "gdpr_plugin:GDPR"}}, {"gdpr_plugin": GOOD}
    )
    (tmp_path / "nameless-1.0.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\n")
    registry_module._entry_points.cache_clear()
    with pytest.raises(PluginConflictError) as caught:
        Registry(autoload=True).criterion("budget")
    assert caught.value.distributions == ("an unknown distribution", "leadlife")


def test_a_plugin_claiming_a_built_in_name_clashes_with_leadlife(install):
    install(
        "greedy-plugin",
        {"leadlife.criteria": {"budget": "gdpr_plugin:GDPR"}},
        {"gdpr_plugin": GOOD},
    )
    with pytest.raises(PluginConflictError) as caught:
        Registry(autoload=True).criterion("budget")
    assert caught.value.distributions == ("greedy-plugin", "leadlife")


def test_explicit_registration_wins_over_a_clash(install):
    install(
        "greedy-plugin",
        {"leadlife.frameworks": {"bant": "gdpr_plugin:GDPR"}},
        {"gdpr_plugin": GOOD},
    )
    registry = Registry(autoload=True)
    registry.register_framework(BANT)
    assert registry.framework("bant") is BANT


def test_the_switch_turns_autoloading_off(install, monkeypatch):
    install(
        "gdpr-plugin", {"leadlife.criteria": {"gdpr": "gdpr_plugin:GDPR"}}, {"gdpr_plugin": GOOD}
    )
    monkeypatch.setenv("LEADLIFE_NO_PLUGINS", "1")
    registry = Registry()
    assert not registry.autoload
    with pytest.raises(UnknownKeyError):
        registry.criterion("gdpr")
    assert registry.framework("bant") is BANT
    assert all(p.distribution == "leadlife" for p in registry.installed())
    monkeypatch.setenv("LEADLIFE_NO_PLUGINS", "0")
    assert Registry().autoload


def test_explicit_registration_needs_a_valid_item_and_says_when_it_replaces():
    registry = Registry(autoload=False)
    with pytest.raises(PluginError, match="is not a Criterion"):
        registry.register_criterion(object())  # type: ignore[arg-type]
    registry.register_framework(BANT)
    with pytest.raises(PluginConflictError, match="'bant'"):
        registry.register_framework(BANT)
    registry.register_framework(BANT, replace=True)
    assert registry.frameworks().count("bant") == 1
    assert [p.distribution for p in registry.installed() if p.name == "bant"] == [
        "leadlife",
        "registered explicitly",
    ]


def test_an_unknown_key_lists_the_known_ones():
    with pytest.raises(UnknownKeyError) as caught:
        Registry(autoload=False).criterion("spin")
    assert caught.value.kind == "Criterion"
    assert "budget" in caught.value.known
    assert str(caught.value).startswith("no Criterion has the key 'spin'")
    assert isinstance(caught.value, KeyError)


def test_the_built_ins_are_declared_once_in_code_not_again_as_entry_points():
    groups = ("leadlife.criteria", "leadlife.frameworks", "leadlife.recycling")
    for group in groups:
        own = [
            ep
            for ep in metadata.entry_points(group=group)
            if ep.dist and ep.dist.name == "leadlife"
        ]
        assert own == [], group
    listed = {
        (p.group, p.name)
        for p in Registry(autoload=False).installed()
        if p.distribution == "leadlife"
    }
    assert {("leadlife.criteria", c.key) for c in BUILT_IN_CRITERIA} <= listed
    assert {("leadlife.frameworks", f.key) for f in BUILT_IN_FRAMEWORKS} <= listed


def test_the_default_registry_is_made_once():
    assert default_registry() is default_registry()
    assert {"bant", "meddpicc"} <= {p.name for p in installed_plugins()}
