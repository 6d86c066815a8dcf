"""``manage.py leadlife_agenda [--at TIME] [--database ALIAS]``: what is due, from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from leadlife._policies.agenda import Agenda
from leadlife.django.store import store_for


class Command(BaseCommand):
    """List the actions due across every record the event store holds."""

    help = "List what is due (follow-ups, reviews, recycles, breaches) across the event store."

    def add_arguments(self, parser: CommandParser) -> None:
        """``--at`` and ``--database``."""
        parser.add_argument("--at", help="When (ISO 8601 with its zone); now unless given.")
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *_: Any, **options: Any) -> None:
        """Print each action due, the longest overdue first, then how many."""
        at = datetime.now(UTC) if options["at"] is None else _moment(options["at"])
        with transaction.atomic(using=options["database"]):  # one snapshot of the store
            store = store_for(options["database"])
            records = [history.record for history in store.histories()]
        due = Agenda()(records, at)
        for action in due:
            self.stdout.write(
                f"{action.due_at.isoformat()}  {action.kind.value:<14} "
                f"{action.record_id.value}  {action.reason}"
            )
        self.stdout.write(f"{len(due)} due at {at.isoformat()}")


def _moment(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text!r} is not a time (2026-03-02T09:00:00+00:00)") from None
    if at.tzinfo is None:
        raise CommandError(f"--at {text!r} has no zone: say which (+00:00, Z...)")
    return at
