"""The notebooks in examples/ run end to end, as a reader would run them."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).parents[2] / "examples" / "notebooks"


def run(name: str) -> str:
    """Execute the notebook ``name``; its rich outputs, as one text."""
    path = NOTEBOOKS / name
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [output for output in outputs if output.output_type == "error"]
    return "".join(output.get("data", {}).get("text/html", "") for output in outputs)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "analyse_a_book.ipynb",
            # The charts, as Altair renders them in a notebook.
            ["tier_ratios", "loss_reasons", "History of OpportunityId", "vegaEmbed"],
        ),
        (
            "bring_your_own_data.ipynb",
            [
                "pipeline: 40 rows = 36 imported + 4 refused",
                "source_quality",
                "win_rate_closed",
                "mean_days_won",
                "conformance",
                "skips presentation, proposal",
                "<iframe srcdoc=",  # the chart drawn offline: Vega's scripts inside
            ],
        ),
        (
            "prototype_a_funnel.ipynb",
            [
                "tier_ratios",
                "conversion (cohort)",
                "8-4-2-1: 17 sales",
                "4-2-2-1: 17 sales",
                "where journeys end",
                "pipeline at 2026-04-06",
                "forecast from 2026-04-06",
                "vegaEmbed",
            ],
        ),
    ],
)
def test_the_notebook_runs_and_shows_what_it_says(name, expected):
    shown = run(name)
    for text in expected:
        assert text in shown, text
