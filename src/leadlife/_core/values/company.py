"""The organisation a lead belongs to."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import attrs
from attrs.validators import optional

from leadlife._core.support import validation as check


class CompanySize(Enum):
    """Head-count bands, the usual firmographic buckets; ``UNKNOWN`` until known.

    Example:
        >>> from leadlife import CompanySize
        >>> CompanySize("50-249")
        <CompanySize.MEDIUM: '50-249'>
    """

    MICRO = "1-9"
    SMALL = "10-49"
    MEDIUM = "50-249"
    LARGE = "250-999"
    ENTERPRISE = "1000+"
    UNKNOWN = "unknown"


_WEBSITE = re.compile(r"https?://[^\s/$.?#][^\s]*\.[^\s]+", re.IGNORECASE)


def _website(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not _WEBSITE.fullmatch(value)):
        check.refuse(instance, attribute, value, "an http(s) URL such as 'https://example.com'")


@attrs.frozen(kw_only=True)
class Company:
    """A company: who it is, what it does, how big, where.

    Example:
        >>> from leadlife import Company, CompanySize
        >>> Company(name="Analytical Engines Ltd", size=CompanySize.SMALL, region="EMEA").size.value
        '10-49'
    """

    name: str = attrs.field(validator=check.text)
    industry: str | None = attrs.field(default=None, validator=optional(check.text))
    size: CompanySize = attrs.field(
        default=CompanySize.UNKNOWN, validator=check.member_of(CompanySize)
    )
    region: str | None = attrs.field(default=None, validator=optional(check.text))
    website: str | None = attrs.field(default=None, validator=_website)
