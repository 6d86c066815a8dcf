"""Screening with respect (reasons, review dates, mutual and told), and why deals are won."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._core.values.screening import (
    ChurnReason,
    Reason,
    RejectReason,
    Screening,
    Win,
    WinReason,
    unexplained,
)
from leadlife._policies.review import ReviewAfter, ReviewPolicy

__all__ = [
    "ChurnReason",
    "Reason",
    "RejectReason",
    "ReviewAfter",
    "ReviewPolicy",
    "Screening",
    "Win",
    "WinReason",
    "unexplained",
]

publish(__name__, globals(), __all__)
