"""Every importer replays onto a funnel whose stages are named otherwise, as onto the default.

The CRM mappings name the default funnel's stages; an import onto another funnel finds
the stage that plays each one's role there (FunnelRoles.counterparts) and walks that
funnel's own way forward. Same export, same journeys, with the team's stage names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from leadlife import DefaultFunnel, Funnel, History, replay
from leadlife.crm import read_frappe, read_hubspot, read_odoo, read_salesforce
from renamed import RENAMED, Renamed

DATA = Path(__file__).parents[2] / "docs" / "data"
BACK = {new: old for old, new in RENAMED.items()}

IMPORTS = {
    "hubspot": lambda funnel: read_hubspot(
        DATA / "hubspot_contacts.csv",
        deals=DATA / "hubspot_deals.csv",
        currency="EUR",
        funnel=funnel,
    ),
    "salesforce": lambda funnel: read_salesforce(
        DATA / "salesforce_leads.csv",
        DATA / "salesforce_lead_history.csv",
        opportunities=DATA / "salesforce_opportunities.csv",
        opportunity_history=DATA / "salesforce_opportunity_history.csv",
        currency="EUR",
        funnel=funnel,
    ),
    "odoo": lambda funnel: read_odoo(DATA / "odoo_leads.csv", currency="EUR", funnel=funnel),
    "frappe": lambda funnel: read_frappe(DATA / "frappe_leads.csv", funnel=funnel),
}


def _journey(history: History[Any]) -> list[tuple[Any, ...]]:
    """A history's events as the same facts on any funnel: stages named back to the default's."""
    named = []
    for event in history.events:
        stage = getattr(event, "to_stage", None) or getattr(event, "record", history.record).stage
        named.append((type(event).__name__, event.at, event.actor, BACK.get(stage, stage)))
    return named


@pytest.mark.parametrize("system", sorted(IMPORTS))
def test_every_importer_gives_the_same_journeys_on_a_renamed_funnel(system):
    theirs, ours = IMPORTS[system](None), IMPORTS[system](Renamed)
    assert ours.counts == theirs.counts
    assert ours.refused == theirs.refused
    assert ours.notices == theirs.notices
    assert [_journey(h) for h in ours.histories] == [_journey(h) for h in theirs.histories]
    renamed_stages = {h.record.stage for h in ours.histories}
    assert renamed_stages & set(RENAMED.values()), "the renamed stages are used"
    assert not renamed_stages & set(RENAMED)
    for history in ours.histories:
        assert replay(history.events, funnel=Renamed) == history.record


def test_a_funnel_without_a_stage_in_a_role_the_export_needs_refuses_its_rows():
    class LeadsOnly(Funnel):
        from leadlife import Stage  # noqa: PLC0415

        new = Stage("New", initial=True)
        working = Stage("Working")
        parked = Stage("Parked", recycle=True)
        closed = Stage("Closed", final=True)
        work = new.to(working)
        park = parked.from_(new, working)
        revive = parked.to(working)
        close = closed.from_(new, working, parked, cond="has_reason")

    imported = read_hubspot(DATA / "hubspot_contacts.csv", funnel=LeadsOnly)
    # A lead the export has as sales-ready has nowhere to go: the row is refused, saying so.
    refused = [n.reason for n in imported.refused if "has no stage in the role of" in n.reason]
    missing = (
        "funnel LeadsOnly has no stage in the role of 'sales_ready' (the default funnel's): "
        "nowhere to import it to"
    )
    assert refused == [missing] * 3
    # A lead only engaged is imported at the stage in that role: the way forward's second.
    assert [(h.record.id.value, h.record.stage) for h in imported.histories] == [
        ("hubspot-102", "working")
    ]
    assert sum(count.imported for count in imported.counts) + len(imported.refused) == sum(
        count.rows for count in imported.counts
    )
    assert DefaultFunnel.roles().counterparts(LeadsOnly.roles())["new"] == "suspect"
