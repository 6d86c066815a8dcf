"""Nurture programmes: gentle channels on a slower cadence, until the lead re-engages."""

from __future__ import annotations

from leadlife._core.nurture import Nurture, NurtureProgramme
from leadlife._core.public import publish

__all__ = ["Nurture", "NurtureProgramme"]

publish(__name__, globals(), __all__)
