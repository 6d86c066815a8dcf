"""leadlife in an SQLAlchemy 2.0 app (see :doc:`/sqlalchemy`).

Needs the ``sqlalchemy`` extra (``pip install "leadlife[sqlalchemy]"``:
SQLAlchemy, and Alembic for migrations). :class:`FunnelRow` gives your
declarative class a stage and an optimistic lock; :class:`Moves` (and
:class:`AsyncMoves` for an ``AsyncSession``) moves its rows and stores each
move's event in the session's own transaction; :func:`store_on` is the event
store over an engine's connection; :func:`store_metadata`, :func:`upgrade`
and :func:`downgrade` put the store's tables into Alembic's migrations.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import sqlalchemy  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(
        package="sqlalchemy", extra="sqlalchemy", needed_by=__name__
    ) from missing

from leadlife._apps.alchemy.moves import AsyncMoves, Moves, RecordIdOf, store_on
from leadlife._apps.alchemy.rows import FunnelRow
from leadlife._apps.alchemy.tables import TABLES, downgrade, store_metadata, upgrade
from leadlife._core.support.public import publish

__all__ = [
    "TABLES",
    "AsyncMoves",
    "FunnelRow",
    "Moves",
    "RecordIdOf",
    "downgrade",
    "store_metadata",
    "store_on",
    "upgrade",
]

publish(__name__, globals(), __all__)
