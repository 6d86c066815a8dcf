"""Pictures of a book's reports, drawn with Vega-Altair (see :doc:`/analytics`).

Needs the ``plots`` extra (``pip install "leadlife[plots]"``: Altair and
vl-convert, which saves charts as PNG or SVG with no browser). Each function
takes a report from :mod:`leadlife.analytics` and returns an Altair chart;
:func:`offline` draws one for a notebook with no internet (Vega's scripts
inside the output, or an SVG picture), where Altair's output would load them
from a CDN.
"""

from __future__ import annotations

from leadlife._core.support.errors import MissingExtraError

try:
    import altair as alt  # noqa: F401 - checked here, so the error names the extra
except ImportError as missing:  # pragma: no cover - the test environment has the extra
    raise MissingExtraError(package="altair", extra="plots", needed_by=__name__) from missing

from leadlife._analytics.charts import (
    NEW_JOURNEYS,
    cohort_chart,
    flow_chart,
    funnel_chart,
    inventory_chart,
    sankey_chart,
    source_chart,
    time_in_stage_chart,
    win_rate_chart,
)
from leadlife._analytics.offline import OfflineChart, offline
from leadlife._core.support.public import publish
from leadlife._predict.charts import gains_chart, reliability_chart, score_chart
from leadlife._prototype.charts import fan_chart, plan_chart, tornado_chart
from leadlife.prototype import Sensitivity  # noqa: F401 - its public home, for the signature

__all__ = [
    "NEW_JOURNEYS",
    "OfflineChart",
    "cohort_chart",
    "fan_chart",
    "flow_chart",
    "funnel_chart",
    "gains_chart",
    "inventory_chart",
    "offline",
    "plan_chart",
    "reliability_chart",
    "sankey_chart",
    "score_chart",
    "source_chart",
    "time_in_stage_chart",
    "tornado_chart",
    "win_rate_chart",
]

publish(__name__, globals(), __all__)
