"""The store's schema version 2: the table of idempotency keys (``EventStore.append(key=...)``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from leadlife.django.store import migrate_store


def forward(_apps: Any, schema_editor: Any) -> None:
    migrate_store(schema_editor, 2)


def back(_apps: Any, schema_editor: Any) -> None:
    migrate_store(schema_editor, 1, back=True)


class Migration(migrations.Migration):
    dependencies = [("leadlife", "0001_initial")]
    operations = [migrations.RunPython(forward, back)]
