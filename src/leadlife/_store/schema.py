"""The store's tables, version by version, and the steps that move a database from one to the next.

Version 1 made the events table, the meta table that holds the schema version,
and on PostgreSQL the position row the appends lock. Version 2 adds the
table of idempotency keys (an append made with a key is written once, however
often it is retried). Each version's statements are kept here as they were
shipped: a new store is made by running them all in order, and an older one is
brought forward by running those it lacks (``leadlife store migrate``), so a
database made either way holds the same tables.

A store opens only tables of its own version: older ones are refused with the
command that moves them forward (a schema changes when somebody says so, not
when a store happens to open it), newer ones with the version this leadlife
reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

import attrs

from leadlife._core.support.errors import StoreError, ValidationError

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: Final = ("sqlite", "postgresql")

_EVENTS = """CREATE TABLE IF NOT EXISTS leadlife_events (
        position {position} PRIMARY KEY,
        record_kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        event_type TEXT NOT NULL,
        at {at} NOT NULL,
        document TEXT NOT NULL,
        UNIQUE (record_kind, record_id, version)
    )"""
_META = "CREATE TABLE IF NOT EXISTS leadlife_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"

_KEYS = """CREATE TABLE IF NOT EXISTS leadlife_keys (
        key TEXT NOT NULL PRIMARY KEY,
        record_kind TEXT NOT NULL,
        record_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 0)
    )"""

UP: Final[Mapping[int, Mapping[Dialect, tuple[str, ...]]]] = {
    1: {
        "sqlite": (_EVENTS.format(position="INTEGER", at="TEXT"), _META),
        "postgresql": (
            _EVENTS.format(position="BIGINT", at="TIMESTAMPTZ"),
            _META,
            # One row, locked by every append until it commits: positions are handed out
            # gap-free and in commit order (a sequence would leave gaps on rollback, and a
            # later position could commit before an earlier one).
            (
                "CREATE TABLE IF NOT EXISTS leadlife_position "
                "(id INTEGER PRIMARY KEY, last BIGINT NOT NULL)"
            ),
            "INSERT INTO leadlife_position (id, last) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        ),
    },
    2: {"sqlite": (_KEYS,), "postgresql": (_KEYS,)},
}
"""What each version adds to the one before, as each database spells it."""

DOWN: Final[Mapping[int, tuple[str, ...]]] = {
    2: ("DROP TABLE IF EXISTS leadlife_keys",),
}
"""What takes each version back to the one before (version 1 back to nothing: drop every table)."""

SCHEMA_VERSION: Final = max(UP)
"""The version of the store's tables this leadlife makes and reads."""

TABLES: Final = ("leadlife_events", "leadlife_meta", "leadlife_position", "leadlife_keys")
"""Every table a store may make (``leadlife_position`` on PostgreSQL only)."""

_VERSION_KEY = "schema_version"
_HAS_META: Final[Mapping[Dialect, str]] = {
    "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'leadlife_meta'",
    "postgresql": "SELECT count(to_regclass('leadlife_meta'))",
}
_READ = "SELECT value FROM leadlife_meta WHERE key = ?"
_LAST_THINKABLE = 10_000  # a meta value past it was not written by a store


@attrs.frozen(kw_only=True)
class Migration:
    """What moving a store's tables from one schema version to another did, or would do.

    Attributes:
        found: The version the database held (``None``: it held no store's tables).
        to: The version it holds after (or would, for a dry run).
        statements: The SQL run (or to run), in order; empty if the store was at ``to``.
        applied: Whether the statements were run and committed (``False`` for a dry run).

    Example:
        >>> from leadlife.store import Migration
        >>> Migration(found=1, to=2, statements=("CREATE TABLE ...",), applied=False)
        Migration(found=1, to=2, statements=('CREATE TABLE ...',), applied=False)
    """

    found: int | None
    to: int
    statements: tuple[str, ...]
    applied: bool

    def __str__(self) -> str:
        """The migration in a line, as the command prints it."""
        done = "" if self.applied or not self.statements else " (dry run: nothing changed)"
        if not self.statements:
            return f"the store is at schema version {self.to}: nothing to do"
        was = "no store" if self.found is None else f"schema version {self.found}"
        return f"{was} -> schema version {self.to}: {len(self.statements)} statements{done}"


def found_version(sql: Callable[[str], str], cursor: Any, dialect: Dialect) -> int | None:
    """The schema version a database's tables have; ``None`` if it holds no store's tables.

    Raises:
        StoreError: The meta table holds something that is not a version.
    """
    cursor.execute(_HAS_META[dialect])
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(sql(_READ), (_VERSION_KEY,))
    row = cursor.fetchone()
    if row is None:
        return None
    text = str(row[0])
    if not text.isdigit() or not 1 <= int(text) <= _LAST_THINKABLE:
        raise StoreError(f"the store's meta table holds schema version {text!r}, not a version")
    return int(text)


def set_up(sql: Callable[[str], str], cursor: Any, dialect: Dialect) -> None:
    """Make the store's tables if the database has none; check the version of those it has.

    ``sql`` spells a statement's parameters as the driver does.

    Raises:
        StoreError: The tables are of another schema version (an older one
            names the command that moves it forward).
    """
    found = found_version(sql, cursor, dialect)
    if found == SCHEMA_VERSION:
        return
    if found is None:
        _run(cursor, plan(dialect, None, SCHEMA_VERSION))
        return
    if found < SCHEMA_VERSION:
        raise StoreError(
            f"the store's tables are schema version {found}; this leadlife reads version "
            f"{SCHEMA_VERSION}: move them forward with `leadlife store migrate` (or "
            "leadlife.store.migrate, or your app's migrations), then open the store"
        )
    raise StoreError(
        f"the store's tables are schema version {found}, newer than this leadlife reads "
        f"({SCHEMA_VERSION}): upgrade leadlife"
    )


def plan(dialect: Dialect, found: int | None, to: int) -> tuple[str, ...]:
    """The statements that take a database at version ``found`` (``None``: none) to ``to``.

    The last one notes the new version (the versions are whole numbers, so
    written into the statement: it reads the same on every driver).
    """
    if found == to:
        return ()
    start = found or 0
    if to >= start:
        steps = [sql for version in range(start + 1, to + 1) for sql in UP[version][dialect]]
    else:
        steps = [statement for version in range(start, to, -1) for statement in DOWN[version]]
    # Whole numbers and a constant key: nothing from outside is spelled into the SQL.
    noted = (
        f"INSERT INTO leadlife_meta (key, value) VALUES ('{_VERSION_KEY}', '{int(to)}')"  # noqa: S608
        if found is None
        else f"UPDATE leadlife_meta SET value = '{int(to)}' WHERE key = '{_VERSION_KEY}'"  # noqa: S608
    )
    return (*steps, noted)


def migrate(
    sql: Callable[[str], str],
    cursor: Any,
    dialect: Dialect,
    *,
    to: int | None = None,
    dry_run: bool = False,
) -> Migration:
    """Move the tables on ``cursor`` to version ``to`` (the newest by default), in its transaction.

    A database without the store's tables gets them. Running it again does
    nothing: a database at ``to`` is left as it is.

    Raises:
        StoreError: The tables are newer than this leadlife knows.
        ValidationError: ``to`` is not a version this leadlife knows.
    """
    target: object = SCHEMA_VERSION if to is None else to  # a caller may pass anything
    if not isinstance(target, int) or isinstance(target, bool) or not 1 <= target <= SCHEMA_VERSION:
        raise _bad_target(target)
    found = known(found_version(sql, cursor, dialect))
    statements = plan(dialect, found, target)
    if not dry_run:
        _run(cursor, statements)
    return Migration(found=found, to=target, statements=statements, applied=not dry_run)


def known(found: int | None) -> int | None:
    """``found``, a version this leadlife can migrate from (or ``None``: no tables).

    Raises:
        StoreError: The tables are newer than this leadlife knows.
    """
    if found is not None and found > SCHEMA_VERSION:
        raise StoreError(
            f"the store's tables are schema version {found}, newer than this leadlife knows "
            f"({SCHEMA_VERSION}): upgrade leadlife to migrate them"
        )
    return found


def _run(cursor: Any, statements: tuple[str, ...]) -> None:
    for statement in statements:
        cursor.execute(statement)


def _bad_target(to: object) -> ValidationError:
    return ValidationError(
        owner="migrate",
        field="to",
        value=to,
        expected=f"a schema version from 1 to {SCHEMA_VERSION}",
    )
