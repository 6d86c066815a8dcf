"""The policy tests run on a fixed clock: a Monday morning that moves only when told."""

import pytest

from book import AT
from leadlife import FixedClock, Lifecycle


@pytest.fixture
def clock():
    return FixedClock(AT)


@pytest.fixture
def life(clock):
    return Lifecycle(clock=clock)
