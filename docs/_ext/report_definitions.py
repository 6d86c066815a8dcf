"""``report-definitions``: every report's definition, as the report objects carry it.

Each report states what its numbers are (``Report.definition``); this table
is read from reports run on the demo book at build time, so the docs and
the code say the same thing::

    ```{report-definitions}
    ```
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from docutils import nodes
from docutils.core import publish_doctree
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


def _reports() -> list[Any]:
    from leadlife.analytics import (  # noqa: PLC0415
        Basis,
        Book,
        cohorts,
        competitors,
        conversion,
        demo_events,
        flow,
        inventory,
        leakage,
        loss_reasons,
        objections,
        recycling,
        sla_breaches,
        source_quality,
        tier_ratios,
        time_in_stage,
        time_to_win,
        won_value,
    )

    book = Book.of(demo_events())
    since, until = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    path = ["lead", "prospect"]
    return [
        inventory(book, at=until),
        flow(book, since=since, until=until),
        conversion(book, stages=path, since=since, until=until),
        conversion(book, stages=path, since=since, until=until, basis=Basis.PERIOD),
        tier_ratios(book),
        time_in_stage(book, at=until),
        time_to_win(book, at=until),
        leakage(book, since=since, until=until),
        recycling(book),
        cohorts(book, stages=path),
        source_quality(book),
        won_value(book),
        objections(book),
        competitors(book),
        loss_reasons(book),
        sla_breaches(book),
    ]


class ReportDefinitions(SphinxDirective):
    """A table of each report's name, columns and definition."""

    def run(self) -> list[nodes.Node]:
        """Run the reports on the demo book and lay out what each says it measures."""
        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 16 30 54",
            "",
            "   * - Report",
            "     - Columns",
            "     - Definition",
        ]
        for report in _reports():
            columns = ", ".join(f"``{column}``" for column in report.columns)
            lines += [
                f"   * - ``{report.name}``",
                f"     - {columns}",
                f"     - {report.definition}",
            ]
        doctree = publish_doctree("\n".join(lines), settings_overrides={"report_level": 4})
        return list(doctree.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("report-definitions", ReportDefinitions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
