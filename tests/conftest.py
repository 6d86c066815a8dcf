"""Shared fixtures and the Hypothesis profiles."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings

from leadlife import Contact, History, Lead, LeadId, Lifecycle, Source, SteppingClock

# "dev" (the default, 30 examples) is the fast tier's depth: the README's command runs in minutes.
# "ci" replays the same examples on every run, three times as deep (100 examples: .ci/run
# runs both tiers under it within its 30 minutes): a red build is reproducible. "fast" is
# for a quick local loop; "soak" runs the property suites a few thousand examples deep
# before a release (HYPOTHESIS_PROFILE=soak pytest tests/properties); "thorough" is for
# the loader fuzz's 20,000 examples.
settings.register_profile("dev", deadline=None, max_examples=30)
settings.register_profile("fast", deadline=None, max_examples=10)
settings.register_profile(
    "soak",
    deadline=None,
    max_examples=3_000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=20_000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=100,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The analytics tests' engines and books (tests/engines.py).
pytest_plugins = ["engines"]

# Parameters that put a test on a heavy part: the engine or store it runs on.
_HEAVY = {"pyspark": "spark", "postgres": "postgres"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests on heavy parts (PySpark, PostgreSQL, notebooks) as such, and as slow.

    Found by what they use, so a new test on PySpark or PostgreSQL joins the slow tier
    without anyone remembering to mark it.
    """
    for item in items:
        callspec = getattr(item, "callspec", None)
        values = {v for v in callspec.params.values() if isinstance(v, str)} if callspec else set()
        fixtures = set(getattr(item, "fixturenames", ()))
        heavy = {mark for value, mark in _HEAVY.items() if value in values}
        if "spark" in fixtures:
            heavy.add("spark")
        if fixtures & {"postgres_server", "postgres_database"}:
            heavy.add("postgres")
        if item.path.name == "test_notebook.py":
            heavy.add("notebook")
        for mark in sorted(heavy):
            item.add_marker(mark)
        if heavy:
            item.add_marker("slow")


START = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def clock() -> SteppingClock:
    """A clock one hour further on each time it is read."""
    return SteppingClock(start=START, step=timedelta(hours=1))


@pytest.fixture
def life(clock: SteppingClock) -> Lifecycle:
    """A lifecycle on the default funnel and the stepping clock."""
    return Lifecycle(clock=clock)


@pytest.fixture
def lead_history(life: Lifecycle) -> History[Lead]:
    """A freshly captured suspect."""
    return life.capture(
        id=LeadId("L-1"),
        contact=Contact(name="Ada Lovelace", email="ada@example.com"),
        source=Source(channel="web", campaign="spring"),
        actor="web-form",
    )
