"""leadlife.django on the real PostgreSQL server the store tests start (psycopg 3).

The project's default database is SQLite; this adds the server's database as the
alias ``pg``, migrates it (leadlife's migration makes the store's tables with the
store's own statements, ``leadlife_position`` included) and moves rows there: the same
transaction, the same refusals of a stale row as on SQLite.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connections

from django_site.leads.models import Lead
from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock, replay
from leadlife.errors import StaleRowError, StaleWriteError


@pytest.fixture
def pg(postgres_database, django_db_blocker):
    """The server's database as Django's alias ``pg``, migrated."""
    parts = dict(part.split("=", 1) for part in postgres_database.split())
    connections.settings["pg"] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": parts["dbname"],
        "USER": parts["user"],
        "HOST": parts["host"],
        "PORT": parts["port"],
        "PASSWORD": "",
        "TEST": {},
    }
    with django_db_blocker.unblock():
        call_command("migrate", database="pg", verbosity=0)
        yield "pg"
        connections["pg"].close()
    del connections.settings["pg"]


def test_moves_on_postgresql_commit_with_the_row_and_refuse_a_stale_one(pg):
    ticks = SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=5))
    captured = Lifecycle(clock=ticks).capture(
        id=LeadId("L-7"), contact=Contact(name="Grace"), source=Source(channel="web"), actor="form"
    )
    Lead(key="L-7").start(captured, using=pg)
    mine, theirs = Lead.objects.using(pg).get(pk="L-7"), Lead.objects.using(pg).get(pk="L-7")
    mine.send("engage", actor="sam", clock=ticks)
    with pytest.raises(StaleWriteError):
        theirs.send("engage", actor="kim", clock=ticks)
    later = Lead.objects.using(pg).get(pk="L-7")
    later.note = "called back"
    later.save()
    with pytest.raises(StaleRowError):
        mine.send("mark_sales_ready", actor="sam", clock=ticks)
    fresh = Lead.objects.using(pg).get(pk="L-7")
    history = fresh.history()
    assert (fresh.stage, fresh.row_version) == ("lead", 3)
    assert [event.actor for event in history] == ["form", "sam"]
    assert replay(history.events) == history.record


def test_the_apps_migrations_move_the_store_back_and_forward_on_postgresql(pg, django_db_blocker):
    def version() -> tuple[str, object]:
        with connections[pg].cursor() as cursor:
            cursor.execute("SELECT value FROM leadlife_meta")
            (found,) = cursor.fetchone()
            cursor.execute("SELECT to_regclass('leadlife_keys')")
            return found, cursor.fetchone()[0]

    with django_db_blocker.unblock():
        assert version() == ("2", "leadlife_keys")
        call_command("migrate", "leadlife", "0001", database=pg, verbosity=0)
        assert version() == ("1", None)
        call_command("migrate", "leadlife", database=pg, verbosity=0)
        assert version() == ("2", "leadlife_keys")
