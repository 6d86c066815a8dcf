"""Likely duplicates across a book, without comparing every pair.

Comparing a million contacts pairwise is half a trillion comparisons. Blocks
cut it down: only contacts that share a normalised e-mail, a phone number,
or a company and the start of a word of their names are compared, and a
block too large to compare in full (a company of thousands) is compared in
name order, each contact with its next few neighbours. A pair found is a
duplicate when the evidence says so: the same mailbox (or phone) and names
that do not contradict it, or the same company and names close enough.
Every match says why.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import attrs

from leadlife._core.journal.records import Record
from leadlife._core.support import validation as check
from leadlife._core.support.display import Grid, ShownAsGrid
from leadlife._core.support.errors import MissingExtraError, ValidationError
from leadlife._duplicates.keys import company_domain, company_key, email_key, name_key, phone_key

CONTACT_COLUMNS = ("record_id", "name", "email", "phone", "company", "website")
"""The columns a book of contacts has for finding duplicates (all but ``record_id`` may be null)."""


@attrs.frozen(kw_only=True)
class Match:
    """Two records that are likely one person, how alike their names are, and why.

    Attributes:
        first: One record's id (the smaller of the two).
        second: The other's.
        score: How alike the names are, 0 to 100.
        reasons: What they share: ``"same e-mail"``, ``"same phone"``, ``"same company"``.

    Example:
        >>> from leadlife.duplicates import Match
        >>> Match(first="L-1", second="L-2", score=96.0, reasons=("same e-mail",)).reasons
        ('same e-mail',)
    """

    first: str
    second: str
    score: float
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Duplicates(ShownAsGrid):
    """The likely duplicates of a book: every match, and the groups they make.

    Example:
        >>> from leadlife.duplicates import find_duplicates
        >>> book = {
        ...     "record_id": ["L-1", "L-2", "L-3"],
        ...     "name": ["Ada Lovelace", "Lovelace, Ada", "Charles Babbage"],
        ...     "email": ["ada@acme.com", "Ada+events@ACME.com", "cb@acme.com"],
        ... }
        >>> found = find_duplicates(book)
        >>> found.groups()
        [('L-1', 'L-2')]
    """

    matches: tuple[Match, ...]

    def pairs(self) -> set[tuple[str, str]]:
        """Every matched pair, as ``(first, second)``."""
        return {(match.first, match.second) for match in self.matches}

    def groups(self) -> list[tuple[str, ...]]:
        """The records that are one person, group by group (a match of matches is one group)."""
        parent: dict[str, str] = {}

        def root(item: str) -> str:
            parent.setdefault(item, item)
            while parent[item] != item:
                parent[item] = parent[parent[item]]
                item = parent[item]
            return item

        for match in self.matches:
            parent[root(match.first)] = root(match.second)
        members: dict[str, list[str]] = {}
        for item in parent:
            members.setdefault(root(item), []).append(item)
        return sorted(tuple(sorted(group)) for group in members.values())

    def _grid(self) -> Grid:
        rows = [
            (match.first, match.second, f"{match.score:.0f}", ", ".join(match.reasons))
            for match in self.matches[:50]
        ]
        more = len(self.matches) - len(rows)
        note = f"{more} more matches not shown" if more > 0 else None
        title = f"{len(self.matches)} likely duplicates in {len(self.groups())} groups"
        return title, ("record", "record", "names alike", "why"), rows, note


def names_alike(names: Sequence[str], pairs: Sequence[tuple[int, int]]) -> list[float]:
    """How alike the names of each pair are (0-100), computed in C, on every core."""
    try:
        from rapidfuzz.fuzz import ratio  # noqa: PLC0415 - an optional extra
        from rapidfuzz.process import cpdist  # noqa: PLC0415
    except ImportError as missing:  # pragma: no cover - the test environment has the extra
        raise MissingExtraError(
            package="rapidfuzz", extra="dedupe", needed_by="leadlife.duplicates"
        ) from missing
    if not pairs:
        return []
    scores = cpdist(
        [names[a] for a, _ in pairs], [names[b] for _, b in pairs], scorer=ratio, workers=-1
    )
    return [float(score) for score in scores.tolist()]


def _columns(book: Any) -> dict[str, list[Any]]:
    """The book as plain columns: from a mapping, a dataframe, or records."""
    if isinstance(book, Mapping):
        columns = {name: list(values) for name, values in book.items()}
    elif hasattr(book, "__dataframe__") or type(book).__module__.split(".")[0] in _FRAMES:
        import narwhals.stable.v2 as nw  # noqa: PLC0415 - the analytics extra, for frames only

        frame = nw.from_native(book)
        table = (frame.collect() if isinstance(frame, nw.LazyFrame) else frame).to_arrow()
        columns = {name: table[name].to_pylist() for name in table.column_names}
    else:
        columns = {name: [] for name in CONTACT_COLUMNS}
        for record in book:
            if not isinstance(record, Record):
                raise ValidationError(
                    owner="find_duplicates",
                    field="book",
                    value=type(record).__name__,
                    expected="records, a mapping of columns, or a dataframe",
                )
            if record.converted_to is not None or record.merged_into is not None:
                continue  # the same person on purpose: its journey goes on in another record
            company = record.company
            columns["record_id"].append(record.id.value)
            columns["name"].append(record.contact.name)
            columns["email"].append(record.contact.email)
            columns["phone"].append(record.contact.phone)
            columns["company"].append(None if company is None else company.name)
            columns["website"].append(None if company is None else company.website)
    if "record_id" not in columns:
        raise ValidationError(
            owner="find_duplicates",
            field="book",
            value=sorted(columns),
            expected=f"a record_id column, and some of {', '.join(CONTACT_COLUMNS[1:])}",
        )
    size = len(columns["record_id"])
    if any(len(values) != size for values in columns.values()):
        raise ValidationError(
            owner="find_duplicates",
            field="book",
            value={name: len(values) for name, values in columns.items()},
            expected="columns of equal length",
        )
    return {name: columns.get(name, [None] * size) for name in CONTACT_COLUMNS}


_FRAMES = frozenset({"polars", "pandas", "pyarrow", "duckdb", "pyspark"})


def _blocks(
    keys: Sequence[str | None], into: set[tuple[int, int]], window: int, order: Sequence[str]
) -> None:
    """Add the pairs of rows that share a key; a block over ``window`` rows, in name order."""
    blocks: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        if key is not None:
            blocks.setdefault(key, []).append(row)
    for rows in blocks.values():
        if len(rows) < 2:  # noqa: PLR2004 - a pair needs two
            continue
        if len(rows) <= window:
            into.update(combinations(rows, 2))
            continue
        # A block too large to compare in full: each row with its next neighbours by name.
        ranked = sorted(rows, key=order.__getitem__)
        for index, row in enumerate(ranked):
            into.update((row, other) for other in ranked[index + 1 : index + 1 + window])


def find_duplicates(
    book: Iterable[Record] | Mapping[str, Sequence[Any]] | Any,
    *,
    region: str = "US",
    threshold: float = 90.0,
    window: int = 20,
) -> Duplicates:
    """The likely duplicates of ``book``: records, columns (:data:`CONTACT_COLUMNS`) or a dataframe.

    Records converted into deeper ones (a lead that became a prospect) or
    merged into others are not compared: they are the same person on
    purpose, and their journey goes on in the record they became.

    Two contacts are likely one person when they share a mailbox
    (:func:`email_key`: case, ``+tags`` and Gmail's dots set aside) or a
    phone number (:func:`phone_key`, in E.164) and their names do not
    contradict it (60 or more alike, out of 100), or when they work at one
    company (:func:`company_domain`, else the company's name) and their
    names are ``threshold`` or more alike (:func:`name_key`: accents, case,
    punctuation and word order set aside). A name is not enough on its
    own: two Maria Garcias are two people unless something else says
    otherwise.

    Args:
        book: The contacts.
        region: The country phone numbers without ``+`` are dialled from.
        threshold: How alike names at one company must be (0-100).
        window: Compare a block of contacts sharing a key in full up to
            this size; a larger one, each contact with this many neighbours
            in name order.

    Example:
        >>> from leadlife.duplicates import find_duplicates
        >>> book = {
        ...     "record_id": ["L-1", "L-2", "L-3"],
        ...     "name": ["José Ortega", "Jose Ortgea", "Josefa Ortega"],
        ...     "company": ["Acme GmbH", "ACME", "Initech"],
        ... }
        >>> [(m.first, m.second, round(m.score), m.reasons) for m in find_duplicates(book).matches]
        [('L-1', 'L-2', 91, ('same company',))]
    """
    check.argument("find_duplicates", "threshold", threshold, A_SCORE)
    check.argument("find_duplicates", "window", window, _A_WINDOW)
    # A million contacts make millions of small tuples and lists, none of them in a
    # cycle: the cyclic garbage collector, run again and again as they are made,
    # would take more than half the time (measured: 16.7 s against 6.2 s for 400,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _find(book, region=region, threshold=threshold, window=window)
    finally:
        if collecting:
            gc.enable()


def _find(book: Any, *, region: str, threshold: float, window: int) -> Duplicates:
    columns = _columns(book)
    ids = [str(value) for value in columns["record_id"]]
    emails = [email_key(value) for value in columns["email"]]
    phones = [phone_key(value, region) for value in columns["phone"]]
    names = [name_key(value) for value in columns["name"]]
    # A company is known by its domain and by its name: a person who wrote from a
    # personal address still works where their twin does.
    domains = list(map(company_domain, columns["email"], columns["website"]))
    firms = [company_key(value) for value in columns["company"]]
    candidates: set[tuple[int, int]] = set()
    _blocks(emails, candidates, window, names)
    _blocks(phones, candidates, window, names)
    # A company and the start of one word of the name: a typo elsewhere still meets its twin.
    words = [name.split() for name in names]
    for companies in (domains, firms):
        for word in range(WORDS):
            keys = [
                None if company is None or len(split) <= word else f"{company}|{split[word][:2]}"
                for company, split in zip(companies, words, strict=True)
            ]
            _blocks(keys, candidates, window, names)
    pairs = sorted(candidates)
    matches = []
    for (a, b), alike in zip(pairs, names_alike(names, pairs), strict=True):
        reasons = judged(
            alike,
            (emails[a], phones[a], domains[a], firms[a], names[a]),
            (emails[b], phones[b], domains[b], firms[b], names[b]),
            threshold,
        )
        if reasons is not None:
            first, second = sorted((ids[a], ids[b]))
            matches.append(Match(first=first, second=second, score=alike, reasons=reasons))
    matches.sort(key=lambda match: (match.first, match.second))
    return Duplicates(matches=tuple(matches))


Keys = tuple[str | None, str | None, str | None, str | None, str]
"""A contact's keys: its mailbox, phone, company domain, company name, and name (normalised)."""


def judged(alike: float, one: Keys, other: Keys, threshold: float) -> tuple[str, ...] | None:
    """Why two contacts whose names are ``alike`` are one person; ``None`` if they are not.

    A shared mailbox or phone is strong evidence, unless the names say
    otherwise; a shared company only with names ``threshold`` alike.
    """
    unnamed = not one[4] or not other[4]
    if alike < min(threshold, _NOT_CONTRADICTED) and not unnamed:
        return None  # the names say no, whatever else the two share
    reasons = []
    if one[0] is not None and one[0] == other[0]:
        reasons.append("same e-mail")
    if one[1] is not None and one[1] == other[1]:
        reasons.append("same phone")
    if (one[2] is not None and one[2] == other[2]) or (one[3] is not None and one[3] == other[3]):
        reasons.append("same company")
    strong = "same e-mail" in reasons or "same phone" in reasons
    if strong and (alike >= _NOT_CONTRADICTED or unnamed):
        return tuple(reasons)
    if "same company" not in reasons or alike < threshold:
        return None
    return tuple(reasons)


def strong(reasons: Sequence[str]) -> bool:
    """Whether the evidence is a shared mailbox or phone (not only a company)."""
    return "same e-mail" in reasons or "same phone" in reasons


_NOT_CONTRADICTED = 60.0
"""How alike names sharing a mailbox or a phone must be: "A. Lovelace" and "Ada Lovelace" are."""
WORDS = 2
"""How many words of a name make blocks: its first two (as name_key sorts them)."""


def _a_score(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:  # noqa: PLR2004 - a percentage
        check.refuse(instance, attribute, value, "a number from 0 to 100")


A_SCORE = _a_score
_A_WINDOW = check.whole_number(2, "a whole number, 2 or more")
