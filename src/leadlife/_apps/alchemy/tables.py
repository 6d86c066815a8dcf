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
    text,
)

from leadlife._core.support.errors import ValidationError
from leadlife._store.base import SCHEMA_VERSION

TABLES = ("leadlife_events", "leadlife_meta", "leadlife_position")
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
        ['leadlife_events', 'leadlife_meta']
        >>> len(store_metadata(dialect="postgresql").tables)
        3
    """
    _schema(dialect)  # a database the stores run on
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
    if dialect == "postgresql":
        Table(
            "leadlife_position",
            into,
            Column("id", Integer, primary_key=True, autoincrement=False),
            Column("last", BigInteger, nullable=False),
        )
    return into


def upgrade(op: Any) -> None:
    """Create the store's tables: the body of an Alembic migration's ``upgrade()``.

    Runs the statements the store itself runs when it opens a database
    (``CREATE TABLE IF NOT EXISTS``: a database a store made already keeps its
    tables and rows) and records the schema version. ``op`` is Alembic's
    ``alembic.op`` (online, or offline for ``--sql``).

    Raises:
        ValidationError: The database is neither SQLite nor PostgreSQL.

    Example:
        >>> from alembic.migration import MigrationContext
        >>> from alembic.operations import Operations
        >>> from sqlalchemy import create_engine, inspect
        >>> from leadlife.sqlalchemy import upgrade
        >>> with create_engine("sqlite://").begin() as connection:
        ...     upgrade(Operations(MigrationContext.configure(connection)))
        ...     sorted(inspect(connection).get_table_names())
        ['leadlife_events', 'leadlife_meta']
    """
    for statement in _schema(op.get_bind().dialect.name):
        op.execute(statement)
    op.execute(
        text(
            "INSERT INTO leadlife_meta (key, value) SELECT 'schema_version', :version "
            "WHERE NOT EXISTS (SELECT 1 FROM leadlife_meta WHERE key = 'schema_version')"
        ).bindparams(version=str(SCHEMA_VERSION))
    )


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


def _schema(dialect: str) -> tuple[str, ...]:
    if dialect == "sqlite":
        from leadlife._store.sqlite import SCHEMA  # noqa: PLC0415 - by the database's kind

        return SCHEMA
    if dialect == "postgresql":
        from leadlife._store.postgres import SCHEMA as POSTGRES  # noqa: PLC0415 - needs psycopg

        return POSTGRES
    raise ValidationError(
        owner="leadlife.sqlalchemy",
        field="dialect",
        value=dialect,
        expected="sqlite or postgresql: the databases leadlife's stores run on",
    )
