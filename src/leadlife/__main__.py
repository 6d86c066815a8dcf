"""``python -m leadlife``: the demo of the library on built-in data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadlife._adapters.demo import main


def _report() -> Any:
    """The book's funnel report, if the analytics extra is installed; a hint if not."""
    try:
        from leadlife._analytics.summary import book_report  # noqa: PLC0415 - an extra
    except ImportError:
        return lambda _: [
            'The book\'s funnel report needs the analytics extra: pip install "leadlife[analytics]"'
        ]
    return book_report


def demo(argv: Sequence[str] | None = None) -> None:
    """Run the demo, ending with the book's funnel report."""
    main(argv, report=_report())


if __name__ == "__main__":
    demo()
