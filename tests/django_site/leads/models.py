"""The app's lead: its own fields, and the funnel's (FunnelModel)."""

from __future__ import annotations

from django.db import models

from leadlife.django.models import FunnelModel


class Lead(FunnelModel):
    """A lead as an app keeps it."""

    key = models.CharField(max_length=32, primary_key=True)
    note = models.CharField(max_length=200, blank=True, default="")

    def __str__(self) -> str:
        return self.key
