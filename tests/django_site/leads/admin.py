"""The app's admin: its leads, filtered by stage, each with its history."""

from __future__ import annotations

from django.contrib import admin

from django_site.leads.models import Lead
from leadlife.django.admin import FunnelAdmin

admin.site.register(Lead, FunnelAdmin)
