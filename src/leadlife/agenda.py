"""The agenda: what is due across a book of records, and why."""

from __future__ import annotations

# The agenda reassigns by routing policies: their public home is leadlife.routing.
import leadlife.routing  # noqa: F401
from leadlife._core.actions import ActionKind, DueAction
from leadlife._core.public import publish
from leadlife._policies.agenda import Agenda, Due, agenda

__all__ = [
    "ActionKind",
    "Agenda",
    "Due",
    "DueAction",
    "agenda",
]

publish(__name__, globals(), __all__)
