"""The event store's tables at schema version 1, made by the store's own statements; the model."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

from leadlife.django.store import migrate_store

TABLES = ("leadlife_events", "leadlife_meta", "leadlife_position", "leadlife_keys")


def create(_apps: Any, schema_editor: Any) -> None:
    # In the migration's transaction, as the store spells them (tables a store made stay).
    migrate_store(schema_editor, 1)


def drop(_apps: Any, schema_editor: Any) -> None:
    for table in TABLES:
        schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []
    operations = [
        migrations.RunPython(create, drop),
        migrations.CreateModel(
            name="StoredEvent",
            fields=[
                ("position", models.BigIntegerField(primary_key=True, serialize=False)),
                ("record_kind", models.TextField()),
                ("record_id", models.TextField()),
                ("version", models.IntegerField()),
                ("event_type", models.TextField()),
                ("at", models.TextField()),
                ("document", models.TextField()),
            ],
            options={"managed": False, "db_table": "leadlife_events", "ordering": ("position",)},
        ),
    ]
