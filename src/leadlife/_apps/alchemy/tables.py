"""The event store's tables in SQLAlchemy's terms, and the Alembic migration that makes them.

An app whose schema Alembic manages wants every table in its migrations: the
store's too, or autogenerate proposes to drop them. :func:`store_metadata`
describes them as the stores create them (the same columns, types and
constraints on SQLite and PostgreSQL: a test compares them with Alembic's own
comparison), for ``target_metadata``; :func:`upgrade` and :func:`downgrade`
are the bodies of a migration that creates and drops them, running the
store's own statements, so a store opened on the migrated database finds
them as it would have made them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    TIMESTAMP,
    BigInteger,
    CheckConstraint,
    Column,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
)

from leadlife._core.support import validation as check
from leadlife._core.support.errors import ValidationError
from leadlife._store import schema

TABLES = schema.TABLES
"""The store's tables (``leadlife_position`` on PostgreSQL only)."""


def store_metadata(metadata: MetaData | None = None, *, dialect: str = "sqlite") -> MetaData:
    """The store's tables, added to ``metadata`` (a new one if ``None``) and returned.

    Give it to Alembic with your own (``target_metadata = [Base.metadata,
    store_metadata(dialect="postgresql")]``): autogenerate then knows the
    tables are meant to be there. Create them with :func:`upgrade`, in a
    migration, not with ``create_all`` (the store writes its schema version
    beside them). ``dialect``: ``"postgresql"`` has one table more, the
    position the appends lock.

    Example:
        >>> from leadlife.sqlalchemy import store_metadata
        >>> sorted(store_metadata().tables)
        ['leadlife_events', 'leadlife_keys', 'leadlife_meta']
        >>> len(store_metadata(dialect="postgresql").tables)
        4
    """
    _dialect(dialect)  # a database the stores run on
    into = MetaData() if metadata is None else metadata
    # SQLite lets a PRIMARY KEY declared without NOT NULL hold a null (and says so).
    keys_nullable = dialect == "sqlite"
    Table(
        "leadlife_events",
        into,
        # INTEGER in SQLite: its PRIMARY KEY is then the row id, as the store declares it.
        Column(
            "position",
            BigInteger().with_variant(Integer(), "sqlite"),
            primary_key=True,
            autoincrement=False,
            nullable=keys_nullable,
        ),
        Column("record_kind", Text, nullable=False),
        Column("record_id", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("event_type", Text, nullable=False),
        Column("at", Text().with_variant(TIMESTAMP(timezone=True), "postgresql"), nullable=False),
        Column("document", Text, nullable=False),
        CheckConstraint("version >= 1"),
        UniqueConstraint("record_kind", "record_id", "version"),
    )
    Table(
        "leadlife_meta",
        into,
        Column("key", Text, primary_key=True, nullable=keys_nullable),
        Column("value", Text, nullable=False),
    )
    Table(
        "leadlife_keys",
        into,
        Column("key", Text, primary_key=True, nullable=False),
        Column("record_kind", Text, nullable=False),
        Column("record_id", Text, nullable=False),
        Column("version", Integer, nullable=False),
        CheckConstraint("version >= 0"),
    )
    if dialect == "postgresql":
        Table(
            "leadlife_position",
            into,
            Column("id", Integer, primary_key=True, autoincrement=False),
            Column("last", BigInteger, nullable=False),
        )
    return into


def upgrade(op: Any, *, from_version: int | None = None) -> None:
    """Bring the store's tables to this leadlife's schema version: an Alembic ``upgrade()`` body.

    On a database without them, it makes them; on one a store or an earlier
    migration made at an older version, it runs the steps it lacks (the same
    statements as ``leadlife store migrate``); at the version already, it
    does nothing. So the revision that made the tables and each later
    revision that moves them forward can call it alike. ``op`` is Alembic's
    ``alembic.op``. Offline (``alembic upgrade --sql``) there is no database
    to read the version from: say it with ``from_version`` (0: no tables).

    Raises:
        ValidationError: The database is neither SQLite nor PostgreSQL, or
            an offline migration does not say ``from_version``.
        StoreError: The tables are newer than this leadlife knows.

    Example:
        >>> from alembic.migration import MigrationContext
        >>> from alembic.operations import Operations
        >>> from sqlalchemy import create_engine, inspect
        >>> from leadlife.sqlalchemy import upgrade
        >>> with create_engine("sqlite://").begin() as connection:
        ...     upgrade(Operations(MigrationContext.configure(connection)))
        ...     sorted(inspect(connection).get_table_names())
        ['leadlife_events', 'leadlife_keys', 'leadlife_meta']
    """
    context = op.get_context()
    dialect = _dialect(context.dialect.name)
    if from_version is None:
        if context.as_sql:
            raise ValidationError(
                owner="upgrade",
                field="from_version",
                value=None,
                expected="the store's schema version (0: no tables) when migrating offline",
            )
        found = _found(op.get_bind(), dialect)
    else:
        check.argument("upgrade", "from_version", from_version, _A_VERSION)
        found = from_version or None
    for statement in schema.plan(dialect, schema.known(found), schema.SCHEMA_VERSION):
        op.execute(statement)


def downgrade(op: Any) -> None:
    """Drop the store's tables, and every event in them: an Alembic migration's ``downgrade()``.

    Example:
        >>> from alembic.migration import MigrationContext
        >>> from alembic.operations import Operations
        >>> from sqlalchemy import create_engine, inspect
        >>> from leadlife.sqlalchemy import downgrade, upgrade
        >>> with create_engine("sqlite://").begin() as connection:
        ...     operations = Operations(MigrationContext.configure(connection))
        ...     upgrade(operations)
        ...     downgrade(operations)
        ...     inspect(connection).get_table_names()
        []
    """
    for table in TABLES:
        op.execute(f"DROP TABLE IF EXISTS {table}")


_A_VERSION = check.whole_number(0, "a schema version, or 0 for a database without the store")


def _found(bind: Any, dialect: schema.Dialect) -> int | None:
    """The version of the store's tables on a live connection (read as the stores read it)."""
    # The DBAPI cursor of the migration's own connection: the same transaction.
    cursor = bind.connection.dbapi_connection.cursor()
    try:
        spelled = "%s" if bind.dialect.paramstyle in {"format", "pyformat"} else "?"
        return schema.found_version(lambda sql: sql.replace("?", spelled), cursor, dialect)
    finally:
        cursor.close()


def _dialect(name: str) -> schema.Dialect:
    for known in schema.DIALECTS:
        if name == known:
            return known
    raise ValidationError(
        owner="leadlife.sqlalchemy",
        field="dialect",
        value=name,
        expected="sqlite or postgresql: the databases leadlife's stores run on",
    )
