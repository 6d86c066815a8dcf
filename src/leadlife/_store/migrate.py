"""A store's database moved to the schema version leadlife reads: ``leadlife store migrate``."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from leadlife._core.support.errors import StoreError, ValidationError
from leadlife._store import schema
from leadlife._store.schema import Migration

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_KEYWORDS = re.compile(r"\s*(\w+\s*=\s*\S+\s*)*\b(dbname|host)\s*=\s*\S+.*")


def is_postgres(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database (a URI, or libpq's ``key=value`` string)."""
    return target.startswith(POSTGRES_SCHEMES) or (
        _KEYWORDS.fullmatch(target) is not None and not Path(target).exists()
    )


def migrate(target: str | Path, *, to: int | None = None, dry_run: bool = False) -> Migration:
    """Move the store's tables in ``target`` to schema version ``to`` (the newest by default).

    ``target`` is an SQLite file, or a PostgreSQL database (a URI,
    ``postgresql://...``, or libpq's ``host=... dbname=...``; with the
    ``postgres`` extra). Every statement runs in one transaction that keeps
    appends out until it commits (SQLite's write lock; on PostgreSQL the
    events table locked against writes): a migration is whole or not at all,
    and no append runs beside it. A database at ``to`` is left as it is, so running
    it twice is harmless; one without a store's tables gets them. Going back
    (``to`` below the version found) drops what the later versions added
    (version 2's idempotency keys); every event stays.

    Args:
        target: The database.
        to: The schema version to move to (from 1 to
            :data:`~leadlife.store.SCHEMA_VERSION`).
        dry_run: Say what would run, and run nothing.

    Returns:
        What was found, what it is now, and the statements run.

    Raises:
        StoreError: The file is missing or no database, the server cannot be
            reached, or the tables are newer than this leadlife knows.
        ValidationError: ``to`` is not a version this leadlife knows.

    Example:
        >>> import sqlite3, tempfile, pathlib
        >>> from leadlife.store import SCHEMA_VERSION, migrate
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "leads.db"
        >>> sqlite3.connect(path).close()  # an empty database
        >>> migrate(path).to == SCHEMA_VERSION
        True
        >>> print(migrate(path))
        the store is at schema version 2: nothing to do
    """
    given: object = target
    if not isinstance(given, str | Path) or not str(given).strip():
        raise ValidationError(
            owner="migrate",
            field="target",
            value=target,
            expected="an SQLite file's path or a postgresql:// URI",
        )
    if isinstance(target, str) and is_postgres(target):
        return _postgres(target, to, dry_run=dry_run)
    return _sqlite(Path(target), to, dry_run=dry_run)


def _sqlite(path: Path, to: int | None, *, dry_run: bool) -> Migration:
    if not path.is_file():
        raise StoreError(f"{path}: no such database file (a store is made by opening it)")
    try:
        connection = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as error:  # pragma: no cover - the file exists; SQLite opens lazily
        raise StoreError(f"{path}: {error}") from error
    try:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")  # the lock every append takes
        try:
            done = schema.migrate(str, cursor, "sqlite", to=to, dry_run=dry_run)
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")
    except sqlite3.Error as error:
        raise StoreError(f"{path} cannot be migrated: {error}") from error
    finally:
        connection.close()
    return done


def _postgres(conninfo: str, to: int | None, *, dry_run: bool) -> Migration:
    # The postgres extra: without psycopg, importing the backend says which extra to install.
    from leadlife._store.postgres import SETTING_UP, where  # noqa: PLC0415, I001

    import psycopg  # noqa: PLC0415

    def spelled(statement: str) -> str:
        return statement.replace("?", "%s")

    try:
        with psycopg.connect(conninfo) as connection, connection.cursor() as cursor:
            # Two migrations, or a migration and a store making the tables, take turns;
            # the position row's lock keeps appends out until this one commits.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SETTING_UP,))
            if schema.found_version(spelled, cursor, "postgresql") is not None:
                cursor.execute("LOCK TABLE leadlife_events IN EXCLUSIVE MODE")
            return schema.migrate(spelled, cursor, "postgresql", to=to, dry_run=dry_run)
    except psycopg.Error as error:
        raise StoreError(f"PostgreSQL at {where(conninfo)} cannot be migrated: {error}") from error
