"""The SQL every backend speaks, with ``?`` for parameters.

A backend whose driver spells parameters otherwise translates them once (see
``EventStore._sql``).
"""

from __future__ import annotations

VERSION = (
    "SELECT COALESCE(MAX(version), 0) FROM leadlife_events WHERE record_kind = ? AND record_id = ?"
)
INSERT = (
    "INSERT INTO leadlife_events (position, record_kind, record_id, version, event_type, at, "
    "document) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
EVENTS = (
    "SELECT document FROM leadlife_events WHERE record_kind = ? AND record_id = ? ORDER BY version"
)
CHANGES = (
    "SELECT position, record_kind, record_id, version, document FROM leadlife_events "
    "WHERE position > ? ORDER BY position"
)
EVERYTHING = (
    "SELECT record_kind, record_id, document FROM leadlife_events "
    "ORDER BY record_kind, record_id, version"
)
LAST_POSITION = "SELECT COALESCE(MAX(position), 0) FROM leadlife_events"
LAST_EVENT = (
    "SELECT version, document FROM leadlife_events WHERE record_kind = ? AND record_id = ? "
    "ORDER BY version DESC LIMIT 1"
)
