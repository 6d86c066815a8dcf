"""The notebook in examples/ runs end to end, as a reader would run it."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).parents[2] / "examples" / "notebooks" / "analyse_a_book.ipynb"


def test_the_notebook_runs_and_shows_the_report():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first cell that fails
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    assert not [output for output in outputs if output.output_type == "error"]
    shown = "".join(output.get("data", {}).get("text/html", "") for output in outputs)
    assert "tier_ratios" in shown
    assert "loss_reasons" in shown
    assert "History of OpportunityId" in shown
    assert "vegaEmbed" in shown  # the charts, as Altair renders them in a notebook
