"""Prototype a funnel before you run it (see :doc:`/prototype`).

Seed 000's tier arithmetic (8-4-2-1: what a target takes, what a change of
ratio saves) and its sensitivity. Pure Python: ``import leadlife`` never
imports this module, and it needs no extra.
"""

from __future__ import annotations

from leadlife._core.public import publish
from leadlife._prototype.sensitivity import Sensitivity, Swing, sensitivity
from leadlife._prototype.tiers import Tier, TierModel, TierPlan

__all__ = ["Sensitivity", "Swing", "Tier", "TierModel", "TierPlan", "sensitivity"]

publish(__name__, globals(), __all__)
