"""Recycling rules: stalled and lost records come back, not dropped."""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._policies.recycling import (
    ChurnedToWinBack,
    IdleDealToNurture,
    LostToNurture,
    RecyclingRule,
    ReengagedToSalesReady,
    ReviewDue,
    UnacceptedToMarketing,
)

__all__ = [
    "ChurnedToWinBack",
    "IdleDealToNurture",
    "LostToNurture",
    "RecyclingRule",
    "ReengagedToSalesReady",
    "ReviewDue",
    "UnacceptedToMarketing",
]

publish(__name__, globals(), __all__)
