"""leadlife's pytest plugin: fixtures for tests of code that uses leadlife.

A tiny shim, registered under ``pytest11``: pytest imports it at start-up, so
it imports nothing of leadlife until a fixture is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from leadlife import FixedClock, Lifecycle
    from leadlife.plugins import Registry


@pytest.fixture
def leadlife_clock() -> FixedClock:
    """A clock fixed at Monday 2026-01-05 09:00 UTC; advance it with ``.advance()``."""
    from datetime import UTC, datetime  # noqa: PLC0415 - lazy, see the module docstring

    from leadlife import FixedClock  # noqa: PLC0415

    return FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC))


@pytest.fixture
def leadlife_registry() -> Registry:
    """A fresh registry: built-ins and installed plugins, nothing registered yet."""
    from leadlife.plugins import Registry  # noqa: PLC0415

    return Registry()


@pytest.fixture
def leadlife_funnel() -> Any:
    """The default funnel class."""
    from leadlife import DefaultFunnel  # noqa: PLC0415

    return DefaultFunnel


@pytest.fixture
def leadlife_lifecycle(
    leadlife_funnel: Any, leadlife_clock: FixedClock, leadlife_registry: Registry
) -> Lifecycle:
    """A lifecycle on the default funnel, the fixed clock and the fresh registry."""
    from leadlife import Lifecycle  # noqa: PLC0415

    return Lifecycle(leadlife_funnel, clock=leadlife_clock, registry=leadlife_registry)
