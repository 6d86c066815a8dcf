"""Nurture programmes: gentle channels on a slower cadence, until the lead re-engages."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.nurture import Nurture, NurtureProgramme

__all__ = ["Nurture", "NurtureProgramme"]

publish(__name__, globals(), __all__)
