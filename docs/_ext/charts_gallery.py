"""Draw the analytics page's pictures when the docs are built, so they cannot drift from the code.

The book is the one the page uses: the demo's people, captured again every
week for twelve weeks. The PNG files land in ``docs/_generated/`` (not kept
in git) before Sphinx reads the pages that show them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

_PATH = ["suspect", "lead", "sales_ready", "accepted", "prospect", "customer"]


def draw(app: Sphinx) -> None:
    """Write every chart of the analytics page to ``_generated/``."""
    from leadlife.analytics import (  # noqa: PLC0415
        Book,
        cohorts,
        demo_events,
        flow,
        inventory_over,
        source_quality,
        tier_ratios,
        time_in_stage,
    )
    from leadlife.charts import (  # noqa: PLC0415
        cohort_chart,
        flow_chart,
        funnel_chart,
        inventory_chart,
        sankey_chart,
        source_chart,
        time_in_stage_chart,
    )

    folder = Path(app.srcdir) / "_generated"
    folder.mkdir(exist_ok=True)
    book = Book.of(demo_events(weeks=12))
    since, until = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 7, 1, tzinfo=UTC)
    weeks = [since + timedelta(days=7 * n) for n in range(18)]
    charts = {
        "funnel": funnel_chart(tier_ratios(book)),
        "inventory": inventory_chart(inventory_over(book, at=weeks)),
        "time_in_stage": time_in_stage_chart(time_in_stage(book, at=until)),
        "flow": flow_chart(flow(book, since=since, until=until)),
        "sankey": sankey_chart(flow(book, since=since, until=until)),
        "sources": source_chart(source_quality(book)),
        "cohorts": cohort_chart(cohorts(book, stages=_PATH)),
    }
    for name, chart in charts.items():
        chart.save(folder / f"{name}.png", scale_factor=1.5)


def setup(app: Sphinx) -> dict[str, Any]:
    """Draw the charts before the pages are read."""
    app.connect("builder-inited", draw)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
