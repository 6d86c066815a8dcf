"""Shared fixtures and the Hypothesis profiles."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings

from leadlife import Contact, History, Lead, LeadId, Lifecycle, Source, SteppingClock

# "ci" replays the same examples on every run: a red build is reproducible.
# "fast" is for a quick local loop; "soak" runs the property suites a few
# thousand examples deep before a release (HYPOTHESIS_PROFILE=soak pytest
# tests/properties); "thorough" is for the loader fuzz's 20,000 examples.
settings.register_profile("dev", deadline=None, max_examples=100)
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
    max_examples=200,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The analytics tests' engines and books (tests/engines.py).
pytest_plugins = ["engines"]

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
