"""CSV files in and out: every row accounted for, and no cell a spreadsheet would run.

Reading, a file is hostile until read: bytes that are not the encoding
named, a header that names a column twice or none of the export's columns,
a quote that is never closed, a cell larger than the limit, each stops the
file with :class:`~leadlife.errors.ImportFileError`, naming the file, the
line and what was expected. A row with more cells than the header is
refused with its number (its extra cells would otherwise be lost); a row
with fewer has the missing cells blank.

Writing, a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would run as a formula when a spreadsheet opens the file
(CSV injection, OWASP): it is written with a leading ``'``, which
spreadsheets show as text; a phone number such as ``+44 20 7946 0000`` and
a negative amount too (Excel reads both as formulas). A cell that starts
with ``'`` followed by one of those (or by another ``'``) gets one more
``'``. Reading takes exactly one
leading ``'`` off such a cell, so a file written and read again gives back
every cell as it was. Rows end with CRLF (RFC 4180), so a carriage return
inside a cell is quoted and never splits the row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from leadlife._core.support.errors import ImportFileError

FORMULA_START = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

CELL_LIMIT = csv.field_size_limit()
"""The largest cell a CSV import reads, in characters: the ``csv`` module's limit, 131,072.

Deliberate: no CRM field is that long, and a runaway cell is a broken file.
"""

ENCODING = "utf-8-sig"
"""What an import reads a file as unless told: UTF-8, with or without a byte-order mark."""

ExportFile = str | Path | IO[str] | IO[bytes] | Iterable[Mapping[str, Any]]
"""What an import reads: a path, an open file (text or bytes), or rows already read."""


def escape_formula(value: str) -> str:
    """``value`` as a cell no spreadsheet runs; :func:`unescape_formula` gives it back.

    Example:
        >>> from leadlife._crm.files import escape_formula
        >>> print(escape_formula('=HYPERLINK("http://x","y")'))
        '=HYPERLINK("http://x","y")
        >>> escape_formula("+44 20 7946 0000"), escape_formula("Ada")
        ("'+44 20 7946 0000", 'Ada')
    """
    if value and (value[0] in FORMULA_START or (value[0] == "'" and _escaped(value))):
        return "'" + value
    return value


def unescape_formula(value: str) -> str:
    """A cell as it was before :func:`escape_formula`: one leading ``'`` taken off, if it has one.

    Example:
        >>> from leadlife._crm.files import unescape_formula
        >>> unescape_formula("'=1+2"), unescape_formula("'Tis")
        ('=1+2', "'Tis")
    """
    return value[1:] if value[:1] == "'" and _escaped(value) else value


def _escaped(value: str) -> bool:
    """Whether ``value`` (which starts with ``'``) is how :func:`escape_formula` writes a cell."""
    return len(value) > 1 and (value[1] in FORMULA_START or value[1] == "'")


@attrs.frozen(kw_only=True)
class Table:
    """The rows of one file, numbered as a spreadsheet shows them (the header is row 1).

    Attributes:
        file: What the file is (``"deals"``), when an import reads several.
        rows: Each row's number and its cells by column.
        misfits: Rows that do not fit the header, each with its number and why.
        name: The file as errors name it (its path, or what it is).
    """

    file: str | None
    rows: tuple[tuple[int, dict[str, str]], ...]
    misfits: tuple[tuple[int, str], ...]
    name: str = "the file"

    def whole(self) -> Table:
        """This table, if every row fits its header (for reference data, read whole or not at all).

        Raises:
            ImportFileError: The first row that does not fit, by its number.
        """
        if self.misfits:
            line, why = self.misfits[0]
            raise ImportFileError(file=self.name, line=line, problem=why)
        return self

    @property
    def count(self) -> int:
        """How many rows the file holds (besides its header)."""
        return len(self.rows) + len(self.misfits)


def read_table(
    source: ExportFile,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    file: str | None = None,
    encoding: str = ENCODING,
) -> Table:
    """The rows of a CSV export, each cell unescaped (see the module), checked as described.

    Args:
        source: A path, an open file, or rows already read (mappings of
            column to text; ``None`` is a blank cell).
        columns: The columns the export has (named in errors).
        required: The columns a file must have to be this export.
        file: What the file is, for errors and reports.
        encoding: The file's encoding (a path or a file of bytes).

    Raises:
        ImportFileError: The file cannot be read as this export.
    """
    label = file or "the file"
    if isinstance(source, str | Path):
        name = str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise ImportFileError(file=name, problem=f"cannot be read: {error.strerror}") from None
        return _parsed(_decoded(data, encoding, name), columns, required, file, name)
    if hasattr(source, "read"):
        name = getattr(source, "name", None) or label
        try:
            text = source.read()
        except UnicodeDecodeError as error:  # a file opened as text, in another encoding
            raise ImportFileError(
                file=str(name),
                problem=f"{error}; open it in binary (and pass encoding=), or with its encoding",
            ) from None
        if isinstance(text, bytes):
            text = _decoded(text, encoding, str(name))
        return _parsed(str(text), columns, required, file, str(name))
    return _given(source, columns, required, file)


def _decoded(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(
            file=name,
            line=line,
            problem=f"byte {error.start} (0x{data[error.start]:02x}) is not {encoding}; "
            "pass the file's encoding (encoding='cp1252', --encoding cp1252, ...)",
        ) from None
    except LookupError:
        raise ImportFileError(file=name, problem=f"{encoding!r} is not an encoding") from None


def _parsed(
    text: str, columns: Sequence[str], required: Sequence[str], file: str | None, name: str
) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, dict[str, str]]] = []
    misfits: list[tuple[int, str]] = []
    header: list[str] | None = None
    number = 1
    line = 0
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problem = _why(str(error), start)
            raise ImportFileError(file=name, line=start, problem=problem) from None
        line = start
        if not cells or (len(cells) == 1 and not cells[0].strip() and header is not None):
            continue  # a blank line is not a row
        if header is None:
            header = _header(cells, columns, required, name)
            continue
        number += 1
        values = [unescape_formula(value) for value in cells]
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            misfits.append((number, f"the row has {len(values)} cells, the header {len(header)}"))
            continue
        values += [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, values, strict=False))))
    if header is None:
        raise ImportFileError(file=name, line=line or None, problem=_expected("is empty", columns))
    return Table(file=file, rows=tuple(rows), misfits=tuple(misfits), name=name)


def _why(problem: str, line: int) -> str:
    if "field larger than field limit" in problem:
        return f"a cell is over {csv.field_size_limit():,} characters (the limit of a CSV import)"
    if "unexpected end of data" in problem or "EOF" in problem:
        return f"a quote opened on line {line} is never closed: the rest of the file is one cell"
    return f"it is not CSV there: {problem}"


def _header(
    cells: list[str], columns: Sequence[str], required: Sequence[str], name: str
) -> list[str]:
    header = [cell.strip() for cell in cells]
    seen: set[str] = set()
    twice: set[str] = set()
    for column in header:
        if column and column in seen:
            twice.add(column)
        seen.add(column)
    if twice:
        raise ImportFileError(
            file=name,
            line=1,
            problem=f"the header names {', '.join(map(repr, sorted(twice)))} twice",
        )
    missing = [column for column in required if column not in seen]
    if missing:
        raise ImportFileError(
            file=name,
            line=1,
            problem=_expected(f"has no {', '.join(map(repr, missing))} column", columns)
            + f"; found: {', '.join(header) or 'nothing'}",
        )
    return header


def _expected(problem: str, columns: Sequence[str]) -> str:
    return f"{problem}; expected the export's columns ({', '.join(columns)})"


def _given(
    source: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    required: Sequence[str],
    file: str | None,
) -> Table:
    """Rows already read: each value text or blank, or the row is a misfit."""
    rows: list[tuple[int, dict[str, str]]] = []
    misfits: list[tuple[int, str]] = []
    name = file or "the rows given"
    checked = False
    for number, given in enumerate(source, start=2):
        if not isinstance(given, Mapping):
            raise ImportFileError(
                file=name, problem=f"row {number} is {type(given).__name__}, not a mapping"
            )
        if not checked:  # the first row's columns are the header
            _header([str(key) for key in given], columns, required, name)
            checked = True
        values: dict[str, str] = {}
        for column, value in given.items():
            if value is None:
                value = ""  # noqa: PLW2901 - a blank cell, as a CSV file has it
            if not isinstance(value, str) or not isinstance(column, str):
                misfits.append((number, f"column {column!r} holds {value!r}, not text"))
                break
            values[column] = unescape_formula(value)
        else:
            rows.append((number, values))
    return Table(file=file, rows=tuple(rows), misfits=tuple(misfits), name=name)


def write_rows(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    target: str | Path | IO[str] | None,
    *,
    escape_formulas: bool = True,
) -> str:
    """Write ``rows`` as CSV to ``target`` (a path, an open file, or ``None``); return the text.

    Cells are escaped (see the module) unless ``escape_formulas`` is false.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    escape = escape_formula if escape_formulas else str
    writer.writerows([escape(row.get(column, "")) for column in columns] for row in rows)
    text = buffer.getvalue()
    if isinstance(target, str | Path):
        Path(target).write_text(text, encoding="utf-8", newline="")
    elif target is not None:
        target.write(text)
    return text
