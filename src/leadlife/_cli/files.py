"""Reading the files the commands take: histories as JSON Lines, event logs as Parquet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pyarrow as pa
import pyarrow.parquet as pq
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from leadlife._adapters.documents import load
from leadlife._analytics.event_table import event_table
from leadlife._core.journal.history import History
from leadlife._core.support.errors import LeadlifeError


class _Output(click.Path):
    """A file to write: its folder must be there (a command line naming a missing one is wrong)."""

    def __init__(self) -> None:
        super().__init__(dir_okay=False, path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = Path(str(super().convert(value, param, ctx)))
        folder = path.parent
        if not folder.is_dir():
            self.fail(f"{path}: the folder {folder} does not exist", param, ctx)
        return path


OUTPUT = _Output()
"""The type of every option that names a file to write."""


class Number(click.FloatRange):
    """A number in a range, and a number: NaN is refused (it passes every comparison)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if number != number:  # noqa: PLR0124 - NaN is the one value not equal to itself
            self.fail(f"{value!r} is not a number", param, ctx)
        return number


class Histories:
    """A JSON Lines file of histories (``leadlife.dump``), read lazily, one line at a time."""

    def __init__(self, path: Path, *, progress: bool) -> None:
        self.path = path
        self.progress = progress

    def __iter__(self) -> Iterator[History[Any]]:
        size = self.path.stat().st_size
        with self.path.open("rb") as file, _bar(self.progress, size, self.path.name) as bar:
            task = bar.add_task("reading", total=size)

            def lines() -> Iterator[bytes]:
                for line in file:
                    bar.advance(task, len(line))
                    yield line

            # One stream, so that an error names its line in the file (and the note, the file).
            try:
                yield from load(lines(), History)
            except LeadlifeError as error:
                error.add_note(f"in {self.path}")
                raise


def _bar(enabled: bool, total: int, name: str) -> Progress:
    return Progress(
        TextColumn(f"[bold]{name}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
        transient=True,
        disable=not enabled or total == 0,
        console=Console(stderr=True),  # stdout is the output: a CSV or JSON piped on
    )


def event_log(path: Path, *, progress: bool) -> pa.Table:
    """The event table in ``path``: a Parquet event log, or JSON Lines of histories."""
    if path.suffix == ".parquet":
        try:
            return pq.read_table(path)
        except (OSError, pa.ArrowInvalid) as error:
            raise click.BadParameter(f"{path} is not a Parquet file: {error}") from None
    return event_table(Histories(path, progress=progress))
