"""A chart that shows in a notebook with no internet: Vega's scripts inside it, or a picture.

Altair's notebook output loads Vega, Vega-Lite and vega-embed from a CDN:
without internet the cell shows "Error loading script". Wrapping a chart in
:func:`offline` draws it with vl-convert (the ``plots`` extra, no browser),
either as an interactive page with the scripts bundled in (about 0.9 MB per
chart) or as an SVG picture (a few KB, not interactive). Nothing global is
changed: Altair's renderer stays the user's choice.
"""

from __future__ import annotations

import html
from typing import Any

import altair as alt
import attrs
import vl_convert


@attrs.frozen
class OfflineChart:
    """A chart drawn for a notebook without internet (see :func:`offline`).

    Attributes:
        chart: The Altair chart.
        interactive: Bundle Vega's scripts (tooltips, zoom) rather than draw an SVG.

    Example:
        >>> from leadlife.analytics import demo_events, tier_ratios
        >>> from leadlife.charts import OfflineChart, funnel_chart
        >>> shown = OfflineChart(funnel_chart(tier_ratios(demo_events())), interactive=False)
        >>> list(shown._repr_mimebundle_())
        ['image/svg+xml']
    """

    chart: alt.TopLevelMixin
    interactive: bool = True

    def html(self) -> str:
        """The chart as a self-contained HTML page, Vega's scripts inside (no CDN)."""
        page: str = vl_convert.vegalite_to_html(self.chart.to_dict(), bundle=True)
        return page

    def svg(self) -> str:
        """The chart as an SVG picture."""
        picture: str = vl_convert.vegalite_to_svg(self.chart.to_dict())
        return picture

    def _repr_mimebundle_(self, **_: Any) -> dict[str, str]:
        """What Jupyter shows: the page in a frame of its own, or the picture."""
        if not self.interactive:
            return {"image/svg+xml": self.svg()}
        # In a frame of its own: the page's scripts and styles stay out of the notebook's.
        height = self.chart.to_dict().get("height")
        tall = height + 120 if isinstance(height, int | float) else 480
        frame = (
            f'<iframe srcdoc="{html.escape(self.html(), quote=True)}" '
            f'style="width: 100%; height: {tall}px; border: none"></iframe>'
        )
        return {"text/html": frame}


def offline(chart: alt.TopLevelMixin, *, interactive: bool = True) -> OfflineChart:
    """``chart``, drawn so that a notebook shows it with no internet.

    Example:
        >>> from leadlife.analytics import demo_events, tier_ratios
        >>> from leadlife.charts import funnel_chart, offline
        >>> shown = offline(funnel_chart(tier_ratios(demo_events())), interactive=False)
        >>> shown.svg().startswith("<svg")
        True
    """
    return OfflineChart(chart, interactive)
