"""``funnel-diagram``: draw a funnel class in the docs, from the class itself.

The diagrams in the docs are generated at build time, so they cannot drift
from the code::

    ```{funnel-diagram} leadlife.DefaultFunnel
    :format: table
    ```
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinxcontrib.mermaid import mermaid


def _format(argument: str) -> str:
    return str(directives.choice(argument, ("mermaid", "table")))


class FunnelDiagram(SphinxDirective):
    """Render a funnel as a Mermaid state diagram or as a table."""

    required_arguments: ClassVar[int] = 1
    option_spec: ClassVar[dict[str, Any]] = {"format": _format}

    def run(self) -> list[nodes.Node]:
        """Import the funnel class and draw it."""
        module, _, name = self.arguments[0].rpartition(".")
        funnel = getattr(importlib.import_module(module), name)
        if self.options.get("format", "mermaid") == "mermaid":
            node = mermaid()
            node["code"] = format(funnel, "mermaid")
            node["options"] = {}
            return [node]
        table = publish_doctree(format(funnel, "rst"), settings_overrides={"report_level": 4})
        return list(table.children)


class FrameworksTable(SphinxDirective):
    """Every built-in qualification framework: its criteria, questions and policy."""

    def run(self) -> list[nodes.Node]:
        """Read the frameworks from leadlife and lay them out side by side."""
        from leadlife._policies.frameworks import BUILT_IN_FRAMEWORKS  # noqa: PLC0415

        lines: list[str] = []
        for framework in BUILT_IN_FRAMEWORKS:
            lines += [
                f".. rubric:: {framework.name} (``{framework.key}``)",
                "",
                f"{framework.description} *Decides:* {framework.policy.describe()}.",
                "",
                ".. list-table::",
                "   :header-rows: 1",
                "",
                "   * - Criterion",
                "     - Question",
            ]
            for criterion in framework.criteria:
                lines += [f"   * - ``{criterion.key}``", f"     - {criterion.question}"]
            lines.append("")
        doctree = publish_doctree("\n".join(lines), settings_overrides={"report_level": 4})
        return list(doctree.children)


class EventColumns(SphinxDirective):
    """The event table's columns, from the declaration the code builds the table with."""

    def run(self) -> list[nodes.Node]:
        """Read the columns from leadlife and lay them out as a table."""
        from leadlife.analytics import EVENT_COLUMNS  # noqa: PLC0415

        lines = [
            ".. list-table::",
            "   :header-rows: 1",
            "   :widths: 18 22 60",
            "",
            "   * - Column",
            "     - Type",
            "     - Holds",
        ]
        for column in EVENT_COLUMNS:
            dtype = column.dtype + ("" if column.nullable else ", never null")
            lines += [f"   * - ``{column.name}``", f"     - ``{dtype}``", f"     - {column.doc}"]
        doctree = publish_doctree("\n".join(lines), settings_overrides={"report_level": 4})
        return list(doctree.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives."""
    app.add_directive("funnel-diagram", FunnelDiagram)
    app.add_directive("frameworks-table", FrameworksTable)
    app.add_directive("event-columns", EventColumns)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
