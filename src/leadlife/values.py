"""Values records hold: JSON-safe maps, append-only logs, objections, what a merge changes."""

from __future__ import annotations

from leadlife._core.support.json import MAX_VALUE_DEPTH, JsonMap, JsonValue
from leadlife._core.support.log import Log
from leadlife._core.support.public import publish
from leadlife._core.values.merge import MergedFacts
from leadlife._core.values.objection import (
    Objection,
    ObjectionKind,
    ObjectionResponse,
    ObjectionStatus,
    ResponseTactic,
)

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
