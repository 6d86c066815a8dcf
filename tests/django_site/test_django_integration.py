"""leadlife.django in a project: moves save the row and store the event in one transaction.

The project is tests/django_site (its leads app's Lead is a FunnelModel), on SQLite.
Two requests that read the same row cannot both move it, nor save it over each other.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from django_site.leads.models import Lead
from leadlife import Contact, LeadId, Lifecycle, Source, SteppingClock, replay
from leadlife.django.models import StoredEvent
from leadlife.errors import StaleRowError, StaleWriteError, TransitionRefusedError

pytestmark = pytest.mark.django_db


def clock() -> SteppingClock:
    return SteppingClock(start=datetime(2026, 3, 2, 9, tzinfo=UTC), step=timedelta(minutes=5))


def started(ticks: SteppingClock, key: str = "L-7") -> Lead:
    captured = Lifecycle(clock=ticks).capture(
        id=LeadId(key), contact=Contact(name="Grace"), source=Source(channel="web"), actor="form"
    )
    row = Lead(key=key)
    row.start(captured)
    return row


def test_a_move_saves_the_row_and_stores_its_event():
    ticks = clock()
    row = started(ticks)
    moved = row.send("engage", actor="sam", clock=ticks, reason="replied")
    row.send("mark_sales_ready", actor="scoring", clock=ticks)
    fresh = Lead.objects.get(pk="L-7")
    assert (fresh.stage, fresh.row_version) == ("sales_ready", 3)
    assert (moved.from_stage, moved.to_stage) == ("suspect", "lead")
    history = fresh.history()
    assert replay(history.events) == history.record
    assert history.record.stage == fresh.stage
    assert [event.event_type for event in StoredEvent.objects.all()] == [
        "LeadCaptured",
        "StageChanged",
        "StageChanged",
    ]


def test_a_move_rolled_back_with_its_transaction_leaves_neither():
    ticks = clock()
    row = started(ticks)

    def request() -> None:
        with transaction.atomic():
            row.send("engage", actor="sam", clock=ticks)
            raise RuntimeError("the request failed after the move")

    with pytest.raises(RuntimeError):
        request()
    fresh = Lead.objects.get(pk="L-7")
    assert (fresh.stage, len(fresh.history())) == ("suspect", 1)


def test_two_requests_with_the_same_row_cannot_both_move_it():
    ticks = clock()
    started(ticks)
    mine, theirs = Lead.objects.get(pk="L-7"), Lead.objects.get(pk="L-7")
    mine.send("engage", actor="sam", clock=ticks)
    with pytest.raises(StaleWriteError):
        theirs.send("engage", actor="kim", clock=ticks)
    assert theirs.stage == "suspect"
    assert [event.actor for event in Lead.objects.get(pk="L-7").history()] == ["form", "sam"]


def test_a_row_saved_since_it_was_read_is_moved_or_saved_by_nobody_else():
    ticks = clock()
    started(ticks)
    mine, theirs = Lead.objects.get(pk="L-7"), Lead.objects.get(pk="L-7")
    mine.note = "called back"
    mine.save()
    with pytest.raises(StaleRowError) as refused:
        theirs.send("engage", actor="kim", clock=ticks)
    assert refused.value.version == 1
    assert theirs.stage == "suspect"
    theirs.note = "overwritten?"
    with pytest.raises(StaleRowError, match="at version 2"):
        theirs.save()
    fresh = Lead.objects.get(pk="L-7")
    assert (fresh.stage, fresh.note, fresh.row_version, len(fresh.history())) == (
        "suspect",
        "called back",
        2,
        1,
    )


def test_a_refused_move_changes_nothing():
    ticks = clock()
    row = started(ticks)
    with pytest.raises(TransitionRefusedError):
        row.send("win", actor="sam", clock=ticks)
    assert (Lead.objects.get(pk="L-7").row_version, len(row.history())) == (1, 1)


def test_the_agenda_command_lists_what_is_due():
    ticks = clock()
    row = started(ticks)
    row.send("engage", actor="sam", clock=ticks)
    row.send("mark_sales_ready", actor="sam", clock=ticks)
    out = StringIO()
    call_command("leadlife_agenda", "--at", "2026-04-01T09:00:00+00:00", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "2 due at 2026-04-01T09:00:00+00:00"
    assert [line.split()[1] for line in lines[:-1]] == ["sla_breached", "recycle"]
    with pytest.raises(CommandError, match="has no zone"):
        call_command("leadlife_agenda", "--at", "2026-04-01T09:00")


def test_the_admin_filters_by_stage_and_shows_the_history(admin_client: Client):
    ticks = clock()
    started(ticks, "L-1").send("engage", actor="sam", clock=ticks, reason="replied")
    started(ticks, "L-2")
    listed = admin_client.get("/admin/leads/lead/", {"stage": "lead"})
    assert listed.status_code == 200
    page = listed.content.decode()
    assert "L-1" in page
    assert "L-2" not in page
    assert "sales ready" in page  # the filter offers the funnel's stages
    change = admin_client.get("/admin/leads/lead/L-1/change/").content.decode()
    assert "<th>actor</th>" in change
    assert "replied" in change


@pytest.mark.django_db(transaction=True)
def test_the_apps_migrations_move_the_store_back_and_forward():
    from django.db import connection  # noqa: PLC0415

    def state() -> tuple[str, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM leadlife_meta")
            (found,) = cursor.fetchone()
            cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'leadlife_%' ORDER BY 1")
            return found, [name for (name,) in cursor.fetchall()]

    assert state() == ("2", ["leadlife_events", "leadlife_keys", "leadlife_meta"])
    call_command("migrate", "leadlife", "0001", verbosity=0)
    assert state() == ("1", ["leadlife_events", "leadlife_meta"])
    call_command("migrate", "leadlife", verbosity=0)
    assert state() == ("2", ["leadlife_events", "leadlife_keys", "leadlife_meta"])
