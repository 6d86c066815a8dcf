"""The Django app: ``"leadlife.django"`` in INSTALLED_APPS, labelled ``leadlife``."""

from __future__ import annotations

from django.apps import AppConfig


class LeadlifeConfig(AppConfig):
    """leadlife's app: the event store's tables (a migration), the admin's filter, the agenda."""

    name = "leadlife.django"
    label = "leadlife"
    verbose_name = "leadlife"
    default_auto_field = "django.db.models.BigAutoField"
