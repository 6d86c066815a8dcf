"""Event stores: histories kept append-only, with optimistic concurrency (see :doc:`/store`).

Their errors live with the others: :class:`~leadlife.errors.ConcurrencyError`
and :class:`~leadlife.errors.StoreError`.

:class:`SQLiteStore` needs nothing beyond the standard library.
:class:`PostgresStore` needs the ``postgres`` extra (``pip install
"leadlife[postgres]"``: psycopg 3), imported only when it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leadlife._core.support.public import publish
from leadlife._store.base import EventStore
from leadlife._store.keys import KeyedAppend
from leadlife._store.migrate import migrate
from leadlife._store.reads import StoredEvent
from leadlife._store.rows import BATCH
from leadlife._store.schema import SCHEMA_VERSION, Migration
from leadlife._store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from leadlife._store.postgres import PostgresStore

__all__ = [
    "BATCH",
    "SCHEMA_VERSION",
    "EventStore",
    "KeyedAppend",
    "Migration",
    "PostgresStore",
    "SQLiteStore",
    "StoredEvent",
    "migrate",
]


def __getattr__(name: str) -> Any:
    # psycopg is imported only by those who use PostgreSQL.
    if name == "PostgresStore":
        from leadlife._store.postgres import PostgresStore  # noqa: PLC0415

        return PostgresStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


publish(__name__, globals(), [name for name in __all__ if name != "PostgresStore"])
