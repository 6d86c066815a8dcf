"""docs/django.md's code runs as written: its ``python3`` blocks, in order, in one namespace.

They need a database (Django's test database, as pytest-django makes it), which the
plain-block runner of tests/public does not give: the page marks them ``python3``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PAGE = Path(__file__).parents[2] / "docs" / "django.md"


def django_blocks(text: str) -> list[str]:
    """The page's ``python3`` blocks."""
    blocks, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        if lines[index].strip() == "```python3":
            end = lines.index("```", index + 1)
            blocks.append("\n".join(lines[index + 1 : end]))
            index = end
        index += 1
    return blocks


@pytest.mark.django_db
def test_the_django_page_runs():
    blocks = django_blocks(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) == 3
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(PAGE), "exec"), namespace)  # noqa: S102 - the docs' own code
