"""Short, readable displays of records and histories: plain text, HTML and Markdown.

A notebook shows an object by its ``_repr_html_`` (or ``_repr_markdown_``);
a shell by its ``repr``. Records hold dozens of fields, so neither dumps them
all: each shows who it is, where it stands, and what needs attention, in a
few lines. Every value is escaped: a contact's name is user input.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import attrs

Rows = Sequence[tuple[str, str]]


def html_table(title: str, rows: Rows) -> str:
    """A two-column table (field, value) under a title, for ``_repr_html_``."""
    body = "".join(
        f"<tr><th style='text-align:left'>{escape(field)}</th>"
        f"<td style='text-align:left'>{escape(value)}</td></tr>"
        for field, value in rows
    )
    return f"<div><strong>{escape(title)}</strong><table>{body}</table></div>"


def html_grid(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], note: str | None = None
) -> str:
    """A table with a header row, for ``_repr_html_``."""
    head = "".join(f"<th style='text-align:left'>{escape(name)}</th>" for name in header)
    body = "".join(
        "<tr>"
        + "".join(f"<td style='text-align:left'>{escape(cell)}</td>" for cell in row)
        + "</tr>"
        for row in rows
    )
    foot = f"<p><small>{escape(note)}</small></p>" if note else ""
    return (
        f"<div><strong>{escape(title)}</strong>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{foot}</div>"
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown_table(title: str, rows: Rows) -> str:
    """A two-column table (field, value) under a title, for ``_repr_markdown_``."""
    lines = [f"**{_cell(title)}**", "", "| | |", "|---|---|"]
    lines += [f"| {_cell(field)} | {_cell(value)} |" for field, value in rows]
    return "\n".join(lines)


def markdown_grid(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table with a header row, for ``_repr_markdown_``."""
    lines = [f"**{_cell(title)}**", ""]
    lines.append("| " + " | ".join(_cell(name) for name in header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


Grid = tuple[str, Sequence[str], Sequence[Sequence[str]], str | None]
"""What a table shows: its title, its header, its rows, and a note under it (or ``None``)."""


class ShownAsGrid:
    """Mixin: a notebook shows the object as one table, which ``_grid`` describes."""

    __slots__ = ()

    def _grid(self) -> Grid:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        title, header, rows, note = self._grid()
        return html_grid(title, header, rows, note)

    def _repr_markdown_(self) -> str:
        title, header, rows, note = self._grid()
        table = markdown_grid(title, header, rows)
        return table + (f"\n\n_{note}_" if note else "")


def shorten(text: str, limit: int = 60) -> str:
    """``text``, cut to ``limit`` characters with an ellipsis if longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _rows(value: Rows) -> tuple[tuple[str, str], ...]:
    return tuple((str(field), str(text)) for field, text in value)


@attrs.frozen(kw_only=True)
class Card:
    """A record's display, a short table of what matters, that others can add rows to.

    A record shows itself in a notebook as a card (``record.card()``); what
    the record does not know (what a book says it may be worth, a predicted
    chance) is added as rows of the same card, so it is seen where the
    record is.

    Attributes:
        title: The line above the table.
        rows: ``(field, value)`` pairs, in order.

    Example:
        >>> from datetime import UTC, datetime
        >>> from leadlife import Contact, Lead, LeadId, Source
        >>> lead = Lead(
        ...     id=LeadId("L-1"),
        ...     stage="lead",
        ...     contact=Contact(name="Ada"),
        ...     source=Source(channel="web"),
        ...     created_at=datetime(2026, 3, 2, tzinfo=UTC),
        ... )
        >>> print(lead.card(("potential value", "3,000 EUR")))
        Lead L-1 at lead since 2026-03-02: Ada
          id               L-1
          stage            lead since 2026-03-02 00:00 UTC
          contact          Ada
          source           web
          owner            nobody
          potential value  3,000 EUR
    """

    title: str
    rows: tuple[tuple[str, str], ...] = attrs.field(converter=_rows)

    def adding(self, *rows: tuple[str, str]) -> Card:
        """This card with ``rows`` added at its end."""
        return Card(title=self.title, rows=(*self.rows, *rows))

    def __str__(self) -> str:
        width = max((len(field) for field, _ in self.rows), default=0)
        lines = [f"  {field:<{width}}  {value}" for field, value in self.rows]
        return "\n".join([self.title, *lines])

    def _repr_html_(self) -> str:
        return html_table(self.title, self.rows)

    def _repr_markdown_(self) -> str:
        return markdown_table(self.title, self.rows)
