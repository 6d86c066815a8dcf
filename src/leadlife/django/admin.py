"""The admin's view of funnel rows: a list filter by stage, and the record's history."""

from __future__ import annotations

from html import escape
from typing import Any

from django.contrib import admin
from django.utils.safestring import SafeString, mark_safe

from leadlife.django.models import FunnelModel


class StageListFilter(admin.SimpleListFilter):
    """Filter a list of funnel rows by stage, the stages in the funnel's order."""

    title = "stage"
    parameter_name = "stage"

    def lookups(self, _request: Any, model_admin: Any) -> list[tuple[str, str]]:
        """Every stage of the model's funnel, in the funnel's order."""
        model: type[FunnelModel] = model_admin.model
        return [(stage, stage.replace("_", " ")) for stage in model.funnel.roles().stages]

    def queryset(self, _request: Any, queryset: Any) -> Any:
        """The rows in the stage chosen (all of them when none is)."""
        chosen = self.value()
        return queryset if chosen is None else queryset.filter(stage=chosen)


class FunnelAdmin(admin.ModelAdmin):
    """A model admin for a :class:`~leadlife.django.models.FunnelModel`: filter and history.

    The stage is shown, never edited here (a move is the funnel's, with its
    event); the change page shows the record's history, newest first.
    """

    list_filter = (StageListFilter,)
    readonly_fields = ("stage", "row_version", "leadlife_history")

    @admin.display(description="history")
    def leadlife_history(self, row: FunnelModel) -> SafeString:
        """The record's events as a table: when, what, who, why."""
        if row.pk is None:
            return mark_safe("")
        lines = [
            f"<tr><td>{escape(event.at.isoformat())}</td><td>{escape(type(event).__name__)}</td>"
            f"<td>{escape(str(getattr(event, 'to_stage', '') or ''))}</td>"
            f"<td>{escape(event.actor)}</td><td>{escape(event.reason or '')}</td></tr>"
            for event in reversed(row.history().events)
        ]
        header = "<tr><th>at</th><th>event</th><th>stage</th><th>actor</th><th>reason</th></tr>"
        return mark_safe(f"<table>{header}{''.join(lines)}</table>")  # noqa: S308 - escaped above
