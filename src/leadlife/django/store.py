"""The event store on a Django database connection, inside Django's transaction."""

from __future__ import annotations

from typing import Any

from django.db import connections

from leadlife._core.support.errors import ValidationError
from leadlife._funnel.base import Funnel
from leadlife._store import schema
from leadlife._store.base import EventStore
from leadlife._store.sqlite import SQLiteStore


def store_for(using: str = "default", *, funnel: type[Funnel] | None = None) -> EventStore:
    """The event store on Django's connection ``using``, inside its transaction.

    Its appends run on the connection Django's models use and never commit:
    use it inside ``transaction.atomic()``, and they commit or roll back with
    the block (PostgreSQL refuses a store outside one: there would be no
    transaction to join). SQLite, or PostgreSQL through psycopg 3.

    Raises:
        ValidationError: Another database, or PostgreSQL through psycopg2.
    """
    connection = connections[using]
    connection.ensure_connection()
    raw: Any = connection.connection
    if connection.vendor == "sqlite":
        return SQLiteStore.joining(raw, funnel=funnel)
    if connection.vendor == "postgresql" and type(raw).__module__.split(".")[0] == "psycopg":
        from leadlife._store.postgres import PostgresStore  # noqa: PLC0415 - the postgres extra

        return PostgresStore.joining(raw, funnel=funnel)
    raise ValidationError(
        owner="store_for",
        field="using",
        value=f"{using} ({connection.vendor})",
        expected="a database on SQLite, or on PostgreSQL through psycopg 3",
    )


def migrate_store(schema_editor: Any, to: int, *, back: bool = False) -> None:
    """Move the store's tables on a migration's connection to schema version ``to``.

    For the app's migrations (``0001`` makes version 1, ``0002`` moves it to
    2...): forward, it leaves tables at ``to`` or later as they are (a store
    opened before the migrations ran made the newest ones); ``back``, it
    takes tables later than ``to`` back to it.
    """
    connection = schema_editor.connection
    dialect: schema.Dialect = "sqlite" if connection.vendor == "sqlite" else "postgresql"

    def spelled(sql: str) -> str:  # Django's cursors spell parameters %s on every database
        return sql.replace("?", "%s")

    with connection.cursor() as cursor:
        at = schema.found_version(spelled, cursor, dialect) or 0
        if (back and at > to) or (not back and at < to):
            schema.migrate(spelled, cursor, dialect, to=to)
