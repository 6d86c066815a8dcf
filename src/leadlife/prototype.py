"""Prototype a funnel before you run it (see :doc:`/prototype`).

The 8-4-2-1 rule's arithmetic (what a target takes, what a change of
ratio saves) and its sensitivity; the funnel as an absorbing Markov chain
(where journeys end, in how many moves, how long). Needs the ``analytics``
extra (numpy, and narwhals to read a book); ``import leadlife`` never
imports this module.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import numpy as np  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(package="numpy", extra="analytics", needed_by=__name__) from missing

from leadlife._core.support.public import publish
from leadlife._prototype.behaviour import Behaviour, Chase, Delay, Move
from leadlife._prototype.book_table import ACTOR
from leadlife._prototype.fit import fit_behaviour
from leadlife._prototype.forecast import QUANTILES, Forecast, forecast
from leadlife._prototype.markov import STALLED, Expectation, Expectations, MarkovChain, markov_chain
from leadlife._prototype.pipeline import OpenJourney, PipelineValue, pipeline_value
from leadlife._prototype.sensitivity import Sensitivity, Swing, sensitivity
from leadlife._prototype.simulate import SimulatedBook, simulate
from leadlife._prototype.tiers import Tier, TierModel, TierPlan
from leadlife._prototype.walk import Walk

__all__ = [
    "ACTOR",
    "QUANTILES",
    "STALLED",
    "Behaviour",
    "Chase",
    "Delay",
    "Expectation",
    "Expectations",
    "Forecast",
    "MarkovChain",
    "Move",
    "OpenJourney",
    "PipelineValue",
    "Sensitivity",
    "SimulatedBook",
    "Swing",
    "Tier",
    "TierModel",
    "TierPlan",
    "Walk",
    "fit_behaviour",
    "forecast",
    "markov_chain",
    "pipeline_value",
    "sensitivity",
    "simulate",
]

publish(__name__, globals(), __all__)
