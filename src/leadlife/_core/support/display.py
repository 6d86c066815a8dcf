"""Short, readable displays of records and histories: plain text, HTML and Markdown.

A notebook shows an object by its ``_repr_html_`` (or ``_repr_markdown_``);
a shell by its ``repr``. Records hold dozens of fields, so neither dumps them
all: each shows who it is, where it stands, and what needs attention, in a
few lines. Every value is escaped: a contact's name is user input.
"""

from __future__ import annotations

import re
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
    """A table with a header row, for ``_repr_html_``; columns of numbers aligned right."""
    sides = ["right" if right else "left" for right in numeric_columns(header, rows)]
    head = "".join(
        f"<th style='text-align:{side}'>{escape(name)}</th>"
        for name, side in zip(header, sides, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td style='text-align:{side}'>{escape(cell)}</td>"
            for cell, side in zip(row, sides, strict=True)
        )
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
    """A table with a header row, for ``_repr_markdown_``; columns of numbers aligned right."""
    lines = [f"**{_cell(title)}**", ""]
    lines.append("| " + " | ".join(_cell(name) for name in header) + " |")
    lines.append(
        "|" + "".join("---:|" if right else "---|" for right in numeric_columns(header, rows))
    )
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def text_grid(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], note: str | None = None
) -> str:
    """A table with a header row as plain text, for ``print``; columns of numbers aligned right.

    Example:
        >>> print(text_grid("tiers", ["tier", "journeys"], [["lead", "8"], ["customer", "1"]]))
        tiers
          tier      journeys
          lead             8
          customer         1
    """
    widths = [
        max([len(name), *(len(row[index]) for row in rows)]) for index, name in enumerate(header)
    ]
    rights = numeric_columns(header, rows)

    def line(cells: Sequence[str]) -> str:
        laid = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, rights, strict=True)
        ]
        return ("  " + "  ".join(laid)).rstrip()

    lines = [title, line(header), *(line(row) for row in rows)]
    return "\n".join(lines + (["", note] if note else []))


# A figure as the displays write it: a number, a percentage, a range of them ("1 / 2 / 3"),
# with thousands separators or a sign.
_FIGURE = re.compile(r"[-+]?[\d,]*\.?\d+%?(?: / [-+]?[\d,]*\.?\d+%?)*")
NONE = "—"
"""How a display writes a figure nobody has (never a blank, never 0)."""


def numeric_columns(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[bool]:
    """For each column, whether it holds figures only (or ``—``, none): those align right."""
    return [
        any(row[index] != NONE for row in rows)
        and all(row[index] == NONE or _FIGURE.fullmatch(row[index]) for row in rows)
        for index in range(len(header))
    ]


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

    def __str__(self) -> str:
        """The same table as plain text: what ``print`` shows."""
        return text_grid(*self._grid())


def plural(count: int, word: str, words: str | None = None) -> str:
    """``count`` and ``word``, in the plural (``words``, else an ``s`` added) unless it is one.

    Example:
        >>> plural(1, "row"), plural(2, "row"), plural(0, "more row")
        ('1 row', '2 rows', '0 more rows')
        >>> plural(1, "history", "histories"), plural(1_200, "history", "histories")
        ('1 history', '1,200 histories')
    """
    if count == 1:
        return f"1 {word}"
    return f"{count:,} {words or word + 's'}"


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
