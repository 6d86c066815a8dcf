"""leadlife in a Django project (see :doc:`/django`): add ``"leadlife.django"`` to INSTALLED_APPS.

Needs the ``django`` extra (``pip install "leadlife[django]"``). The app
ships the event store's tables as a migration; its models module gives your
model a stage and a version (``leadlife.django.models.FunnelModel``), whose
moves save the row and append its events in one ``transaction.atomic()``;
its admin module a list filter by stage and the record's history on the
change page; and ``manage.py leadlife_agenda`` lists what is due. Nothing
here imports Django's models until Django has loaded its apps.
"""

from __future__ import annotations

__all__: list[str] = []
