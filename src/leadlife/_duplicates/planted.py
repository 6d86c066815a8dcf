"""A made-up book with duplicates planted in it, and the truth: to measure a finder against.

People arrive twice the ways they do: the same address in other capitals
or with a ``+tag``, Gmail's dots, a personal address instead of the work
one, the phone written another way or left out, a typo in the name, the
name as "Last, First", accents dropped, the company with or without its
legal form. Each copy's twin is known, so precision and recall are counted,
not guessed.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "ada alan grace linus barbara edsger donald margaret ken dennis frances john guido bjarne "
    "anita radia sophie hedy katherine dorothy mary james robert maria jose lucia elena pablo "
    "yuki hiro mei chen ravi priya amara kofi olga ivan ingrid lars nina marco giulia pierre "
    "claire hans greta samir leila omar fatima diego camila tomas eva jan petra"
)
_LAST = _words(
    "lovelace turing hopper torvalds liskov dijkstra knuth hamilton thompson ritchie allen "
    "backus rossum stroustrup borg perlman wilson lamarr johnson vaughan shaw smith garcia "
    "muller rossi dubois novak kowalski tanaka wang kumar okafor mensah petrov ivanova larsen "
    "berg bianchi moreau schmidt fischer haddad nasser rahman silva costa horvat nowak"
)
_SYLLABLES = _words(
    "ac me ini tech glo bex umb ra cor vo lux dyn ast ter nov sy ka zen qua fen hol mar ti "
    "ver dal pin sol cro wex"
)
_KINDS = _words(
    "Labs Systems Group Partners Works Foods Logistics Media Health Energy Capital Studio "
    "Consulting Robotics Textiles Analytics Motors Pharma Retail Farms"
)
_LEGAL = ("", "", " Inc", " GmbH", " Ltd", " SA")
_FREE = ("gmail.com", "yahoo.com", "outlook.com")


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the finger: two letters swapped, or one dropped (never the first two)."""
    if len(word) < 5:  # noqa: PLR2004 - short words keep their letters
        return word
    at = rng.randrange(2, len(word) - 1)
    if rng.random() < 0.5:  # noqa: PLR2004 - half swaps, half drops
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at + 1 :]


def _variant(rng: random.Random, row: dict[str, str | None]) -> dict[str, str | None]:  # noqa: C901 - one small function per way of arriving twice
    """The same person as they might arrive a second time."""
    copy = dict(row)
    first, last = str(row["_first"]), str(row["_last"])
    changes: list[Callable[[], None]] = []

    def capitals() -> None:
        copy["email"] = str(row["email"]).upper() if row["email"] else None

    def plus_tag() -> None:
        if row["email"]:
            local, domain = str(row["email"]).split("@")
            copy["email"] = f"{local}+{rng.choice(['webinar', 'promo', 'x'])}@{domain}"

    def personal_address() -> None:
        copy["email"] = f"{first}.{last}{rng.randrange(100)}@{rng.choice(_FREE)}"

    def phone_written_otherwise() -> None:
        digits = str(row["phone"])[2:] if row["phone"] else None
        copy["phone"] = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}" if digits else None

    def no_phone() -> None:
        copy["phone"] = None

    def typo() -> None:
        copy["name"] = f"{_typo(rng, first).title()} {_typo(rng, last).title()}"

    def last_first() -> None:
        copy["name"] = f"{last.title()}, {first.title()}"

    def legal_form() -> None:
        copy["company"] = str(row["_company"]) + rng.choice([" Inc", " LLC", " Ltd"])

    changes = [
        capitals,
        plus_tag,
        personal_address,
        phone_written_otherwise,
        no_phone,
        typo,
        last_first,
        legal_form,
    ]
    for change in rng.sample(changes, rng.randint(1, 3)):
        change()
    return copy


def planted_book(
    size: int, *, duplicates: float = 0.1, seed: int = 0
) -> tuple[dict[str, list[str | None]], list[tuple[str, ...]]]:
    """``size`` contacts, a share of them copies of others, and the groups that are one person.

    Args:
        size: How many contacts in all, copies included.
        duplicates: The share of them that are copies.
        seed: The same seed, the same book.

    Returns:
        The contacts as columns (:data:`CONTACT_COLUMNS`), and the true
        groups of record ids that are one person (only groups of two or more).

    Example:
        >>> from leadlife.duplicates import planted_book
        >>> book, truth = planted_book(1_000, duplicates=0.1, seed=1)
        >>> len(book["record_id"]), sum(len(group) - 1 for group in truth)
        (1000, 100)
    """
    rng = random.Random(seed)  # noqa: S311 - a made-up book, not a secret
    copies = round(size * duplicates)
    people = size - copies
    # As many companies as a real book has: about five people each, few of one name.
    companies = [
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
        + " "
        + rng.choice(_KINDS)
        for _ in range(max(1, people // 5))
    ]
    rows: list[dict[str, str | None]] = []
    seen: set[tuple[str, str, str]] = set()
    while len(rows) < people:
        first, last, company = rng.choice(_FIRST), rng.choice(_LAST), rng.choice(companies)
        if (first, last, company) in seen:
            continue  # two people of one name at one company: the truth could not tell them apart
        seen.add((first, last, company))
        domain = company.lower().replace(" ", "") + rng.choice([".com", ".de", ".io"])
        rows.append(
            {
                "_first": first,
                "_last": last,
                "_company": company,
                "name": f"{first.title()} {last.title()}",
                "email": f"{first}.{last}@{domain}" if rng.random() < 0.9 else None,  # noqa: PLR2004
                "phone": f"+1{rng.randrange(2_000_000_000, 9_999_999_999)}"
                if rng.random() < 0.7  # noqa: PLR2004
                else None,
                "company": company + rng.choice(_LEGAL),
            }
        )
    groups: dict[int, list[int]] = {}
    for _ in range(copies):
        original = rng.randrange(people)
        groups.setdefault(original, [original]).append(len(rows))
        rows.append(_variant(rng, rows[original]))
    order = list(range(len(rows)))
    rng.shuffle(order)  # copies are not next to their originals
    ids = {row: f"C-{position}" for position, row in enumerate(order)}
    columns: dict[str, list[str | None]] = {
        "record_id": [ids[row] for row in range(len(rows))],
        "name": [row["name"] for row in rows],
        "email": [row["email"] for row in rows],
        "phone": [row["phone"] for row in rows],
        "company": [row["company"] for row in rows],
        "website": [None] * len(rows),
    }
    truth = sorted(tuple(sorted(ids[row] for row in group)) for group in groups.values())
    return columns, truth
