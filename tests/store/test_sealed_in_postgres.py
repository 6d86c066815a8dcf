"""Sealed histories on a real PostgreSQL server: no personal byte in its files, its log included."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from leadlife import Contact, FixedClock, LeadId, Lifecycle, Source, replay
from leadlife.privacy import Vault
from leadlife.store import PostgresStore

AT = datetime(2026, 3, 2, 9, tzinfo=UTC)
SECRETS = ("Quibbleworth Amaranth", "quibbleworth.amaranth@zzq-mail.example", "+44 20 7946 0999")


def test_what_postgres_keeps_of_a_sealed_book_names_nobody(postgres_database):
    import psycopg  # noqa: PLC0415

    life, vault = Lifecycle(clock=FixedClock(AT)), Vault()
    lead = life.capture(
        id=LeadId("L-1"),
        contact=Contact(name=SECRETS[0], email=SECRETS[1], phone=SECRETS[2]),
        source=Source(channel="web"),
        actor="form",
    )
    with PostgresStore(postgres_database) as store:
        store.save(vault.seal(lead))
        read = vault.unseal(store.history(LeadId("L-1")))
    assert read.record == lead.record
    assert replay(read.events) == read.record
    with psycopg.connect(postgres_database, autocommit=True) as connection:
        rows = connection.execute("SELECT document FROM leadlife_events").fetchall()
        connection.execute("CHECKPOINT")
        (data,) = connection.execute("SHOW data_directory").fetchone()
    assert not any(secret in str(rows) for secret in SECRETS)
    files = [path for path in Path(data).rglob("*") if path.is_file()]
    if not os.access(files[0], os.R_OK):  # pragma: no cover - the server's files are its own
        pytest.skip("the server's files cannot be read by this user")
    for path in files:
        content = path.read_bytes()
        assert not any(secret.encode() in content for secret in SECRETS), path
