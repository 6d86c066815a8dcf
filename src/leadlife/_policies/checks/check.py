"""The check protocol: a record and a moment in, the actions due out.

An :class:`~leadlife.agenda.Agenda` is a stage index over checks: when it is
made, each check says which stages of the funnel it watches (from the
funnel's :class:`~leadlife.FunnelRoles`), and over a book each record meets
only the checks of its stage. leadlife's own checks are in this folder; a
plugin adds its own through the ``leadlife.checks`` entry point or
:meth:`Registry.register_check <leadlife.plugins.Registry.register_check>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, runtime_checkable

import attrs

from leadlife._core.journal.records import Lead, Opportunity, Record
from leadlife._core.values.actions import DueAction
from leadlife._funnel.roles import FunnelRoles

NOTHING: tuple[DueAction, ...] = ()
"""What a check finds in most records: nothing (one shared empty tuple)."""

NEEDABLE = frozenset(attrs.fields_dict(Lead)) | frozenset(attrs.fields_dict(Opportunity))
"""The fields a check's ``needs`` may name: those of a lead, a prospect or a deal."""


@runtime_checkable
class Check(Protocol):
    """Looks at a record at a moment and says what is due, if anything.

    A check must be pure (the same record and moment, the same actions), say
    only what is due by the moment asked about, for the record given, each
    action naming its source (the check's key, or a finer one: the follow-up
    failures name each failure): :func:`leadlife.testing.check_agenda_check`
    checks all of that. It may also have a ``needs`` attribute naming a field
    of a record (``follow_up``, ``touches``, a deal's ``objections``...) that
    must be set (not ``None``, not empty, not 0) for it to find anything: the
    agenda then skips it for the other records (and for those without the
    field), a speed hint only.

    Example:
        >>> from leadlife.agenda import Check, RecycledTooOften
        >>> isinstance(RecycledTooOften(limit=3), Check)
        True
    """

    @property
    def key(self) -> str:
        """The check's stable key (lower_snake_case)."""
        ...

    def watches(self, roles: FunnelRoles) -> frozenset[str] | None:
        """The stages whose records it looks at, on a funnel with these roles; ``None``: all."""
        ...

    def __call__(self, record: Record, at: datetime) -> Sequence[DueAction]:
        """The actions due for ``record`` at ``at`` (most often none)."""
        ...
