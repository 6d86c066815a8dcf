"""Versioned JSON documents, JSON Lines streams, and the converter behind them."""

from __future__ import annotations

from leadlife._adapters.converter import make_converter
from leadlife._adapters.documents import (
    SCHEMA_VERSION,
    dump,
    from_dict,
    from_json,
    load,
    to_dict,
    to_json,
)
from leadlife._core.support.json import MAX_DOCUMENT_DEPTH
from leadlife._core.support.public import publish

__all__ = [
    "MAX_DOCUMENT_DEPTH",
    "SCHEMA_VERSION",
    "dump",
    "from_dict",
    "from_json",
    "load",
    "make_converter",
    "to_dict",
    "to_json",
]

publish(__name__, globals(), __all__)
