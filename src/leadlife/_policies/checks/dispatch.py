"""A stage's checks as one function: what the agenda runs for each record of that stage.

Over a million records the agenda's own bookkeeping (for each record, the
stage's checks grouped by the field they need, a loop over the groups, a
``getattr`` each) cost as much as a check that finds nothing. So when an
agenda is made, each stage's checks are written out as straight-line source,
one ``if`` a needed field and one call a check, in the order the checks were
given::

    def run(record, at, due):
        found = check_0_0(record, at)
        if found:
            due += found
        if record.touches:
            found = check_1_0(record, at)
            ...

The names in it are the record's fields (``needs`` is checked against them
when the agenda is made) and the checks' bound ``__call__``: nothing a user
wrote is pasted in. ``tests/policies/test_agenda_dispatch.py`` holds it equal
to looping over the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import attrs

from leadlife._core.journal.records import Lead, Opportunity, Prospect, Record
from leadlife._core.values.actions import DueAction

Run = Callable[[Record, datetime], Sequence[DueAction]]
"""A check's ``__call__``, bound."""

StageRun = Callable[[Record, datetime, list[DueAction]], None]
"""Every check of a stage run on one record, what they find added to the list given."""

_EVERYWHERE = frozenset.intersection(
    *(frozenset(attrs.fields_dict(cls)) for cls in (Lead, Prospect, Opportunity))
)
"""Fields every record has: read directly; the others (a deal's) with a default."""


def stage_run(groups: Sequence[tuple[str | None, Sequence[Run]]]) -> StageRun:
    """One function running ``groups`` (checks by the field they need, ``None``: none) in order."""
    names: dict[str, Any] = {"getattr": getattr}
    lines = ["def run(record, at, due):"]
    for group, (needs, runs) in enumerate(groups):
        indent = "    "
        if needs is not None:
            if not needs.isidentifier():  # pragma: no cover - the agenda checked it is a field
                raise ValueError(needs)
            read = (
                f"record.{needs}" if needs in _EVERYWHERE else f"getattr(record, {needs!r}, None)"
            )
            lines.append(f"    if {read}:")
            indent = "        "
        for number, run in enumerate(runs):
            name = f"check_{group}_{number}"
            names[name] = run
            lines += [
                f"{indent}found = {name}(record, at)",
                f"{indent}if found:",
                f"{indent}    due += found",
            ]
    if len(lines) == 1:
        lines.append("    pass")
    exec("\n".join(lines), names)  # noqa: S102 - source written here, from field names and checks
    made: StageRun = names["run"]
    return made
