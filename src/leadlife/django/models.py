"""Your model's stage and version, its moves in one transaction; the store's events, read-only.

:class:`FunnelModel` is an abstract model: a ``stage`` and a ``row_version``.
Its :meth:`~FunnelModel.send` moves the row through its funnel inside one
``transaction.atomic()``: the funnel checks the move, the move's event is
appended to the event store on the same connection, and the row is saved
only if its version is still the one read (another request's save in
between refuses the move, its event with it). :class:`StoredEvent` reads
the store's table, for the admin and your own queries.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models, transaction
from django.db.models import F

from leadlife._core.journal.events import StageChanged
from leadlife._core.journal.history import History
from leadlife._core.support.clock import Clock
from leadlife._core.support.errors import StaleRowError
from leadlife._core.values.ids import LeadId, RecordId
from leadlife._funnel.base import Funnel
from leadlife._funnel.recorder import StageRecorder
from leadlife._policies.default_funnel import DefaultFunnel
from leadlife.django.store import store_for


class StoredEvent(models.Model):
    """A row of the event store's table, as the store wrote it (never written through Django)."""

    position = models.BigIntegerField(primary_key=True)
    record_kind = models.TextField()
    record_id = models.TextField()
    version = models.IntegerField()
    event_type = models.TextField()
    at = models.TextField()
    document = models.TextField()

    class Meta:  # noqa: D106 - Django's
        managed = False  # the store's own statements make the table (migration 0001)
        db_table = "leadlife_events"
        ordering = ("position",)

    def __str__(self) -> str:
        """The event in a line: whose, which, what."""
        return f"{self.record_kind} {self.record_id} #{self.version}: {self.event_type}"


class FunnelModel(models.Model):
    """An abstract model whose rows a funnel moves: ``stage``, and ``row_version``.

    Set ``funnel`` on your class for a funnel of your own (the default funnel
    unless you do), and override :meth:`leadlife_record_id` when the row's
    primary key is not its lead's id.
    """

    stage = models.CharField(max_length=64, db_index=True)
    row_version = models.PositiveIntegerField(default=0, editable=False)

    funnel: ClassVar[type[Funnel]] = DefaultFunnel

    class Meta:  # noqa: D106 - Django's
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save the row if nobody saved it since it was read, counting its version up.

        A stale row saved whole would put back the stage and fields another
        request changed: it is refused instead.

        Raises:
            StaleRowError: Another request saved the row since it was read.
        """
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using):
            stored = (
                _rows(self)
                .using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("row_version", flat=True)
                .first()
            )
            if stored is not None and stored != self.row_version:
                raise StaleRowError(
                    record_id=self.leadlife_record_id(),
                    version=self.row_version,
                    problem=f"the row is at version {stored}",
                )
            self.row_version += 1
            try:
                super().save(*args, **kwargs)
            except BaseException:
                self.row_version -= 1
                raise

    def leadlife_record_id(self) -> RecordId:
        """The record whose history the row keeps: a lead named by the row's primary key."""
        return LeadId(str(self.pk))

    def history(self) -> History[Any]:
        """The history of the row's record, as the database holds it."""
        using = self._state.db or "default"
        with transaction.atomic(using=using):  # a store joins a transaction, never autocommit
            return store_for(using).history(self.leadlife_record_id())

    def start(self, history: History[Any], *, using: str = "default") -> None:
        """Save a new row in its record's stage, and store the record's history, together.

        Raises:
            ConcurrencyError: The store holds a history of the record already.
        """
        with transaction.atomic(using=using):
            store_for(using, funnel=self.funnel).append(
                history.record_id, history.events, expected_version=0
            )
            self.stage = history.record.stage
            self.row_version = 1
            self.save(using=using)

    def send(
        self,
        event: str,
        *,
        actor: str,
        clock: Clock,
        reason: str | None = None,
        **given: Any,
    ) -> StageChanged:
        """Move the row by ``event``: the row saved and its event stored, in one transaction.

        Raises:
            TransitionRefusedError: The funnel refused the move (nothing changed).
            StaleWriteError: The row's stage is not where the stored history
                left the record: another request moved it since.
            StaleRowError: Another request saved the row since it was read.
        """
        using = self._state.db or "default"
        was, kept = self.stage, []
        with transaction.atomic(using=using):
            sink = store_for(using, funnel=self.funnel).sink()

            def append(moved: StageChanged) -> None:
                sink(moved)
                kept.append(moved)

            recorder = StageRecorder(record_id=self.leadlife_record_id(), clock=clock, sink=append)
            self.funnel(model=self, start_value=self.stage, listeners=[recorder]).send(
                event, actor=actor, reason=reason, **given
            )
            saved = (
                _rows(self)
                .using(using)
                .filter(pk=self.pk, row_version=self.row_version)
                .update(stage=self.stage, row_version=F("row_version") + 1)
            )
            if saved != 1:
                self.stage = was  # the block rolls the event back; the row stays as read
                raise StaleRowError(
                    record_id=self.leadlife_record_id(),
                    version=self.row_version,
                    problem="no row of that version to save",
                )
        self.row_version += 1
        return kept[-1]


def _rows(row: FunnelModel) -> Any:
    """The manager of ``row``'s model: Django's public ``_default_manager``."""
    return type(row)._default_manager  # noqa: SLF001 - Django's documented name
