"""``leadlife store``: the event store's database, from the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from leadlife._store.migrate import migrate
from leadlife._store.schema import SCHEMA_VERSION


def store_group(fails_cleanly: Callable[[Any], Any]) -> click.Group:
    """The ``store`` commands, failing as every other command fails (exit code 1, one line)."""

    @click.group("store")
    def store() -> None:
        """The event store's database (SQLite file or PostgreSQL)."""

    @store.command("migrate")
    @click.argument("target")
    @click.option(
        "--to",
        type=click.IntRange(1, SCHEMA_VERSION),
        default=None,
        help=f"The schema version to move to (default: {SCHEMA_VERSION}, this leadlife's).",
    )
    @click.option("--dry-run", is_flag=True, help="Print the statements; change nothing.")
    @fails_cleanly
    def migrate_command(target: str, to: int | None, dry_run: bool) -> None:
        """Move the store's tables in TARGET to this leadlife's schema version.

        TARGET is an SQLite file or a PostgreSQL database (postgresql://...,
        or host=... dbname=...). One transaction: all or nothing. Running it
        again does nothing.
        """
        done = migrate(target, to=to, dry_run=dry_run)
        click.echo(str(done))
        if dry_run:
            for statement in done.statements:
                click.echo(f"{' '.join(statement.split())};")

    return store
