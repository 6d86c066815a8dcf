"""What makes two contacts the same person: their e-mail, phone, company and name, normalised.

``Ada.Lovelace+webinar@GoogleMail.com`` and ``adalovelace@gmail.com`` are
one mailbox: case never matters, a ``+tag`` is the sender's label, and
Gmail ignores dots. ``(030) 123 4567`` dialled in Germany is
``+49301234567``. ``Acme GmbH`` at ``https://www.acme.de`` and a person at
``@acme.de`` work at one company, where ``@gmail.com`` says nothing of a
company. Names are compared with accents, case and word order set aside.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

GOOGLE = frozenset({"gmail.com", "googlemail.com"})
"""Domains whose mailboxes ignore dots in the local part (and are one another)."""

FREE_MAIL = frozenset(
    {
        *GOOGLE,
        "yahoo.com",
        "yahoo.co.uk",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "proton.me",
        "protonmail.com",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "orange.fr",
        "free.fr",
    }
)
"""Mail providers anyone can use: their domain says nothing of where the person works."""

_NOT_WORD = re.compile(r"[^\w]+")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
_LEGAL = frozenset(
    {"inc", "ltd", "llc", "gmbh", "ag", "sa", "sas", "srl", "bv", "nv", "plc", "co", "corp", "the"}
)


def email_key(email: str | None) -> str | None:
    """The mailbox an address reaches: lower case, no ``+tag``, no dots at Gmail.

    Example:
        >>> from leadlife.duplicates import email_key
        >>> email_key("Ada.Lovelace+webinar@GoogleMail.com")
        'adalovelace@gmail.com'
    """
    if not email:
        return None
    local, _, domain = email.strip().lower().rpartition("@")
    if not local or not domain:
        return None
    local = local.split("+", 1)[0]
    if domain in GOOGLE:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}" if local else None


@lru_cache(maxsize=1)
def _library() -> Any:
    """phonenumbers, if the ``dedupe`` extra is installed; imported once, when first asked for."""
    try:
        import phonenumbers  # noqa: PLC0415 - an optional extra
    except ImportError:  # pragma: no cover - the test environment has the extra
        return None
    return phonenumbers


def phone_key(phone: str | None, region: str = "US") -> str | None:
    """The number in E.164 (``+49301234567``), dialled from ``region`` when it has no ``+``.

    With the ``dedupe`` extra (phonenumbers), a number is parsed the way its
    country writes it; without, its digits are kept (with a leading ``+`` if
    it had one), which matches the same number written the same way.

    Example:
        >>> from leadlife.duplicates import phone_key
        >>> phone_key("(030) 123 4567", region="DE")
        '+49301234567'
    """
    if not phone:
        return None
    if _E164.fullmatch(phone):
        return phone  # written in E.164 already: nothing to parse (and parsing is slow)
    library = _library()
    if library is not None:
        try:
            parsed = library.parse(phone, region)
        except library.NumberParseException:
            return None
        if not library.is_possible_number(parsed):
            return None
        return str(library.format_number(parsed, library.PhoneNumberFormat.E164))
    digits = "".join(c for c in phone if c.isdigit())  # pragma: no cover - without the extra
    return (
        ("+" if phone.strip().startswith("+") else "") + digits if digits else None
    )  # pragma: no cover


def website_domain(website: str | None) -> str | None:
    """A website's domain without ``www.``: ``https://www.Acme.de/about`` is ``acme.de``."""
    if not website:
        return None
    host = website.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    return host.removeprefix("www.") or None


def company_domain(email: str | None, website: str | None) -> str | None:
    """Where the person works, by domain: the company's website, else a work address's domain.

    Example:
        >>> from leadlife.duplicates import company_domain
        >>> company_domain("ada@acme.de", None), company_domain("ada@gmail.com", None)
        ('acme.de', None)
    """
    domain = website_domain(website)
    if domain is not None:
        return domain
    if not email:
        return None
    domain = email.strip().lower().rpartition("@")[2]
    return None if not domain or domain in FREE_MAIL else domain


def plain(text: str | None) -> str:
    """``text`` with accents, case, punctuation and extra spaces set aside.

    ``"José  O'Neil"`` is ``"jose o neil"``.
    """
    if not text:
        return ""
    letters = text
    if not text.isascii():  # most names are: decomposing them would change nothing
        decomposed = unicodedata.normalize("NFKD", text)
        letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", letters.casefold()).split())


def name_key(name: str | None) -> str:
    """A person's name for comparing: plain, its words sorted (``"Lovelace, Ada"`` is Ada Lovelace).

    Example:
        >>> from leadlife.duplicates import name_key
        >>> name_key("Lovelace, Ádá"), name_key("ada lovelace")
        ('ada lovelace', 'ada lovelace')
    """
    return " ".join(sorted(plain(name).split()))


def company_key(name: str | None) -> str | None:
    """A company's name for comparing: plain, initials run together, without legal forms.

    Example:
        >>> from leadlife.duplicates import company_key
        >>> company_key("ACME GmbH"), company_key("Acme")
        ('acme', 'acme')
        >>> company_key("U.S. Bank"), company_key("US Bank"), company_key("I B M")
        ('us bank', 'us bank', 'ibm')
    """
    words: list[str] = []
    initials = False  # the word before was a lone letter: "U.S." is "u s" once plain
    for word in plain(name).split():
        if len(word) == 1 and word.isalpha() and initials:
            words[-1] += word
        else:
            words.append(word)
        initials = len(word) == 1 and word.isalpha()
    kept = [word for word in words if word not in _LEGAL]
    return " ".join(kept) or None
