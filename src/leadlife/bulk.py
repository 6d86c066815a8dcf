"""Books of millions: funnels checked and replayed column by column (see :doc:`/millions`).

Needs the ``analytics`` extra (``pip install "leadlife[analytics]"``: numpy and
pyarrow); ``import leadlife`` never imports this module.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import numpy as np  # noqa: F401 - checked here, so the error names the extra
    import pyarrow as pa  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(
        package=missing.name or "numpy", extra="analytics", needed_by=__name__
    ) from missing

from leadlife._bulk.moves import MAX_DENSE_GUARDS, MoveCheck, Refusal, check_moves
from leadlife._core.support.public import publish

__all__ = ["MAX_DENSE_GUARDS", "MoveCheck", "Refusal", "check_moves"]

publish(__name__, globals(), __all__)
