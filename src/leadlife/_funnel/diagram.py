"""A funnel drawn for a notebook: a picture in HTML, Mermaid in Markdown, a table of moves.

None needs Graphviz or anything else installed: the picture is an SVG drawn
here (``picture.py``), JupyterLab and GitHub draw Mermaid from Markdown, and
the table of every move and its guards opens under the picture.
"""

from __future__ import annotations

import attrs

from leadlife._core.support import display
from leadlife._funnel import picture
from leadlife._funnel.base import Funnel

_HEADER = ("event", "from", "to", "only if", "unless")


@attrs.frozen(kw_only=True)
class Diagram:
    """A funnel class, shown in a notebook as a picture (HTML) or a state diagram (Markdown).

    Attributes:
        funnel: The funnel class.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import diagram
        >>> diagram(DefaultFunnel)._repr_markdown_().splitlines()[0]
        '```mermaid'
    """

    funnel: type[Funnel]

    def _repr_markdown_(self) -> str:
        """A Mermaid state diagram, fenced, for notebooks and Markdown viewers that draw it."""
        return f"```mermaid\n{format(self.funnel, 'mermaid')}\n```"

    def _repr_html_(self) -> str:
        """The funnel as a picture, and every move, one row each with its guards, under it."""
        spec = self.funnel.spec()
        rows = [
            (move.event, move.source, move.target, ", ".join(move.guards), ", ".join(move.unless))
            for move in spec.transitions
        ]
        table = display.html_grid(f"funnel {spec.name}", _HEADER, rows)
        return (
            f"<div>{self.svg()}<details><summary>every move, with its guards</summary>"
            f"{table}</details></div>"
        )

    def svg(self) -> str:
        """The funnel as an SVG picture: stages top down by their distance from the first.

        Example:
            >>> from leadlife import DefaultFunnel
            >>> from leadlife.funnels import diagram
            >>> diagram(DefaultFunnel).svg().startswith("<svg")
            True
        """
        return picture.svg(self.funnel.spec(), self.funnel.roles())

    def __repr__(self) -> str:
        spec = self.funnel.spec()
        return f"<Diagram of {spec.name}: {len(spec.stages)} stages, {len(spec.transitions)} moves>"


def diagram(funnel: type[Funnel]) -> Diagram:
    """Show ``funnel`` in a notebook: a state diagram, or a table of its moves.

    Example:
        >>> from leadlife import DefaultFunnel
        >>> from leadlife.funnels import diagram
        >>> diagram(DefaultFunnel)
        <Diagram of DefaultFunnel: 18 stages, 61 moves>
    """
    return Diagram(funnel=funnel)
