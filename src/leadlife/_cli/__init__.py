"""The ``leadlife`` command: reports, exports, funnels and the agenda from files (extra ``cli``)."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """The ``leadlife`` console script: say which extra to install if its packages are missing."""
    try:
        from leadlife._cli.commands import run  # noqa: PLC0415 - only the command needs these
    except ImportError as missing:
        print(  # noqa: T201 - the command's own message
            f'the leadlife command needs {missing.name}: pip install "leadlife[cli]"',
            file=sys.stderr,
        )
        sys.exit(1)
    run(argv)
