"""Every error leadlife raises on purpose; all derive from :class:`~leadlife.LeadlifeError`."""

from __future__ import annotations

from leadlife._core.errors import (
    ConcurrencyError,
    ConversionError,
    CriterionError,
    CurrencyMismatchError,
    FunnelDefinitionError,
    FunnelError,
    HistoryError,
    InsufficientEvidenceError,
    LeadlifeError,
    MissingExtraError,
    NotQualifiedError,
    NotSerializableError,
    PluginConflictError,
    PluginError,
    QualificationError,
    ReplayError,
    SchemaVersionError,
    SerializationError,
    StoreError,
    StructureError,
    TouchRefusedError,
    TransitionRefusedError,
    UnknownEventError,
    UnknownKeyError,
    UnknownStageError,
    ValidationError,
)
from leadlife._core.public import publish

__all__ = [
    "ConcurrencyError",
    "ConversionError",
    "CriterionError",
    "CurrencyMismatchError",
    "FunnelDefinitionError",
    "FunnelError",
    "HistoryError",
    "InsufficientEvidenceError",
    "LeadlifeError",
    "MissingExtraError",
    "NotQualifiedError",
    "NotSerializableError",
    "PluginConflictError",
    "PluginError",
    "QualificationError",
    "ReplayError",
    "SchemaVersionError",
    "SerializationError",
    "StoreError",
    "StructureError",
    "TouchRefusedError",
    "TransitionRefusedError",
    "UnknownEventError",
    "UnknownKeyError",
    "UnknownStageError",
    "ValidationError",
]

publish(__name__, globals(), __all__)
