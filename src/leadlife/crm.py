"""Moving books in and out of the CRMs people use (see :doc:`/crm`).

Mappings, declared as data (:class:`CrmMapping`), between the default
funnel's stages and HubSpot's lifecycle stages and lead status,
Salesforce's lead status and opportunity stages, Odoo's crm.lead and Frappe
CRM's statuses, each saying what it loses and where it is ambiguous. CSV
exports import as histories (:func:`read_hubspot`, :func:`read_salesforce`,
:func:`read_odoo`, :func:`read_frappe`), one event per known change, the rows
that do not fit reported with their number and why; books export back as
their import files (:func:`write_hubspot`, :func:`write_salesforce`,
:func:`write_odoo`, :func:`write_frappe`). Any other table (a CSV or Parquet
file, a dataframe) imports through a mapping given as data
(:func:`read_table`, :class:`TableMapping`).
"""

from __future__ import annotations

from leadlife._core.support.public import publish
from leadlife._crm.accounts import read_accounts
from leadlife._crm.hubspot import BECAME, HUBSPOT_COLUMNS, read_hubspot, write_hubspot
from leadlife._crm.hubspot_deals import DEAL_COLUMNS as HUBSPOT_DEAL_COLUMNS
from leadlife._crm.hubspot_deals import ENTERED
from leadlife._crm.mappings import (
    FRAPPE_CRM,
    HUBSPOT_DEAL_LABELS,
    HUBSPOT_DEAL_STAGE,
    HUBSPOT_LABELS,
    HUBSPOT_LEAD_STATUS,
    HUBSPOT_LIFECYCLE,
    MAPPINGS,
    ODOO_CRM_LEAD,
    SALESFORCE_LEAD_STATUS,
    SALESFORCE_OPPORTUNITY_STAGE,
    CrmMapping,
)
from leadlife._crm.replay import REVIEW_AFTER, ROLES, Imported, RowCount, RowNote
from leadlife._crm.salesforce import (
    HISTORY_COLUMNS,
    LEAD_COLUMNS,
    NOT_PROVIDED,
    OPPORTUNITY_COLUMNS,
    OPPORTUNITY_HISTORY_COLUMNS,
    read_salesforce,
    write_salesforce,
)
from leadlife._crm.statuses import read_frappe, read_odoo, write_frappe, write_odoo
from leadlife._crm.tables.mapping import FACTS, TableMapping
from leadlife._crm.tables.reading import read_table

__all__ = [
    "BECAME",
    "ENTERED",
    "FACTS",
    "FRAPPE_CRM",
    "HISTORY_COLUMNS",
    "HUBSPOT_COLUMNS",
    "HUBSPOT_DEAL_COLUMNS",
    "HUBSPOT_DEAL_LABELS",
    "HUBSPOT_DEAL_STAGE",
    "HUBSPOT_LABELS",
    "HUBSPOT_LEAD_STATUS",
    "HUBSPOT_LIFECYCLE",
    "LEAD_COLUMNS",
    "MAPPINGS",
    "NOT_PROVIDED",
    "ODOO_CRM_LEAD",
    "OPPORTUNITY_COLUMNS",
    "OPPORTUNITY_HISTORY_COLUMNS",
    "REVIEW_AFTER",
    "ROLES",
    "SALESFORCE_LEAD_STATUS",
    "SALESFORCE_OPPORTUNITY_STAGE",
    "CrmMapping",
    "Imported",
    "RowCount",
    "RowNote",
    "TableMapping",
    "read_accounts",
    "read_frappe",
    "read_hubspot",
    "read_odoo",
    "read_salesforce",
    "read_table",
    "write_frappe",
    "write_hubspot",
    "write_odoo",
    "write_salesforce",
]

publish(__name__, globals(), __all__)
