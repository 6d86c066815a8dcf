"""Values records hold: JSON-safe maps, append-only logs, objections, what a merge changes."""

from __future__ import annotations

from leadlife._core.json import MAX_VALUE_DEPTH, JsonMap, JsonValue
from leadlife._core.log import Log
from leadlife._core.merge import MergedFacts
from leadlife._core.objection import (
    Objection,
    ObjectionKind,
    ObjectionResponse,
    ObjectionStatus,
    ResponseTactic,
)
from leadlife._core.public import publish

__all__ = [
    "MAX_VALUE_DEPTH",
    "JsonMap",
    "JsonValue",
    "Log",
    "MergedFacts",
    "Objection",
    "ObjectionKind",
    "ObjectionResponse",
    "ObjectionStatus",
    "ResponseTactic",
]

publish(__name__, globals(), __all__)
