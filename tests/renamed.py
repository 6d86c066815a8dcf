"""The default funnel with three stages renamed, as a team's own funnel would name them."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from leadlife import DefaultFunnel, FunnelSpec, funnel_from_spec

RENAMED = {"prospect": "sql", "customer": "closed_won", "nurture": "recycled"}


def renamed_spec() -> FunnelSpec:
    """The default funnel's spec with prospect, customer and nurture named otherwise."""
    data = DefaultFunnel.spec().to_dict()
    data["name"] = "Renamed"
    data["stages"] = {RENAMED.get(name, name): stage for name, stage in data["stages"].items()}
    for move in data["transitions"]:
        move["source"] = RENAMED.get(move["source"], move["source"])
        move["target"] = RENAMED.get(move["target"], move["target"])
    return FunnelSpec.from_dict(data)


Renamed = funnel_from_spec(renamed_spec())
"""The renamed funnel: the same stages, moves and guards as the default one."""


def rename(table: pa.Table, names: dict[str, str]) -> pa.Table:
    """The same event table with its stage columns renamed (the same journeys)."""
    for column in ("stage", "from_stage", "to_stage"):
        values = table.column(column)
        for old, new in names.items():
            values = pc.if_else(pc.equal(values, old), new, values)
        index = table.schema.get_field_index(column)
        table = table.set_column(index, table.schema.field(index), values)
    return table
