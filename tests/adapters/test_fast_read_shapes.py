"""The fast reader on shapes leadlife's own documents do not have: as the converter reads them.

A plugin or a later version may add a class whose fields are lists, unions,
enums of mixed values, private names, converters that take the instance, or
an ``__attrs_pre_init__``. Each is read by the reader (its struct and its
builder) to what the converter reads, or handed back; never to anything else.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import attrs
import msgspec
import pytest

from leadlife import LeadId, RecordId
from leadlife._adapters import fast_read
from leadlife._adapters.documents import default_converter


class Mixed(Enum):
    ONE = 1
    TWO = "two"


class Plain(Enum):
    A = "a"


@attrs.frozen(kw_only=True)
class Shapes:
    numbers: list[int] = attrs.field(factory=list)
    mixed: Mixed | None = None
    plain: Plain = Plain.A
    who: RecordId | None = None
    lead: LeadId | None = None


@attrs.frozen(kw_only=True)
class Unsupported:
    either: int | str | None = None  # the converter has no hook for it


@attrs.frozen(kw_only=True)
class Before:
    name: str

    def __attrs_pre_init__(self) -> None:
        pass


@attrs.frozen(kw_only=True)
class Private:
    _hidden: int = 0


@attrs.frozen(kw_only=True)
class TakesSelf:
    doubled: int = attrs.field(
        converter=attrs.Converter(lambda value, self: value, takes_self=True)
    )


def fast(cls: type, text: str) -> tuple[str, Any]:
    found = fast_read.struct(cls)
    if found is None:
        return "not read", None
    wire, build = found
    try:
        return "read", build(msgspec.json.decode(text, type=wire))
    except (fast_read.Fallback, msgspec.ValidationError, msgspec.DecodeError):
        return "handed back", None


def converter(cls: type, text: str) -> tuple[str, Any]:
    try:
        return "read", default_converter().structure(json.loads(text), cls)
    except Exception as error:  # noqa: BLE001 - any refusal is a refusal here
        return "refused", type(error).__name__


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        '{"numbers": [1, 2]}',
        '{"numbers": ["x"]}',
        '{"mixed": 1}',
        '{"mixed": "two"}',
        '{"mixed": "three"}',
        '{"plain": "a"}',
        '{"plain": "b"}',
        '{"who": {"kind": "lead", "id": "L-1"}}',
        '{"who": {"kind": "nobody", "id": "L-1"}}',
        '{"lead": "L-1"}',
        '{"lead": " "}',
    ],
)
def test_unusual_fields_are_read_as_the_converter_reads_them(text: str) -> None:
    outcome, read = fast(Shapes, text)
    reference = converter(Shapes, text)
    if outcome == "read":
        assert reference == ("read", read)
    else:
        assert outcome == "handed back"


def test_a_class_the_reader_cannot_write_out_is_built_through_its_init() -> None:
    assert fast(Before, '{"name": "Ada"}') == ("read", Before(name="Ada"))
    assert fast(Before, '{"name": 3}')[0] == "handed back"
    assert fast(TakesSelf, '{"doubled": 2}') == ("read", TakesSelf(doubled=2))


def test_a_class_with_private_names_is_left_to_the_converter() -> None:
    assert fast(Private, '{"hidden": 1}') == ("not read", None)


def test_a_class_the_converter_cannot_read_is_not_read_either() -> None:
    # Read fast, {} would be an Unsupported the converter refuses to make.
    assert converter(Unsupported, "{}")[0] == "refused"
    assert fast(Unsupported, "{}") == ("not read", None)
