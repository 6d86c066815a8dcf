"""What an event family's fold handlers are, and how they refuse an event that does not follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from leadlife._core.journal.records import Record


class Refused(Exception):  # noqa: N818 - internal signal, turned into HistoryError/ReplayError
    """The event does not follow from the record; the message says why."""


Handler = Callable[[Record, Any], dict[str, Any]]
"""A fold handler: the record and one event of its family in, the fields it changes out."""
