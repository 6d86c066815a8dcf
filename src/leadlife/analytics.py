"""A book's histories as an event table, for analysts and process-mining tools.

Needs the ``analytics`` extra (``pip install "leadlife[analytics]"``: pyarrow
and narwhals); ``import leadlife`` never imports this module. See
:doc:`/analytics`.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import narwhals  # noqa: F401 - checked here, so the error names the extra
    import pyarrow as pa  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(
        package=missing.name or "pyarrow", extra="analytics", needed_by=__name__
    ) from missing

from leadlife._analytics.archive import (
    ARCHIVE_FORMAT,
    archive_schema,
    read_archive,
    write_archive,
)
from leadlife._analytics.closed_loop import (
    competitors,
    loss_reasons,
    objections,
    sla_breaches,
    source_quality,
    won_value,
)
from leadlife._analytics.cohorts import COHORTS, cohorts
from leadlife._analytics.columns import EVENT_COLUMNS, Column
from leadlife._analytics.conformance import CONFORMANCE, conformance
from leadlife._analytics.conversion import (
    Basis,
    conversion,
    tier_ratios,
)
from leadlife._analytics.demo_book import demo_events
from leadlife._analytics.event_table import (
    BATCH_SIZE,
    event_batches,
    event_frame,
    event_schema,
    event_table,
    write_parquet,
)
from leadlife._analytics.leakage import leakage, recycling
from leadlife._analytics.potential import (
    PotentialValue,
    PotentialValues,
    potential_value,
)
from leadlife._analytics.process_log import ACTIVITY, CASE, TIMESTAMP, process_log
from leadlife._analytics.rates import Conversion, ExchangeRates, Rate
from leadlife._analytics.result import Report
from leadlife._analytics.segments import SEGMENTS, SOURCES
from leadlife._analytics.spend import source_cost
from leadlife._analytics.states import STATE_COLUMNS, record_states
from leadlife._analytics.stays import Book
from leadlife._analytics.stock import GROUPS, flow, flow_over, inventory, inventory_over
from leadlife._analytics.velocity import QUANTILES, kaplan_meier_quantiles, time_in_stage
from leadlife._analytics.winning import HORIZONS, time_to_win, won_within
from leadlife._core.support.public import publish

__all__ = [
    "ACTIVITY",
    "ARCHIVE_FORMAT",
    "BATCH_SIZE",
    "CASE",
    "COHORTS",
    "CONFORMANCE",
    "EVENT_COLUMNS",
    "GROUPS",
    "HORIZONS",
    "QUANTILES",
    "SEGMENTS",
    "SOURCES",
    "STATE_COLUMNS",
    "TIMESTAMP",
    "Basis",
    "Book",
    "Column",
    "Conversion",
    "ExchangeRates",
    "PotentialValue",
    "PotentialValues",
    "Rate",
    "Report",
    "archive_schema",
    "cohorts",
    "competitors",
    "conformance",
    "conversion",
    "demo_events",
    "event_batches",
    "event_frame",
    "event_schema",
    "event_table",
    "flow",
    "flow_over",
    "inventory",
    "inventory_over",
    "kaplan_meier_quantiles",
    "leakage",
    "loss_reasons",
    "objections",
    "potential_value",
    "process_log",
    "read_archive",
    "record_states",
    "recycling",
    "sla_breaches",
    "source_cost",
    "source_quality",
    "tier_ratios",
    "time_in_stage",
    "time_to_win",
    "won_value",
    "won_within",
    "write_archive",
    "write_parquet",
]

publish(__name__, globals(), __all__)
