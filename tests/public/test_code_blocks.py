"""Every Python block of the README and the docs runs as written.

Blocks with ``>>>`` prompts are doctests (pytest runs the Markdown pages); this runs the
plain ones, each page's blocks in order in one namespace, as a reader would paste them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def python_blocks(text: str) -> list[tuple[int, str]]:
    """The plain Python blocks of a Markdown page (no ``>>>``), with their first line's number."""
    found: list[tuple[int, str]] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        fence = lines[index]
        if fence.startswith("```"):
            end = index + 1
            while end < len(lines) and not lines[end].startswith("```"):
                end += 1
            body = "\n".join(lines[index + 1 : end])
            if fence[3:].strip() in {"python", "py"} and ">>>" not in body:
                found.append((index + 2, body))
            index = end
        index += 1
    return found


def test_the_block_finder_finds_plain_blocks_and_leaves_doctests() -> None:
    page = "```python\nx = 1\n```\n\n```python\n>>> 1\n1\n```\n```sh\nls\n```\n"
    assert python_blocks(page) == [(2, "x = 1")]


@pytest.mark.parametrize(
    "page",
    [page for page in PAGES if python_blocks(page.read_text(encoding="utf-8"))],
    ids=lambda page: page.name,
)
def test_every_plain_python_block_runs(page: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"block_of_{page.stem}"}
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    for line, body in blocks:
        code = compile(body, f"{page.name}:{line}", "exec")
        before = set(namespace)
        exec(code, namespace)  # noqa: S102 - the docs' own code, run as a reader would
        # A block a reader pastes leaves something behind (a record, a report...).
        assert set(namespace) - before, f"{page.name}:{line} defines nothing"
