"""Screening with respect: reasons from a taxonomy, review dates, mutual and told."""

from __future__ import annotations

from leadlife._core.public import publish
from leadlife._core.screening import Reason, Screening, unexplained
from leadlife._policies.review import ReviewAfter, ReviewPolicy

__all__ = [
    "Reason",
    "ReviewAfter",
    "ReviewPolicy",
    "Screening",
    "unexplained",
]

publish(__name__, globals(), __all__)
