"""Pictures of a backtest: is a 30% a 30% (reliability), who to call first (gains), how apart."""

from __future__ import annotations

from typing import cast

import altair as alt
import numpy as np

from leadlife._analytics.charts import _data
from leadlife._predict.backtest import Backtest


def reliability_chart(result: Backtest) -> alt.LayerChart:
    """The reliability diagram: for each model, the rate observed against the probability said.

    A calibrated model's points lie on the diagonal; above it, the model
    says less than happens, below it, more. Point size: how many leads.

    Example:
        >>> import numpy as np
        >>> from leadlife.charts import reliability_chart
        >>> from leadlife.predict import Examples, backtest
        >>> won = np.arange(400) % 3 == 0
        >>> result = backtest(
        ...     Examples.of(
        ...         {"size": np.where(won, "large", "small")}, won=won, scored_at=np.arange(400)
        ...     ),
        ...     at=300,
        ... )
        >>> len(reliability_chart(result).to_dict()["layer"])
        2
    """
    rows = [
        {"model": name, "predicted": mean, "observed": rate, "leads": count}
        for name, table in result.reliability.items()
        for _, _, count, mean, rate in table
    ]
    diagonal = (
        alt.Chart(_data([{"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0}]))
        .mark_line(color="gray", strokeDash=[4, 4])
        .encode(x="x:Q", y="y:Q")
    )
    share = alt.Scale(domain=[0, 1])
    points = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("predicted:Q", scale=share, axis=alt.Axis(format="%"), title="said"),
            y=alt.Y("observed:Q", scale=share, axis=alt.Axis(format="%"), title="happened"),
            color="model:N",
            tooltip=[
                "model:N",
                "leads:Q",
                alt.Tooltip("predicted:Q", format=".1%"),
                alt.Tooltip("observed:Q", format=".1%"),
            ],
        )
    )
    return cast(
        "alt.LayerChart",
        alt.layer(diagonal, points).properties(title="reliability: said against happened"),
    )


def gains_chart(result: Backtest, *, steps: int = 20) -> alt.LayerChart:
    """The gains (lift) chart: calling leads best-scored first, the share of the wins reached.

    Example:
        >>> import numpy as np
        >>> from leadlife.charts import gains_chart
        >>> from leadlife.predict import Examples, backtest
        >>> won = np.arange(400) % 3 == 0
        >>> result = backtest(
        ...     Examples.of(
        ...         {"size": np.where(won, "large", "small")}, won=won, scored_at=np.arange(400)
        ...     ),
        ...     at=300,
        ... )
        >>> gains_chart(result).to_dict()["layer"][1]["mark"]["type"]
        'line'
    """
    won = result.outcomes
    total = max(int(won.sum()), 1)
    rows = []
    for name, p in result.predictions.items():
        order = np.argsort(-p, kind="stable")
        reached = np.cumsum(won[order]) / total
        for step in range(steps + 1):
            share = step / steps
            count = round(share * len(p))
            rows.append(
                {"model": name, "called": share, "won": float(reached[count - 1]) if count else 0.0}
            )
    chance = (
        alt.Chart(_data([{"x": 0.0, "y": 0.0}, {"x": 1.0, "y": 1.0}]))
        .mark_line(color="gray", strokeDash=[4, 4])
        .encode(x="x:Q", y="y:Q")
    )
    lines = (
        alt.Chart(_data(rows))
        .mark_line()
        .encode(
            x=alt.X("called:Q", axis=alt.Axis(format="%"), title="leads called, best first"),
            y=alt.Y("won:Q", axis=alt.Axis(format="%"), title="of the wins reached"),
            color="model:N",
        )
    )
    return cast("alt.LayerChart", alt.layer(chance, lines).properties(title="gains"))


def score_chart(result: Backtest, model: str, *, bins: int = 20) -> alt.Chart:
    """How a model's scores spread, for the leads won and the leads lost.

    Example:
        >>> import numpy as np
        >>> from leadlife.charts import score_chart
        >>> from leadlife.predict import Examples, backtest
        >>> won = np.arange(400) % 3 == 0
        >>> result = backtest(
        ...     Examples.of(
        ...         {"size": np.where(won, "large", "small")}, won=won, scored_at=np.arange(400)
        ...     ),
        ...     at=300,
        ... )
        >>> score_chart(result, "logistic").to_dict()["mark"]["type"]
        'bar'
    """
    p = result.predictions[model]
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for outcome, label in ((True, "won"), (False, "lost")):
        counts, _ = np.histogram(p[result.outcomes == outcome], bins=edges)
        share = counts / max(counts.sum(), 1)
        rows += [
            {"outcome": label, "score": float(edges[i]), "share": float(share[i])}
            for i in range(bins)
        ]
    return cast(
        "alt.Chart",
        alt.Chart(_data(rows))
        .mark_bar(opacity=0.6)
        .encode(
            x=alt.X("score:Q", bin=alt.Bin(step=1 / bins), title=f"{model}: probability of a win"),
            y=alt.Y("share:Q", stack=None, axis=alt.Axis(format="%"), title="share of the leads"),
            color="outcome:N",
        )
        .properties(title=f"scores by outcome ({model})"),
    )
